package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing, chargeback monitoring and processor balances over HTTP: a tenant routes US fans to CCBill and the rest
 * to Segpay; CCBill's Visa chargebacks pass its threshold, so the account is drained, an event goes out and the
 * next US checkout goes to Segpay, saying why; Segpay declines the fan, which the checkout counts and announces;
 * a fallback finds nothing left until an admin takes CCBill back;
 * and CCBill's day shows its receivable, chargeback fees and the processor's reserve.
 */
class RoutingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void routesDrainsOnChargebacksFallsBackAndReportsProcessorBalances(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("route");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PROVIDER_CALLS", "off");
        try (TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}");
            String key = server.createKey("platform", "[\"payments:read\",\"payments:write\",\"events:read\"]",
                "[\"girlfanz\"]");
            SimulatedProcessor ccbill = SimulatedProcessors.ccbill();
            SimulatedProcessor segpay = SimulatedProcessors.segpay();
            String ccbillId = account(server, ccbill, """
                {"percent_bp":0,"fixed":"0","chargeback":"1000","reserve_bp":1000,"reserve_days":180}""",
                "{\"visa\":{\"ratio_bp\":100,\"min_count\":2}}");
            String segpayId = account(server, segpay, "{\"percent_bp\":0}", null);

            TestServer.Response noTable = server.postJson("/v1/checkouts", key, checkout("US"));
            assertThat(noTable.status()).as(noTable.text()).isEqualTo(422);
            assertThat(noTable.text()).contains("no routing table");

            TestServer.Response table = server.putJson("/v1/routing/girlfanz", TestServer.ADMIN_KEY, """
                {"routes":[{"merchant_account_id":"%s","countries":["US","CA"],"currencies":["USD"]},
                           {"merchant_account_id":"%s","products":["tip","ppv"]}]}""".formatted(ccbillId, segpayId));
            assertThat(table.status()).as(table.text()).isEqualTo(200);
            assertThat(server.get("/v1/routing/girlfanz", key).json().path("routes").size()).isEqualTo(2);

            // Three US sales through CCBill (Visa), then two chargebacks: 2 of 3 is far above 100 bp.
            URI ccbillHook = server.base().resolve("/hooks/ccbill/" + ccbillId);
            for (int sale = 1; sale <= 3; sale++) {
                TestServer.Response opened = server.postJson("/v1/checkouts", key, checkout("US"));
                assertThat(opened.status()).as(opened.text()).isEqualTo(201);
                JsonNode routing = opened.json().path("routing");
                assertThat(routing.path("mode").asText()).isEqualTo("routing");
                assertThat(routing.path("merchant_account_id").asText()).isEqualTo(ccbillId);
                assertThat(routing.path("considered").get(0).path("outcome").asText()).isEqualTo("chosen");
                UUID checkoutId = UUID.fromString(opened.json().path("id").asText());
                TestServer.Response answer = server.send(ccbill.sale(checkoutId, "cb-tx-" + sale, new BigDecimal("25.00"), "USD")
                    .httpRequest(ccbillHook));
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                JsonNode event = server.get("/v1/payment-events/" + answer.header("X-Payment-Event-Id"), key).json();
                assertThat(event.path("status").asText()).as(event.toString()).isEqualTo("posted");
                assertThat(event.path("card_network").asText()).isEqualTo("visa");
            }
            JsonNode before = server.get("/v1/merchant-accounts/" + ccbillId + "/health", key).json();
            assertThat(before.path("drained").isNull()).as(before.toString()).isTrue();
            assertThat(before.path("approval").path("sales").asInt()).isEqualTo(3);

            for (int chargeback = 1; chargeback <= 2; chargeback++) {
                TestServer.Response answer = server.send(ccbill.chargeback("cb-tx-" + chargeback, new BigDecimal("25.00"), "USD")
                    .httpRequest(ccbillHook));
                JsonNode event = server.get("/v1/payment-events/" + answer.header("X-Payment-Event-Id"), key).json();
                assertThat(event.path("status").asText()).as(event.toString()).isEqualTo("posted");
                assertThat(event.path("card_network").asText()).as("a chargeback takes its sale's network").isEqualTo("visa");
            }
            JsonNode health = server.get("/v1/merchant-accounts/" + ccbillId + "/health", key).json();
            assertThat(health.path("drained").path("reason").asText()).as(health.toString())
                .startsWith("chargeback threshold exceeded: visa 2 chargebacks, 6666 bp");
            JsonNode visa = health.path("chargebacks").path("networks").get(0);
            assertThat(visa.path("network").asText()).isEqualTo("visa");
            assertThat(visa.path("exceeded").asBoolean()).isTrue();
            assertThat(visa.path("threshold").path("min_count").asInt()).isEqualTo(2);
            assertThat(awaitEvent(server, key, "merchant_account.threshold_exceeded").path("subject").asText())
                .isEqualTo(ccbillId);

            // The drained account gets no new checkout; routing says why.
            TestServer.Response rerouted = server.postJson("/v1/checkouts", key, checkout("US"));
            assertThat(rerouted.status()).as(rerouted.text()).isEqualTo(201);
            JsonNode explanation = rerouted.json().path("routing");
            assertThat(explanation.path("merchant_account_id").asText()).isEqualTo(segpayId);
            assertThat(explanation.path("considered").get(0).path("reason").asText()).startsWith("drained: ");
            String segpayCheckout = rerouted.json().path("id").asText();

            // Segpay declines the fan: the checkout counts it and says so on the feed.
            TestServer.Response declined = server.send(segpay.failure(UUID.fromString(segpayCheckout), "sp-declined-1",
                new BigDecimal("25.00"), "USD").httpRequest(server.base().resolve("/hooks/segpay/" + segpayId)));
            JsonNode failure = server.get("/v1/payment-events/" + declined.header("X-Payment-Event-Id"), key).json();
            assertThat(failure.path("status").asText()).as(failure.toString()).isEqualTo("recorded");
            assertThat(failure.path("kind").asText()).isEqualTo("failure");
            JsonNode afterDecline = server.get("/v1/checkouts/" + segpayCheckout, key).json();
            assertThat(afterDecline.path("status").asText()).isEqualTo("open");
            assertThat(afterDecline.path("declines").asInt()).isEqualTo(1);
            assertThat(afterDecline.path("last_declined_event_id").asText()).isEqualTo(failure.path("id").asText());
            assertThat(awaitEvent(server, key, "checkout.declined").path("subject").asText()).isEqualTo(segpayCheckout);
            assertThat(server.get("/v1/merchant-accounts/" + segpayId + "/health", key).json().path("approval")
                .path("failures").asInt()).isEqualTo(1);

            // A fallback finds no other account until an admin takes CCBill back.
            TestServer.Response none = server.postJson("/v1/checkouts/" + segpayCheckout + "/fallback", key, "");
            assertThat(none.status()).as(none.text()).isEqualTo(422);
            assertThat(none.json().path("type").asText()).endsWith("no-merchant-account");
            TestServer.Response undrained = server.patchJson("/v1/merchant-accounts/" + ccbillId, TestServer.ADMIN_KEY,
                "{\"drained\":false}");
            assertThat(undrained.status()).as(undrained.text()).isEqualTo(200);
            assertThat(undrained.json().path("drained").isNull()).isTrue();
            TestServer.Response fallback = server.postJson("/v1/checkouts/" + segpayCheckout + "/fallback", key, "");
            assertThat(fallback.status()).as(fallback.text()).isEqualTo(201);
            assertThat(fallback.json().path("merchant_account_id").asText()).isEqualTo(ccbillId);
            assertThat(fallback.json().path("fallback_of").asText()).isEqualTo(segpayCheckout);
            assertThat(fallback.json().path("routing").path("mode").asText()).isEqualTo("fallback");

            // CCBill's day: sales 7500, chargebacks 5000 and their fees 2000 → receivable 500; reserve 10 % of 7500.
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            JsonNode day = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                TestServer.Response balances = server.get("/v1/merchant-accounts/" + ccbillId + "/balances?from=" + today
                    + "&to=" + today, key);
                assertThat(balances.status()).as(balances.text()).isEqualTo(200);
                day = balances.json().path("days").get(0);
                if (day.path("receivable").asText().equals("500")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(day.path("currency").asText()).isEqualTo("USD");
            assertThat(day.path("receivable").asText()).as(day.toString()).isEqualTo("500");
            assertThat(day.path("receivable_change").asText()).isEqualTo("500");
            assertThat(day.path("chargeback_fees").asText()).isEqualTo("2000");
            assertThat(day.path("fees").asText()).isEqualTo("0");
            assertThat(day.path("reserve_held").asText()).isEqualTo("750");
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    private static String checkout(String country) {
        return """
            {"tenant":"girlfanz","creator":"c_9","product":"tip","amount":"2500","currency":"USD","country":"%s"}"""
            .formatted(country);
    }

    private static String account(TestServer server, SimulatedProcessor processor, String fees, String thresholds)
        throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("tenant", "girlfanz").put("processor", processor.processor()).put("name", processor.processor());
        request.set("currencies", JSON.valueToTree(processor.account().currencies()));
        request.set("settings", JSON.valueToTree(processor.account().settings()));
        request.set("secrets", JSON.valueToTree(processor.account().secrets()));
        request.set("ip_allow_list", JSON.valueToTree(processor.account().ipAllowList()));
        request.set("fees", JSON.readTree(fees));
        if (thresholds != null) {
            request.set("chargeback_thresholds", JSON.readTree(thresholds));
        }
        TestServer.Response created = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, request.toString());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static JsonNode awaitEvent(TestServer server, String key, String type) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode event : server.get("/v1/events?after=0&tenant=girlfanz&types=" + type + "&wait_seconds=1", key)
                .json().path("events")) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event");
    }
}
