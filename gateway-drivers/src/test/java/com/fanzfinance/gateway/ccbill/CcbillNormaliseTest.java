package com.fanzfinance.gateway.ccbill;

import static com.fanzfinance.gateway.ccbill.CcbillSamples.PEER;
import static com.fanzfinance.gateway.ccbill.CcbillSamples.notice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.testing.Notifications;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CcbillNormaliseTest {

    private final CcbillDriver driver = new CcbillDriver();
    private final MerchantAccount account = Notifications.account("ccbill", Map.of("client_accnum", "007687"), Map.of());

    private Normalised normaliseJson(String query, String body) {
        return driver.normalise(Notifications.post("ccbill", query, "application/json", body, PEER), account);
    }

    private PaymentNotice sample(String sample) {
        return notice(normaliseJson("", CcbillSamples.text(sample)));
    }

    @Test
    void singleNewSaleSuccessIsASaleOfTheInitialPrice() {
        PaymentNotice notice = sample(CcbillSamples.SINGLE_SALE);
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.cardNetwork()).as("cardType VISA").isEqualTo("visa");
        assertThat(notice.processorEventType()).isEqualTo("NewSaleSuccess");
        assertThat(notice.transactionId()).isEqualTo("0117240102000000041");
        assertThat(notice.subscriptionId()).isEqualTo("0117240102000000041");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.amount()).isEqualByComparingTo("45.00");
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.dedupeKey()).isEqualTo("NewSaleSuccess:0117240102000000041:2017-08-28 06:06:03");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2017-08-28T06:06:03Z"));
        assertThat(notice.checkoutId()).isNull();
        assertThat(notice.warnings()).isEmpty();
    }

    @Test
    void recurringNewSaleSuccessIsASale() {
        PaymentNotice notice = sample(CcbillSamples.RECURRING_SALE);
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.transactionId()).isEqualTo("0117240102000000049");
        assertThat(notice.subscriptionId()).isEqualTo("0117240102000000049");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("18.0"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.dedupeKey()).isEqualTo("NewSaleSuccess:0117240102000000049:2017-08-28 07:08:52");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2017-08-28T07:08:52Z"));
    }

    @Test
    void newSaleFailureIsAFailureWithoutSubscription() {
        PaymentNotice notice = sample(CcbillSamples.RECURRING_FAILURE);
        assertThat(notice.kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(notice.processorEventType()).isEqualTo("NewSaleFailure");
        assertThat(notice.transactionId()).isEqualTo("0117240102000000048");
        assertThat(notice.subscriptionId()).isNull();
        assertThat(notice.amount()).isEqualTo(new BigDecimal("18.0"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.dedupeKey()).isEqualTo("NewSaleFailure:0117240102000000048:2017-08-28 07:08:09");
    }

    @Test
    void cancellationNamesOnlyTheSubscription() {
        PaymentNotice notice = sample(CcbillSamples.CANCELLATION);
        assertThat(notice.kind()).isEqualTo(PaymentKind.CANCELLATION);
        assertThat(notice.transactionId()).isNull();
        assertThat(notice.subscriptionId()).isEqualTo("0117240102000000048");
        assertThat(notice.amount()).isNull();
        assertThat(notice.currency()).isNull();
        assertThat(notice.dedupeKey()).isEqualTo("Cancellation:0117240102000000048:2017-07-01 05:18:43");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2017-07-01T05:18:43Z"));
    }

    @Test
    void chargebackReversesTheSaleWithTheSameTransactionId() {
        PaymentNotice notice = sample(CcbillSamples.CHARGEBACK);
        assertThat(notice.kind()).isEqualTo(PaymentKind.CHARGEBACK);
        assertThat(notice.transactionId()).isEqualTo("02161032010000000000");
        assertThat(notice.subscriptionId()).isEqualTo("02161032010000000000");
        assertThat(notice.parentTransactionId()).isEqualTo("02161032010000000000");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("19.99"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.dedupeKey()).isEqualTo("Chargeback:02161032010000000000:2016-05-05 04:37:59");
    }

    @Test
    void voidReversesTheSaleWithTheSameTransactionId() {
        PaymentNotice notice = sample(CcbillSamples.VOID);
        assertThat(notice.kind()).isEqualTo(PaymentKind.VOID);
        assertThat(notice.transactionId()).isEqualTo("0000000001000006464");
        assertThat(notice.subscriptionId()).isEqualTo("0000006401000006464");
        assertThat(notice.parentTransactionId()).isEqualTo("0000000001000006464");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("48.99"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.dedupeKey()).isEqualTo("Void:0000000001000006464:2017-01-27 13:31:12");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2017-01-27T13:31:12Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {CcbillSamples.SINGLE_SALE, CcbillSamples.RECURRING_SALE, CcbillSamples.RECURRING_FAILURE,
            CcbillSamples.CANCELLATION, CcbillSamples.CHARGEBACK, CcbillSamples.VOID})
    void formBodyWithIdentityInTheQueryReadsLikeTheJsonSample(String sample) {
        ObjectNode fields = CcbillSamples.object(sample);
        String query = CcbillSamples.moveToQuery(fields, "eventType", "eventGroupType", "clientAccnum", "clientSubacc");
        Notification form = Notifications.post("ccbill", query, "application/x-www-form-urlencoded",
                CcbillSamples.form(fields), PEER);

        assertThat(query).startsWith("eventType=");
        assertThat(driver.normalise(form, account)).isEqualTo(normaliseJson("", CcbillSamples.text(sample)));
    }

    @Test
    void jsonBodyIsMergedWithTheQueryCarryingTheEventType() {
        String body = """
                {"transactionId":"0312345601000000123","subscriptionId":"0117240102000000049",
                 "timestamp":"2017-09-27 07:10:00","accountingAmount":"18.00","accountingCurrency":"USD",
                 "accountingCurrencyCode":"840","renewalDate":"2017-09-27","nextRenewalDate":"2017-10-27"}""";
        String query = "clientAccnum=007687&clientSubacc=0001&eventType=RenewalSuccess&eventGroupType=Subscription";

        PaymentNotice notice = notice(normaliseJson(query, body));

        assertThat(notice.kind()).isEqualTo(PaymentKind.REBILL);
        assertThat(notice.processorEventType()).isEqualTo("RenewalSuccess");
        assertThat(notice.transactionId()).isEqualTo("0312345601000000123");
        assertThat(notice.subscriptionId()).isEqualTo("0117240102000000049");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.amount()).isEqualTo(new BigDecimal("18.00"));
        assertThat(notice.dedupeKey()).isEqualTo("RenewalSuccess:0312345601000000123:2017-09-27 07:10:00");
    }

    @Test
    void theQueryWinsOverTheBodyForTheEventType() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.VOID);
        fields.put("eventType", "Refund");

        PaymentNotice notice = notice(normaliseJson("eventType=Void", fields.toString()));

        assertThat(notice.kind()).isEqualTo(PaymentKind.VOID);
    }

    @Test
    void refundAndReturnAreReversalsOfTheirTransaction() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.VOID);
        fields.remove("eventType");

        PaymentNotice refund = notice(normaliseJson("eventType=Refund", fields.toString()));
        PaymentNotice returned = notice(normaliseJson("eventType=Return", fields.toString()));

        assertThat(refund.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(refund.parentTransactionId()).isEqualTo("0000000001000006464");
        assertThat(refund.dedupeKey()).isEqualTo("Refund:0000000001000006464:2017-01-27 13:31:12");
        assertThat(returned.kind()).isEqualTo(PaymentKind.CHARGEBACK);
        assertThat(returned.processorEventType()).isEqualTo("Return");
    }

    @Test
    void theCheckoutIdComesBackAsAnXField() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.SINGLE_SALE);
        fields.put("X-fanz_checkout_id", "5a0e7c1b-9d3f-4b7e-8c2a-1f6d3e9b4a70");

        assertThat(notice(normaliseJson("", fields.toString())).checkoutId())
                .isEqualTo("5a0e7c1b-9d3f-4b7e-8c2a-1f6d3e9b4a70");
    }

    @ParameterizedTest
    @CsvSource({"Expiration, EXPIRATION", "BillingDateChange, OTHER", "CustomerDataUpdate, OTHER",
            "UserReactivation, OTHER", "RenewalFailure, FAILURE", "UpSaleFailure, FAILURE", "UpgradeSuccess, SALE",
            "UpSaleSuccess, SALE", "CrossSaleSuccess, SALE"})
    void knownTypesHaveTheirKind(String eventType, PaymentKind expected) {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.SINGLE_SALE);
        fields.remove("eventType");

        PaymentNotice notice = notice(normaliseJson("eventType=" + eventType, fields.toString()));

        assertThat(notice.kind()).isEqualTo(expected);
        assertThat(notice.processorEventType()).isEqualTo(eventType);
    }

    @Test
    void anUnknownEventTypeIsIgnoredWithItsIdentity() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.CANCELLATION);
        fields.put("eventType", "LoyaltyPointsGranted");

        Normalised normalised = normaliseJson("", fields.toString());

        assertThat(normalised).isEqualTo(new Normalised.Ignored("LoyaltyPointsGranted", "unknown CCBill eventType",
                "LoyaltyPointsGranted:0117240102000000048:2017-07-01 05:18:43"));
    }

    @Test
    void aMalformedAmountIsMalformedNamingTheField() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        fields.put("accountingAmount", "19,99");

        assertThat(normaliseJson("", fields.toString()))
                .isEqualTo(new Normalised.Malformed("accountingAmount is not a decimal"));
    }

    @Test
    void aReversalMaySignItsAmountButASaleMayNot() {
        ObjectNode chargeback = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        chargeback.put("accountingAmount", "-19.99");
        ObjectNode sale = CcbillSamples.object(CcbillSamples.SINGLE_SALE);
        sale.put("accountingInitialPrice", "-45.00");

        assertThat(notice(normaliseJson("", chargeback.toString())).amount()).isEqualTo(new BigDecimal("19.99"));
        assertThat(normaliseJson("", sale.toString()))
                .isEqualTo(new Normalised.Malformed("accountingInitialPrice is not a decimal"));
    }

    @Test
    void missingRequiredFieldsAreMalformedNamingThem() {
        ObjectNode sale = CcbillSamples.object(CcbillSamples.SINGLE_SALE);
        sale.remove("accountingInitialPrice");
        ObjectNode chargeback = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        chargeback.remove("transactionId");
        ObjectNode cancellation = CcbillSamples.object(CcbillSamples.CANCELLATION);
        cancellation.remove("subscriptionId");
        ObjectNode noType = CcbillSamples.object(CcbillSamples.VOID);
        noType.remove("eventType");

        assertThat(normaliseJson("", sale.toString())).isEqualTo(new Normalised.Malformed("accountingInitialPrice missing"));
        assertThat(normaliseJson("", chargeback.toString())).isEqualTo(new Normalised.Malformed("transactionId missing"));
        assertThat(normaliseJson("", cancellation.toString()))
                .isEqualTo(new Normalised.Malformed("transactionId or subscriptionId missing"));
        assertThat(normaliseJson("", noType.toString())).isEqualTo(new Normalised.Malformed("eventType missing"));
        assertThat(normaliseJson("", "not json at all {")).isEqualTo(new Normalised.Malformed("eventType missing"));
    }

    @Test
    void aNumericCurrencyCodeMapsToItsAlphaCode() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        fields.remove("accountingCurrency");
        fields.put("accountingCurrencyCode", "036");
        ObjectNode euro = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        euro.remove("accountingCurrency");
        euro.put("accountingCurrencyCode", "978");

        assertThat(notice(normaliseJson("", fields.toString())).currency()).isEqualTo("AUD");
        assertThat(notice(normaliseJson("", euro.toString())).currency()).isEqualTo("EUR");
    }

    @Test
    void anUnknownOrContradictoryCurrencyIsMalformed() {
        ObjectNode unknown = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        unknown.remove("accountingCurrency");
        unknown.put("accountingCurrencyCode", "999");
        ObjectNode contradictory = CcbillSamples.object(CcbillSamples.CHARGEBACK);
        contradictory.put("accountingCurrencyCode", "978");

        assertThat(normaliseJson("", unknown.toString()))
                .isEqualTo(new Normalised.Malformed("accountingCurrencyCode is not a known currency"));
        assertThat(normaliseJson("", contradictory.toString()))
                .isEqualTo(new Normalised.Malformed("accountingCurrencyCode disagrees with accountingCurrency"));
    }

    @Test
    void theTimestampIsReadInTheAccountsTimeZone() {
        MerchantAccount phoenix = Notifications.account("ccbill", Map.of("timezone", "America/Phoenix"), Map.of());
        MerchantAccount broken = Notifications.account("ccbill", Map.of("timezone", "Mars/Olympus"), Map.of());
        Notification cancellation = Notifications.post("ccbill", "", "application/json",
                CcbillSamples.text(CcbillSamples.CANCELLATION), PEER);

        assertThat(notice(driver.normalise(cancellation, phoenix)).occurredAt())
                .isEqualTo(Instant.parse("2017-07-01T12:18:43Z"));
        PaymentNotice unreadable = notice(driver.normalise(cancellation, broken));
        assertThat(unreadable.occurredAt()).isNull();
        assertThat(unreadable.warnings()).containsExactly("timestamp-unreadable");
    }

    @Test
    void withoutATimestampTheDedupeKeyIsTheHashOfQueryAndBody() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.CANCELLATION);
        fields.remove("timestamp");
        String body = fields.toString();

        PaymentNotice first = notice(normaliseJson("eventGroupType=Subscription", body));
        PaymentNotice retry = notice(normaliseJson("eventGroupType=Subscription", body));

        assertThat(first.occurredAt()).isNull();
        assertThat(first.dedupeKey()).matches("sha256:[0-9a-f]{64}").isEqualTo(retry.dedupeKey());
        assertThat(notice(normaliseJson("eventGroupType=Other", body)).dedupeKey()).isNotEqualTo(first.dedupeKey());
    }
}
