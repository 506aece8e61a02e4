package com.fanzfinance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

/**
 * A ledger server with a day of two brands' money in it, made through the public API only, the way the
 * platform and the processors make it: girlfanz has sales, a refund, a refund parked without its sale,
 * a statement reconciled with proposed entries, an ACH rail with two payouts (one large enough to need
 * approval) and a finance key; boyfanz has its own processor account, a sale and its own finance key —
 * nothing of it may ever show to girlfanz's key.
 */
final class ConsoleWorld implements AutoCloseable {
    static final String FINANCE_SCOPES = "[\"finance:read\",\"finance:write\",\"payments:read\",\"payments:admin\","
        + "\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"ledger:read\",\"events:read\"]";
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS;

    final PaymentsFixture fixture;
    final TestServer server;
    /** girlfanz's finance staff: reads everything of girlfanz, approves, holds, cancels, replays, reconciles. */
    final String girlfanzFinanceKey;
    final String boyfanzFinanceKey;
    /** A reader of both brands (an accountant of the group): "All my brands" and a choice between them. */
    final String bothBrandsKey;
    final String payoutsKey;
    final String achAccount;
    final String boyfanzAccount;
    /** A refund whose sale never arrived: parked. */
    final String parkedEvent;
    /** A payout of 120.00 USD to c_ana, over the account's approval threshold. */
    final String largePayout;
    /** A payout of 15.00 USD to c_bea, under it. */
    final String smallPayout;
    final String reconciliation;
    private int sales;

