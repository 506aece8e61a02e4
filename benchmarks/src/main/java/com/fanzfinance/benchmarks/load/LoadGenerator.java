package com.fanzfinance.benchmarks.load;

import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator's command line: TigerBeetle's {@code tigerbeetle benchmark} workload against the
 * ledger server over HTTP ({@code --target ledger}) or against the PostgreSQL baseline
 * ({@code --target postgres}). Exit status: 0 success, 1 a transfer not created, a failed request or a
 * failed validation, 2 usage. See docs/load-generator.md.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Drives the ledger (or the PostgreSQL baseline) with TigerBeetle's benchmark workload.")
public final class LoadGenerator implements Callable<Integer> {
    /** Where the run is. */
    public enum TargetKind { LEDGER, POSTGRES }

    @Option(names = "--target", description = "ledger (HTTP) or postgres (the baseline); default ${DEFAULT-VALUE}")
    TargetKind target = TargetKind.LEDGER;
    @Option(names = "--url", description = "server base URL; default ${DEFAULT-VALUE}")
    URI url = URI.create("http://127.0.0.1:8080");
    @Option(names = "--api-key", description = "API key (ledger:write and ledger:read in --tenant, or admin);"
        + " default $FANZ_ADMIN_KEY")
    String apiKey = System.getenv("FANZ_ADMIN_KEY");
    @Option(names = "--tenant", description = "tenant of the accounts; default ${DEFAULT-VALUE}")
    String tenant = "girlfanz";
    @Option(names = "--transport", description = "binary or json; default ${DEFAULT-VALUE}")
    String transport = "binary";
    @Option(names = "--jdbc-url", description = "baseline PostgreSQL; default ${DEFAULT-VALUE}")
    String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    @Option(names = "--schema", description = "baseline schema, dropped and created at start; default ${DEFAULT-VALUE}")
    String schema = PostgresBaselineTarget.DEFAULT_SCHEMA;
    @Option(names = "--account-count", description = "default ${DEFAULT-VALUE}")
    int accountCount = 10_000;
    @Option(names = "--account-distribution", description = "uniform, zipfian or latest; default ${DEFAULT-VALUE}")
    String accountDistribution = "uniform";
    @Option(names = "--transfer-count", description = "default ${DEFAULT-VALUE}")
    long transferCount = 10_000_000;
    @Option(names = "--transfer-batch-size", description = "at most 8189; default ${DEFAULT-VALUE}")
    int transferBatchSize = LoadOptions.BATCH_SIZE_MAX;
    @Option(names = "--transfer-pending", description = "share 0..1 of two-phase pending transfers; default ${DEFAULT-VALUE}")
    double transferPending = 0;
    @Option(names = "--clients", description = "connections, each with one batch in flight; default ${DEFAULT-VALUE}")
    int clients = 1;
    @Option(names = "--single-transfer-threads", description = "post single transfers from this many threads through"
        + " one ledger-client (automatic batching) instead of whole batches; latencies are per transfer; 0 = off;"
        + " default ${DEFAULT-VALUE}")
    int singleTransferThreads;
    @Option(names = "--linger-micros", description = "with --single-transfer-threads: the client's linger;"
        + " default ${DEFAULT-VALUE}")
    long lingerMicros = 200;
    @Option(names = "--batches-in-flight", description = "with --single-transfer-threads: the client's automatic"
        + " batches in flight; default ${DEFAULT-VALUE}")
    int batchesInFlight = 1;
    @Option(names = "--caller-threads", description = "with --single-transfer-threads: the callers are platform"
        + " threads or virtual threads (JDK 21 and newer); default ${DEFAULT-VALUE}")
    String callerThreads = "platform";
    @Option(names = "--client-http", description = "the ledger client's HTTP transport, sockets (its own HTTP/1.1)"
        + " or jdk (java.net.http.HttpClient); default ${DEFAULT-VALUE}")
    String clientHttp = "sockets";
    @Option(names = "--results", description = "whole batches ask for every transfer's result (all) or only the"
        + " failed ones' (failures: ?results=failures, TigerBeetle's way; the run requires an empty answer);"
        + " default ${DEFAULT-VALUE}")
    String results = "all";
    @Option(names = "--rate", description = "send whole batches on a schedule of this many transfers a second (open"
        + " loop; latencies count from each batch's scheduled time); 0 = each client sends its next batch when the last"
        + " is answered; default ${DEFAULT-VALUE}")
    long rate;
    @Option(names = "--latency-log", paramLabel = "FILE", description = "also write each whole batch's latency to FILE"
        + " (CSV: client, sent_ms since the start of the load, latency_ms), in the order sent")
    java.nio.file.Path latencyLog;
    @Option(names = "--watch-lag", description = "read the server's read-model lag (GET /metrics) during the load and"
        + " until it has caught up; the run fails if that takes over 10 minutes")
    boolean watchLag;
    @Option(names = "--id-order", description = "sequential or random; default ${DEFAULT-VALUE}")
    String idOrder = "sequential";
    @Option(names = "--validate", description = "afterwards re-read every transfer and balance and check them")
    boolean validate;
    @Option(names = "--seed", description = "default ${DEFAULT-VALUE}")
    long seed = 42;
    @Option(names = "--ledger", description = "default ${DEFAULT-VALUE}")
    int ledger = 1;
    @Option(names = "--server-pid", description = "report this process's resident memory (VmRSS, VmHWM)")
    long serverPid;
    @Option(names = "--query-count", description = "account-transfers lookups; default ${DEFAULT-VALUE}")
    int queryCount = 10_000;
    @Option(names = "--query-limit", description = "transfers per lookup, at most 8189; default ${DEFAULT-VALUE}")
    int queryLimit = LoadOptions.BATCH_SIZE_MAX;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns the exit status; the tests' entry point. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        LoadGenerator command = new LoadGenerator();
        command.out = out;
        CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true)
            .setOverwrittenOptionsAllowed(true)
            .setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(err, true))
            .setExecutionExceptionHandler((exception, line, parseResult) -> {
                err.println("load: " + exception.getMessage());
                return exception instanceof IllegalArgumentException ? 2 : 1;
            });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        LoadOptions options = options().checked();
        try (Target runTarget = target()) {
            return new LoadRun(options, runTarget, out).latencyLog(latencyLog).run() ? 0 : 1;
        }
    }

    LoadOptions options() {
        jdkHttpClient();
        if (failuresOnly() && (target == TargetKind.POSTGRES || singleTransferThreads != 0)) {
            throw new IllegalArgumentException("--results failures applies to whole batches sent to the ledger server"
                + " (not with --target postgres or --single-transfer-threads)");
        }
        if (latencyLog != null && singleTransferThreads > 0) {
            throw new IllegalArgumentException("--latency-log records whole batches; not with --single-transfer-threads");
        }
        if (watchLag && target == TargetKind.POSTGRES) {
            throw new IllegalArgumentException("--watch-lag reads the ledger server's read model (not with --target"
                + " postgres)");
        }
        boolean virtualCallers = virtualCallers();
        if (virtualCallers && singleTransferThreads == 0) {
            throw new IllegalArgumentException("--caller-threads applies to --single-transfer-threads (whole batches are"
                + " sent by one thread per client)");
        }
        return new LoadOptions(accountCount, AccountDistribution.parse(accountDistribution), transferCount,
            transferBatchSize, transferPending, clients, IdOrder.valueOf(idOrder.trim().toUpperCase(java.util.Locale.ROOT)),
            validate, seed, ledger, serverPid, queryCount, queryLimit,
            singleTransferThreads == 0 ? null : new LoadOptions.Singles(singleTransferThreads, lingerMicros, batchesInFlight,
                virtualCallers), rate, watchLag);
    }

    private boolean virtualCallers() {
        return switch (callerThreads.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "platform" -> false;
            case "virtual" -> true;
            default -> throw new IllegalArgumentException("--caller-threads: platform or virtual, got " + callerThreads);
        };
    }

    private Target target() {
        if (target == TargetKind.POSTGRES) {
            return new PostgresBaselineTarget(jdbcUrl, schema);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("--api-key (or FANZ_ADMIN_KEY) is required for --target ledger");
        }
        return new LedgerHttpTarget(url, apiKey, tenant, Transport.parse(transport), jdkHttpClient(), failuresOnly());
    }

    private boolean failuresOnly() {
        String mode = results.trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("all") && !mode.equals("failures")) {
            throw new IllegalArgumentException("--results: all or failures, got " + results);
        }
        return mode.equals("failures");
    }

    private boolean jdkHttpClient() {
        String http = clientHttp.trim().toLowerCase(java.util.Locale.ROOT);
        if (!http.equals("sockets") && !http.equals("jdk")) {
            throw new IllegalArgumentException("--client-http: sockets or jdk, got " + clientHttp);
        }
        return http.equals("jdk");
    }
}
