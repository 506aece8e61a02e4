package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
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
import com.fanzfinance.gateway.testing.SimulatedRequest;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Segpay subscription's life over HTTP: the sale opens it from a checkout; a rebill (its own transaction, naming
 * the sale) posts for the same creator without any pass-through; Segpay's member-management cancel and disable
 * postbacks are recorded against the same subscription and creator, moving no money. And the server refuses
 * merchant accounts their driver could never authenticate.
 */
class SubscriptionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rebillCancellationAndExpirationTieToTheSaleAndItsCreator(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("subs");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        try (TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"daddyfanz\"}");
            String key = server.createKey("platform", "[\"payments:read\",\"payments:write\"]", "[\"daddyfanz\"]");
            SimulatedProcessor segpay = SimulatedProcessors.segpay();
            ObjectNode request = JSON.createObjectNode();
            request.put("tenant", "daddyfanz").put("processor", "segpay").put("name", "Segpay");
            request.set("currencies", JSON.valueToTree(segpay.account().currencies()));
            request.set("settings", JSON.valueToTree(segpay.account().settings()));
            request.set("secrets", JSON.valueToTree(segpay.account().secrets()));
            TestServer.Response created = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, request.toString());
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            URI hook = server.base().resolve("/hooks/segpay/" + created.json().path("id").asText());

            TestServer.Response checkout = server.postJson("/v1/checkouts", key, """
                {"tenant":"daddyfanz","creator":"c_sub","fan":"f_1","product":"subscription","amount":"1299",
                 "currency":"USD","processor":"segpay","period_days":30}""");
            assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
            assertThat(checkout.json().path("action").path("url").asText()).contains(checkout.json().path("id").asText());
            JsonNode sale = event(server, key, hook, segpay.sale(UUID.fromString(checkout.json().path("id").asText()),
                "SP-1000", new BigDecimal("12.99"), "USD"));
            assertThat(sale.path("status").asText()).as(sale.toString()).isEqualTo("posted");

            JsonNode rebill = event(server, key, hook, segpay.rebill("SP-1000", "SP-1001", new BigDecimal("12.99"), "USD"));
            assertThat(rebill.path("status").asText()).as(rebill.toString()).isEqualTo("posted");
            assertThat(rebill.path("kind").asText()).isEqualTo("rebill");
            assertThat(rebill.path("creator").asText()).isEqualTo("c_sub");
            assertThat(rebill.path("fan").asText()).isEqualTo("f_1");
            assertThat(rebill.path("product").asText()).isEqualTo("subscription");
            assertThat(rebill.path("parent_event_id").asText()).isEqualTo(sale.path("id").asText());
            assertThat(rebill.path("checkout_id").asText()).isEqualTo(checkout.json().path("id").asText());

            JsonNode cancel = event(server, key, hook, segpay.cancellation("SP-1000"));
            assertThat(cancel.path("status").asText()).as(cancel.toString()).isEqualTo("recorded");
            assertThat(cancel.path("kind").asText()).isEqualTo("cancellation");
            assertThat(cancel.path("creator").asText()).isEqualTo("c_sub");
            assertThat(cancel.path("processor_subscription_id").asText()).isEqualTo("SP-1000");
            assertThat(cancel.path("transfer_ids").size()).isZero();

            JsonNode expiry = event(server, key, hook, segpay.expiration("SP-1000"));
            assertThat(expiry.path("status").asText()).as(expiry.toString()).isEqualTo("recorded");
            assertThat(expiry.path("kind").asText()).isEqualTo("expiration");
            assertThat(expiry.path("creator").asText()).isEqualTo("c_sub");
            assertThat(expiry.path("parent_event_id").asText()).as("the subscription's latest charge")
                .isEqualTo(rebill.path("id").asText());

            // Two charges of 12.99 at the default 20 %: the creator keeps 1299 − rhe(259.8) = 1039 of each.
            JsonNode balances = server.get("/v1/creators/daddyfanz/c_sub/balances", key).json();
            assertThat(balances.path("balances").get(0).path("available").asText()).isEqualTo("2078");
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void accountsTheirDriverCouldNeverAuthenticateAreRefused(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("subs");
        try (TestServer server = TestServer.start(data, TestDatabase.readModelSettings(schema))) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}");
            TestServer.Response noList = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"boyfanz","processor":"commercegate","name":"CG","currencies":["USD"]}""");
            assertThat(noList.status()).as(noList.text()).isEqualTo(400);
            assertThat(noList.json().path("type").asText()).endsWith("invalid-field");
            assertThat(noList.json().path("detail").asText()).contains("ip_allow_list");

            TestServer.Response listed = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"boyfanz","processor":"segpay","name":"Segpay","currencies":["USD"],
                 "ip_allow_list":["192.0.2.0/24"]}""");
            assertThat(listed.status()).as(listed.text()).isEqualTo(201);
            String id = listed.json().path("id").asText();
            TestServer.Response emptied = server.patchJson("/v1/merchant-accounts/" + id, TestServer.ADMIN_KEY,
                "{\"ip_allow_list\":[]}");
            assertThat(emptied.status()).as(emptied.text()).isEqualTo(400);
            assertThat(emptied.json().path("detail").asText()).contains("basic_auth_username");
            assertThat(server.get("/v1/merchant-accounts/" + id, TestServer.ADMIN_KEY).json().path("ip_allow_list").get(0)
                .asText()).as("nothing changed").isEqualTo("192.0.2.0/24");
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    private static JsonNode event(TestServer server, String key, URI hook, SimulatedRequest request) {
        TestServer.Response answer = server.send(request.httpRequest(hook));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return server.get("/v1/payment-events/" + answer.header("X-Payment-Event-Id"), key).json();
    }
}
