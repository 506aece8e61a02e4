package com.fanzfinance.payouts.wise;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailResponse;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.fanzfinance.payouts.wise.WiseJson.instant;
import static com.fanzfinance.payouts.wise.WiseJson.text;

/**
 * Pays a bank account through Wise's Platform API, as a resumable state machine:
 * <ol>
 *   <li><b>Recipient:</b> the payee's {@code recipient_id} remembered from an earlier payout
 *       ({@link RailPayout#payeeMemo()}), else {@code POST /v1/accounts} from the destination, kept as
 *       {@code payee.recipient_id} so the server remembers it for the payee.</li>
 *   <li><b>Quote:</b> {@code POST /v3/profiles/{p}/quotes} for the payout's amount as {@code targetAmount}; a quote
 *       that expired (or expires within a minute) before the transfer exists is replaced.</li>
 *   <li><b>Transfer:</b> {@code POST /v1/transfers} with a {@code customerTransactionId} derived from the payout id (a
 *       name-based UUID, saved before the call). Wise answers a repeat with the same id with the existing transfer,
 *       so after a timeout the driver sends the same request again, with the same quote. Once a transfer request may
 *       have reached Wise unanswered, the quote is never replaced: if Wise then refuses the request (an expired
 *       quote), the payout stays UNKNOWN, asked again hourly, with a note telling a person what to look for in Wise.
 *       A quote that expired while a request surely never reached Wise is replaced and does not count toward the
 *       five quotes a payout may use.</li>
 *   <li><b>Fund:</b> {@code POST /v3/profiles/{p}/transfers/{id}/payments {"type":"BALANCE"}}: {@code COMPLETED} →
 *       SUBMITTED; {@code REJECTED} → the transfer is cancelled ({@code PUT /v1/transfers/{id}/cancel}) and the payout
 *       FAILED with Wise's {@code errorCode}. After an unclear funding call, or a 4xx refusal of it, the transfer is read
 *       first: funded again (unclear call) or cancelled (refusal) only while it still waits for its money, else
 *       followed. A cancel Wise refuses fails the payout only when the transfer reads {@code cancelled}; otherwise
 *       the transfer is followed (it may be funded).</li>
 *   <li><b>Follow:</b> {@code GET /v1/transfers/{id}}: {@code outgoing_payment_sent} → SETTLED, {@code cancelled} →
 *       FAILED, {@code bounced_back}/{@code funds_refunded}/{@code charged_back} → RETURNED (the step reports what the
 *       rail says; whether a return of a payout that was never reported settled is booked as a failure is the
 *       server's decision), other states → SUBMITTED, checked again in 10 minutes (webhooks make it sooner).</li>
 *   <li><b>After SETTLED:</b> a further call reads the transfer again and reports RETURNED for
 *       {@code bounced_back}/{@code funds_refunded}/{@code charged_back}, else SETTLED (the server keeps polling
 *       settled Wise payouts for a while).</li>
 * </ol>
 * A 4xx refusal before the transfer exists fails the payout with Wise's error code (except 401/403 and 429: the
 * account's credentials or rate, retried later); 5xx is retried later.
 *
 * <p>Settings: {@code profile_id} (required) the paying Wise profile; {@code environment} ({@code sandbox}, the
 * default, or {@code production}) picks the API base URL ({@code https://api.sandbox.transferwise.tech} or
 * {@code https://api.wise.com}) and the webhook key; {@code api_base_url} overrides the base URL (simulators);
 * {@code source_currency} the balance currency paid from (default: the payout's currency);
 * {@code webhook_public_key_pem} overrides Wise's webhook public key. Secret: {@code api_token} (sent as
 * {@code Authorization: Bearer}).
 *
 * <p>Assumption: Wise's error bodies carry {@code {"errors":[{"code": …}]}}; a transfer refused for its quote has an
 * error code containing {@code quote}, and funding an already funded transfer has a code containing {@code already}.
 */
public final class WiseRail implements PayoutRail {
    public static final String NAME = "wise";

    /** Setting names; see the class comment for their meaning and defaults. */
    public static final List<String> SETTINGS = List.of("profile_id", "environment", "api_base_url",
        "source_currency", "webhook_public_key_pem");
    /** Secret names: {@code api_token}. */
    public static final List<String> SECRETS = List.of("api_token");

