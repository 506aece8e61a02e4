package com.fanzfinance.server.payments.payouts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.wise.WiseEvent;
import com.fanzfinance.payouts.wise.WiseWebhooks;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.schema.tables.records.PayoutsRecord;
import com.fanzfinance.server.payments.schema.tables.records.RailNotificationsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.RAIL_NOTIFICATIONS;

/**
 * Wise's webhooks at {@code /hooks/wise/{merchant_account_id}} (PAYMENTS-API §6): the {@code X-Signature-SHA256}
 * header verified over the raw body with Wise's key of the account's environment (or {@code webhook_public_key_pem}),
 * deduplicated by {@code X-Delivery-Id}, stored, and applied to the payout whose {@code rail_reference} is the
 * transfer id: {@code transfers#state-change} to {@code outgoing_payment_sent} settles it; to {@code bounced_back},
 * {@code funds_refunded} or {@code charged_back} returns it (fails it before settlement); to {@code cancelled} fails
 * it; {@code transfers#payout-failure} fails it; {@code transfers#refund} returns it; anything else is recorded. A
 * notification for a transfer no payout carries yet is parked and applied when a payout gets that reference.
 */
public final class WiseHooks {
    private static final Logger LOG = LoggerFactory.getLogger(WiseHooks.class);
    /** Most notifications parked per account: past it a new one for an unknown transfer is ignored (and logged). */
    static final int PARKED_MAX = 10_000;
    private final DSLContext dsl;
    private final Payouts payouts;
    private final java.time.Duration parkedFor;
    private final com.fanzfinance.server.payments.Currencies currencies;
    private final java.time.Clock clock;

    /** @param parkedFor how long a notification for a transfer no payout has waits ({@code FANZ_PAYMENTS_PARKED_DAYS}) */
    public WiseHooks(DSLContext dsl, Payouts payouts, com.fanzfinance.server.payments.Currencies currencies,
                     java.time.Duration parkedFor, java.time.Clock clock) {
        this.dsl = dsl;
        this.currencies = currencies;
        this.payouts = payouts;
        this.parkedFor = parkedFor;
        this.clock = clock;
    }

    /** What the hook answered: the stored notification's id and status. */
    public record Received(UUID id, String status, boolean duplicate) {
    }

    /**
     * Takes one delivery. An unauthentic one is refused (401 {@code webhook-unauthenticated}) and not stored; a
     * repeat of a delivery id answers the first's outcome.
     */
    public Received receive(MerchantAccounts.Account account, Map<String, String> headers, byte[] body) {
        String signature = header(headers, "X-Signature-SHA256");
        PublicKey key = key(account);
        if (signature == null || !WiseWebhooks.verify(body, signature, key)) {
            throw new Problem(401, "webhook-unauthenticated", "Unauthorized", "the notification is not authentic for"
                + " this account (X-Signature-SHA256 does not verify with Wise's " + account.settings()
                .getOrDefault("environment", "configured") + " key)", null);
        }
        String bodyHash = sha256(body);
        String deliveryId = Optional.ofNullable(header(headers, "X-Delivery-Id")).filter(value -> value.length() <= 128)
            .orElse("-") + "/" + bodyHash;
        RailNotificationsRecord earlier = find(account.id(), deliveryId);
        if (earlier != null) {
            if (earlier.getStatus().equals("received")) {
                reapply(account.id(), earlier);
                earlier = find(account.id(), deliveryId);
            }
            return new Received(earlier.getId(), earlier.getStatus(), true);
        }
        WiseEvent event;
        try {
            event = WiseWebhooks.parse(body);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-field", "the notification is not a Wise event: " + e.getMessage(), null);
        }
        String profile = account.settings().get("profile_id");
        if (event.profileId() != null && profile != null && !event.profileId().equals(profile)) {
            // Wise signs every customer's notifications with one key: one of another profile is not this account's
            throw new Problem(401, "webhook-unauthenticated", "Unauthorized", "the notification is for Wise profile "
                + clip(event.profileId(), 20) + ", not this account's", null);
        }
        boolean test = "true".equalsIgnoreCase(header(headers, "X-Test-Notification"));
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        int inserted = dsl.insertInto(RAIL_NOTIFICATIONS).set(RAIL_NOTIFICATIONS.ID, id)
            .set(RAIL_NOTIFICATIONS.MERCHANT_ACCOUNT_ID, account.id()).set(RAIL_NOTIFICATIONS.DELIVERY_ID, deliveryId)
            .set(RAIL_NOTIFICATIONS.EVENT_TYPE, clip(event.eventType(), 64))
            .set(RAIL_NOTIFICATIONS.RESOURCE_ID, event.resourceId() == null || event.resourceId().length() > 64 ? null
                : event.resourceId())
            .set(RAIL_NOTIFICATIONS.STATE, clip(event.currentState(), 64))
            .set(RAIL_NOTIFICATIONS.OCCURRED_AT, event.occurredAt() == null ? null : event.occurredAt().atOffset(ZoneOffset.UTC))
            .set(RAIL_NOTIFICATIONS.STATUS, test ? "recorded" : "received")
            .set(RAIL_NOTIFICATIONS.STATUS_REASON, test ? "a test notification (X-Test-Notification)" : null)
            .set(RAIL_NOTIFICATIONS.BODY, new String(body, StandardCharsets.UTF_8))
            .set(RAIL_NOTIFICATIONS.RECEIVED, now).set(RAIL_NOTIFICATIONS.UPDATED, now)
            .onConflictDoNothing().execute();
        if (inserted == 0) {
            RailNotificationsRecord winner = find(account.id(), deliveryId);
            return new Received(winner.getId(), winner.getStatus(), true);
        }
        if (!test) {
            apply(account.id(), id, event);
        }
        RailNotificationsRecord stored = dsl.selectFrom(RAIL_NOTIFICATIONS).where(RAIL_NOTIFICATIONS.ID.eq(id)).fetchOne();
        return new Received(id, stored.getStatus(), false);
    }

