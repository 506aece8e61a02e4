package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's overview over real HTTP against a real server and PostgreSQL: a day's sales, refund and chargeback
 * with their fees, a payout due, and the alerts they raise (a chargeback ratio over its threshold, a parked event, an
 * adjustment waiting for approval) for the brand that owns them, and nothing of it for another brand; and the currency
 * registry.
 */
class OverviewEndToEndTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS;

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    private String financeKey;

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data);
        server = fixture.server;
        financeKey = server.createKey("girlfanz-finance", "[\"finance:read\",\"finance:write\",\"payouts:read\","
            + "\"payouts:write\",\"compliance:write\"]", "[\"girlfanz\"]");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aDaysSalesRefundsAndFeesThePayoutsDueAndWhatNeedsAPerson() {
        // One chargeback is over this account's line: its alert comes once the chargeback posts.
        assertThat(server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId, TestServer.ADMIN_KEY,
            "{\"chargeback_thresholds\":{\"other\":{\"ratio_bp\":100,\"min_count\":1}}}").status()).isEqualTo(200);
        sell("c_1", "tA", "50.00");
        sell("c_2", "tB", "100.00");
        assertThat(status(fixture.postback(PaymentsFixture.reversal("credit", "tA-r", "tA", "10.00")))).isEqualTo("posted");
        assertThat(status(fixture.postback(PaymentsFixture.reversal("chargeback", "tA-c", "tA", "20.00"))))
            .isEqualTo("posted");
        assertThat(status(fixture.postback(PaymentsFixture.reversal("credit", "tZ-r", "tZ", "1.00")))).isEqualTo("parked");
        heldPayout("c_2", "5000");
        int proposed = reconcileAFeeLine();

        JsonNode overview = overview("/v1/overview", financeKey);
        assertThat(overview.path("date").asText()).isEqualTo(TODAY.toString());
        assertThat(overview.path("tenants").toString()).isEqualTo("[\"girlfanz\"]");
        // Sales 5000 + 10000; fees rhe(10 %) + 30 each (530, 1030) and the 2500 chargeback fee; the platform's 20 % of
        // the sales (1000 + 2000) less its 20 % of the refund (200) and of the chargeback (400).
        assertThat(overview.path("volume").toString()).isEqualTo("[{\"currency\":\"USD\",\"sales\":\"15000\","
            + "\"sales_count\":2,\"refunds\":\"1000\",\"chargebacks\":\"2000\",\"chargeback_reversals\":\"0\","
            + "\"processor_fees\":\"4060\",\"platform_fees\":\"2400\"}]");
        assertThat(overview.path("payouts_due").toString())
            .isEqualTo("[{\"currency\":\"USD\",\"count\":1,\"amount\":\"5000\",\"awaiting_approval\":0,\"on_hold\":0}]");
        assertThat(overview.path("read_model").path("position").asText()).matches("[0-9]+");
        assertThat(overview.path("read_model").path("lag").asLong()).isGreaterThanOrEqualTo(0);

        List<JsonNode> alerts = paymentsAlerts(overview);
        assertThat(alerts).extracting(alert -> alert.path("kind").asText() + " " + alert.path("severity").asText() + " "
                + alert.path("count").asLong() + " " + alert.path("merchant_account_id").asText())
            .containsExactly("chargeback_ratio critical 1 " + fixture.merchantAccountId,
                "webhooks_need_attention warning 1 " + fixture.merchantAccountId,
                "reconciliation_pending warning " + proposed + " " + fixture.merchantAccountId);
        assertThat(alerts.get(0).path("message").asText()).contains("1 chargebacks").contains("threshold 100 bp and 1")
            .contains("drained");
        assertThat(alerts.get(1).path("message").asText()).contains("1 parked");

        JsonNode yesterday = overview("/v1/overview?date=" + TODAY.minusDays(1), financeKey);
        assertThat(yesterday.path("volume")).isEmpty();
        assertThat(yesterday.path("payouts_due")).as("held now, whatever the day").hasSize(1);
        assertThat(overview("/v1/overview?tenant=girlfanz", financeKey).path("volume"))
            .isEqualTo(overview.path("volume"));
        assertThat(server.get("/v1/overview?date=05-12-2026", financeKey).json().path("pointer").asText()).isEqualTo("?date");
        assertThat(server.get("/v1/overview?day=today", financeKey).status()).isEqualTo(400);
    }

    @Test
    void anotherBrandSeesNoneOfIt() {
        sell("c_1", "tA", "50.00");
        assertThat(status(fixture.postback(PaymentsFixture.reversal("credit", "tZ-r", "tZ", "1.00")))).isEqualTo("parked");
        heldPayout("c_1", "1000");
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"pupfanz\"}").status()).isEqualTo(201);
        String pupfanz = server.createKey("pupfanz-finance", "[\"finance:read\"]", "[\"pupfanz\"]");

        JsonNode theirs = overview("/v1/overview", pupfanz);
        assertThat(theirs.path("tenants").toString()).isEqualTo("[\"pupfanz\"]");
        assertThat(theirs.path("volume")).isEmpty();
        assertThat(theirs.path("payouts_due")).isEmpty();
        assertThat(paymentsAlerts(theirs)).isEmpty();
        assertThat(server.get("/v1/overview?tenant=girlfanz", pupfanz).status()).as("not its tenant").isEqualTo(404);

        JsonNode everyone = overview("/v1/overview", TestServer.ADMIN_KEY);
        assertThat(everyone.path("tenants").toString()).isEqualTo("[\"girlfanz\",\"pupfanz\"]");
        assertThat(everyone.path("volume").get(0).path("sales").asText()).isEqualTo("5000");
        assertThat(paymentsAlerts(everyone)).extracting(alert -> alert.path("kind").asText())
            .containsExactly("webhooks_need_attention");
        String payments = server.createKey("girlfanz-payments", "[\"payments:read\"]", "[\"girlfanz\"]");
        assertThat(server.get("/v1/overview", payments).status()).as("needs finance:read").isEqualTo(403);
    }

    @Test
    void theCurrencyRegistryIsForAnyKey() {
        String payments = server.createKey("girlfanz-payments", "[\"payments:read\"]", "[\"girlfanz\"]");
        TestServer.Response response = server.get("/v1/currencies", payments);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        response.json().path("currencies").forEach(currency -> codes.add(currency.path("code").asText()));
        assertThat(codes).isSorted().contains("BTC", "EUR", "USD", "USDC");
        assertThat(response.text()).contains("{\"code\":\"USD\",\"ledger\":840,\"scale\":2}")
            .contains("{\"code\":\"EUR\",\"ledger\":978,\"scale\":2}");
        assertThat(server.get("/v1/currencies", null).status()).isEqualTo(401);
        assertThat(server.get("/v1/currencies?all=true", payments).status()).isEqualTo(400);
    }

    // ---- steps ----------------------------------------------------------------------------------

    private void sell(String creator, String transaction, String amount) {
        String checkout = fixture.checkout(creator, Long.parseLong(amount.replace(".", "")), null);
        assertThat(status(fixture.postback(PaymentsFixture.sale(transaction, amount, checkout)))).isEqualTo("posted");
    }

    private String status(TestServer.Response answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return fixture.event(answer.header("X-Payment-Event-Id")).path("status").asText();
    }

    private void heldPayout(String creator, String amount) {
        if (server.get("/v1/merchant-accounts?processor=ach", TestServer.ADMIN_KEY).json().path("merchant_accounts").isEmpty()) {
            PayoutSteps.created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"ach","name":"ACH","currencies":["USD"],"settings":%s}"""
                .formatted(ACH_SETTINGS)));
        }
        String payee = PayoutSteps.created(server.postJson("/v1/payees", financeKey, """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","country":"US","currency":"USD","rail":"ach",
             "rail_details":{"routing_number":"231380104","account_number":"123456789"}}""".formatted(creator)));
        assertThat(server.putJson("/v1/payees/" + payee + "/compliance", financeKey,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}").status()).isEqualTo(200);
        TestServer.Response payout = new PayoutSteps(() -> server, financeKey, fixture.platformKey)
            .payout(payee, amount, "USD", "payout-" + creator);
        assertThat(payout.json().path("status").asText()).as(payout.text()).isEqualTo("held");
    }

    /** A settlement report with only a fee the ledger does not hold: its adjustments stay proposed. */
    private int reconcileAFeeLine() {
        String report = "reference,type,amount,currency,fee,date,description\n,fee,-25.00,USD,0," + TODAY + ",monthly fee\n";
        TestServer.Response result = server.send(HttpRequest.newBuilder(server.base().resolve(
                "/v1/reconciliations?merchant_account_id=" + fixture.merchantAccountId + "&format=generic"))
            .header("Authorization", "Bearer " + financeKey).header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(report, StandardCharsets.UTF_8)));
        assertThat(result.status()).as(result.text()).isEqualTo(201);
        int proposed = result.json().path("proposed_adjustments").size();
        assertThat(proposed).isPositive();
        return proposed;
    }

    private JsonNode overview(String path, String key) {
        TestServer.Response response = server.get(path, key);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** The alerts about payments; the read model's lag is the server's, whoever asks. */
    private static List<JsonNode> paymentsAlerts(JsonNode overview) {
        List<JsonNode> alerts = new ArrayList<>();
        overview.path("alerts").forEach(alert -> {
            if (!alert.path("kind").asText().equals("read_model_lagging")) {
                alerts.add(alert);
            }
        });
        return alerts;
    }
}
