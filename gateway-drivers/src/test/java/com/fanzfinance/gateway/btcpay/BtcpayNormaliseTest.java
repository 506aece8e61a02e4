package com.fanzfinance.gateway.btcpay;

import static com.fanzfinance.gateway.btcpay.BtcpaySamples.PAYMENT_SETTLED_BODY;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SETTLED_BODY;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SETTLED_STORE;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.account;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BtcpayNormaliseTest {

    private final BtcpayDriver driver = new BtcpayDriver();
    private final MerchantAccount account = account(SETTLED_STORE, Map.of("webhook_secret", "s"));

    private PaymentNotice notice(String body) {
        Normalised normalised = driver.normalise(webhook(body), account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private static String event(String type, String extra) {
        return "{\"deliveryId\":\"D1\",\"webhookId\":\"W1\",\"originalDeliveryId\":\"D1\",\"isRedelivery\":false,"
                + "\"type\":\"" + type + "\",\"timestamp\":1683049755,\"storeId\":\"" + SETTLED_STORE + "\","
                + "\"invoiceId\":\"INV1\",\"metadata\":{\"orderId\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"}" + extra + "}";
    }

    @Test
    void theSettledSampleIsASaleWithoutAmount() {
        PaymentNotice notice = notice(SETTLED_BODY);

        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("InvoiceSettled");
        assertThat(notice.transactionId()).isEqualTo("6wmoR7p5UFVzCYuwyiViKX");
        assertThat(notice.dedupeKey()).isEqualTo("WZbyGsmWGZvYjRsYCH7Vmt");
        assertThat(notice.checkoutId()).isEqualTo("23");
        assertThat(notice.amount()).isNull();
        assertThat(notice.currency()).isNull();
        assertThat(notice.settlementAmount()).isNull();
        assertThat(notice.occurredAt()).isEqualTo(Instant.ofEpochSecond(1683049755));
        assertThat(notice.warnings()).isEmpty();
        assertThat(notice.subscriptionId()).isNull();
        assertThat(notice.parentTransactionId()).isNull();
    }

    @Test
    void aRedeliveryHasANewDeliveryIdButTheSameDedupeKey() {
        String redelivery = SETTLED_BODY.replace("\"deliveryId\": \"WZbyGsmWGZvYjRsYCH7Vmt\"", "\"deliveryId\": \"Hq3nR8sLk2VxPz7mTc4dYe\"")
                .replace("\"isRedelivery\": false", "\"isRedelivery\": true");
        assertThat(redelivery).contains("Hq3nR8sLk2VxPz7mTc4dYe", "\"isRedelivery\": true");

        assertThat(notice(redelivery).dedupeKey()).isEqualTo(notice(SETTLED_BODY).dedupeKey()).isEqualTo("WZbyGsmWGZvYjRsYCH7Vmt");
    }

    @Test
    void thePaymentSettledSampleIsProgressWithTheCoinAmountAsSettlement() {
        PaymentNotice notice = notice(PAYMENT_SETTLED_BODY);

        assertThat(notice.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice.processorEventType()).isEqualTo("InvoicePaymentSettled");
        assertThat(notice.transactionId()).isEqualTo("L1mcYRTBuuMQiS7nyju93v");
        assertThat(notice.dedupeKey()).isEqualTo("C8upTfMpNdWTQE7j7dsGux");
        assertThat(notice.checkoutId()).isEqualTo("5JZK84xQDhAng9vWcmG3KY");
        assertThat(notice.amount()).isNull();
        assertThat(notice.settlementAmount()).isEqualTo(new BigDecimal("0.0000002"));
        assertThat(notice.settlementCurrency()).isEqualTo("BTC");
        assertThat(notice.occurredAt()).isEqualTo(Instant.ofEpochSecond(1747317970));
        assertThat(notice.warnings()).isEmpty();
    }

    @Test
    void invoiceEventsMapToTheirKinds() {
        assertThat(notice(event("InvoiceInvalid", ",\"manuallyMarked\":false")).kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(notice(event("InvoiceExpired", ",\"partiallyPaid\":false")).kind()).isEqualTo(PaymentKind.EXPIRATION);
        assertThat(notice(event("InvoiceCreated", "")).kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice(event("InvoiceProcessing", ",\"overPaid\":false")).kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice(event("InvoiceReceivedPayment", "")).kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice(event("InvoiceSomethingNew", "")).kind()).isEqualTo(PaymentKind.OTHER);
    }

    @Test
    void btcpaysFlagsBecomeWarnings() {
        assertThat(notice(event("InvoiceSettled", ",\"overPaid\":true,\"manuallyMarked\":true")).warnings())
                .containsExactly("manually-marked", "over-paid");
        assertThat(notice(event("InvoiceExpired", ",\"partiallyPaid\":true")).warnings()).containsExactly("partially-paid");
        assertThat(notice(event("InvoiceReceivedPayment", ",\"afterExpiration\":true")).warnings())
                .containsExactly("paid-after-expiration");
        assertThat(notice(event("InvoiceSettled", ",\"overPaid\":\"true\"")).warnings()).isEmpty();
    }

    @Test
    void testDeliveriesAreIgnored() {
        String test = event("InvoiceSettled", "").replace("\"INV1\"", "\"__test__8c2f4a1e-5b7d-4e9f-a3c6-1d0e2f4b6a8c__test__\"");
        assertThat(driver.normalise(webhook(test), account)).isInstanceOf(Normalised.Ignored.class)
                .extracting(ignored -> ((Normalised.Ignored) ignored).reason()).isEqualTo("test delivery");
        String testDelivery = event("InvoiceSettled", "").replace("\"D1\"", "\"__test__1__test__\"");
        assertThat(driver.normalise(webhook(testDelivery), account)).isInstanceOf(Normalised.Ignored.class);
    }

    @Test
    void eventsOfPayoutsAndPaymentRequestsAreIgnored() {
        String payout = "{\"deliveryId\":\"D2\",\"webhookId\":\"W1\",\"originalDeliveryId\":\"D2\",\"isRedelivery\":false,"
                + "\"type\":\"PayoutCreated\",\"timestamp\":1683049755,\"storeId\":\"" + SETTLED_STORE + "\",\"payoutId\":\"P1\"}";
        assertThat(driver.normalise(webhook(payout), account))
                .isEqualTo(new Normalised.Ignored("PayoutCreated", "not an invoice event", "D2"));
    }

    @Test
    void unreadableEventsAreMalformedNamingTheField() {
        assertThat(driver.normalise(webhook("not json"), account)).isEqualTo(new Normalised.Malformed("body"));
        assertThat(driver.normalise(webhook("{\"invoiceId\":\"INV1\"}"), account)).isEqualTo(new Normalised.Malformed("type"));
        assertThat(driver.normalise(webhook("{\"type\":7}"), account)).isEqualTo(new Normalised.Malformed("type"));
        assertThat(driver.normalise(webhook(event("InvoiceSettled", "").replace("\"invoiceId\":\"INV1\",", "")), account))
                .isEqualTo(new Normalised.Malformed("invoiceId"));
    }

    @Test
    void anUnreadableTimestampIsAWarningAndMissingMetadataNoCheckout() {
        PaymentNotice notice = notice(event("InvoiceSettled", "").replace("1683049755", "\"yesterday\"")
                .replace("\"metadata\":{\"orderId\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"}", "\"metadata\":{}"));
        assertThat(notice.occurredAt()).isNull();
        assertThat(notice.warnings()).containsExactly("timestamp-unreadable");
        assertThat(notice.checkoutId()).isNull();
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
    }

    @Test
    void withoutDeliveryIdsTheDedupeKeyIsTheDigestOfQueryAndBody() {
        String bare = event("InvoiceSettled", "").replace("\"deliveryId\":\"D1\",", "").replace("\"originalDeliveryId\":\"D1\",", "");
        String key = notice(bare).dedupeKey();
        assertThat(key).matches("sha256:[0-9a-f]{64}").isEqualTo(notice(bare).dedupeKey());
        assertThat(notice(bare.replace("INV1", "INV2")).dedupeKey()).isNotEqualTo(key);
        String deliveryOnly = event("InvoiceSettled", "").replace("\"originalDeliveryId\":\"D1\",", "");
        assertThat(notice(deliveryOnly).dedupeKey()).isEqualTo("D1");
    }

    @Test
    void anExpiryArrivingAfterTheSettlementIsJustNormalised() {
        PaymentNotice settled = notice(event("InvoiceSettled", ""));
        PaymentNotice expiredLater = notice(event("InvoiceExpired", "").replace("\"D1\"", "\"D9\""));
        assertThat(expiredLater.transactionId()).isEqualTo(settled.transactionId());
        assertThat(expiredLater.dedupeKey()).isNotEqualTo(settled.dedupeKey());
        assertThat(expiredLater.kind()).isEqualTo(PaymentKind.EXPIRATION);
    }
}
