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
 * {@code https://netbilling:<basic_auth_password>@…/hooks/netbilling/<id>}, so with HTTP Basic credentials, and
 * NETbilling's {@code Ecom_*} fields in the query, with the payment form's own fields echoed back — the site tag, the
 * price, the checkout id {@code fanz_checkout_id} — and the form's integrity hash over them
 * ({@code Ecom_Ezic_Security_HashFields}, {@code Ecom_Ezic_Security_HashValue_MD5} = MD5 of the Integrity Key and the
 * values, computed here with the JDK). Only the sale ({@code Ecom_Ezic_Response_StatusCode=1}) is simulated:
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
                Map.of("site_tag", SITE_TAG,
                        "payment_url_template", "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag="
                                + ACCOUNT_NUMBER + "%3A" + SITE_TAG + "&Ecom_Cost_Total={amount}"
                                + "&fanz_checkout_id={checkout_id}"),
                Map.of("integrity_key", "sim-netbilling-integrity-Qw4Zr7Tn2Kd9Xp",
                        "basic_auth_password", "sim-netbilling-postback-8Hs3Lq6Vb1Nc"), SimulatedAccount.LOOPBACK);
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
        fields.put("fanz_checkout_id", checkoutId.toString());
        String hashed = "Ecom_Ezic_AccountAndSitetag Ecom_Cost_Total fanz_checkout_id";
        fields.put("Ecom_Ezic_Security_HashFields", hashed);
        fields.put("Ecom_Ezic_Security_HashValue_MD5", integrityHash(account.secrets().get("integrity_key"),
                fields.get("Ecom_Ezic_AccountAndSitetag") + fields.get("Ecom_Cost_Total") + fields.get("fanz_checkout_id")));
        String credentials = "netbilling:" + account.secrets().get("basic_auth_password");
        return new SimulatedRequest("GET", encode(fields), null, List.of(Map.entry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))), new byte[0]);
    }

    /** MD5 of the key and the values, lower-case hex, with the JDK (not the driver's code). */
    private static String integrityHash(String key, String values) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest((key + values).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException("NETbilling's refund notifications are not publicly known");
    }

    /**
     * A postback whose price was changed on its way (the fan editing the payment form, or anyone else): a higher
     * {@code Ecom_Cost_Total} with the credentials and the hash left as they were — the hash no longer matches.
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
        return new SimulatedRequest(request.method(), encode(fields), request.contentType(),
                List.of(Map.entry("Authorization", request.header("Authorization"))), request.body());
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
