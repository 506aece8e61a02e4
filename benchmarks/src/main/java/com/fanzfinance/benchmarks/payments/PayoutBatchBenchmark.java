package com.fanzfinance.benchmarks.payments;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.payouts.ach.NachaDocument;
import com.fanzfinance.payouts.ach.NachaReader;

/**
 * The payouts benchmark (issue #15): a real server in this JVM with the durable journal, the read model and
 * payments on PostgreSQL. Setup, not measured: a tenant, an ACH rail account, one creator per payout with
 * earnings from a signed Verotel sale, and a verified payee each. Measured: the payout requests (each holds money in
 * the ledger) from concurrent clients, one batch of all of them (traces, the NACHA file, every payout batched, in one
 * transaction), the file's download, and the submission. Then checked: every payout is submitted, the file (read by
 * the NACHA reader) carries each once with its amount, and each creator's earnings are exactly available plus held.
 */
@Command(name = "payout-batch-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures payout requests per second and the time to batch, download and submit a NACHA file.")
public final class PayoutBatchBenchmark implements Callable<Integer> {
    static final String TENANT = "girlfanz";
    private static final long SALE = 5_000;
    private static final long CREATOR_SHARE = 4_000;
    private static final long PAYOUT = 3_000;
    private static final long FEE = 25;