    static final String SANDBOX_URL = "https://api.sandbox.transferwise.tech";
    static final String PRODUCTION_URL = "https://api.wise.com";
    private static final Duration POLL = Duration.ofMinutes(10);
    private static final Duration LATER = Duration.ofMinutes(5);
    private static final Duration CREDENTIALS_LATER = Duration.ofMinutes(30);
    private static final Duration PERSON_RECHECK = Duration.ofHours(1);
    private static final Duration QUOTE_MARGIN = Duration.ofMinutes(1);
    private static final Duration QUOTE_LIFE = Duration.ofMinutes(30);
    private static final int MAX_QUOTES = 5;
    private static final int REFERENCE_CHARS = 10;
    private static final Set<String> RETURNED_STATES = Set.of("bounced_back", "funds_refunded", "charged_back");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RailHttp http;
    private final Clock clock;
    private final String profileId;
    private final String baseUrl;
    private final String sourceCurrency;
    private final PublicKey webhookKey;
    private final String token;

    public WiseRail(RailAccount account, RailHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
        this.profileId = account.requiredSetting("profile_id");
        String environment = account.setting("environment", "sandbox");
        if (!environment.equals("sandbox") && !environment.equals("production")) {
            throw new RailConfigurationException("wise account " + account.id()
                + " setting 'environment' must be sandbox or production");
        }
        String url = account.setting("api_base_url",
            environment.equals("production") ? PRODUCTION_URL : SANDBOX_URL);
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.sourceCurrency = account.setting("source_currency").orElse(null);
        try {
            this.webhookKey = WiseWebhooks.keyFor(environment, account.setting("webhook_public_key_pem").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new RailConfigurationException("wise account " + account.id()
                + " setting 'webhook_public_key_pem' is not an RSA public key", e);
        }
        this.token = account.requiredSecret("api_token");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The key this account's webhooks are checked with ({@link WiseWebhooks#verify}). */
    public PublicKey webhookPublicKey() {
        return webhookKey;
    }

    /** The {@code customerTransactionId} of a payout: the same UUID for the same payout, always. */
    public static UUID customerTransactionId(UUID payoutId) {
        return UUID.nameUUIDFromBytes(("fanzfinance wise payout " + payoutId).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public RailStep advance(RailPayout payout, RailState state) {
        String phase = state.getOrDefault("phase", "new");
        switch (phase) {
            case "settled":
                return afterSettled(state);
            case "failed":
                return RailStep.failed(state.get("transfer_id"), state.get("code"), state.get("failure"));
            case "returned":
                return RailStep.returned(state.get("transfer_id"), state.get("code"), state.get("failure"));
            case "cancelling":
                return cancel(state);
            case "fund_refused":
                return afterRefusedFunding(state);
            case "cancel_refused":
                return afterRefusedCancel(state);
            default:
                break;
        }
        if (state.get("transfer_id") == null) {
            RailStep stop = recipient(payout, state);
            if (stop != null) {
                return stop;
            }
            // after a transfer request that may have reached Wise, retries reuse its quote (never a new one)
            if (!transferUnclear(state) || state.get("quote_id") == null) {
                stop = quote(payout, state);
                if (stop != null) {
                    return stop;
                }
            }
            stop = transfer(payout, state);
            if (stop != null) {
                return stop;
            }
        }
        phase = state.get("phase");
        if (phase.equals("fund_sent")) {
            RailStep stop = afterUnclearFunding(state);
            if (stop != null) {
                return stop;
            }
            phase = state.get("phase");
        }
        if (phase.equals("created")) {
            return fund(state);
        }
        return follow(state);
    }

    private RailStep recipient(RailPayout payout, RailState state) {
        String known = payout.payeeMemo().get("recipient_id");
        if (known != null && state.get(RailState.PAYEE_PREFIX + "recipient_id") == null) {
            state.put(RailState.PAYEE_PREFIX + "recipient_id", known);
        }
        if (state.get(RailState.PAYEE_PREFIX + "recipient_id") != null) {
            return null;
        }
        Map<String, String> destination = payout.destination();
        String type = destination.get("type");
        String holder = destination.getOrDefault("account_holder_name", payout.payeeName());
        if (type == null || holder == null) {
            return fail(state, "destination", "the payee's Wise destination has no " + (type == null ? "type"
                : "account_holder_name"));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("currency", payout.currency());
        body.put("type", type);
        putNumberOrText(body, "profile", profileId);
        body.put("ownedByCustomer", false);
        body.put("accountHolderName", holder);
        ObjectNode details = body.putObject("details");
        details.put("legalType", destination.getOrDefault("legal_type", "PRIVATE"));
        destination.forEach((key, value) -> {
            if (key.startsWith("details.") && key.length() > "details.".length()) {
                ObjectNode target = details;
                String[] parts = key.substring("details.".length()).split("\\.");
                for (int i = 0; i < parts.length - 1; i++) {
                    JsonNode child = target.get(parts[i]);
                    target = child instanceof ObjectNode object ? object : target.putObject(parts[i]);
                }
                target.put(parts[parts.length - 1], value);
            }
        });
        Answer answer = call("POST", "/v1/accounts", body);
        if (!answer.ok()) {
            return beforeTransfer(state, answer);
        }
        String id = text(answer.json(), "id");
        if (id == null) {
            return RailStep.preparing("Wise made a recipient but named no id; trying again", LATER);
        }
        state.put(RailState.PAYEE_PREFIX + "recipient_id", id);
        state.save();
        return null;
    }

    private RailStep quote(RailPayout payout, RailState state) {
        String quoteId = state.get("quote_id");
        Instant expires = instant(state.get("quote_expires_at"));
        Instant now = clock.instant();
        if (quoteId != null && expires != null && now.plus(QUOTE_MARGIN).isBefore(expires)) {
            return null;
        }
        long quotes = state.getLong("quotes", 0);
        // a quote replacing one that merely expired while a transfer request that surely never reached Wise was
        // retried does not count; the first quote and those replacing a quote Wise refused do
        boolean counts = state.get("customer_transaction_id") == null || state.get("quote_refused") != null;
        if (quotes >= MAX_QUOTES) {
            return fail(state, "quote_renewals", "Wise refused " + quotes + " quotes for this payout in a row");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("sourceCurrency", sourceCurrency == null ? payout.currency() : sourceCurrency);
        body.put("targetCurrency", payout.currency());
        body.putNull("sourceAmount");
        body.put("targetAmount", payout.decimal());
        putNumberOrText(body, "targetAccount", state.get(RailState.PAYEE_PREFIX + "recipient_id"));
        Answer answer = call("POST", "/v3/profiles/" + profileId + "/quotes", body);
        if (!answer.ok()) {
            return beforeTransfer(state, answer);
        }
        String id = text(answer.json(), "id");
        if (id == null) {
            return RailStep.preparing("Wise's quote has no id; asking again", LATER);
        }
        Instant expiry = instant(text(answer.json(), "expirationTime"));
        state.put("quote_id", id).put("quotes", quotes + (counts ? 1 : 0)).put("quote_refused", null)
            .put("quote_expires_at", (expiry == null ? now.plus(QUOTE_LIFE) : expiry).toString());
        state.save();
        return null;
    }

    private RailStep transfer(RailPayout payout, RailState state) {
        String customerTransactionId = customerTransactionId(payout.id()).toString();
        boolean earlierUnclear = transferUnclear(state);
        state.put("customer_transaction_id", customerTransactionId).put("phase", "transfer_sent")
            .put("transfer_unclear", "true");
        state.save();
        ObjectNode body = JSON.createObjectNode();
        putNumberOrText(body, "targetAccount", state.get(RailState.PAYEE_PREFIX + "recipient_id"));
        body.put("quoteUuid", state.get("quote_id"));
        body.put("customerTransactionId", customerTransactionId);
        body.putObject("details").put("reference", payout.compactId().substring(0, REFERENCE_CHARS));
        RailResponse response;
        try {
            response = send("POST", "/v1/transfers", body);
        } catch (RailCallException e) {
            if (e.mayHaveArrived()) {
                return RailStep.unknown(null, "creating the transfer got no answer (" + e.getMessage()
                    + "); asking again with the same customerTransactionId and quote", Duration.ofSeconds(30));
            }
            state.put("transfer_unclear", Boolean.toString(earlierUnclear));
            state.save();
            return earlierUnclear
                ? RailStep.unknown(null, "creating the transfer did not reach Wise (" + e.getMessage() + "); an earlier"
                    + " request may have: asking again with the same customerTransactionId and quote", LATER)
                : RailStep.preparing("creating the transfer did not reach Wise (" + e.getMessage() + ")", LATER);
        }
        JsonNode json = json(response);
        if (response.isSuccess()) {
            String id = text(json, "id");
            if (id == null) {
                return RailStep.unknown(null, "Wise's transfer answer has no id; asking again", LATER);
            }
            state.put("transfer_id", id).put("phase", "created").put("transfer_status", text(json, "status"))
                .put("transfer_unclear", "false");
            state.save();
            return null;
        }
        String code = errorCode(json, response.status());
        int status = response.status();
        boolean refused = status >= 400 && status < 500 && status != 401 && status != 403 && status != 429;
        if (earlierUnclear) {
            // an earlier request with this customerTransactionId may have made the transfer: no new quote, no failure
            if (refused) {
                return RailStep.unknown(null, "Wise refused creating the transfer (HTTP " + status + ", " + code
                    + ") but an earlier request may have reached Wise: a person must look in Wise for a transfer with"
                    + " customerTransactionId " + customerTransactionId + " (reference "
                    + payout.compactId().substring(0, REFERENCE_CHARS) + "); if there is none, fail the payout with"
                    + " POST /v1/payouts/" + payout.id() + "/events (type failed); the driver keeps asking with the"
                    + " same customerTransactionId and quote", PERSON_RECHECK);
            }
            return RailStep.unknown(null, "creating the transfer answered HTTP " + status + " (" + code
                + "); an earlier request may have reached Wise: asking again with the same customerTransactionId",
                status == 401 || status == 403 ? CREDENTIALS_LATER : LATER);
        }
        if (status < 500 && status != 429) {
            // a definite answer: this request made no transfer, and no earlier one may have
            state.put("transfer_unclear", "false");
        }
        if (refused && code.toLowerCase(Locale.ROOT).contains("quote")) {
            state.put("quote_id", null).put("quote_expires_at", null).put("phase", "new").put("quote_refused", code);
            state.save();
            return RailStep.preparing("Wise refused the quote (" + code + "); a new quote next", Duration.ZERO);
        }
        state.save();
        return refusal(state, response, code, "creating the transfer");
    }

    /**
     * Whether a request to create the transfer may have reached Wise without its answer reaching us ({@code phase}
     * {@code transfer_sent} saved by a driver that did not yet record this counts as unclear).
     */
    private static boolean transferUnclear(RailState state) {
        String unclear = state.get("transfer_unclear");
        return unclear == null ? "transfer_sent".equals(state.get("phase")) : unclear.equals("true");
    }

    private RailStep fund(RailState state) {
        String transferId = state.get("transfer_id");
        state.put("phase", "fund_sent");
        state.save();
        ObjectNode body = JSON.createObjectNode().put("type", "BALANCE");
        RailResponse response;
        try {
            response = send("POST", "/v3/profiles/" + profileId + "/transfers/" + transferId + "/payments", body);
        } catch (RailCallException e) {
            if (!e.mayHaveArrived()) {
                state.put("phase", "created");
                state.save();
                return RailStep.preparing("funding did not reach Wise (" + e.getMessage() + ")", LATER);
            }
            return RailStep.unknown(transferId, "funding got no answer (" + e.getMessage()
                + "); reading the transfer next", Duration.ofSeconds(30));
        }
        JsonNode json = json(response);
        if (response.isSuccess()) {
            String status = text(json, "status");
            if ("COMPLETED".equals(status)) {
                state.put("phase", "funded");
                state.save();
                return RailStep.submitted(transferId, "Wise took the money from the balance", POLL);
            }
            if ("REJECTED".equals(status)) {
                String code = text(json, "errorCode");
                return startCancel(state, code == null ? "REJECTED" : code, "Wise rejected funding from the balance");
            }
            return RailStep.unknown(transferId, "funding answered status '" + status + "'; reading the transfer next",
                LATER);
        }
        String code = errorCode(json, response.status());
        if (response.status() >= 400 && response.status() < 500
            && code.toLowerCase(Locale.ROOT).contains("already")) {
            state.put("phase", "funded");
            state.save();
            return RailStep.submitted(transferId, "the transfer was already funded", POLL);
        }
        if (response.status() == 429 || response.status() >= 500 || response.status() == 401
            || response.status() == 403) {
            return RailStep.unknown(transferId, "funding answered HTTP " + response.status()
                + "; reading the transfer next", LATER);
        }
        // the transfer may be funded after all (or funding may be what failed): read it before cancelling anything
        state.put("phase", "fund_refused").put("code", code).put("failure", "Wise refused funding (" + code + ")");
        state.save();
        return afterRefusedFunding(state);
    }

    /** A transfer's status as read after a refusal, or the step to answer when it could not be read. */
    private record TransferRead(String status, RailStep unreadable) {
    }

    private TransferRead readAfterFailure(RailState state, String then) {
        String transferId = state.get("transfer_id");
        Answer answer = call("GET", "/v1/transfers/" + transferId, null);
        if (!answer.ok()) {
            return new TransferRead(null, RailStep.unknown(transferId, state.get("failure")
                + " and the transfer is not readable: " + answer.problem() + then, LATER));
        }
        return new TransferRead(String.valueOf(text(answer.json(), "status")), null);
    }

    /** Funding answered a 4xx refusal: cancel only a transfer that still waits for its money. */
    private RailStep afterRefusedFunding(RailState state) {
        TransferRead read = readAfterFailure(state, "; reading it again before cancelling");
        if (read.unreadable() != null) {
            return read.unreadable();
        }
        String status = read.status();
        if (status.equals("incoming_payment_waiting")) {
            return startCancel(state, state.get("code"), "Wise refused funding");
        }
        if (status.equals("cancelled")) {
            return fail(state, state.get("code"), state.get("failure") + "; the transfer is cancelled");
        }
        state.put("phase", "funded").put("code", null).put("failure", null);
        state.save();
        return follow(state);
    }

    /** Wise refused to cancel: FAILED only when the transfer is cancelled, else it is followed (it may be funded). */
    private RailStep afterRefusedCancel(RailState state) {
        TransferRead read = readAfterFailure(state, "; reading it again");
        if (read.unreadable() != null) {
            return read.unreadable();
        }
        String status = read.status();
        if (status.equals("cancelled")) {
            return fail(state, state.get("code"), state.get("failure") + "; the transfer is cancelled");
        }
        state.put("phase", "funded").put("code", null).put("failure", null);
        state.save();
        RailStep followed = follow(state);
        if (followed.status() == RailStatus.SUBMITTED) {
            return RailStep.submitted(state.get("transfer_id"), "Wise refused to cancel the transfer, which is "
                + status + ": following it (it may be funded)", followed.checkAgainIn());
        }
        return followed;
    }

    /** A settled payout is polled again: Wise may still report the money returned. */
    private RailStep afterSettled(RailState state) {
        String transferId = state.get("transfer_id");
        Answer answer = call("GET", "/v1/transfers/" + transferId, null);
        if (!answer.ok()) {
            return RailStep.settled(transferId, "Wise sent the money (the transfer is not readable now: "
                + answer.problem() + ")");
        }
        String status = String.valueOf(text(answer.json(), "status"));
        if (RETURNED_STATES.contains(status)) {
            state.put("phase", "returned").put("transfer_status", status).put("code", status)
                .put("failure", "Wise reports the transfer " + status + " after sending it");
            state.save();
            return RailStep.returned(transferId, status, "Wise reports the transfer " + status + " after sending it");
        }
        return RailStep.settled(transferId, "Wise sent the money" + (status.equals("outgoing_payment_sent") ? ""
            : " (the transfer is now " + status + ")"));
    }

    private RailStep afterUnclearFunding(RailState state) {
        String transferId = state.get("transfer_id");
        Answer answer = call("GET", "/v1/transfers/" + transferId, null);
        if (!answer.ok()) {
            return RailStep.unknown(transferId, "funding is unclear and the transfer is not readable: "
                + answer.problem(), LATER);
        }
        String status = text(answer.json(), "status");
        if ("incoming_payment_waiting".equals(status)) {
            state.put("phase", "created");
        } else {
            state.put("phase", "funded");
        }
        state.save();
        return null;
    }

    private RailStep follow(RailState state) {
        String transferId = state.get("transfer_id");
        Answer answer = call("GET", "/v1/transfers/" + transferId, null);
        if (!answer.ok()) {
            return RailStep.submitted(transferId, "the transfer is not readable now: " + answer.problem(), LATER);
        }
        String status = text(answer.json(), "status");
        status = status == null ? "" : status;
        state.put("transfer_status", status);
        if (status.equals("outgoing_payment_sent")) {
            state.put("phase", "settled");
            state.save();
            return RailStep.settled(transferId, "Wise sent the money");
        }
        if (status.equals("cancelled")) {
            return fail(state, "cancelled", "Wise cancelled the transfer");
        }
        if (RETURNED_STATES.contains(status)) {
            state.put("phase", "returned").put("code", status).put("failure", "Wise reports the transfer " + status);
            state.save();
            return RailStep.returned(transferId, status, "Wise reports the transfer " + status);
        }
        state.save();
        return RailStep.submitted(transferId, "the transfer is " + status, POLL);
    }

    private RailStep startCancel(RailState state, String code, String reason) {
        state.put("phase", "cancelling").put("code", code).put("failure", reason + " (" + code + ")");
        state.save();
        return cancel(state);
    }

    private RailStep cancel(RailState state) {
        String transferId = state.get("transfer_id");
        RailResponse response;
        try {
            response = send("PUT", "/v1/transfers/" + transferId + "/cancel", null);
        } catch (RailCallException e) {
            return RailStep.unknown(transferId, "cancelling the unfunded transfer got no answer ("
                + e.getMessage() + "); trying again", LATER);
        }
        if (response.status() == 429 || response.status() >= 500) {
            return RailStep.unknown(transferId, "cancelling the unfunded transfer answered HTTP " + response.status()
                + "; trying again", LATER);
        }
        if (!response.isSuccess()) {
            state.put("phase", "cancel_refused").put("failure", state.get("failure")
                + "; Wise refused to cancel the transfer (HTTP " + response.status() + ", "
                + errorCode(json(response), response.status()) + ")");
            state.save();
            return afterRefusedCancel(state);
        }
        String failure = state.get("failure") + "; transfer cancelled";
        state.put("phase", "failed").put("failure", failure);
        state.save();
        return RailStep.failed(transferId, state.get("code"), failure);
    }

    private RailStep refusal(RailState state, RailResponse response, String code, String what) {
        int status = response.status();
        if (status == 429 || status >= 500) {
            return RailStep.preparing(what + " answered HTTP " + status + "; trying later", LATER);
        }
        if (status == 401 || status == 403) {
            return RailStep.preparing(what + ": Wise refused our credentials (HTTP " + status + "); trying later",
                CREDENTIALS_LATER);
        }
        if (status >= 400 && status < 500) {
            return fail(state, code, "Wise refused " + what + " (HTTP " + status + ", " + code + ")");
        }
        return RailStep.preparing(what + " answered HTTP " + status + "; trying later", LATER);
    }

    /** A call's outcome: the answer (any status) or the exception that left it without one. */
    private record Answer(String what, JsonNode json, RailResponse response, RailCallException error) {
        boolean ok() {
            return response != null && response.isSuccess();
        }

        String problem() {
            return error != null ? what + " got no answer (" + error.getMessage() + ")"
                : what + " answered HTTP " + response.status();
        }
    }

    private Answer call(String method, String path, ObjectNode body) {
        String what = method + " " + path.replaceAll("/[0-9a-fA-F-]{4,}", "/…");
        try {
            RailResponse response = send(method, path, body);
            return new Answer(what, json(response), response, null);
        } catch (RailCallException e) {
            return new Answer(what, JSON.missingNode(), null, e);
        }
    }

    /** A failed call before the transfer exists: nothing can have moved money, so a 4xx refusal fails the payout. */
    private RailStep beforeTransfer(RailState state, Answer answer) {
        if (answer.error() != null) {
            return RailStep.preparing(answer.problem() + "; trying later", LATER);
        }
        return refusal(state, answer.response(), errorCode(answer.json(), answer.response().status()), answer.what());
    }

    private RailResponse send(String method, String path, ObjectNode body) throws RailCallException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json");
        Set<String> secret = Set.of("Authorization");
        if (body == null) {
            return http.send(method.equals("GET") ? RailRequest.get(baseUrl + path, headers, secret)
                : new RailRequest(method, baseUrl + path, headers, secret, new byte[0], false));
        }
        headers.put("Content-Type", "application/json");
        // a recipient's body holds the payee's bank account (IBAN, account number): never shown
        boolean secretBody = path.equals("/v1/accounts");
        return http.send(new RailRequest(method, baseUrl + path, headers, secret,
            body.toString().getBytes(StandardCharsets.UTF_8), secretBody));
    }

    private RailStep fail(RailState state, String code, String reason) {
        state.put("phase", "failed").put("code", code).put("failure", reason);
        state.save();
        return RailStep.failed(state.get("transfer_id"), code, reason);
    }

    private static JsonNode json(RailResponse response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String errorCode(JsonNode json, int status) {
        JsonNode errors = json.path("errors");
        if (errors.isArray() && errors.size() > 0 && errors.get(0).hasNonNull("code")) {
            return errors.get(0).get("code").asText();
        }
        if (json.hasNonNull("code")) {
            return json.get("code").asText();
        }
        if (json.hasNonNull("error") && json.get("error").isTextual()) {
            return json.get("error").asText();
        }
        return "http_" + status;
    }

    private static void putNumberOrText(ObjectNode node, String field, String value) {
        if (value != null && value.matches("[0-9]{1,18}")) {
            node.put(field, Long.parseLong(value));
        } else {
            node.put(field, value);
        }
    }

}
