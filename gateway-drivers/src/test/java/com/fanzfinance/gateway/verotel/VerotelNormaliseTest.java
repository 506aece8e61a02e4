package com.fanzfinance.gateway.verotel;

import static com.fanzfinance.gateway.verotel.VerotelFixtures.KEY;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.account;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.postback;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.Verification;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerotelNormaliseTest {

    private final VerotelDriver driver = new VerotelDriver();

    private static Map<String, String> params(String... pairs) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", VerotelFixtures.SHOP);
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        return params;
    }

    private Normalised normalise(Map<String, String> params) {
        return driver.normalise(postback(params, KEY), account());
    }

    private PaymentNotice notice(Map<String, String> params) {
        Normalised normalised = normalise(params);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    @Test
    void datinglibreInitialSampleIsASale() {
        Map<String, String> sample = VerotelFixtures.datinglibreInitial();
        sample.remove("signature");
        assertThat(driver.verify(postback(sample, KEY), account())).isEqualTo(Verification.current());

        PaymentNotice notice = notice(sample);
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("initial");
        assertThat(notice.transactionId()).isEqualTo("99999991");
        assertThat(notice.subscriptionId()).isEqualTo("456789");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.dedupeKey()).isEqualTo("initial:99999991");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("12.31"));
        assertThat(notice.currency()).isEqualTo("EUR");
        assertThat(notice.checkoutId()).isEqualTo("1ec29b15-72bd-67c8-80ad-79f6dc3afa9e");
        assertThat(notice.fan()).isNull();
        assertThat(notice.occurredAt()).isNull();
        assertThat(notice.settlementAmount()).isNull();
        assertThat(notice.warnings()).isEmpty();
    }

    @Test
    void datinglibreRebillWithoutCurrencyIsMalformedAndWithItARebill() {
        Map<String, String> rebill = params("event", "rebill", "transactionID", "99999991", "saleID", "456789",
                "referenceID", "0592094950", "nextChargeOn", "2022-01-18", "CCBrand", "VISA",
                "custom1", "user-1", "paymentMethod", "CC", "amount", "12.31");
        assertThat(normalise(rebill)).isEqualTo(new Normalised.Malformed("missing currency"));

        rebill.put("currency", "eur");
        rebill.put("parentID", "99999990");
        PaymentNotice notice = notice(rebill);
        assertThat(notice.kind()).isEqualTo(PaymentKind.REBILL);
        assertThat(notice.transactionId()).isEqualTo("99999991");
        assertThat(notice.subscriptionId()).isEqualTo("456789");
        assertThat(notice.parentTransactionId()).isEqualTo("99999990");
        assertThat(notice.dedupeKey()).isEqualTo("rebill:99999991");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("12.31"));
        assertThat(notice.currency()).isEqualTo("EUR");
        assertThat(notice.checkoutId()).isEqualTo("0592094950");
    }

    @Test
    void datinglibreCancelIsACancellationKeyedBySale() {
        PaymentNotice notice = notice(params("event", "cancel", "saleID", "456789", "cancelledBy", "user",
                "subscriptionPhase", "normal", "subscriptionType", "recurring"));
        assertThat(notice.kind()).isEqualTo(PaymentKind.CANCELLATION);
        assertThat(notice.transactionId()).isNull();
        assertThat(notice.subscriptionId()).isEqualTo("456789");
        assertThat(notice.dedupeKey()).isEqualTo("cancel:456789");
        assertThat(notice.amount()).isNull();
        assertThat(notice.checkoutId()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "initial,    SALE,         priceAmount, priceCurrency",
            "purchase,   SALE,         priceAmount, priceCurrency",
            "rebill,     REBILL,       amount,      currency",
            "upgrade,    REBILL,       amount,      currency",
            "downgrade,  REBILL,       amount,      currency",
            "extend,     REBILL,       amount,      currency",
            "credit,     REFUND,       amount,      currency",
            "chargeback, CHARGEBACK,   amount,      currency",
    })
    void moneyEventsMapToTheirKindWithGross(String event, PaymentKind kind, String amountField, String currencyField) {
        PaymentNotice notice = notice(params("event", event, "transactionID", "T1", "saleID", "S1",
                "parentID", "P1", amountField, "20.00", currencyField, "USD"));
        assertThat(notice.kind()).isEqualTo(kind);
        assertThat(notice.processorEventType()).isEqualTo(event);
        assertThat(notice.transactionId()).isEqualTo("T1");
        assertThat(notice.subscriptionId()).isEqualTo("S1");
        assertThat(notice.parentTransactionId()).isEqualTo(kind == PaymentKind.SALE ? null : "P1");
        assertThat(notice.dedupeKey()).isEqualTo(event + ":T1");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("20.00"));
        assertThat(notice.currency()).isEqualTo("USD");
    }

    @ParameterizedTest
    @CsvSource({
            "cancel,    CANCELLATION",
            "expiry,    EXPIRATION",
            "uncancel,  OTHER",
            "upgrade,   OTHER",
            "downgrade, OTHER",
            "extend,    OTHER",
    })
    void eventsMovingNoMoneyAreRecorded(String event, PaymentKind kind) {
        PaymentNotice notice = notice(params("event", event, "saleID", "S1", "parentID", "P1",
                "referenceID", "ref-1"));
        assertThat(notice.kind()).isEqualTo(kind);
        assertThat(notice.subscriptionId()).isEqualTo("S1");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.dedupeKey()).isEqualTo(event + ":S1");
        assertThat(notice.amount()).isNull();
        assertThat(notice.checkoutId()).isEqualTo("ref-1");
    }

    @Test
    void amountIsPreferredOverPriceAmountAndReferenceIdOverCustom1() {
        PaymentNotice notice = notice(params("event", "rebill", "transactionID", "T2", "amount", "5.00",
                "currency", "EUR", "priceAmount", "9.99", "priceCurrency", "USD", "referenceID", "ref",
                "custom1", "c1"));
        assertThat(notice.amount()).isEqualTo(new BigDecimal("5.00"));
        assertThat(notice.currency()).isEqualTo("EUR");
        assertThat(notice.checkoutId()).isEqualTo("ref");
        assertThat(notice.parentTransactionId()).isNull();
    }

    @Test
    void aReversalReportedNegativeKeepsItsSize() {
        PaymentNotice notice = notice(params("event", "credit", "transactionID", "T3", "saleID", "S1",
                "amount", "-12.31", "currency", "EUR"));
        assertThat(notice.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(notice.amount()).isEqualTo(new BigDecimal("12.31"));
        assertThat(normalise(params("event", "rebill", "transactionID", "T4", "amount", "-12.31",
                "currency", "EUR"))).isEqualTo(new Normalised.Malformed("invalid amount"));
    }

    @Test
    void unknownEventIsIgnoredWithItsKey() {
        assertThat(normalise(params("event", "refundrequest", "transactionID", "T5", "saleID", "S1")))
                .isEqualTo(new Normalised.Ignored("refundrequest", "unknown verotel event refundrequest", "refundrequest:T5"));
        assertThat(normalise(params("event", "ping")))
                .isEqualTo(new Normalised.Ignored("ping", "unknown verotel event ping", null));
    }

    @Test
    void malformedNotificationsNameTheField() {
        assertThat(normalise(params("saleID", "S1"))).isEqualTo(new Normalised.Malformed("missing event"));
        assertThat(normalise(params("event", "cancel")))
                .isEqualTo(new Normalised.Malformed("missing transactionID and saleID"));
        assertThat(normalise(params("event", "rebill", "saleID", "S1", "amount", "1.00", "currency", "EUR")))
                .isEqualTo(new Normalised.Malformed("missing transactionID"));
        assertThat(normalise(params("event", "credit", "transactionID", "T6", "currency", "EUR")))
                .isEqualTo(new Normalised.Malformed("missing amount"));
        assertThat(normalise(params("event", "initial", "transactionID", "T7", "priceAmount", "12,31",
                "priceCurrency", "EUR"))).isEqualTo(new Normalised.Malformed("invalid priceAmount"));
        assertThat(normalise(params("event", "chargeback", "transactionID", "T8", "amount", "1e3",
                "currency", "EUR"))).isEqualTo(new Normalised.Malformed("invalid amount"));
        assertThat(normalise(params("event", "initial", "transactionID", "T9", "priceAmount", "12.31",
                "priceCurrency", "EURO"))).isEqualTo(new Normalised.Malformed("invalid priceCurrency"));
    }
}
