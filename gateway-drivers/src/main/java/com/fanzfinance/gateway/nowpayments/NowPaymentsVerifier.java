package com.fanzfinance.gateway.nowpayments;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import java.util.Optional;

/**
 * Checks {@code x-nowpayments-sig}: the lower-case hex HMAC-SHA512, keyed with the IPN secret, of the JSON body
 * with its keys sorted. NOWPayments' real bodies already arrive in that form, so the raw bytes are checked first
 * (the only check that cannot be thrown off by number formatting); only when they fail is the body re-serialised
 * with {@link SortedJson}, for a delivery whose keys or spacing differ from what was signed.
 */
final class NowPaymentsVerifier {

    static final String SIGNATURE_HEADER = "x-nowpayments-sig";

    private NowPaymentsVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        Optional<String> signature = notification.header(SIGNATURE_HEADER).filter(value -> !value.isBlank());
        if (signature.isEmpty()) {
            return Verification.unauthenticated("signature");
        }
        Messages messages = new Messages(notification.body());
        Optional<String> current = account.secrets().current(NowPaymentsDriver.IPN_SECRET);
        if (current.isPresent() && messages.signedWith(current.get(), signature.get())) {
            return Verification.current();
        }
        Optional<String> previous = account.secrets().previous(NowPaymentsDriver.IPN_SECRET, notification.receivedAt());
        if (previous.isPresent() && messages.signedWith(previous.get(), signature.get())) {
            return Verification.previous();
        }
        return Verification.unauthenticated("signature");
    }

    /** The raw body, and its sorted re-serialisation built only once it is needed. */
    private static final class Messages {
        private final byte[] raw;
        private Optional<byte[]> sorted;

        Messages(byte[] raw) {
            this.raw = raw;
        }

        boolean signedWith(String secret, String signature) {
            if (Digests.hexEquals(Digests.hmacSha512Hex(secret, raw), signature)) {
                return true;
            }
            return sorted().map(body -> Digests.hexEquals(Digests.hmacSha512Hex(secret, body), signature))
                    .orElse(false);
        }

        private Optional<byte[]> sorted() {
            if (sorted == null) {
                sorted = LexicalJson.parseObject(raw).map(SortedJson::bytes);
            }
            return sorted;
        }
    }
}
