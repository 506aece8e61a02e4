package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.stream.Collectors;

/**
 * CoinPayments legacy IPNs as CoinPayments sends them: a form POST, fields in alphabetical order (as in the public
 * samples), with {@code ipn_mode=hmac} and the account's {@code merchant}, signed in the {@code HMAC} header with the
 * hex HMAC-SHA512 of the raw body keyed with the IPN secret. A sale is an {@code api} IPN (a transaction made with
 * {@code create_transaction}) with status {@code 100} ("Complete"): {@code txn_id} is the transaction id,
 * {@code custom} the checkout id, {@code amount1}/{@code currency1} the price and {@code amount2}/{@code currency2}
 * the coin paid (BTC, at a fixed simulated rate of 50,000 per BTC). {@code ipn_id} derives from the transaction and
 * the status, so one call made twice is one IPN sent twice. No rebills, refunds or chargebacks.
 */
final class SimulatedCoinPayments implements SimulatedProcessor {

    static final String SIGNATURE_HEADER = "HMAC";
    static final String MERCHANT_ID = "5f3c0ffee0d6a1e4b7c28d9e0f1a2b3c";
    /** A documentation address: CoinPayments publishes no sender addresses. */
    static final String SOURCE_ADDRESS = "203.0.113.91";

    private static final BigDecimal SIMULATED_BTC_RATE = new BigDecimal("50000");
    private static final Pattern AMOUNT1 = Pattern.compile("(^|&)amount1=");

    private final SimulatedAccount account;

    SimulatedCoinPayments(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("coinpayments", List.of("USD", "EUR"), Map.of("merchant_id", MERCHANT_ID),
                Map.of("ipn_secret", "sim-coinpayments-ipn-Wd8sKq2Lx5Vn"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "coinpayments";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedCoinPayments(account.withSecrets(secrets));
    }

    @Override
    public Set<PaymentKind> kinds() {
        return Set.of(PaymentKind.SALE);
    }

    @Override
    public String sourceAddress() {
        return SOURCE_ADDRESS;
    }

    @Override
    public SimulatedRequest sale(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        BigDecimal coins = amount.divide(SIMULATED_BTC_RATE, 8, RoundingMode.HALF_EVEN);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount1", amount.toPlainString());
        fields.put("amount2", coins.toPlainString());
        fields.put("currency1", currency.toUpperCase(Locale.ROOT));
        fields.put("currency2", "BTC");
        fields.put("custom", checkoutId.toString());
        fields.put("fee", coins.multiply(new BigDecimal("0.005")).setScale(8, RoundingMode.HALF_EVEN).toPlainString());
        fields.put("ipn_id", FixtureSigning.md5Hex(transactionId + ":100"));
        fields.put("ipn_mode", "hmac");
        fields.put("ipn_type", "api");
        fields.put("ipn_version", "1.0");
        fields.put("merchant", account.settings().get("merchant_id"));
        fields.put("received_amount", coins.toPlainString());
        fields.put("received_confirms", "2");
        fields.put("status", "100");
        fields.put("status_text", "Complete");
        fields.put("txn_id", transactionId);
        byte[] body = fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
        String signature = FixtureSigning.hmacSha512Hex(account.secrets().get("ipn_secret"), body);
        return new SimulatedRequest("POST", "", "application/x-www-form-urlencoded",
                List.of(Map.entry(SIGNATURE_HEADER, signature)), body);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException("coinpayments sends no refunds");
    }

    /** {@code amount1} with a {@code 1} in front, the signature kept. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Matcher amount = AMOUNT1.matcher(request.bodyText());
        if (request.header(SIGNATURE_HEADER) == null || !amount.find()) {
            throw new IllegalArgumentException("not a simulated CoinPayments IPN");
        }
        String text = request.bodyText();
        return request.withBody((text.substring(0, amount.end()) + "1" + text.substring(amount.end()))
                .getBytes(StandardCharsets.UTF_8));
    }
}
