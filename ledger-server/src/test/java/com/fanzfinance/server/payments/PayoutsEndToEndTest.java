package com.fanzfinance.server.payments;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.payouts.ach.NachaDocument;
import com.fanzfinance.payouts.ach.NachaReader;
import com.fanzfinance.payouts.sepa.Pain001Schemas;
import com.fanzfinance.payouts.sepa.Pain001Version;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payouts over real HTTP against a real server and PostgreSQL: earnings posted by processor notifications, a payee
 * and its compliance gate, payouts held from the creator's payable, an ACH batch and its NACHA file, a bank's return
 * and NOC files, a SEPA batch whose pain.001 the ISO schema accepts, and the creator's payable restored and visible
 * in the statement.
 */
class PayoutsEndToEndTest {
    private static final String ODFI = PaymentsFixture.ACH_ODFI;
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS;

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    private String payoutsKey;
    private PayoutSteps steps;

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data);
        server = fixture.server;
        payoutsKey = server.createKey("girlfanz-payouts",
            "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\",\"finance:read\",\"events:read\"]",
            "[\"girlfanz\"]");
        steps = new PayoutSteps(fixture, payoutsKey);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void achPayoutFromEarningsToFileAndBackByAReturn() throws Exception {
        String ach = railAccount("ach", "USD", ACH_SETTINGS, "{\"minimum\":\"1000\",\"fee\":\"25\",\"settle_after_days\":2}");
        earn("c_1", "100.00", "USD");
        String payee = payee("c_1", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"123456789\"}");

        TestServer.Response refused = payout(payee, "all", "USD", "k1");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().path("type").asText()).endsWith("payee-not-verified");
        assertThat(refused.json().path("failed_checks")).extracting(JsonNode::asText)
            .containsExactly("kyc", "age", "records_2257");
        verify(payee);

        TestServer.Response held = payout(payee, "all", "USD", "k2");
        assertThat(held.status()).as(held.text()).isEqualTo(201);
        JsonNode payout = held.json();
        String payoutId = payout.path("id").asText();
        assertThat(payout.path("status").asText()).isEqualTo("held");
        assertThat(payout.path("amount").asText()).isEqualTo("7975");
        assertThat(payout.path("fee").asText()).isEqualTo("25");
        assertThat(payout.path("transfer_ids")).hasSize(2);
        assertThat(payout(payee, "all", "USD", "k2").json().path("id").asText()).as("same key and body").isEqualTo(payoutId);
        assertThat(payout(payee, "7000", "USD", "k2").status()).as("same key, other body").isEqualTo(409);
        TestServer.Response broke = payout(payee, "1000", "USD", "k3");
        assertThat(broke.status()).isEqualTo(422);
        assertThat(broke.json().path("type").asText()).endsWith("insufficient-available-balance");
        assertThat(broke.json().path("available").asText()).isEqualTo("0");
        assertThat(balance("c_1", "available")).isEqualTo(0);
        assertThat(balance("c_1", "held_for_payouts")).isEqualTo(8000);

        JsonNode batch = batch("ach", ach);
        assertThat(batch.path("count").asInt()).isEqualTo(1);
        assertThat(batch.path("total").asText()).isEqualTo("7975");
        assertThat(getPayout(payoutId).path("status").asText()).isEqualTo("batched");
        String trace = getPayout(payoutId).path("rail_reference").asText();
        assertThat(trace).isEqualTo(ODFI + "0000001");

        TestServer.Response early = post("/v1/payouts/" + payoutId + "/events", "{\"type\":\"failed\"}");
        assertThat(early.status()).as("its file exists: it may still be sent").isEqualTo(409);
        byte[] file = file(batch);
        assertThat(file(batch)).as("the same bytes every time").isEqualTo(file);
        assertThat(sha256(file)).isEqualTo(batch.path("file").path("sha256").asText());
        NachaDocument document = NachaReader.read(new String(file, StandardCharsets.US_ASCII));
        NachaDocument.Entry entry = document.batches().get(0).entries().get(0);
        assertThat(document.batches().get(0).secCode()).isEqualTo("PPD");
        assertThat(entry.transactionCode()).isEqualTo(22);
        assertThat(entry.amountCents()).isEqualTo(7975);
        assertThat(entry.accountNumber()).isEqualTo("123456789");
        assertThat(entry.traceNumber()).isEqualTo(trace);
        assertThat(entry.identificationNumber()).isEqualTo(payoutId.replace("-", "").substring(0, 15).toUpperCase());

        assertThat(post("/v1/payout-batches/" + batch.path("id").asText() + "/submit", "").json().path("status").asText())
            .isEqualTo("submitted");
        assertThat(getPayout(payoutId).path("status").asText()).isEqualTo("submitted");

        String returnFile = NachaReturnFiles.returns(document, List.of(entry), "R03");
        JsonNode answer = upload(batch, returnFile);
        assertThat(answer.path("returns")).hasSize(1);
        assertThat(answer.path("returns").get(0).path("status").asText()).isEqualTo("applied");
        assertThat(answer.path("returns").get(0).path("payout_id").asText()).isEqualTo(payoutId);
        JsonNode returned = getPayout(payoutId);
        assertThat(returned.path("status").asText()).isEqualTo("returned");
        assertThat(returned.path("status_reason").asText()).startsWith("R03");
        assertThat(balance("c_1", "available")).as("the hold is voided, fee included").isEqualTo(8000);
        assertThat(balance("c_1", "held_for_payouts")).isEqualTo(0);
        assertThat(upload(batch, returnFile).path("returns").get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(post("/v1/payouts/" + payoutId + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void aReturnAfterSettlementReversesAndANocCorrectsThePayee() throws Exception {
        String ach = railAccount("ach", "USD", ACH_SETTINGS, "{\"fee\":\"25\",\"fee_paid_by\":\"platform\"}");
        earn("c_2", "100.00", "USD");
        String payee = payee("c_2", "ach", "USD",
            "{\"routing_number\":\"231380104\",\"account_number\":\"55512345\",\"account_type\":\"savings\",\"holder_type\":\"business\"}");
        verify(payee);
        String first = payout(payee, "5000", "USD", "s1").json().path("id").asText();
        String second = payout(payee, "2000", "USD", "s2").json().path("id").asText();
        assertThat(balance("c_2", "available")).as("the platform pays the fee").isEqualTo(1000);
        JsonNode batch = batch("ach", ach);
        assertThat(batch.path("count").asInt()).isEqualTo(2);
        NachaDocument document = NachaReader.read(new String(file(batch), StandardCharsets.US_ASCII));
        assertThat(document.batches().get(0).secCode()).isEqualTo("CCD");
        assertThat(document.batches().get(0).entries()).extracting(NachaDocument.Entry::transactionCode).containsOnly(32);
        post("/v1/payout-batches/" + batch.path("id").asText() + "/submit", "");

        TestServer.Response settled = post("/v1/payouts/" + first + "/events", "{\"type\":\"settled\"}");
        assertThat(settled.json().path("status").asText()).as(settled.text()).isEqualTo("settled");
        assertThat(post("/v1/payouts/" + first + "/events", "{\"type\":\"settled\"}").status()).as("again: no-op").isEqualTo(200);
        assertThat(post("/v1/payouts/" + first + "/events", "{\"type\":\"failed\"}").status()).isEqualTo(409);
        NachaDocument.Entry firstEntry = entryOf(document, getPayout(first));
        JsonNode answer = upload(batch, NachaReturnFiles.returns(document, List.of(firstEntry), "R02"));
        assertThat(answer.path("returns").get(0).path("status").asText()).isEqualTo("applied");
        JsonNode reversed = getPayout(first);
        assertThat(reversed.path("status").asText()).isEqualTo("returned");
        assertThat(reversed.path("transfer_ids")).as("hold, post, reversal (amount and fee)").hasSize(6);
        assertThat(balance("c_2", "available")).as("5000 back").isEqualTo(6000);

        NachaDocument.Entry secondEntry = entryOf(document, getPayout(second));
        String noc = NachaReturnFiles.change(document, secondEntry, "C01", "99988877");
        JsonNode changed = upload(batch, noc);
        assertThat(changed.path("notifications_of_change").get(0).path("status").asText()).isEqualTo("applied");
        JsonNode corrected = server.get("/v1/payees/" + payee, payoutsKey).json();
        assertThat(corrected.path("rail_details").path("account_number").asText()).isEqualTo("****8877");
        assertThat(corrected.path("changes")).hasSize(1);
        assertThat(upload(batch, noc).path("notifications_of_change").get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(getPayout(second).path("status").asText()).as("a NOC does not return the payout").isEqualTo("submitted");

        TestServer.Response broken = send("/v1/payout-batches/" + batch.path("id").asText() + "/returns",
            noc.substring(0, 50) + noc.substring(51));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("type").asText()).endsWith("invalid-nacha-file");
        assertThat(broken.json().path("pointer").asText()).isEqualTo("/lines/1");

        UUID payable = PaymentsFixture.accountId("girlfanz", 840, 2100, "c_2");
        String statement = awaitStatement(payable, ",203,");
        assertThat(statement).contains(",201,").contains(",203,");
    }

    @Test
    void aBalancedFileHasAnOffsetPerBatchAndNoTraceTwice() throws Exception {
        String ach = railAccount("ach", "USD", ACH_SETTINGS.replace("}", ",\"offset_account\":\"121042882:700012345\"}"), null);
        String[] creators = {"c_4", "c_5", "c_6"};
        String[] holders = {"individual", "business", "individual"};
        for (int i = 0; i < creators.length; i++) {
            earn(creators[i], "10.00", "USD");
            String payee = payee(creators[i], "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"4000"
                + i + "\",\"holder_type\":\"" + holders[i] + "\"}");
            verify(payee);
            assertThat(payout(payee, "all", "USD", "b" + i).status()).isEqualTo(201);
        }
        NachaDocument first = NachaReader.read(new String(file(batch("ach", ach)), StandardCharsets.US_ASCII));
        assertThat(first.batches()).extracting(NachaDocument.Batch::secCode).containsExactly("PPD", "CCD");
        assertThat(first.batches()).extracting(NachaDocument.Batch::serviceClass).containsOnly("200");
        for (NachaDocument.Batch batch : first.batches()) {
            long credits = batch.entries().stream().filter(entry -> entry.transactionCode() == 22)
                .mapToLong(NachaDocument.Entry::amountCents).sum();
            assertThat(batch.entries()).filteredOn(entry -> entry.transactionCode() == 27)
                .extracting(NachaDocument.Entry::amountCents).containsExactly(credits);
        }
        earn("c_4", "5.00", "USD");
        assertThat(payout(server.get("/v1/payees?creator=c_4", payoutsKey).json().path("payees").get(0).path("id").asText(),
            "all", "USD", "b9").status()).isEqualTo(201);
        NachaDocument second = NachaReader.read(new String(file(batch("ach", ach)), StandardCharsets.US_ASCII));
        java.util.Set<String> traces = new java.util.HashSet<>();
        for (NachaDocument document : List.of(first, second)) {
            document.batches().forEach(batch -> batch.entries().forEach(entry ->
                assertThat(traces.add(entry.traceNumber())).as("trace %s once", entry.traceNumber()).isTrue()));
        }
        assertThat(traces).hasSize(7);
    }

    @Test
    void accountsSharingAnOdfiNeverShareATraceAndAReturnOnlyMatchesItsOwnAccount() throws Exception {
        String first = railAccount("ach", "USD", ACH_SETTINGS, null);
        earn("c_7", "20.00", "USD");
        String payee = payee("c_7", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"777\"}");
        verify(payee);
        payout(payee, "700", "USD", "o1");
        JsonNode firstBatch = batch("ach", first);
        TestServer.Response disabled = server.patchJson("/v1/merchant-accounts/" + first, TestServer.ADMIN_KEY,
            "{\"status\":\"disabled\"}");
        assertThat(disabled.status()).as(disabled.text()).isEqualTo(200);
        String second = railAccount("ach", "USD", ACH_SETTINGS, null);
        TestServer.Response secondPayout = payout(payee, "700", "USD", "o2");
        assertThat(secondPayout.status()).as(secondPayout.text()).isEqualTo(201);
        assertThat(secondPayout.json().path("merchant_account_id").asText()).isEqualTo(second);
        JsonNode secondBatch = batch("ach", second);
        NachaDocument one = NachaReader.read(new String(file(firstBatch), StandardCharsets.US_ASCII));
        NachaDocument two = NachaReader.read(new String(file(secondBatch), StandardCharsets.US_ASCII));
        NachaDocument.Entry entry = one.batches().get(0).entries().get(0);
        assertThat(entry.traceNumber()).isNotEqualTo(two.batches().get(0).entries().get(0).traceNumber());
        post("/v1/payout-batches/" + firstBatch.path("id").asText() + "/submit", "");
        String returnFile = NachaReturnFiles.returns(one, List.of(entry), "R03");
        JsonNode elsewhere = upload(secondBatch, returnFile).path("returns").get(0);
        assertThat(elsewhere.path("status").asText()).as("another account's return").isEqualTo("unmatched");
        assertThat(upload(firstBatch, returnFile).path("returns").get(0).path("status").asText()).isEqualTo("applied");
    }

    @Test
    void aPayeeFailingTheGateAtBatchTimeIsLeftOutAndANameOutsideTheEpcSetIsRefused() {
        String ach = railAccount("ach", "USD", ACH_SETTINGS, null);
        earn("c_8", "20.00", "USD");
        String payee = payee("c_8", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"888\"}");
        verify(payee);
        String payoutId = payout(payee, "1500", "USD", "g1").json().path("id").asText();
        server.putJson("/v1/payees/" + payee + "/compliance", payoutsKey, "{\"kyc\":\"rejected\"}");
        TestServer.Response empty = server.postJson("/v1/payout-batches", payoutsKey,
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + ach + "\"}");
        assertThat(empty.status()).as(empty.text()).isEqualTo(422);
        TestServer.Response listed = server.postJson("/v1/payout-batches", payoutsKey,
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + ach + "\",\"payout_ids\":[\"" + payoutId + "\"]}");
        assertThat(listed.status()).isEqualTo(409);
        assertThat(listed.json().path("detail").asText()).contains("compliance gate");
        assertThat(post("/v1/payouts/" + payoutId + "/cancel", "").json().path("status").asText()).isEqualTo("cancelled");
        assertThat(balance("c_8", "available")).isEqualTo(1600);
        railAccount("sepa", "EUR", """
            {"debtor_name":"GirlFanz Ltd","debtor_iban":"DE89370400440532013000","initiating_party_name":"GirlFanz Ltd"}""",
            null);
        TestServer.Response greek = server.postJson("/v1/payees", payoutsKey, payeeBody("c_9", "sepa", "EUR",
            "{\"iban\":\"FR1420041010050500013M02606\"}", "Αλέξανδρος"));
        assertThat(greek.status()).isEqualTo(400);
        assertThat(greek.json().path("pointer").asText()).isEqualTo("/name");
    }

    @Test
    void sepaPayoutWritesASchemaValidPain001() throws Exception {
        String sepa = railAccount("sepa", "EUR", """
            {"debtor_name":"GirlFanz Ltd","debtor_iban":"DE89370400440532013000","debtor_bic":"COBADEFFXXX",
             "initiating_party_name":"GirlFanz Ltd"}""", null);
        earn("c_3", "100.00", "EUR");
        TestServer.Response bad = server.postJson("/v1/payees", payoutsKey, payeeBody("c_3", "sepa", "EUR",
            "{\"iban\":\"DE89370400440532013001\"}", "Jürgen Müller & Söhne"));
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.json().path("type").asText()).endsWith("invalid-rail-details");
        assertThat(bad.json().path("pointer").asText()).isEqualTo("/rail_details/iban");
        String payee = created(server.postJson("/v1/payees", payoutsKey, payeeBody("c_3", "sepa", "EUR",
            "{\"iban\":\"FR14 2004 1010 0505 0001 3M02 606\"}", "Jürgen Müller & Söhne")));
        assertThat(server.get("/v1/payees/" + payee, payoutsKey).json().path("rail_details").path("iban").asText())
            .isEqualTo("****2606");
        verify(payee);
        String payoutId = payout(payee, "all", "EUR", "e1").json().path("id").asText();
        JsonNode batch = batch("sepa", sepa);
        byte[] file = file(batch);
        assertThat(Pain001Schemas.problems(file, Pain001Version.V09)).isEmpty();
        var document = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(new ByteArrayInputStream(file));
        var xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("//*[local-name()='EndToEndId']", document)).isEqualTo(payoutId.replace("-", ""));
        assertThat(xpath.evaluate("//*[local-name()='InstdAmt']", document)).isEqualTo("80.00");
        assertThat(xpath.evaluate("//*[local-name()='Cdtr']/*[local-name()='Nm']", document)).isEqualTo("Juergen Mueller Soehne");
        assertThat(xpath.evaluate("//*[local-name()='GrpHdr']/*[local-name()='CtrlSum']", document)).isEqualTo("80.00");
        assertThat(((org.w3c.dom.NodeList) xpath.evaluate("//*[local-name()='CdtTrfTxInf']", document,
            XPathConstants.NODESET)).getLength()).isEqualTo(1);
        assertThat(getPayout(payoutId).path("rail_reference").asText()).isEqualTo(payoutId.replace("-", ""));
        post("/v1/payout-batches/" + batch.path("id").asText() + "/submit", "");
        TestServer.Response returned = post("/v1/payouts/" + payoutId + "/events",
            "{\"type\":\"returned\",\"reason_code\":\"AC04\",\"reason\":\"account closed\"}");
        assertThat(returned.json().path("status").asText()).as(returned.text()).isEqualTo("returned");
        assertThat(balance("c_3", "available", "EUR")).isEqualTo(8000);
        assertThat(awaitEvents("payout.held,payout.returned,payout_batch.generated", 3)).extracting(event -> event.path("type").asText())
            .containsExactly("payout.held", "payout_batch.generated", "payout.returned");
    }

    @Test
    void anotherTenantsKeySeesAndMovesNothingOfThisTenant() {
        String ach = railAccount("ach", "USD", ACH_SETTINGS, null);
        earn("c_10", "20.00", "USD");
        String payee = payee("c_10", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"1010\"}");
        verify(payee);
        String payoutId = payout(payee, "700", "USD", "t1").json().path("id").asText();
        String batch = batch("ach", ach).path("id").asText();
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"pupfanz\"}").status()).isIn(200, 201);
        String other = server.createKey("pupfanz-payouts",
            "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\"]", "[\"pupfanz\"]");
        for (String path : List.of("/v1/payees/" + payee, "/v1/payouts/" + payoutId, "/v1/payout-batches/" + batch,
            "/v1/payout-batches/" + batch + "/file")) {
            assertThat(server.get(path, other).status()).as(path).isEqualTo(404);
        }
        assertThat(server.get("/v1/payouts", other).json().path("payouts")).isEmpty();
        assertThat(server.get("/v1/payees?tenant=girlfanz", other).json().path("payees")).isEmpty();
        assertThat(server.putJson("/v1/payees/" + payee + "/compliance", other, "{\"kyc\":\"rejected\"}").status())
            .isEqualTo(404);
        assertThat(server.postJson("/v1/payouts/" + payoutId + "/events", other, "{\"type\":\"submitted\"}").status())
            .isEqualTo(404);
        assertThat(server.postJson("/v1/payout-batches/" + batch + "/submit", other, "").status()).isEqualTo(404);
        assertThat(server.postJson("/v1/payout-batches", other,
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + ach + "\"}").status()).isEqualTo(404);
        TestServer.Response request = server.send(HttpRequest.newBuilder(server.base().resolve("/v1/payouts"))
            .header("Authorization", "Bearer " + other).header("Content-Type", "application/json")
            .header("Idempotency-Key", "x1").POST(HttpRequest.BodyPublishers.ofString(
                "{\"payee_id\":\"" + payee + "\",\"amount\":\"100\",\"currency\":\"USD\"}")));
        assertThat(request.status()).isEqualTo(404);
        TestServer.Response save = server.postJson("/v1/payees", other, payeeBody("c_10", "ach", "USD",
            "{\"routing_number\":\"231380104\",\"account_number\":\"666\"}", "Mallory"));
        assertThat(save.status()).as("a payee of a tenant the key does not have").isEqualTo(400);
        assertThat(getPayout(payoutId).path("status").asText()).isEqualTo("batched");
        assertThat(server.get("/v1/payees/" + payee, payoutsKey).json().path("rail_details").path("account_number").asText())
            .isEqualTo("****1010");
    }

    @Test
    void railAccountsAreCheckedAndKeptAwayFromCheckouts() {
        TestServer.Response wrongCurrency = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY,
            railAccountBody("ach", "EUR", ACH_SETTINGS, null));
        assertThat(wrongCurrency.status()).as(wrongCurrency.text()).isEqualTo(400);
        TestServer.Response badRouting = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY,
            railAccountBody("ach", "USD", ACH_SETTINGS.replace("231380104", "231380105"), null));
        assertThat(badRouting.status()).isEqualTo(400);
        assertThat(badRouting.json().path("detail").asText()).contains("immediate_destination");
        String ach = railAccount("ach", "USD", ACH_SETTINGS, null);
        TestServer.Response checkout = server.postJson("/v1/checkouts", fixture.platformKey, """
            {"tenant":"girlfanz","creator":"c_9","product":"tip","amount":"500","currency":"USD","merchant_account_id":"%s"}"""
            .formatted(ach));
        assertThat(checkout.status()).as(checkout.text()).isEqualTo(422);
        assertThat(server.get("/v1/merchant-accounts/" + ach + "/balances", fixture.platformKey).status())
            .as("processor balances are not a rail account's").isEqualTo(400);
        JsonNode accounts = server.get("/v1/payment-accounts?tenant=girlfanz&currency=USD&merchant_account_id=" + ach,
            fixture.platformKey).json();
        assertThat(accounts.path("accounts")).extracting(account -> account.path("role").asText() + "/"
            + account.path("code").asInt()).contains("payouts_in_transit/1403", "payout_rail_fees/5303", "payout_fee_income/4101");
        assertThat(server.send(HttpRequest.newBuilder(server.base().resolve("/hooks/ach/" + ach))
            .POST(HttpRequest.BodyPublishers.ofString("x"))).status()).isEqualTo(404);
        TestServer.Response badPayee = server.postJson("/v1/payees", payoutsKey, payeeBody("c_9", "ach", "USD",
            "{\"routing_number\":\"231380105\",\"account_number\":\"1\"}", "Jane Doe"));
        assertThat(badPayee.json().path("pointer").asText()).isEqualTo("/rail_details/routing_number");
        TestServer.Response noKey = server.postJson("/v1/payouts", payoutsKey, "{\"payee_id\":\"" + UUID.randomUUID()
            + "\",\"amount\":\"100\",\"currency\":\"USD\"}");
        assertThat(noKey.status()).isEqualTo(400);
        TestServer.Response empty = server.postJson("/v1/payout-batches", payoutsKey,
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + ach + "\"}");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().path("type").asText()).endsWith("batch-empty");
    }

    // ---- steps ----------------------------------------------------------------------------------

    private String railAccount(String rail, String currency, String settings, String payout) {
        return steps.railAccount(rail, currency, settings, payout);
    }

    private static String railAccountBody(String rail, String currency, String settings, String payout) {
        return PayoutSteps.railAccountBody(rail, currency, settings, payout);
    }

    private void earn(String creator, String amount, String currency) {
        steps.earn(creator, amount, currency);
    }

    private String payee(String creator, String rail, String currency, String details) {
        return steps.payee(creator, rail, currency, details);
    }

    private static String payeeBody(String creator, String rail, String currency, String details, String name) {
        return PayoutSteps.payeeBody(creator, rail, currency, details, name);
    }

    private void verify(String payee) {
        steps.verify(payee);
    }

    private TestServer.Response payout(String payee, String amount, String currency, String key) {
        return steps.payout(payee, amount, currency, key);
    }

    private JsonNode getPayout(String id) {
        return steps.get(id);
    }

    private JsonNode batch(String rail, String account) {
        return steps.batch(rail, account);
    }

    private byte[] file(JsonNode batch) {
        TestServer.Response response = server.get("/v1/payout-batches/" + batch.path("id").asText() + "/file", payoutsKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    private JsonNode upload(JsonNode batch, String file) {
        TestServer.Response response = send("/v1/payout-batches/" + batch.path("id").asText() + "/returns", file);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private TestServer.Response send(String path, String text) {
        return server.send(HttpRequest.newBuilder(server.base().resolve(path))
            .header("Authorization", "Bearer " + payoutsKey).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.US_ASCII)));
    }

    private TestServer.Response post(String path, String body) {
        return server.postJson(path, payoutsKey, body);
    }

    private long balance(String creator, String field) {
        return balance(creator, field, "USD");
    }

    private long balance(String creator, String field, String currency) {
        return steps.balance(creator, field, currency);
    }

    private static NachaDocument.Entry entryOf(NachaDocument document, JsonNode payout) {
        return document.batches().stream().flatMap(batch -> batch.entries().stream())
            .filter(entry -> entry.traceNumber().equals(payout.path("rail_reference").asText())).findFirst().orElseThrow();
    }

    /** The feed's events of {@code types} once there are {@code count} (the outbox numbers them in the background). */
    private List<JsonNode> awaitEvents(String types, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<JsonNode> events = List.of();
        while (System.nanoTime() < deadline) {
            events = new java.util.ArrayList<>();
            server.get("/v1/events?types=" + types, payoutsKey).json().path("events").forEach(events::add);
            if (events.size() >= count) {
                return events;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the feed has " + events + ", not " + count + " events of " + types);
    }

    private String awaitStatement(UUID account, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            TestServer.Response response = server.get("/v1/statements/" + account + "?format=csv", payoutsKey);
            text = response.text();
            if (response.status() == 200 && text.contains(containing)) {
                return text;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the statement never showed " + containing + ": " + text);
    }

    private static String created(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.json().path("id").asText();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
