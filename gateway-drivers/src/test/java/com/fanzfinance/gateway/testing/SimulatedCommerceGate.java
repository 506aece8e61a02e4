package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CommerceGate callbacks as the one public handler reads them: a form POST whose single field holds a URL-encoded XML
 * document with root {@code <cgCallback>}. The field's real 21-character name is not public, so this simulator uses
 * the stand-in {@value #FORM_FIELD} and the account leaves {@code form_field} unset (the driver finds the document).
 * {@code TransactionType}, {@code TransactionID} and {@code UserID} are the public element names; {@code Amount},
 * {@code Currency} and {@code fanz_checkout_id} are the driver's defaults for names that are not public, and the
 * refund and chargeback types {@code REFUND} and {@code CHARGEBACK} are stand-ins the account maps in its
 * {@code type_map}. A sale's {@code UserID} is its transaction id, and rebills and reversals carry the sale's, so
 * they name their parent through the subscription id; a reversal's own transaction id is derived from the parent, the
 * type and the amount.
 *
 * <p>CommerceGate signs nothing: authenticity is the sender's address alone, so the account's {@code ip_allow_list}
 * holds loopback (for a server under test) and {@link #SOURCE_ADDRESS}'s TEST-NET-1 range, and the simulator has no
 * secrets ({@link #signingWith} changes nothing). {@link #tamper} alters the amount, which nothing but the source
 * address can catch.
 */
final class SimulatedCommerceGate implements SimulatedProcessor {

    /** A stand-in for the form field name, 21 characters like the real one. */
    static final String FORM_FIELD = "cgCallbackXmlDocument";
    /** An address in TEST-NET-1, which the test account's ip_allow_list holds. */
    static final String SOURCE_ADDRESS = "192.0.2.44";

    private static final Pattern AMOUNT = Pattern.compile("<Amount>([^<]*)</Amount>");

    private final SimulatedAccount account;

    SimulatedCommerceGate(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("commercegate", List.of("USD", "EUR"),
                Map.of("type_map", "REFUND:refund,CHARGEBACK:chargeback",
                        "payment_url_template", "https://secure.commercegate.com/payment?amount={amount}&currency={currency}"
                                + "&fanz_checkout_id={checkout_id}"),
                Map.of(), List.of("127.0.0.0/8", "::1/128", "192.0.2.0/24"));
    }

    @Override
    public String processor() {
        return "commercegate";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    /** The same simulator: CommerceGate has no secret to sign with. */
    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedCommerceGate(account.withSecrets(secrets));
    }

    @Override
    public Set<PaymentKind> kinds() {
        return Set.of(PaymentKind.SALE, PaymentKind.REBILL, PaymentKind.REFUND, PaymentKind.CHARGEBACK);
    }

    @Override
    public String sourceAddress() {
        return SOURCE_ADDRESS;
    }

    @Override
    public SimulatedRequest sale(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("TransactionType", "SALE");
        elements.put("TransactionID", transactionId);
        elements.put("UserID", transactionId);
        elements.put("Amount", amount.toPlainString());
        elements.put("Currency", currency);
        elements.put("fanz_checkout_id", checkoutId.toString());
        return callback(elements);
    }

    @Override
    public SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("TransactionType", "REBILL");
        elements.put("TransactionID", transactionId);
        elements.put("UserID", parentTransactionId);
        elements.put("Amount", amount.toPlainString());
        elements.put("Currency", currency);
        return callback(elements);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("REFUND", parentTransactionId, amount, currency);
    }

    @Override
    public SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("CHARGEBACK", parentTransactionId, amount, currency);
    }

    private SimulatedRequest reversal(String type, String parentTransactionId, BigDecimal amount, String currency) {
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("TransactionType", type);
        elements.put("TransactionID", parentTransactionId + "-" + type.toLowerCase(Locale.ROOT) + "-"
                + amount.toPlainString());
        elements.put("UserID", parentTransactionId);
        elements.put("Amount", amount.toPlainString());
        elements.put("Currency", currency);
        return callback(elements);
    }

    /** The amount with a {@code 1} in front: a forgery only the source address check can refuse. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        String xml = Notification.Parameters.parseForm(request.bodyText()).first(FORM_FIELD)
                .orElseThrow(() -> new IllegalArgumentException("not a simulated CommerceGate callback"));
        Matcher amount = AMOUNT.matcher(xml);
        if (!amount.find()) {
            throw new IllegalArgumentException("not a simulated CommerceGate callback");
        }
        String forged = xml.substring(0, amount.start(1)) + "1" + amount.group(1) + xml.substring(amount.end(1));
        return request.withBody(form(forged));
    }

    private static SimulatedRequest callback(Map<String, String> elements) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><cgCallback>");
        elements.forEach((name, value) -> xml.append('<').append(name).append('>').append(escape(value))
                .append("</").append(name).append('>'));
        xml.append("</cgCallback>");
        return new SimulatedRequest("POST", "", "application/x-www-form-urlencoded", List.of(), form(xml.toString()));
    }

    private static byte[] form(String xml) {
        return (FORM_FIELD + "=" + URLEncoder.encode(xml, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
