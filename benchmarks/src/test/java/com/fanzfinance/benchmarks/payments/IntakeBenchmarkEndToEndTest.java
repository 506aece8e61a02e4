package com.fanzfinance.benchmarks.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fanzfinance.server.TestDatabase;

/**
 * The benchmark against a real server and the test PostgreSQL: a small mixed run passes its own validation,
 * and the validation fails when the ledger does not hold what the workload should have left.
 */
class IntakeBenchmarkEndToEndTest {

    @Test
    void aSmallMixedRunIsMeasuredAndValidated() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IntakeBenchmark.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "--db-url", TestDatabase.url(), "--mix", "mixed",
            "--notifications", "400", "--warmup", "200", "--concurrency", "8", "--creators", "20", "--seed", "5");
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output).contains("server: durability fsync, mapped stores true, read model + payments in")
            .containsPattern("(?m)^measured: 400 notifications \\(\\d+ sales, [1-9]\\d* duplicates, [1-9]\\d* refunds\\)")
            .containsPattern("(?m)^intake = \\d+ notifications/s")
            .containsPattern("(?m)^CPU per notification: JVM \\(server and senders\\) [\\d.]+ ms, its PostgreSQL backends"
                + " [\\d.]+ ms; cores busy")
            .containsPattern("(?m)^notification latency p99 = [\\d.]+ ms$")
            .containsPattern("(?m)^validated 600 notifications .*; 23 ledger balances exact$");
    }

    @Test
    void validationFailsWhenTheLedgerDiffersFromTheWorkload() throws Exception {
        IntakeWorkload workload = IntakeWorkload.of(300, 10, IntakeWorkload.Mix.MIXED, 32, 11);
        try (IntakeServer server = IntakeServer.start(TestDatabase.url(), IntakeBenchmark.PLATFORM_BP, false)) {
            PaymentsApi api = new PaymentsApi(server.base(), server.adminKey());
            IntakeSetup setup = IntakeSetup.prepare(api, workload, 4);
            IntakeDriver driver = new IntakeDriver(api, setup.merchantAccountId(), workload, setup.queries(), 8);
            assertThat(driver.run(0, workload.size()).latencies().count()).isEqualTo(300);

            ExpectedLedger right = ExpectedLedger.of(workload, IntakeBenchmark.PLATFORM_BP, IntakeSetup.FEES);
            assertThat(IntakeValidation.run(api, setup.key(), IntakeSetup.TENANT, setup.merchantAccountId(), workload,
                driver, right).problems()).isEmpty();

            ExpectedLedger wrong = ExpectedLedger.of(workload, IntakeBenchmark.PLATFORM_BP, IntakeSetup.FEES);
            wrong.creatorPayable[3] += 1;
            wrong.platformFees -= 1;
            IntakeValidation.Report report = IntakeValidation.run(api, setup.key(), IntakeSetup.TENANT,
                setup.merchantAccountId(), workload, driver, wrong);
            assertThat(report.passed()).isFalse();
            assertThat(report.problems()).hasSize(2);
            assertThat(report.problems().get(0)).startsWith("creator_payable of c_3");
            assertThat(report.problems().get(1)).startsWith("platform_fees");

            IntakeWorkload otherAmounts = IntakeWorkload.of(300, 10, IntakeWorkload.Mix.MIXED, 32, 12);
            assertThat(IntakeValidation.run(api, setup.key(), IntakeSetup.TENANT, setup.merchantAccountId(),
                otherAmounts, driver, right).problems()).anyMatch(problem -> problem.contains("has gross"));
        }
    }
}
