package com.fanzfinance.server.payments;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of the server between storing a notification and posting it: after the restart it is posted exactly
 * once. A real server process on a real port takes signed Verotel sale postbacks from several clients and is
 * killed while they arrive; after each restart the sweep must post what the crash left {@code received}, and the
 * processor redelivers every postback it ever sent (it cannot know which were stored). In the end each
 * transaction has exactly one posted sale, every other delivery is a duplicate of it, and the ledger's balances
 * are the sum of the sales' splits, each counted once. {@code -Dpayments.crash.kills=N} sets the kills
 * (default 3), {@code -Dpayments.crash.seed} the amounts and kill points.
 */
class PaymentsCrashEndToEndTest {
    private static final int SALES = 300;
    private static final int CLIENTS = 4;
    private static final int USD = 840;
    private static final int PLATFORM_BP = 2000;
    private static final int PROCESSOR_PERCENT_BP = 1000;
    private static final long PROCESSOR_FIXED = 30;
    private static final List<String> CREATORS = List.of("c_ada", "c_bo", "c_cy", "c_dee", "c_eve");
    private static final String ADMIN = TestServer.ADMIN_KEY;

    /** One sale as the processor knows it: its checkout, transaction and signed postback. */
    private record Sale(String transactionId, String creator, long gross, String checkoutId, String query) {
    }

    /** One delivery of a postback and what the server answered (status 0: no answer, the server went away). */
    private record Delivery(Sale sale, int status, String eventId) {
        boolean acknowledged() {
            return status == 200;
        }
    }

    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final List<Instant> kills = new ArrayList<>();
    /** Events a kill left {@code received}, as found by the first look after the restart. */
    private final List<String> leftReceived = new ArrayList<>();
    private final long started = System.nanoTime();

    @Test
    void aNotificationStoredButNotPostedWhenTheServerIsKilledIsPostedExactlyOnce(@TempDir Path data) throws Exception {
        int rounds = Integer.getInteger("payments.crash.kills", 3);
        long seed = Long.getLong("payments.crash.seed", System.nanoTime());
        System.out.printf("payments crash: %d kill(s), seed %d (-Dpayments.crash.seed repeats the kill points)%n", rounds, seed);
        Random random = new Random(seed);
        String schema = TestDatabase.freshSchema("paycrash");
        phase("schema " + schema);
        PaymentsCrashServer server = PaymentsCrashServer.start(data, schema);
        phase("started");
        try {
            String merchantAccount = setUp(server);
            List<Sale> sales = openCheckouts(server, merchantAccount, random);
            phase("checkouts opened");
            List<Sale> sent = new ArrayList<>();
            int next = 0;
            for (int round = 0; round < rounds; round++) {
                int end = Math.min(sales.size(), next + Math.max(40, (sales.size() - next) / (rounds - round)));
                List<Sale> slice = sales.subList(next, end);
                int reached = deliverAndKill(server, merchantAccount, slice, random);
                sent.addAll(slice.subList(0, reached));
                next += reached;
                phase("killed");
                report(server.warnings());
                server = PaymentsCrashServer.start(data, schema);
                phase("restarted");
                awaitNothingLeftReceived(server);
                phase("nothing received");
                // The processor saw no 200 for some, or a 200 it lost: it sends every postback again.
                deliverAll(server, merchantAccount, sent);
                phase("redelivered " + sent.size());
            }
            // What the kills kept from being sent at all goes now.
            deliverAll(server, merchantAccount, sales.subList(next, sales.size()));
            phase("delivered the rest");
            checkExactlyOnce(server, merchantAccount, sales);
            phase("checked");
            report(server.warnings());
            server.stop();
        } finally {
            if (server.isAlive()) {
                server.kill();
            }
            TestDatabase.dropSchema(schema);
        }
    }

