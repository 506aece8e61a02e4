package com.fanzfinance.payouts.sim;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local Paxum: the legacy Payment API ({@code POST /payment/api/paymentAPI.php}, form fields, MD5 {@code key}, XML
 * answers with the documented stray space in {@code </ResponseDescription >}) for {@code transferFunds} and
 * {@code balanceInquiry}, and the Payment API 2.0.0 transaction list ({@code GET /v2/account/{id}/transactions},
 * HMAC-SHA256 over path and query, in the header names and JSON shape the driver assumes, each entry with its
 * {@code reference} and {@code note}).
 *
 * <p>It keeps per-currency balances (cents) of the paying account and a set of known payee emails; a transfer checks
 * the key, the amount format ({@code 10.00}), the currency, the payee and the balance, books a transaction with its
 * reference and debits the balance. Operations for faults and counters: {@code transferFunds}, {@code balanceInquiry},
 * {@code transactions}. An injected failure of a legacy operation answers HTTP 200 with that {@code ResponseCode};
 * of {@code transactions}, that HTTP status.
 */
public final class PaxumSimulator extends SimServer {
    /** The transferFunds key fields as this simulator reads Paxum's page (written separately from the driver's). */
    private static final List<String> TRANSFER_KEY = List.of("toEmail", "amount", "currency", "note", "firstName",
        "lastName", "businessName", "reference", "subscriptionFrequency", "subscriptionEndDate",
        "subscriptionUserCancel", "subscriptionTransactions");
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,12}\\.[0-9]{2}");

    /** A booked transfer. */
    public record Transaction(String id, String reference, String toEmail, String amount, String currency,
                              String status, String created, String note) {
    }

    private final Clock clock;
    private final String fromEmail;
    private final String sharedSecret;
    private final String accountId;
    private final String apiKey;
    private final String apiSecret;
    private String apiKeyHeader = "X-Api-Key";
    private String signatureHeader = "X-Signature";
    private final Map<String, Long> balances = new HashMap<>();
    private final Set<String> payees = new HashSet<>();
    private final List<Transaction> transactions = new ArrayList<>();
    private int rejectedSignatures;
    private boolean ignoreReferenceFilter;
    private boolean listWithoutReference;
    private long nextId = 23646236;

    public PaxumSimulator(Clock clock, String fromEmail, String sharedSecret, String accountId, String apiKey,
                          String apiSecret) {
        this.clock = clock;
        this.fromEmail = fromEmail;
        this.sharedSecret = sharedSecret;
        this.accountId = accountId;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
    }

    /** Sets the header names the transaction list expects for the API key and the signature. */
    public synchronized PaxumSimulator headerNames(String apiKeyHeader, String signatureHeader) {
        this.apiKeyHeader = apiKeyHeader;
        this.signatureHeader = signatureHeader;
        return this;
    }

    /** Adds {@code cents} to the paying account's {@code currency} balance. */
    public synchronized PaxumSimulator fund(String currency, long cents) {
        balances.merge(currency, cents, Long::sum);
        return this;
    }

    /**
     * Puts an entry into the transaction list without moving money (what Paxum's history may show besides our own
     * transfers: an earlier failed attempt, a pending one, another payment's entry).
     *
     * @return the entry's id
     */
    public synchronized String record(String reference, String amount, String currency, String status) {
        String id = Long.toString(nextId++);
        transactions.add(new Transaction(id, reference, "someone@example.com", amount, currency, status,
            clock.instant().toString(), reference));
        return id;
    }

    /** The transaction list answers its newest entries whatever {@code reference} asks for (a filter not honoured). */
    public synchronized PaxumSimulator ignoreReferenceFilter() {
        this.ignoreReferenceFilter = true;
        return this;
    }

    /** The transaction list shows entries with an empty {@code reference} (only their {@code note} carries it). */
    public synchronized PaxumSimulator listWithoutReference() {
        this.listWithoutReference = true;
        return this;
    }

    /** Makes {@code email} a Paxum user who can receive transfers. */
    public synchronized PaxumSimulator payee(String email) {
        payees.add(email);
        return this;
    }

    public synchronized long balance(String currency) {
        return balances.getOrDefault(currency, 0L);
    }

    /** Transfers booked with this reference: the "paid exactly once" count. */
    public synchronized int transfersWithReference(String reference) {
        return (int) transactions.stream().filter(t -> t.reference().equals(reference)).count();
    }

    public synchronized List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    /** Requests refused for a wrong key or signature. */
    public synchronized int rejectedSignatures() {
        return rejectedSignatures;
    }

    @Override
    protected String operation(Request request) {
        if (request.rawPath().startsWith("/v2/")) {
            return "transactions";
        }
        String method = form(request.text()).get("method");
        return method == null ? "none" : method;
    }

    @Override
    protected Answer failure(String operation, String code) {
        if (operation.equals("transactions")) {
            return Answer.of(Integer.parseInt(code), "application/json", "{\"error\":\"injected\"}");
        }
        return xml(operation, code, null, null);
    }

    @Override
    protected Answer handle(String operation, Request request) {
        if (operation.equals("transactions")) {
            return transactionList(request);
        }
        if (!request.method().equals("POST") || !request.rawPath().equals("/payment/api/paymentAPI.php")) {
            return Answer.of(404, "text/plain", "not found");
        }
        Map<String, String> fields = form(request.text());
        if (!fromEmail.equals(fields.get("fromEmail"))) {
            return xml(operation, "90", null, null);
        }
        switch (operation) {
            case "transferFunds":
                return transfer(fields);
            case "balanceInquiry":
                if (!md5(sharedSecret + fields.getOrDefault("accountId", "")).equals(fields.get("key"))) {
                    rejectedSignatures++;
                    return xml(operation, "90", null, null);
                }
                if (!accountId.equals(fields.get("accountId"))) {
                    return xml(operation, "IA", null, null);
                }
                StringBuilder accounts = new StringBuilder("<Accounts>");
                balances.forEach((currency, cents) -> accounts.append("<Account><AccountId>").append(accountId)
                    .append("</AccountId><Currency>").append(currency).append("</Currency><Balance>")
                    .append(BigDecimal.valueOf(cents, 2).toPlainString()).append("</Balance></Account>"));
                return xml(operation, "00", null, accounts.append("</Accounts>").toString());
            default:
                return xml(operation, "IM", null, null);
        }
    }

    private Answer transfer(Map<String, String> fields) {
        StringBuilder message = new StringBuilder(sharedSecret);
        TRANSFER_KEY.forEach(name -> message.append(fields.getOrDefault(name, "")));
        if (!md5(message.toString()).equals(fields.get("key"))) {
            rejectedSignatures++;
            return xml("transferFunds", "90", null, null);
        }
        String amount = fields.getOrDefault("amount", "");
        if (!AMOUNT.matcher(amount).matches()) {
            return xml("transferFunds", "30", null, null);
        }
        String currency = fields.getOrDefault("currency", "");
        if (!balances.containsKey(currency)) {
            return xml("transferFunds", "IK", null, null);
        }
        String toEmail = fields.getOrDefault("toEmail", "");
        if (!payees.contains(toEmail)) {
            return xml("transferFunds", "IP", null, null);
        }
        long cents = new BigDecimal(amount).movePointRight(2).longValueExact();
        if (balances.get(currency) < cents) {
            return xml("transferFunds", "51", null, null);
        }
        balances.merge(currency, -cents, Long::sum);
        String id = Long.toString(nextId++);
        transactions.add(new Transaction(id, fields.getOrDefault("reference", ""), toEmail, amount, currency,
            "completed", clock.instant().toString(), fields.getOrDefault("note", "")));
        return xml("transferFunds", "00", id, null);
    }

    private Answer transactionList(Request request) {
        String pathAndQuery = request.rawPath() + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        if (!apiKey.equals(request.header(apiKeyHeader))
            || !hmac(pathAndQuery).equals(request.header(signatureHeader))) {
            rejectedSignatures++;
            return Answer.of(401, "application/json", "{\"error\":\"unauthorized\"}");
        }
        if (!request.rawPath().equals("/v2/account/" + accountId + "/transactions")) {
            return Answer.of(404, "application/json", "{\"error\":\"no such account\"}");
        }
        Map<String, String> query = form(request.rawQuery() == null ? "" : request.rawQuery());
        String reference = query.get("reference");
        int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        StringBuilder json = new StringBuilder("{\"transactions\":[");
        int written = 0;
        for (int i = transactions.size() - 1; i >= 0 && written < limit; i--) {
            Transaction t = transactions.get(i);
            if (!ignoreReferenceFilter && reference != null && !reference.equals(t.reference())) {
                continue;
            }
            json.append(written++ == 0 ? "" : ",").append("{\"id\":\"").append(t.id()).append("\",\"reference\":\"")
                .append(listWithoutReference ? "" : t.reference()).append("\",\"note\":\"").append(t.note())
                .append("\",\"amount\":\"").append(t.amount()).append("\",\"currency\":\"")
                .append(t.currency()).append("\",\"status\":\"").append(t.status()).append("\",\"created\":\"")
                .append(t.created()).append("\"}");
        }
        return Answer.of(200, "application/json", json.append("]}").toString());
    }

    private static Answer xml(String method, String code, String transactionId, String extra) {
        String description = code.equals("00") ? "Approved or Completed Successfully" : "Refused (" + code + ")";
        String body = "\n  <?xml version=\"1.0\"?> <Response> <Environment>SIMULATOR</Environment> <Method>" + method
            + "</Method> <ResponseCode>" + code + "</ResponseCode> <ResponseDescription>" + description
            + "</ResponseDescription > <Fee>0.00</Fee> "
            + (transactionId == null ? "" : "<TransactionId>" + transactionId + "</TransactionId> ")
            + (extra == null ? "" : extra) + "</Response>\n";
        // leading whitespace before the XML declaration, as Paxum's answers may have (the client must trim it)
        return Answer.of(200, "text/xml", body);
    }

    private static Map<String, String> form(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiSecret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
