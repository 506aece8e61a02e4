package com.fanzfinance.benchmarks.payments;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.PGConnection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.reconciliation.importers.GenericCsvImporter;
import com.fanzfinance.reconciliation.match.Field;
import com.fanzfinance.reconciliation.match.LedgerItems;
import com.fanzfinance.reconciliation.match.MatchSink;
import com.fanzfinance.reconciliation.match.Matcher;
import com.fanzfinance.reconciliation.match.Reason;
import com.fanzfinance.reconciliation.match.Rule;
import com.fanzfinance.reconciliation.match.StatementLines;
import com.fanzfinance.reconciliation.match.Tolerances;

/**
 * The reconciliation benchmark (issue #17): a settlement report of {@code --lines} lines imported and matched.
 *
 * <ul>
 *   <li>{@code server} (default): a real server in this JVM (durable journal, read model and payments on PostgreSQL).
 *       Setup, not measured: a Verotel merchant account and as many posted sale events as the report has sales,
 *       loaded into the payments schema with {@code COPY} (posting a million signed webhooks would take the intake's
 *       time, measured elsewhere, not reconciliation's). Measured: the report's upload to
 *       {@code POST /v1/reconciliations}, streamed from disk, until the stored result answers — import, ledger-side
 *       load, match, and the result's entries written by {@code COPY}.</li>
 *   <li>{@code library}: the {@code reconciliation} module alone in this JVM — the file through the generic
 *       importer into the columnar store, the items into theirs, and the matcher.</li>
 * </ul>
 *
 * The report has seeded exceptions: every 200th sale a cent off (differing), every 500th missing from the report
 * (unmatched in the ledger), every 250th split over two lines (many to one), and one line in 1000 that the ledger
 * does not have. The run checks that the result counts exactly those (exit 1 otherwise), and reports lines per
 * second and the heap's peak (the sum of the heap pools' peaks, an upper bound) and the process's peak RSS.
 */
@Command(name = "reconciliation-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures a settlement report's import and match, through the server or the library alone.")
public final class ReconciliationBenchmark implements Callable<Integer> {
    static final String TENANT = "girlfanz";

