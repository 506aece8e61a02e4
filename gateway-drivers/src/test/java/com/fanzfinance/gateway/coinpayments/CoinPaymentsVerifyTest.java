package com.fanzfinance.gateway.coinpayments;

import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.API_BODY;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.SAMPLE_MERCHANT;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.TEST_SECRET;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.TRANSFER_BODY;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.account;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.ipn;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.signedWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoinPaymentsVerifyTest {

    private final CoinPaymentsDriver driver = new CoinPaymentsDriver();
    private final MerchantAccount account = account(Map.of("ipn_secret", TEST_SECRET));

    @Test
    void theSampleSignedWithATestSecretVerifiesForItsMerchant() {
        assertThat(TRANSFER_BODY).startsWith("amount=10.00000000&").endsWith("&txn_id=CTFF3TMJI9OJAIJ8SSMJVKEBHJ")
                .contains("&ipn_mode=hmac&", "&merchant=" + SAMPLE_MERCHANT + "&");
        assertThat(driver.verify(signedWith(TEST_SECRET, TRANSFER_BODY), account)).isEqualTo(Verification.current());
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), account)).isEqualTo(Verification.current());
    }

    @Test
    void theHmacIsReadWithoutCaseAndWhateverTheContentType() {
        String hmac = CoinPaymentsSamples.hmacHex("HmacSHA512", TEST_SECRET, API_BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(driver.verify(ipn(API_BODY, Map.entry("Hmac", hmac.toUpperCase(Locale.ROOT))), account))
                .isEqualTo(Verification.current());
        Notification untyped = new Notification("POST", "/hooks/coinpayments/x", "", List.of(Map.entry("HMAC", hmac)),
                API_BODY.getBytes(StandardCharsets.UTF_8), "203.0.113.91", Notifications.RECEIVED);
        assertThat(driver.verify(untyped, account)).isEqualTo(Verification.current());
    }

    @Test
    void aTamperedOrUnsignedIpnIsRefused() {
        Notification signed = signedWith(TEST_SECRET, API_BODY);
        String tampered = API_BODY.replace("amount1=20.00", "amount1=2000.00");
        assertThat(driver.verify(ipn(tampered, Map.entry("HMAC", signed.header("HMAC").orElseThrow())), account))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(ipn(API_BODY), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(ipn(API_BODY, Map.entry("HMAC", " ")), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signedWith("another-secret", API_BODY), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), account(Map.of())))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aSignedIpnForAnotherMerchantIsAnAccountMismatch() {
        MerchantAccount other = account(Map.of("merchant_id", "0000063bc5e0f43c139f8ddfe0e70000"), Map.of("ipn_secret", TEST_SECRET));
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), other)).isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY.replace("&merchant=" + SAMPLE_MERCHANT, "")), account))
                .isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY + "&merchant=" + SAMPLE_MERCHANT), account))
                .as("a repeated merchant names no single merchant").isEqualTo(Verification.accountMismatch());
    }

    @Test
    void anIpnNotInHmacModeIsRefused() {
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY.replace("ipn_mode=hmac", "ipn_mode=httpauth")), account))
                .isEqualTo(Verification.unauthenticated("ipn_mode"));
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY.replace("ipn_mode=hmac&", "")), account))
                .isEqualTo(Verification.unauthenticated("ipn_mode"));
    }

    @Test
    void thePreviousSecretVerifiesUntilItsGraceEnds() {
        MerchantAccount rotating = account(Map.of("merchant_id", SAMPLE_MERCHANT), Map.of());
        rotating = new MerchantAccount(rotating.id(), rotating.tenant(), rotating.processor(), rotating.currencies(),
                rotating.settings(), new MerchantAccount.Secrets(Map.of("ipn_secret", "new"), Map.of("ipn_secret", TEST_SECRET),
                Notifications.RECEIVED.plus(Duration.ofSeconds(1))), null, rotating.webhookUrl());
        MerchantAccount rotated = new MerchantAccount(rotating.id(), rotating.tenant(), rotating.processor(),
                rotating.currencies(), rotating.settings(), new MerchantAccount.Secrets(Map.of("ipn_secret", "new"),
                Map.of("ipn_secret", TEST_SECRET), Notifications.RECEIVED), null, rotating.webhookUrl());

        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), rotating)).isEqualTo(Verification.previous());
        assertThat(driver.verify(signedWith("new", API_BODY), rotating)).isEqualTo(Verification.current());
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), rotated)).isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void anUnknownApiVersionIsRefused() {
        MerchantAccount v3 = account(Map.of("merchant_id", SAMPLE_MERCHANT, "api_version", "v3"), Map.of("ipn_secret", TEST_SECRET));
        assertThat(driver.verify(signedWith(TEST_SECRET, API_BODY), v3)).isEqualTo(Verification.unauthenticated("unsupported-api-version"));
    }
}
