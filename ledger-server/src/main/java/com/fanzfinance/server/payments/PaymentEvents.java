package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.server.payments.schema.tables.records.PaymentEventsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;

/**
 * The notification inbox: every notification as it arrived (method, path, query, headers, body, peer, time) and
 * what was decided about it. Rows are never deleted; {@code history} records each status with its reason.
 */
public final class PaymentEvents {
    public static final Set<String> STATUSES = Set.of("received", "posted", "recorded", "duplicate", "rejected", "parked",
        "ignored", "failed");
    /** Statuses a replay may start from. */
    static final Set<String> REPLAYABLE = Set.of("rejected", "failed", "parked", "ignored");
    private static final Set<String> REDACTED_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final DSLContext dsl;

    public PaymentEvents(DSLContext dsl) {
        this.dsl = dsl;
    }

    public DSLContext dsl() {
        return dsl;
    }

    public Optional<PaymentEventsRecord> get(UUID id) {
        return Optional.ofNullable(dsl.selectFrom(PAYMENT_EVENTS).where(PAYMENT_EVENTS.ID.eq(id)).fetchOne());
    }

    /** The notification a stored event was made from, exactly as received. */
    public static Notification notification(PaymentEventsRecord row) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (List<String> pair : readHeaders(row.getRawHeaders())) {
            headers.add(Map.entry(pair.get(0), pair.get(1)));
        }
        return new Notification(row.getRawMethod(), row.getRawPath(), row.getRawQuery(), headers, row.getRawBody(),
            row.getPeer(), row.getReceivedAt().toInstant());
    }

    static String writeHeaders(List<Map.Entry<String, String>> headers) {
        List<List<String>> pairs = new ArrayList<>();
        headers.forEach(header -> pairs.add(List.of(header.getKey(), header.getValue())));
        return MerchantAccounts.write(pairs);
    }

    private static List<List<String>> readHeaders(String json) {
        try {
            return Fields.JSON.readValue(json, new TypeReference<List<List<String>>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String appendHistory(String historyJson, String status, String reason, Instant at) {
        try {
            ArrayNode history = (ArrayNode) Fields.JSON.readTree(historyJson);
            ObjectNode entry = history.addObject();
            entry.put("status", status);
            entry.put("reason", reason);
            entry.put("at", at.toString());
            return Fields.JSON.writeValueAsString(history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of events, filtered, in creation order (or reversed). */
    public List<PaymentEventsRecord> list(Condition condition, long afterSeq, boolean reversed, int limit) {
        Condition where = condition;
        if (afterSeq > 0) {
            where = where.and(reversed ? PAYMENT_EVENTS.SEQ.lt(afterSeq) : PAYMENT_EVENTS.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(PAYMENT_EVENTS).where(where)
            .orderBy(reversed ? PAYMENT_EVENTS.SEQ.desc() : PAYMENT_EVENTS.SEQ.asc()).limit(limit).fetch();
    }

    /** The event as the API shows it (§4 of the contract); {@code detailed} adds history and the raw notification. */
    public static ObjectNode toJson(PaymentEventsRecord row, boolean detailed) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("id", row.getId().toString());
        json.put("merchant_account_id", row.getMerchantAccountId().toString());
        json.put("processor", row.getProcessor());
        json.put("tenant", row.getTenant());
        json.put("creator", row.getCreator());
        json.put("fan", row.getFan());
        json.put("checkout_id", text(row.getCheckoutId()));
        json.put("product", row.getProduct());
        json.put("kind", row.getKind());
        json.put("status", row.getStatus());
        json.put("status_reason", row.getStatusReason());
        json.put("processor_event_type", row.getProcessorEventType());
        json.put("processor_transaction_id", row.getProcessorTransactionId());
        json.put("processor_subscription_id", row.getProcessorSubscriptionId());
        json.put("parent_event_id", text(row.getParentEventId()));
        json.put("dedupe_key", row.getDedupeKey());
        json.put("duplicate_of", text(row.getDuplicateOf()));
        json.put("gross", row.getGross() == null ? null : row.getGross().toString());
        json.put("fee", row.getFee() == null ? null : row.getFee().toString());
        json.put("currency", row.getCurrency());
        if (row.getPlatformShareBp() == null) {
            json.putNull("platform_share_bp");
        } else {
            json.put("platform_share_bp", row.getPlatformShareBp());
        }
        json.put("referrer", row.getReferrer());
        json.put("settlement_amount", row.getSettlementAmount());
        json.put("settlement_currency", row.getSettlementCurrency());
        json.put("conversion_rate", row.getConversionRate());
        json.put("card_network", row.getCardNetwork());
        try {
            json.set("warnings", Fields.JSON.readTree(row.getWarnings()));
            json.set("transfer_ids", Fields.JSON.readTree(row.getTransferIds()));
            if (detailed) {
                json.set("history", Fields.JSON.readTree(row.getHistory()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.put("verified_with", row.getVerifiedWith());
        json.put("occurred_at", row.getOccurredAt() == null ? row.getReceivedAt().toInstant().toString()
            : row.getOccurredAt().toInstant().toString());
        json.put("received_at", row.getReceivedAt().toInstant().toString());
        if (detailed) {
            ObjectNode raw = json.putObject("raw");
            raw.put("method", row.getRawMethod());
            raw.put("path", row.getRawPath());
            raw.put("query", row.getRawQuery());
            ArrayNode headers = raw.putArray("headers");
            for (List<String> pair : readHeaders(row.getRawHeaders())) {
                String value = REDACTED_HEADERS.contains(pair.get(0).toLowerCase(java.util.Locale.ROOT)) ? "(redacted)" : pair.get(1);
                headers.addArray().add(pair.get(0)).add(value);
            }
            raw.put("body_base64", Base64.getEncoder().encodeToString(row.getRawBody()));
            raw.put("body", utf8(row.getRawBody()));
            raw.put("peer", row.getPeer());
        }
        return json;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static Condition isTenantIn(Set<String> tenants) {
        return tenants == null ? DSL.noCondition() : PAYMENT_EVENTS.TENANT.in(tenants);
    }
}
