package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import com.fanzfinance.gateway.support.SourceAddresses;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates a NETbilling postback by the shared key (the password of its HTTP Basic credentials) or, for an
 * account without a key, by its source address; then
 * checks the site tag. See {@link NetbillingDriver} for why the form hash is not used.
 */
final class NetbillingVerifier {

    static final String ACCOUNT_AND_SITETAG = "Ecom_Ezic_AccountAndSitetag";

    private NetbillingVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(NetbillingDriver.INTEGRITY_KEY);
        Optional<String> previous = secrets.previous(NetbillingDriver.INTEGRITY_KEY, notification.receivedAt());
        Verification verification = current.isEmpty() && previous.isEmpty()
                ? bySource(notification, account)
                : byKey(notification, account, current, previous);
        if (verification instanceof Verification.Verified && !siteMatches(notification.parameters(), account)) {
            return Verification.accountMismatch();
        }
        return verification;
    }

    private static Verification byKey(Notification notification, MerchantAccount account, Optional<String> current,
                                      Optional<String> previous) {
        Optional<String[]> credentials = basicCredentials(notification);
        Optional<String> username = account.setting(NetbillingDriver.BASIC_AUTH_USERNAME);
        if (credentials.isPresent() && username.isPresent()
                && !Digests.textEquals(username.get().trim(), credentials.get()[0])) {
            return Verification.unauthenticated("integrity-key: credentials");
        }
        Optional<String> presented = credentials.map(pair -> pair[1]);
        if (presented.isEmpty() || presented.get().isEmpty()) {
            return Verification.unauthenticated("integrity-key: missing");
        }
        if (current.isPresent() && Digests.textEquals(current.get(), presented.get())) {
            return Verification.current();
        }
        if (previous.isPresent() && Digests.textEquals(previous.get(), presented.get())) {
            return Verification.previous();
        }
        return Verification.unauthenticated("integrity-key");
    }

    /** User name and password of an {@code Authorization: Basic} header, if there is a readable one. */
    private static Optional<String[]> basicCredentials(Notification notification) {
        Optional<String> header = notification.header("Authorization").map(String::trim);
        if (header.isEmpty() || header.get().length() < 6 || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.get().substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The server has checked the sender against a non-empty list; checked again here so that no list means no entry. */
    private static Verification bySource(Notification notification, MerchantAccount account) {
        List<String> allowList = account.ipAllowList();
        if (allowList == null || allowList.isEmpty()) {
            return Verification.unauthenticated("no integrity_key and no ip_allow_list: nothing authenticates this account's postbacks");
        }
        boolean allowed;
        try {
            allowed = SourceAddresses.allowed(notification.peer(), allowList);
        } catch (IllegalArgumentException e) {
            allowed = false;
        }
        return allowed ? Verification.sourceOnly() : Verification.unauthenticated("source-not-allowed");
    }

    /** A postback without the field passes; with it, the site tag (or, for a setting with ':', the whole value) must match. */
    private static boolean siteMatches(Notification.Parameters parameters, MerchantAccount account) {
        Optional<String> expected = account.setting(NetbillingDriver.SITE_TAG).map(String::trim);
        Optional<String> presented = parameters.nonBlank(ACCOUNT_AND_SITETAG);
        if (expected.isEmpty() || presented.isEmpty()) {
            return true;
        }
        if (expected.get().contains(":")) {
            return expected.get().equals(presented.get());
        }
        String value = presented.get();
        return expected.get().equals(value.substring(value.lastIndexOf(':') + 1));
    }
}
