package com.fanzfinance.server.payments;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of a real server process while payouts are requested and while they are settled: after each restart the
 * clients send every request again with its Idempotency-Key (they cannot know which were applied), the sweep
 * finishes what the kill left half done, and in the end every key made at most one payout, nothing is left
 * requested or half moved, no payout is settled twice, and each creator's earnings are exactly what is available,
 * held for payouts and paid. {@code -Dpayouts.crash.seed} repeats the amounts and kill points.
 */
class PayoutsCrashEndToEndTest {
    private static final String ADMIN = TestServer.ADMIN_KEY;
    private static final List<String> CREATORS = List.of("c_ana", "c_ben", "c_cat");
    private static final int SALES_PER_CREATOR = 10;
    private static final int REQUESTS = 90;
    private static final int CLIENTS = 4;
    private static final long FEE = 25;

    /** A payout request as a platform service sends it. */
    private record Request(String idempotencyKey, String creator, String body) {
    }

    private final Map<String, String> payees = new HashMap<>();
    private final Map<String, Long> earned = new HashMap<>();
    /** Idempotency key → the payout id each answer named (a retry must name the same). */
    private final Map<String, String> answered = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    /** What the client threads found wrong (an assertion in a thread would otherwise be lost). */
    private final java.util.Queue<Throwable> clientFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private String payoutsKey;

    @Test
    void payoutsRequestedAndSettledWhileTheServerIsKilledAreHeldAndPaidExactlyOnce(@TempDir Path data) throws Exception {
        long seed = Long.getLong("payouts.crash.seed", System.nanoTime());
        System.out.printf("payouts crash: seed %d (-Dpayouts.crash.seed repeats the kill points)%n", seed);
        Random random = new Random(seed);
        String schema = TestDatabase.freshSchema("payoutcrash");
        PaymentsCrashServer server = PaymentsCrashServer.start(data, schema);
        try {
            String rail = setUp(server);
            List<Request> requests = requests(random);
            int sent = sendAndKill(server, requests, random);
            phase("killed while requesting, " + sent + " sent");
            server = PaymentsCrashServer.start(data, schema);
            sendAll(server, requests.subList(0, sent));
            sendAll(server, requests.subList(sent, requests.size()));
            awaitNothingUnfinished(server);
            phase("requests settled down");

            JsonNode batch = server.mustPostJson("/v1/payout-batches", payoutsKey,
                "{\"rail\":\"ach\",\"merchant_account_id\":\"" + rail + "\"}").json();
            assertThat(batch.path("count").asInt()).as(batch.toString()).isPositive();
            server.mustPostJson("/v1/payout-batches/" + batch.path("id").asText() + "/submit", payoutsKey, "");
            List<String> batched = new ArrayList<>();
            batch.path("payout_ids").forEach(id -> batched.add(id.asText()));
            settleAndKill(server, batched, random);
            phase("killed while settling");
            server = PaymentsCrashServer.start(data, schema);
            for (String id : batched) {
                assertThat(settle(server, id)).isEqualTo(200);
            }
            awaitNothingUnfinished(server);
            check(server, requests);
            phase("checked");
            server.stop();
        } finally {
            if (server.isAlive()) {
                server.kill();
            }
            TestDatabase.dropSchema(schema);
        }
    }

