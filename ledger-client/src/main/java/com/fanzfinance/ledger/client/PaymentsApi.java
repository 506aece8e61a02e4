package com.fanzfinance.ledger.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The payments API of the ledger server, for platform services: open checkouts, follow the events feed,
 * keep payees and their compliance, request payouts, read a creator's balances. Objects come back as the
 * server's JSON ({@link JsonNode}), exactly as documented in the server's API reference; failures are
 * {@link LedgerProblemException}s carrying the server's problem type. Get one from {@link LedgerClient#payments()}.
 */
public final class PaymentsApi {
    /** The longest wait the server allows on {@code GET /v1/events}. */
    public static final int EVENTS_WAIT_SECONDS_MAX = 30;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LedgerClient client;

    PaymentsApi(LedgerClient client) {
        this.client = client;
    }

    /**
     * Opens a checkout ({@code POST /v1/checkouts}); {@code idempotencyKey} (1–64 printable ASCII) makes a
     * repeat of the same request answer the original checkout.
     */
    public JsonNode createCheckout(String idempotencyKey, ObjectNode request) {
        return call("POST", "/v1/checkouts", Objects.requireNonNull(request, "request"), requireKey(idempotencyKey));
    }

    /** The checkout, or empty if there is none (or the key may not see it). */
    public Optional<JsonNode> checkout(UUID id) {
        return lookup("/v1/checkouts/" + id);
    }

    /** A payment event ({@code GET /v1/payment-events/{id}}), or empty. */
    public Optional<JsonNode> paymentEvent(UUID id) {
        return lookup("/v1/payment-events/" + id);
    }

    /**
     * The events after {@code after} (null: from the oldest kept), of {@code types} (empty: all), at most
     * {@code limit}; with {@code waitSeconds} &gt; 0 the server holds the call until the first new event or
     * that many seconds. A consumer stores {@link EventsPage#nextAfter()} with the effects of the events it
     * has handled: delivery is at least once and in order.
     */
    public EventsPage events(String after, Collection<String> types, int limit, int waitSeconds) {
        if (waitSeconds < 0 || waitSeconds > EVENTS_WAIT_SECONDS_MAX) {
            throw new IllegalArgumentException("waitSeconds must be 0–" + EVENTS_WAIT_SECONDS_MAX);
        }
        StringBuilder path = new StringBuilder("/v1/events?limit=").append(limit);
        if (after != null) {
            path.append("&after=").append(encode(after));
        }
        if (types != null && !types.isEmpty()) {
            path.append("&types=").append(encode(String.join(",", types)));
        }
        if (waitSeconds > 0) {
            path.append("&wait_seconds=").append(waitSeconds);
        }
        JsonNode page = parse(client.json("GET", path.toString(), null, null, Duration.ofSeconds(waitSeconds + 15L)));
        List<Event> events = new ArrayList<>();
        for (JsonNode event : page.path("events")) {
            String source = event.path("source").asText();
            String tenant = source.startsWith("fanzfinance/") ? source.substring("fanzfinance/".length()) : source;
            events.add(new Event(event.path("id").asText(), event.path("type").asText(), tenant,
                event.path("subject").asText(), event.path("sequence").asText(), event.path("time").asText(),
                event.path("data")));
        }
        String next = page.path("next_after").isNull() || page.path("next_after").isMissingNode() ? after
            : page.path("next_after").asText();
        return new EventsPage(List.copyOf(events), next);
    }

    /** The payee of {@code creator} in {@code tenant}, or empty when there is none yet. */
    public Optional<JsonNode> payeeOf(String tenant, String creator) {
        JsonNode page = parse(client.json("GET", "/v1/payees?tenant=" + encode(tenant) + "&creator=" + encode(creator),
            null, null, null));
        JsonNode payees = page.path("payees");
        return payees.isArray() && payees.size() > 0 ? Optional.of(payees.get(0)) : Optional.empty();
    }

    /** Creates or updates a payee ({@code POST /v1/payees}; one per tenant × creator). */
    public JsonNode upsertPayee(ObjectNode payee) {
        return call("POST", "/v1/payees", Objects.requireNonNull(payee, "payee"), null);
    }

    /**
     * Sets a payee's compliance ({@code PUT /v1/payees/{id}/compliance}): {@code kyc} and {@code age} ∈
     * {@code unverified pending verified rejected}, {@code records2257} ∈ {@code missing on_file}.
     */
    public JsonNode setPayeeCompliance(UUID payeeId, String kyc, String age, String records2257, String reference) {
        ObjectNode body = MAPPER.createObjectNode().put("kyc", kyc).put("age", age).put("records_2257", records2257);
        if (reference != null) {
            body.put("reference", reference);
        }
        return call("PUT", "/v1/payees/" + payeeId + "/compliance", body, null);
    }

    /** Requests a payout of {@code amount} (minor units, or {@code "all"}); {@code idempotencyKey} is required. */
    public JsonNode requestPayout(String idempotencyKey, UUID payeeId, String amount, String currency) {
        ObjectNode body = MAPPER.createObjectNode().put("payee_id", payeeId.toString()).put("amount", amount)
            .put("currency", currency);
        return call("POST", "/v1/payouts", body, requireKey(idempotencyKey));
    }

    /** A creator's balances per currency ({@code GET /v1/creators/{tenant}/{creator}/balances}). */
    public JsonNode creatorBalances(String tenant, String creator) {
        return parse(client.json("GET", "/v1/creators/" + encode(tenant) + "/" + encode(creator) + "/balances", null,
            null, null));
    }

    /** One event of the feed: a CloudEvents envelope whose {@code data} is the object as its GET answers it. */
    public record Event(String id, String type, String tenant, String subject, String sequence, String time,
            JsonNode data) {
    }

    /** A page of the events feed and where the next one starts. */
    public record EventsPage(List<Event> events, String nextAfter) {
    }

    private JsonNode call(String method, String path, ObjectNode body, String idempotencyKey) {
        try {
            return parse(client.json(method, path, body == null ? null : MAPPER.writeValueAsBytes(body), idempotencyKey,
                null));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be written as JSON", e);
        }
    }

    private Optional<JsonNode> lookup(String path) {
        try {
            return Optional.of(parse(client.json("GET", path, null, null, null)));
        } catch (LedgerProblemException problem) {
            if (problem.status() == 404) {
                return Optional.empty();
            }
            throw problem;
        }
    }

    private static String requireKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > 64
                || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("an idempotency key is 1–64 printable ASCII characters");
        }
        return idempotencyKey;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the ledger's answer is not JSON", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
