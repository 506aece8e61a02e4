package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Authenticates legacy IPNs and v2 webhooks, each with the current {@code ipn_secret} and then the previous one
 * while it is valid.
 *
 * <ul>
 *   <li>legacy: header {@code HMAC} = hex HMAC-SHA512 of the raw body; then {@code ipn_mode} must be {@code hmac}
 *       and {@code merchant} the account's {@code merchant_id} ({@code account-mismatch});</li>
 *   <li>v2: {@code X-CoinPayments-Signature} = Base64 HMAC-SHA256 of U+FEFF, the method, the URL
 *       ({@link V2UrlForm}), the {@code X-CoinPayments-Client} id, the {@code X-CoinPayments-Timestamp} and the raw
 *       body; the client id must be the account's {@code client_id} when that is set.</li>
 * </ul>
 */
final class CoinPaymentsVerifier {

    static final String LEGACY_HEADER = "HMAC";
    static final String V2_SIGNATURE_HEADER = "X-CoinPayments-Signature";
    static final String V2_CLIENT_HEADER = "X-CoinPayments-Client";
    static final String V2_TIMESTAMP_HEADER = "X-CoinPayments-Timestamp";

    private CoinPaymentsVerifier() {
    }

    /** {@code api_version}, lower case, {@code legacy} when unset. */
    static String apiVersion(MerchantAccount account) {
        return account.setting(CoinPaymentsDriver.API_VERSION, CoinPaymentsDriver.LEGACY).trim().toLowerCase(Locale.ROOT);
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        return switch (apiVersion(account)) {
            case CoinPaymentsDriver.LEGACY -> legacy(notification, account);
            case CoinPaymentsDriver.V2 -> v2(notification, account);
            default -> Verification.unauthenticated("unsupported-api-version");
        };
    }

    private static Verification legacy(Notification notification, MerchantAccount account) {
        Optional<String> presented = notification.header(LEGACY_HEADER).map(String::trim).filter(value -> !value.isEmpty());
        if (presented.isEmpty()) {
            return Verification.unauthenticated("signature");
        }
        byte[] body = notification.body();
        Verification.Verified verified = withSecrets(notification, account,
                secret -> Digests.hexEquals(Digests.hmacSha512Hex(secret, body), presented.get()));
        if (verified == null) {
            return Verification.unauthenticated("signature");
        }
        IpnFields fields = IpnFields.of(notification);
        if (!fields.value("ipn_mode").filter("hmac"::equals).isPresent()) {
            return Verification.unauthenticated("ipn_mode");
        }
        Optional<String> expected = account.setting(CoinPaymentsDriver.MERCHANT_ID).map(String::trim);
        Optional<String> merchant = fields.value("merchant");
        if (expected.isEmpty() || merchant.isEmpty() || !Digests.textEquals(expected.get(), merchant.get())) {
            return Verification.accountMismatch();
        }
        return verified;
    }

    private static Verification v2(Notification notification, MerchantAccount account) {
        Optional<String> signature = nonBlankHeader(notification, V2_SIGNATURE_HEADER);
        Optional<String> client = nonBlankHeader(notification, V2_CLIENT_HEADER);
        Optional<String> timestamp = nonBlankHeader(notification, V2_TIMESTAMP_HEADER);
        Optional<V2UrlForm> form = V2UrlForm.fromWireName(account.setting(CoinPaymentsDriver.V2_URL_FORM,
                V2UrlForm.FULL.wireName()).trim().toLowerCase(Locale.ROOT));
        if (form.isEmpty()) {
            return Verification.unauthenticated("unsupported-v2-url-form");
        }
        if (signature.isEmpty() || client.isEmpty() || timestamp.isEmpty()) {
            return Verification.unauthenticated("signature");
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature.get());
        } catch (IllegalArgumentException e) {
            return Verification.unauthenticated("signature");
        }
        byte[] message = v2Message(notification, form.get().url(notification, account), client.get(), timestamp.get());
        Verification.Verified verified = withSecrets(notification, account,
                secret -> MessageDigest.isEqual(hmacSha256(secret, message), presented));
        if (verified == null) {
            return Verification.unauthenticated("signature");
        }
        Optional<String> expected = account.setting(CoinPaymentsDriver.CLIENT_ID).map(String::trim);
        if (expected.isPresent() && !Digests.textEquals(expected.get(), client.get())) {
            return Verification.accountMismatch();
        }
        return verified;
    }

    private static byte[] v2Message(Notification notification, String url, String client, String timestamp) {
        byte[] head = ("\ufeff" + notification.method() + url + client + timestamp).getBytes(StandardCharsets.UTF_8);
        byte[] body = notification.body();
        byte[] message = new byte[head.length + body.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        return message;
    }

    private static byte[] hmacSha256(String secret, byte[] message) {
        return HexFormat.of().parseHex(Digests.hmacSha256Hex(secret, message));
    }

    private static Verification.Verified withSecrets(Notification notification, MerchantAccount account,
                                                     Predicate<String> signedWith) {
        Optional<String> current = account.secrets().current(CoinPaymentsDriver.IPN_SECRET);
        if (current.isPresent() && signedWith.test(current.get())) {
            return Verification.current();
        }
        Optional<String> previous = account.secrets().previous(CoinPaymentsDriver.IPN_SECRET, notification.receivedAt());
        if (previous.isPresent() && signedWith.test(previous.get())) {
            return Verification.previous();
        }
        return null;
    }

    private static Optional<String> nonBlankHeader(Notification notification, String name) {
        return notification.header(name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