    @Option(names = "--lines", description = "sales in the report (lines are about 0.4 % more); default ${DEFAULT-VALUE}")
    int sales = 1_000_000;
    @Option(names = "--mode", description = "server or library; default ${DEFAULT-VALUE}")
    String mode = "server";
    @Option(names = "--db-url", description = "PostgreSQL of the read model and payments; default ${DEFAULT-VALUE}")
    String dbUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    @Option(names = "--keep", description = "keep the data directory and schemas after the run")
    boolean keep;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns the exit status (0 passed, 1 failed, 2 usage); the tests' entry point. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        ReconciliationBenchmark command = new ReconciliationBenchmark();
        command.out = out;
        return BenchmarkCommands.execute(command, "reconciliation-benchmark", out, err, args);
    }

    /** What the seeded report must give. */
    record Expected(long lines, long matched, long differing, long unmatchedLedger, long unmatchedStatement) {
    }

    @Override
    public Integer call() throws Exception {
        if (sales < 1 || sales > 10_000_000 || !Set.of("server", "library").contains(mode)) {
            throw new IllegalArgumentException("--lines is 1..10000000, --mode server or library");
        }
        Path file = Files.createTempFile("fanz-recon-bench-", ".csv");
        try {
            long started = System.nanoTime();
            Expected expected = writeReport(file);
            out.printf(Locale.ROOT, "report: %,d lines, %,d bytes, written in %.1f s%n", expected.lines(), Files.size(file),
                seconds(started));
            return mode.equals("server") ? server(file, expected) : library(file, expected);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---- the data ---------------------------------------------------------------------------------------

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    private static long gross(int sale) {
        return 500 + sale % 9_500;
    }

    private static long fee(int sale) {
        return gross(sale) / 10 + 30;
    }

    private static LocalDate day(int sale) {
        return DAY.plusDays(sale % 7);
    }

    private Expected writeReport(Path file) throws IOException {
        long lines = 0;
        long matched = 0;
        long differing = 0;
        long missing = 0;
        long strangers = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("reference,type,amount,currency,fee,date\n");
            for (int sale = 0; sale < sales; sale++) {
                if (sale % 500 == 1) {
                    missing++;
                    continue;
                }
                long amount = gross(sale);
                if (sale % 200 == 0) {
                    line(writer, "T" + sale, amount + 1, fee(sale), day(sale));
                    differing++;
                    lines++;
                } else if (sale % 250 == 2) {
                    long half = amount / 2;
                    long halfFee = fee(sale) / 2;
                    line(writer, "T" + sale, half, halfFee, day(sale));
                    line(writer, "T" + sale, amount - half, fee(sale) - halfFee, day(sale));
                    matched++;
                    lines += 2;
                } else {
                    line(writer, "T" + sale, amount, fee(sale), day(sale));
                    matched++;
                    lines++;
                }
                if (sale % 1000 == 999) {
                    line(writer, "X" + sale, 1234, 0, day(sale));
                    strangers++;
                    lines++;
                }
            }
        }
        return new Expected(lines, matched, differing, missing, strangers);
    }

    private static void line(BufferedWriter writer, String reference, long amount, long fee, LocalDate day) throws IOException {
        writer.write(reference);
        writer.write(",sale,");
        writer.write(decimal(amount));
        writer.write(",USD,");
        writer.write(decimal(fee));
        writer.write(',');
        writer.write(day.toString());
        writer.write('\n');
    }

    private static String decimal(long minor) {
        return minor / 100 + "." + (minor % 100 < 10 ? "0" : "") + minor % 100;
    }

    // ---- server -----------------------------------------------------------------------------------------

    private int server(Path file, Expected expected) throws Exception {
        Map<String, String> settings = Map.of("FANZ_RECON_MAX_LINES", Long.toString(Math.max(expected.lines(), 1)),
            "FANZ_MAX_BODY_BYTES", Long.toString(Math.min(1L << 30, Math.max(1L << 20, Files.size(file) * 2))));
        try (IntakeServer server = IntakeServer.start(dbUrl, IntakeBenchmark.PLATFORM_BP, keep, settings)) {
            out.println(server.describe());
            PaymentsApi api = new PaymentsApi(server.base(), server.adminKey());
            api.createTenant(TENANT);
            String account = api.createVerotelAccount(TENANT, "122965", "reconciliation-benchmark-key",
                new ExpectedLedger.Fees(0, 0, 0));
            String key = PaymentsApi.require(api.postJson("/v1/admin/keys", server.adminKey(), """
                {"name":"reconciliation-benchmark","scopes":["finance:read","finance:write"],"tenants":["%s"]}"""
                .formatted(TENANT)), 201).json().path("key").asText();
            long started = System.nanoTime();
            loadEvents(server.paymentsSchema(), UUID.fromString(account));
            out.printf(Locale.ROOT, "setup: %,d posted sale events loaded with COPY in %.1f s%n", sales, seconds(started));

            System.gc();
            long heapBefore = usedHeap();
            resetPeaks();
            started = System.nanoTime();
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.base()
                    .resolve("/v1/reconciliations?merchant_account_id=" + account + "&format=generic&date_tolerance_days=0"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/csv")
                .timeout(java.time.Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofInputStream());
            JsonNode result;
            try (InputStream body = response.body()) {
                result = new ObjectMapper().readTree(body);
            }
            double elapsed = seconds(started);
            long heapPeak = peakHeap();
            if (response.statusCode() != 201) {
                out.println("the server answered " + response.statusCode() + ": " + result);
                return 1;
            }
            out.printf(Locale.ROOT, "reconcile: %,d lines imported, matched against %,d events and stored in %.1f s = %,.0f"
                    + " lines/s%n", expected.lines(), sales, elapsed, expected.lines() / elapsed);
            JsonNode timings = result.path("statement").path("timings_ms");
            out.printf(Locale.ROOT, "  of which: import %,d ms, ledger side %,d ms, match %,d ms; the rest storing the"
                    + " result and answering%n", timings.path("import").asLong(), timings.path("ledger_side").asLong(),
                timings.path("match").asLong());
            out.printf(Locale.ROOT, "memory: heap %,d MB before, peak %,d MB during (pools' peaks summed); process peak RSS"
                + " %,d MB%n", heapBefore >> 20, heapPeak >> 20, peakRss() >> 20);
            JsonNode summary = result.path("summary");
            return check(expected, summary.path("statement_lines").asLong(), summary.path("matched").asLong(),
                summary.path("differing").asLong(), summary.path("unmatched_ledger").asLong(),
                summary.path("unmatched_statement").asLong());
        }
    }

    /** The report's sales as posted Verotel sale events of the account, one {@code COPY}, streamed in chunks. */
    private void loadEvents(String schema, UUID account) throws Exception {
        try (Connection connection = DriverManager.getConnection(dbUrl)) {
            org.postgresql.copy.CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + schema
                + ".payment_events (id, merchant_account_id, processor, tenant, status, raw_method, raw_path, raw_query,"
                + " raw_headers, raw_body, peer, received_at, kind, processor_transaction_id, gross, fee, currency,"
                + " occurred_at, updated) FROM STDIN (FORMAT csv)");
            StringBuilder rows = new StringBuilder(1 << 20);
            for (int sale = 0; sale < sales; sale++) {
                String at = day(sale) + "T12:00:00Z";
                rows.append(UUID.randomUUID()).append(',').append(account).append(",verotel,").append(TENANT)
                    .append(",posted,GET,/hooks,\"\",{},\\x,127.0.0.1,").append(at).append(",sale,T").append(sale).append(',')
                    .append(gross(sale)).append(',').append(fee(sale)).append(",USD,").append(at).append(',').append(at)
                    .append('\n');
                if (rows.length() > (1 << 20) - 512 || sale == sales - 1) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE " + schema + ".payment_events");
            }
        }
    }

    // ---- library ----------------------------------------------------------------------------------------

    private int library(Path file, Expected expected) throws Exception {
        System.gc();
        long heapBefore = usedHeap();
        resetPeaks();
        long started = System.nanoTime();
        StatementLines lines = new StatementLines((int) Math.min(Integer.MAX_VALUE, expected.lines()));
        try (InputStream in = Files.newInputStream(file)) {
            new GenericCsvImporter(code -> "USD".equals(code) ? 2 : -1).read(in, lines);
        }
        double imported = seconds(started);
        started = System.nanoTime();
        LedgerItems items = new LedgerItems();
        for (int sale = 0; sale < sales; sale++) {
            items.add(new UUID(0, sale), gross(sale), fee(sale), "USD", (int) day(sale).toEpochDay(), "", "T" + sale);
        }
        double loaded = seconds(started);
        started = System.nanoTime();
        long[] counts = new long[4];
        new Matcher(new Tolerances(0, 0, 0), Set.of()).run(lines, items, new MatchSink() {
            @Override
            public void matched(Rule rule, int[] lineIndexes, int[] itemIndexes) {
                counts[0]++;
            }

            @Override
            public void differing(Rule rule, int[] lineIndexes, int[] itemIndexes, long statementAmount, long statementFee,
                                  long ledgerAmount, long ledgerFee, Set<Field> fields) {
                counts[1]++;
            }

            @Override
            public void unmatchedStatement(int line, Reason reason) {
                counts[3]++;
            }

            @Override
            public void unmatchedLedger(int item) {
                counts[2]++;
            }
        });
        double matched = seconds(started);
        long heapPeak = peakHeap();
        System.gc();
        long retained = usedHeap() - heapBefore;
        out.printf(Locale.ROOT, "import: %,d lines in %.2f s = %,.0f lines/s (generic CSV into the columnar store)%n",
            lines.size(), imported, lines.size() / imported);
        out.printf(Locale.ROOT, "items: %,d ledger items stored in %.2f s%n", items.size(), loaded);
        out.printf(Locale.ROOT, "match: %.2f s = %,.0f lines/s; import and match %,.0f lines/s%n", matched,
            lines.size() / matched, lines.size() / (imported + matched));
        out.printf(Locale.ROOT, "memory: stores %,d MB (lines %,d MB, items %,d MB by their own count; %,d MB retained"
                + " after GC); heap peak %,d MB (pools' peaks summed); process peak RSS %,d MB%n",
            (lines.bytesUsed() + items.bytesUsed()) >> 20, lines.bytesUsed() >> 20, items.bytesUsed() >> 20, retained >> 20,
            heapPeak >> 20, peakRss() >> 20);
        return check(expected, lines.size(), counts[0], counts[1], counts[2], counts[3]);
    }

    // ---- checks and measures ----------------------------------------------------------------------------

    private int check(Expected expected, long lines, long matched, long differing, long unmatchedLedger,
                      long unmatchedStatement) {
        List<String> problems = new ArrayList<>();
        compare(problems, "lines", expected.lines(), lines);
        compare(problems, "matched", expected.matched(), matched);
        compare(problems, "differing", expected.differing(), differing);
        compare(problems, "unmatched in the ledger", expected.unmatchedLedger(), unmatchedLedger);
        compare(problems, "unmatched on the statement", expected.unmatchedStatement(), unmatchedStatement);
        if (!problems.isEmpty()) {
            out.println("validation failed: " + String.join("; ", problems));
            return 1;
        }
        out.printf(Locale.ROOT, "validated: %,d matched, %,d differing (a cent off), %,d missing from the report, %,d not in"
                + " the ledger — each seeded exception found, nothing else%n", matched, differing, unmatchedLedger,
            unmatchedStatement);
        return 0;
    }

    private static void compare(List<String> problems, String what, long expected, long actual) {
        if (expected != actual) {
            problems.add(what + " " + actual + ", expected " + expected);
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resets the heap pools' peaks and, where Linux allows, the process's peak RSS (clear_refs 5). */
    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed: the RSS peak is then the process's whole life's
        }
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
            .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** The process's peak resident set (VmHWM), or 0 where /proc is not there. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
