package com.fanzfinance.gateway.coinpayments;

import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.TEST_SECRET;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.account;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** v2 webhooks: the signature scheme of the reference, the URL form as a setting, bodies recorded as ignored. */
class CoinPaymentsV2Test {

    private static final String CLIENT = "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f";
    private static final String TIMESTAMP = "2026-12-01T11:59:30";
    private static final String BODY = "{\"id\":\"evt-1\",\"type\":\"invoiceCompleted\"}";
    private static final String WEBHOOK = "https://pay.example.test/hooks/coinpayments/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a";
    private static final String PATH = "/hooks/coinpayments/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a";

    private final CoinPaymentsDriver driver = new CoinPaymentsDriver();

    private static MerchantAccount v2(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("merchant_id", "m1", "api_version", "v2", "client_id", CLIENT));
        settings.putAll(extra);
        return account(settings, Map.of("ipn_secret", TEST_SECRET));
    }

    /** Signed over {@code signedUrl} (the scheme written out here, apart from the driver). */
    private static Notification webhook(String query, String signedUrl, String secret) {
        byte[] message = ("\ufeff" + "POST" + signedUrl + CLIENT + TIMESTAMP + BODY).getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(CoinPaymentsSamples.hmac("HmacSHA256", secret, message));
        return new Notification("POST", PATH, query, List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("X-CoinPayments-Client", CLIENT), Map.entry("X-CoinPayments-Timestamp", TIMESTAMP),
                Map.entry("X-CoinPayments-Signature", signature)), BODY.getBytes(StandardCharsets.UTF_8), "203.0.113.91",
                Notifications.RECEIVED);
    }

    @Test
    void aWebhookSignedOverTheWebhookUrlVerifies() {
        assertThat(driver.verify(webhook("", WEBHOOK, TEST_SECRET), v2(Map.of()))).isEqualTo(Verification.current());
        assertThat(driver.verify(webhook("a=1", WEBHOOK + "?a=1", TEST_SECRET), v2(Map.of()))).isEqualTo(Verification.current());
    }

    @Test
    void theUrlFormSettingChoosesTheSignedText() {
        assertThat(driver.verify(webhook("a=1", WEBHOOK, TEST_SECRET), v2(Map.of())))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(webhook("a=1", WEBHOOK, TEST_SECRET), v2(Map.of("v2_url_form", "without_query"))))
                .isEqualTo(Verification.current());
        assertThat(driver.verify(webhook("a=1", PATH + "?a=1", TEST_SECRET), v2(Map.of("v2_url_form", "path"))))
                .isEqualTo(Verification.current());
        assertThat(driver.verify(webhook("", WEBHOOK, TEST_SECRET), v2(Map.of("v2_url_form", "host"))))
                .isEqualTo(Verification.unauthenticated("unsupported-v2-url-form"));
    }

    @Test
    void anotherSecretOrClientIsRefused() {
        assertThat(driver.verify(webhook("", WEBHOOK, "other"), v2(Map.of()))).isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(webhook("", WEBHOOK, TEST_SECRET), v2(Map.of("client_id", "another-client"))))
                .isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(CoinPaymentsSamples.signedWith(TEST_SECRET, CoinPaymentsSamples.API_BODY), v2(Map.of())))
                .as("a legacy IPN to a v2 account").isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aLegacyAccountRefusesAV2Webhook() {
        assertThat(driver.verify(webhook("", WEBHOOK, TEST_SECRET), account(Map.of("ipn_secret", TEST_SECRET))))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void v2BodiesAreRecordedAsIgnored() {
        assertThat(driver.normalise(webhook("", WEBHOOK, TEST_SECRET), v2(Map.of())))
                .isInstanceOf(Normalised.Ignored.class);
    }
}
