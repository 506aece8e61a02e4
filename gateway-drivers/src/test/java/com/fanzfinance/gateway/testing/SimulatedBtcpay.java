package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * BTCPay Server Greenfield webhooks as BTCPay sends them: a POST of the event as pretty-printed JSON (two-space
 * indentation, LF line ends, no final newline), signed in {@code BTCPay-Sig} with {@code sha256=} and the hex
 * HMAC-SHA256 of those bytes keyed with the webhook secret. The invoice id is the transaction id, {@code storeId}
 * the account's {@code store_id}, {@code metadata.orderId} the checkout id. A sale is {@code InvoiceSettled}; its
 * delivery id is derived from the invoice and the event type, so one call made twice is one delivery sent twice.
 *
 * <p>BTCPay events carry no amount ({@link #amountFromCheckout()}): the amount and currency a test passes are the
 * checkout's, and the server takes them from there. BTCPay has no refunds, rebills or chargebacks as invoice events.
 */
final class SimulatedBtcpay implements SimulatedProcessor {

    static final String SIGNATURE_HEADER = "BTCPay-Sig";
    static final String STORE_ID = "7Xm4dQvR2sWk9pLb3nHcT5yFgJ8eAu6ZKr1oVi2MwNqE";
    /** A documentation address: BTCPay is self-hosted and has no published sender addresses. */
    static final String SOURCE_ADDRESS = "203.0.113.40";

    private static final Pattern INVOICE_ID = Pattern.compile("\"invoiceId\": \"");
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final SimulatedAccount account;

    SimulatedBtcpay(SimulatedAccount account) {
        this.account = account;
    }

    /** No {@code api_key}: a server under test never calls a BTCPay Server; it hands the invoice request over. */
    static SimulatedAccount testAccount() {
        return new SimulatedAccount("btcpay", List.of("USD", "EUR"),
                Map.of("server_url", "https://btcpay.example.test", "store_id", STORE_ID),
                Map.of("webhook_secret", "sim-btcpay-whsec-3Fq9LmZr7TxK"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "btcpay";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedBtcpay(account.withSecrets(secrets));
    }

    @Override
    public Set<PaymentKind> kinds() {
        return Set.of(PaymentKind.SALE);
    }

    @Override
    public boolean amountFromCheckout() {
        return true;
    }

    @Override
    public String sourceAddress() {
        return SOURCE_ADDRESS;
    }

    /** {@code InvoiceSettled} of the invoice {@code transactionId}; {@code amount} and {@code currency} are not sent. */
    @Override
    public SimulatedRequest sale(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        String deliveryId = deliveryId(transactionId, "InvoiceSettled");
        String body = "{\n"
                + "  \"manuallyMarked\": false,\n"
                + "  \"overPaid\": false,\n"
                + "  \"deliveryId\": \"" + deliveryId + "\",\n"
                + "  \"webhookId\": \"" + deliveryId("webhook", account.processor()) + "\",\n"
                + "  \"originalDeliveryId\": \"" + deliveryId + "\",\n"
                + "  \"isRedelivery\": false,\n"
                + "  \"type\": \"InvoiceSettled\",\n"
                + "  \"timestamp\": " + EVENT_TIME.getEpochSecond() + ",\n"
                + "  \"storeId\": \"" + account.settings().get("store_id") + "\",\n"
                + "  \"invoiceId\": \"" + json(transactionId) + "\",\n"
                + "  \"metadata\": {\n"
                + "    \"orderId\": \"" + checkoutId + "\"\n"
                + "  }\n"
                + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + hmacSha256Hex(account.secrets().get("webhook_secret"), bytes);
        return new SimulatedRequest("POST", "", "application/json", List.of(Map.entry(SIGNATURE_HEADER, signature)),
                bytes);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException("btcpay sends no refunds (they are payouts, not invoice events)");
    }

    /** The invoice id with a {@code 1} in front, the signature kept. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Matcher invoice = INVOICE_ID.matcher(request.bodyText());
        if (request.header(SIGNATURE_HEADER) == null || !invoice.find()) {
            throw new IllegalArgumentException("not a simulated BTCPay webhook");
        }
        String text = request.bodyText();
        return request.withBody((text.substring(0, invoice.end()) + "1" + text.substring(invoice.end()))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A 22-character base58 id like BTCPay's, derived from its parts. */
    private static String deliveryId(String first, String second) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest((first + "\n" + second).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 22; i++) {
            id.append(BASE58.charAt((digest[i] & 0xFF) % BASE58.length()));
        }
        return id.toString();
    }

    /** An id as a JSON string's content: letters, digits, {@code _} and {@code -} need no escaping. */
    private static String json(String text) {
        if (!text.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a simulated invoice id is letters, digits, _ and -");
        }
        return text;
    }

    /** Written on the JDK here, apart from the driver's {@code support.Digests}. */
    private static String hmacSha256Hex(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
