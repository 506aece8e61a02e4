package com.fanzfinance.gateway.nowpayments;

import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.FINISHED_BODY;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.SECRET;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.SIGNATURE;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.account;
import static com.fanzfinance.gateway.nowpayments.NowPaymentsSamples.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NowPaymentsVerifyTest {

    private final NowPaymentsDriver driver = new NowPaymentsDriver();

    /** The finished IPN's members in another order, spaced out, with numbers written as other serialisers do. */
    private static final String REORDERED_FINISHED = """
            { "payment_status" : "finished", "payment_id" : 5800567260, "price_amount" : 20.0,
              "price_currency" : "usd", "pay_amount" : 6.56612e-3, "pay_currency" : "eth",
              "actually_paid" : 0.006566120, "actually_paid_at_fiat" : 0E0,
              "fee" : { "withdrawalFee" : 0, "serviceFee" : 3E-6, "depositFee" : 2e-06, "currency" : "btc" },
              "outcome_currency" : "btc", "outcome_amount" : 0.00022187,
              "order_id" : "deposit_a7936ab3-8970-4d3b-8f79-d17aa8928b03_1765249230", "order_description" : null,
              "invoice_id" : null, "parent_payment_id" : null, "purchase_id" : "5172103429",
              "pay_address" : "0x05Db991D7930CE6Ac8c21064de9A14EB2a154746", "payin_extra_id" : null,
              "payment_extra_ids" : null, "updated_at" : 1.765249461097e12 }
            """;

    @Test
    void productionKnownAnswerVerifiesOverTheRawBody() {
        assertThat(Digests.hmacSha512Hex(SECRET, FINISHED_BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(SIGNATURE);
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), account(Map.of("ipn_secret", SECRET))))
                .isEqualTo(Verification.current());
    }

    @Test
    void signatureInUpperCaseHexStillMatches() {
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE.toUpperCase(Locale.ROOT)),
                account(Map.of("ipn_secret", SECRET)))).isEqualTo(Verification.current());
    }

    @Test
    void reorderedAndRespacedBodyVerifiesThroughTheSortedForm() {
        assertThat(SortedJson.bytes(LexicalJson.parseObject(REORDERED_FINISHED.getBytes(StandardCharsets.UTF_8))
                .orElseThrow())).asString(StandardCharsets.UTF_8).isEqualTo(FINISHED_BODY);
        assertThat(driver.verify(signed(REORDERED_FINISHED, SIGNATURE), account(Map.of("ipn_secret", SECRET))))
                .isEqualTo(Verification.current());
    }

    @Test
    void tamperedBodyIsRefused() {
        String tampered = FINISHED_BODY.replace("\"price_amount\":20,", "\"price_amount\":2000,");
        assertThat(tampered).isNotEqualTo(FINISHED_BODY);
        assertThat(driver.verify(signed(tampered, SIGNATURE), account(Map.of("ipn_secret", SECRET))))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void reorderedBodyWithAChangedValueIsRefused() {
        String tampered = REORDERED_FINISHED.replace("\"outcome_amount\" : 0.00022187", "\"outcome_amount\" : 0.00022188");
        assertThat(tampered).isNotEqualTo(REORDERED_FINISHED);
        assertThat(driver.verify(signed(tampered, SIGNATURE), account(Map.of("ipn_secret", SECRET))))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void wrongSecretIsRefused() {
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), account(Map.of("ipn_secret", SECRET + "x"))))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void previousSecretIsAcceptedWithinItsGracePeriod() {
        MerchantAccount rotated = account(new MerchantAccount.Secrets(Map.of("ipn_secret", "a-newer-secret"),
                Map.of("ipn_secret", SECRET), Notifications.RECEIVED.plus(Duration.ofHours(1))));
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), rotated)).isEqualTo(Verification.previous());
    }

    @Test
    void previousSecretIsRefusedOnceItsGracePeriodIsOver() {
        MerchantAccount rotated = account(new MerchantAccount.Secrets(Map.of("ipn_secret", "a-newer-secret"),
                Map.of("ipn_secret", SECRET), Notifications.RECEIVED));
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), rotated))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void currentSecretWinsDuringARotation() {
        MerchantAccount rotated = account(new MerchantAccount.Secrets(Map.of("ipn_secret", SECRET),
                Map.of("ipn_secret", "the-old-secret"), Notifications.RECEIVED.plus(Duration.ofHours(1))));
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), rotated)).isEqualTo(Verification.current());
    }

    @Test
    void missingOrBlankHeaderIsRefused() {
        MerchantAccount account = account(Map.of("ipn_secret", SECRET));
        assertThat(driver.verify(NowPaymentsSamples.ipn(FINISHED_BODY), account))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(FINISHED_BODY, " "), account))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void headerNameIsMatchedWithoutCase() {
        assertThat(driver.verify(NowPaymentsSamples.ipn(FINISHED_BODY, Map.entry("X-NOWPayments-Sig", SIGNATURE)),
                account(Map.of("ipn_secret", SECRET)))).isEqualTo(Verification.current());
    }

    @Test
    void accountWithoutSecretRefusesEverything() {
        assertThat(driver.verify(signed(FINISHED_BODY, SIGNATURE), account(Map.of())))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void unreadableBodyIsRefusedNotThrown() {
        MerchantAccount account = account(Map.of("ipn_secret", SECRET));
        assertThat(driver.verify(signed("{\"payment_id\":", SIGNATURE), account))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed("", SIGNATURE), account)).isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void refusalNeverNamesTheSecret() {
        Verification refused = driver.verify(signed(FINISHED_BODY, "00"), account(Map.of("ipn_secret", SECRET)));
        assertThat(refused.toString()).doesNotContain(SECRET);
    }
}
