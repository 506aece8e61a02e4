package com.fanzfinance.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends a settlement report or bank statement to the running server's {@code POST /v1/reconciliations}, streamed
 * from disk with a progress bar (the server reads the file as it arrives, so the bar is the import's progress),
 * then prints the result's summary, totals, the first exceptions and the proposed adjustments.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Reconcile a settlement report or bank statement against the ledger.")
final class ReconcileCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    PaymentsCommand.Target target;

    @Parameters(paramLabel = "FILE", description = "the statement: CSV, camt.053 XML or a NACHA return file")
    Path file;

    @Option(names = "--merchant-account", required = true, paramLabel = "ID",
        description = "the merchant account (processor or payout rail) the statement is about")
    String merchantAccount;

    @Option(names = "--format", description = "generic, mapped, epoch_dataplus, camt053 or nacha_returns "
        + "(default: camt053 for .xml, nacha_returns for .ach, else generic)")
    String format;

    @Option(names = "--amount-tolerance", paramLabel = "MINOR", description = "amount tolerance in minor units (default 0)")
    Long amountTolerance;

    @Option(names = "--amount-tolerance-bp", paramLabel = "BP", description = "amount tolerance in basis points (default 0)")
    Integer amountToleranceBp;

    @Option(names = "--date-tolerance-days", paramLabel = "DAYS", description = "date tolerance in days (default 3)")
    Integer dateToleranceDays;

    @Option(names = "--bank-account", paramLabel = "PARTY", description = "the bank account (IBAN or routing:account)")
    String bankAccount;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "sending the same file again with it answers the"
        + " first result (default: a key from the file's SHA-256 and the parameters)")
    String idempotencyKey;

    @Option(names = "--show", defaultValue = "20", paramLabel = "N", description = "exceptions listed per section (default 20)")
    int show;

    @Option(names = "--strict", description = "exit 1 when anything differs or is unmatched")
    boolean strict;

    @Option(names = "--json", description = "print the reconciliation document as JSON instead of the summary")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("fanz reconcile: no file " + file);
            return FanzCommand.BAD_USAGE;
        }
        String chosen = format != null ? format : defaultFormat(file);
        StringBuilder path = new StringBuilder("/v1/reconciliations?merchant_account_id=")
            .append(encode(merchantAccount)).append("&format=").append(encode(chosen));
        append(path, "amount_tolerance", amountTolerance);
        append(path, "amount_tolerance_bp", amountToleranceBp);
        append(path, "date_tolerance_days", dateToleranceDays);
        append(path, "bank_account", bankAccount);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", idempotencyKey != null ? idempotencyKey : defaultKey(path.toString()));
        long size = Files.size(file);
        ProgressBar bar = new ProgressBar(System.err, Terminal.isInteractive(), "bytes");
        long started = System.nanoTime();
        bar.start(size);
        long[] last = new long[2];
        JsonNode result = target.client().postFile(path.toString(), file, contentType(chosen), headers, (bytes, lines) -> {
            last[0] = bytes;
            last[1] = lines;
            bar.update(bytes, rate(lines, started));
        });
        bar.finish(last[0], String.format(Locale.ROOT, "%,d lines sent; the reconciliation answered after %.1f s", last[1],
            (System.nanoTime() - started) / 1e9));
        if (json) {
            System.out.println(AdminClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            print(result);
        }
        JsonNode summary = result.path("summary");
        boolean clean = summary.path("differing").asLong() == 0 && summary.path("unmatched_ledger").asLong() == 0
            && summary.path("unmatched_statement").asLong() == 0;
        return strict && !clean ? FanzCommand.FAILED : 0;
    }

    private void print(JsonNode result) {
        JsonNode summary = result.path("summary");
        System.out.println("reconciliation " + result.path("id").asText() + " (" + result.path("format").asText() + ", "
            + summary.path("statement_lines").asLong() + " lines)");
        System.out.printf("  matched %d, differing %d, unmatched in the ledger %d, unmatched on the statement %d, "
                + "adjustments proposed %d%n", summary.path("matched").asLong(), summary.path("differing").asLong(),
            summary.path("unmatched_ledger").asLong(), summary.path("unmatched_statement").asLong(),
            summary.path("adjustments").asLong());
        result.path("totals").properties().forEach(entry -> {
            JsonNode totals = entry.getValue();
            System.out.printf("  %s: statement %s in %d lines, ledger %s in %d items, matched %s%n", entry.getKey(),
                totals.path("statement_amount").asText(), totals.path("statement_lines").asLong(),
                totals.path("ledger_amount").asText(), totals.path("ledger_items").asLong(),
                totals.path("matched_amount").asText());
        });
        result.path("warnings").forEach(warning -> System.out.println("  warning: " + warning.asText()));
        list(result, "differing", entry -> "lines " + entry.path("lines") + " " + entry.path("fields") + " statement "
            + entry.path("statement").path("amount").asText() + "/" + entry.path("statement").path("fee").asText()
            + " ledger " + entry.path("ledger").path("amount").asText() + "/" + entry.path("ledger").path("fee").asText());
        list(result, "unmatched_statement", entry -> "line " + entry.path("line").asLong() + " '"
            + entry.path("reference").asText() + "' " + entry.path("amount").asText() + " " + entry.path("currency").asText()
            + ": " + entry.path("reason").asText());
        list(result, "unmatched_ledger", entry -> "'" + entry.path("reference").asText() + "' " + entry.path("amount").asText()
            + " " + entry.path("currency").asText() + " on " + entry.path("date").asText());
        JsonNode adjustments = result.path("proposed_adjustments");
        if (!adjustments.isEmpty()) {
            System.out.println("  proposed adjustments (approve with POST /v1/reconciliations/" + result.path("id").asText()
                + "/approve):");
            adjustments.forEach(adjustment -> System.out.println("    " + adjustment.path("id").asText() + " "
                + adjustment.path("reason").asText() + " " + adjustment.path("amount").asText() + " "
                + adjustment.path("currency").asText() + " (" + adjustment.path("status").asText() + ")"));
        }
    }

    private void list(JsonNode result, String section, java.util.function.Function<JsonNode, String> line) {
        JsonNode entries = result.path(section);
        if (entries.isEmpty() || show <= 0) {
            return;
        }
        System.out.println("  " + section.replace('_', ' ') + ":");
        int shown = 0;
        for (JsonNode entry : entries) {
            if (shown++ == show) {
                System.out.println("    … (GET /v1/reconciliations/" + result.path("id").asText() + "/entries?section="
                    + section + " for all)");
                break;
            }
            System.out.println("    " + line.apply(entry));
        }
    }

    private static String rate(long lines, long started) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return String.format(Locale.ROOT, "%,d lines, %,.0f lines/s", lines, lines / seconds);
    }

    /**
     * The file's own key when none is given: the same file and parameters sent again (a retry after a timeout, say)
     * answer the first reconciliation instead of making a second.
     */
    private String defaultKey(String request) throws java.io.IOException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(request.getBytes(StandardCharsets.UTF_8));
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return "fanz-reconcile-" + java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 40);
    }

    static String defaultFormat(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return "camt053";
        }
        return name.endsWith(".ach") ? "nacha_returns" : "generic";
    }

    private static String contentType(String format) {
        return switch (format) {
            case "camt053" -> "application/xml";
            case "nacha_returns" -> "text/plain";
            default -> "text/csv";
        };
    }

    private static void append(StringBuilder path, String name, Object value) {
        if (value != null) {
            path.append('&').append(name).append('=').append(encode(value.toString()));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
