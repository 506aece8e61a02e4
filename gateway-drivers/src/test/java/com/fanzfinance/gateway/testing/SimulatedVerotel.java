package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Verotel FlexPay postbacks as Verotel sends them: a GET whose query holds every field and a {@code signature},
 * the lower-case hex SHA-256 of the signature key and every other {@code name=value} pair (decoded values, names
 * sorted) joined with {@code :}. The checkout id comes back as {@code referenceID} (and {@code custom1}), a sale's
 * {@code saleID} is its transaction id, and a reversal names the charge in {@code parentID} under a
 * {@code transactionID} of its own. FlexPay sends no event time.
 */
final class SimulatedVerotel implements SimulatedProcessor {

    static final String SHOP_ID = "68849";
    /** An address in TEST-NET-3: Verotel publishes no source ranges, so any address will do. */
    static final String SOURCE_ADDRESS = "203.0.113.9";

    private final SimulatedAccount account;

    SimulatedVerotel(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("verotel", List.of("USD", "EUR"), Map.of("shop_id", SHOP_ID),
                Map.of("signature_key", "sim-verotel-key-H7cT2mQx9Ld4"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "verotel";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedVerotel(account.withSecrets(secrets));
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
        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", SHOP_ID);
        params.put("saleID", transactionId);
        params.put("transactionID", transactionId);
        params.put("event", "initial");
        params.put("type", "subscription");
        params.put("subscriptionType", "recurring");
        params.put("period", "P30D");
        params.put("priceAmount", amount.toPlainString());
        params.put("priceCurrency", currency);
        params.put("paymentMethod", "CC");
        params.put("referenceID", checkoutId.toString());
        params.put("custom1", checkoutId.toString());
        return postback(params);
    }

    @Override
    public SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", SHOP_ID);
        params.put("saleID", parentTransactionId);
        params.put("transactionID", transactionId);
        params.put("event", "rebill");
        params.put("amount", amount.toPlainString());
        params.put("currency", currency);
        params.put("paymentMethod", "CC");
        params.put("nextChargeOn", "2026-12-31");
        return postback(params);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("credit", parentTransactionId, amount, currency);
    }

    @Override
    public SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("chargeback", parentTransactionId, amount, currency);
    }

    private SimulatedRequest reversal(String event, String parentTransactionId, BigDecimal amount, String currency) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", SHOP_ID);
        params.put("saleID", parentTransactionId);
        params.put("transactionID", parentTransactionId + "-" + event + "-" + amount.toPlainString());
        params.put("parentID", parentTransactionId);
        params.put("event", event);
        params.put("amount", amount.toPlainString());
        params.put("currency", currency);
        return postback(params);
    }

    /** The amount (or, without one, {@code shopID}) with a {@code 1} in front, the signature kept. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        Notification.Parameters.parseForm(request.rawQuery()).entries()
                .forEach(entry -> params.put(entry.getKey(), entry.getValue()));
        if (!params.containsKey("signature")) {
            throw new IllegalArgumentException("not a simulated Verotel postback");
        }
        String field = params.containsKey("amount") ? "amount" : params.containsKey("priceAmount") ? "priceAmount" : "shopID";
        params.put(field, "1" + params.get(field));
        return request.withRawQuery(encode(params));
    }

    private SimulatedRequest postback(Map<String, String> params) {
        StringBuilder signed = new StringBuilder(account.secrets().get("signature_key"));
        new TreeMap<>(params).forEach((name, value) -> signed.append(':').append(name).append('=').append(value));
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("signature", FixtureSigning.sha256Hex(signed.toString()));
        return new SimulatedRequest("GET", encode(all), null, List.of(), new byte[0]);
    }

    private static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
