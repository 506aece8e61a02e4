package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOWPayments checkouts create an invoice through the processor's API, here a small local simulator of its
 * {@code POST /v1/invoice} on a real port: the server sends the contract's body with {@code x-api-key} and
 * answers a redirect to the invoice; with provider calls off it hands the body to the platform instead; an
 * error answer is 502 {@code provider-error}, and no answer at all is 502 as well, never a blind retry.
 */
class InvoiceCheckoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stand-in for NOWPayments' invoice endpoint: records each call and answers as configured. */
    private static final class InvoiceApi implements AutoCloseable {
        final HttpServer server;
        final List<String[]> calls = new CopyOnWriteArrayList<>();
        volatile int status = 200;

        InvoiceApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/invoice", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                calls.add(new String[] {exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("x-api-key"), body});
                JsonNode request = JSON.readTree(body);
                String answer = status == 200
                    ? "{\"id\":\"4522625843\",\"order_id\":\"" + request.path("order_id").asText()
                        + "\",\"invoice_url\":\"https://nowpayments.io/payment/?iid=4522625843\"}"
                    : "{\"statusCode\":400,\"code\":\"INVALID_REQUEST_PARAMS\",\"message\":\"price_amount is too small\"}";
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void theServerCreatesTheInvoiceAndRedirectsOrHandsTheRequestOver(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("invoice");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PUBLIC_BASE_URL", "https://pay.example.test");
        try (InvoiceApi api = new InvoiceApi(); TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}");
            String key = server.createKey("platform", "[\"payments:read\",\"payments:write\"]", "[\"girlfanz\"]");
            TestServer.Response withKey = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"nowpayments","name":"crypto","currencies":["USD"],
                 "settings":{"api_base_url":"%s"},"secrets":{"ipn_secret":"ipn-secret","api_key":"np-api-key-123"}}"""
                .formatted(api.baseUrl()));
            assertThat(withKey.status()).as(withKey.text()).isEqualTo(201);
            String accountId = withKey.json().path("id").asText();

            TestServer.Response checkout = server.postJson("/v1/checkouts", key, """
                {"tenant":"girlfanz","creator":"c_8","product":"ppv","amount":"2000","currency":"USD","processor":"nowpayments"}""");
            assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
            String id = checkout.json().path("id").asText();
            assertThat(checkout.json().path("action").path("type").asText()).isEqualTo("redirect");
            assertThat(checkout.json().path("action").path("url").asText())
                .isEqualTo("https://nowpayments.io/payment/?iid=4522625843");
            assertThat(checkout.text()).doesNotContain("np-api-key-123");
            assertThat(api.calls).hasSize(1);
            String[] call = api.calls.get(0);
            assertThat(call[0]).isEqualTo("POST");
            assertThat(call[1]).isEqualTo("np-api-key-123");
            JsonNode sent = JSON.readTree(call[2]);
            assertThat(sent.path("price_amount").decimalValue()).isEqualByComparingTo("20.00");
            assertThat(sent.path("price_currency").asText()).isEqualTo("usd");
            assertThat(sent.path("order_id").asText()).isEqualTo(id);
            assertThat(sent.path("ipn_callback_url").asText())
                .isEqualTo("https://pay.example.test/hooks/nowpayments/" + accountId);

            api.status = 400;
            TestServer.Response refused = server.postJson("/v1/checkouts", key, """
                {"tenant":"girlfanz","creator":"c_8","product":"ppv","amount":"1","currency":"USD","processor":"nowpayments"}""");
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.json().path("type").asText()).endsWith("provider-error");
            assertThat(refused.text()).doesNotContain("np-api-key-123");

            api.close();
            TestServer.Response unreachable = server.postJson("/v1/checkouts", key, """
                {"tenant":"girlfanz","creator":"c_8","product":"ppv","amount":"2000","currency":"USD","processor":"nowpayments"}""");
            assertThat(unreachable.status()).isEqualTo(502);
            assertThat(unreachable.json().path("type").asText()).endsWith("provider-error");
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void withProviderCallsOffTheCheckoutCarriesTheInvoiceRequest(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("invoice");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PROVIDER_CALLS", "off");
        try (InvoiceApi api = new InvoiceApi(); TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}");
            String key = server.createKey("platform", "[\"payments:write\"]", "[\"girlfanz\"]");
            assertThat(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"nowpayments","name":"crypto","currencies":["USD"],
                 "settings":{"api_base_url":"%s"},"secrets":{"ipn_secret":"s","api_key":"np-api-key-123"}}"""
                .formatted(api.baseUrl())).status()).isEqualTo(201);
            TestServer.Response checkout = server.postJson("/v1/checkouts", key, """
                {"tenant":"girlfanz","creator":"c_8","product":"ppv","amount":"2000","currency":"USD","processor":"nowpayments"}""");
            assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
            JsonNode action = checkout.json().path("action");
            assertThat(action.path("type").asText()).isEqualTo("create_invoice");
            assertThat(action.path("request").path("order_id").asText()).isEqualTo(checkout.json().path("id").asText());
            assertThat(checkout.text()).doesNotContain("np-api-key-123");
            assertThat(api.calls).isEmpty();
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }
}
