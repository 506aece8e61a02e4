package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payout steps the payout end-to-end tests share, as a client of the running server does them: set up a rail
 * account, earn, save and verify a payee, request a payout, read it, batch, wait for its rail (asking the rail now and
 * then, as an operator would), read a creator's balance.
 */
final class PayoutSteps {
    private final Supplier<TestServer> server;
    private final String payoutsKey;
    private final String balancesKey;
    /** The fixture whose Verotel account earnings are posted through; null for steps made without one. */
    private final PaymentsFixture fixture;
    private int sales;

    /**
     * @param server      the server now (a test may restart it)
     * @param payoutsKey  a key with {@code payouts:read}, {@code payouts:write} and {@code payouts:admin}
     * @param balancesKey a key that reads creators' balances
     */
    PayoutSteps(Supplier<TestServer> server, String payoutsKey, String balancesKey) {
        this(server, payoutsKey, balancesKey, null);
    }

    /** Steps on the fixture's server, which can also {@link #earn}; balances are read with its platform key. */
    PayoutSteps(PaymentsFixture fixture, String payoutsKey) {
        this(() -> fixture.server, payoutsKey, fixture.platformKey, fixture);
    }

    private PayoutSteps(Supplier<TestServer> server, String payoutsKey, String balancesKey, PaymentsFixture fixture) {
        this.server = server;
        this.payoutsKey = payoutsKey;
        this.balancesKey = balancesKey;
        this.fixture = fixture;
    }

    /** A rail account of tenant girlfanz ({@code admin}); {@code payout} is its terms' JSON, or null for none. */
    String railAccount(String rail, String currency, String settings, String payout) {
        return railAccount(rail, currency, settings, null, payout);
    }

    /** A rail account with secrets (an API rail's): {@code secrets} is their JSON object. */
    String railAccount(String rail, String currency, String settings, String secrets, String payout) {
        return created(server.get().postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY,
            railAccountBody(rail, currency, settings, secrets, payout)));
    }

    static String railAccountBody(String rail, String currency, String settings, String payout) {
        return railAccountBody(rail, currency, settings, null, payout);
    }

    private static String railAccountBody(String rail, String currency, String settings, String secrets, String payout) {
        return """
            {"tenant":"girlfanz","processor":"%s","name":"%s payouts","currencies":["%s"],"settings":%s%s%s}"""
            .formatted(rail, rail, currency, settings, secrets == null ? "" : ",\"secrets\":" + secrets,
                payout == null ? "" : ",\"payout\":" + payout);
    }

    /** A sale of {@code amount} for the creator, posted through a signed Verotel postback of the fixture's account. */
    void earn(String creator, String amount, String currency) {
        if (fixture == null) {
            throw new IllegalStateException("these steps were made without a fixture to earn through");
        }
        TestServer running = server.get();
        TestServer.Response checkout = running.postJson("/v1/checkouts", fixture.platformKey, """
            {"tenant":"girlfanz","creator":"%s","fan":"f_1","product":"ppv","amount":"%s","currency":"%s","processor":"verotel"}"""
            .formatted(creator, amount.replace(".", ""), currency));
        assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
        Map<String, String> sale = new LinkedHashMap<>(PaymentsFixture.sale("t" + creator + "-" + sales++, amount,
            checkout.json().path("id").asText()));
        sale.put("currency", currency);
        TestServer.Response answer = fixture.postback(sale);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String event = answer.raw().headers().firstValue("X-Payment-Event-Id").orElseThrow();
        assertThat(fixture.event(event).path("status").asText()).isEqualTo("posted");
    }

    /** Saves the creator's payee (not yet verified) and returns its id. */
    String payee(String creator, String rail, String currency, String details) {
        TestServer.Response response = server.get().postJson("/v1/payees", payoutsKey, payeeBody(creator, rail, currency,
            details, "Jane Doe"));
        assertThat(response.json().path("compliance").path("payout_allowed").asBoolean()).isFalse();
        return created(response);
    }

    static String payeeBody(String creator, String rail, String currency, String details, String name) {
        return """
            {"tenant":"girlfanz","creator":"%s","name":"%s","email":"jane@example.com","country":"%s","currency":"%s",
             "rail":"%s","rail_details":%s}""".formatted(creator, name, rail.equals("ach") ? "US" : "FR", currency, rail, details);
    }

    /** The compliance service passes the payee through the gate. */
    void verify(String payee) {
        TestServer.Response response = server.get().putJson("/v1/payees/" + payee + "/compliance", payoutsKey,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\",\"reference\":\"idv_1\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().path("compliance").path("payout_allowed").asBoolean()).isTrue();
    }

    /** {@code POST /v1/payout-batches} of the account's held payouts, which must answer 201; the batch. */
    JsonNode batch(String rail, String account) {
        TestServer.Response response = server.get().postJson("/v1/payout-batches", payoutsKey,
            "{\"rail\":\"" + rail + "\",\"merchant_account_id\":\"" + account + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
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