    private void phase(String name) {
        System.out.printf("payments crash: %s at %.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    private static void report(List<String> serverWarnings) {
        serverWarnings.forEach(line -> System.out.println("payments crash: the server said: " + line));
    }

    // ---- setting up over HTTP ---------------------------------------------------------------------------

    /** Tenant {@code girlfanz}, a platform key and a Verotel merchant account; returns the account's id. */
    private String setUp(PaymentsCrashServer server) {
        assertThat(server.mustPostJson("/v1/admin/tenants", ADMIN, "{\"slug\":\"girlfanz\"}").status()).isIn(200, 201);
        PaymentsCrashServer.Response account = server.mustPostJson("/v1/merchant-accounts", ADMIN, """
            {"tenant":"girlfanz","processor":"verotel","name":"Verotel USD","currencies":["USD"],
             "fees":{"percent_bp":%d,"fixed":"%d","chargeback":"2500","refund":"0"},
             "settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}""".formatted(PROCESSOR_PERCENT_BP,
            PROCESSOR_FIXED, PaymentsFixture.SHOP_ID, PaymentsFixture.SIGNATURE_KEY));
        assertThat(account.status()).as(account.body()).isEqualTo(201);
        return account.json().path("id").asText();
    }

    private List<Sale> openCheckouts(PaymentsCrashServer server, String merchantAccount, Random random) {
        PaymentsCrashServer.Response key = server.mustPostJson("/v1/admin/keys", ADMIN, """
            {"name":"girlfanz-platform","scopes":["payments:read","payments:write"],"tenants":["girlfanz"]}""");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String platformKey = key.json().path("key").asText();
        List<Long> amounts = new ArrayList<>();
        for (int i = 0; i < SALES; i++) {
            amounts.add(100 + (long) random.nextInt(20_000));
        }
        List<Integer> indexes = IntStream.range(0, SALES).boxed().toList();
        return parallel(indexes, index -> openCheckout(server, platformKey, merchantAccount, index, amounts.get(index)));
    }

    private static Sale openCheckout(PaymentsCrashServer server, String platformKey, String merchantAccount, int index,
                                     long gross) {
        String creator = CREATORS.get(index % CREATORS.size());
        PaymentsCrashServer.Response checkout = server.mustPostJson("/v1/checkouts", platformKey, """
            {"tenant":"girlfanz","creator":"%s","fan":"f_%d","product":"ppv","amount":"%d","currency":"USD",
             "processor":"verotel"}""".formatted(creator, index, gross));
        assertThat(checkout.status()).as(checkout.body()).isEqualTo(201);
        assertThat(checkout.json().path("merchant_account_id").asText()).isEqualTo(merchantAccount);
        String checkoutId = checkout.json().path("id").asText();
        String transaction = Long.toString(5_000_000 + index);
        String amount = BigDecimal.valueOf(gross, 2).toPlainString();
        String query = PaymentsFixture.signedQuery(PaymentsFixture.sale(transaction, amount, checkoutId),
            PaymentsFixture.SIGNATURE_KEY);
        return new Sale(transaction, creator, gross, checkoutId, query);
    }

    // ---- load, kill, restart, redeliver ---------------------------------------------------------------

    /**
     * Delivers {@code slice} from several clients and SIGKILLs the server once a random share of it has been
     * acknowledged, so that the kill lands among requests in flight. Returns how many of the slice's postbacks
     * were sent (acknowledged, cut off, or refused by the dying server); the rest were never sent.
     */
    private int deliverAndKill(PaymentsCrashServer server, String merchantAccount, List<Sale> slice, Random random)
        throws Exception {
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        int killAfter = slice.size() / 5 + random.nextInt(Math.max(1, slice.size() / 2));
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                int index;
                while ((index = claimed.getAndIncrement()) < slice.size()) {
                    Delivery delivery = deliver(server, merchantAccount, slice.get(index));
                    deliveries.add(delivery);
                    if (delivery.status() == 0) {
                        return;
                    }
                    if (delivery.acknowledged()) {
                        acknowledged.incrementAndGet();
                    }
                }
            }, "processor-" + c);
            client.start();
            clients.add(client);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.get() < killAfter && clients.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(random.nextInt(15));
        long cpuMillis = server.cpu().toMillis();
        kills.add(Instant.now());
        server.kill();
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(40));
            assertThat(client.isAlive()).isFalse();
        }
        System.out.printf("payments crash: killed after %d acknowledged of %d in the round (target %d); it had used"
            + " %d ms of CPU%n", acknowledged.get(), slice.size(), killAfter, cpuMillis);
        return Math.min(claimed.get(), slice.size());
    }

    private static Delivery deliver(PaymentsCrashServer server, String merchantAccount, Sale sale) {
        try {
            PaymentsCrashServer.Response answer = server.get("/hooks/verotel/" + merchantAccount + "?" + sale.query(), null);
            return new Delivery(sale, answer.status(), answer.eventId());
        } catch (IOException e) {
            return new Delivery(sale, 0, null);
        }
    }

    /** Delivers each of {@code sales} once, in parallel, while the server stays up: every answer must be 200. */
    private void deliverAll(PaymentsCrashServer server, String merchantAccount, List<Sale> sales) {
        for (Delivery delivery : parallel(sales, sale -> deliver(server, merchantAccount, sale))) {
            deliveries.add(delivery);
            assertThat(delivery.status()).as("answer to transaction %s", delivery.sale().transactionId()).isEqualTo(200);
        }
    }

    /** Waits for the sweep to post every event a kill left {@code received} (it takes those 5 s old and more). */
    private void awaitNothingLeftReceived(PaymentsCrashServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean first = true;
        while (true) {
            PaymentsCrashServer.Response page = server.mustGet("/v1/payment-events?status=received&limit=1000", ADMIN);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode left = page.json().path("payment_events");
            if (first) {
                left.forEach(event -> leftReceived.add(event.path("id").asText()));
                System.out.printf("payments crash: %d event(s) found received after the restart%n", left.size());
                first = false;
            }
            if (left.isEmpty()) {
                return;
            }
            assertThat(System.nanoTime()).as("events still received after 30 s: %s", page.body()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    // ---- the verdict -----------------------------------------------------------------------------------

    private void checkExactlyOnce(PaymentsCrashServer server, String merchantAccount, List<Sale> sales) {
        Map<String, Sale> byTransaction = new HashMap<>();
        sales.forEach(sale -> byTransaction.put(sale.transactionId(), sale));

        // Exactly one posted sale per transaction, as the processor sent it.
        Map<String, JsonNode> posted = new HashMap<>();
        for (JsonNode event : list(server, "/v1/payment-events?kind=sale&status=posted&limit=1000")) {
            String transaction = event.path("processor_transaction_id").asText();
            assertThat(posted.put(transaction, event)).as("a second posted sale of transaction %s", transaction).isNull();
            Sale sale = byTransaction.get(transaction);
            assertThat(sale).as("a posted sale of an unknown transaction: %s", event).isNotNull();
            assertThat(event.path("gross").asText()).isEqualTo(Long.toString(sale.gross()));
            assertThat(event.path("creator").asText()).isEqualTo(sale.creator());
            assertThat(event.path("checkout_id").asText()).isEqualTo(sale.checkoutId());
            assertThat(event.path("merchant_account_id").asText()).isEqualTo(merchantAccount);
            assertThat(event.path("transfer_ids").size()).as(event.toString()).isPositive();
        }
        assertThat(posted.keySet()).containsExactlyInAnyOrderElementsOf(byTransaction.keySet());

        // Every other stored delivery is a duplicate of that posted sale; nothing failed, nothing is left waiting.
        Map<String, JsonNode> stored = new HashMap<>();
        for (JsonNode event : list(server, "/v1/payment-events?limit=1000")) {
            stored.put(event.path("id").asText(), event);
            String transaction = event.path("processor_transaction_id").asText();
            if (event.path("status").asText().equals("posted")) {
                assertThat(posted.get(transaction).path("id").asText()).as(event.toString()).isEqualTo(event.path("id").asText());
            } else {
                assertThat(event.path("status").asText()).as(event.toString()).isEqualTo("duplicate");
                assertThat(event.path("duplicate_of").asText()).as(event.toString())
                    .isEqualTo(posted.get(transaction).path("id").asText());
            }
        }
        assertThat(deliveries).extracting(Delivery::status).as("answers (0: cut off by a kill)")
            .allMatch(status -> status == 0 || status == 200 || status == 503);
        long acknowledged = deliveries.stream().filter(Delivery::acknowledged).count();
        assertThat((long) stored.size()).isBetween(acknowledged, (long) deliveries.size());
        for (Delivery delivery : deliveries) {
            if (delivery.acknowledged()) {
                JsonNode event = stored.get(delivery.eventId());
                assertThat(event).as("the event of an acknowledged delivery of %s", delivery.sale().transactionId()).isNotNull();
                assertThat(event.path("processor_transaction_id").asText()).isEqualTo(delivery.sale().transactionId());
            }
        }

        // What a kill left received was posted by the restarted server, not lost and not left waiting.
        for (String id : leftReceived) {
            assertThat(stored.get(id)).as("event %s, left received by a kill", id).isNotNull();
            assertThat(stored.get(id).path("status").asText()).as(stored.get(id).toString()).isEqualTo("posted");
        }

        // Each checkout is paid by its one posted sale.
        List<JsonNode> checkouts = parallel(sales, sale -> server.mustGet("/v1/checkouts/" + sale.checkoutId(), ADMIN).json());
        for (int i = 0; i < sales.size(); i++) {
            JsonNode checkout = checkouts.get(i);
            assertThat(checkout.path("status").asText()).as(checkout.toString()).isEqualTo("paid");
            assertThat(checkout.path("paid_event_id").asText())
                .isEqualTo(posted.get(sales.get(i).transactionId()).path("id").asText());
        }

        // The ledger holds each sale's split once: creator payables, platform fees, processor fees, receivable.
        Map<String, Long> creatorShares = new TreeMap<>();
        long platform = 0;
        long processorFees = 0;
        long gross = 0;
        for (Sale sale : sales) {
            long platformShare = halfEven(sale.gross(), PLATFORM_BP);
            creatorShares.merge(sale.creator(), sale.gross() - platformShare, Long::sum);
            platform += platformShare;
            processorFees += halfEven(sale.gross(), PROCESSOR_PERCENT_BP) + PROCESSOR_FIXED;
            gross += sale.gross();
        }
        Map<String, Long> payables = new TreeMap<>();
        creatorShares.keySet().forEach(creator ->
            payables.put(creator, balance(server, PaymentsFixture.accountId("girlfanz", USD, 2100, creator))));
        assertThat(payables).isEqualTo(creatorShares);
        assertThat(balance(server, PaymentsFixture.accountId("girlfanz", USD, 4100, ""))).isEqualTo(platform);
        assertThat(balance(server, PaymentsFixture.accountId("girlfanz", USD, 5104, merchantAccount))).isEqualTo(-processorFees);
        assertThat(balance(server, PaymentsFixture.accountId("girlfanz", USD, 1104, merchantAccount)))
            .isEqualTo(-(gross - processorFees));

        int swept = sweptAfterRestarts(server, List.copyOf(posted.values()));
        System.out.printf("payments crash: %d kill(s); %d deliveries (%d acknowledged, %d cut off, %d other); %d events"
                + " stored; %d found received after restarts; %d sales posted by a restarted server's sweep%n",
            kills.size(), deliveries.size(), acknowledged, deliveries.stream().filter(d -> d.status() == 0).count(),
            deliveries.stream().filter(d -> d.status() != 0 && !d.acknowledged()).count(), stored.size(),
            leftReceived.size(), swept);
    }

    /**
     * How many sales were received by a server that was then killed before posting them, and posted by the next
     * one: received before a kill, posted after it (the only poster after a kill is a restarted server's sweep).
     */
    private int sweptAfterRestarts(PaymentsCrashServer server, List<JsonNode> postedSales) {
        Instant lastKill = kills.get(kills.size() - 1);
        List<JsonNode> candidates = postedSales.stream()
            .filter(sale -> Instant.parse(sale.path("received_at").asText()).isBefore(lastKill)).toList();
        List<JsonNode> details = parallel(candidates,
            sale -> server.mustGet("/v1/payment-events/" + sale.path("id").asText(), ADMIN).json());
        int swept = 0;
        for (JsonNode detail : details) {
            Instant received = Instant.parse(detail.path("received_at").asText());
            Instant postedAt = null;
            for (JsonNode entry : detail.path("history")) {
                if (entry.path("status").asText().equals("posted")) {
                    postedAt = Instant.parse(entry.path("at").asText());
                }
            }
            assertThat(postedAt).as(detail.toString()).isNotNull();
            Instant at = postedAt;
            Instant kill = kills.stream().filter(k -> received.isBefore(k) && at.isAfter(k)).findFirst().orElse(null);
            if (kill != null) {
                swept++;
                System.out.printf("payments crash: posted after a restart (%s): %s %s%n", inLedgerBefore(server, detail, kill)
                    ? "its transfers were in the ledger before the kill, only 'posted' was missing"
                    : "the kill came before the ledger posting", detail.path("id").asText(), detail.path("history"));
            }
        }
        return swept;
    }

    /** Whether the event's first transfer has a ledger timestamp (wall-clock nanoseconds) before {@code kill}. */
    private static boolean inLedgerBefore(PaymentsCrashServer server, JsonNode event, Instant kill) {
        PaymentsCrashServer.Response transfer = server.mustGet("/v1/transfers/" + event.path("transfer_ids").path(0).asText(),
            ADMIN);
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(200);
        long nanos = Long.parseUnsignedLong(transfer.json().path("timestamp").asText());
        return Instant.ofEpochSecond(0, nanos).isBefore(kill);
    }

    /** {@code call} applied to each of {@code items} by several clients; the answers in order. */
    private static <T, R> List<R> parallel(List<T> items, Function<T, R> call) {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<R>> futures = new ArrayList<>();
            items.forEach(item -> futures.add(pool.submit(() -> call.apply(item))));
            List<R> answers = new ArrayList<>();
            for (Future<R> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Every event of a listing, following {@code next}. */
    private static List<JsonNode> list(PaymentsCrashServer server, String path) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            PaymentsCrashServer.Response page = server.mustGet(path + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            body.path("payment_events").forEach(all::add);
            cursor = body.path("next").isNull() ? null : body.path("next").asText();
        } while (cursor != null);
        return all;
    }

    /** {@code credits_posted − debits_posted} of a ledger account (0 when it does not exist). */
    private static long balance(PaymentsCrashServer server, UUID account) {
        PaymentsCrashServer.Response response = server.mustGet("/v1/accounts/" + account, ADMIN);
        if (response.status() == 404) {
            return 0;
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        return Long.parseLong(json.path("credits_posted").asText()) - Long.parseLong(json.path("debits_posted").asText());
    }

    /** {@code amount × bp / 10000} rounded half to even, computed here independently of the server's code. */
    private static long halfEven(long amount, int bp) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(bp))
            .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
