package com.fanzfinance.gateway.btcpay;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code BTCPay-Sig: sha256=<hex>}, the HMAC-SHA256 of the raw body bytes keyed with the UTF-8 bytes of the
 * webhook secret (BTCPay pretty-prints its bodies, so only the bytes as received can match), with the current
 * secret and then the previous one while it is valid; then the event's {@code storeId} against the account's
 * {@code store_id}.
 */
final class BtcpayVerifier {

    static final String SIGNATURE_HEADER = "BTCPay-Sig";
    private static final String PREFIX = "sha256=";

    private BtcpayVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        Optional<String> presented = notification.header(SIGNATURE_HEADER).map(String::trim)
                .filter(value -> value.length() > PREFIX.length()
                        && value.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX))
                .map(value -> value.substring(PREFIX.length()));
        if (presented.isEmpty()) {
            return Verification.unauthenticated("signature");
        }
        Verification.Verified verified = signedWith(notification, account, presented.get());
        if (verified == null) {
            return Verification.unauthenticated("signature");
        }
        return storeMatches(notification, account) ? verified : Verification.accountMismatch();
    }

    private static Verification.Verified signedWith(Notification notification, MerchantAccount account, String hex) {
        Optional<String> current = account.secrets().current(BtcpayDriver.WEBHOOK_SECRET);
        if (current.isPresent() && Digests.hexEquals(Digests.hmacSha256Hex(current.get(), notification.body()), hex)) {
            return Verification.current();
        }
        Optional<String> previous = account.secrets().previous(BtcpayDriver.WEBHOOK_SECRET, notification.receivedAt());
        if (previous.isPresent() && Digests.hexEquals(Digests.hmacSha256Hex(previous.get(), notification.body()), hex)) {
            return Verification.previous();
        }
        return null;
    }

    /** An event without {@code storeId} names no store; one that names another than the account's is refused. */
    private static boolean storeMatches(Notification notification, MerchantAccount account) {
        Optional<ObjectNode> body = notification.jsonBody();
        if (body.isEmpty()) {
            return true;
        }
        JsonNode storeId = body.get().get("storeId");
        if (storeId == null || storeId.isNull()) {
            return true;
        }
        Optional<String> expected = account.setting(BtcpayDriver.STORE_ID).map(String::trim);
        return storeId.isTextual() && expected.isPresent() && Digests.textEquals(expected.get(), storeId.asText());
    }
}