    @Option(names = "--payouts", description = "payouts (and creators) in the batch; default ${DEFAULT-VALUE}")
    int payouts = 5_000;
    @Option(names = "--concurrency", description = "requesting threads; default ${DEFAULT-VALUE}")
    int concurrency = 16;
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
        PayoutBatchBenchmark command = new PayoutBatchBenchmark();
        command.out = out;
        return BenchmarkCommands.execute(command, "payout-batch-benchmark", out, err, args);
    }

    @Override
    public Integer call() throws Exception {
        if (payouts < 1 || payouts > 5_000 || concurrency < 1) {
            throw new IllegalArgumentException("--payouts is 1..5000 (FANZ_PAYOUT_BATCH_MAX), --concurrency positive");
        }
        try (IntakeServer server = IntakeServer.start(dbUrl, IntakeBenchmark.PLATFORM_BP, keep)) {
            out.println(server.describe());
            PaymentsApi api = new PaymentsApi(server.base(), server.adminKey());
            long started = System.nanoTime();
            Setup setup = setUp(api, server.adminKey());
            out.printf(Locale.ROOT, "setup: %d creators with a %s sale each and a verified ACH payee in %.1f s%n", payouts,
                VerotelPostbacks.decimal(SALE), seconds(started));

            started = System.nanoTime();
            List<String> ids = parallel(payouts, index -> PaymentsApi.require(api.postJson("/v1/payouts", setup.key(),
                "{\"payee_id\":\"" + setup.payees().get(index) + "\",\"amount\":\"" + PAYOUT + "\",\"currency\":\"USD\"}",
                "Idempotency-Key", "bench-" + index), 201).json().path("id").asText());
            double requestSeconds = seconds(started);
            out.printf(Locale.ROOT, "requests: %d payouts held in %.2f s = %.0f/s (%d threads)%n", ids.size(), requestSeconds,
                ids.size() / requestSeconds, concurrency);

            started = System.nanoTime();
            JsonNode batch = PaymentsApi.require(api.postJson("/v1/payout-batches", setup.key(),
                "{\"rail\":\"ach\",\"merchant_account_id\":\"" + setup.railAccount() + "\"}"), 201).json();
            out.printf(Locale.ROOT, "batch: %d payouts batched and the NACHA file written in %.2f s%n",
                batch.path("count").asInt(), seconds(started));
            String batchId = batch.path("id").asText();
            started = System.nanoTime();
            PaymentsApi.Answer file = PaymentsApi.require(api.get("/v1/payout-batches/" + batchId + "/file", setup.key()), 200);
            out.printf(Locale.ROOT, "file: %d bytes downloaded in %.3f s%n", file.body().length(), seconds(started));
            started = System.nanoTime();
            PaymentsApi.require(api.postJson("/v1/payout-batches/" + batchId + "/submit", setup.key(), ""), 200);
            out.printf(Locale.ROOT, "submit: the batch and its payouts submitted in %.2f s%n", seconds(started));

            List<String> problems = validate(api, setup, ids, file.body());
            if (!problems.isEmpty()) {
                out.println("validation failed: " + problems.size() + " problems");
                problems.stream().limit(20).forEach(problem -> out.println("  " + problem));
                return 1;
            }
            out.printf(Locale.ROOT, "validated: %d payouts submitted, each once in the file with its amount; %d creators'"
                + " earnings = available + held%n", ids.size(), payouts);
            return 0;
        }
    }

    /** The benchmark's objects: the payouts key, the ACH account and one payee per creator, in creator order. */
    record Setup(String key, String railAccount, List<String> payees) {
    }

    private Setup setUp(PaymentsApi api, String adminKey) throws Exception {
        api.createTenant(TENANT);
        String platform = api.createPlatformKey(TENANT);
        String key = PaymentsApi.require(api.postJson("/v1/admin/keys", adminKey, """
            {"name":"payout-benchmark","scopes":["payouts:read","payouts:write","payouts:admin","compliance:write",
             "payments:read"],"tenants":["%s"]}""".formatted(TENANT)), 201).json().path("key").asText();
        String verotel = api.createVerotelAccount(TENANT, "122965", "payout-benchmark-key", new ExpectedLedger.Fees(0, 0, 0));
        String rail = PaymentsApi.require(api.postJson("/v1/merchant-accounts", adminKey, """
            {"tenant":"%s","processor":"ach","name":"ACH (benchmark)","currencies":["USD"],"settings":{
             "immediate_destination":"231380104","immediate_destination_name":"FEDERAL RESERVE","immediate_origin":"121042882",
             "immediate_origin_name":"GIRLFANZ","company_name":"GIRLFANZ","company_identification":"1234567890",
             "odfi_identification":"12104288"},"payout":{"fee":"%d"}}""".formatted(TENANT, FEE)), 201).json().path("id").asText();
        VerotelPostbacks postbacks = new VerotelPostbacks("payout-benchmark-key", "122965");
        List<String> payees = parallel(payouts, index -> {
            String creator = creator(index);
            try {
                String checkout = api.openCheckout(platform, TENANT, creator, SALE);
                PaymentsApi.require(api.postback(verotel, postbacks.sale("t" + index, SALE, checkout)), 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            String payee = PaymentsApi.require(api.postJson("/v1/payees", key, """
                {"tenant":"%s","creator":"%s","name":"Creator %d","country":"US","currency":"USD","rail":"ach",
                 "rail_details":{"routing_number":"231380104","account_number":"%d"}}""".formatted(TENANT, creator, index,
                100_000 + index)), 201).json().path("id").asText();
            PaymentsApi.require(api.putJson("/v1/payees/" + payee + "/compliance", key,
                "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}"), 200);
            return payee;
        });
        return new Setup(key, rail, payees);
    }

    private List<String> validate(PaymentsApi api, Setup setup, List<String> ids, String file) throws Exception {
        List<String> problems = new ArrayList<>();
        NachaDocument document = NachaReader.read(file);
        java.util.Map<String, Long> amounts = new java.util.HashMap<>();
        document.batches().forEach(batch -> batch.entries().forEach(entry -> amounts.merge(entry.traceNumber(),
            entry.amountCents(), (a, b) -> -1L)));
        for (String id : ids) {
            JsonNode payout = read(api, "/v1/payouts/" + id, setup.key());
            if (!payout.path("status").asText().equals("submitted")) {
                problems.add("payout " + id + " is " + payout.path("status").asText());
            }
            Long amount = amounts.get(payout.path("rail_reference").asText());
            if (amount == null || amount != PAYOUT) {
                problems.add("payout " + id + " is in the file " + (amount == null ? "not at all" : "with " + amount));
            }
        }
        if (amounts.size() != ids.size()) {
            problems.add("the file has " + amounts.size() + " entries for " + ids.size() + " payouts");
        }
        for (int index = 0; index < payouts; index++) {
            JsonNode balance = read(api, "/v1/creators/" + TENANT + "/" + creator(index) + "/balances", setup.key())
                .path("balances").path(0);
            long available = balance.path("available").asLong(-1);
            long held = balance.path("held_for_payouts").asLong(-1);
            if (available != CREATOR_SHARE - PAYOUT - FEE || held != PAYOUT + FEE) {
                problems.add(creator(index) + ": available " + available + ", held " + held);
            }
        }
        return problems;
    }

    /** A GET the validation makes, waiting out the key's rate limit (validation is not measured). */
    private static JsonNode read(PaymentsApi api, String path, String key) throws InterruptedException {
        while (true) {
            PaymentsApi.Answer answer = api.get(path, key);
            if (answer.status() != 429) {
                return PaymentsApi.require(answer, 200).json();
            }
            Thread.sleep(50);
        }
    }

    private static String creator(int index) {
        return "c_" + index;
    }

    private <T> List<T> parallel(int count, IntFunction<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
