package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CCBill webhooks as CCBill sends them: a JSON body of the event's fields, with the event identity
 * ({@code clientAccnum}, {@code clientSubacc}, {@code eventType}, {@code eventGroupType}) in the query. Only a
 * dynamic-pricing sale is signed ({@code dynamicPricingValidationDigest} = MD5 of {@code subscriptionId}, {@code 1}
 * and the salt); rebills and reversals carry no signature, so the driver answers them {@code source_only} and the
 * account number is all that tells a forgery apart. The checkout id comes back as the FlexForms custom field
 * {@code X-fanz_checkout_id}. Amounts are the {@code accounting*} fields; timestamps are UTC (the account sets no
 * {@code timezone}).
 */
final class SimulatedCcbill implements SimulatedProcessor {

    static final String ACCOUNT_NUMBER = "951492";
    static final String SUB_ACCOUNT = "0001";
    /** A peer inside CCBill's first published range 64.38.212.0/24. */
    static final String SOURCE_ADDRESS = "64.38.212.7";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SimulatedAccount account;

    SimulatedCcbill(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("ccbill", List.of("USD", "EUR"),
                Map.of("client_accnum", ACCOUNT_NUMBER, "client_subacc", SUB_ACCOUNT,
                        "flex_id", "5c1b7a3e-0d2f-4c1e-9a3b-7f6e2d1c0b9a"),
                Map.of("salt", "sim-ccbill-salt-Vq3nR8wLk2Zp"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "ccbill";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedCcbill(account.withSecrets(secrets));
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
        ObjectNode body = JSON.createObjectNode();
        money(body, "accountingInitialPrice", amount, currency);
        body.put("billedInitialPrice", amount.toPlainString());
        body.put("billedRecurringPrice", amount.toPlainString());
        identity(body);
        body.put("dynamicPricingValidationDigest",
                FixtureSigning.md5Hex(transactionId + "1" + account.secrets().get("salt")));
        body.put("cardType", "VISA");
        body.put("initialPeriod", "30");
        body.put("paymentType", "CREDIT");
        body.put("recurringPeriod", "30");
        body.put("subscriptionId", transactionId);
        body.put("timestamp", TIMESTAMP.format(EVENT_TIME));
        body.put("transactionId", transactionId);
        body.put("X-fanz_checkout_id", checkoutId.toString());
        return webhook("NewSaleSuccess", body);
    }

    @Override
    public SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        ObjectNode body = JSON.createObjectNode();
        money(body, "accountingAmount", amount, currency);
        body.put("billedAmount", amount.toPlainString());
        identity(body);
        body.put("nextRenewalDate", "2026-12-31");
        body.put("paymentType", "CREDIT");
        body.put("renewalDate", "2026-12-01");
        body.put("subscriptionId", parentTransactionId);
        body.put("timestamp", TIMESTAMP.format(EVENT_TIME));
        body.put("transactionId", transactionId);
        return webhook("RenewalSuccess", body);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("Refund", "Refunded by merchant", parentTransactionId, amount, currency);
    }

    @Override
    public SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        return reversal("Chargeback", "Charged back by the issuer", parentTransactionId, amount, currency);
    }

    /** CCBill reports a reversal under the charge's own {@code transactionId}. */
    private SimulatedRequest reversal(String eventType, String reason, String parentTransactionId, BigDecimal amount,
                                      String currency) {
        ObjectNode body = JSON.createObjectNode();
        money(body, "accountingAmount", amount, currency);
        body.put("amount", amount.toPlainString());
        identity(body);
        body.put("currency", currency);
        body.put("reason", reason);
        body.put("subscriptionId", parentTransactionId);
        body.put("timestamp", TIMESTAMP.format(EVENT_TIME));
        body.put("transactionId", parentTransactionId);
        return webhook(eventType, body);
    }

    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        ObjectNode body = parse(request);
        if (body.hasNonNull("dynamicPricingValidationDigest")) {
            body.put("subscriptionId", "9" + body.path("subscriptionId").asText());
            return request.withBody(bytes(body));
        }
        String otherAccount = "1" + ACCOUNT_NUMBER;
        body.put("clientAccnum", otherAccount);
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> parameter : Notification.Parameters.parseForm(request.rawQuery()).entries()) {
            String value = parameter.getKey().equals("clientAccnum") ? otherAccount : parameter.getValue();
            pairs.add(encode(parameter.getKey()) + "=" + encode(value));
        }
        return request.withBody(bytes(body)).withRawQuery(String.join("&", pairs));
    }

    private static void money(ObjectNode body, String amountField, BigDecimal amount, String currency) {
        String numeric = String.format("%03d", Currency.getInstance(currency).getNumericCode());
        body.put("accountingCurrency", currency);
        body.put("accountingCurrencyCode", numeric);
        body.put(amountField, amount.toPlainString());
        body.put("billedCurrency", currency);
        body.put("billedCurrencyCode", numeric);
    }

    private static void identity(ObjectNode body) {
        body.put("clientAccnum", ACCOUNT_NUMBER);
        body.put("clientSubacc", SUB_ACCOUNT);
    }

    private static SimulatedRequest webhook(String eventType, ObjectNode body) {
        String query = "clientAccnum=" + ACCOUNT_NUMBER + "&clientSubacc=" + SUB_ACCOUNT + "&eventType=" + eventType
                + "&eventGroupType=Subscription";
        return new SimulatedRequest("POST", query, "application/json", List.of(), bytes(body));
    }

    private static ObjectNode parse(SimulatedRequest request) {
        try {
            if (JSON.readTree(request.body()) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a simulated CCBill webhook", e);
        }
        throw new IllegalArgumentException("not a simulated CCBill webhook");
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
