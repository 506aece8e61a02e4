package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payout steps the payout end-to-end tests share, as a client of the running server does them: request a payout,
 * read it, wait for its rail (asking the rail now and then, as an operator would), read a creator's balance.
 */
final class PayoutSteps {
    private final Supplier<TestServer> server;
    private final String payoutsKey;
    private final String balancesKey;

    /**
     * @param server      the server now (a test may restart it)
     * @param payoutsKey  a key with {@code payouts:read}, {@code payouts:write} and {@code payouts:admin}
     * @param balancesKey a key that reads creators' balances
     */
    PayoutSteps(Supplier<TestServer> server, String payoutsKey, String balancesKey) {
        this.server = server;
        this.payoutsKey = payoutsKey;
        this.balancesKey = balancesKey;
    }

    /** {@code POST /v1/payouts} with an idempotency key; the answer as it came. */
    TestServer.Response payout(String payee, String amount, String currency, String key) {
        TestServer running = server.get();
        return running.send(HttpRequest.newBuilder(running.base().resolve("/v1/payouts"))
            .header("Authorization", "Bearer " + payoutsKey).header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString("{\"payee_id\":\"" + payee + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"" + currency + "\"}")));
    }

    JsonNode get(String id) {
        TestServer.Response response = server.get().get("/v1/payouts/" + id, payoutsKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Waits until the payout meets {@code condition}, asking its rail ({@code check-rail}) between looks. */
    JsonNode awaitRail(String id, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode payout = get(id);
        while (!condition.test(payout)) {
            assertThat(System.nanoTime()).as("payout %s: %s", id, payout).isLessThan(deadline);
            Thread.sleep(250);
            server.get().postJson("/v1/payouts/" + id + "/check-rail", payoutsKey, "");
            payout = get(id);
        }
        return payout;
    }

    /** A creator's balance field ({@code available}, {@code held_for_payouts}, …) in a currency, of tenant girlfanz. */
    long balance(String creator, String field, String currency) {
        JsonNode balances = server.get().get("/v1/creators/girlfanz/" + creator + "/balances", balancesKey).json();
        for (JsonNode entry : balances.path("balances")) {
            if (entry.path("currency").asText().equals(currency)) {
                return Long.parseLong(entry.path(field).asText());
            }
        }
        throw new AssertionError("no " + currency + " balance in " + balances);
    }

    /** The id of what a creating request made (201, or 200 for a repeat). */
    static String created(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.json().path("id").asText();
    }
}
