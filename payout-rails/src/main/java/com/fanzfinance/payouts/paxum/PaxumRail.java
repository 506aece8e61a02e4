package com.fanzfinance.payouts.paxum;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailResponse;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/**
 * Pays a Paxum user (by email) through the legacy Payment API's {@code transferFunds}; reconciles through the Payment
 * API 2.0.0 transaction list.
 *
 * <p>The legacy API has no idempotency key, so a transfer whose answer was lost is never simply sent again. Each payout
 * sends its compact id as {@code reference} (and as {@code note}); before posting, the state records
 * {@code phase=sent}, the attempt number and the time. A {@code 00} answer with a {@code TransactionId} settles the
 * payout (Paxum-to-Paxum transfers are instant); a definitive refusal code ({@link PaxumCodes#DEFINITIVE_REFUSALS})
 * of the first attempt fails it, of a later attempt only records the code (an earlier attempt may have been booked)
 * and reconciles; any other answer, a timeout or an unreadable answer makes it {@code UNKNOWN}. A request that surely
 * never reached Paxum (connection refused) leaves the payout {@code PREPARING}, to be sent later, and does not count
 * as an attempt.
 *
 * <p>An {@code UNKNOWN} payout is looked up in the transaction list on every call: the entries whose {@code reference}
 * or {@code note} is the payout's reference are checked for amount and currency (any mismatch: a person must look)
 * and ranked completed &gt; pending/processing/other &gt; refunded &gt; failed. It is FAILED only when every entry
 * failed; two or more entries that did not fail leave it {@code UNKNOWN} for a person; one entry gives its outcome.
 * When no entry carries the reference, by default ({@code resend_when_history_empty=false}) the payout stays
 * {@code UNKNOWN}, looked up again hourly, with a note telling a person to look for the reference in Paxum and, if it is
 * not there, to fail the payout through the server's payout events. Only with {@code resend_when_history_empty=true}
 * is it sent again (same reference), and only when two looks found nothing, the later one at least
 * {@code retry_after_seconds} after the attempt, each on a history page that reaches back before the attempt (an entry
 * older than {@code sent_at}, or fewer entries than asked for), and no later attempt was refused.
 *
 * <p><b>Assumptions (unconfirmed with Paxum).</b> The 2.0.0 API's header names are not in the documentation we have:
 * they are settings, defaulting to {@code X-Api-Key} and {@code X-Signature}. The transaction list's query and answer
 * are our assumption: {@code GET <api_v2>/v2/account/<account_id>/transactions?reference=<ref>&limit=100} answering
 * {@code {"transactions":[{"id","reference","note","amount","currency","status","created"}]}}, newest first, with
 * {@code amount} a decimal string, {@code created} an ISO-8601 timestamp and {@code status} one of {@code completed},
 * {@code pending}, {@code failed}, {@code cancelled}, {@code refunded} (the driver matches the reference itself and
 * does not rely on the filter). Because all of this is assumed, resending on an empty history is off by default. The
 * {@code balanceInquiry} answer is assumed to carry {@code <Account>} elements with {@code AccountId},
 * {@code Currency} and {@code Balance}.
 *
 * <p>Settings: {@code from_email} (required) the API user's Paxum email, sent as {@code fromEmail}; {@code account_id}
 * (required) the paying Paxum account id (transaction list, balance); {@code api} (default
 * {@code https://secure.paxum.com}) the legacy API base URL; {@code api_v2} (default {@code https://api.paxum.com})
 * the Payment API 2.0.0 base URL; {@code api_key_header} (default {@code X-Api-Key}) and {@code signature_header}
 * (default {@code X-Signature}) the 2.0.0 header names; {@code retry_after_seconds} (default 600, at least 300) how
 * long after an attempt a transfer missing from the list may be sent again; {@code resend_when_history_empty}
 * ({@code true} or {@code false}, default {@code false}) whether a transfer missing from the list is ever sent again
 * without a person. Secrets: {@code shared_secret} (legacy {@code key}),
 * {@code api_key} and {@code api_secret} (2.0.0).
 */
public final class PaxumRail implements PayoutRail {
    public static final String NAME = "paxum";

    /** Setting names; see the class comment for their meaning and defaults. */
    public static final List<String> SETTINGS = List.of("from_email", "account_id", "api", "api_v2", "api_key_header",
        "signature_header", "retry_after_seconds", "resend_when_history_empty");
    /** The smallest {@code retry_after_seconds} accepted. */
    public static final long MIN_RETRY_AFTER_SECONDS = 300;
    /** Secret names: {@code shared_secret} (legacy API key), {@code api_key} and {@code api_secret} (API 2.0.0). */
    public static final List<String> SECRETS = List.of("shared_secret", "api_key", "api_secret");

