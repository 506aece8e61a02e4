package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.payouts.ach.NachaDocument;
import com.fanzfinance.payouts.ach.NachaReader;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank side of payouts over real HTTP: ACH payouts batched, submitted and settled, then the bank's statement —
 * a debit for the whole batch, a single payout's debit with a bank charge, the money of a returned payout coming
 * back, and a stranger — matched (the batch by its id, the rest by trace), with the entries that move money at the
 * bank proposed; the bank's NACHA return file read as a statement; and the daily check that flags a payout settled
 * in the ledger that no statement has shown.
 */
class RailReconciliationEndToEndTest {
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS.replace("}", ",\"bank_account\":\"121042882:9876543\"}");

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    private String key;
    private String ach;
    private String payee;

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data);
        server = fixture.server;
        key = server.createKey("girlfanz-back-office", "[\"payouts:read\",\"payouts:write\",\"payouts:admin\","
            + "\"compliance:write\",\"finance:read\",\"finance:write\",\"events:read\"]", "[\"girlfanz\"]");
        ach = created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"ach","name":"ACH payouts","currencies":["USD"],"settings":%s,
             "payout":{"minimum":"100","fee":"0","settle_after_days":2}}""".formatted(ACH_SETTINGS)));
        String checkout = fixture.checkout("c_1", 20000, null);
        assertThat(fixture.postback(PaymentsFixture.sale("t-earn", "200.00", checkout)).status()).isEqualTo(200);
        payee = created(server.postJson("/v1/payees", key, """
            {"tenant":"girlfanz","creator":"c_1","name":"Jane Doe","email":"jane@example.com","country":"US",
             "currency":"USD","rail":"ach","rail_details":{"routing_number":"231380104","account_number":"123456789"}}"""));
        assertThat(server.putJson("/v1/payees/" + payee + "/compliance", key,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\",\"reference\":\"idv_1\"}").status())
            .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theBankStatementMatchesBatchesPayoutsAndReturnsAndTheDailyCheckFlagsWhatItNeverShowed() throws Exception {
        String p1 = payout("3000", "p1");
        String p2 = payout("2000", "p2");
        JsonNode batch = batchAndSettle(List.of(p1, p2));
        String p3 = payout("1000", "p3");
        JsonNode single = batchAndSettle(List.of(p3));
        String trace = payoutJson(p3).path("rail_reference").asText();
        assertThat(post("/v1/payouts/" + p3 + "/events", "{\"type\":\"returned\",\"reason_code\":\"R01\"}")
            .json().path("status").asText()).isEqualTo("returned");
        String p4 = payout("500", "p4");
        batchAndSettle(List.of(p4));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String statement = """
            reference,amount,currency,fee,date,description
            %s,-50.00,USD,0,%s,ACH BATCH
            %s,-10.00,USD,0.25,%s,ACH ENTRY
            %s,10.00,USD,0,%s,ACH RETURN R01
            ,-7.77,USD,0,%s,CARD FEE
            """.formatted(batch.path("id").asText().replace("-", ""), batch.path("effective_date").asText(),
            trace, single.path("effective_date").asText(), trace, today, today);
        TestServer.Response response = reconcile(statement, "generic");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode result = response.json();

        assertThat(result.path("matched")).extracting(entry -> entry.path("rule").asText() + " " + entry.path("lines"))
            .containsExactly("one_to_one [3]", "one_to_many [1]");
        assertThat(result.path("differing")).as("the bank charged 0.25 the ledger did not expect")
            .extracting(entry -> entry.path("lines") + " " + entry.path("fields")).containsExactly("[2] [\"fee\"]");
        JsonNode batchMatch = result.path("matched").get(1);
        assertThat(batchMatch.path("items")).extracting(item -> item.path("payout_id").asText()).containsExactly(p1, p2);
        assertThat(result.path("matched").get(0).path("items").get(0).path("return").asBoolean()).isTrue();
        assertThat(result.path("unmatched_statement")).extracting(entry -> entry.path("line").asInt() + " "
            + entry.path("reason").asText()).containsExactly("4 not-in-ledger");
        assertThat(result.path("unmatched_ledger")).extracting(entry -> entry.path("payout_id").asText())
            .containsExactly(p4);

        String bank = "121042882:9876543";
        assertThat(result.path("proposed_adjustments")).extracting(adjustment -> adjustment.path("reason").asText() + " "
            + adjustment.path("amount").asText() + " " + adjustment.path("postings").get(0).path("role").asText() + ">"
            + adjustment.path("postings").get(1).path("role").asText())
            .containsExactly("payout-sent 1025 payouts_in_transit>bank", "payout-returned 1000 bank>payouts_in_transit",
                "payout-sent 5000 payouts_in_transit>bank");
        JsonNode charged = result.path("proposed_adjustments").get(0).path("postings");
        assertThat(charged).as("the payout, and the charge to the rail's fees, in one chain").hasSize(4);
        assertThat(charged.get(2).path("role").asText() + " " + charged.get(2).path("debit").asText())
            .isEqualTo("payout_rail_fees 25");
        result.path("proposed_adjustments").forEach(adjustment -> adjustment.path("postings").forEach(posting -> {
            if (posting.path("role").asText().equals("bank")) {
                assertThat(posting.path("party").asText()).isEqualTo(bank);
            }
        }));
        TestServer.Response approved = post("/v1/reconciliations/" + result.path("id").asText() + "/approve",
            "{\"adjustments\":\"all\"}");
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
        // Bank (asset): −1000 + 1000 − 5000 − 25 = −5025 as debits − credits.
        long bankBalance = -fixture.balance(PaymentsFixture.accountId("girlfanz", 840, 1000, bank));
        assertThat(bankBalance).isEqualTo(-5025);

        // The bank's NACHA return file, read as a statement: its return meets the returned payout's money.
        NachaDocument file = NachaReader.read(new String(server.get("/v1/payout-batches/" + single.path("id").asText()
            + "/file", key).body(), StandardCharsets.US_ASCII));
        // (the return file is dated by the batch's effective date, days after the return was applied here)
        TestServer.Response returns = server.send(upload("nacha_returns&date_tolerance_days=7", "text/plain",
            NachaReturnFiles.returns(file, List.of(file.batches().get(0).entries().get(0)), "R01")));
        assertThat(returns.status()).as(returns.text()).isEqualTo(201);
        assertThat(returns.json().path("matched")).as(returns.text()).hasSize(1);
        assertThat(returns.json().path("matched").get(0).path("items").get(0).path("payout_id").asText()).isEqualTo(p3);

        // p4 never showed on a statement: ten days on, the daily check flags it (and only it).
        int checks = fixture.server.server().payments().balanceChecks().runNow(Instant.now().plus(Duration.ofDays(10)));
        assertThat(checks).isEqualTo(1);
        String asOf = LocalDate.now(ZoneOffset.UTC).plusDays(9).toString();
        JsonNode check = null;
        for (JsonNode recorded : server.get("/v1/balance-checks?merchant_account_id=" + ach, key).json()
            .path("balance_checks")) {
            if (recorded.path("as_of").asText().equals(asOf)) {
                check = recorded;
            } else {
                assertThat(recorded.path("status").asText()).as("the server's own daily pass: nothing stale yet")
                    .isEqualTo("ok");
            }
        }
        assertThat(check).as("the check for " + asOf).isNotNull();
        assertThat(check.path("kind").asText()).isEqualTo("payouts_in_transit");
        assertThat(check.path("status").asText()).isEqualTo("discrepancy");
        assertThat(check.path("difference").asText()).isEqualTo("500");
        assertThat(check.path("details").path("stale_payouts")).extracting(stale -> stale.path("payout_id").asText())
            .containsExactly(p4);
        assertThat(fixture.server.server().payments().balanceChecks().runNow(Instant.now().plus(Duration.ofDays(10))))
            .as("a day's check is recorded once").isZero();
    }

    @Test
    void aFeeThePlatformPaysLeavesTransitWithTheBanksCharge() throws Exception {
        TestServer.Response terms = server.patchJson("/v1/merchant-accounts/" + ach, TestServer.ADMIN_KEY,
            "{\"payout\":{\"minimum\":\"100\",\"fee\":\"25\",\"fee_paid_by\":\"platform\",\"settle_after_days\":2}}");
        assertThat(terms.status()).as(terms.text()).isEqualTo(200);
        String p1 = payout("2000", "f1");
        JsonNode batch = batchAndSettle(List.of(p1));
        java.util.UUID inTransit = PaymentsFixture.accountId("girlfanz", 840, 1403, ach);
        assertThat(fixture.balance(inTransit)).as("the amount and the fee the platform pays wait in transit")
            .isEqualTo(2025);
        String trace = payoutJson(p1).path("rail_reference").asText();
        String statement = "reference,amount,currency,fee,date\n" + trace + ",-20.00,USD,0.30,"
            + batch.path("effective_date").asText() + "\n";
        JsonNode result = reconcile(statement, "generic").json();
        assertThat(result.path("differing")).extracting(entry -> entry.path("fields").toString())
            .as("the bank charged 0.30 where 0.25 was expected").containsExactly("[\"fee\"]");
        JsonNode sent = result.path("proposed_adjustments").get(0);
        assertThat(sent.path("reason").asText() + " " + sent.path("amount").asText()).isEqualTo("payout-sent 2030");
        assertThat(sent.path("postings")).extracting(posting -> posting.path("leg").asInt() + " "
            + posting.path("role").asText() + " " + (posting.has("debit") ? "Dr " + posting.path("debit").asText()
            : "Cr " + posting.path("credit").asText()))
            .containsExactly("1 payouts_in_transit Dr 2025", "1 bank Cr 2025", "2 payout_rail_fees Dr 5", "2 bank Cr 5");
        assertThat(post("/v1/reconciliations/" + result.path("id").asText() + "/approve", "{\"adjustments\":\"all\"}")
            .status()).isEqualTo(200);
        assertThat(fixture.balance(inTransit)).as("nothing left in transit").isZero();
    }

    private String payout(String amount, String idempotencyKey) {
        TestServer.Response response = server.send(server.request("/v1/payouts", key)
            .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString("{\"payee_id\":\"" + payee + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"USD\"}")));
        return created(response);
    }

    private JsonNode batchAndSettle(List<String> payouts) {
        TestServer.Response made = server.postJson("/v1/payout-batches", key, "{\"rail\":\"ach\",\"merchant_account_id\":\""
            + ach + "\",\"payout_ids\":[\"" + String.join("\",\"", payouts) + "\"]}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        JsonNode batch = made.json();
        assertThat(post("/v1/payout-batches/" + batch.path("id").asText() + "/submit", "").status()).isEqualTo(200);
        for (String payout : payouts) {
            assertThat(post("/v1/payouts/" + payout + "/events", "{\"type\":\"settled\"}").json().path("status").asText())
                .isEqualTo("settled");
        }
        return batch;
    }

    private JsonNode payoutJson(String id) {
        return server.get("/v1/payouts/" + id, key).json();
    }

    private TestServer.Response post(String path, String body) {
        return server.postJson(path, key, body);
    }

    private TestServer.Response reconcile(String body, String format) {
        return server.send(upload(format, "text/csv", body));
    }

    private HttpRequest.Builder upload(String format, String type, String body) {
        return server.request("/v1/reconciliations?merchant_account_id=" + ach + "&format=" + format, key)
            .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private static String created(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.json().path("id").asText();
    }
}
