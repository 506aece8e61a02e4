package com.fanzfinance.gateway.netbilling;

import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.OLD_KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.OLD_PASSWORD;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.PASSWORD;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.account;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.get;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.keyed;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.resign;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sample;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sampleQuery;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.signedSampleQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetbillingVerifyTest {

    private static final String CREDENTIALS = "netbilling:" + PASSWORD;

    private final NetbillingDriver driver = new NetbillingDriver();

    @Test
    void theSamplePostbackAsPublishedCarriesNoCredentialsAndIsRefused() {
        assertThat(driver.verify(get(sampleQuery(), null), keyed()))
                .isEqualTo(Verification.unauthenticated("basic-auth: missing"));
    }

    @Test
    void theBasicPasswordVerifiesWithAnyUserNameUnlessOneIsSet() {
        assertThat(driver.verify(sample(), keyed())).isEqualTo(Verification.current());
        assertThat(driver.verify(get(signedSampleQuery(KEY), "anyone:" + PASSWORD), keyed())).isEqualTo(Verification.current());

        MerchantAccount named = keyed(Map.of("basic_auth_username", "netbilling"));
        assertThat(driver.verify(sample(), named)).isEqualTo(Verification.current());
        assertThat(driver.verify(get(signedSampleQuery(KEY), "anyone:" + PASSWORD), named))
                .as("the same reason as a wrong password: nothing says which half was wrong")
                .isEqualTo(Verification.unauthenticated("basic-auth"));
    }

    @Test
    void aForgedOrUnreadableCredentialIsRefusedWithoutThrowing() {
        String query = signedSampleQuery(KEY);
        assertThat(driver.verify(get(query, "netbilling:" + PASSWORD + "x"), keyed()))
                .isEqualTo(Verification.unauthenticated("basic-auth"));
        assertThat(driver.verify(get(query, "netbilling:"), keyed())).isEqualTo(Verification.unauthenticated("basic-auth: missing"));
        assertThat(driver.verify(get(query, "no colon " + PASSWORD), keyed()))
                .isEqualTo(Verification.unauthenticated("basic-auth: missing"));
        Notification badBase64 = new Notification("GET", "/hooks/netbilling/x", query,
                List.of(Map.entry("Authorization", "Basic %%%not-base64")), new byte[0], "203.0.113.9", Notifications.RECEIVED);
        assertThat(driver.verify(badBase64, keyed())).isEqualTo(Verification.unauthenticated("basic-auth: missing"));
    }

    @Test
    void thePreviousPasswordAndKeyVerifyOnlyWithinTheirGracePeriod() {
        Map<String, String> current = Map.of("integrity_key", KEY, "basic_auth_password", PASSWORD);
        Map<String, String> previous = Map.of("integrity_key", OLD_KEY, "basic_auth_password", OLD_PASSWORD);
        MerchantAccount within = account(Map.of(), new MerchantAccount.Secrets(current, previous,
                Notifications.RECEIVED.plus(Duration.ofHours(1))), null);
        MerchantAccount over = account(Map.of(), new MerchantAccount.Secrets(current, previous, Notifications.RECEIVED), null);
        Notification oldPassword = get(signedSampleQuery(KEY), "netbilling:" + OLD_PASSWORD);
        Notification oldKey = get(signedSampleQuery(OLD_KEY), CREDENTIALS);

        assertThat(driver.verify(oldPassword, within)).isEqualTo(Verification.previous());
        assertThat(driver.verify(oldKey, within)).as("a form signed before the key changed").isEqualTo(Verification.previous());
        assertThat(driver.verify(sample(), within)).isEqualTo(Verification.current());
        assertThat(driver.verify(oldPassword, over)).isEqualTo(Verification.unauthenticated("basic-auth"));
        assertThat(driver.verify(oldKey, over)).isEqualTo(Verification.unauthenticated("integrity-hash"));
    }

    @Test
    void theIntegrityHashProtectsTheEchoedFormFields() {
        assertThat(driver.verify(get(sampleQuery(), CREDENTIALS), keyed())).as("the published hash, of an unknown key")
                .isEqualTo(Verification.unauthenticated("integrity-hash"));
        String raisedPrice = signedSampleQuery(KEY).replace("Ecom_Cost_Total=10.01", "Ecom_Cost_Total=1.01");
        assertThat(driver.verify(get(raisedPrice, CREDENTIALS), keyed())).isEqualTo(Verification.unauthenticated("integrity-hash"));
        String otherKey = signedSampleQuery("another key");
        assertThat(driver.verify(get(otherKey, CREDENTIALS), keyed())).isEqualTo(Verification.unauthenticated("integrity-hash"));

        String priceNotCovered = resign(sampleQuery().replace(
                "Ecom_Ezic_Security_HashFields=Ecom_Ezic_AccountAndSitetag%20Ecom_Cost_Total%20",
                "Ecom_Ezic_Security_HashFields=Ecom_Ezic_AccountAndSitetag%20"), KEY);
        assertThat(driver.verify(get(priceNotCovered, CREDENTIALS), keyed()))
                .isEqualTo(Verification.unauthenticated("integrity-hash: does not cover Ecom_Cost_Total"));
        String withCheckout = resign(sampleQuery() + "&fanz_checkout_id=4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b", KEY);
        assertThat(driver.verify(get(withCheckout, CREDENTIALS), keyed())).as("an echoed checkout id must be covered too")
                .isEqualTo(Verification.unauthenticated("integrity-hash: does not cover Ecom_Cost_Total and fanz_checkout_id"));
        String noHash = sampleQuery().replaceAll("&Ecom_Ezic_Security_HashFields=[^&]*", "");
        assertThat(driver.verify(get(noHash, CREDENTIALS), keyed())).isEqualTo(Verification.unauthenticated("integrity-hash: missing"));
        MerchantAccount withoutKey = account(Map.of(), MerchantAccount.Secrets.of(Map.of("basic_auth_password", PASSWORD)), null);
        assertThat(driver.verify(get(noHash, CREDENTIALS), withoutKey)).as("no integrity_key: no hash check")
                .isEqualTo(Verification.current());
    }

    @Test
    void withoutAPasswordTheAccountNeedsANonEmptyAllowListHoldingTheSender() {
        MerchantAccount listed = account(Map.of(), MerchantAccount.Secrets.of(Map.of("integrity_key", KEY)),
                List.of("203.0.113.0/24"));

        assertThat(driver.verify(get(signedSampleQuery(KEY), null, "203.0.113.9"), listed)).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(get(sampleQuery(), null, "203.0.113.9"), listed)).as("and the hash still counts")
                .isEqualTo(Verification.unauthenticated("integrity-hash"));
        assertThat(driver.verify(get(signedSampleQuery(KEY), null, "198.51.100.1"), listed))
                .isEqualTo(Verification.unauthenticated("source-not-allowed"));
        assertThat(driver.verify(get(signedSampleQuery(KEY), null), account(Map.of(), MerchantAccount.Secrets.NONE, null)))
                .isInstanceOf(Verification.Unauthenticated.class);
        assertThat(driver.verify(get(signedSampleQuery(KEY), null), account(Map.of(), MerchantAccount.Secrets.NONE, List.of())))
                .isInstanceOf(Verification.Unauthenticated.class);
    }

    @Test
    void anAccountWithAPasswordAndAnAllowListStillNeedsThePassword() {
        MerchantAccount both = account(Map.of(), MerchantAccount.Secrets.of(Map.of("integrity_key", KEY,
                "basic_auth_password", PASSWORD)), List.of("203.0.113.0/24"));

        assertThat(driver.verify(get(signedSampleQuery(KEY), null), both))
                .isEqualTo(Verification.unauthenticated("basic-auth: missing"));
        assertThat(driver.verify(sample(), both)).isEqualTo(Verification.current());
    }

    @Test
    void anotherSiteTagIsAccountMismatchButOnlyForAnAuthenticPostback() {
        assertThat(driver.verify(sample(), keyed(Map.of("site_tag", "TEST")))).isEqualTo(Verification.current());
        assertThat(driver.verify(sample(), keyed(Map.of("site_tag", "104901072025:TEST")))).isEqualTo(Verification.current());
        assertThat(driver.verify(sample(), keyed(Map.of("site_tag", "OTHER")))).isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(sample(), keyed(Map.of("site_tag", "104901072026:TEST"))))
                .isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(sample(), keyed(Map.of("site_tag", "test")))).as("site tags are compared exactly")
                .isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(get(signedSampleQuery(KEY), "netbilling:wrong"), keyed(Map.of("site_tag", "OTHER"))))
                .isEqualTo(Verification.unauthenticated("basic-auth"));
    }

    @Test
    void noReasonOrResultShowsASecret() {
        MerchantAccount account = keyed();
        for (Notification notification : List.of(sample(), get(signedSampleQuery(KEY), "netbilling:" + PASSWORD + "x"),
                get(sampleQuery(), CREDENTIALS), get(sampleQuery(), null))) {
            for (String secret : List.of(KEY, PASSWORD)) {
                assertThat(String.valueOf(driver.verify(notification, account))).doesNotContain(secret);
                assertThat(String.valueOf(driver.normalise(notification, account))).doesNotContain(secret);
            }
        }
    }
}
