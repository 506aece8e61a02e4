package com.fanzfinance.server.payments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP, on a real server and PostgreSQL: a checkout, the processor's signed notification, the ledger's
 * balances, a chargeback, duplicates and forgeries — the contract's money flow end to end.
 */
class PaymentsEndToEndTest {
    private static final int USD = 840;

    @Test
    void checkoutSaleAndChargebackPostTheSplitAndReverseIt(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_42", 1999, null);
            JsonNode opened = fixture.server.get("/v1/checkouts/" + checkout, fixture.platformKey).json();
            assertThat(opened.path("status").asText()).isEqualTo("open");
            assertThat(opened.path("action").path("type").asText()).isEqualTo("redirect");
            assertThat(opened.path("action").path("url").asText()).contains("referenceID=" + checkout)
                .contains("shopID=" + PaymentsFixture.SHOP_ID).contains("priceAmount=19.99");

            TestServer.Response answer = fixture.postback(PaymentsFixture.sale("9001", "19.99", checkout));
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.text()).isEqualTo("OK");
            String saleId = answer.header("X-Payment-Event-Id");
            JsonNode sale = fixture.event(saleId);
            assertThat(sale.path("status").asText()).as(sale.toString()).isEqualTo("posted");
            assertThat(sale.path("kind").asText()).isEqualTo("sale");
            assertThat(sale.path("gross").asText()).isEqualTo("1999");
            assertThat(sale.path("fee").asText()).isEqualTo("230");
            assertThat(sale.path("platform_share_bp").asInt()).isEqualTo(2000);
            assertThat(sale.path("creator").asText()).isEqualTo("c_42");
            assertThat(sale.path("checkout_id").asText()).isEqualTo(checkout);
            assertThat(sale.path("verified_with").asText()).isEqualTo("current");
            assertThat(sale.path("transfer_ids").size()).isGreaterThan(0);
            assertThat(fixture.server.get("/v1/checkouts/" + checkout, fixture.platformKey).json().path("status").asText())
                .isEqualTo("paid");

            UUID payable = PaymentsFixture.accountId("girlfanz", USD, 2100, "c_42");
            UUID platformFees = PaymentsFixture.accountId("girlfanz", USD, 4100, "");
            UUID receivable = PaymentsFixture.accountId("girlfanz", USD, 1104, fixture.merchantAccountId);
            UUID processorFees = PaymentsFixture.accountId("girlfanz", USD, 5104, fixture.merchantAccountId);
            UUID chargebacks = PaymentsFixture.accountId("girlfanz", USD, 5204, fixture.merchantAccountId);
            // G 1999: platform rhe(1999 × 0.2) = 400, creator 1599, fee rhe(199.9) + 30 = 230.
            assertThat(fixture.balance(payable)).isEqualTo(1599);
            assertThat(fixture.balance(platformFees)).isEqualTo(400);
            assertThat(fixture.balance(processorFees)).isEqualTo(-230);
            assertThat(fixture.balance(receivable)).isEqualTo(-(1999 - 230));

            // The processor retries: nothing new.
            TestServer.Response again = fixture.postback(PaymentsFixture.sale("9001", "19.99", checkout));
            assertThat(again.status()).isEqualTo(200);
            JsonNode duplicate = fixture.event(again.header("X-Payment-Event-Id"));
            assertThat(duplicate.path("status").asText()).isEqualTo("duplicate");
            assertThat(duplicate.path("duplicate_of").asText()).isEqualTo(saleId);
            assertThat(fixture.balance(payable)).isEqualTo(1599);

            // A forgery is stored as rejected and posts nothing.
            String forged = PaymentsFixture.signedQuery(PaymentsFixture.sale("9002", "19.99", checkout), "not-the-key");
            TestServer.Response rejected = fixture.postbackQuery(forged);
            assertThat(rejected.status()).isEqualTo(401);
            assertThat(rejected.json().path("type").asText()).endsWith("webhook-unauthenticated");
            JsonNode rejectedEvent = fixture.event(rejected.header("X-Payment-Event-Id"));
            assertThat(rejectedEvent.path("status").asText()).isEqualTo("rejected");
            assertThat(rejectedEvent.path("raw").path("query").asText()).isEqualTo(forged);

            // The chargeback reverses the split and books the chargeback fee.
            TestServer.Response chargeback = fixture.postback(PaymentsFixture.reversal("chargeback", "9003", "9001", "19.99"));
            assertThat(chargeback.status()).as(chargeback.text()).isEqualTo(200);
            JsonNode reversed = fixture.event(chargeback.header("X-Payment-Event-Id"));
            assertThat(reversed.path("status").asText()).as(reversed.toString()).isEqualTo("posted");
            assertThat(reversed.path("kind").asText()).isEqualTo("chargeback");
            assertThat(reversed.path("parent_event_id").asText()).isEqualTo(saleId);
            assertThat(fixture.balance(payable)).isZero();
            assertThat(fixture.balance(platformFees)).isZero();
            assertThat(fixture.balance(processorFees)).isEqualTo(-230);
            assertThat(fixture.balance(chargebacks)).isEqualTo(-2500);
            assertThat(fixture.balance(receivable)).isEqualTo(-(1999 - 230) + 1999 + 2500);

