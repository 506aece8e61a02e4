package com.fanzfinance.gateway.epoch;

import static com.fanzfinance.gateway.epoch.EpochFixtures.KAT_DIGEST;
import static com.fanzfinance.gateway.epoch.EpochFixtures.KAT_KEY;
import static com.fanzfinance.gateway.epoch.EpochFixtures.KEY;
import static com.fanzfinance.gateway.epoch.EpochFixtures.OLD_KEY;
import static com.fanzfinance.gateway.epoch.EpochFixtures.PEER;
import static com.fanzfinance.gateway.epoch.EpochFixtures.account;
import static com.fanzfinance.gateway.epoch.EpochFixtures.join;
import static com.fanzfinance.gateway.epoch.EpochFixtures.post;
import static com.fanzfinance.gateway.epoch.EpochFixtures.row;
import static com.fanzfinance.gateway.epoch.EpochFixtures.samplePayload;
import static com.fanzfinance.gateway.epoch.EpochFixtures.signed;
import static com.fanzfinance.gateway.epoch.EpochFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.epoch.EpochDigest.Variant;
import com.fanzfinance.gateway.testing.Notifications;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochVerifyTest {

    private static final Verification BAD_DIGEST = Verification.unauthenticated("digest");

    private final EpochDriver driver = new EpochDriver();

    private static MerchantAccount katAccount() {
        return account(Map.of(), MerchantAccount.Secrets.of(Map.of("hmac_key", KAT_KEY)), null);
    }

    @Test
    void theSamplePostbackVerifiesAsAFormPostAndAsAGet() {
        Notification form = post(samplePayload(), KAT_DIGEST);
        Notification get = Notifications.get("epoch", EpochFixtures.encode(with(samplePayload(), "epoch_digest", KAT_DIGEST)), PEER);

        assertThat(driver.verify(form, katAccount())).isEqualTo(Verification.current());
        assertThat(driver.verify(get, katAccount())).isEqualTo(Verification.current());
    }

    @Test
    void theSampleFailsWhenAFieldIsChangedAddedOrTheKeyDiffers() {
        assertThat(driver.verify(post(with(samplePayload(), "trans_amount", "100"), KAT_DIGEST), katAccount())).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(post(with(samplePayload(), "x_fanz_checkout_id", "other"), KAT_DIGEST), katAccount())).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(post(samplePayload(), KAT_DIGEST), account())).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(post(samplePayload(), null), katAccount())).isEqualTo(Verification.unauthenticated("digest: no epoch_digest"));
        assertThat(driver.verify(post(samplePayload(), KAT_DIGEST.substring(1)), katAccount())).isEqualTo(BAD_DIGEST);
        MerchantAccount noKey = account(Map.of(), MerchantAccount.Secrets.NONE, null);
        assertThat(driver.verify(post(samplePayload(), KAT_DIGEST), noKey))
                .isEqualTo(Verification.unauthenticated("digest: no hmac_key configured"));
    }

    @Test
    void aRepeatedParameterIsRefused() {
        String body = EpochFixtures.encode(with(samplePayload(), "epoch_digest", KAT_DIGEST)) + "&trans_amount=1000";
        Notification repeated = EpochFixtures.form("", body, PEER);
        Notification queryAndForm = EpochFixtures.form("trans_amount=10",
                EpochFixtures.encode(with(samplePayload(), "epoch_digest", KAT_DIGEST)), PEER);

        assertThat(driver.verify(repeated, katAccount())).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(queryAndForm, katAccount())).isEqualTo(BAD_DIGEST);
    }

    @Test
    void thePreviousKeyVerifiesOnlyDuringItsGracePeriod() {
        MerchantAccount rotating = account(Map.of(), new MerchantAccount.Secrets(Map.of("hmac_key", KEY),
                Map.of("hmac_key", OLD_KEY), Notifications.RECEIVED.plus(Duration.ofHours(1))), null);
        MerchantAccount rotated = account(Map.of(), new MerchantAccount.Secrets(Map.of("hmac_key", KEY),
                Map.of("hmac_key", OLD_KEY), Notifications.RECEIVED.minus(Duration.ofHours(1))), null);

        assertThat(driver.verify(signed(join(), OLD_KEY), rotating)).isEqualTo(Verification.previous());
        assertThat(driver.verify(signed(join(), KEY), rotating)).isEqualTo(Verification.current());
        assertThat(driver.verify(signed(join(), OLD_KEY), rotated)).isEqualTo(BAD_DIGEST);
    }

    @Test
    void stripAmpEqSelectsTheOtherDigestVariant() {
        Map<String, String> params = with(join(), "username", "a&b=c", "zip", "");
        String stripped = EpochDigest.sign(Variant.STRIP_AMP_EQ, KEY, params);
        MerchantAccount stripping = account(Map.of("strip_amp_eq", "true"));

        assertThat(driver.verify(post(params, stripped), stripping)).isEqualTo(Verification.current());
        assertThat(driver.verify(post(params, stripped), account())).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(signed(params), stripping)).isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(signed(params), account(Map.of("strip_amp_eq", "yes")))).isEqualTo(Verification.current());
    }

    @Test
    void aSignedDataPlusRowOfAnotherCompanyIsAnAccountMismatch() {
        MerchantAccount company = account(Map.of("co_code", "AB1C"));

        assertThat(driver.verify(signed(row("C", "-4.50")), company)).isEqualTo(Verification.current());
        assertThat(driver.verify(signed(with(row("C", "-4.50"), "ets_co_code", "ZZ9Z")), company))
                .isEqualTo(Verification.accountMismatch());
        assertThat(driver.verify(post(with(row("C", "-4.50"), "ets_co_code", "ZZ9Z"), "0".repeat(32)), company))
                .isEqualTo(BAD_DIGEST);
        assertThat(driver.verify(signed(with(row("C", "-4.50"), "ets_co_code", "ZZ9Z")), account()))
                .isEqualTo(Verification.current());
    }

    @Test
    void unsignedDataPlusRowsPassOnlyByTheAllowListAndOnlyWhenTheAccountSaysSo() {
        MerchantAccount sourceOnly = account(Map.of("dataplus_source_only", "true"),
                MerchantAccount.Secrets.of(Map.of("hmac_key", KEY)), List.of("208.236.105.0/24"));
        MerchantAccount noList = account(Map.of("dataplus_source_only", "true"));
        Notification unsignedRow = post(row("N", "9.99"), null);
        Notification fromElsewhere = EpochFixtures.form("",
                EpochFixtures.encode(row("N", "9.99")), "198.51.100.23");

        assertThat(driver.verify(unsignedRow, sourceOnly)).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(fromElsewhere, sourceOnly))
                .isEqualTo(Verification.unauthenticated("source address outside the ip_allow_list"));
        assertThat(driver.verify(unsignedRow, noList)).isEqualTo(Verification.unauthenticated("digest: no epoch_digest"));
        assertThat(driver.verify(post(join(), null), sourceOnly)).isEqualTo(Verification.unauthenticated("digest: no epoch_digest"));
        assertThat(driver.verify(signed(row("N", "9.99"), "another-key"), sourceOnly)).isEqualTo(BAD_DIGEST);
        MerchantAccount otherCompany = account(Map.of("dataplus_source_only", "true", "co_code", "ZZ9Z"),
                MerchantAccount.Secrets.of(Map.of("hmac_key", KEY)), List.of("208.236.105.0/24"));
        assertThat(driver.verify(unsignedRow, otherCompany)).isEqualTo(Verification.accountMismatch());
    }
}
