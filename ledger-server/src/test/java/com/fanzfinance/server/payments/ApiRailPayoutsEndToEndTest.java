package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.payouts.sim.PaxumSimulator;
import com.fanzfinance.payouts.sim.WiseSimulator;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payouts through API rails, end to end: a real server on a real port with PostgreSQL pays creators through local
 * simulators of Paxum's and Wise's documented APIs (payout-rails' test sources), which can time out, fail and answer
 * twice. Every payout is paid at most once at the rail, and every failure voids its hold in the ledger.
 */
class ApiRailPayoutsEndToEndTest {
    private static final String PAXUM_FROM = "payouts@girlfanz.test";
    private static final String WISE_TOKEN = "wise-test-token";
    private static final String WISE_PROFILE = "16055450";

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    private String payoutsKey;
    private PayoutSteps steps;
    private int sales;

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data, Map.of("FANZ_RAIL_TIMEOUT_SECONDS", "1"));
        server = fixture.server;
        payoutsKey = server.createKey("girlfanz-payouts",
            "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\",\"finance:read\",\"events:read\"]",
            "[\"girlfanz\"]");
        steps = new PayoutSteps(() -> server, payoutsKey, fixture.platformKey);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void paxumPaysOnceThroughTimeoutsAndAFailureVoidsItsHold() throws Exception {
        try (PaxumSimulator paxum = new PaxumSimulator(Clock.systemUTC(), PAXUM_FROM, "paxum-shared-secret", "590900",
            "paxum-api-key", "paxum-api-secret")) {
            paxum.fund("USD", 1_000_000).payee("jane@example.com");
            paxum.holdAnswersFor(Duration.ofSeconds(3));
            String account = railAccount("paxum", "USD", """
                {"from_email":"%s","account_id":"590900","api":"%s","api_v2":"%s"}"""
                .formatted(PAXUM_FROM, paxum.baseUrl(), paxum.baseUrl()), """
                {"shared_secret":"paxum-shared-secret","api_key":"paxum-api-key","api_secret":"paxum-api-secret"}""");
            assertThat(account).isNotBlank();
            earn("c_pax", "300.00", "USD");
            String payee = payee("c_pax", "paxum", "USD", "{\"email\":\"jane@example.com\"}");
            verify(payee);

            // 1. plain: settled with Paxum's transaction id, one transfer
            JsonNode first = awaitStatus(created(payout(payee, "5000", "USD", "pax-1")), "settled");
            assertThat(paxum.transfersWithReference(compact(first))).isEqualTo(1);
            assertThat(first.path("rail_reference").asText()).isEqualTo(paxum.transactions().get(0).id());

            // 2. Paxum books the transfer but the answer never arrives: the history finds it, no second transfer
            paxum.timeoutNext("transferFunds", true);
            JsonNode second = awaitStatus(created(payout(payee, "7000", "USD", "pax-2")), "settled");
            assertThat(paxum.transfersWithReference(compact(second))).isEqualTo(1);

            // 3. the request is lost before Paxum books it: the history never shows it, so the payout waits for a person
            //    (Paxum has no idempotency key: nothing is sent again on an empty history unless the account allows it)
            long beforeLost = balance("c_pax", "available", "USD");
            paxum.timeoutNext("transferFunds", false);
            String lostId = created(payout(payee, "3000", "USD", "pax-3"));
            JsonNode lost = awaitRail(lostId, node -> node.path("rail_progress").path("status").asText().equals("unknown")
                && node.path("rail_progress").path("note").asText().contains("/events"));
            assertThat(lost.path("status").asText()).isEqualTo("submitted");
            assertThat(lost.path("rail_progress").path("note").asText()).contains(lostId.replace("-", ""))
                .contains("/events");
            assertThat(paxum.transfersWithReference(compact(lost))).isZero();
            // ... who checked Paxum and fails it: the hold is voided, nothing was paid
            TestServer.Response failedByHand = post("/v1/payouts/" + lostId + "/events",
                "{\"type\":\"failed\",\"reason\":\"not in Paxum's history\"}");
            assertThat(failedByHand.status()).as(failedByHand.text()).isEqualTo(200);
            assertThat(failedByHand.json().path("status").asText()).isEqualTo("failed");
            assertThat(balance("c_pax", "available", "USD")).isEqualTo(beforeLost);
            assertThat(paxum.transfersWithReference(compact(lost))).isZero();

            // 4. refused (51, not sufficient funds): failed, the hold voided, nothing paid
            long availableBefore = balance("c_pax", "available", "USD");
            paxum.failNext("transferFunds", 1, "51");
            JsonNode fourth = awaitStatus(created(payout(payee, "2000", "USD", "pax-4")), "failed");
            assertThat(fourth.path("status_reason").asText()).contains("51");
            assertThat(paxum.transfersWithReference(compact(fourth))).isZero();
            assertThat(balance("c_pax", "available", "USD")).isEqualTo(availableBefore);

            assertThat(paxum.balance("USD")).isEqualTo(1_000_000 - 5000 - 7000);
            assertThat(paxum.transactions()).hasSize(2);
            assertThat(paxum.faultsUsed("transferFunds")).isEqualTo(3);
            assertThat(paxum.rejectedSignatures()).isZero();
            // a settled payout is off the runner's list: asking its rail now is a 409
            assertThat(post("/v1/payouts/" + first.path("id").asText() + "/check-rail", "").status()).isEqualTo(409);
            // another brand's key sees no payout of this one
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}");
            String otherKey = server.createKey("boyfanz-payouts", "[\"payouts:read\",\"payouts:admin\"]", "[\"boyfanz\"]");
            assertThat(server.postJson("/v1/payouts/" + first.path("id").asText() + "/check-rail", otherKey, "").status())
                .isEqualTo(404);

            // new details of a payee are not paid before new_payee_hold_days: the payout stays held, and can be cancelled
            assertThat(server.send(HttpRequest.newBuilder(server.base().resolve("/v1/merchant-accounts/" + account))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                    "{\"payout\":{\"minimum\":\"1000\",\"fee\":\"0\",\"new_payee_hold_days\":3}}"))).status())
                .isEqualTo(200);
            paxum.payee("jane.new@example.com");
            payee("c_pax", "paxum", "USD", "{\"email\":\"jane.new@example.com\"}");
            String waitingId = created(payout(payee, "1000", "USD", "pax-5"));
            JsonNode waiting = getPayout(waitingId);
            for (int i = 0; i < 3 && waiting.path("rail_progress").isMissingNode(); i++) {
                Thread.sleep(1000);
                waiting = getPayout(waitingId);
            }
            assertThat(waiting.path("status").asText()).isEqualTo("held");
            assertThat(waiting.path("rail_progress").path("note").asText()).contains("new_payee_hold_days");
            assertThat(post("/v1/payouts/" + waitingId + "/events", "{\"type\":\"submitted\"}").status()).isEqualTo(409);
            assertThat(post("/v1/payouts/" + waitingId + "/cancel", "").json().path("status").asText())
                .isEqualTo("cancelled");
            assertThat(paxum.transactions()).hasSize(2);
        }
    }

    @Test
    void wisePaysOnceDrivenBySignedWebhooksAndABounceReturnsTheMoney() throws Exception {
        try (WiseSimulator wise = new WiseSimulator(Clock.systemUTC(), WISE_TOKEN, WISE_PROFILE)) {
            wise.fund("EUR", 1_000_000);
            wise.holdAnswersFor(Duration.ofSeconds(3));
            String account = railAccount("wise", "EUR", """
                {"profile_id":"%s","environment":"sandbox","api_base_url":"%s","webhook_public_key_pem":%s}"""
                .formatted(WISE_PROFILE, wise.baseUrl(), quote(wise.webhookPublicKeyPem())), """
                {"api_token":"%s"}""".formatted(WISE_TOKEN));
            wise.webhookUrl(server.base().resolve("/hooks/wise/" + account).toString());
            earn("c_wise", "400.00", "EUR");
            String payee = payee("c_wise", "wise", "EUR", """
                {"type":"iban","account_holder_name":"Jane Doe","legal_type":"PRIVATE",
                 "details":{"IBAN":"DE89370400440532013000","address":{"city":"Berlin","country":"DE"}}}""");
            verify(payee);
            assertThat(server.get("/v1/payees/" + payee, payoutsKey).json().path("rail_details").path("details.IBAN")
                .asText()).isEqualTo("****3000");

            // 1. the transfer call times out but Wise made it: the retry with the same customerTransactionId finds it
            wise.timeoutNext("transfers", true);
            String firstId = created(payout(payee, "12000", "EUR", "wise-1"));
            JsonNode first = awaitRailReference(firstId);
            String transfer = first.path("rail_reference").asText();
            assertThat(wise.transfersCreated()).isEqualTo(1);
            assertThat(wise.fundings(transfer)).isEqualTo(1);
            assertThat(first.path("status").asText()).isEqualTo("submitted");

            // an operator cannot fail a payout the rail has, nor hand one over by hand
            TestServer.Response byHand = post("/v1/payouts/" + firstId + "/events", "{\"type\":\"failed\"}");
            assertThat(byHand.status()).as(byHand.text()).isEqualTo(409);
            assertThat(byHand.text()).contains("cannot fail by hand");

            // the signed state-change, delivered twice: the webhook itself settles the payout (nobody polls), once
            wise.deliverNextWebhookTwice();
            wise.moveTransfer(transfer, "outgoing_payment_sent");
            first = getPayout(firstId);
            assertThat(first.path("status").asText()).isEqualTo("settled");
            assertThat(first.path("status_reason").asText()).isEqualTo("Wise transfers#state-change outgoing_payment_sent");
            assertThat(wise.webhookDeliveries()).hasSize(2).containsOnly(wise.webhookDeliveries().get(0));
            assertThat(wise.webhookAnswers()).hasSize(2);
            assertThat(wise.webhookAnswers().get(0)).startsWith("200 ").contains("\"status\":\"applied\"")
                .contains("\"duplicate\":false");
            assertThat(wise.webhookAnswers().get(1)).startsWith("200 ").contains("\"duplicate\":true");
            assertThat(first.path("history").findValuesAsText("status")).containsExactly("requested", "held", "submitted",
                "settled");

            // 2. the same payee again: the recipient made once is reused
            String secondId = created(payout(payee, "8000", "EUR", "wise-2"));
            String secondTransfer = awaitRailReference(secondId).path("rail_reference").asText();
            assertThat(wise.recipientsCreated()).isEqualTo(1);
            long availableBefore = balance("c_wise", "available", "EUR");
            wise.moveTransfer(secondTransfer, "outgoing_payment_sent");
            awaitStatus(secondId, "settled");
            // ... and bounced back by the payee's bank: returned, the creator's money back
            wise.moveTransfer(secondTransfer, "bounced_back");
            JsonNode returned = awaitStatus(secondId, "returned");
            assertThat(returned.path("status_reason").asText()).contains("bounced_back");
            assertThat(balance("c_wise", "available", "EUR")).isEqualTo(availableBefore + 8000);

            // a bounce before the payout settled fails it (the hold voided), never "returned"
            long beforeBounce = balance("c_wise", "available", "EUR");
            String bouncedId = created(payout(payee, "1500", "EUR", "wise-bounce"));
            String bouncedTransfer = awaitRailReference(bouncedId).path("rail_reference").asText();
            wise.moveTransfer(bouncedTransfer, "bounced_back");
            JsonNode bounced = getPayout(bouncedId);
            assertThat(bounced.path("status").asText()).isEqualTo("failed");
            assertThat(balance("c_wise", "available", "EUR")).isEqualTo(beforeBounce);

            // new bank details: a new recipient for them, not the old account's
            assertThat(server.postJson("/v1/payees", payoutsKey, """
                {"tenant":"girlfanz","creator":"c_wise","name":"Jane Doe","email":"jane@example.com","country":"DE",
                 "currency":"EUR","rail":"wise","rail_details":{"type":"iban","account_holder_name":"Jane Doe",
                 "legal_type":"PRIVATE","details":{"IBAN":"FR1420041010050500013M02606"}}}""").status()).isEqualTo(200);
            String movedId = created(payout(payee, "1000", "EUR", "wise-new-iban"));
            awaitRailReference(movedId);
            assertThat(wise.recipientsCreated()).isEqualTo(2);

            // 3. funding refused (the balance ran out): the transfer is cancelled, the payout failed, its hold voided
            long available = balance("c_wise", "available", "EUR");
            wise.fund("EUR", -wise.balance("EUR"));
            JsonNode third = awaitStatus(created(payout(payee, "5000", "EUR", "wise-3")), "failed");
            assertThat(wise.transferStatus(third.path("rail_reference").asText())).isEqualTo("cancelled");
            assertThat(balance("c_wise", "available", "EUR")).isEqualTo(available);

            // an unsigned or wrongly signed notification is refused and changes nothing
            TestServer.Response forged = server.send(HttpRequest.newBuilder(
                    server.base().resolve("/hooks/wise/" + account))
                .header("Content-Type", "application/json").header("X-Signature-SHA256", "AAAA")
                .header("X-Delivery-Id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"resource\":{\"id\":" + transfer
                    + ",\"type\":\"transfer\"},\"current_state\":\"bounced_back\"},\"event_type\":\"transfers#state-change\"}")));
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.json().path("type").asText()).endsWith("webhook-unauthenticated");
            assertThat(getPayout(firstId).path("status").asText()).isEqualTo("settled");
            for (String id : new String[] {firstId, secondId}) {
                String customerTransactionId = com.fanzfinance.payouts.wise.WiseRail.customerTransactionId(UUID.fromString(id))
                    .toString();
                assertThat(wise.transfersCreatedFor(customerTransactionId)).isEqualTo(1);
            }
        }
    }

    // ---- steps ----------------------------------------------------------------------------------

    private String railAccount(String rail, String currency, String settings, String secrets) {
        return created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"%s","name":"%s payouts","currencies":["%s"],"settings":%s,"secrets":%s,
             "payout":{"minimum":"1000","fee":"0"}}""".formatted(rail, rail, currency, settings, secrets)));
    }

    /** A sale of {@code amount} for the creator, posted through a signed Verotel postback. */
    private void earn(String creator, String amount, String currency) {
        TestServer.Response checkout = server.postJson("/v1/checkouts", fixture.platformKey, """
            {"tenant":"girlfanz","creator":"%s","fan":"f_1","product":"ppv","amount":"%s","currency":"%s","processor":"verotel"}"""
            .formatted(creator, amount.replace(".", ""), currency));
        assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
        Map<String, String> sale = new java.util.LinkedHashMap<>(PaymentsFixture.sale("t" + creator + "-" + sales++, amount,
            checkout.json().path("id").asText()));
        sale.put("currency", currency);
        TestServer.Response answer = fixture.postback(sale);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    private String payee(String creator, String rail, String currency, String details) {
        TestServer.Response response = server.postJson("/v1/payees", payoutsKey, """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","email":"jane@example.com","country":"DE","currency":"%s",
             "rail":"%s","rail_details":%s}""".formatted(creator, currency, rail, details));
        return created(response);
    }

    private void verify(String payee) {
        TestServer.Response response = server.putJson("/v1/payees/" + payee + "/compliance", payoutsKey,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\",\"reference\":\"idv_1\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private TestServer.Response payout(String payee, String amount, String currency, String key) {
        return steps.payout(payee, amount, currency, key);
    }

    private JsonNode getPayout(String id) {
        return steps.get(id);
    }

    private JsonNode awaitStatus(String id, String status) throws InterruptedException {
        return steps.awaitRail(id, payout -> payout.path("status").asText().equals(status));
    }

    private JsonNode awaitRail(String id, java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
        return steps.awaitRail(id, condition);
    }

    private JsonNode awaitRailReference(String id) throws InterruptedException {
        return steps.awaitRail(id, payout -> !payout.path("rail_reference").isNull()
            && payout.path("rail_progress").path("status").asText().equals("submitted"));
    }

    private TestServer.Response post(String path, String body) {
        return server.postJson(path, payoutsKey, body);
    }

    private long balance(String creator, String field, String currency) {
        return steps.balance(creator, field, currency);
    }

    private static String compact(JsonNode payout) {
        return payout.path("id").asText().replace("-", "");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String created(TestServer.Response response) {
        return PayoutSteps.created(response);
    }
}