            // The income statement (read model) shows the fee and the chargeback fee; the platform's share is gone.
            JsonNode income = awaitProjected(fixture, "/v1/reports/income-statement?ledger=840");
            String report = income.toString();
            assertThat(report).contains("\"name\":\"processor-fees\",\"code_from\":5100,\"code_to\":5199,\"amount\":\"2.30\"")
                .contains("\"name\":\"chargebacks\",\"code_from\":5200,\"code_to\":5299,\"amount\":\"25.00\"");
            JsonNode statement = awaitProjected(fixture, "/v1/statements/" + payable);
            assertThat(statement.toString()).contains("15.99");

            // A second chargeback of the same sale would reverse more than its gross.
            TestServer.Response over = fixture.postback(PaymentsFixture.reversal("chargeback", "9004", "9001", "19.99"));
            assertThat(fixture.event(over.header("X-Payment-Event-Id")).path("status_reason").asText()).isEqualTo("over-reversal");
        }
    }

    private static JsonNode awaitProjected(PaymentsFixture fixture, String path) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            TestServer.Response response = fixture.server.get(path, fixture.platformKey);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode json = response.json();
            if (json.path("position").path("lag_commands").asLong(1) == 0 || System.nanoTime() > deadline) {
                return json;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theSameNotificationDeliveredTwentyTimesInParallelPostsOnce(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_9", 1000, null);
            String query = PaymentsFixture.signedQuery(PaymentsFixture.sale("7001", "10.00", checkout),
                PaymentsFixture.SIGNATURE_KEY);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<TestServer.Response>> answers = new ArrayList<>();
            try {
                List<Callable<TestServer.Response>> deliveries = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    deliveries.add(() -> fixture.postbackQuery(query));
                }
                answers.addAll(pool.invokeAll(deliveries));
            } finally {
                pool.shutdown();
            }
            List<String> statuses = new ArrayList<>();
            for (Future<TestServer.Response> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
                statuses.add(fixture.event(answer.get().header("X-Payment-Event-Id")).path("status").asText());
            }
            assertThat(statuses).filteredOn("posted"::equals).hasSize(1);
            assertThat(statuses).filteredOn("duplicate"::equals).hasSize(19);
            assertThat(fixture.balance(PaymentsFixture.accountId("girlfanz", USD, 2100, "c_9"))).isEqualTo(800);
        }
    }

    @Test
    void concurrentRefundsNeverReverseMoreThanTheSale(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_6", 2000, null);
            assertThat(fixture.postback(PaymentsFixture.sale("3001", "20.00", checkout)).status()).isEqualTo(200);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Callable<TestServer.Response>> refunds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String query = PaymentsFixture.signedQuery(PaymentsFixture.reversal("credit", "r" + i, "3001", "5.00"),
                    PaymentsFixture.SIGNATURE_KEY);
                refunds.add(() -> fixture.postbackQuery(query));
            }
            List<String> outcomes = new ArrayList<>();
            try {
                for (Future<TestServer.Response> answer : pool.invokeAll(refunds)) {
                    assertThat(answer.get().status()).isEqualTo(200);
                    JsonNode event = fixture.event(answer.get().header("X-Payment-Event-Id"));
                    outcomes.add(event.path("status").asText() + " " + event.path("status_reason").asText(""));
                }
            } finally {
                pool.shutdown();
            }
            // Four refunds of 5.00 use up the 20.00 sale; the other six would reverse more than it.
            assertThat(outcomes).filteredOn(outcome -> outcome.startsWith("posted")).hasSize(4);
            assertThat(outcomes).filteredOn("failed over-reversal"::equals).hasSize(6);
            assertThat(fixture.balance(PaymentsFixture.accountId("girlfanz", USD, 2100, "c_6"))).isZero();
        }
    }

    @Test
    void aRefundBeforeItsSaleIsParkedAndAppliedWhenTheSaleArrives(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_5", 2000, null);
            TestServer.Response refund = fixture.postback(PaymentsFixture.reversal("credit", "8002", "8001", "5.00"));
            assertThat(refund.status()).isEqualTo(200);
            String refundId = refund.header("X-Payment-Event-Id");
            assertThat(fixture.event(refundId).path("status").asText()).isEqualTo("parked");
            TestServer.Response sale = fixture.postback(PaymentsFixture.sale("8001", "20.00", checkout));
            assertThat(fixture.event(sale.header("X-Payment-Event-Id")).path("status").asText()).isEqualTo("posted");
            JsonNode applied = fixture.event(refundId);
            assertThat(applied.path("status").asText()).as(applied.toString()).isEqualTo("posted");
            assertThat(applied.path("kind").asText()).isEqualTo("refund");
            // Sale: creator 1600 of 2000; refund of 500 at the same shares takes back 400.
            assertThat(fixture.balance(PaymentsFixture.accountId("girlfanz", USD, 2100, "c_5"))).isEqualTo(1200);
            // History shows it waited.
            assertThat(applied.path("history").toString()).contains("parked").contains("posted");
        }
    }

    @Test
    void overlongIdsFailTheEventCleanlyAndOverlongTypesAreStoredShortened(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_6", 2000, null);
            TestServer.Response longId = fixture.postback(PaymentsFixture.sale("9".repeat(300), "20.00", checkout));
            assertThat(longId.status()).isEqualTo(200);
            JsonNode failed = fixture.event(longId.header("X-Payment-Event-Id"));
            assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.path("status_reason").asText())
                .isEqualTo("malformed: transaction id longer than 200 characters");

            Map<String, String> unknown = PaymentsFixture.sale("9100", "20.00", checkout);
            unknown.put("event", "x".repeat(500));
            TestServer.Response ignored = fixture.postback(unknown);
            assertThat(ignored.status()).isEqualTo(200);
            JsonNode stored = fixture.event(ignored.header("X-Payment-Event-Id"));
            assertThat(stored.path("status").asText()).as(stored.toString()).isEqualTo("ignored");
            assertThat(stored.path("processor_event_type").asText()).hasSize(100).endsWith("…");

            TestServer.Response sale = fixture.postback(PaymentsFixture.sale("9101", "20.00", checkout));
            assertThat(fixture.event(sale.header("X-Payment-Event-Id")).path("status").asText()).isEqualTo("posted");
        }
    }

    @Test
    void aRejectedNotificationIsReplayedWithTodaysSecrets(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_1", 500, null);
            String signedWithNewKey = PaymentsFixture.signedQuery(PaymentsFixture.sale("6001", "5.00", checkout), "rotated-key");
            TestServer.Response rejected = fixture.postbackQuery(signedWithNewKey);
            assertThat(rejected.status()).isEqualTo(401);
            String id = rejected.header("X-Payment-Event-Id");
            TestServer.Response rotated = fixture.server.postJson("/v1/merchant-accounts/" + fixture.merchantAccountId
                + "/secrets", TestServer.ADMIN_KEY, "{\"secrets\":{\"signature_key\":\"rotated-key\"}}");
            assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
            assertThat(rotated.text()).doesNotContain("rotated-key");
            TestServer.Response replayed = fixture.server.postJson("/v1/admin/payment-events/" + id + "/replay",
                TestServer.ADMIN_KEY, "");
            assertThat(replayed.status()).as(replayed.text()).isEqualTo(200);
            assertThat(replayed.json().path("status").asText()).isEqualTo("posted");
            TestServer.Response twice = fixture.server.postJson("/v1/admin/payment-events/" + id + "/replay",
                TestServer.ADMIN_KEY, "");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.json().path("type").asText()).endsWith("payment-event-final");
            // The old key still works during its grace period.
            TestServer.Response old = fixture.postback(PaymentsFixture.sale("6002", "5.00", checkout));
            assertThat(fixture.event(old.header("X-Payment-Event-Id")).path("verified_with").asText()).isEqualTo("previous");
        }
    }

    @Test
    void merchantAccountsNeverShowTheirSecrets(@TempDir Path data) {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            TestServer.Response account = fixture.server.get("/v1/merchant-accounts/" + fixture.merchantAccountId,
                TestServer.ADMIN_KEY);
            assertThat(account.status()).isEqualTo(200);
            assertThat(account.text()).doesNotContain(PaymentsFixture.SIGNATURE_KEY);
            assertThat(account.json().path("secrets").path("signature_key").path("set").asBoolean()).isTrue();
            assertThat(account.json().path("webhook_url").asText())
                .isEqualTo("https://pay.example.test/hooks/verotel/" + fixture.merchantAccountId);
            TestServer.Response list = fixture.server.get("/v1/merchant-accounts?tenant=girlfanz", fixture.platformKey);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.text()).doesNotContain(PaymentsFixture.SIGNATURE_KEY);
            TestServer.Response unknown = fixture.server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"verotel","name":"x","currencies":["USD"],
                 "settings":{"shop_id":"1","nope":"1"},"secrets":{"signature_key":"k"}}""");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().path("type").asText()).endsWith("unknown-field");
            TestServer.Response missing = fixture.server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"verotel","name":"x","currencies":["USD"],"secrets":{"signature_key":"k"}}""");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().path("type").asText()).endsWith("invalid-field");
            // The hook of an unknown account is 404 and stores nothing.
            TestServer.Response nobody = fixture.server.get("/hooks/verotel/" + UUID.randomUUID() + "?event=initial", null);
            assertThat(nobody.status()).isEqualTo(404);
            assertThat(fixture.server.get("/v1/payment-events", TestServer.ADMIN_KEY).json().path("payment_events").size())
                .isZero();
        }
    }
}
