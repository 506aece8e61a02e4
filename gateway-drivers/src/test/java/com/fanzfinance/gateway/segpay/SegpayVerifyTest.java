package com.fanzfinance.gateway.segpay;

import static com.fanzfinance.gateway.segpay.SegpayFixtures.OLD_PASSWORD;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.PASSWORD;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.PEER;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.USER;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.account;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.basic;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.encode;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.get;
import static com.fanzfinance.gateway.segpay.SegpayFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegpayVerifyTest {

    private static final String QUERY = encode(sale());
    private static final Map<String, String> USER_SETTING = Map.of("basic_auth_username", USER);

    private final SegpayDriver driver = new SegpayDriver();

    @Test
    void theAccountsBasicCredentialsVerifyWithTheCurrentPassword() {
        assertThat(driver.verify(get(QUERY, basic(USER, PASSWORD), PEER), account())).isEqualTo(Verification.current());
        assertThat(driver.verify(get(QUERY, "basic  " + basic(USER, PASSWORD).substring(6), PEER), account()))
                .isEqualTo(Verification.current());
    }

    @Test
    void thePreviousPasswordVerifiesOnlyDuringItsGracePeriod() {
        MerchantAccount rotating = account(USER_SETTING, new MerchantAccount.Secrets(Map.of("basic_auth_password", PASSWORD),
                Map.of("basic_auth_password", OLD_PASSWORD), Notifications.RECEIVED.plus(Duration.ofHours(1))), null);
        MerchantAccount rotated = account(USER_SETTING, new MerchantAccount.Secrets(Map.of("basic_auth_password", PASSWORD),
                Map.of("basic_auth_password", OLD_PASSWORD), Notifications.RECEIVED), null);

        assertThat(driver.verify(get(QUERY, basic(USER, OLD_PASSWORD), PEER), rotating)).isEqualTo(Verification.previous());
        assertThat(driver.verify(get(QUERY, basic(USER, PASSWORD), PEER), rotating)).isEqualTo(Verification.current());
        assertThat(driver.verify(get(QUERY, basic(USER, OLD_PASSWORD), PEER), rotated))
                .isEqualTo(Verification.unauthenticated("basic-auth: wrong credentials"));
    }

    @Test
    void wrongMissingOrUnreadableCredentialsAreRefused() {
        assertThat(driver.verify(get(QUERY, basic(USER, PASSWORD + "x"), PEER), account()))
                .isEqualTo(Verification.unauthenticated("basic-auth: wrong credentials"));
        assertThat(driver.verify(get(QUERY, basic("someone-else", PASSWORD), PEER), account()))
                .isEqualTo(Verification.unauthenticated("basic-auth: wrong credentials"));
        String noCredentials = "basic-auth: no readable Basic credentials";
        assertThat(driver.verify(get(QUERY, null, PEER), account())).isEqualTo(Verification.unauthenticated(noCredentials));
        assertThat(driver.verify(get(QUERY, "Bearer " + PASSWORD, PEER), account())).isEqualTo(Verification.unauthenticated(noCredentials));
        assertThat(driver.verify(get(QUERY, "Basic %%%not-base64", PEER), account())).isEqualTo(Verification.unauthenticated(noCredentials));
        String noColon = "Basic " + Base64.getEncoder().encodeToString((USER + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(driver.verify(get(QUERY, noColon, PEER), account())).isEqualTo(Verification.unauthenticated(noCredentials));
        String invalidUtf8 = "Basic " + Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xC3, 0x28});
        assertThat(driver.verify(get(QUERY, invalidUtf8, PEER), account())).isEqualTo(Verification.unauthenticated(noCredentials));
    }

    @Test
    void withBasicCredentialsConfiguredTheAllowListAloneIsNotEnough() {
        MerchantAccount both = account(USER_SETTING, MerchantAccount.Secrets.of(Map.of("basic_auth_password", PASSWORD)),
                List.of("203.0.113.0/24"));

        assertThat(driver.verify(get(QUERY, basic(USER, PASSWORD), PEER), both)).isEqualTo(Verification.current());
        assertThat(driver.verify(get(QUERY, null, PEER), both)).isInstanceOf(Verification.Unauthenticated.class);
    }

    @Test
    void withOnlyAnAllowListASenderInsideItIsSourceOnly() {
        MerchantAccount ipOnly = account(Map.of(), MerchantAccount.Secrets.NONE, List.of("203.0.113.0/24", "::1/128"));

        assertThat(driver.verify(get(QUERY, null, PEER), ipOnly)).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(get(QUERY, basic("any", "thing"), "::1"), ipOnly)).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(get(QUERY, null, "198.51.100.23"), ipOnly))
                .isEqualTo(Verification.unauthenticated("source address outside the ip_allow_list"));
        MerchantAccount badList = account(Map.of(), MerchantAccount.Secrets.NONE, List.of("not-a-cidr"));
        assertThat(driver.verify(get(QUERY, null, PEER), badList)).isEqualTo(Verification.unauthenticated("ip_allow_list unreadable"));
    }

    @Test
    void anAccountWithNeitherCredentialsNorAllowListAcceptsNothingAndSaysWhy() {
        String reason = "not-configured: a segpay account needs basic_auth_username and basic_auth_password, or an ip_allow_list";
        assertThat(driver.verify(get(QUERY, basic(USER, PASSWORD), PEER), account(Map.of(), MerchantAccount.Secrets.NONE, null)))
                .isEqualTo(Verification.unauthenticated(reason));
        assertThat(driver.verify(get(QUERY, null, PEER), account(Map.of(), MerchantAccount.Secrets.NONE, List.of())))
                .isEqualTo(Verification.unauthenticated(reason));
    }

    @Test
    void halfConfiguredBasicCredentialsAreRefusedWithTheMissingName() {
        MerchantAccount noPassword = account(USER_SETTING, MerchantAccount.Secrets.NONE, List.of("203.0.113.0/24"));
        MerchantAccount noUser = account(Map.of(), MerchantAccount.Secrets.of(Map.of("basic_auth_password", PASSWORD)), null);

        assertThat(driver.verify(get(QUERY, basic(USER, ""), PEER), noPassword)).isEqualTo(Verification.unauthenticated(
                "basic-auth: the account has a basic_auth_username but no basic_auth_password"));
        assertThat(driver.verify(get(QUERY, basic("", PASSWORD), PEER), noUser)).isEqualTo(Verification.unauthenticated(
                "basic-auth: the account has a basic_auth_password but no basic_auth_username"));
    }

    @Test
    void credentialsProveTheSenderNotTheContent() {
        // Basic credentials cover no field: an altered postback with the right credentials still verifies, which is
        // why the payments API puts Segpay on HTTPS and an allow-list. This pins that behaviour down.
        String altered = encode(SegpayFixtures.with(sale(), "price", "0.01"));
        assertThat(driver.verify(get(altered, basic(USER, PASSWORD), PEER), account())).isEqualTo(Verification.current());
    }
}
