package com.fanzfinance.benchmarks.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fanzfinance.server.TestDatabase;

/** The payouts benchmark against a real server and the test PostgreSQL: a small run is measured and validated. */
class PayoutBatchBenchmarkEndToEndTest {

    @Test
    void aSmallRunIsMeasuredAndValidated() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PayoutBatchBenchmark.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "--db-url", TestDatabase.url(), "--payouts", "40",
            "--concurrency", "4");
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output).containsPattern("(?m)^requests: 40 payouts held in [\\d.]+ s = \\d+/s \\(4 threads\\)$")
            .containsPattern("(?m)^batch: 40 payouts batched and the NACHA file written in [\\d.]+ s$")
            .containsPattern("(?m)^file: \\d+ bytes downloaded")
            .contains("validated: 40 payouts submitted, each once in the file with its amount; 40 creators' earnings"
                + " = available + held");
    }

    @Test
    void moreThanABatchHoldsIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PayoutBatchBenchmark.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "--payouts", "5001");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--payouts is 1..5000");
    }
}
