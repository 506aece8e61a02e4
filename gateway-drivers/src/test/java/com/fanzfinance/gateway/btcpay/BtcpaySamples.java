package com.fanzfinance.gateway.btcpay;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The saved BTCPay sample: the InvoiceSettled KAT (secret, signature, raw body) and an unsigned payment event. */
final class BtcpaySamples {

    static final String FILE = "samples/btcpay/btcpay_webhook_InvoiceSettled_signature_KAT__public_rust_test.txt";

    private static final String TEXT = Notifications.resource(FILE);
    private static final List<String> LINES = TEXT.lines().toList();

    static final String SECRET = value("webhook secret : ");
    static final String SIGNATURE = value("BTCPay-Sig     : ");
    static final String SETTLED_BODY = between("-----BEGIN BODY-----\n", "\n-----END BODY-----");
    /** The InvoicePaymentSettled body: from its opening brace to the line of the closing one, indented by two. */
    static final String PAYMENT_SETTLED_BODY = between("Verbatim:\n", "\n\nNote:");
    static final String SETTLED_STORE = "BJKmPvug3KHVWyu1ECEiAstAQXFjJD1fX87EcgEhHVLT";
    static final String PAYMENT_STORE = "Fpuu6SqcR5RUF1o3eVjrpTKmNNmZWBd5Vadrz9f6RnQT";

    private BtcpaySamples() {
    }

    @SafeVarargs
    static Notification webhook(String body, Map.Entry<String, String>... headers) {
        return Notifications.post("btcpay", "", "application/json", body, "203.0.113.40", headers);
    }

    static Notification signed(String body, String signature) {
        return webhook(body, Map.entry("BTCPay-Sig", signature));
    }

    /** {@code body} signed as BTCPay signs, written here on the JDK (apart from the driver's digests). */
    static Notification signedWith(String secret, String body) {
        return signed(body, "sha256=" + hmacSha256Hex(secret, body));
    }

    static MerchantAccount account(String storeId, Map<String, String> secrets) {
        return account(storeId, MerchantAccount.Secrets.of(secrets));
    }

    static MerchantAccount account(String storeId, MerchantAccount.Secrets secrets) {
        return Notifications.account("btcpay", Map.of("server_url", "https://btcpay.example.test", "store_id", storeId),
                secrets);
    }

    static String hmacSha256Hex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(String prefix) {
        return LINES.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()).trim())
                .orElseThrow(() -> new IllegalStateException("no " + prefix + "in " + FILE));
    }

    private static String between(String start, String end) {
        int from = TEXT.indexOf(start);
        int to = TEXT.indexOf(end, from + start.length());
        if (from < 0 || to < 0) {
            throw new IllegalStateException("no text between " + start.strip() + " and " + end.strip() + " in " + FILE);
        }
        return TEXT.substring(from + start.length(), to);
    }
}
