package com.fanzfinance.gateway.nowpayments;

import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.CONFIRMING_BODY;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.FINISHED_BODY;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.WAITING_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NowPaymentsNormaliseTest {

    private final NowPaymentsDriver driver = new NowPaymentsDriver();
    private final MerchantAccount account = NowPaymentsSamples.account(Map.of("ipn_secret", "s"));

    private Normalised normalise(String body) {
        return driver.normalise(NowPaymentsSamples.ipn(body), account);
    }

    private PaymentNotice notice(String body) {
        Normalised normalised = normalise(body);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private static String withStatus(String status) {
        return FINISHED_BODY.replace("\"payment_status\":\"finished\"", "\"payment_status\":\"" + status + "\"");
    }

    @Test
    void finishedProductionIpnIsASale() {
        PaymentNotice notice = notice(FINISHED_BODY);
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("finished");
        assertThat(notice.transactionId()).isEqualTo("5800567260");
        assertThat(notice.subscriptionId()).isEqualTo("5172103429");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.dedupeKey()).isEqualTo("5800567260:finished");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("20"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.settlementAmount()).isEqualTo(new BigDecimal("0.00022187"));
        assertThat(notice.settlementCurrency()).isEqualTo("BTC");
        assertThat(notice.checkoutId()).isEqualTo("deposit_a7936ab3-8970-4d3b-8f79-d17aa8928b03_1765249230");
        assertThat(notice.fan()).isNull();
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2025-12-09T03:04:21.097Z"));
        assertThat(notice.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "finished, SALE",
            "refunded, REFUND",
            "failed, FAILURE",
            "expired, EXPIRATION",
            "waiting, OTHER",
            "confirming, OTHER",
            "confirmed, OTHER",
            "sending, OTHER",
            "partially_paid, OTHER"
    })
    void everyStatusMaps(String status, PaymentKind kind) {
        PaymentNotice notice = notice(withStatus(status));
        assertThat(notice.kind()).isEqualTo(kind);
        assertThat(notice.processorEventType()).isEqualTo(status);
        assertThat(notice.dedupeKey()).isEqualTo("5800567260:" + status);
        assertThat(notice.amount()).isEqualTo(new BigDecimal("20"));
    }

    @Test
    void refundReversesItsOwnPaymentUnlessAParentIsNamed() {
        assertThat(notice(withStatus("refunded")).parentTransactionId()).isEqualTo("5800567260");
        String withParent = withStatus("refunded").replace("\"parent_payment_id\":null", "\"parent_payment_id\":5800000001");
        assertThat(notice(withParent).parentTransactionId()).isEqualTo("5800000001");
    }

    @Test
    void unsortedWaitingBodyIsRecordedWithItsFields() {
        PaymentNotice notice = notice(WAITING_BODY);
        assertThat(notice.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice.dedupeKey()).isEqualTo("5261148849:waiting");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("5"));
        assertThat(notice.settlementAmount()).isEqualTo(new BigDecimal("4.958355"));
        assertThat(notice.settlementCurrency()).isEqualTo("USDTTRC20");
        assertThat(notice.checkoutId()).isEqualTo("1");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2023-10-30T20:28:34.802Z"));
    }

    @Test
    void confirmingBodyWithoutTimeHasNoOccurredAt() {
        PaymentNotice notice = notice(CONFIRMING_BODY);
        assertThat(notice.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice.amount()).isEqualTo(new BigDecimal("0.4"));
        assertThat(notice.checkoutId()).isEqualTo("LEX3SZMT");
        assertThat(notice.occurredAt()).isNull();
    }

    @Test
    void isoTimesAndCreatedAtAreRead() {
        String iso = FINISHED_BODY.replace("\"updated_at\":1765249461097", "\"updated_at\":\"2025-12-09T03:04:21.097Z\"");
        assertThat(notice(iso).occurredAt()).isEqualTo(Instant.parse("2025-12-09T03:04:21.097Z"));
        String created = FINISHED_BODY.replace("\"updated_at\":1765249461097", "\"created_at\":\"2025-12-09T04:04:21+01:00\"");
        assertThat(notice(created).occurredAt()).isEqualTo(Instant.parse("2025-12-09T03:04:21Z"));
        PaymentNotice unreadable = notice(FINISHED_BODY.replace("\"updated_at\":1765249461097", "\"updated_at\":\"yesterday\""));
        assertThat(unreadable.occurredAt()).isNull();
        assertThat(unreadable.warnings()).containsExactly("updated_at-unreadable");
    }

    @Test
    void amountsAreReadFromTheirTextExactly() {
        String precise = FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":19.99,");
        assertThat(notice(precise).amount()).isEqualTo(new BigDecimal("19.99"));
        String trailing = FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":20.10,");
        assertThat(notice(trailing).amount()).isEqualTo(new BigDecimal("20.10")).hasScaleOf(2);
        String tiny = FINISHED_BODY.replace("\"outcome_amount\":0.00022187", "\"outcome_amount\":2e-7");
        assertThat(notice(tiny).settlementAmount()).isEqualTo(new BigDecimal("0.0000002"));
    }

    @Test
    void unknownStatusIsIgnoredWithItsIdentity() {
        assertThat(normalise(withStatus("wrong_asset_confirmed")))
                .isEqualTo(new Normalised.Ignored("wrong_asset_confirmed", "unknown payment_status",
                        "5800567260:wrong_asset_confirmed"));
    }

    @Test
    void malformedNotificationsNameTheField() {
        assertThat(normalise("not json")).isEqualTo(new Normalised.Malformed("body"));
        assertThat(normalise(FINISHED_BODY.replace("\"payment_status\":\"finished\",", "")))
                .isEqualTo(new Normalised.Malformed("payment_status"));
        assertThat(normalise(FINISHED_BODY.replace("\"payment_id\":5800567260,", "")))
                .isEqualTo(new Normalised.Malformed("payment_id"));
        assertThat(normalise(FINISHED_BODY.replace("\"payment_id\":5800567260,", "\"payment_id\":null,")))
                .isEqualTo(new Normalised.Malformed("payment_id"));
        assertThat(normalise(FINISHED_BODY.replace("\"price_amount\":20,", "")))
                .isEqualTo(new Normalised.Malformed("price_amount"));
        assertThat(normalise(FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":\"20\",")))
                .isEqualTo(new Normalised.Malformed("price_amount"));
        assertThat(normalise(FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":-20,")))
                .isEqualTo(new Normalised.Malformed("price_amount"));
        assertThat(normalise(FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":1e999999999,")))
                .isEqualTo(new Normalised.Malformed("price_amount"));
        assertThat(normalise(FINISHED_BODY.replace("\"price_currency\":\"usd\",", "")))
                .isEqualTo(new Normalised.Malformed("price_currency"));
        assertThat(normalise(FINISHED_BODY.replace("\"outcome_amount\":0.00022187", "\"outcome_amount\":-1")))
                .isEqualTo(new Normalised.Malformed("outcome_amount"));
    }

    @Test
    void aNoticeThatMovesNoMoneyMayLackAPrice() {
        PaymentNotice notice = notice(withStatus("expired").replace("\"price_amount\":20,", ""));
        assertThat(notice.kind()).isEqualTo(PaymentKind.EXPIRATION);
        assertThat(notice.amount()).isNull();
    }
}
