package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.server.TestServer;

/**
 * The load generator against a real server on a free port (a fresh one per test: a workload's ids are fixed
 * by its seed), over both transports, with validation.
 */
class LedgerLoadEndToEndTest {
    @TempDir
    Path dataDirectory;
    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(dataDirectory);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String[] args(String transport, long seed, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--url", server.base().toString(),
            "--api-key", TestServer.ADMIN_KEY, "--transport", transport, "--seed", Long.toString(seed),
            "--account-count", "200", "--transfer-count", "20000", "--transfer-batch-size", "1000", "--clients", "2",
            "--query-count", "200", "--query-limit", "100", "--server-pid", Long.toString(ProcessHandle.current().pid())));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void binaryRunCreatesEveryTransferAndValidates() {
        LoadOutput run = LoadOutput.run(args("binary", 1, "--validate", "--transfer-pending", "0.2"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        run.hasTigerBeetleLines();
        assertThat(run.out).contains("20 batches in ", "transfer batch size = 1000 txs", "validated 200 accounts",
            "validated 20000 transfers").containsPattern("(?m)^server rss = \\d+ MiB \\(peak \\d+ MiB\\)$");
        Workload workload = new LoadOptions(200, AccountDistribution.UNIFORM, 20_000, 1000, 0.2, 2, IdOrder.SEQUENTIAL,
            true, 1, 1, 0, 0, 1).workload();
        assertBalancesMatchANaiveFold(workload);
    }

    @Test
    void singleTransfersFromManyThreadsThroughTheClientAreEachCreatedAndValidate() {
        LoadOutput run = LoadOutput.run(args("binary", 3, "--validate", "--transfer-count", "3000",
            "--single-transfer-threads", "32", "--linger-micros", "500", "--batches-in-flight", "2"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        assertThat(run.out).contains("3000 single transfers from 32 threads in ", "validated 200 accounts",
            "validated 3000 transfers").containsPattern("(?m)^load accepted = \\d+ tx/s$")
            .containsPattern("(?m)^transfer latency p99 = \\d+\\.\\d\\d ms$").doesNotContain("batch latency");
        assertBalancesMatchANaiveFold(new Workload(3, 200, AccountDistribution.UNIFORM, 3000, 0, IdOrder.SEQUENTIAL, 1));

        LoadOutput twoPhase = LoadOutput.run(args("binary", 4, "--single-transfer-threads", "8", "--transfer-pending", "0.1"));
        assertThat(twoPhase.exitStatus).as(twoPhase.toString()).isEqualTo(2);
        assertThat(twoPhase.err).contains("--transfer-pending needs whole batches");
    }

    @Test
    void singleTransfersFromVirtualThreadsWhereTheJvmHasThemAndAClearRefusalWhereItDoesNot() {
        LoadOutput run = LoadOutput.run(args("binary", 13, "--validate", "--transfer-count", "1000",
            "--single-transfer-threads", "16", "--caller-threads", "virtual"));
        if (Runtime.version().feature() >= 21) {
            assertThat(run.exitStatus).as(run.toString()).isZero();
            assertThat(run.out).contains("1000 single transfers from 16 virtual threads in ", "validated 1000 transfers");
            assertBalancesMatchANaiveFold(new Workload(13, 200, AccountDistribution.UNIFORM, 1000, 0, IdOrder.SEQUENTIAL, 1));
        } else {
            assertThat(run.exitStatus).as(run.toString()).isEqualTo(2);
            assertThat(run.err).contains("--caller-threads virtual needs JDK 21 or newer (this is "
                + Runtime.version().feature() + ")");
        }

        LoadOutput unknown = LoadOutput.run(args("binary", 14, "--single-transfer-threads", "8", "--caller-threads", "green"));
        assertThat(unknown.exitStatus).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err).contains("--caller-threads: platform or virtual, got green");
        LoadOutput batches = LoadOutput.run(args("binary", 14, "--caller-threads", "virtual"));
        assertThat(batches.exitStatus).as(batches.toString()).isEqualTo(2);
        assertThat(batches.err).contains("--caller-threads applies to --single-transfer-threads");
    }

    @Test
    void aRateSendsTheBatchesOnTheirScheduleAndTheRunValidates() {
        // 20 batches of 1,000 at 8,000 a second: the last is due 19 × 0.125 s after the start, so the run takes at
        // least 2.375 s whatever the machine; unpaced, the same run takes a fraction of that.
        LoadOutput run = LoadOutput.run(args("binary", 15, "--validate", "--rate", "8000"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        run.hasTigerBeetleLines();
        assertThat(run.out).contains("target rate = 8000 tx/s (batches on a schedule; latency from each batch's scheduled"
            + " time)", "validated 20000 transfers").containsPattern("(?m)^batches sent late \\(over 1 ms after their"
            + " time\\) = \\d+ of 20$");
        Matcher seconds = Pattern.compile("(?m)^20 batches in (\\d+\\.\\d\\d) s$").matcher(run.out);
        assertThat(seconds.find()).as(run.out).isTrue();
        assertThat(Double.parseDouble(seconds.group(1))).isGreaterThanOrEqualTo(2.37);
        Matcher accepted = Pattern.compile("(?m)^load accepted = (\\d+) tx/s$").matcher(run.out);
        assertThat(accepted.find()).isTrue();
        assertThat(Long.parseLong(accepted.group(1))).isLessThanOrEqualTo(8_500);
        assertBalancesMatchANaiveFold(new Workload(15, 200, AccountDistribution.UNIFORM, 20_000, 0, IdOrder.SEQUENTIAL, 1));

        assertRefused("--rate: 0 (off) or transfers a second up to 100000000, got -1", args("binary", 16, "--rate", "-1"));
        assertRefused("--rate paces whole batches; not with --single-transfer-threads",
            args("binary", 16, "--rate", "1000", "--single-transfer-threads", "4"));
    }

    @Test
    void aLatencyLogHoldsEveryBatchInTheOrderSentWithTheirScheduleUnderARate() throws Exception {
        Path log = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-latencies.csv");
        try {
            // 20 batches of 1,000 at 8,000 a second from two clients: due every 125 ms from the first.
            LoadOutput run = LoadOutput.run(args("binary", 17, "--rate", "8000", "--latency-log", log.toString()));
            assertThat(run.exitStatus).as(run.toString()).isZero();
            List<String> lines = java.nio.file.Files.readAllLines(log);
            assertThat(lines.get(0)).isEqualTo("client,sent_ms,latency_ms");
            assertThat(lines).hasSize(21);
            double previous = -1;
            double first = Double.parseDouble(lines.get(1).split(",")[1]);
            assertThat(first).as("the first is due once it is ready, soon after the start").isBetween(0.0, 2_000.0);
            java.util.Set<String> clients = new java.util.HashSet<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] row = lines.get(i).split(",");
                clients.add(row[0]);
                double sent = Double.parseDouble(row[1]);
                assertThat(sent).as("row %d in the order sent, on its schedule", i).isGreaterThanOrEqualTo(previous)
                    .isCloseTo(first + (i - 1) * 125.0, org.assertj.core.data.Offset.offset(1.0));
                assertThat(Double.parseDouble(row[2])).as("a latency").isPositive();
                previous = sent;
            }
            assertThat(clients).containsExactlyInAnyOrder("0", "1");
            assertRefused("--latency-log records whole batches; not with --single-transfer-threads",
                args("binary", 18, "--latency-log", log.toString(), "--single-transfer-threads", "4"));
            LoadOutput unwritable = LoadOutput.run(args("binary", 18, "--latency-log",
                dataDirectory.resolve("no/such/dir/latencies.csv").toString()));
            assertThat(unwritable.exitStatus).as(unwritable.toString()).isNotZero();
            assertThat(unwritable.err).contains("latencies.csv");
            assertThat(unwritable.out).as("failed before the load").doesNotContain("batches in");
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    /** The run is refused as a usage error (exit status 2) with this message, before anything is sent. */
    private static void assertRefused(String message, String... args) {
        LoadOutput run = LoadOutput.run(args);
        assertThat(run.exitStatus).as(run.toString()).isEqualTo(2);
        assertThat(run.err).contains(message);
    }

    @Test
    void watchingTheLagOfAServerWithoutAReadModelIsRefusedBeforeAnythingIsSent() {
        LoadOutput run = LoadOutput.run(args("binary", 17, "--watch-lag"));
        assertThat(run.exitStatus).as(run.toString()).isEqualTo(1);
        assertThat(run.err).contains("--watch-lag: " + server.base() + "/metrics has no fanz_readmodel_lag_seconds or"
            + " fanz_readmodel_lag_commands — is the server's read model on?");
        assertThat(run.out).as("refused before anything is sent").doesNotContain("accounts created");
        assertRefused("--watch-lag reads the ledger server's read model (not with --target postgres)",
            "--target", "postgres", "--watch-lag", "--transfer-count", "10");
    }

    @Test
    void singleTransfersThroughTheJdkHttpClientToo() {
        LoadOutput jdk = LoadOutput.run(args("binary", 5, "--validate", "--transfer-count", "1000",
            "--single-transfer-threads", "8", "--client-http", "jdk"));
        assertThat(jdk.exitStatus).as(jdk.toString()).isZero();
        assertThat(jdk.out).contains("1000 single transfers from 8 threads in ", "validated 1000 transfers");
        assertBalancesMatchANaiveFold(new Workload(5, 200, AccountDistribution.UNIFORM, 1000, 0, IdOrder.SEQUENTIAL, 1));

        LoadOutput unknown = LoadOutput.run(args("binary", 6, "--single-transfer-threads", "8", "--client-http", "curl"));
        assertThat(unknown.exitStatus).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err).contains("--client-http: sockets or jdk, got curl");
    }

    @Test
    void batchesThroughTheJdkHttpClientToo() {
        LoadOutput batches = LoadOutput.run(args("json", 7, "--validate", "--transfer-count", "5000",
            "--transfer-batch-size", "700", "--client-http", "jdk"));
        assertThat(batches.exitStatus).as(batches.toString()).isZero();
        batches.hasTigerBeetleLines();
        assertThat(batches.out).contains("8 batches in ", "validated 200 accounts", "validated 5000 transfers");
        assertBalancesMatchANaiveFold(new Workload(7, 200, AccountDistribution.UNIFORM, 5000, 0, IdOrder.SEQUENTIAL, 1));
    }

    @Test
    void jsonRunWithZipfianAndRandomIdsValidates() {
        LoadOutput run = LoadOutput.run(args("json", 2, "--validate", "--account-distribution", "zipfian",
            "--id-order", "random", "--tenant", "pupfanz"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        run.hasTigerBeetleLines();
        assertThat(run.out).contains("validated 200 accounts", "validated 20000 transfers");
    }

    @Test
    void aKeyLimitedToOneTenantRunsInThatTenantAndNoOther() {
        String key = server.createKey("load", "[\"ledger:write\",\"ledger:read\"]", "[\"girlfanz\"]");
        LoadOutput refused = LoadOutput.run(args("binary", 6, "--api-key", key, "--tenant", "pupfanz"));
        assertThat(refused.exitStatus).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err).contains("403");

        LoadOutput run = LoadOutput.run(args("binary", 6, "--api-key", key, "--tenant", "girlfanz",
            "--transfer-count", "2000", "--validate"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        assertThat(run.out).contains("validated 200 accounts", "validated 2000 transfers");
        Workload workload = new Workload(6, 200, AccountDistribution.UNIFORM, 2000, 0, IdOrder.SEQUENTIAL, 1);
        assertThat(server.get("/v1/accounts/" + workload.accountId(0), TestServer.ADMIN_KEY).json().path("tenant")
            .asText()).isEqualTo("girlfanz");
    }

    @Test
    void aTransferThatIsNotCreatedFailsTheRun() {
        plantConflictingTransfer(new Workload(3, 200, AccountDistribution.UNIFORM, 20_000, 0, IdOrder.SEQUENTIAL, 1), 12_345);
        LoadOutput run = LoadOutput.run(args("binary", 3));
        assertThat(run.exitStatus).as(run.toString()).isEqualTo(1);
        assertThat(run.err).contains("transfer 12345 was not created: exists_with_different_debit_account_id");
        assertThat(run.out).doesNotContain("load accepted");
    }

    @Test
    void binaryAnswersOfFailuresOnlyRunAndValidate() {
        LoadOutput binary = LoadOutput.run(args("binary", 8, "--validate", "--results", "failures"));
        assertThat(binary.exitStatus).as(binary.toString()).isZero();
        binary.hasTigerBeetleLines();
        assertThat(binary.out).contains("20 batches in ", "validated 20000 transfers");
        assertBalancesMatchANaiveFold(new Workload(8, 200, AccountDistribution.UNIFORM, 20_000, 0, IdOrder.SEQUENTIAL, 1));
    }

    @Test
    void jsonAnswersOfFailuresOnlyRunAndValidate() {
        LoadOutput json = LoadOutput.run(args("json", 9, "--validate", "--transfer-count", "5000", "--results", "failures"));
        assertThat(json.exitStatus).as(json.toString()).isZero();
        assertThat(json.out).contains("validated 5000 transfers");
        assertBalancesMatchANaiveFold(new Workload(9, 200, AccountDistribution.UNIFORM, 5000, 0, IdOrder.SEQUENTIAL, 1));
    }

    @Test
    void aFailureInAnAnswerOfFailuresOnlyFailsTheRun() {
        plantConflictingTransfer(new Workload(10, 200, AccountDistribution.UNIFORM, 20_000, 0, IdOrder.SEQUENTIAL, 1), 4_321);
        LoadOutput failed = LoadOutput.run(args("binary", 10, "--results", "failures"));
        assertThat(failed.exitStatus).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err).contains("1 transfers of the batch were not created; transfer 4321:"
            + " exists_with_different_debit_account_id");

        assertRefused("--results: all or failures, got some", args("binary", 11, "--results", "some"));
        assertRefused("--results failures applies to whole batches",
            args("binary", 12, "--results", "failures", "--single-transfer-threads", "8"));
    }

    @Test
    void validationFailsWhenTheLedgerHoldsSomethingTheGeneratorDidNotSend() throws Exception {
        LoadOutput run = LoadOutput.run(args("binary", 4, "--query-count", "0"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        Workload workload = new Workload(4, 200, AccountDistribution.UNIFORM, 20_000, 0, IdOrder.SEQUENTIAL, 1);
        Uint128 stray = Uint128.of(0x57a7, 1);
        try (LedgerClient client = LedgerClient.builder(server.base(), TestServer.ADMIN_KEY).build()) {
            assertThat(client.createTransfers(List.of(Transfer.of(stray, workload.accountId(0), workload.accountId(1),
                77, 1, 1))).get(0).status().wireName()).isEqualTo("created");
        }
        ValidationReport report = new ValidationReport();
        try (LedgerHttpTarget target = new LedgerHttpTarget(server.base(), TestServer.ADMIN_KEY, "girlfanz",
            Transport.BINARY, false)) {
            target.validate(workload, BalanceFold.of(workload), report);
        }
        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.problems())).contains("account 0 debits_posted is",
            "account 1 credits_posted is", "which the workload never sent");
    }

    @Test
    void refusesABatchLargerThanTheApiAllows() {
        LoadOutput run = LoadOutput.run(args("binary", 5, "--transfer-batch-size", "8190"));
        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).contains("--transfer-batch-size: 1..8189");
    }

    /**
     * Creates, before the run, a transfer with the id the workload will give transfer {@code transferIndex} but between
     * two accounts of its own: the run's transfer then answers {@code exists_with_different_debit_account_id}.
     */
    private void plantConflictingTransfer(Workload workload, long transferIndex) {
        try (LedgerClient client = LedgerClient.builder(server.base(), TestServer.ADMIN_KEY).build()) {
            Uint128 left = Uint128.of(0x5eed, 1);
            Uint128 right = Uint128.of(0x5eed, 2);
            client.createAccounts(List.of(Account.of(left, 1, 1), Account.of(right, 1, 1)));
            client.createTransfers(List.of(Transfer.of(workload.transferId(transferIndex), left, right, 1, 1, 1)));
        }
    }

    /** Every account's balances against a fold computed here from the transfers themselves. */
    private void assertBalancesMatchANaiveFold(Workload workload) {
        long[] debitsPosted = new long[workload.accountCount()];
        long[] creditsPending = new long[workload.accountCount()];
        for (long i = 0; i < workload.transferCount(); i++) {
            Transfer transfer = workload.transfer(i);
            if (transfer.flags() == 0) {
                debitsPosted[workload.accountIndexOf(transfer.debitAccountId())] += transfer.amount();
            } else {
                creditsPending[workload.accountIndexOf(transfer.creditAccountId())] += transfer.amount();
            }
        }
        try (LedgerClient client = LedgerClient.builder(URI.create(server.base().toString()), TestServer.ADMIN_KEY)
            .build()) {
            for (int i = 0; i < workload.accountCount(); i++) {
                Account account = client.lookupAccount(workload.accountId(i)).orElseThrow();
                assertThat(account.debitsPosted()).isEqualTo(debitsPosted[i]);
                assertThat(account.creditsPending()).isEqualTo(creditsPending[i]);
            }
        }
    }
}
