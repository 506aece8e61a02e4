package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.gateway.testing.SimulatedRequest;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every processor end to end, with notifications signed as the processor signs them: checkout → sale →
 * refund, a forgery, the events feed, the creator's balances, and the income statement and the creator's
 * statement from the read model.
 */
class ProcessorsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USD = 840;

    static List<SimulatedProcessor> processors() {
        return SimulatedProcessors.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processors")
    void saleRefundForgeryFeedAndStatements(SimulatedProcessor processor, @TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("proc");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PROVIDER_CALLS", "off");
        settings.put("FANZ_TRUSTED_PROXIES", "127.0.0.1/32");
        try (TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}");
            String key = server.createKey("platform", "[\"payments:read\",\"payments:write\",\"finance:read\",\"events:read\"]",
                "[\"boyfanz\"]");
            ObjectNode request = JSON.createObjectNode();
            request.put("tenant", "boyfanz").put("processor", processor.processor()).put("name", processor.processor());
            request.set("currencies", JSON.valueToTree(processor.account().currencies()));
            request.set("settings", JSON.valueToTree(processor.account().settings()));
            request.set("secrets", JSON.valueToTree(processor.account().secrets()));
            request.set("ip_allow_list", JSON.valueToTree(processor.account().ipAllowList()));
            request.putObject("fees").put("percent_bp", 500).put("fixed", "25").put("refund", "100");
            TestServer.Response created = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, request.toString());
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String accountId = created.json().path("id").asText();
            URI hook = server.base().resolve("/hooks/" + processor.processor() + "/" + accountId);

            TestServer.Response checkout = server.postJson("/v1/checkouts", key, """
                {"tenant":"boyfanz","creator":"c_77","product":"tip","amount":"2500","currency":"USD","processor":"%s"}"""
                .formatted(processor.processor()));
            assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
            UUID checkoutId = UUID.fromString(checkout.json().path("id").asText());
            assertThat(checkout.json().path("pass_through").path("value").asText()).isEqualTo(checkoutId.toString());

            SimulatedRequest sale = processor.sale(checkoutId, "tx-5001", new BigDecimal("25.00"), "USD");
            TestServer.Response saleAnswer = server.send(sale.httpRequest(hook));
            assertThat(saleAnswer.status()).as(saleAnswer.text()).isEqualTo(200);
            JsonNode saleEvent = server.get("/v1/payment-events/" + saleAnswer.header("X-Payment-Event-Id"), key).json();
            assertThat(saleEvent.path("status").asText()).as(saleEvent.toString()).isEqualTo("posted");
            assertThat(saleEvent.path("gross").asText()).isEqualTo("2500");
            assertThat(saleEvent.path("fee").asText()).isEqualTo("150");

            if (processor.account().secrets().isEmpty()) {
                // Authenticated by source address only: a forgery is one sent from elsewhere (through a trusted proxy).
                java.net.http.HttpRequest elsewhere = java.net.http.HttpRequest.newBuilder(sale.httpRequest(hook),
                    (name, value) -> true).header("X-Forwarded-For", "203.0.113.250").build();
                assertThat(server.send(elsewhere).status()).isEqualTo(403);
            } else {
                TestServer.Response forged = server.send(processor.tamper(sale).httpRequest(hook));
                assertThat(forged.status()).isEqualTo(401);
            }

            // Processors that send no refund notifications (crypto, NETbilling) stop at the sale.
            boolean refunds = processor.kinds().contains(PaymentKind.REFUND);
            if (refunds) {
                SimulatedRequest refund = processor.refund("tx-5001", new BigDecimal("10.00"), "USD");
                TestServer.Response refundAnswer = server.send(refund.httpRequest(hook));
                assertThat(refundAnswer.status()).isEqualTo(200);
                JsonNode refundEvent = server.get("/v1/payment-events/" + refundAnswer.header("X-Payment-Event-Id"), key).json();
                assertThat(refundEvent.path("status").asText()).as(refundEvent.toString()).isEqualTo("posted");
                assertThat(refundEvent.path("kind").asText()).isEqualTo("refund");
            }

            // Sale 2500: platform 500, creator 2000; refund 1000 takes back creator 800 and platform 200.
            JsonNode balances = server.get("/v1/creators/boyfanz/c_77/balances", key).json();
            JsonNode usd = balances.path("balances").get(0);
            assertThat(usd.path("currency").asText()).isEqualTo("USD");
            assertThat(usd.path("available").asText()).isEqualTo(refunds ? "1200" : "2000");

            JsonNode feed = server.get("/v1/events?after=0&tenant=boyfanz", key).json();
            Map<String, Integer> types = new HashMap<>();
            for (JsonNode event : feed.path("events")) {
                types.merge(event.path("type").asText(), 1, Integer::sum);
                assertThat(event.path("specversion").asText()).isEqualTo("1.0");
                assertThat(event.path("source").asText()).isEqualTo("fanzfinance/boyfanz");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!((!refunds || types.containsKey("payment_event.reversed")) && types.containsKey("checkout.paid")
                && types.containsKey("payment_event.rejected")) && System.nanoTime() < deadline) {
                feed = server.get("/v1/events?after=0&tenant=boyfanz&wait_seconds=1", key).json();
                types.clear();
                for (JsonNode event : feed.path("events")) {
                    types.merge(event.path("type").asText(), 1, Integer::sum);
                }
            }
            assertThat(types).containsEntry("payment_event.posted", 1).containsEntry("checkout.paid", 1)
                .containsEntry("payment_event.rejected", 1);
            assertThat(types.getOrDefault("payment_event.reversed", 0)).isEqualTo(refunds ? 1 : 0);

            JsonNode income = awaitProjected(server, "/v1/reports/income-statement?ledger=" + USD, key);
            Map<String, String> lines = lines(income);
            assertThat(lines).containsEntry("platform-fees", refunds ? "3.00" : "5.00");
            assertThat(lines).containsEntry("processor-fees", refunds ? "2.50" : "1.50");
            UUID payable = PaymentsFixture.accountId("boyfanz", USD, 2100, "c_77");
            JsonNode statement = awaitProjected(server, "/v1/statements/" + payable, key);
            assertThat(statement.toString()).contains("20.00");
            if (refunds) {
                assertThat(statement.toString()).contains("8.00");
            }
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    private static JsonNode awaitProjected(TestServer server, String path, String key) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            TestServer.Response response = server.get(path, key);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode json = response.json();
            if (json.path("position").path("lag_commands").asLong(1) == 0 || System.nanoTime() > deadline) {
                return json;
            }
            Thread.sleep(100);
        }
    }

    /** Account-range name → net amount of an income statement's USD section. */
    private static Map<String, String> lines(JsonNode report) {
        Map<String, String> lines = new HashMap<>();
        for (JsonNode currency : report.path("currencies")) {
            for (Iterator<JsonNode> sections = currency.elements(); sections.hasNext(); ) {
                JsonNode section = sections.next();
                if (section.isArray()) {
                    for (JsonNode line : section) {
                        lines.put(line.path("name").asText(), line.path("amount").asText());
                    }
                }
            }
        }
        return lines;
    }
}
