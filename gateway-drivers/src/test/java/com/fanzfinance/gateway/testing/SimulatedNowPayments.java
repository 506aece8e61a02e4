package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.PaymentKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NOWPayments IPNs as NOWPayments sends them: a POST of the payment's JSON, keys sorted and without white space
 * (as its Node.js code writes it), signed in the {@code x-nowpayments-sig} header with the lower-case hex
 * HMAC-SHA512 of those bytes keyed with the IPN secret. {@code payment_id} is the transaction id (a JSON number when
 * it is all digits, as in real IPNs), {@code order_id} the checkout id, {@code price_amount} and
 * {@code price_currency} the fiat price. A sale is status {@code finished}; a refund is status {@code refunded} of the
 * same payment. Crypto payments have neither rebills nor chargebacks.
 */
final class SimulatedNowPayments implements SimulatedProcessor {

    static final String SIGNATURE_HEADER = "x-nowpayments-sig";
    /** One of the addresses NOWPayments lists for IPNs (a suggestion only: the driver has no default check). */
    static final String SOURCE_ADDRESS = "51.89.194.21";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRICE = Pattern.compile("\"price_amount\":");

    private final SimulatedAccount account;

    SimulatedNowPayments(SimulatedAccount account) {
        this.account = account;
    }

    /**
     * The account has no {@code api_key}, so a server under test never calls NOWPayments' API for a checkout: it
     * hands the invoice request to the platform instead.
     */
    static SimulatedAccount testAccount() {
        return new SimulatedAccount("nowpayments", List.of("USD", "EUR"), Map.of(),
                Map.of("ipn_secret", "sim-nowpayments-ipn-Tz4wK8pN1cRv"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "nowpayments";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedNowPayments(account.withSecrets(secrets));
    }

    @Override
    public Set<PaymentKind> kinds() {
        return Set.of(PaymentKind.SALE, PaymentKind.REFUND);
    }

    @Override
    public String sourceAddress() {
        return SOURCE_ADDRESS;
    }

    @Override
    public SimulatedRequest sale(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        return ipn(transactionId, "finished", checkoutId.toString(), amount, currency);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return ipn(parentTransactionId, "refunded", null, amount, currency);
    }

    /** {@code price_amount} with a {@code 1} in front, the signature kept. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Matcher price = PRICE.matcher(request.bodyText());
        if (request.header(SIGNATURE_HEADER) == null || !price.find()) {
            throw new IllegalArgumentException("not a simulated NOWPayments IPN");
        }
        String tampered = request.bodyText().substring(0, price.end()) + "1" + request.bodyText().substring(price.end());
        return request.withBody(tampered.getBytes(StandardCharsets.UTF_8));
    }

    private SimulatedRequest ipn(String paymentId, String status, String orderId, BigDecimal amount, String currency) {
        Map<String, Object> body = new TreeMap<>();
        body.put("actually_paid", number(amount));
        body.put("actually_paid_at_fiat", number(BigDecimal.ZERO));
        body.put("invoice_id", null);
        body.put("order_description", null);
        body.put("order_id", orderId);
        body.put("parent_payment_id", null);
        body.put("pay_address", "TDbqd96NNmXmNQCCbdohbvDnDZHcZy1GGJ");
        body.put("pay_amount", number(amount));
        body.put("pay_currency", "usdttrc20");
        body.put("payin_extra_id", null);
        body.put("payment_extra_ids", null);
        body.put("payment_id", paymentId.matches("[1-9][0-9]{0,14}") ? new RawValue(paymentId) : paymentId);
        body.put("payment_status", status);
        body.put("price_amount", number(amount));
        body.put("price_currency", currency.toLowerCase(Locale.ROOT));
        body.put("updated_at", new RawValue(Long.toString(EVENT_TIME.toEpochMilli())));
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String signature = FixtureSigning.hmacSha512Hex(account.secrets().get("ipn_secret"), bytes);
        return new SimulatedRequest("POST", "", "application/json", List.of(Map.entry(SIGNATURE_HEADER, signature)),
                bytes);
    }

    /** A JSON number written as JavaScript writes it for these amounts: plain, without trailing zeros. */
    private static RawValue number(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return new RawValue(stripped.signum() == 0 ? "0" : stripped.toPlainString());
    }
}
