package com.fanzfinance.gateway.btcpay;

import static com.fanzfinance.gateway.btcpay.BtcpaySamples.PAYMENT_SETTLED_BODY;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.PAYMENT_STORE;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SECRET;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SETTLED_BODY;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SETTLED_STORE;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.SIGNATURE;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.account;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.signed;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.signedWith;
import static com.fanzfinance.gateway.btcpay.BtcpaySamples.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BtcpayVerifyTest {

    private final BtcpayDriver driver = new BtcpayDriver();
    private final MerchantAccount account = account(SETTLED_STORE, Map.of("webhook_secret", SECRET));

    @Test
    void publishedKnownAnswerVerifiesOverTheRawBody() {
        assertThat(SETTLED_BODY).startsWith("{\n  \"manuallyMarked\": false,").endsWith("\n  }\n}").doesNotContain("\r");
        assertThat("sha256=" + BtcpaySamples.hmacSha256Hex(SECRET, SETTLED_BODY)).isEqualTo(SIGNATURE);
        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), account)).isEqualTo(Verification.current());
    }

    @Test
    void prefixAndHexAreReadWithoutCase() {
        String upper = "SHA256=" + SIGNATURE.substring("sha256=".length()).toUpperCase(Locale.ROOT);
        assertThat(driver.verify(signed(SETTLED_BODY, upper), account)).isEqualTo(Verification.current());
    }

    @Test
    void theSameBodyWithCrlfLineEndsOrReserialisedIsRefused() {
        assertThat(driver.verify(signed(SETTLED_BODY.replace("\n", "\r\n"), SIGNATURE), account))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY.replaceAll("\\s*\n\\s*", ""), SIGNATURE), account))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aTamperedBodyIsRefused() {
        String otherOrder = SETTLED_BODY.replace("\"orderId\": \"23\"", "\"orderId\": \"24\"");
        assertThat(otherOrder).isNotEqualTo(SETTLED_BODY);
        assertThat(driver.verify(signed(otherOrder, SIGNATURE), account))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void missingOrMalformedSignatureHeadersAreRefused() {
        String hex = SIGNATURE.substring("sha256=".length());
        assertThat(driver.verify(webhook(SETTLED_BODY), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY, hex), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY, "sha512=" + hex), account))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY, "sha256="), account)).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY, "sha256=" + hex.substring(2)), account))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void anotherSecretOrNoSecretProvesNothing() {
        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), account(SETTLED_STORE, Map.of("webhook_secret", "other"))))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), account(SETTLED_STORE, Map.of())))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aCorrectlySignedEventOfAnotherStoreIsAnAccountMismatch() {
        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), account(PAYMENT_STORE, Map.of("webhook_secret", SECRET))))
                .isEqualTo(Verification.accountMismatch());
        String numericStore = SETTLED_BODY.replace("\"" + SETTLED_STORE + "\"", "7");
        assertThat(driver.verify(signedWith(SECRET, numericStore), account)).isEqualTo(Verification.accountMismatch());
    }

    @Test
    void anEventWithoutStoreIdIsCheckedBySignatureOnly() {
        String noStore = SETTLED_BODY.replace("  \"storeId\": \"" + SETTLED_STORE + "\",\n", "");
        assertThat(noStore).doesNotContain("storeId");
        assertThat(driver.verify(signedWith(SECRET, noStore), account)).isEqualTo(Verification.current());
    }

    @Test
    void thePaymentSettledSampleSignedWithATestSecretVerifiesForItsStore() {
        MerchantAccount store = account(PAYMENT_STORE, Map.of("webhook_secret", "test-secret-for-unsigned-sample"));
        assertThat(driver.verify(signedWith("test-secret-for-unsigned-sample", PAYMENT_SETTLED_BODY), store))
                .isEqualTo(Verification.current());
    }

    @Test
    void thePreviousSecretVerifiesUntilItsGraceEnds() {
        MerchantAccount rotating = account(SETTLED_STORE, new MerchantAccount.Secrets(Map.of("webhook_secret", "new-secret"),
                Map.of("webhook_secret", SECRET), Notifications.RECEIVED.plus(Duration.ofMinutes(1))));
        MerchantAccount rotated = account(SETTLED_STORE, new MerchantAccount.Secrets(Map.of("webhook_secret", "new-secret"),
                Map.of("webhook_secret", SECRET), Notifications.RECEIVED));

        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), rotating)).isEqualTo(Verification.previous());
        assertThat(driver.verify(signedWith("new-secret", SETTLED_BODY), rotating)).isEqualTo(Verification.current());
        assertThat(driver.verify(signed(SETTLED_BODY, SIGNATURE), rotated)).isEqualTo(Verification.unauthenticated("signature"));
    }
}
