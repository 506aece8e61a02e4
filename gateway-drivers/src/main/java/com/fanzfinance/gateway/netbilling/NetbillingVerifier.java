package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.BasicCredentials;
import com.fanzfinance.gateway.support.Digests;
import com.fanzfinance.gateway.support.SourceAddresses;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates a NETbilling postback: the sender by the password of its HTTP Basic credentials
 * ({@code basic_auth_password}) or, for an account without one, by its source address; then, for an account with an
 * {@code integrity_key}, the form fields NETbilling echoes (price and checkout id above all) by their integrity hash;
 * then the site tag.
 */
final class NetbillingVerifier {

    static final String ACCOUNT_AND_SITETAG = "Ecom_Ezic_AccountAndSitetag";

    private NetbillingVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(NetbillingDriver.BASIC_AUTH_PASSWORD);
        Optional<String> previous = secrets.previous(NetbillingDriver.BASIC_AUTH_PASSWORD, notification.receivedAt());
        Verification verification = current.isEmpty() && previous.isEmpty()
                ? bySource(notification, account)
                : byPassword(notification, account, current, previous);
        if (!(verification instanceof Verification.Verified verified)) {
            return verification;
        }
        Notification.Parameters parameters = notification.parameters();
        Optional<String> key = secrets.current(NetbillingDriver.INTEGRITY_KEY);
        Optional<String> previousKey = secrets.previous(NetbillingDriver.INTEGRITY_KEY, notification.receivedAt());
        if (key.isPresent() || previousKey.isPresent()) {
            Optional<List<String>> fields = IntegrityHash.fieldsOf(parameters);
            if (fields.isEmpty()) {
                return Verification.unauthenticated("integrity-hash: missing");
            }
            List<String> required = new java.util.ArrayList<>(List.of(NetbillingPostback.AMOUNT));
            if (parameters.first(NetbillingDriver.CHECKOUT_FIELD).isPresent()) {
                required.add(NetbillingDriver.CHECKOUT_FIELD);
            }
            if (!fields.get().containsAll(required)) {
                return Verification.unauthenticated("integrity-hash: does not cover " + String.join(" and ", required));
            }
            boolean currentMatches = key.isPresent() && IntegrityHash.matches(parameters, fields.get(), key.get());
            if (!currentMatches && !(previousKey.isPresent()
                    && IntegrityHash.matches(parameters, fields.get(), previousKey.get()))) {
                return Verification.unauthenticated("integrity-hash");
            }
            if (!currentMatches && verified.with() == Verification.With.CURRENT) {
                verification = Verification.previous();
            }
        }
        if (!siteMatches(parameters, account)) {
            return Verification.accountMismatch();
        }
        return verification;
    }

    private static Verification byPassword(Notification notification, MerchantAccount account, Optional<String> current,
                                           Optional<String> previous) {
        Optional<BasicCredentials> credentials = BasicCredentials.of(notification);
        if (credentials.isEmpty() || credentials.get().password().isEmpty()) {
            return Verification.unauthenticated("basic-auth: missing");
        }
        Optional<String> username = account.setting(NetbillingDriver.BASIC_AUTH_USERNAME);
        boolean userMatches = username.isEmpty() || Digests.textEquals(username.get().trim(), credentials.get().username());
        String presented = credentials.get().password();
        if (userMatches && current.isPresent() && Digests.textEquals(current.get(), presented)) {
            return Verification.current();
        }
        if (userMatches && previous.isPresent() && Digests.textEquals(previous.get(), presented)) {
            return Verification.previous();
        }
        return Verification.unauthenticated("basic-auth");
    }

    /** The server has checked the sender against a non-empty list; checked again here so that no list means no entry. */
    private static Verification bySource(Notification notification, MerchantAccount account) {
        List<String> allowList = account.ipAllowList();
        if (allowList == null || allowList.isEmpty()) {
            return Verification.unauthenticated("no basic_auth_password and no ip_allow_list: nothing authenticates this"
                    + " account's postbacks");
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