    /** Applies the notifications parked for {@code reference} of the account, oldest event first. */
    public int applyParked(UUID accountId, String reference) {
        List<RailNotificationsRecord> parked = dsl.selectFrom(RAIL_NOTIFICATIONS)
            .where(RAIL_NOTIFICATIONS.MERCHANT_ACCOUNT_ID.eq(accountId), RAIL_NOTIFICATIONS.RESOURCE_ID.eq(reference),
                RAIL_NOTIFICATIONS.STATUS.eq("parked"))
            .orderBy(RAIL_NOTIFICATIONS.OCCURRED_AT.asc().nullsLast(), RAIL_NOTIFICATIONS.SEQ.asc()).limit(1000).fetch();
        parked.forEach(row -> reapply(accountId, row));
        return parked.size();
    }

    /**
     * Applies again what is still to apply: notifications left {@code received} (the database or the ledger failed
     * while applying, a move of the payout was under way) and parked ones whose transfer a payout now carries (its
     * reference may have come by an operator's event); parked ones older than {@code FANZ_PAYMENTS_PARKED_DAYS}
     * become {@code expired}. Returns how many it applied or expired.
     */
    public int retry(java.time.Instant now) {
        OffsetDateTime expiry = now.minus(parkedFor).atOffset(ZoneOffset.UTC);
        int expired = dsl.update(RAIL_NOTIFICATIONS).set(RAIL_NOTIFICATIONS.STATUS, "expired")
            .set(RAIL_NOTIFICATIONS.STATUS_REASON, "parked longer than FANZ_PAYMENTS_PARKED_DAYS: no payout carries the transfer")
            .set(RAIL_NOTIFICATIONS.UPDATED, now.atOffset(ZoneOffset.UTC))
            .where(RAIL_NOTIFICATIONS.STATUS.eq("parked"), RAIL_NOTIFICATIONS.RECEIVED.lt(expiry)).execute();
        OffsetDateTime settled = now.minusSeconds(60).atOffset(ZoneOffset.UTC);
        List<RailNotificationsRecord> open = dsl.selectFrom(RAIL_NOTIFICATIONS)
            .where(RAIL_NOTIFICATIONS.STATUS.eq("received").and(RAIL_NOTIFICATIONS.UPDATED.lt(settled))
                .or(RAIL_NOTIFICATIONS.STATUS.eq("parked").and(DSL.exists(DSL.selectOne().from(PAYOUTS)
                    .where(PAYOUTS.MERCHANT_ACCOUNT_ID.eq(RAIL_NOTIFICATIONS.MERCHANT_ACCOUNT_ID),
                        PAYOUTS.RAIL_REFERENCE.eq(RAIL_NOTIFICATIONS.RESOURCE_ID))))))
            .orderBy(RAIL_NOTIFICATIONS.OCCURRED_AT.asc().nullsLast(), RAIL_NOTIFICATIONS.SEQ.asc()).limit(500).fetch();
        for (RailNotificationsRecord row : open) {
            try {
                reapply(row.getMerchantAccountId(), row);
            } catch (RuntimeException e) {
                LOG.warn("Wise notification {} could not be applied now: {}", row.getId(), e.toString());
            }
        }
        return expired + open.size();
    }

    private void reapply(UUID accountId, RailNotificationsRecord row) {
        apply(accountId, row.getId(), WiseWebhooks.parse(row.getBody().getBytes(StandardCharsets.UTF_8)));
    }