    static final String PAYMENT_PATH = "/payment/api/paymentAPI.php";
    private static final int HISTORY_LIMIT = 100;
    private static final Duration NOT_SENT_RETRY = Duration.ofMinutes(1);
    private static final Duration LOOKUP_RETRY = Duration.ofMinutes(2);
    private static final Duration SECOND_LOOK = Duration.ofMinutes(1);
    private static final Duration PENDING_RECHECK = Duration.ofMinutes(10);
    private static final Duration PERSON_RECHECK = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RailHttp http;
    private final Clock clock;
    private final String fromEmail;
    private final String accountId;
    private final String api;
    private final String apiV2;
    private final String apiKeyHeader;
    private final String signatureHeader;
    private final Duration retryAfter;
    private final boolean resendWhenHistoryEmpty;
    private final String sharedSecret;
    private final String apiKey;
    private final String apiSecret;

    public PaxumRail(RailAccount account, RailHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
        this.fromEmail = account.requiredSetting("from_email");
        this.accountId = account.requiredSetting("account_id");
        this.api = stripSlash(account.setting("api", "https://secure.paxum.com"));
        this.apiV2 = stripSlash(account.setting("api_v2", "https://api.paxum.com"));
        this.apiKeyHeader = account.setting("api_key_header", "X-Api-Key");
        this.signatureHeader = account.setting("signature_header", "X-Signature");
        String retry = account.setting("retry_after_seconds", "600");
        try {
            this.retryAfter = Duration.ofSeconds(Long.parseLong(retry));
        } catch (NumberFormatException e) {
            throw new RailConfigurationException("paxum account " + account.id()
                + " setting 'retry_after_seconds' is not a number of seconds");
        }
        if (retryAfter.getSeconds() < MIN_RETRY_AFTER_SECONDS) {
            throw new RailConfigurationException("paxum account " + account.id()
                + " setting 'retry_after_seconds' must be at least " + MIN_RETRY_AFTER_SECONDS);
        }
        String resend = account.setting("resend_when_history_empty", "false");
        if (!resend.equals("true") && !resend.equals("false")) {
            throw new RailConfigurationException("paxum account " + account.id()
                + " setting 'resend_when_history_empty' must be true or false");
        }
        this.resendWhenHistoryEmpty = resend.equals("true");
        this.sharedSecret = account.requiredSecret("shared_secret");
        this.apiKey = account.requiredSecret("api_key");
        this.apiSecret = account.requiredSecret("api_secret");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RailStep advance(RailPayout payout, RailState state) {
        String phase = state.getOrDefault("phase", "new");
        switch (phase) {
            case "settled":
                return RailStep.settled(state.get("transaction_id"), "Paxum booked the transfer");
            case "failed":
                return RailStep.failed(state.get("transaction_id"), state.get("code"), state.get("failure"));
            case "returned":
                return RailStep.returned(state.get("transaction_id"), state.get("code"), state.get("failure"));
            case "sent":
                return reconcile(payout, state);
            default:
                return send(payout, state);
        }
    }

    private RailStep send(RailPayout payout, RailState state) {
        String toEmail = payout.destination().get("email");
        if (toEmail == null || toEmail.isBlank()) {
            return fail(state, null, "no_email", "the payee has no Paxum email");
        }
        if (payout.scale() != 2) {
            return fail(state, null, "amount_scale", "Paxum amounts have 2 decimals, this currency has "
                + payout.scale());
        }
        String reference = payout.compactId();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("method", "transferFunds");
        fields.put("fromEmail", fromEmail);
        fields.put("toEmail", toEmail);
        fields.put("amount", payout.decimal().toPlainString());
        fields.put("currency", payout.currency());
        fields.put("note", reference);
        fields.put("reference", reference);
        fields.put("key", PaxumSigning.legacyKey(sharedSecret, PaxumSigning.TRANSFER_FUNDS_KEY_FIELDS, fields));

        long attempt = state.getLong("attempt", 0) + 1;
        String earlierLastCode = state.get("last_code");
        state.put("reference", reference).put("phase", "sent").put("attempt", attempt)
            .put("sent_at", clock.instant().toString()).put("absent_seen_at", null).put("last_code", null);
        state.save();

        RailResponse response;
        try {
            response = http.send(form(fields));
        } catch (RailCallException e) {
            if (!e.mayHaveArrived()) {
                // this attempt surely never reached Paxum: it does not count as one
                state.put("phase", "new").put("attempt", attempt - 1).put("last_code", earlierLastCode);
                state.save();
                return RailStep.preparing("transferFunds did not reach Paxum (" + e.getMessage() + "); sending later",
                    NOT_SENT_RETRY);
            }
            return RailStep.unknown(null, "transferFunds got no answer (" + e.getMessage()
                + "); looking it up in the history next", retryAfter);
        }
        return onTransferAnswer(payout, state, response);
    }

    private RailStep onTransferAnswer(RailPayout payout, RailState state, RailResponse response) {
        if (!response.isSuccess()) {
            return RailStep.unknown(null, "transferFunds answered HTTP " + response.status()
                + "; looking it up in the history next", retryAfter);
        }
        Map<String, String> answer;
        try {
            answer = PaxumXml.children(PaxumXml.root(response.body()));
        } catch (IllegalArgumentException e) {
            return RailStep.unknown(null, "transferFunds answer is not readable (" + e.getMessage()
                + "); looking it up in the history next", retryAfter);
        }
        String code = answer.getOrDefault("ResponseCode", "");
        String transactionId = emptyToNull(answer.get("TransactionId"));
        if (PaxumCodes.SUCCESS.equals(code) && transactionId != null) {
            state.put("phase", "settled").put("transaction_id", transactionId);
            state.save();
            return RailStep.settled(transactionId, "Paxum booked the transfer");
        }
        if (PaxumCodes.isDefinitiveRefusal(code)) {
            if (state.getLong("attempt", 1) < 2) {
                return fail(state, null, code, "Paxum refused the transfer: " + code + " " + PaxumCodes.meaning(code));
            }
            // an earlier attempt may have been booked (and be why this one is refused, e.g. 51): find out, never fail
            state.put("last_code", code).put("refused_resend", code);
            state.save();
            return RailStep.unknown(null, "Paxum refused attempt " + state.get("attempt") + " with " + code + " ("
                + PaxumCodes.meaning(code) + "), but an earlier attempt may have been booked; looking for reference "
                + state.get("reference") + " in the history, and sending nothing more", retryAfter);
        }
        state.put("last_code", code.isEmpty() ? "none" : code);
        state.save();
        return RailStep.unknown(null, "transferFunds answered code '" + code + "' (" + PaxumCodes.meaning(code)
            + (transactionId == null && PaxumCodes.SUCCESS.equals(code) ? ", without a TransactionId" : "")
            + "); looking it up in the history next", retryAfter);
    }

    private RailStep reconcile(RailPayout payout, RailState state) {
        String reference = state.get("reference");
        Instant sentAt = instant(state.get("sent_at"));
        History history;
        try {
            history = history(reference, sentAt);
        } catch (LookupException e) {
            return RailStep.unknown(null, "the transfer's outcome is unknown and the history is not readable: "
                + e.getMessage(), LOOKUP_RETRY);
        }
        if (history.matches().isEmpty()) {
            return absent(payout, state, history);
        }
        return found(payout, state, history.matches());
    }

    /** No history entry carries the reference: resend only when allowed and the absence is convincing. */
    private RailStep absent(RailPayout payout, RailState state, History history) {
        String reference = state.get("reference");
        String refused = state.get("refused_resend");
        if (!resendWhenHistoryEmpty || refused != null) {
            return RailStep.unknown(null, "transfer " + reference + " (attempt " + state.get("attempt")
                + (refused == null ? "" : ", the last one refused with " + refused)
                + ") is not in Paxum's history and is not sent again automatically: a person must look for reference "
                + reference + " in Paxum; if it is not there, fail the payout with POST /v1/payouts/" + payout.id()
                + "/events (type failed); if it appears, this payout settles by itself", PERSON_RECHECK);
        }
        Instant now = clock.instant();
        Instant due = instant(state.get("sent_at")).plus(retryAfter);
        if (!history.reachesBack()) {
            return RailStep.unknown(null, "Paxum's history page does not reach back before attempt "
                + state.get("attempt") + " of transfer " + reference + "; not sending it again on this page",
                PENDING_RECHECK);
        }
        String earlier = state.get("absent_seen_at");
        if (!now.isBefore(due) && earlier != null) {
            return send(payout, state);
        }
        if (earlier == null) {
            state.put("absent_seen_at", now.toString());
            state.save();
        }
        Duration wait = now.isBefore(due) ? Duration.between(now, due) : SECOND_LOOK;
        return RailStep.unknown(null, "transfer " + reference + " is not in Paxum's history (attempt "
            + state.get("attempt") + "); looking again before sending it again", wait);
    }

    /** The outcome of the history entries carrying the reference. */
    private RailStep found(RailPayout payout, RailState state, List<JsonNode> matches) {
        String reference = state.get("reference");
        for (JsonNode entry : matches) {
            String amount = text(entry, "amount");
            String currency = text(entry, "currency");
            if (!sameAmount(amount, payout.decimal()) || !currency.equalsIgnoreCase(payout.currency())) {
                return RailStep.unknown(text(entry, "id"), "Paxum's history has reference " + reference + " on "
                    + "transaction " + text(entry, "id") + " for " + amount + " " + currency + ", not "
                    + payout.decimal().toPlainString() + " " + payout.currency()
                    + ": a person must look at it; not sending again", PERSON_RECHECK);
            }
        }
        List<JsonNode> ranked = new ArrayList<>(matches);
        ranked.sort(Comparator.comparingInt(entry -> rank(status(entry))));
        List<JsonNode> live = ranked.stream().filter(entry -> rank(status(entry)) < FAILED_RANK).toList();
        if (live.isEmpty()) {
            JsonNode entry = ranked.get(0);
            String status = status(entry);
            return fail(state, text(entry, "id"), "history_" + status, "Paxum's history shows the transfer " + status
                + (matches.size() > 1 ? " (all " + matches.size() + " transfers with this reference)" : ""));
        }
        if (live.size() > 1) {
            String ids = live.stream().map(entry -> text(entry, "id") + " " + status(entry))
                .collect(Collectors.joining(", "));
            return RailStep.unknown(text(live.get(0), "id"), "Paxum's history shows " + live.size()
                + " transfers with reference " + reference + " that did not fail (" + ids + "): a person must look at "
                + "them; not sending again", PERSON_RECHECK);
        }
        JsonNode entry = live.get(0);
        String id = text(entry, "id");
        String status = status(entry);
        String also = matches.size() > 1 ? " (the other " + (matches.size() - 1) + " with this reference failed)" : "";
        switch (rank(status)) {
            case 0 -> {
                state.put("phase", "settled").put("transaction_id", id);
                state.save();
                return RailStep.settled(id, "found in Paxum's history as " + status + also);
            }
            case 1 -> {
                if (PENDING_STATUSES.contains(status)) {
                    return RailStep.submitted(id, "Paxum's history shows the transfer " + status + also,
                        PENDING_RECHECK);
                }
                return RailStep.unknown(id, "Paxum's history shows the transfer with status '" + status + "'" + also,
                    PENDING_RECHECK);
            }
            default -> {
                state.put("phase", "returned").put("transaction_id", id).put("code", "history_" + status)
                    .put("failure", "Paxum's history shows the transfer " + status);
                state.save();
                return RailStep.returned(id, "history_" + status, "Paxum's history shows the transfer " + status);
            }
        }
    }

    private static final Set<String> COMPLETED_STATUSES = Set.of("completed", "complete", "success", "successful",
        "approved", "settled");
    private static final Set<String> PENDING_STATUSES = Set.of("pending", "processing");
    private static final Set<String> REFUNDED_STATUSES = Set.of("refunded", "reversed", "returned");
    private static final Set<String> FAILED_STATUSES = Set.of("failed", "declined", "rejected", "cancelled",
        "canceled");
    private static final int FAILED_RANK = 3;

    /** 0 completed, 1 pending/processing/unknown, 2 refunded, 3 failed: the order a reference's entries count in. */
    private static int rank(String status) {
        if (COMPLETED_STATUSES.contains(status)) {
            return 0;
        }
        if (REFUNDED_STATUSES.contains(status)) {
            return 2;
        }
        if (FAILED_STATUSES.contains(status)) {
            return FAILED_RANK;
        }
        return 1;
    }

    private static String status(JsonNode entry) {
        return text(entry, "status").toLowerCase(Locale.ROOT);
    }

    /**
     * The paying account's balance in {@code currency} ({@code balanceInquiry}), or empty when the account holds no such
     * currency.
     *
     * @throws RailCallException when Paxum gave no answer, refused (the code is in the message) or answered unreadably
     */
    public Optional<PaxumBalance> balance(String currency) throws RailCallException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("method", "balanceInquiry");
        fields.put("fromEmail", fromEmail);
        fields.put("accountId", accountId);
        fields.put("key", PaxumSigning.legacyKey(sharedSecret, PaxumSigning.BALANCE_INQUIRY_KEY_FIELDS, fields));
        RailResponse response = http.send(form(fields));
        if (!response.isSuccess()) {
            throw new RailCallException("balanceInquiry answered HTTP " + response.status(), true, null);
        }
        try {
            Element root = PaxumXml.root(response.body());
            String code = PaxumXml.children(root).getOrDefault("ResponseCode", "");
            if (!PaxumCodes.SUCCESS.equals(code)) {
                throw new RailCallException("balanceInquiry answered code '" + code + "' (" + PaxumCodes.meaning(code)
                    + ")", true, null);
            }
            for (Element account : PaxumXml.all(root, "Account")) {
                Map<String, String> values = PaxumXml.children(account);
                if (currency.equalsIgnoreCase(values.getOrDefault("Currency", ""))) {
                    long cents = new BigDecimal(values.getOrDefault("Balance", "")).movePointRight(2).longValueExact();
                    return Optional.of(new PaxumBalance(values.getOrDefault("AccountId", accountId),
                        currency.toUpperCase(Locale.ROOT), cents));
                }
            }
            return Optional.empty();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RailCallException("balanceInquiry answer is not readable: " + e.getMessage(), true, null);
        }
    }