    ConsoleWorld(Path data, Map<String, String> settings) {
        fixture = PaymentsFixture.start(data, settings);
        server = fixture.server;
        try {
            ok(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}"), 200, 201);
            girlfanzFinanceKey = server.createKey("girlfanz-finance", FINANCE_SCOPES, "[\"girlfanz\"]");
            boyfanzFinanceKey = server.createKey("boyfanz-finance", FINANCE_SCOPES, "[\"boyfanz\"]");
            bothBrandsKey = server.createKey("group-accountant", "[\"finance:read\",\"payments:read\",\"payouts:read\"]",
                "[\"girlfanz\",\"boyfanz\"]");
            payoutsKey = server.createKey("platform-payouts", "[\"payouts:read\",\"payouts:write\",\"compliance:write\"]",
                "[\"girlfanz\",\"boyfanz\"]");
            boyfanzAccount = id(ok(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"boyfanz","processor":"verotel","name":"Verotel BoyFanz","currencies":["USD"],
                 "fees":{"percent_bp":1000,"fixed":"30"},"settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}"""
                .formatted(PaymentsFixture.SHOP_ID, PaymentsFixture.SIGNATURE_KEY)), 201));

            sell("girlfanz", fixture.merchantAccountId, "c_ana", "t-ana-1", "120.00");
            sell("girlfanz", fixture.merchantAccountId, "c_ana", "t-ana-2", "49.99");
            sell("girlfanz", fixture.merchantAccountId, "c_bea", "t-bea-1", "30.00");
            sell("girlfanz", fixture.merchantAccountId, "c_bea", "t-bea-2", "19.99");
            sell("boyfanz", boyfanzAccount, "c_zed", "t-zed-1", "77.00");
            ok(fixture.postback(PaymentsFixture.reversal("credit", "r-bea-1", "t-bea-2", "19.99")), 200);
            parkedEvent = fixture.postback(PaymentsFixture.reversal("credit", "r-lost-1", "t-lost-1", "12.00")).header(
                "X-Payment-Event-Id");
            assertThat(event(parkedEvent).path("status").asText()).isEqualTo("parked");

            achAccount = id(ok(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"ach","name":"ACH via First Bank","currencies":["USD"],"settings":%s,
                 "payout":{"minimum":"1000","fee":"25","approval_threshold":"10000"}}""".formatted(ACH_SETTINGS)), 201));
            String ana = payee("c_ana", "Ana Example", "123456789");
            String bea = payee("c_bea", "Bea Example", "987654321");
            largePayout = payout(ana, "12000", "ana-1");
            smallPayout = payout(bea, "1500", "bea-1");
            reconciliation = reconcile();
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
    }

    private void sell(String tenant, String merchantAccount, String creator, String transaction, String amount) {
        String key = tenant.equals("girlfanz") ? fixture.platformKey : TestServer.ADMIN_KEY;
        String checkout = id(ok(server.postJson("/v1/checkouts", key, """
            {"tenant":"%s","creator":"%s","fan":"f_%d","product":"ppv","amount":"%s","currency":"USD",
             "merchant_account_id":"%s"}""".formatted(tenant, creator, ++sales, amount.replace(".", ""), merchantAccount)),
            201));
        Map<String, String> sale = new LinkedHashMap<>(PaymentsFixture.sale(transaction, amount, checkout));
        TestServer.Response answer = server.send(HttpRequest.newBuilder(server.base().resolve("/hooks/verotel/"
            + merchantAccount + "?" + PaymentsFixture.signedQuery(sale, PaymentsFixture.SIGNATURE_KEY))).GET());
        ok(answer, 200);
        assertThat(event(answer.header("X-Payment-Event-Id")).path("status").asText()).isEqualTo("posted");
    }

    private String payee(String creator, String name, String account) {
        String payee = id(ok(server.postJson("/v1/payees", payoutsKey, """
            {"tenant":"girlfanz","creator":"%s","name":"%s","email":"%s@example.com","country":"US","currency":"USD",
             "rail":"ach","rail_details":{"routing_number":"231380104","account_number":"%s"}}"""
            .formatted(creator, name, creator, account)), 201));
        ok(server.putJson("/v1/payees/" + payee + "/compliance", payoutsKey,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\",\"reference\":\"idv-" + creator + "\"}"), 200);
        return payee;
    }

    private String payout(String payee, String amount, String idempotencyKey) {
        return id(ok(server.send(server.request("/v1/payouts", payoutsKey).header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString("{\"payee_id\":\"" + payee + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"USD\"}"))), 201));
    }

    /** Verotel's report of the day: one sale at another fee than booked, one sale the ledger lacks, a monthly fee. */
    private String reconcile() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String statement = """
            reference,type,amount,currency,fee,date,description
            t-ana-1,sale,120.00,USD,12.30,%1$s,
            t-ana-2,sale,49.99,USD,5.30,%1$s,
            t-bea-1,sale,30.00,USD,3.60,%1$s,charged 0.30 more than the contract
            t-bea-2,sale,19.99,USD,2.30,%1$s,
            r-bea-1,refund,-19.99,USD,0,%1$s,
            t-unknown-9,sale,25.00,USD,2.80,%1$s,not in the ledger
            ,fee,-35.00,USD,0,%1$s,monthly gateway fee
            """.formatted(today);
        return id(ok(server.send(HttpRequest.newBuilder(server.base().resolve("/v1/reconciliations?merchant_account_id="
                + fixture.merchantAccountId + "&format=generic"))
            .header("Authorization", "Bearer " + girlfanzFinanceKey).header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(statement, StandardCharsets.UTF_8))), 201));
    }

    /** A payment event as it is now (any brand's). */
    JsonNode event(String id) {
        return ok(server.get("/v1/payment-events/" + id, TestServer.ADMIN_KEY), 200).json();
    }

    JsonNode payoutNow(String id) {
        return ok(server.get("/v1/payouts/" + id, girlfanzFinanceKey), 200).json();
    }

    static TestServer.Response ok(TestServer.Response response, int... statuses) {
        assertThat(response.status()).as(response.text()).isIn((Object[]) java.util.Arrays.stream(statuses).boxed()
            .toArray(Integer[]::new));
        return response;
    }

    private static String id(TestServer.Response response) {
        return response.json().path("id").asText();
    }

    @Override
    public void close() {
        fixture.close();
    }
}
