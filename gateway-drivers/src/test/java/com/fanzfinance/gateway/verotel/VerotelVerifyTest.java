package com.fanzfinance.gateway.verotel;

import static com.fanzfinance.gateway.verotel.VerotelFixtures.KEY;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.OLD_KEY;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.SHOP;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.account;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.postback;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.query;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerotelVerifyTest {

    private final VerotelDriver driver = new VerotelDriver();

    private static Map<String, String> rebill() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", SHOP);
        params.put("event", "rebill");
        params.put("saleID", "456789");
        params.put("transactionID", "99999992");
        params.put("amount", "12.31");
        params.put("currency", "EUR");
        return params;
    }

    private static MerchantAccount katAccount(String acceptSha1) {
        return account(Map.of("shop_id", "68849", "accept_sha1", acceptSha1),
                MerchantAccount.Secrets.of(Map.of("signature_key", FlexPaySignatureTest.KAT_KEY)));
    }

    private static Notification katPostback(String signature) {
        return Notifications.get("verotel", query(VerotelFixtures.katParams(), signature), "203.0.113.9");
    }

    @Test
    void knownAnswerVectorVerifiesWithTheAccountShopIdAdded() {
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA256), katAccount("true")))
                .isEqualTo(Verification.current());
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA1), katAccount("true")))
                .isEqualTo(Verification.current());
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA256.toUpperCase()), katAccount("true")))
                .isEqualTo(Verification.current());
    }

    @Test
    void sha1IsRefusedWhenTheAccountTurnsItOff() {
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA1), katAccount("false")))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA1), katAccount("yes")))
                .isEqualTo(Verification.unauthenticated("signature"));
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA256), katAccount("false")))
                .isEqualTo(Verification.current());
    }

    @Test
    void aShopIdOtherThanTheAccountsAddedOneFailsTheVector() {
        MerchantAccount otherShop = account(Map.of("shop_id", "68850"),
                MerchantAccount.Secrets.of(Map.of("signature_key", FlexPaySignatureTest.KAT_KEY)));
        assertThat(driver.verify(katPostback(FlexPaySignatureTest.KAT_SHA256), otherShop))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void datinglibreSampleFailsWithItsUnknownKeyAndVerifiesResigned() {
        Map<String, String> sample = VerotelFixtures.datinglibreInitial();
        assertThat(sample.get("signature")).hasSize(40);
        Notification asSent = Notifications.get("verotel", VerotelFixtures.encode(sample), "203.0.113.9");
        assertThat(driver.verify(asSent, account())).isEqualTo(Verification.unauthenticated("signature"));

        sample.remove("signature");
        assertThat(driver.verify(postback(sample, KEY), account())).isEqualTo(Verification.current());
        Notification sha1 = Notifications.get("verotel", query(sample, sign("SHA-1", KEY, sample)), "203.0.113.9");
        assertThat(driver.verify(sha1, account())).isEqualTo(Verification.current());
    }

    @Test
    void formBodyPostbackVerifies() {
        Map<String, String> params = rebill();
        Notification form = Notifications.post("verotel", "", "application/x-www-form-urlencoded",
                query(params, sign("SHA-256", KEY, params)), "203.0.113.9");
        assertThat(driver.verify(form, account())).isEqualTo(Verification.current());
    }

    @Test
    void tamperedParameterFails() {
        Map<String, String> params = rebill();
        String signature = sign("SHA-256", KEY, params);
        params.put("amount", "1.31");
        Notification tampered = Notifications.get("verotel", query(params, signature), "203.0.113.9");
        assertThat(driver.verify(tampered, account())).isEqualTo(Verification.unauthenticated("signature"));

        Map<String, String> added = rebill();
        String original = sign("SHA-256", KEY, added);
        added.put("custom2", "x");
        assertThat(driver.verify(Notifications.get("verotel", query(added, original), "203.0.113.9"), account()))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void wrongKeyMissingOrOddLengthSignatureFails() {
        assertThat(driver.verify(postback(rebill(), "another-key"), account()))
                .isEqualTo(Verification.unauthenticated("signature"));
        Notification unsigned = Notifications.get("verotel", VerotelFixtures.encode(rebill()), "203.0.113.9");
        assertThat(driver.verify(unsigned, account())).isEqualTo(Verification.unauthenticated("signature"));
        Notification truncated = Notifications.get("verotel",
                query(rebill(), sign("SHA-256", KEY, rebill()).substring(0, 63)), "203.0.113.9");
        assertThat(driver.verify(truncated, account())).isEqualTo(Verification.unauthenticated("signature"));
        MerchantAccount noKey = account(Map.of("shop_id", SHOP), MerchantAccount.Secrets.NONE);
        assertThat(driver.verify(postback(rebill(), KEY), noKey)).isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aRepeatedParameterFails() {
        Map<String, String> params = rebill();
        String signed = query(params, sign("SHA-256", KEY, params));
        Notification repeated = Notifications.get("verotel", signed + "&amount=1000.00", "203.0.113.9");
        assertThat(driver.verify(repeated, account())).isEqualTo(Verification.unauthenticated("signature"));
        Notification twoSignatures = Notifications.get("verotel", signed + "&signature=00", "203.0.113.9");
        assertThat(driver.verify(twoSignatures, account())).isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void previousKeyIsAcceptedOnlyWithinItsGracePeriod() {
        Map<String, String> settings = Map.of("shop_id", SHOP);
        MerchantAccount rotated = account(settings, new MerchantAccount.Secrets(Map.of("signature_key", KEY),
                Map.of("signature_key", OLD_KEY), Notifications.RECEIVED.plus(Duration.ofHours(1))));
        MerchantAccount expired = account(settings, new MerchantAccount.Secrets(Map.of("signature_key", KEY),
                Map.of("signature_key", OLD_KEY), Notifications.RECEIVED));

        assertThat(driver.verify(postback(rebill(), OLD_KEY), rotated)).isEqualTo(Verification.previous());
        assertThat(driver.verify(postback(rebill(), KEY), rotated)).isEqualTo(Verification.current());
        assertThat(driver.verify(postback(rebill(), OLD_KEY), expired))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aSignedPostbackOfAnotherShopIsAnAccountMismatch() {
        Map<String, String> params = rebill();
        params.put("shopID", "999999");
        assertThat(driver.verify(postback(params, KEY), account())).isEqualTo(Verification.accountMismatch());
        MerchantAccount noShop = account(Map.of(), MerchantAccount.Secrets.of(Map.of("signature_key", KEY)));
        assertThat(driver.verify(postback(rebill(), KEY), noShop)).isEqualTo(Verification.accountMismatch());
    }

    @Test
    void theSignatureIsCheckedBeforeTheShop() {
        Map<String, String> params = rebill();
        params.put("shopID", "999999");
        assertThat(driver.verify(postback(params, "another-key"), account()))
                .isEqualTo(Verification.unauthenticated("signature"));
    }

    @Test
    void aPostbackWithoutShopIdIsSignedWithTheAccountsShop() {
        Map<String, String> params = rebill();
        Map<String, String> withShop = new LinkedHashMap<>(params);
        params.remove("shopID");
        Notification withoutShop = Notifications.get("verotel", query(params, sign("SHA-256", KEY, withShop)),
                "203.0.113.9");
        assertThat(driver.verify(withoutShop, account())).isEqualTo(Verification.current());
    }
}
