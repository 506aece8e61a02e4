package com.fanzfinance.gateway.segpay;

import static com.fanzfinance.gateway.segpay.SegpayFixtures.MEMBER_SAMPLE;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.TRANS_SAMPLE;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.account;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.filledTemplate;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.get;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.sale;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SegpayNormaliseTest {

    private static final Pattern MATRIX_ROW = Pattern.compile(
            "(sale|credit|charge) (auth|void) (initial|conversion|rebill|InstantConversion) (yes|no) (Approved|Declined) (\\w+)");

    private final SegpayDriver driver = new SegpayDriver();

    private PaymentNotice notice(Map<String, String> params) {
        return notice(get(params), account());
    }

    private PaymentNotice notice(Notification notification, MerchantAccount account) {
        Normalised normalised = driver.normalise(notification, account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private Normalised normalised(Map<String, String> params) {
        return driver.normalise(get(params), account());
    }

    @Test
    void theDriverIsRegistered() {
        assertThat(ProcessorDrivers.load().driver("segpay")).get().isInstanceOf(SegpayDriver.class);
    }

    @Test
    void everyRowOfSegpaysTransPostMatrixHasItsKind() {
        String text = Notifications.resource(TRANS_SAMPLE).replaceAll("\\s+", " ");
        Matcher row = MATRIX_ROW.matcher(text);
        Map<String, PaymentKind> expected = Map.of("Initial", PaymentKind.SALE, "Conversion", PaymentKind.REBILL,
                "Rebill", PaymentKind.REBILL, "Instant", PaymentKind.REBILL, "Voided", PaymentKind.VOID,
                "Refunded", PaymentKind.REFUND, "Chargeback", PaymentKind.CHARGEBACK);
        int rows = 0;
        while (row.find()) {
            rows++;
            Map<String, String> params = with(sale(), "trantype", row.group(1), "action", row.group(2),
                    "stage", row.group(3), "approved", row.group(4), "tranid", "9000" + rows);
            PaymentKind kind = row.group(5).equals("Declined") ? PaymentKind.FAILURE : expected.get(row.group(6));
            PaymentNotice notice = notice(params);
            assertThat(notice.kind()).as(row.group()).isEqualTo(kind);
            assertThat(notice.transactionId()).isEqualTo("9000" + rows);
            assertThat(notice.dedupeKey()).isEqualTo("trans:9000" + rows);
        }
        assertThat(rows).as("rows of the matrix").isEqualTo(11);
    }

    @Test
    void theDocumentedTransPostTemplateFilledInByMacrosIsASale() {
        Map<String, String> macros = new HashMap<>(Map.of("action", "auth", "stage", "initial", "approved", "yes",
                "trantype", "sale", "purchaseid", "70913221", "tranid", "401223344", "price", "24.95",
                "currencycode", "USD", "transtime", "7/28/2008 3:38:43 PM", "relatedtranid", ""));
        macros.put("extracustomvariable", "4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
        String query = filledTemplate(TRANS_SAMPLE, "Custom Trans (With all Parameters Sent)", "Default Trans", macros);
        assertThat(query).startsWith("action=auth&stage=initial&approved=yes&trantype=sale&purchaseid=70913221")
                .contains("billertranstime=7%2F28%2F2008+3%3A38%3A43+PM");

        PaymentNotice notice = notice(SegpayFixtures.get(query, SegpayFixtures.basic(SegpayFixtures.USER,
                SegpayFixtures.PASSWORD), SegpayFixtures.PEER), account());

        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("sale/auth/initial/yes");
        assertThat(notice.transactionId()).isEqualTo("401223344");
        assertThat(notice.subscriptionId()).isEqualTo("70913221");
        assertThat(notice.amount()).isEqualByComparingTo("24.95");
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2008-07-28T15:38:43Z"));
        assertThat(notice.checkoutId()).isNull();
    }

    @Test
    void theDocumentedMemberManagementTemplatesAreRead() {
        Map<String, String> macros = Map.of("purchaseid", "70913221", "tranid", "401223344", "price", "24.95",
                "currencycode", "USD");
        Normalised enable = driver.normalise(get(filledTemplate(MEMBER_SAMPLE, "Custom Enable (With all Parameters Sent)",
                "Default Enable", macros), null, SegpayFixtures.PEER), account());
        Normalised disable = driver.normalise(get(filledTemplate(MEMBER_SAMPLE, "Custom Disable (With all Parameters Sent)",
                "Default Disable", macros), null, SegpayFixtures.PEER), account());
        Normalised inquiry = driver.normalise(get(filledTemplate(MEMBER_SAMPLE, "Custom Inquiry (simple)",
                "Custom Inquiry (all parameters sent)", macros), null, SegpayFixtures.PEER), account());
        Normalised simpleCancel = driver.normalise(get(filledTemplate(MEMBER_SAMPLE, "Custom Cancellation (Simple)",
                "Custom Cancellation (With all Parameters Sent)", macros), null, SegpayFixtures.PEER), account());

        assertThat(enable).isInstanceOf(Normalised.Notice.class);
        PaymentNotice enabled = ((Normalised.Notice) enable).notice();
        assertThat(enabled.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(enabled.processorEventType()).isEqualTo("enable");
        assertThat(enabled.subscriptionId()).isEqualTo("70913221");
        assertThat(enabled.amount()).isEqualByComparingTo("24.95");
        assertThat(((Normalised.Notice) disable).notice().kind()).isEqualTo(PaymentKind.EXPIRATION);
        assertThat(inquiry).isInstanceOf(Normalised.Ignored.class);
        assertThat(simpleCancel).isEqualTo(new Normalised.Malformed("missing purchaseid"));
    }

    @Test
    void aSaleOfThePaymentsApiTemplateCarriesEverything() {
        PaymentNotice notice = notice(sale());

        assertThat(notice).isEqualTo(PaymentNotice.builder(PaymentKind.SALE, "sale/auth/initial/yes", "trans:401223344")
                .transactionId("401223344").subscriptionId("70913221").amount(new BigDecimal("24.95"), "USD")
                .checkoutId("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b").occurredAt(Instant.parse("2008-07-28T15:38:43Z"))
                .build());
    }

    @Test
    void rebillsAndReversalsNameTheirParent() {
        PaymentNotice rebill = notice(with(sale(), "stage", "rebill", "tranid", "401223399", "relatedtranid", "401223344",
                "fanz_checkout_id", ""));
        PaymentNotice conversion = notice(with(sale(), "stage", "conversion", "tranid", "401223398"));
        PaymentNotice instant = notice(with(sale(), "stage", "InstantConversion", "tranid", "401223397"));
        PaymentNotice credit = notice(with(sale(), "trantype", "credit", "tranid", "401223400", "relatedtranid", "401223344",
                "price", "-24.95"));
        PaymentNotice chargeback = notice(with(sale(), "trantype", "charge", "tranid", "401223401", "relatedtranid", "401223344"));
        PaymentNotice voided = notice(with(sale(), "action", "void", "tranid", "401223402", "relatedtranid", "401223344"));

        assertThat(rebill.kind()).isEqualTo(PaymentKind.REBILL);
        assertThat(rebill.parentTransactionId()).isEqualTo("401223344");
        assertThat(rebill.checkoutId()).isNull();
        assertThat(List.of(conversion.kind(), instant.kind())).containsOnly(PaymentKind.REBILL);
        assertThat(conversion.parentTransactionId()).isNull();
        assertThat(conversion.subscriptionId()).isEqualTo("70913221");
        assertThat(credit.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(credit.amount()).isEqualByComparingTo("24.95");
        assertThat(credit.parentTransactionId()).isEqualTo("401223344");
        assertThat(chargeback.kind()).isEqualTo(PaymentKind.CHARGEBACK);
        assertThat(voided.kind()).isEqualTo(PaymentKind.VOID);
        assertThat(voided.dedupeKey()).isEqualTo("trans:401223402");
    }

    @Test
    void aRefundBeforeItsSaleIsNormalisedOnItsOwn() {
        PaymentNotice credit = notice(with(sale(), "trantype", "credit", "tranid", "501", "relatedtranid", "499",
                "purchaseid", "unknown-purchase"));

        assertThat(credit.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(credit.parentTransactionId()).isEqualTo("499");
    }

    @Test
    void aRetryHasTheSameDedupeKey() {
        Notification first = get(sale());
        Notification retry = new Notification("GET", "/hooks/segpay/other", first.rawQuery(), first.headers(),
                new byte[0], "203.0.113.42", Notifications.RECEIVED.plusSeconds(3600));

        assertThat(notice(retry, account()).dedupeKey()).isEqualTo(notice(first, account()).dedupeKey());
    }

    @Test
    void aDeclineIsAFailureEvenWithoutAPrice() {
        PaymentNotice declined = notice(with(sale(), "approved", "no", "price", null, "currencycode", null));

        assertThat(declined.kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(declined.processorEventType()).isEqualTo("sale/auth/initial/no");
        assertThat(declined.amount()).isNull();
    }

    @Test
    void combinationsOutsideTheMatrixAreIgnored() {
        assertThat(normalised(with(sale(), "trantype", "credit", "approved", "no")))
                .isEqualTo(new Normalised.Ignored("credit/auth/initial/no", "combination not in Segpay's TransPost matrix",
                        "trans:401223344"));
        assertThat(normalised(with(sale(), "stage", "upsell"))).isInstanceOf(Normalised.Ignored.class);
        assertThat(normalised(with(sale(), "trantype", "refund"))).isInstanceOf(Normalised.Ignored.class);
    }

    @Test
    void unreadableTransPostsAreMalformedNamingTheField() {
        assertThat(normalised(with(sale(), "tranid", null))).isEqualTo(new Normalised.Malformed("missing tranid"));
        assertThat(normalised(with(sale(), "approved", "maybe"))).isEqualTo(new Normalised.Malformed("approved is neither yes nor no"));
        assertThat(normalised(with(sale(), "price", "24,95"))).isEqualTo(new Normalised.Malformed("price is not a decimal"));
        assertThat(normalised(with(sale(), "price", "1e3"))).isEqualTo(new Normalised.Malformed("price is not a decimal"));
        assertThat(normalised(with(sale(), "price", ""))).isEqualTo(new Normalised.Malformed("missing price"));
        assertThat(normalised(with(sale(), "currencycode", "US"))).isEqualTo(new Normalised.Malformed("currencycode is not a currency code"));
        assertThat(normalised(with(sale(), "trantype", "credit", "relatedtranid", "", "purchaseid", "")))
                .isEqualTo(new Normalised.Malformed("missing relatedtranid and purchaseid"));
        assertThat(normalised(Map.of("foo", "bar"))).isEqualTo(new Normalised.Malformed("missing postback"));
    }

    @Test
    void memberManagementPostbacksHaveTheirKinds() {
        Map<String, String> cancel = new LinkedHashMap<>(Map.of("postback", "cancel", "purchaseid", "70913221",
                "tranid", "401223344", "transtime", "12/1/2026 11:59:30 AM"));

        PaymentNotice cancelled = notice(cancel);
        assertThat(cancelled.kind()).isEqualTo(PaymentKind.CANCELLATION);
        assertThat(cancelled.subscriptionId()).isEqualTo("70913221");
        assertThat(cancelled.dedupeKey()).isEqualTo("cancel:70913221:12/1/2026 11:59:30 AM");
        assertThat(cancelled.occurredAt()).isEqualTo(Instant.parse("2026-12-01T11:59:30Z"));
        assertThat(notice(with(cancel, "postback", "disable")).kind()).isEqualTo(PaymentKind.EXPIRATION);
        assertThat(notice(with(cancel, "postback", "enable")).kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice(with(cancel, "postback", "Reactivate")).kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(normalised(with(cancel, "postback", "inquiry"))).isInstanceOf(Normalised.Ignored.class);
        assertThat(normalised(with(cancel, "postback", "dispute")))
                .isEqualTo(new Normalised.Ignored("dispute", "unknown Segpay postback dispute", null));
        assertThat(normalised(with(cancel, "purchaseid", null))).isEqualTo(new Normalised.Malformed("missing purchaseid"));
    }

    @Test
    void aMemberPostbackWithoutTranstimeIsKeyedByItsBytes() {
        Map<String, String> cancel = Map.of("postback", "cancel", "purchaseid", "70913221");
        String first = notice(cancel).dedupeKey();

        assertThat(first).startsWith("sha256:").hasSize(71).isEqualTo(notice(cancel).dedupeKey());
        assertThat(notice(with(cancel, "purchaseid", "70913222")).dedupeKey()).isNotEqualTo(first);
    }

    @Test
    void transtimeIsReadInItsFormatsAndTheAccountsTimeZone() {
        MerchantAccount newYork = account(Map.of("basic_auth_username", SegpayFixtures.USER, "timezone", "America/New_York"),
                MerchantAccount.Secrets.NONE, null);

        assertThat(notice(with(sale(), "transtime", "7/28/2008 15:38:43")).occurredAt()).isEqualTo(Instant.parse("2008-07-28T15:38:43Z"));
        assertThat(notice(with(sale(), "transtime", "12/01/2026 12:05:00 am")).occurredAt()).isEqualTo(Instant.parse("2026-12-01T00:05:00Z"));
        assertThat(notice(with(sale(), "transtime", "2026-12-01T11:59:30+01:00")).occurredAt()).isEqualTo(Instant.parse("2026-12-01T10:59:30Z"));
        assertThat(notice(with(sale(), "transtime", null, "billertranstime", "2026-12-01 11:59:30")).occurredAt())
                .isEqualTo(Instant.parse("2026-12-01T11:59:30Z"));
        assertThat(notice(get(sale()), newYork).occurredAt()).isEqualTo(Instant.parse("2008-07-28T19:38:43Z"));

        PaymentNotice unreadable = notice(with(sale(), "transtime", "13/45/2008 3:38:43 PM"));
        assertThat(unreadable.occurredAt()).isNull();
        assertThat(unreadable.warnings()).containsExactly("transtime-unreadable");
    }

    @Test
    void aFormBodyAndTheExtrasOwnNameAreReadToo() {
        Map<String, String> params = with(sale(), "fanz_checkout_id", null, "x-fanz_checkout_id", "0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c");
        Notification form = new Notification("POST", "/hooks/segpay/6f1c5a52", "",
                List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                SegpayFixtures.encode(params).getBytes(StandardCharsets.UTF_8), SegpayFixtures.PEER, Notifications.RECEIVED);

        PaymentNotice notice = notice(form, account());
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.checkoutId()).isEqualTo("0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c");
    }

    @Test
    void theAcknowledgementIsTheExpectedResponseUnlessAckBodyIsSet() {
        MerchantAccount good = account(Map.of("expected_response", "GOOD"), MerchantAccount.Secrets.NONE, null);
        MerchantAccount both = account(Map.of("expected_response", "GOOD", "ack_body", "*success*"), MerchantAccount.Secrets.NONE, null);

        assertThat(driver.acknowledgement(account()).body()).isEqualTo("OK");
        assertThat(driver.acknowledgement(good).body()).isEqualTo("GOOD");
        assertThat(driver.acknowledgement(both).body()).isEqualTo("*success*");
    }
}
