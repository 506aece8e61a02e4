package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation over real HTTP against a real server and PostgreSQL: sales, a refund posted by signed Verotel
 * postbacks, then a settlement report with seeded mismatches (a sale missing on each side, a double-booked fee, an
 * amount a cent off, a sale a day late, split and merged lines, a line without a reference, a fee not booked and a
 * settlement) — every one found and classified, nothing matched falsely; the adjustments approved and posted as
 * code-301 transfers carrying their adjustment id; the settlement then met on a camt.053 bank statement.
 */
class ReconciliationEndToEndTest {
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();
    private static final String TOMORROW = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    private String financeKey;
    private final Map<String, String> events = new HashMap<>();

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data);
        server = fixture.server;
        financeKey = server.createKey("girlfanz-finance", "[\"finance:read\",\"finance:write\",\"events:read\"]",
            "[\"girlfanz\"]");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSettlementReportWithSeededMismatchesIsClassifiedAndItsAdjustmentsPost() throws Exception {
        for (String[] sale : new String[][] {{"t1", "10.00"}, {"t2", "20.00"}, {"t3", "5.00"}, {"t4", "7.00"},
            {"t5", "30.00"}, {"t6", "12.00"}, {"t7", "8.00"}, {"t8", "15.00"}, {"t9", "40.00"}, {"t11", "6.00"}}) {
            sell(sale[0], sale[1]);
        }
        TestServer.Response refund = fixture.postback(PaymentsFixture.reversal("credit", "r1", "t1", "4.00"));
        assertThat(refund.status()).as(refund.text()).isEqualTo(200);
        events.put("r1", refund.raw().headers().firstValue("X-Payment-Event-Id").orElseThrow());

        String report = """
            reference,type,amount,currency,fee,date,description
            t1,sale,10.00,USD,1.30,%1$s,
            t2,sale,20.00,USD,4.60,%1$s,fee charged twice
            t3,sale,5.01,USD,0.80,%1$s,a cent more
            t4,sale,7.00,USD,1.00,%1$s,
            t5,sale,15.00,USD,1.65,%1$s,first half
            t5,sale,15.00,USD,1.65,%1$s,second half
            t6|t7,sale,20.00,USD,2.60,%1$s,two sales in one line
            t9,sale,40.00,USD,4.30,%2$s,a day late
            r1,refund,-4.00,USD,0,%1$s,
            t10,sale,9.00,USD,1.20,%1$s,"not in the ledger: C:\\tab\\n, ""quoted""\"
            ,fee,-25.00,USD,0,%1$s,monthly fee
            SET-1,payout,-50.00,USD,0,%1$s,settlement to the bank
            ,sale,6.00,USD,0.90,%1$s,no reference
            """.formatted(TODAY, TOMORROW);
        TestServer.Response created = reconcile(report, "generic", "date_tolerance_days=0", "k1");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode result = created.json();
        String id = result.path("id").asText();
        assertThat(result.path("status").asText()).isEqualTo("completed");
        assertThat(result.path("summary").path("statement_lines").asInt()).isEqualTo(13);

        Map<String, String> matched = new HashMap<>();
        result.path("matched").forEach(entry -> matched.put(entry.path("lines").toString(), entry.path("rule").asText()));
        assertThat(matched).containsOnly(Map.entry("[1]", "one_to_one"), Map.entry("[4]", "one_to_one"),
            Map.entry("[5,6]", "many_to_one"), Map.entry("[7]", "one_to_many"), Map.entry("[9]", "one_to_one"),
            Map.entry("[13]", "amount_date"));
        JsonNode merged = find(result.path("matched"), "[7]");
        assertThat(merged.path("items")).extracting(item -> item.path("reference").asText()).containsExactly("t6", "t7");
        assertThat(find(result.path("matched"), "[13]").path("items").get(0).path("event_id").asText())
            .isEqualTo(events.get("t11"));
        assertThat(find(result.path("matched"), "[9]").path("items").get(0).path("amount").asText()).isEqualTo("-400");

        Map<String, String> differing = new HashMap<>();
        result.path("differing").forEach(entry -> differing.put(entry.path("lines").toString(), entry.path("fields").toString()));
        assertThat(differing).containsOnly(Map.entry("[2]", "[\"fee\"]"), Map.entry("[3]", "[\"amount\"]"),
            Map.entry("[8]", "[\"date\"]"));
        JsonNode doubleFee = find(result.path("differing"), "[2]");
        assertThat(doubleFee.path("statement").path("fee").asText()).isEqualTo("460");
        assertThat(doubleFee.path("ledger").path("fee").asText()).isEqualTo("230");
        assertThat(doubleFee.path("difference").path("fee").asText()).isEqualTo("230");
        assertThat(find(result.path("differing"), "[3]").path("difference").path("amount").asText()).isEqualTo("1");

        Map<Long, String> unmatched = new HashMap<>();
        result.path("unmatched_statement").forEach(entry -> unmatched.put(entry.path("line").asLong(),
            entry.path("reason").asText()));
        assertThat(unmatched).containsOnly(Map.entry(10L, "not-in-ledger"), Map.entry(11L, "fee-not-booked"),
            Map.entry(12L, "settlement-reported"));
        JsonNode line10 = null;
        for (JsonNode entry : result.path("unmatched_statement")) {
            line10 = entry.path("line").asInt() == 10 ? entry : line10;
        }
        assertThat(line10.path("description").asText())
            .as("text survives the stored chunks exactly").isEqualTo("not in the ledger: C:\\tab\\n, \"quoted\"");
        assertThat(result.path("unmatched_ledger")).extracting(entry -> entry.path("reference").asText())
            .containsExactly("t8");
        assertThat(result.path("summary").path("matched").asInt()).isEqualTo(6);
        assertThat(result.path("summary").path("differing").asInt()).isEqualTo(3);
        JsonNode usd = result.path("totals").path("USD");
        assertThat(usd.path("statement_lines").asInt()).isEqualTo(13);
        assertThat(usd.path("ledger_items").asInt()).isEqualTo(11);
        assertThat(usd.path("unmatched_ledger_amount").asText()).isEqualTo("1500");

        JsonNode adjustments = result.path("proposed_adjustments");
        assertThat(adjustments).extracting(adjustment -> adjustment.path("reason").asText() + " "
            + adjustment.path("amount").asText() + " " + adjustment.path("status").asText())
            .containsExactly("fee-difference 230 proposed", "fee-not-booked 2500 proposed");
        UUID fees = PaymentsFixture.accountId("girlfanz", 840, 5104, fixture.merchantAccountId);
        UUID receivable = PaymentsFixture.accountId("girlfanz", 840, 1104, fixture.merchantAccountId);
        JsonNode feeDifference = adjustments.get(0);
        assertThat(feeDifference.path("postings").get(0).path("account_id").asText()).isEqualTo(fees.toString());
        assertThat(feeDifference.path("postings").get(0).path("debit").asText()).isEqualTo("230");
        assertThat(feeDifference.path("postings").get(1).path("account_id").asText()).isEqualTo(receivable.toString());
        assertThat(feeDifference.path("postings").get(1).path("credit").asText()).isEqualTo("230");

        long feesBefore = -fixture.balance(fees);
        long receivableBefore = -fixture.balance(receivable);
        TestServer.Response approved = server.postJson("/v1/reconciliations/" + id + "/approve", financeKey,
            "{\"adjustments\":\"all\"}");
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
        List<String> transferIds = new ArrayList<>();
        for (JsonNode adjustment : approved.json().path("proposed_adjustments")) {
            assertThat(adjustment.path("status").asText()).isEqualTo("posted");
            assertThat(adjustment.path("decided_by").asText()).startsWith("key_");
            String transferId = adjustment.path("transfer_ids").get(0).asText();
            transferIds.add(transferId);
            JsonNode transfer = server.get("/v1/transfers/" + transferId, TestServer.ADMIN_KEY).json();
            assertThat(transfer.path("code").asInt()).isEqualTo(301);
            assertThat(transfer.path("user_data_128").asText()).isEqualTo(adjustment.path("id").asText());
        }
        assertThat(-fixture.balance(fees) - feesBefore).isEqualTo(2730);
        assertThat(-fixture.balance(receivable) - receivableBefore).isEqualTo(-2730);

        TestServer.Response again = server.postJson("/v1/reconciliations/" + id + "/approve", financeKey,
            "{\"adjustments\":[\"" + adjustments.get(0).path("id").asText() + "\"]}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("proposed_adjustments").get(0).path("transfer_ids").get(0).asText())
            .isEqualTo(transferIds.get(0));
        assertThat(-fixture.balance(fees) - feesBefore).as("approving again changes nothing").isEqualTo(2730);
        TestServer.Response rejectPosted = server.postJson("/v1/reconciliations/" + id + "/reject", financeKey,
            "{\"adjustments\":[\"" + adjustments.get(1).path("id").asText() + "\"]}");
        assertThat(rejectPosted.status()).isEqualTo(409);
        assertThat(rejectPosted.json().path("type").asText()).endsWith("invalid-adjustment-transition");
        assertThat(server.postJson("/v1/reconciliations/" + id + "/reject", financeKey, "{\"adjustments\":\"all\"}")
            .status()).as("\"all\" rejects every proposed one: none is left").isEqualTo(200);

        // The same report again (another key): its facts are proposed already, so nothing is proposed twice.
        TestServer.Response second = reconcile(report, "generic", "date_tolerance_days=0", "k2");
        assertThat(second.status()).as(second.text()).isEqualTo(201);
        assertThat(second.json().path("proposed_adjustments")).isEmpty();
        assertThat(second.json().path("warnings").toString()).contains("already proposed by earlier reconciliations");

        // An adjustment a crash left "approving" (posted or not) is finished by approving it again.
        TestServer.Response third = reconcile(report + ",fee,-1.00,USD,0," + TODAY + ",wire fee\n", "generic",
            "date_tolerance_days=0", "k3");
        assertThat(third.json().path("proposed_adjustments")).as("only the fee line not proposed before").hasSize(1);
        JsonNode tenCents = third.json().path("proposed_adjustments").get(0);
        assertThat(tenCents.path("reason").asText() + " " + tenCents.path("amount").asText())
            .isEqualTo("fee-not-booked 100");
        try (java.sql.Connection db = com.fanzfinance.server.TestDatabase.connect(fixture.schema + "_pay");
             java.sql.Statement statement = db.createStatement()) {
            statement.execute("UPDATE reconciliation_adjustments SET status = 'approving' WHERE id = '"
                + tenCents.path("id").asText() + "'");
        }
        TestServer.Response finished = server.postJson("/v1/reconciliations/" + third.json().path("id").asText()
            + "/approve", financeKey, "{\"adjustments\":[\"" + tenCents.path("id").asText() + "\"]}");
        assertThat(finished.json().path("proposed_adjustments").get(0).path("status").asText()).isEqualTo("posted");
        assertThat(-fixture.balance(fees) - feesBefore).isEqualTo(2830);

        TestServer.Response repeat = reconcile(report, "generic", "date_tolerance_days=0", "k1");
        assertThat(repeat.status()).as("same key and file: the first result").isEqualTo(200);
        assertThat(repeat.json().path("id").asText()).isEqualTo(id);
        TestServer.Response reused = reconcile(report.replace("t10", "t12"), "generic", "date_tolerance_days=0", "k1");
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json().path("type").asText()).endsWith("idempotency-key-reused");

        TestServer.Response page = server.get("/v1/reconciliations/" + id + "/entries?section=matched&limit=4", financeKey);
        assertThat(page.json().path("entries")).hasSize(4);
        TestServer.Response rest = server.get("/v1/reconciliations/" + id + "/entries?section=matched&limit=4&cursor="
            + page.json().path("next").asText(), financeKey);
        assertThat(rest.json().path("entries")).hasSize(2);
        assertThat(rest.json().path("next").isNull()).isTrue();
        assertThat(server.get("/v1/reconciliations?merchant_account_id=" + fixture.merchantAccountId, financeKey).json()
            .path("reconciliations")).extracting(entry -> entry.path("id").asText()).hasSize(3).startsWith(id);
        awaitEvent("reconciliation.completed", id);

        // The processor's settlement SET-1 reaches the bank: a camt.053 credit matches it and proposes Dr bank, Cr receivable.
        TestServer.Response unnamed = reconcile(camt(TODAY), "camt053", "", null);
        assertThat(unnamed.status()).as("which credits are this processor's?").isEqualTo(422);
        assertThat(unnamed.json().path("type").asText()).endsWith("no-bank-statement-match");
        assertThat(server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId, TestServer.ADMIN_KEY,
            "{\"settings\":{\"shop_id\":\"" + PaymentsFixture.SHOP_ID + "\",\"bank_statement_match\":\"VEROTEL\"}}").status())
            .isEqualTo(200);
        TestServer.Response bank = reconcile(camt(TODAY), "camt053", "", null);
        assertThat(bank.status()).as(bank.text()).isEqualTo(201);
        JsonNode bankResult = bank.json();
        assertThat(bankResult.path("matched")).hasSize(1);
        assertThat(bankResult.path("matched").get(0).path("items").get(0).path("reference").asText()).isEqualTo("SET-1");
        assertThat(bankResult.path("unmatched_statement")).extracting(entry -> entry.path("reason").asText())
            .containsExactly("not-a-settlement");
        JsonNode settlement = bankResult.path("proposed_adjustments").get(0);
        assertThat(settlement.path("reason").asText()).isEqualTo("settlement");
        assertThat(settlement.path("postings").get(0).path("role").asText()).isEqualTo("bank");
        assertThat(settlement.path("postings").get(0).path("party").asText()).isEqualTo("DE89370400440532013000");
        assertThat(settlement.path("postings").get(0).path("debit").asText()).isEqualTo("5000");
        assertThat(settlement.path("postings").get(1).path("role").asText()).isEqualTo("processor_receivable");
        TestServer.Response rejected = server.postJson("/v1/reconciliations/" + bankResult.path("id").asText() + "/reject",
            financeKey, "{\"adjustments\":[\"" + settlement.path("id").asText() + "\"]}");
        assertThat(rejected.json().path("proposed_adjustments").get(0).path("status").asText()).isEqualTo("rejected");
        TestServer.Response approveRejected = server.postJson("/v1/reconciliations/" + bankResult.path("id").asText()
            + "/approve", financeKey, "{\"adjustments\":[\"" + settlement.path("id").asText() + "\"]}");
        assertThat(approveRejected.status()).isEqualTo(409);
        TestServer.Response bankAgain = reconcile(camt(TODAY), "camt053", "", null);
        assertThat(bankAgain.json().path("proposed_adjustments")).as("a rejection releases the settlement").hasSize(1);
    }

    @Test
    void badFilesAndCallersAreRefusedWithNothingStored() {
        TestServer.Response quoted = reconcile("reference,amount,currency,date\nt1,\"10.00,USD,2026-12-01\n", "generic", "", null);
        assertThat(quoted.status()).isEqualTo(400);
        assertThat(quoted.json().path("type").asText()).endsWith("invalid-csv");
        TestServer.Response decimals = reconcile("reference,amount,currency,date\nt1,10.001,USD,2026-12-01\n", "generic", "",
            null);
        assertThat(decimals.status()).isEqualTo(400);
        assertThat(decimals.json().path("pointer").asText()).isEqualTo("/lines/1/amount");
        TestServer.Response empty = reconcile("reference,amount,currency,date\n", "generic", "", null);
        assertThat(empty.status()).isEqualTo(400);
        TestServer.Response format = reconcile("x", "excel", "", null);
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().path("pointer").asText()).isEqualTo("?format");
        assertThat(server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId, TestServer.ADMIN_KEY,
            "{\"settings\":{\"shop_id\":\"" + PaymentsFixture.SHOP_ID + "\",\"bank_statement_match\":\"VEROTEL\"}}").status())
            .isEqualTo(200);
        TestServer.Response xxe = reconcile("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<d>&e;</d>", "camt053", "", null);
        assertThat(xxe.status()).isEqualTo(400);
        assertThat(xxe.json().path("type").asText()).endsWith("invalid-camt-file");
        assertThat(xxe.text()).doesNotContain("root:");
        TestServer.Response mapped = reconcile("a,b\n", "mapped", "", null);
        assertThat(mapped.status()).isEqualTo(422);
        assertThat(mapped.json().path("type").asText()).endsWith("no-settlement-mapping");

        String readOnly = server.createKey("girlfanz-reader", "[\"finance:read\"]", "[\"girlfanz\"]");
        TestServer.Response forbidden = server.send(upload("generic", "", null, readOnly, "reference,amount,currency,date\n"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}").status()).isIn(200, 201);
        String otherBrand = server.createKey("boyfanz-finance", "[\"finance:read\",\"finance:write\"]", "[\"boyfanz\"]");
        TestServer.Response foreign = server.send(upload("generic", "", null, otherBrand,
            "reference,amount,currency,date\nt1,1.00,USD," + TODAY + "\n"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(server.get("/v1/reconciliations", financeKey).json().path("reconciliations")).isEmpty();
    }

    @Test
    void aProcessorBalanceApartFromTheLedgerIsADiscrepancyOnTheFeed() throws Exception {
        sell("b1", "10.00");
        // Two days back, not yesterday: a check waits until its day is over plus a settle delay of a few minutes,
        // so "yesterday" would still be waiting when the test runs just after midnight UTC.
        String dayBeforeYesterday = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        TestServer.Response check = server.postJson("/v1/balance-checks", financeKey, """
            {"merchant_account_id":"%s","currency":"USD","as_of":"%s","reported":"12345"}"""
            .formatted(fixture.merchantAccountId, dayBeforeYesterday));
        assertThat(check.status()).as(check.text()).isEqualTo(201);
        assertThat(check.json().path("status").asText()).isEqualTo("discrepancy");
        assertThat(check.json().path("ledger").asText()).as("nothing was booked before today").isEqualTo("0");
        assertThat(check.json().path("difference").asText()).isEqualTo("12345");
        awaitEvent("reconciliation.discrepancy", check.json().path("id").asText());

        TestServer.Response today = server.postJson("/v1/balance-checks", financeKey, """
            {"merchant_account_id":"%s","currency":"USD","as_of":"%s","reported":"870"}"""
            .formatted(fixture.merchantAccountId, TODAY));
        assertThat(today.json().path("status").asText()).as("the day is not over").isEqualTo("waiting");
        TestServer.Response listed = server.get("/v1/balance-checks?status=discrepancy", financeKey);
        assertThat(listed.json().path("balance_checks")).hasSize(1);
        TestServer.Response future = server.postJson("/v1/balance-checks", financeKey, """
            {"merchant_account_id":"%s","currency":"USD","as_of":"%s","reported":"1"}"""
            .formatted(fixture.merchantAccountId, TOMORROW));
        assertThat(future.status()).isEqualTo(400);
    }

    @Test
    void aReportWithoutFeesIsComparedOnAmountsAndDatesAlone() {
        sell("n1", "10.00");
        TestServer.Response result = reconcile("reference,amount,currency,date\nn1,10.00,USD," + TODAY + "\n", "generic",
            "", null);
        assertThat(result.status()).as(result.text()).isEqualTo(201);
        assertThat(result.json().path("summary").path("matched").asInt()).as("the booked fee of 1.30 is not compared")
            .isEqualTo(1);
        assertThat(result.json().path("proposed_adjustments")).isEmpty();
        assertThat(result.json().path("warnings").toString()).contains("reports no fees");
    }

    @Test
    void aProcessorsOwnLayoutReadsThroughTheAccountsMapping() {
        sell("m1", "12.50");
        sell("m2", "8.00");
        TestServer.Response bad = server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId,
            TestServer.ADMIN_KEY, "{\"settings\":{\"shop_id\":\"" + PaymentsFixture.SHOP_ID
                + "\",\"settlement_csv_mapping\":\"{\\\"columns\\\":{\\\"amount\\\":\\\"Gross\\\"}}\"}}");
        assertThat(bad.status()).as("a mapping without the required columns is refused when saved").isEqualTo(400);
        assertThat(bad.json().path("pointer").asText()).isEqualTo("/settings/settlement_csv_mapping");
        String mapping = """
            {"columns":{"reference":"Trans ID","type":"Type","amount":"Gross","fee":"Fee","date":"Date"},\
            "types":{"SALE":"sale","CREDIT":"refund"},"date_format":"dd/MM/yyyy","amount_sign":"by_type",\
            "decimal_separator":",","delimiter":";","currency":"USD"}""";
        TestServer.Response saved = server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId,
            TestServer.ADMIN_KEY, "{\"settings\":{\"shop_id\":\"" + PaymentsFixture.SHOP_ID
                + "\",\"settlement_csv_mapping\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(mapping) + "}}");
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        String day = LocalDate.now(ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        String report = """
            Trans ID;Type;Gross;Fee;Date
            m1;SALE;12,50;1,55;%1$s
            m2;SALE;8,00;1,10;%1$s
            m9;CREDIT;3,00;0,00;%1$s
            """.formatted(day);
        TestServer.Response result = reconcile(report, "mapped", "", null);
        assertThat(result.status()).as(result.text()).isEqualTo(201);
        assertThat(result.json().path("summary").path("matched").asInt()).isEqualTo(2);
        JsonNode credit = result.json().path("unmatched_statement").get(0);
        assertThat(credit.path("amount").asText()).as("a CREDIT is money back to the fan").isEqualTo("-300");
        assertThat(credit.path("type").asText()).isEqualTo("refund");
        TestServer.Response dataplus = reconcile("ets_transaction_id\n", "epoch_dataplus", "", null);
        assertThat(dataplus.status()).as("DataPlus is Epoch's").isEqualTo(400);
        assertThat(dataplus.json().path("pointer").asText()).isEqualTo("?format");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void sell(String transaction, String amount) {
        String checkout = fixture.checkout("c_1", Long.parseLong(amount.replace(".", "")), null);
        TestServer.Response answer = fixture.postback(PaymentsFixture.sale(transaction, amount, checkout));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String event = answer.raw().headers().firstValue("X-Payment-Event-Id").orElseThrow();
        assertThat(fixture.event(event).path("status").asText()).isEqualTo("posted");
        events.put(transaction, event);
    }

    private TestServer.Response reconcile(String body, String format, String parameters, String idempotencyKey) {
        return server.send(upload(format, parameters, idempotencyKey, financeKey, body));
    }

    private HttpRequest.Builder upload(String format, String parameters, String idempotencyKey, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve("/v1/reconciliations?merchant_account_id="
                + fixture.merchantAccountId + "&format=" + format + (parameters.isEmpty() ? "" : "&" + parameters)))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", format.equals("camt053") ? "application/xml" : "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    private static JsonNode find(JsonNode entries, String lines) {
        for (JsonNode entry : entries) {
            if (entry.path("lines").toString().equals(lines)) {
                return entry;
            }
        }
        throw new AssertionError("no entry for lines " + lines + " in " + entries);
    }

    private void awaitEvent(String type, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode event : server.get("/v1/events?types=" + type, financeKey).json().path("events")) {
                if (event.path("subject").asText().equals(subject)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type + " event for " + subject);
    }

    /** A camt.053.001.02 statement: the settlement SET-1 from Verotel, and a credit from someone else. */
    private static String camt(String day) {
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>%1$sT18:00:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>STMT-1-1</Id>
                  <CreDtTm>%1$sT18:00:00</CreDtTm>
                  <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>USD</Ccy></Acct>
                  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="USD">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%1$s</Dt></Dt></Bal>
                  <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="USD">62.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%1$s</Dt></Dt></Bal>
                  <Ntry>
                    <Amt Ccy="USD">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                    <BookgDt><Dt>%1$s</Dt></BookgDt><ValDt><Dt>%1$s</Dt></ValDt><BkTxCd/>
                    <NtryDtls><TxDtls><Refs><EndToEndId>SET-1</EndToEndId></Refs>
                      <RmtInf><Ustrd>VEROTEL PAYOUT SET-1</Ustrd></RmtInf></TxDtls></NtryDtls>
                  </Ntry>
                  <Ntry>
                    <Amt Ccy="USD">12.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                    <BookgDt><Dt>%1$s</Dt></BookgDt><ValDt><Dt>%1$s</Dt></ValDt><BkTxCd/>
                    <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                      <RmtInf><Ustrd>INTEREST</Ustrd></RmtInf></TxDtls></NtryDtls>
                  </Ntry>
                </Stmt>
              </BkToCstmrStmt>
            </Document>
            """.formatted(day);
    }
}
