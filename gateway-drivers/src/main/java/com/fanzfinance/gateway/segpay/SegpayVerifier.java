package com.fanzfinance.gateway.segpay;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.BasicCredentials;
import com.fanzfinance.gateway.support.Digests;
import com.fanzfinance.gateway.support.SourceAddresses;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates a Segpay postback by its HTTP Basic credentials and/or the account's source addresses. Which
 * applies follows from the account: Basic credentials, when configured, are always required (the server has
 * already checked the allow-list, if any); an account with only an {@code ip_allow_list} gets {@code SOURCE_ONLY}
 * for a sender inside it (checked again here, so that the answer never rests on the server alone); an account with
 * neither authenticates nothing. Reasons name what failed, never a value.
 */
final class SegpayVerifier {

    private SegpayVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        Optional<String> username = account.setting(SegpayDriver.BASIC_AUTH_USERNAME);
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(SegpayDriver.BASIC_AUTH_PASSWORD);
        Optional<String> previous = secrets.previous(SegpayDriver.BASIC_AUTH_PASSWORD, notification.receivedAt());
        boolean basicConfigured = username.isPresent() || current.isPresent() || previous.isPresent();
        if (basicConfigured) {
            if (username.isEmpty()) {
                return Verification.unauthenticated("basic-auth: the account has a basic_auth_password but no basic_auth_username");
            }
            if (current.isEmpty() && previous.isEmpty()) {
                return Verification.unauthenticated("basic-auth: the account has a basic_auth_username but no basic_auth_password");
            }
            return basic(notification, username.get(), current, previous);
        }
        List<String> allowList = account.ipAllowList();
        if (allowList == null || allowList.isEmpty()) {
            return Verification.unauthenticated(
                    "not-configured: a segpay account needs basic_auth_username and basic_auth_password, or an ip_allow_list");
        }
        try {
            return SourceAddresses.allowed(notification.peer(), allowList)
                    ? Verification.sourceOnly()
                    : Verification.unauthenticated("source address outside the ip_allow_list");
        } catch (IllegalArgumentException e) {
            return Verification.unauthenticated("ip_allow_list unreadable");
        }
    }

    private static Verification basic(Notification notification, String username, Optional<String> current,
                                      Optional<String> previous) {
        Optional<BasicCredentials> presented = BasicCredentials.of(notification);
        if (presented.isEmpty()) {
            return Verification.unauthenticated("basic-auth: no readable Basic credentials");
        }
        String presentedUser = presented.get().username();
        String presentedPassword = presented.get().password();
        boolean userMatches = Digests.textEquals(username, presentedUser);
        boolean currentMatches = current.isPresent() && Digests.textEquals(current.get(), presentedPassword);
        boolean previousMatches = previous.isPresent() && Digests.textEquals(previous.get(), presentedPassword);
        if (userMatches && currentMatches) {
            return Verification.current();
        }
        if (userMatches && previousMatches) {
            return Verification.previous();
        }
        return Verification.unauthenticated("basic-auth: wrong credentials");
    }
}
