package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.support.Digests;

/**
 * CCBill's two MD5 digests keyed with the account's salt ("Encryption Key"): the {@code formDigest} that makes a
 * FlexForms price tamper-proof, and the {@code dynamicPricingValidationDigest} CCBill returns on dynamic-pricing
 * sales. Both are plain concatenations of decimal strings and the salt, without separators.
 */
final class CcbillDigests {

    private CcbillDigests() {
    }

    /** {@code md5(initialPrice + initialPeriod + currencyCode + salt)} for a single billing. */
    static String singleFormDigest(String initialPrice, String initialPeriod, String currencyCode, String salt) {
        return Digests.md5Hex(initialPrice + initialPeriod + currencyCode + salt);
    }

    /**
     * {@code md5(initialPrice + initialPeriod + recurringPrice + recurringPeriod + numRebills + currencyCode + salt)}
     * for a recurring billing.
     */
    static String recurringFormDigest(String initialPrice, String initialPeriod, String recurringPrice,
                                      String recurringPeriod, String numRebills, String currencyCode, String salt) {
        return Digests.md5Hex(initialPrice + initialPeriod + recurringPrice + recurringPeriod + numRebills
                + currencyCode + salt);
    }

    /** {@code md5(id + "1" + salt)} for an approval, {@code md5(id + "0" + salt)} for a denial. */
    static String validationDigest(String id, boolean approved, String salt) {
        return Digests.md5Hex(id + (approved ? "1" : "0") + salt);
    }
}
