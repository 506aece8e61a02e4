package com.fanzfinance.gateway.netbilling;

import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.OLD_KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.account;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.get;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.keyed;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sample;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sampleQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetbillingVerifyTest {

    private final NetbillingDriver driver = new NetbillingDriver();

    @Test
    void theSamplePostbackAsPublishedCarriesNoKeyAndIsRefused() {
        assertThat(driver.verify(get(sampleQuery(), null), keyed()))
                .isEqualTo(Verification.unauthenticated("integrity-key: missing"));
    }

    @Test
    void theKeyAsBasicPasswordVerifiesWithAnyUserNameUnlessOneIsSet() {
        assertThat(driver.verify(sample(), keyed())).isEqualTo(Verification.current());
        assertThat(driver.verify(get(sampleQuery(), "anyone:" + KEY), keyed())).isEqualTo(Verification.current());

        MerchantAccount named = keyed(Map.of("basic_auth_username", "netbilling"));
        assertThat(driver.verify(sample(), named)).isEqualTo(Verification.current());
        assertThat(driver.verify(get(sampleQuery(), "anyone:" + KEY), named))
                .isEqualTo(Verification.unauthenticated("integrity-key: credentials"));
    }

    @Test
    void aForgedOrUnreadableCredentialIsRefusedWithoutThrowing() {
        assertThat(driver.verify(get(sampleQuery(), "netbilling:" + KEY + "x"), keyed()))
                .isEqualTo(Verification.unauthenticated("integrity-key"));
        assertThat(driver.verify(get(sampleQuery(), "netbilling:"), keyed()))
                .isEqualTo(Verification.unauthenticated("integrity-key: missing"));
        assertThat(driver.verify(get(sampleQuery(), "no colon " + KEY), keyed()))
                .isEqualTo(Verification.unauthenticated("integrity-key: missing"));
        Notification badBase64 = new Notification("GET", "/hooks/netbilling/x", sampleQuery(),
                List.of(Map.entry("Authorization", "Basic %%%not-base64")), new byte[0], "203.0.113.9", Notifications.RECEIVED);
        assertThat(driver.verify(badBase64, keyed())).isEqualTo(Verification.unauthenticated("integrity-key: missing"));
    }

    @Test
    void thePreviousKeyVerifiesOnlyWithinItsGracePeriod() {
        Notification signedWithOld = get(sampleQuery(), "netbilling:" + OLD_KEY);
        MerchantAccount within = account(Map.of(), new MerchantAccount.Secrets(Map.of("integrity_key", KEY),
                Map.of("integrity_key", OLD_KEY), Notifications.RECEIVED.plus(Duration.ofHours(1))), null);
        MerchantAccount over = account(Map.of(), new MerchantAccount.Secrets(Map.of("integrity_key", KEY),
                Map.of("integrity_key", OLD_KEY), Notifications.RECEIVED), null);

        assertThat(driver.verify(signedWithOld, within)).isEqualTo(Verification.previous());
        assertThat(driver.verify(sample(), within)).isEqualTo(Verification.current());
        assertThat(driver.verify(signedWithOld, over)).isEqualTo(Verification.unauthenticated("integrity-key"));
    }

    @Test
    void withoutAKeyTheAccountNeedsANonEmptyAllowListHoldingTheSender() {
        MerchantAccount listed = account(Map.of(), MerchantAccount.Secrets.NONE, List.of("203.0.113.0/24"));

        assertThat(driver.verify(get(sampleQuery(), null, "203.0.113.9"), listed)).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(get(sampleQuery(), null, "198.51.100.1"), listed))
                .isEqualTo(Verification.unauthenticated("source-not-allowed"));
        assertThat(driver.verify(get(sampleQuery(), null), account(Map.of(), MerchantAccount.Secrets.NONE, null)))
                .isInstanceOf(Verification.Unauthenticated.class);
        assertThat(driver.verify(get(sampleQuery(), null), account(Map.of(), MerchantAccount.Secrets.NONE, List.of())))
                .isInstanceOf(Verification.Unauthenticated.class);
    }

    @Test
    void aKeyedAccountWithAnAllowListStillNeedsTheKey() {
        MerchantAccount both = account(Map.of(), MerchantAccount.Secrets.of(Map.of("integrity_key", KEY)),
                List.of("203.0.113.0/24"));

        assertThat(driver.verify(get(sampleQuery(), null), both)).isEqualTo(Verification.unauthenticated("integrity-key: missing"));
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
        assertThat(driver.verify(get(sampleQuery(), "netbilling:wrong"), keyed(Map.of("site_tag", "OTHER"))))
                .isEqualTo(Verification.unauthenticated("integrity-key"));
    }

    @Test
    void noReasonOrResultShowsTheKey() {
        MerchantAccount account = keyed();
        for (Notification notification : List.of(sample(), get(sampleQuery(), "netbilling:" + KEY + "x"),
                get(sampleQuery(), null))) {
            assertThat(String.valueOf(driver.verify(notification, account))).doesNotContain(KEY);
            assertThat(String.valueOf(driver.normalise(notification, account))).doesNotContain(KEY);
        }
    }
}
