package com.fanzfinance.benchmarks.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fanzfinance.server.TestDatabase;

/** The reconciliation benchmark, small, in both modes: measured, and its seeded exceptions found exactly. */
class ReconciliationBenchmarkEndToEndTest {

    @Test
    void aSmallReportThroughTheServerIsMeasuredAndValidated() {
        String output = run(0, "--db-url", TestDatabase.url(), "--lines", "3000");
        assertThat(output).containsPattern("(?m)^reconcile: 3,009 lines imported, matched against 3,000 events and stored in")
            .contains("validated: 2,979 matched, 15 differing (a cent off), 6 missing from the report, 3 not in the ledger");
    }

    @Test
    void theLibraryAloneFindsTheSameExceptions() {
        String output = run(0, "--mode", "library", "--lines", "3000");
        assertThat(output).containsPattern("(?m)^import: 3,009 lines in [\\d.]+ s")
            .contains("validated: 2,979 matched, 15 differing (a cent off), 6 missing from the report, 3 not in the ledger");
    }

    @Test
    void anUnknownModeIsAUsageError() {
        assertThat(run(2, "--mode", "spreadsheet")).isEmpty();
    }

    private static String run(int status, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int actual = ReconciliationBenchmark.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(actual).as(output + err.toString(StandardCharsets.UTF_8)).isEqualTo(status);
        return output;
    }
}
