package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.BUNDLE_POSTS;
import static com.fanzfinance.platform.content.schema.Tables.ENTITLEMENTS;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.EntitlementsRecord;
import com.fanzfinance.platform.content.schema.tables.records.PurchasesRecord;

import io.javalin.http.Context;

/**
 * What fans may see: entitlements are granted only by a paid purchase's payment event (never by the purchase
 * request itself), revoked by its full refund, chargeback or void, and granted again by the reversal of the
 * chargeback that revoked them unless the charge that granted them was refunded in full or voided meanwhile. A post is open to a fan holding a live entitlement to it ({@code post:<id>},
 * from a PPV or a bundle) or to all its creator's posts ({@code creator:<id>}, from a subscription, until its
 * end).
 */
final class Entitlements {
    private final ServiceDatabase db;

    Entitlements(ServiceDatabase db) {
        this.db = db;
    }

    static String postTarget(UUID post) {
        return "post:" + post;
    }

    static String creatorTarget(String creator) {
        return "creator:" + creator;
    }

    /** Whether {@code fan} now holds a live entitlement to {@code post} of {@code creator} at {@code tenant}. */
    boolean entitled(String tenant, String fan, String creator, UUID post) {
        return db.dsl().fetchExists(ENTITLEMENTS, live(tenant, fan)
            .and(ENTITLEMENTS.TARGET.in(postTarget(post), creatorTarget(creator))));
    }

    /** Whether {@code fan} holds a live subscription to {@code creator}'s posts. */
    boolean subscribed(String tenant, String fan, String creator) {
        return db.dsl().fetchExists(ENTITLEMENTS, live(tenant, fan).and(ENTITLEMENTS.TARGET.eq(creatorTarget(creator))));
    }

