package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import java.util.Optional;

/**
 * Authenticates a CCBill webhook beyond its source address, which the server has already checked. CCBill signs
 * nothing in general, so what is left is: the account number it names must be the account's, and a dynamic-pricing
 * sale's {@code dynamicPricingValidationDigest}, when present, must match the salt (current, then previous during
 * a rotation). Which id a denial digest covers is not settled in CCBill's public material, so it is the setting
 * {@code denial_digest_field}.
 */
final class CcbillVerifier {

    static final String DIGEST_FIELD = "dynamicPricingValidationDigest";

    private CcbillVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        Notification.Parameters parameters = notification.parameters();
        if (!accountMatches(parameters, account)) {
            return Verification.accountMismatch();
        }
        Optional<String> presented = parameters.nonBlank(DIGEST_FIELD);
        if (presented.isEmpty()) {
            return Verification.sourceOnly();
        }
        return verifyDigest(presented.get(), parameters, notification, account);
    }

    private static boolean accountMatches(Notification.Parameters parameters, MerchantAccount account) {
        Optional<String> expected = account.setting(CcbillDriver.CLIENT_ACCNUM);
        Optional<String> presented = parameters.nonBlank("clientAccnum");
        if (expected.isEmpty() || presented.isEmpty()) {
            return true;
        }
        return sameAccountNumber(expected.get().trim(), presented.get());
    }

    /** Account numbers are compared as numbers when both are digits, since CCBill zero-pads them ({@code 007687}). */
    private static boolean sameAccountNumber(String expected, String presented) {
        if (expected.matches("[0-9]+") && presented.matches("[0-9]+")) {
            return stripLeadingZeros(expected).equals(stripLeadingZeros(presented));
        }
        return expected.equals(presented);
    }

    private static String stripLeadingZeros(String digits) {
        String stripped = digits.replaceFirst("^0+", "");
        return stripped.isEmpty() ? "0" : stripped;
    }

    private static Verification verifyDigest(String presented, Notification.Parameters parameters,
                                             Notification notification, MerchantAccount account) {
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(CcbillDriver.SALT);
        Optional<String> previous = secrets.previous(CcbillDriver.SALT, notification.receivedAt());
        if (current.isEmpty() && previous.isEmpty()) {
            return Verification.unauthenticated("digest: no salt configured");
        }
        boolean approved = isApproval(parameters);
        String idField = approved ? "subscriptionId" : account.setting(CcbillDriver.DENIAL_DIGEST_FIELD, "transactionId");
        Optional<String> id = parameters.nonBlank(idField);
        if (id.isEmpty()) {
            return Verification.unauthenticated("digest: no " + idField + " to check it against");
        }
        if (current.isPresent() && matches(presented, id.get(), approved, current.get())) {
            return Verification.current();
        }
        if (previous.isPresent() && matches(presented, id.get(), approved, previous.get())) {
            return Verification.previous();
        }
        return Verification.unauthenticated("digest");
    }

    /** A declined sale is a {@code …Failure} event or, as the public ccbill_ruby client reads it, one with a failure code. */
    private static boolean isApproval(Notification.Parameters parameters) {
        boolean failureType = parameters.nonBlank("eventType").map(CcbillEventTypes::isDenial).orElse(false);
        boolean failureFields = parameters.nonBlank("failureCode").isPresent()
                || parameters.nonBlank("failureReason").isPresent();
        return !failureType && !failureFields;
    }

    private static boolean matches(String presented, String id, boolean approved, String salt) {
        return Digests.hexEquals(CcbillDigests.validationDigest(id, approved, salt), presented);
    }
}