    private void phase(String name) {
        System.out.printf("payouts crash: %s at %.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    // ---- setting up ----------------------------------------------------------------------------------------------

    /** Tenant, processor and ACH accounts, keys, earnings through signed Verotel sales, verified payees. */
    private String setUp(PaymentsCrashServer server) throws IOException {
        assertThat(server.mustPostJson("/v1/admin/tenants", ADMIN, "{\"slug\":\"girlfanz\"}").status()).isIn(200, 201);
        PaymentsCrashServer.Response verotel = server.mustPostJson("/v1/merchant-accounts", ADMIN, """
            {"tenant":"girlfanz","processor":"verotel","name":"Verotel USD","currencies":["USD"],
             "settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}""".formatted(PaymentsFixture.SHOP_ID,
            PaymentsFixture.SIGNATURE_KEY));
        assertThat(verotel.status()).as(verotel.body()).isEqualTo(201);
        PaymentsCrashServer.Response ach = server.mustPostJson("/v1/merchant-accounts", ADMIN, """
            {"tenant":"girlfanz","processor":"ach","name":"ACH","currencies":["USD"],"settings":{
             "immediate_destination":"231380104","immediate_destination_name":"FED","immediate_origin":"121042882",
             "immediate_origin_name":"GIRLFANZ","company_name":"GIRLFANZ","company_identification":"1234567890",
             "odfi_identification":"12104288"},"payout":{"fee":"%d","minimum":"100"}}""".formatted(FEE));
        assertThat(ach.status()).as(ach.body()).isEqualTo(201);
        String platform = key(server, "[\"payments:read\",\"payments:write\"]");
        payoutsKey = key(server, "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\",\"payments:read\"]");
        String verotelId = verotel.json().path("id").asText();
        int transaction = 7_000_000;
        for (String creator : CREATORS) {
            for (int i = 0; i < SALES_PER_CREATOR; i++) {
                PaymentsCrashServer.Response checkout = server.mustPostJson("/v1/checkouts", platform, """
                    {"tenant":"girlfanz","creator":"%s","fan":"f_1","product":"ppv","amount":"5000","currency":"USD",
                     "processor":"verotel"}""".formatted(creator));
                String query = PaymentsFixture.signedQuery(PaymentsFixture.sale(Integer.toString(transaction++),
                    BigDecimal.valueOf(5000, 2).toPlainString(), checkout.json().path("id").asText()),
                    PaymentsFixture.SIGNATURE_KEY);
                assertThat(server.get("/hooks/verotel/" + verotelId + "?" + query, null).status()).isEqualTo(200);
            }
            earned.put(creator, SALES_PER_CREATOR * 4000L);
            PaymentsCrashServer.Response payee = server.mustPostJson("/v1/payees", payoutsKey, """
                {"tenant":"girlfanz","creator":"%s","name":"Creator","country":"US","currency":"USD","rail":"ach",
                 "rail_details":{"routing_number":"231380104","account_number":"1234"}}""".formatted(creator));
            String id = payee.json().path("id").asText();
            payees.put(creator, id);
            assertThat(server.mustPutJson("/v1/payees/" + id + "/compliance", payoutsKey,
                "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}")).isEqualTo(200);
        }
        return ach.json().path("id").asText();
    }

    private static String key(PaymentsCrashServer server, String scopes) {
        PaymentsCrashServer.Response key = server.mustPostJson("/v1/admin/keys", ADMIN,
            "{\"name\":\"k\",\"scopes\":" + scopes + ",\"tenants\":[\"girlfanz\"]}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return key.json().path("key").asText();
    }

    /** More requests than the earnings cover, so that some are refused: the ledger decides which. */
    private List<Request> requests(Random random) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String creator = CREATORS.get(random.nextInt(CREATORS.size()));
            String body = "{\"payee_id\":\"" + payees.get(creator) + "\",\"amount\":\"" + (500 + random.nextInt(3000))
                + "\",\"currency\":\"USD\"}";
            requests.add(new Request("req-" + i, creator, body));
        }
        return requests;
    }

    // ---- load, kill, restart, resend -----------------------------------------------------------------------------

    /** Sends requests from several clients and SIGKILLs the server partway; returns how many were sent. */
    private int sendAndKill(PaymentsCrashServer server, List<Request> requests, Random random) throws Exception {
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int killAfter = 10 + random.nextInt(REQUESTS / 2);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                try {
                    int index;
                    while ((index = claimed.getAndIncrement()) < requests.size()) {
                        if (!send(server, requests.get(index))) {
                            return;
                        }
                        done.incrementAndGet();
                    }
                } catch (Throwable failure) {
                    clientFailures.add(failure);
                }
            }, "platform-" + c);
            client.start();
            clients.add(client);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < killAfter && clients.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        server.kill();
        for (Thread client : clients) {
            client.join();
        }
        assertThat(clientFailures).isEmpty();
        return Math.min(claimed.get(), requests.size());
    }

    /** One request; false when the server went away. Every answer naming a payout must name the key's payout. */
    private boolean send(PaymentsCrashServer server, Request request) {
        PaymentsCrashServer.Response response;
        try {
            response = server.postJson("/v1/payouts", payoutsKey, request.body(), request.idempotencyKey());
        } catch (IOException gone) {
            return false;
        }
        if (response.status() == 200 || response.status() == 201) {
            String id = response.json().path("id").asText();
            String earlier = answered.putIfAbsent(request.idempotencyKey(), id);
            assertThat(earlier == null || earlier.equals(id)).as("key %s answered %s, then %s", request.idempotencyKey(),
                earlier, id).isTrue();
        } else {
            assertThat(response.status()).as(response.body()).isIn(422, 503);
        }
        return true;
    }

    private void sendAll(PaymentsCrashServer server, List<Request> requests) {
        for (Request request : requests) {
            assertThat(send(server, request)).isTrue();
        }
    }

    private void settleAndKill(PaymentsCrashServer server, List<String> payouts, Random random) throws Exception {
        int killAfter = random.nextInt(Math.max(1, payouts.size()));
        AtomicInteger done = new AtomicInteger();
        Thread client = new Thread(() -> {
            for (String id : payouts) {
                try {
                    settle(server, id);
                } catch (IOException gone) {
                    return;
                }
                done.incrementAndGet();
            }
        }, "finance");
        client.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < killAfter && client.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        server.kill();
        client.join();
    }

    private int settle(PaymentsCrashServer server, String payout) throws IOException {
        return server.postJson("/v1/payouts/" + payout + "/events", payoutsKey, "{\"type\":\"settled\"}").status();
    }

    /** Waits for the sweep (it takes requests and intents older than 30 s) to leave nothing requested or half moved. */
    private void awaitNothingUnfinished(PaymentsCrashServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            List<JsonNode> unfinished = new ArrayList<>();
            for (JsonNode payout : all(server)) {
                if (payout.path("status").asText().equals("requested") || !payout.path("pending_status").isNull()) {
                    unfinished.add(payout);
                }
            }
            if (unfinished.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("payouts still unfinished after 90 s");
    }

    private static List<JsonNode> all(PaymentsCrashServer server) {
        List<JsonNode> payouts = new ArrayList<>();
        String cursor = "";
        while (true) {
            JsonNode page = server.mustGet("/v1/payouts?limit=1000" + cursor, ADMIN).json();
            page.path("payouts").forEach(payouts::add);
            if (page.path("next").isNull()) {
                return payouts;
            }
            cursor = "&cursor=" + page.path("next").asText();
        }
    }

    // ---- the check -------------------------------------------------------------------------------------------------

    private void check(PaymentsCrashServer server, List<Request> requests) {
        List<JsonNode> payouts = all(server);
        assertThat(payouts.size()).as("at most one payout per key").isLessThanOrEqualTo(requests.size());
        Map<String, String> byId = new HashMap<>();
        answered.forEach((key, id) -> byId.put(id, key));
        assertThat(byId).as("no two keys share a payout").hasSize(answered.size());
        assertThat(payouts).extracting(payout -> payout.path("id").asText()).as("every payout is a key's")
            .containsExactlyInAnyOrderElementsOf(byId.keySet());
        Map<String, Long> held = new HashMap<>();
        Map<String, Long> paid = new HashMap<>();
        for (JsonNode payout : payouts) {
            String status = payout.path("status").asText();
            assertThat(status).isIn("held", "settled", "failed");
            List<String> transfers = new ArrayList<>();
            payout.path("transfer_ids").forEach(id -> transfers.add(id.asText()));
            assertThat(transfers).as("each transfer once").doesNotHaveDuplicates();
            assertThat(transfers).hasSize(status.equals("settled") ? 4 : status.equals("held") ? 2 : transfers.size());
            String creator = payout.path("creator").asText();
            long part = Long.parseLong(payout.path("amount").asText()) + FEE;
            if (status.equals("held")) {
                held.merge(creator, part, Long::sum);
            } else if (status.equals("settled")) {
                paid.merge(creator, part, Long::sum);
            }
        }
        for (String creator : CREATORS) {
            JsonNode balance = server.mustGet("/v1/creators/girlfanz/" + creator + "/balances", ADMIN).json()
                .path("balances").get(0);
            long available = Long.parseLong(balance.path("available").asText());
            long heldForPayouts = Long.parseLong(balance.path("held_for_payouts").asText());
            assertThat(heldForPayouts).as("held for %s", creator).isEqualTo(held.getOrDefault(creator, 0L));
            assertThat(available + heldForPayouts + paid.getOrDefault(creator, 0L)).as("earned by %s", creator)
                .isEqualTo(earned.get(creator));
            JsonNode payable = server.mustGet("/v1/accounts/" + PaymentsFixture.accountId("girlfanz", 840, 2100, creator),
                ADMIN).json();
            assertThat(Long.parseLong(payable.path("debits_posted").asText())).as("paid once, %s", creator)
                .isEqualTo(paid.getOrDefault(creator, 0L));
        }
        System.out.printf("payouts crash: %d payouts (%d keys answered), settled %s%n", payouts.size(), answered.size(),
            paid);
        assertThat(paid.values().stream().mapToLong(Long::longValue).sum()).as("something was paid").isPositive();
    }
}
