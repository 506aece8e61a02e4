package com.fanzfinance.payouts.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Wise Platform API for the payout flow: {@code POST /v1/accounts}, {@code POST /v3/profiles/{p}/quotes},
 * {@code POST /v1/transfers}, {@code POST /v3/profiles/{p}/transfers/{id}/payments}, {@code PUT /v1/transfers/{id}/cancel},
 * {@code GET /v1/transfers/{id}}, each checking the Bearer token and the JSON fields it needs.
 *
 * <p>What it enforces: quotes expire after 30 minutes (the shared clock) and serve one transfer each; a repeated
 * {@code customerTransactionId} returns the transfer it already made; funding debits a per-currency balance (minor
 * units, 2 decimals) and is {@code REJECTED} with {@code balance.payment-option-unavailable} when it runs short; a
 * transfer is funded once (again: 409 {@code transfer.already-funded}). Only same-currency quotes are offered.
 * Errors are {@code {"errors":[{"code","message","path"}]}}.
 *
 * <p>Tests move a transfer with {@link #moveTransfer}, which delivers a {@code transfers#state-change} webhook signed
 * with this simulator's own RSA key ({@link #webhookPublicKeyPem()}) to {@link #webhookUrl}, twice with the same
 * {@code X-Delivery-Id} after {@link #deliverNextWebhookTwice()}. Operations for faults and counters: {@code accounts},
 * {@code quotes}, {@code transfers}, {@code payments}, {@code cancel}, {@code transfer} (GET); an injected failure code
 * is an HTTP status, optionally with an error code ({@code 422:quote.expired}).
 */
public final class WiseSimulator extends SimServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUOTE_LIFE = Duration.ofMinutes(30);
    private static final Pattern QUOTES = Pattern.compile("/v3/profiles/([^/]+)/quotes");
    private static final Pattern PAYMENTS = Pattern.compile("/v3/profiles/([^/]+)/transfers/([0-9]+)/payments");
    private static final Pattern CANCEL = Pattern.compile("/v1/transfers/([0-9]+)/cancel");
    private static final Pattern TRANSFER = Pattern.compile("/v1/transfers/([0-9]+)");

    private final Clock clock;
    private final String token;
    private final String profileId;
    private final KeyPair webhookKeys;
    private final HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<Long, ObjectNode> accounts = new LinkedHashMap<>();
    private final Map<String, ObjectNode> quotes = new HashMap<>();
    private final Map<String, String> quoteUsedBy = new HashMap<>();
    private final Map<Long, ObjectNode> transfers = new LinkedHashMap<>();
    private final Map<String, Long> transferByCustomerId = new HashMap<>();
    private final Map<String, Integer> creationsByCustomerId = new HashMap<>();
    private final Map<Long, Integer> fundings = new HashMap<>();
    private final List<String> webhookDeliveries = new ArrayList<>();
    private final List<String> webhookAnswers = new ArrayList<>();
    private volatile String webhookUrl;
    private boolean deliverTwice;
    private long nextAccountId = 14124090;
    private long nextTransferId = 49983981;

    public WiseSimulator(Clock clock, String token, String profileId) {
        this.clock = clock;
        this.token = token;
        this.profileId = profileId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.webhookKeys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key of the webhook signatures, as PEM (what {@code webhook_public_key_pem} takes). */
    public String webhookPublicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(webhookKeys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** Where {@link #moveTransfer} delivers webhooks (null: none). */
    public void webhookUrl(String url) {
        this.webhookUrl = url;
    }

    /** The next webhook is delivered twice, with the same {@code X-Delivery-Id}. */
    public synchronized void deliverNextWebhookTwice() {
        this.deliverTwice = true;
    }

    public synchronized WiseSimulator fund(String currency, long minor) {
        balances.merge(currency, minor, Long::sum);
        return this;
    }

    public synchronized long balance(String currency) {
        return balances.getOrDefault(currency, 0L);
    }

    public synchronized int recipientsCreated() {
        return accounts.size();
    }

    /** Transfers created for this customerTransactionId (a repeat that returned the existing one does not count). */
    public synchronized int transfersCreatedFor(String customerTransactionId) {
        return creationsByCustomerId.getOrDefault(customerTransactionId, 0);
    }

    public synchronized int transfersCreated() {
        return transfers.size();
    }

    /** Successful fundings of transfer {@code id} (more than one would be a double payment). */
    public synchronized int fundings(String id) {
        return fundings.getOrDefault(Long.parseLong(id), 0);
    }

    public synchronized String transferStatus(String id) {
        return transfers.get(Long.parseLong(id)).get("status").asText();
    }

    /** The transfer's JSON as {@code GET /v1/transfers/{id}} answers it. */
    public synchronized JsonNode transfer(String id) {
        return transfers.get(Long.parseLong(id)).deepCopy();
    }

    /** What the receiver answered each delivery: the HTTP status, a space, the body. */
    public synchronized List<String> webhookAnswers() {
        return List.copyOf(webhookAnswers);
    }

    /** Delivery ids of the webhooks sent so far (a duplicate delivery repeats its id). */
    public synchronized List<String> webhookDeliveries() {
        return List.copyOf(webhookDeliveries);
    }

    /**
     * Moves transfer {@code id} to {@code state} (e.g. {@code outgoing_payment_sent}, {@code bounced_back}; a
     * {@code funds_refunded} transfer credits the balance back) and delivers the signed state-change webhook.
     */
    public void moveTransfer(String id, String state) {
        byte[] body;
        String deliveryId = UUID.randomUUID().toString();
        int deliveries;
        synchronized (this) {
            ObjectNode transfer = transfers.get(Long.parseLong(id));
            String previous = transfer.get("status").asText();
            transfer.put("status", state);
            if (state.equals("funds_refunded") && fundings.getOrDefault(Long.parseLong(id), 0) > 0) {
                balances.merge(transfer.get("sourceCurrency").asText(),
                    minor(transfer.get("sourceValue").decimalValue()), Long::sum);
            }
            ObjectNode event = JSON.createObjectNode();
            ObjectNode data = event.putObject("data");
            ObjectNode resource = data.putObject("resource");
            resource.put("id", Long.parseLong(id));
            resource.put("profile_id", Long.parseLong(profileId));
            resource.put("account_id", transfer.get("targetAccount").asLong());
            resource.put("type", "transfer");
            data.put("current_state", state);
            data.put("previous_state", previous);
            data.put("occurred_at", clock.instant().toString());
            event.put("subscription_id", "90aa8e14-4ef1-4a56-861c-f3c9cde097ea");
            event.put("event_type", "transfers#state-change");
            event.put("schema_version", "2.0.0");
            event.put("sent_at", clock.instant().toString());
            body = event.toString().getBytes(StandardCharsets.UTF_8);
            deliveries = deliverTwice ? 2 : 1;
            deliverTwice = false;
        }
        String url = webhookUrl;
        if (url == null) {
            return;
        }
        for (int i = 0; i < deliveries; i++) {
            synchronized (this) {
                webhookDeliveries.add(deliveryId);
            }
            try {
                HttpResponse<String> answer = webhookClient.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").header("X-Delivery-Id", deliveryId)
                    .header("X-Signature-SHA256", sign(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                synchronized (this) {
                    webhookAnswers.add(answer.statusCode() + " " + answer.body());
                }
            } catch (IOException e) {
                throw new IllegalStateException("webhook delivery to " + url + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String sign(byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(webhookKeys.getPrivate());
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String operation(Request request) {
        String path = request.rawPath();
        if (request.method().equals("POST") && path.equals("/v1/accounts")) {
            return "accounts";
        }
        if (request.method().equals("POST") && QUOTES.matcher(path).matches()) {
            return "quotes";
        }
        if (request.method().equals("POST") && path.equals("/v1/transfers")) {
            return "transfers";
        }
        if (request.method().equals("POST") && PAYMENTS.matcher(path).matches()) {
            return "payments";
        }
        if (request.method().equals("PUT") && CANCEL.matcher(path).matches()) {
            return "cancel";
        }
        if (request.method().equals("GET") && TRANSFER.matcher(path).matches()) {
            return "transfer";
        }
        return "none";
    }

    @Override
    protected Answer failure(String operation, String code) {
        int colon = code.indexOf(':');
        int status = Integer.parseInt(colon < 0 ? code : code.substring(0, colon));
        return error(status, colon < 0 ? "injected" : code.substring(colon + 1), "injected failure", null);
    }

    @Override
    protected Answer handle(String operation, Request request) {
        if (!("Bearer " + token).equals(request.header("Authorization"))) {
            return error(401, "unauthorized", "missing or wrong Bearer token", null);
        }
        JsonNode body = JSON.missingNode();
        if (!request.method().equals("GET") && request.body().length > 0) {
            if (!String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
                return error(415, "unsupported.media.type", "JSON only", null);
            }
            try {
                body = JSON.readTree(request.body());
            } catch (IOException e) {
                return error(400, "invalid.json", "the body is not JSON", null);
            }
        }
        switch (operation) {
            case "accounts":
                return createAccount(body);
            case "quotes": {
                Matcher m = QUOTES.matcher(request.rawPath());
                m.matches();
                return createQuote(m.group(1), body);
            }
            case "transfers":
                return createTransfer(body);
            case "payments": {
                Matcher m = PAYMENTS.matcher(request.rawPath());
                m.matches();
                return fund(m.group(1), Long.parseLong(m.group(2)), body);
            }
            case "cancel": {
                Matcher m = CANCEL.matcher(request.rawPath());
                m.matches();
                return cancel(Long.parseLong(m.group(1)));
            }
            case "transfer": {
                Matcher m = TRANSFER.matcher(request.rawPath());
                m.matches();
                ObjectNode transfer = transfers.get(Long.parseLong(m.group(1)));
                return transfer == null ? error(404, "transfer.not-found", "no such transfer", null) : ok(transfer);
            }
            default:
                return error(404, "not.found", "no such endpoint", null);
        }
    }

    private Answer createAccount(JsonNode body) {
        for (String field : List.of("currency", "type", "accountHolderName", "profile")) {
            if (!body.hasNonNull(field) || body.get(field).asText().isBlank()) {
                return error(422, "NOT_VALID", field + " is required", field);
            }
        }
        if (!body.get("profile").asText().equals(profileId)) {
            return error(403, "forbidden", "not your profile", "profile");
        }
        JsonNode details = body.path("details");
        List<String> required = switch (body.get("type").asText()) {
            case "iban" -> List.of("legalType", "IBAN");
            case "sort_code" -> List.of("legalType", "sortCode", "accountNumber");
            case "aba" -> List.of("legalType", "abartn", "accountNumber", "accountType");
            case "email" -> List.of("legalType", "email");
            default -> null;
        };
        if (required == null) {
            return error(422, "NOT_VALID", "unknown recipient type", "type");
        }
        for (String field : required) {
            if (!details.hasNonNull(field) || details.get(field).asText().isBlank()) {
                return error(422, "NOT_VALID", "details." + field + " is required", "details." + field);
            }
        }
        if (body.get("type").asText().equals("aba") && !details.path("address").hasNonNull("city")) {
            return error(422, "NOT_VALID", "details.address.city is required", "details.address.city");
        }
        ObjectNode account = ((ObjectNode) body).deepCopy();
        long id = nextAccountId++;
        account.put("id", id);
        accounts.put(id, account);
        return ok(account);
    }

    private Answer createQuote(String profile, JsonNode body) {
        if (!profile.equals(profileId)) {
            return error(403, "forbidden", "not your profile", null);
        }
        if (!body.hasNonNull("sourceCurrency") || !body.hasNonNull("targetCurrency")) {
            return error(422, "NOT_VALID", "sourceCurrency and targetCurrency are required", "targetCurrency");
        }
        if (!body.get("sourceCurrency").asText().equals(body.get("targetCurrency").asText())) {
            return error(422, "currency.pair.unsupported", "the simulator quotes one currency only", "sourceCurrency");
        }
        boolean source = body.hasNonNull("sourceAmount");
        boolean target = body.hasNonNull("targetAmount");
        if (source == target || !(source ? body.get("sourceAmount") : body.get("targetAmount")).isNumber()) {
            return error(422, "NOT_VALID", "exactly one of sourceAmount and targetAmount, a number", "targetAmount");
        }
        BigDecimal amount = (source ? body.get("sourceAmount") : body.get("targetAmount")).decimalValue();
        if (amount.signum() <= 0) {
            return error(422, "NOT_VALID", "the amount must be positive", "targetAmount");
        }
        if (body.hasNonNull("targetAccount") && !accounts.containsKey(body.get("targetAccount").asLong())) {
            return error(422, "NOT_VALID", "unknown targetAccount", "targetAccount");
        }
        ObjectNode quote = JSON.createObjectNode();
        quote.put("id", UUID.randomUUID().toString());
        quote.put("sourceCurrency", body.get("sourceCurrency").asText());
        quote.put("targetCurrency", body.get("targetCurrency").asText());
        quote.put("sourceAmount", amount);
        quote.put("targetAmount", amount);
        quote.put("rate", 1);
        quote.put("rateType", "FIXED");
        if (body.hasNonNull("targetAccount")) {
            quote.put("targetAccount", body.get("targetAccount").asLong());
        }
        quote.put("createdTime", clock.instant().toString());
        quote.put("expirationTime", clock.instant().plus(QUOTE_LIFE).toString());
        quotes.put(quote.get("id").asText(), quote);
        return ok(quote);
    }

    private Answer createTransfer(JsonNode body) {
        String customerId = body.path("customerTransactionId").asText("");
        try {
            UUID.fromString(customerId);
        } catch (IllegalArgumentException e) {
            return error(422, "NOT_VALID", "customerTransactionId must be a UUID", "customerTransactionId");
        }
        Long existing = transferByCustomerId.get(customerId);
        if (existing != null) {
            return ok(transfers.get(existing));
        }
        ObjectNode quote = quotes.get(body.path("quoteUuid").asText(""));
        if (quote == null) {
            return error(422, "quote.not-found", "no such quote", "quoteUuid");
        }
        if (!clock.instant().isBefore(Instant.parse(quote.get("expirationTime").asText()))) {
            return error(422, "quote.expired", "the quote has expired", "quoteUuid");
        }
        if (quoteUsedBy.containsKey(quote.get("id").asText())) {
            return error(422, "quote.already-used", "You cannot use same quote ID to create multiple transfers",
                "quoteUuid");
        }
        long targetAccount = body.path("targetAccount").asLong(-1);
        if (!accounts.containsKey(targetAccount)
            || (quote.hasNonNull("targetAccount") && quote.get("targetAccount").asLong() != targetAccount)) {
            return error(422, "NOT_VALID", "targetAccount is unknown or not the quote's", "targetAccount");
        }
        String reference = body.path("details").path("reference").asText("");
        if (reference.length() > 35) {
            return error(422, "NOT_VALID", "reference is too long", "details.reference");
        }
        long id = nextTransferId++;
        ObjectNode transfer = JSON.createObjectNode();
        transfer.put("id", id);
        transfer.put("user", 4342275);
        transfer.put("targetAccount", targetAccount);
        transfer.putNull("sourceAccount");
        transfer.put("quoteUuid", quote.get("id").asText());
        transfer.put("status", "incoming_payment_waiting");
        transfer.put("reference", reference);
        transfer.put("rate", 1);
        transfer.put("created", clock.instant().toString());
        transfer.putObject("details").put("reference", reference);
        transfer.put("hasActiveIssues", false);
        transfer.put("sourceCurrency", quote.get("sourceCurrency").asText());
        transfer.put("sourceValue", quote.get("sourceAmount").decimalValue());
        transfer.put("targetCurrency", quote.get("targetCurrency").asText());
        transfer.put("targetValue", quote.get("targetAmount").decimalValue());
        transfer.put("customerTransactionId", customerId);
        transfers.put(id, transfer);
        transferByCustomerId.put(customerId, id);
        creationsByCustomerId.merge(customerId, 1, Integer::sum);
        quoteUsedBy.put(quote.get("id").asText(), customerId);
        return ok(transfer);
    }

    private Answer fund(String profile, long id, JsonNode body) {
        if (!profile.equals(profileId)) {
            return error(403, "forbidden", "not your profile", null);
        }
        ObjectNode transfer = transfers.get(id);
        if (transfer == null) {
            return error(404, "transfer.not-found", "no such transfer", null);
        }
        if (!"BALANCE".equals(body.path("type").asText())) {
            return error(422, "NOT_VALID", "type must be BALANCE", "type");
        }
        String status = transfer.get("status").asText();
        if (status.equals("cancelled")) {
            return error(422, "transfer.cancelled", "the transfer is cancelled", null);
        }
        if (!status.equals("incoming_payment_waiting")) {
            return error(409, "transfer.already-funded", "the transfer is already funded", null);
        }
        String currency = transfer.get("sourceCurrency").asText();
        long minor = minor(transfer.get("sourceValue").decimalValue());
        ObjectNode answer = JSON.createObjectNode().put("type", "BALANCE");
        if (balances.getOrDefault(currency, 0L) < minor) {
            return ok(answer.put("status", "REJECTED").put("errorCode", "balance.payment-option-unavailable"));
        }
        balances.merge(currency, -minor, Long::sum);
        fundings.merge(id, 1, Integer::sum);
        transfer.put("status", "processing");
        return ok(answer.put("status", "COMPLETED").putNull("errorCode"));
    }

    private Answer cancel(long id) {
        ObjectNode transfer = transfers.get(id);
        if (transfer == null) {
            return error(404, "transfer.not-found", "no such transfer", null);
        }
        String status = transfer.get("status").asText();
        if (!status.equals("incoming_payment_waiting") && !status.equals("processing")) {
            return error(409, "transfer.cannot-cancel", "the transfer can no longer be cancelled", null);
        }
        if (fundings.getOrDefault(id, 0) > 0) {
            balances.merge(transfer.get("sourceCurrency").asText(), minor(transfer.get("sourceValue").decimalValue()),
                Long::sum);
        }
        transfer.put("status", "cancelled");
        return ok(transfer);
    }

    private static long minor(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }

    private static Answer ok(JsonNode json) {
        return Answer.of(200, "application/json", json.toString());
    }

    private static Answer error(int status, String code, String message, String path) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        if (path != null) {
            error.put("path", path);
        }
        return Answer.of(status, "application/json", body.toString());
    }
}