    /**
     * The entries of the history page carrying {@code reference} (as {@code reference} or as {@code note}), and
     * whether the page reaches back before {@code sentAt} (an entry created before it, or fewer entries than asked
     * for: the page is all there is).
     */
    private History history(String reference, Instant sentAt) throws LookupException {
        String pathAndQuery = "/v2/account/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8)
            + "/transactions?reference=" + URLEncoder.encode(reference, StandardCharsets.UTF_8)
            + "&limit=" + HISTORY_LIMIT;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(apiKeyHeader, apiKey);
        headers.put(signatureHeader, PaxumSigning.v2Signature(apiSecret, pathAndQuery));
        headers.put("Accept", "application/json");
        RailResponse response;
        try {
            response = http.send(RailRequest.get(apiV2 + pathAndQuery, headers, Set.of(apiKeyHeader,
                signatureHeader)));
        } catch (RailCallException e) {
            throw new LookupException(e.getMessage());
        }
        if (!response.isSuccess()) {
            throw new LookupException("the transaction list answered HTTP " + response.status());
        }
        JsonNode list;
        try {
            list = JSON.readTree(response.body()).path("transactions");
        } catch (IOException e) {
            throw new LookupException("the transaction list is not readable JSON");
        }
        if (!list.isArray()) {
            throw new LookupException("the transaction list has no 'transactions' array");
        }
        List<JsonNode> matches = new ArrayList<>();
        boolean olderSeen = false;
        int seen = 0;
        for (JsonNode entry : list) {
            if (++seen > HISTORY_LIMIT * 10) {
                break;
            }
            if (reference.equals(text(entry, "reference")) || reference.equals(text(entry, "note"))) {
                matches.add(entry);
            }
            Instant created = createdAt(text(entry, "created"));
            if (created != null && created.isBefore(sentAt)) {
                olderSeen = true;
            }
        }
        return new History(matches, olderSeen || list.size() < HISTORY_LIMIT);
    }

    /** A history page's entries for one reference, and whether the page covers the time before the attempt. */
    private record History(List<JsonNode> matches, boolean reachesBack) {
    }

    private static Instant createdAt(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private RailRequest form(Map<String, String> fields) {
        String body = fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        return new RailRequest("POST", api + PAYMENT_PATH,
            Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/xml"), Set.of(),
            body.getBytes(StandardCharsets.UTF_8), true);
    }

    private static RailStep fail(RailState state, String transactionId, String code, String reason) {
        state.put("phase", "failed").put("code", code).put("failure", reason).put("transaction_id", transactionId);
        state.save();
        return RailStep.failed(transactionId, code, reason);
    }

    private static boolean sameAmount(String text, BigDecimal expected) {
        try {
            return new BigDecimal(text).compareTo(expected) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            return Instant.EPOCH;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static final class LookupException extends Exception {
        LookupException(String message) {
            super(message, null, false, false);
        }
    }
}
