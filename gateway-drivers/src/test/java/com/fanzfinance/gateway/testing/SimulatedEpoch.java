package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Epoch as it posts to a merchant: a sale is a FlexPost (form POST, {@code ans=Y…}, {@code transaction_id},
 * {@code member_id}, {@code trans_amount}, {@code trans_currency}, {@code event_datetime}, the pass-through
 * {@code x_fanz_checkout_id}); rebills, refunds and chargebacks are DataPlus rows (form POST, {@code ets_*} fields,
 * {@code ets_transaction_type} {@code N}, {@code C} or {@code D}, a credit's amount negative). Both carry
 * {@code epoch_digest}: the hex HMAC-MD5, keyed with the HMAC key, of the names and values sorted by name, empty
 * and {@code "0"} values left out. A sale's {@code member_id} is its transaction id; a row names the sale in
 * {@code ets_member_idx} and, for reversals, {@code ets_ref_trans_ids}, under an {@code ets_transaction_id} of its
 * own (for reversals derived from the parent, the kind and the amount). DataPlus rows carry no currency: they are
 * in the account's {@code dataplus_currency} (USD), and other currencies are refused.
 */
final class SimulatedEpoch implements SimulatedProcessor {

    static final String CO_CODE = "AB1C";
    /** In 208.236.105.0/24, an address range Epoch has been seen sending from. */
    static final String SOURCE_ADDRESS = "208.236.105.17";

    private static final DateTimeFormatter EVENT_DATETIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TRANSACTION_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SimulatedAccount account;

    SimulatedEpoch(SimulatedAccount account) {
        this.account = account;
    }

    static SimulatedAccount testAccount() {
        return new SimulatedAccount("epoch", List.of("USD", "EUR"),
                Map.of("co_code", CO_CODE, "dataplus_currency", "USD",
                        "payment_url_template", "https://wnu.com/secure/fpost.cgi?co_code=" + CO_CODE
                                + "&pi_code=sim1&x_fanz_checkout_id={checkout_id}"),
                Map.of("hmac_key", "sim-epoch-hmac-Qe7tN3xLp5"), SimulatedAccount.LOOPBACK);
    }

    @Override
    public String processor() {
        return "epoch";
    }

    @Override
    public SimulatedAccount account() {
        return account;
    }

    @Override
    public SimulatedProcessor signingWith(Map<String, String> secrets) {
        return new SimulatedEpoch(account.withSecrets(secrets));
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
        params.put("ans", "Y245724UU |" + transactionId);
        params.put("transaction_id", transactionId);
        params.put("member_id", transactionId);
        params.put("order_id", transactionId);
        params.put("pi_code", "sim1");
        params.put("amount", amount.toPlainString());
        params.put("currency", currency);
        params.put("trans_amount", amount.toPlainString());
        params.put("trans_currency", currency);
        params.put("payment_type", "CC");
        params.put("payment_subtype", "VS");
        params.put("prepaid", "N");
        params.put("email", "fan@example.test");
        params.put("event_datetime", EVENT_DATETIME.format(EVENT_TIME));
        params.put("x_fanz_checkout_id", checkoutId.toString());
        return post(params);
    }

    @Override
    public SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        return row("N", transactionId, parentTransactionId, "", amount.toPlainString(), currency);
    }

    @Override
    public SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency) {
        return row("C", parentTransactionId + "-C-" + amount.toPlainString(), parentTransactionId, parentTransactionId,
                "-" + amount.toPlainString(), currency);
    }

    @Override
    public SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        return row("D", parentTransactionId + "-D-" + amount.toPlainString(), parentTransactionId, parentTransactionId,
                "-" + amount.toPlainString(), currency);
    }

    /** The amount with a {@code 1} in front (a DataPlus row's after its sign), the digest kept. */
    @Override
    public SimulatedRequest tamper(SimulatedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        Notification.Parameters.parseForm(request.bodyText()).entries()
                .forEach(entry -> params.put(entry.getKey(), entry.getValue()));
        if (!params.containsKey("epoch_digest")) {
            throw new IllegalArgumentException("not a simulated Epoch postback");
        }
        if (params.containsKey("trans_amount")) {
            params.put("trans_amount", "1" + params.get("trans_amount"));
        } else {
            params.put("ets_transaction_amount", params.get("ets_transaction_amount").replaceFirst("^(-?)", "$11"));
        }
        return request.withBody(encode(params).getBytes(StandardCharsets.UTF_8));
    }

    private SimulatedRequest row(String type, String transactionId, String member, String refTransIds, String amount,
                                 String currency) {
        String dataPlusCurrency = account.settings().get("dataplus_currency");
        if (!currency.equals(dataPlusCurrency)) {
            throw new IllegalArgumentException("DataPlus rows carry no currency: the simulated account's are in "
                    + dataPlusCurrency + ", not " + currency);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ets_transaction_id", transactionId);
        params.put("ets_member_idx", member);
        params.put("ets_transaction_date", TRANSACTION_DATE.format(EVENT_TIME));
        params.put("ets_transaction_type", type);
        params.put("ets_co_code", CO_CODE);
        params.put("ets_pi_code", "sim1");
        params.put("ets_reseller_code", "a");
        params.put("ets_transaction_amount", amount);
        params.put("ets_payment_type", "A");
        params.put("ets_ref_trans_ids", refTransIds);
        return post(params);
    }

    private SimulatedRequest post(Map<String, String> params) {
        StringBuilder signed = new StringBuilder();
        new TreeMap<>(params).forEach((name, value) -> {
            if (!value.isEmpty() && !value.equals("0")) {
                signed.append(name).append(value.strip());
            }
        });
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("epoch_digest", hmacMd5Hex(account.secrets().get("hmac_key"), signed.toString()));
        return new SimulatedRequest("POST", "", "application/x-www-form-urlencoded", List.of(),
                encode(all).getBytes(StandardCharsets.UTF_8));
    }

    private static String hmacMd5Hex(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 unavailable", e);
        }
    }

    private static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
