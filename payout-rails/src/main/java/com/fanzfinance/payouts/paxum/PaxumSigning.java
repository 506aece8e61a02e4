package com.fanzfinance.payouts.paxum;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two Paxum signatures: the legacy API's {@code key} (lowercase hex MD5 of the shared secret followed by the
 * method's fields, no separators, an absent optional field counting as the empty string) and the Payment API 2.0.0
 * request signature (lowercase hex HMAC-SHA256 of the URL path plus query, keyed with the secret's ASCII bytes as they
 * are, not base64-decoded).
 */
public final class PaxumSigning {
    /**
     * The fields after the secret in a {@code transferFunds} key, in order. Paxum's page is cut off after
     * {@code subscriptionEndDate + subscriptio…}; this list ends with the two subscription fields that name fits
     * ({@code subscriptionUserCancel}, {@code subscriptionTransactions}). One public client appends
     * {@code fromAccount + transactionCategory}, another stops at {@code reference}. We never send any field after
     * {@code reference}, so all three readings give the same key for our requests; the list only matters if a later
     * field is ever sent. Unconfirmed with Paxum.
     */
    public static final List<String> TRANSFER_FUNDS_KEY_FIELDS = List.of("toEmail", "amount", "currency", "note",
        "firstName", "lastName", "businessName", "reference", "subscriptionFrequency", "subscriptionEndDate",
        "subscriptionUserCancel", "subscriptionTransactions");

    /** The fields after the secret in a {@code balanceInquiry} key. */
    public static final List<String> BALANCE_INQUIRY_KEY_FIELDS = List.of("accountId");

    private PaxumSigning() {
    }

    /** The legacy {@code key}: md5(secret + the named fields' values in order, absent = ""). */
    public static String legacyKey(String sharedSecret, List<String> keyFields, Map<String, String> fields) {
        StringBuilder message = new StringBuilder(sharedSecret);
        for (String name : keyFields) {
            message.append(fields.getOrDefault(name, ""));
        }
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(message.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /** The API 2.0.0 signature of a request: hex(HMAC-SHA256(secret as ASCII, path + query)). */
    public static String v2Signature(String apiSecret, String pathAndQuery) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiSecret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(pathAndQuery.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