    private void apply(UUID accountId, UUID notificationId, WiseEvent event) {
        if (event.eventType().equals("transfers#payout-failure")) {
            PayoutsRecord payout = payoutOf(accountId, event.resourceId());
            if (payout != null) {
                // Wise can still deliver a funded transfer once the details are fixed: ask the transfer, do not fail
                dsl.update(PAYOUTS).set(PAYOUTS.RAIL_NEXT_CHECK, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                    .set(PAYOUTS.RAIL_NOTE, clip("Wise reports a payout failure (" + event.failureCode() + "): "
                        + event.failureDescription() + "; the transfer decides", 400))
                    .where(PAYOUTS.ID.eq(payout.getId()), PAYOUTS.STATUS.in("submitted", "settled")).execute();
            }
            mark(notificationId, "recorded", "payout failure " + event.failureCode() + ": the transfer's state decides",
                payout == null ? null : payout.getId());
            return;
        }
        Optional<RailStatus> status = WiseWebhooks.status(event);
        if (status.isEmpty()) {
            mark(notificationId, "recorded", "no payout change for " + event.eventType()
                + (event.currentState() == null ? "" : " " + event.currentState()), null);
            return;
        }
        PayoutsRecord payout = payoutOf(accountId, event.resourceId());
        if (payout == null) {
            long parked = dsl.fetchCount(RAIL_NOTIFICATIONS, RAIL_NOTIFICATIONS.MERCHANT_ACCOUNT_ID.eq(accountId),
                RAIL_NOTIFICATIONS.STATUS.eq("parked"));
            if (parked >= PARKED_MAX) {
                LOG.warn("Wise notification {} ignored: {} notifications are parked for account {}", notificationId, parked,
                    accountId);
                mark(notificationId, "ignored", "too many parked notifications for this account", null);
                return;
            }
            mark(notificationId, "parked", "no payout carries transfer " + event.resourceId() + " yet", null);
            // a payout may have got the reference between the lookup and the mark: look once more
            if (payoutOf(accountId, event.resourceId()) == null) {
                return;
            }
            payout = payoutOf(accountId, event.resourceId());
        }
        if (event.eventType().equals("transfers#refund") && !wholeRefund(event, payout)) {
            mark(notificationId, "recorded", "a refund of " + event.refundAmount() + " " + event.refundCurrency()
                + " is not the payout's whole amount: a person decides", payout.getId());
            return;
        }
        String code = event.currentState() != null ? event.currentState() : event.failureCode();
        String reason = "Wise " + event.eventType() + (code == null ? "" : " " + code)
            + (event.failureDescription() == null ? "" : ": " + event.failureDescription());
        try {
            Payouts.Payout moved = payouts.moveByRail(payout.getId(), status.get(), clip(reason, 400),
                code == null ? null : clip(code, 16), Map.of());
            mark(notificationId, "applied", moved.status(), payout.getId());
        } catch (Problem problem) {
            PayoutsRecord now = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(payout.getId())).fetchOne();
            boolean busy = now != null && now.getPendingStatus() != null;
            mark(notificationId, busy ? "received" : "ignored", problem.getMessage(), payout.getId());
            if (!busy) {
                LOG.warn("Wise notification {} for payout {} does not fit its status: {}", notificationId, payout.getId(),
                    problem.getMessage());
            }
        }
    }

    private PayoutsRecord payoutOf(UUID accountId, String transferId) {
        if (transferId == null || transferId.length() > 128) {
            return null;
        }
        return dsl.selectFrom(PAYOUTS).where(PAYOUTS.MERCHANT_ACCOUNT_ID.eq(accountId), PAYOUTS.RAIL.eq(ApiRails.WISE),
            PAYOUTS.RAIL_REFERENCE.eq(transferId)).fetchOne();
    }

    /** Whether a refund gives back the payout's whole amount in its currency (Wise sends a decimal). */
    private boolean wholeRefund(WiseEvent event, PayoutsRecord payout) {
        if (event.refundAmount() == null || event.refundCurrency() == null) {
            return true;
        }
        int scale = currencies.byCode(payout.getCurrency()).map(currency -> currency.scale()).orElse(2);
        return event.refundCurrency().equals(payout.getCurrency())
            && event.refundAmount().compareTo(java.math.BigDecimal.valueOf(payout.getAmount(), scale)) == 0;
    }

    private void mark(UUID id, String status, String reason, UUID payoutId) {
        dsl.update(RAIL_NOTIFICATIONS).set(RAIL_NOTIFICATIONS.STATUS, status)
            .set(RAIL_NOTIFICATIONS.STATUS_REASON, clip(reason, 400)).set(RAIL_NOTIFICATIONS.PAYOUT_ID, payoutId)
            .set(RAIL_NOTIFICATIONS.UPDATED, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
            .where(RAIL_NOTIFICATIONS.ID.eq(id)).execute();
    }

    private RailNotificationsRecord find(UUID accountId, String deliveryId) {
        return dsl.selectFrom(RAIL_NOTIFICATIONS).where(RAIL_NOTIFICATIONS.MERCHANT_ACCOUNT_ID.eq(accountId),
            RAIL_NOTIFICATIONS.DELIVERY_ID.eq(deliveryId)).fetchOne();
    }

    private static PublicKey key(MerchantAccounts.Account account) {
        return WiseWebhooks.keyFor(account.settings().get("environment"), account.settings().get("webhook_public_key_pem"));
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
