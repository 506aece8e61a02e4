package com.fanzfinance.gateway.epoch;

import static com.fanzfinance.gateway.epoch.EpochFixtures.KAT_DIGEST;
import static com.fanzfinance.gateway.epoch.EpochFixtures.account;
import static com.fanzfinance.gateway.epoch.EpochFixtures.join;
import static com.fanzfinance.gateway.epoch.EpochFixtures.post;
import static com.fanzfinance.gateway.epoch.EpochFixtures.row;
import static com.fanzfinance.gateway.epoch.EpochFixtures.samplePayload;
import static com.fanzfinance.gateway.epoch.EpochFixtures.signed;
import static com.fanzfinance.gateway.epoch.EpochFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.ProcessorDrivers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EpochNormaliseTest {

    private final EpochDriver driver = new EpochDriver();

    private PaymentNotice notice(Map<String, String> params) {
        return notice(signed(params), account());
    }

    private PaymentNotice notice(Notification notification, MerchantAccount account) {
        Normalised normalised = driver.normalise(notification, account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private Normalised normalised(Map<String, String> params) {
        return driver.normalise(signed(params), account());
    }

    @Test
    void theDriverIsRegistered() {
        assertThat(ProcessorDrivers.load().driver("epoch")).get().isInstanceOf(EpochDriver.class);
    }

    @Test
    void theSamplePostbackIsASale() {
        PaymentNotice notice = notice(post(samplePayload(), KAT_DIGEST), account());

        assertThat(notice).isEqualTo(PaymentNotice.builder(PaymentKind.SALE, "ans=Y", "transaction:1206684681")
                .transactionId("1206684681").subscriptionId("2354302288").amount(new BigDecimal("10"), "USD")
                .occurredAt(Instant.parse("2020-05-28T10:50:05.970Z")).cardType("VS").build());
        assertThat(notice.cardNetwork()).as("payment_subtype VS").isEqualTo("visa");
    }

    @Test
    void aJoinCarriesTheCheckoutIdAndADeclineIsAFailure() {
        PaymentNotice sale = notice(join());
        PaymentNotice declined = notice(with(join(), "ans", "NDECLINED", "trans_amount", null, "trans_currency", null));

        assertThat(sale.checkoutId()).isEqualTo("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
        assertThat(sale.amount()).isEqualByComparingTo("9.99");
        assertThat(sale.currency()).isEqualTo("EUR");
        assertThat(declined.kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(declined.processorEventType()).isEqualTo("ans=N");
        assertThat(declined.amount()).isNull();
    }

    @Test
    void testJoinsAreIgnoredUnlessTheAccountPostsThem() {
        Map<String, String> test = with(join(), "ans", "YGOODTEST|2354302288");

        assertThat(normalised(test)).isEqualTo(new Normalised.Ignored("ans=YGOODTEST", "an Epoch test transaction",
                "transaction:1206684681"));
        assertThat(notice(signed(test), account(Map.of("post_test_transactions", "true"))).kind()).isEqualTo(PaymentKind.SALE);
    }

    @Test
    void unknownAnswersAreIgnoredAndUnreadableJoinsMalformed() {
        assertThat(normalised(with(join(), "ans", "X123"))).isInstanceOf(Normalised.Ignored.class);
        assertThat(normalised(with(join(), "transaction_id", null))).isEqualTo(new Normalised.Malformed("missing transaction_id"));
        assertThat(normalised(with(join(), "trans_amount", null))).isEqualTo(new Normalised.Malformed("missing trans_amount"));
        assertThat(normalised(with(join(), "trans_amount", "-9.99"))).isEqualTo(new Normalised.Malformed("invalid trans_amount"));
        assertThat(normalised(with(join(), "trans_currency", "EURO"))).isEqualTo(new Normalised.Malformed("invalid trans_currency"));
        assertThat(normalised(Map.of("foo", "bar")))
                .isEqualTo(new Normalised.Malformed("missing ans (FlexPost) and ets_transaction_type (DataPlus)"));
        PaymentNotice badTime = notice(with(join(), "event_datetime", "yesterday"));
        assertThat(badTime.occurredAt()).isNull();
        assertThat(badTime.warnings()).containsExactly("event-datetime-unreadable");
    }

    @Test
    void dataPlusTransactionTypesHaveTheirKinds() {
        Map<String, PaymentKind> kinds = Map.ofEntries(Map.entry("I", PaymentKind.SALE), Map.entry("O", PaymentKind.SALE),
                Map.entry("T", PaymentKind.SALE), Map.entry("N", PaymentKind.REBILL), Map.entry("U", PaymentKind.REBILL),
                Map.entry("C", PaymentKind.REFUND), Map.entry("D", PaymentKind.CHARGEBACK), Map.entry("X", PaymentKind.CHARGEBACK),
                Map.entry("J", PaymentKind.FAILURE), Map.entry("K", PaymentKind.CANCELLATION), Map.entry("F", PaymentKind.OTHER));
        kinds.forEach((type, kind) -> {
            String amount = kind.isReversal() ? "-4.50" : "4.50";
            PaymentNotice notice = notice(row(type.toLowerCase(), amount));
            assertThat(notice.kind()).as(type).isEqualTo(kind);
            assertThat(notice.processorEventType()).isEqualTo("ets_transaction_type=" + type);
            assertThat(notice.amount()).as(type).isEqualByComparingTo("4.50");
            assertThat(notice.currency()).isEqualTo("USD");
        });
        assertThat(normalised(row("Q", "1.00"))).isInstanceOf(Normalised.Ignored.class);
    }

    @Test
    void aDataPlusRefundNamesItsParentAndIsKeyedByItsTransaction() {
        PaymentNotice refund = notice(with(row("C", "-4.50"), "ets_ref_trans_ids", "1206684681,1206684682"));

        assertThat(refund).isEqualTo(PaymentNotice.builder(PaymentKind.REFUND, "ets_transaction_type=C", "transaction:1206684700")
                .transactionId("1206684700").subscriptionId("2354302288").parentTransactionId("1206684681")
                .amount(new BigDecimal("4.50"), "USD").occurredAt(Instant.parse("2026-12-01T11:59:30Z")).build());
    }

    @Test
    void aJoinReportedAsFlexPostAndAsDataPlusRowHasOneDedupeKey() {
        PaymentNotice flexPost = notice(join());
        PaymentNotice dataPlus = notice(with(row("I", "9.99"), "ets_transaction_id", "1206684681", "ets_ref_trans_ids", ""));

        assertThat(dataPlus.dedupeKey()).isEqualTo(flexPost.dedupeKey());
    }

    @Test
    void dataPlusSettingsChooseCurrencyAndTimeZone() {
        MerchantAccount eurBerlin = account(Map.of("dataplus_currency", "eur", "timezone", "Europe/Berlin"));

        PaymentNotice rebill = notice(signed(row("N", "9.99")), eurBerlin);
        assertThat(rebill.currency()).isEqualTo("EUR");
        assertThat(rebill.occurredAt()).isEqualTo(Instant.parse("2026-12-01T10:59:30Z"));
        assertThat(notice(with(row("N", "9.99"), "ets_transaction_date", "2026-12-01")).occurredAt())
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(driver.normalise(signed(row("N", "9.99")), account(Map.of("dataplus_currency", "dollars"))))
                .isEqualTo(new Normalised.Malformed("the account's dataplus_currency is not a currency code"));
    }

    @Test
    void unreadableDataPlusRowsAreMalformedNamingTheField() {
        assertThat(normalised(with(row("N", "9.99"), "ets_transaction_id", null)))
                .isEqualTo(new Normalised.Malformed("missing ets_transaction_id"));
        assertThat(normalised(row("N", "-9.99"))).isEqualTo(new Normalised.Malformed("invalid ets_transaction_amount"));
        assertThat(normalised(with(row("C", "-4.50"), "ets_transaction_amount", null)))
                .isEqualTo(new Normalised.Malformed("missing ets_transaction_amount"));
        assertThat(normalised(with(row("C", "-4.50"), "ets_ref_trans_ids", null, "ets_member_idx", null)))
                .isEqualTo(new Normalised.Malformed("missing ets_ref_trans_ids and ets_member_idx"));
    }

    @Test
    void aRefundBeforeItsSaleAndARetryNormaliseTheSame() {
        Notification refund = signed(row("C", "-4.50"));
        Notification retry = new Notification("POST", "/hooks/epoch/x", "", refund.headers(), refund.body(),
                "208.236.105.18", refund.receivedAt().plusSeconds(900));

        assertThat(notice(retry, account())).isEqualTo(notice(refund, account()));
    }

    @Test
    void checkoutRedirectsFromTheTemplateWithTheIdInXFanzCheckoutId() {
        UUID id = UUID.fromString("0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c");
        CheckoutRequest ppv = new CheckoutRequest(id, "ppv", new BigDecimal("4.50"), 450, "EUR", 30, 0, "PPV", null, null);
        MerchantAccount configured = account(Map.of("payment_url_template",
                "https://wnu.com/secure/fpost.cgi?co_code=AB1C&pi_code=p1&amount={amount}&currency={currency}&x_fanz_checkout_id={checkout_id}"));

        assertThat(driver.checkout(ppv, configured)).isEqualTo(new CheckoutAction.Redirect(
                "https://wnu.com/secure/fpost.cgi?co_code=AB1C&pi_code=p1&amount=4.50&currency=EUR&x_fanz_checkout_id=" + id,
                new CheckoutAction.PassThrough("x_fanz_checkout_id", id.toString())));
        assertThatThrownBy(() -> driver.checkout(ppv, account())).isInstanceOf(CheckoutNotConfiguredException.class);
        assertThat(driver.acknowledgement(account()).body()).isEqualTo("OK");
    }
}
