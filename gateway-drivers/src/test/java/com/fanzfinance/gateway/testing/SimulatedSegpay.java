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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Segpay TransPosts as Segpay sends them for the payments API's postback template: a GET whose query is the
 * template with Segpay's macros filled in ({@code postback=trans&trantype=…&action=…&stage=…&approved=…&purchaseid=…
 * &tranid=…&relatedtranid=…&price=…&currencycode=…&transtime=…&fanz_checkout_id=…}), sent with the account's HTTP
 * Basic credentials. Segpay signs nothing: the credentials are the whole of the proof, so the simulated forger of
 * {@link #tamper} is one who does not know the password. A sale's {@code purchaseid} is its {@code tranid}; a rebill,
 * void, credit or chargeback has a {@code tranid} of its own (for reversals derived from the parent, the kind and the
 * amount) with {@code relatedtranid} and {@code purchaseid} naming the sale. {@code transtime} is Segpay's GMT US
 * format ({@code 12/1/2026 11:59:30 AM}).
 */
final class SimulatedSegpay implements SimulatedProcessor {

    static final String USERNAME = "sim-segpay-postbacks";
    /** An address in TEST-NET-3: Segpay publishes no source ranges. */
    static final String SOURCE_ADDRESS = "203.0.113.41";

    private static final DateTimeFormatter TRANSTIME =
            DateTimeFormatter.ofPattern("M/d/uuuu h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private final SimulatedAccount account;

    SimulatedSegpay(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("segpay", List.of("USD", "EUR"),
                Map.of("basic_auth_username", USERNAME,
                        "payment_url_template", "https://secure2.segpay.com/billing/poset.cgi?x-eticketid=197834:21342"
                                + "&amount={amount}&x-fanz_checkout_id={checkout_id}"),
                Map.of("basic_auth_password", "sim-segpay-pass-Rk4vW9qZt2"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "segpay";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedSegpay(account.withSecrets(secrets));
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
        return transPost("sale", "auth", "initial", transactionId, transactionId, "", amount, currency,
                checkoutId.toString());
    }

    @Override
    public SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        return transPost("sale", "auth", "rebill", parentTransactionId, transactionId, parentTransactionId, amount,
                currency, "");
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return transPost("credit", "auth", "initial", parentTransactionId,
                parentTransactionId + "-credit-" + amount.toPlainString(), parentTransactionId, amount, currency, "");
    }

    @Override
    public SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        return transPost("charge", "auth", "initial", parentTransactionId,
                parentTransactionId + "-charge-" + amount.toPlainString(), parentTransactionId, amount, currency, "");
    }

    /** A declined sale: the TransPost of the attempt with {@code approved=no}. */
    @Override
    public SimulatedRequest failure(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        SimulatedRequest approved = sale(checkoutId, transactionId, amount, currency);
        return new SimulatedRequest("GET", approved.rawQuery().replace("&approved=yes&", "&approved=no&"), null,
                List.of(Map.entry("Authorization", approved.header("Authorization"))), new byte[0]);
    }

    /** A member-management {@code postback=cancel} of the purchase. */
    @Override
    public SimulatedRequest cancellation(String subscriptionId) {
        return memberPostback("cancel", subscriptionId);
    }

    /** A member-management {@code postback=disable} of the purchase: the membership ended. */
    @Override
    public SimulatedRequest expiration(String subscriptionId) {
        return memberPostback("disable", subscriptionId);
    }

    private SimulatedRequest memberPostback(String postback, String purchaseId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("postback", postback);
        params.put("purchaseid", purchaseId);
        params.put("transtime", TRANSTIME.format(EVENT_TIME));
        return new SimulatedRequest("GET", encode(params), null,
                List.of(Map.entry("Authorization", basic(USERNAME, account.secrets().get("basic_auth_password")))),
                new byte[0]);
    }

    /** The price with a {@code 1} in front, sent with a guessed password instead of the account's. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        Notification.Parameters.parseForm(request.rawQuery()).entries()
                .forEach(entry -> params.put(entry.getKey(), entry.getValue()));
        String authorization = request.header("Authorization");
        if (!params.containsKey("postback") || authorization == null || !authorization.startsWith("Basic ")) {
            throw new IllegalArgumentException("not a simulated Segpay postback");
        }
        params.put("price", "1" + params.getOrDefault("price", ""));
        return new SimulatedRequest("GET", encode(params), null,
                List.of(Map.entry("Authorization", basic(USERNAME, "guessed-password"))), new byte[0]);
    }

    private SimulatedRequest transPost(String trantype, String action, String stage, String purchaseId, String tranId,
                                       String relatedTranId, BigDecimal amount, String currency, String checkoutId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("postback", "trans");
        params.put("trantype", trantype);
        params.put("action", action);
        params.put("stage", stage);
        params.put("approved", "yes");
        params.put("purchaseid", purchaseId);
        params.put("tranid", tranId);
        params.put("relatedtranid", relatedTranId);
        params.put("price", amount.toPlainString());
        params.put("currencycode", currency);
        params.put("transtime", TRANSTIME.format(EVENT_TIME));
        params.put("fanz_checkout_id", checkoutId);
        String password = account.secrets().get("basic_auth_password");
        return new SimulatedRequest("GET", encode(params), null,
                List.of(Map.entry("Authorization", basic(USERNAME, password))), new byte[0]);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
