package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * NETbilling hosted-form postbacks as the test account configures them: a GET to the postback URL
 * {@code https://netbilling:<integrity_key>@…/hooks/netbilling/<id>}, so with the key as the password of HTTP Basic
 * credentials, and NETbilling's {@code Ecom_*} fields in the query, the checkout id and
 * currency echoed back as the pass-through fields {@code fanz_checkout_id} and {@code fanz_currency} that the
 * account's {@code payment_url_template} sends (NETbilling echoes fields it does not know). NETbilling signs nothing,
 * so the key in the credentials is the whole proof. Only the sale ({@code Ecom_Ezic_Response_StatusCode=1}) is simulated:
 * NETbilling's rebill, refund and chargeback notifications are not publicly known. A sale's recurring id is its
 * transaction id; its issue date is {@link #EVENT_TIME} in UTC.
 */
final class SimulatedNetbilling implements SimulatedProcessor {

    static final String ACCOUNT_NUMBER = "104901072025";
    static final String SITE_TAG = "FANZSIM";
    /** An address in TEST-NET-3: NETbilling publishes no source ranges. */
    static final String SOURCE_ADDRESS = "203.0.113.41";

    private static final DateTimeFormatter ISSUE_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SimulatedAccount account;

    SimulatedNetbilling(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("netbilling", List.of("USD", "EUR"),
                Map.of("site_tag", SITE_TAG, "currency_field", "fanz_currency",
                        "payment_url_template", "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag="
                                + ACCOUNT_NUMBER + "%3A" + SITE_TAG + "&Ecom_Cost_Total={amount}&fanz_currency={currency}"
                                + "&fanz_checkout_id={checkout_id}"),
                Map.of("integrity_key", "sim-netbilling-key-Qw4Zr7Tn2Kd9Xp"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "netbilling";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedNetbilling(account.withSecrets(secrets));
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
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Ecom_Cost_Total", amount.toPlainString());
        fields.put("Ecom_Ezic_Recurring_ID", transactionId);
        fields.put("Ecom_Ezic_TransactionId", transactionId);
        fields.put("Ecom_Ezic_Recurring_Amount", amount.toPlainString());
        fields.put("Ecom_Ezic_TransactionStatus", "1");
        fields.put("Ecom_Ezic_Membership_Period", "30.00000");
        fields.put("Ecom_Ezic_AccountAndSitetag", ACCOUNT_NUMBER + ":" + SITE_TAG);
        fields.put("Ecom_Ezic_Response_AuthCode", "999999");
        fields.put("Ecom_Ezic_Response_StatusSubCode", "1");
        fields.put("Ecom_Ezic_Response_IssueDate", ISSUE_DATE.format(EVENT_TIME));
        fields.put("Ecom_Ezic_Response_StatusCode", "1");
        fields.put("Ecom_Ezic_Response_AuthMessage", "TEST APPROVED");
        fields.put("Ecom_Ezic_Response_TransactionID", transactionId);
        fields.put("fanz_currency", currency);
        fields.put("fanz_checkout_id", checkoutId.toString());
        String credentials = "netbilling:" + account.secrets().get("integrity_key");
        return new SimulatedRequest("GET", encode(fields), null, List.of(Map.entry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))), new byte[0]);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException("NETbilling's refund notifications are not publicly known");
    }

    /**
     * What someone without the key can send: the postback's fields (a fan sees them all in the payment form) with a
     * higher {@code Ecom_Cost_Total}, and no credentials.
     */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        Notification.Parameters.parseForm(request.rawQuery()).entries()
                .forEach(entry -> fields.put(entry.getKey(), entry.getValue()));
        if (request.header("Authorization") == null || !fields.containsKey("Ecom_Cost_Total")) {
            throw new IllegalArgumentException("not a simulated NETbilling postback");
        }
        fields.put("Ecom_Cost_Total", "1" + fields.get("Ecom_Cost_Total"));
        return new SimulatedRequest(request.method(), encode(fields), request.contentType(), List.of(), request.body());
    }

    private static String encode(Map<String, String> fields) {
        StringJoiner query = new StringJoiner("&");
        fields.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        return query.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
