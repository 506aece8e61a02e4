package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crypto end to end. A BTCPay checkout priced in bitcoin: the server creates the invoice through a local stand-in
 * of BTCPay's Greenfield API and redirects the fan to it; the signed {@code InvoiceSettled} webhook (which carries
 * no amount) posts the checkout's 0.0015 BTC in the BTC ledger (scale 8), split between creator and platform in
 * satoshis. A CoinPayments payment priced in USD and paid in BTC posts in USD with the rate the IPN implies.
 */
class CryptoEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BTC_LEDGER = 10001;

    private static String hmacSha256(String key, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBitcoinCheckoutPostsInTheBitcoinLedgerAndACoinPaidUsdPriceRecordsItsRate(@TempDir Path data) throws Exception {
        String schema = TestDatabase.freshSchema("crypto");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        try (Greenfield greenfield = new Greenfield(); TestServer server = TestServer.start(data, settings)) {
            server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"pupfanz\"}");
            String key = server.createKey("platform", "[\"payments:read\",\"payments:write\"]", "[\"pupfanz\"]");
            SimulatedProcessor btcpay = SimulatedProcessors.btcpay();
            TestServer.Response created = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"pupfanz","processor":"btcpay","name":"BTCPay","currencies":["BTC","USD"],
                 "settings":{"server_url":"%s","store_id":"%s"},
                 "secrets":{"webhook_secret":"%s","api_key":"btcpay-api-key-77"},"ip_allow_list":[]}"""
                .formatted(greenfield.baseUrl(), btcpay.account().settings().get("store_id"),
                    btcpay.account().secrets().get("webhook_secret")));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String accountId = created.json().path("id").asText();

            TestServer.Response checkout = server.postJson("/v1/checkouts", key, """
                {"tenant":"pupfanz","creator":"c_btc","product":"ppv","amount":"150000","currency":"BTC","processor":"btcpay"}""");
            assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
            UUID checkoutId = UUID.fromString(checkout.json().path("id").asText());
            assertThat(checkout.json().path("action").path("url").asText()).isEqualTo("https://btcpay.example.test/i/BTCPAYINV42");
            assertThat(checkout.text()).doesNotContain("btcpay-api-key-77");
            assertThat(greenfield.calls).hasSize(1);
            String[] call = greenfield.calls.get(0);
            assertThat(call[1]).isEqualTo("/api/v1/stores/" + btcpay.account().settings().get("store_id") + "/invoices");
            assertThat(call[2]).isEqualTo("token btcpay-api-key-77");
            JsonNode sent = JSON.readTree(call[3]);
            assertThat(new BigDecimal(sent.path("amount").asText())).isEqualByComparingTo("0.0015");
            assertThat(sent.path("currency").asText()).isEqualTo("BTC");
            assertThat(sent.path("metadata").path("orderId").asText()).isEqualTo(checkoutId.toString());

            URI hook = server.base().resolve("/hooks/btcpay/" + accountId);
            TestServer.Response settled = server.send(btcpay.sale(checkoutId, "BTCPAYINV42", new BigDecimal("0.0015"), "BTC")
                .httpRequest(hook));
            assertThat(settled.status()).as(settled.text()).isEqualTo(200);
            JsonNode sale = server.get("/v1/payment-events/" + settled.header("X-Payment-Event-Id"), key).json();
            assertThat(sale.path("status").asText()).as(sale.toString()).isEqualTo("posted");
            assertThat(sale.path("currency").asText()).isEqualTo("BTC");
            assertThat(sale.path("gross").asText()).as("the checkout's amount, in satoshis").isEqualTo("150000");
            // Platform 20 % of 150,000 sat = 30,000; the creator has the rest, in the BTC ledger.
            JsonNode balances = server.get("/v1/creators/pupfanz/c_btc/balances", key).json();
            JsonNode btc = balances.path("balances").get(0);
            assertThat(btc.path("currency").asText()).isEqualTo("BTC");
            assertThat(btc.path("available").asText()).isEqualTo("120000");

            // A webhook without metadata (an invoice whose metadata was dropped) still finds the checkout the
            // server created the invoice for, by the invoice id.
            TestServer.Response another = server.postJson("/v1/checkouts", key, """
                {"tenant":"pupfanz","creator":"c_btc","product":"tip","amount":"50000","currency":"BTC","processor":"btcpay"}""");
            assertThat(another.status()).as(another.text()).isEqualTo(201);
            String bare = "{\"deliveryId\":\"d-43\",\"originalDeliveryId\":\"d-43\",\"type\":\"InvoiceSettled\","
                + "\"timestamp\":1764590370,\"storeId\":\"" + btcpay.account().settings().get("store_id")
                + "\",\"invoiceId\":\"BTCPAYINV43\"}";
            TestServer.Response bareAnswer = server.send(java.net.http.HttpRequest.newBuilder(hook)
                .header("Content-Type", "application/json")
                .header("BTCPay-Sig", "sha256=" + hmacSha256(btcpay.account().secrets().get("webhook_secret"), bare))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(bare)).build());
            assertThat(bareAnswer.status()).as(bareAnswer.text()).isEqualTo(200);
            JsonNode bareSale = server.get("/v1/payment-events/" + bareAnswer.header("X-Payment-Event-Id"), key).json();
            assertThat(bareSale.path("status").asText()).as(bareSale.toString()).isEqualTo("posted");
            assertThat(bareSale.path("checkout_id").asText()).isEqualTo(another.json().path("id").asText());
            assertThat(bareSale.path("gross").asText()).isEqualTo("50000");
            assertThat(UUID.fromString(btc.path("payable_account_id").asText()))
                .isEqualTo(PaymentsFixture.accountId("pupfanz", BTC_LEDGER, 2100, "c_btc"));

            // CoinPayments: priced 25.00 USD, paid 0.0005 BTC (the simulator's 50,000 USD per BTC).
            SimulatedProcessor coinpayments = SimulatedProcessors.coinPayments();
            TestServer.Response second = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, JSON.createObjectNode()
                .put("tenant", "pupfanz").put("processor", "coinpayments").put("name", "CoinPayments")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("currencies", JSON.valueToTree(List.of("USD")))
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("settings", JSON.valueToTree(coinpayments.account().settings()))
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("secrets", JSON.valueToTree(coinpayments.account().secrets()))
                .toString());
            assertThat(second.status()).as(second.text()).isEqualTo(201);
            TestServer.Response usdCheckout = server.postJson("/v1/checkouts", key, """
                {"tenant":"pupfanz","creator":"c_btc","product":"tip","amount":"2500","currency":"USD","processor":"coinpayments"}""");
            assertThat(usdCheckout.status()).as(usdCheckout.text()).isEqualTo(201);
            assertThat(usdCheckout.json().path("action").path("type").asText()).as("no api_key: the platform creates it")
                .isEqualTo("create_invoice");
            TestServer.Response ipn = server.send(coinpayments.sale(UUID.fromString(usdCheckout.json().path("id").asText()),
                "CPTX1", new BigDecimal("25.00"), "USD").httpRequest(server.base().resolve("/hooks/coinpayments/"
                + second.json().path("id").asText())));
            JsonNode paid = server.get("/v1/payment-events/" + ipn.header("X-Payment-Event-Id"), key).json();
            assertThat(paid.path("status").asText()).as(paid.toString()).isEqualTo("posted");
            assertThat(paid.path("gross").asText()).isEqualTo("2500");
            assertThat(paid.path("currency").asText()).isEqualTo("USD");
            assertThat(paid.path("settlement_currency").asText()).isEqualTo("BTC");
            assertThat(new BigDecimal(paid.path("settlement_amount").asText())).isEqualByComparingTo("0.0005");
            assertThat(new BigDecimal(paid.path("conversion_rate").asText())).as("BTC per USD").isEqualByComparingTo("0.00002");
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }
}