    private static Condition live(String tenant, String fan) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return ENTITLEMENTS.TENANT.eq(tenant).and(ENTITLEMENTS.FAN.eq(fan)).and(ENTITLEMENTS.REVOKED_AT.isNull())
            .and(ENTITLEMENTS.STARTS_AT.le(now)).and(ENTITLEMENTS.ENDS_AT.isNull().or(ENTITLEMENTS.ENDS_AT.gt(now)));
    }

    /**
     * Grants what {@code purchase} buys for its payment event {@code paymentEvent} (a sale or a rebill that
     * occurred at {@code occurredAt}), in the caller's transaction: PPV its post and a bundle all its posts,
     * for good; a subscription all the creator's posts for its period from the later of {@code occurredAt}
     * and the end of what earlier payments of it granted (so a rebill extends it); a tip nothing.
     */
    static void grant(DSLContext tx, PurchasesRecord purchase, UUID paymentEvent, OffsetDateTime occurredAt) {
        switch (purchase.getKind()) {
            case "ppv" -> insert(tx, purchase, paymentEvent, postTarget(purchase.getPostId()), purchase.getPostId(),
                occurredAt, null);
            case "bundle" -> {
                for (UUID post : tx.select(BUNDLE_POSTS.POST_ID).from(BUNDLE_POSTS)
                        .where(BUNDLE_POSTS.BUNDLE_ID.eq(purchase.getBundleId())).orderBy(BUNDLE_POSTS.POSITION)
                        .fetch(BUNDLE_POSTS.POST_ID)) {
                    insert(tx, purchase, paymentEvent, postTarget(post), post, occurredAt, null);
                }
            }
            case "subscription" -> {
                OffsetDateTime grantedUntil = tx.select(DSL.max(ENTITLEMENTS.ENDS_AT)).from(ENTITLEMENTS)
                    .where(ENTITLEMENTS.PURCHASE_ID.eq(purchase.getId()), ENTITLEMENTS.REVOKED_AT.isNull())
                    .fetchOne(0, OffsetDateTime.class);
                OffsetDateTime from = grantedUntil != null && grantedUntil.isAfter(occurredAt) ? grantedUntil : occurredAt;
                insert(tx, purchase, paymentEvent, creatorTarget(purchase.getCreator()), null, occurredAt,
                    from.plusDays(purchase.getPeriodDays()));
            }
            case "tip" -> {
                // a tip buys nothing to see
            }
            default -> throw new IllegalStateException("unknown purchase kind " + purchase.getKind());
        }
    }

    private static void insert(DSLContext tx, PurchasesRecord purchase, UUID paymentEvent, String target, UUID post,
            OffsetDateTime startsAt, OffsetDateTime endsAt) {
        tx.insertInto(ENTITLEMENTS)
            .set(ENTITLEMENTS.ID, UUID.randomUUID())
            .set(ENTITLEMENTS.TENANT, purchase.getTenant())
            .set(ENTITLEMENTS.FAN, purchase.getFan())
            .set(ENTITLEMENTS.CREATOR, purchase.getCreator())
            .set(ENTITLEMENTS.TARGET, target)
            .set(ENTITLEMENTS.POST_ID, post)
            .set(ENTITLEMENTS.PURCHASE_ID, purchase.getId())
            .set(ENTITLEMENTS.PAYMENT_EVENT_ID, paymentEvent)
            .set(ENTITLEMENTS.STARTS_AT, startsAt)
            .set(ENTITLEMENTS.ENDS_AT, endsAt)
            .onConflictDoNothing()
            .execute();
    }

    /** Revokes every live entitlement of {@code purchase}, because of payment event {@code reversal}. */
    static int revoke(DSLContext tx, UUID purchase, UUID reversal) {
        return tx.update(ENTITLEMENTS)
            .set(ENTITLEMENTS.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
            .set(ENTITLEMENTS.REVOKED_BY, reversal)
            .where(ENTITLEMENTS.PURCHASE_ID.eq(purchase), ENTITLEMENTS.REVOKED_AT.isNull())
            .execute();
    }

    /**
     * Revokes what the charge {@code charge} of {@code purchase} granted, for good: live entitlements now, and
     * those a chargeback had revoked are marked revoked by {@code refund} instead, so that the chargeback's
     * reversal does not give them back.
     */
    static void revokeGrantedBy(DSLContext tx, UUID purchase, UUID charge, UUID refund) {
        tx.update(ENTITLEMENTS)
            .set(ENTITLEMENTS.REVOKED_AT, DSL.coalesce(ENTITLEMENTS.REVOKED_AT, DSL.val(OffsetDateTime.now(ZoneOffset.UTC))))
            .set(ENTITLEMENTS.REVOKED_BY, refund)
            .where(ENTITLEMENTS.PURCHASE_ID.eq(purchase), ENTITLEMENTS.PAYMENT_EVENT_ID.eq(charge))
            .execute();
    }

    /**
     * Grants again the entitlements of {@code purchase} that the payment events {@code revokedBy} revoked, except
     * those granted by one of the charges {@code cancelledCharges} (refunded in full or voided).
     */
    static void restore(DSLContext tx, UUID purchase, List<UUID> revokedBy, Collection<UUID> cancelledCharges) {
        tx.update(ENTITLEMENTS)
            .setNull(ENTITLEMENTS.REVOKED_AT)
            .setNull(ENTITLEMENTS.REVOKED_BY)
            .where(ENTITLEMENTS.PURCHASE_ID.eq(purchase), ENTITLEMENTS.REVOKED_BY.in(revokedBy),
                ENTITLEMENTS.PAYMENT_EVENT_ID.notIn(cancelledCharges))
            .execute();
    }

    /**
     * {@code GET /v1/entitlements?tenant=&fan=}: the caller's own entitlements (the brand's staff and services
     * with {@code content:read} may name a fan).
     */
    void list(Context ctx, Caller caller) {
        Requests.allowOnlyParameters(ctx, "tenant", "fan", "limit", "cursor");
        String tenant = Requests.tenant(ctx, caller);
        String fan = Requests.platformId(ctx, "fan");
        if (fan == null) {
            if (caller.isService()) {
                throw Problem.invalidField("a service must name the fan with 'fan'", null);
            }
            fan = caller.subject();
        } else if (!fan.equals(caller.subject()) && !Access.readsAll(caller, tenant)) {
            throw Problem.forbidden("only staff may read another fan's entitlements");
        }
        Requests.Page page = Requests.Page.of(ctx);
        List<EntitlementsRecord> rows = db.dsl().selectFrom(ENTITLEMENTS)
            .where(ENTITLEMENTS.TENANT.eq(tenant), ENTITLEMENTS.FAN.eq(fan), ENTITLEMENTS.SEQ.gt(page.afterSeq()))
            .orderBy(ENTITLEMENTS.SEQ).limit(page.limit() + 1).fetch();
        List<ObjectNode> answered = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (EntitlementsRecord row : rows.subList(0, Math.min(rows.size(), page.limit()))) {
            answered.add(toJson(row, now));
        }
        String next = rows.size() > page.limit() ? Requests.Page.cursorAfter(rows.get(page.limit() - 1).getSeq()) : null;
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("entitlements", answered);
        answer.put("next", next);
        Json.answer(ctx, 200, answer);
    }

    private static ObjectNode toJson(EntitlementsRecord row, OffsetDateTime now) {
        ObjectNode json = Json.object();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("fan", row.getFan());
        json.put("creator", row.getCreator());
        json.put("target", row.getTarget());
        json.put("post_id", row.getPostId() == null ? null : row.getPostId().toString());
        json.put("purchase_id", row.getPurchaseId().toString());
        json.put("payment_event_id", row.getPaymentEventId().toString());
        json.put("starts_at", Requests.time(row.getStartsAt()));
        json.put("ends_at", Requests.time(row.getEndsAt()));
        json.put("revoked_at", Requests.time(row.getRevokedAt()));
        json.put("revoked_by", row.getRevokedBy() == null ? null : row.getRevokedBy().toString());
        String status = row.getRevokedAt() != null ? "revoked"
            : row.getEndsAt() != null && !row.getEndsAt().isAfter(now) ? "ended" : "active";
        json.put("status", status);
        return json;
    }
}
