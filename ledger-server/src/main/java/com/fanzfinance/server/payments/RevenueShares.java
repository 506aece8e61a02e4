package com.fanzfinance.server.payments;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

import org.jooq.DSLContext;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.schema.tables.records.RevenueSharesRecord;

import static com.fanzfinance.server.payments.schema.Tables.REVENUE_SHARES;

/**
 * Revenue shares: the platform's, the referrer's and the reserve's part of a payment, in basis points, per
 * tenant and per creator; absent values inherit (creator → tenant → default). Changes apply to later events;
 * reversals use their parent's shares, which the event keeps.
 */
public final class RevenueShares {
    static final Set<String> FIELDS = Set.of("platform_bp", "referral_bp", "reserve_bp", "reserve_days");
    private static final String TENANT_ROW = "";

    /** The shares in effect, and where each came from ({@code creator}, {@code tenant} or {@code default}). */
    public record Effective(int platformBp, int referralBp, int reserveBp, int reserveDays, String platformSource,
                            String referralSource, String reserveSource, String reserveDaysSource) {
    }

    private final DSLContext dsl;
    private final int defaultPlatformBp;
    /** Effective shares by tenant and creator, read once; every change empties it. */
    private final java.util.Map<String, Effective> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_MAX = 100_000;

    public RevenueShares(DSLContext dsl, int defaultPlatformBp) {
        this.dsl = dsl;
        this.defaultPlatformBp = defaultPlatformBp;
    }

    public Effective effective(String tenant, String creator) {
        String key = tenant + "\u0000" + (creator == null ? "" : creator);
        Effective cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Effective read = read(tenant, creator);
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(key, read);
        return read;
    }

    private Effective read(String tenant, String creator) {
        RevenueSharesRecord tenantRow = row(tenant, TENANT_ROW);
        RevenueSharesRecord creatorRow = creator == null ? null : row(tenant, creator);
        Value platform = pick(creatorRow == null ? null : creatorRow.getPlatformBp(),
            tenantRow == null ? null : tenantRow.getPlatformBp(), defaultPlatformBp);
        Value referral = pick(creatorRow == null ? null : creatorRow.getReferralBp(),
            tenantRow == null ? null : tenantRow.getReferralBp(), 0);
        Value reserve = pick(creatorRow == null ? null : creatorRow.getReserveBp(),
            tenantRow == null ? null : tenantRow.getReserveBp(), 0);
        Value reserveDays = pick(creatorRow == null ? null : creatorRow.getReserveDays(),
            tenantRow == null ? null : tenantRow.getReserveDays(), 0);
        return new Effective(platform.value, Math.min(referral.value, platform.value), reserve.value, reserveDays.value,
            platform.source, referral.source, reserve.source, reserveDays.source);
    }

    private record Value(int value, String source) {
    }

    private static Value pick(Integer creator, Integer tenant, int fallback) {
        if (creator != null) {
            return new Value(creator, "creator");
        }
        if (tenant != null) {
            return new Value(tenant, "tenant");
        }
        return new Value(fallback, "default");
    }

    private RevenueSharesRecord row(String tenant, String creator) {
        return dsl.selectFrom(REVENUE_SHARES).where(REVENUE_SHARES.TENANT.eq(tenant), REVENUE_SHARES.CREATOR.eq(creator)).fetchOne();
    }

    /** Sets the tenant's values (absent fields: the default) or a creator's (absent: inherit). */
    public Effective put(String tenant, String creator, Fields fields) {
        fields.requireKnown(FIELDS);
        Integer platform = optional(fields, "platform_bp", 10_000);
        Integer referral = optional(fields, "referral_bp", 10_000);
        Integer reserve = optional(fields, "reserve_bp", 10_000);
        Integer reserveDays = optional(fields, "reserve_days", 365);
        String key = creator == null ? TENANT_ROW : creator;
        cache.clear();
        dsl.transaction(configuration -> {
            DSLContext tx = org.jooq.impl.DSL.using(configuration);
            tx.insertInto(REVENUE_SHARES).set(REVENUE_SHARES.TENANT, tenant).set(REVENUE_SHARES.CREATOR, key)
                .set(REVENUE_SHARES.PLATFORM_BP, platform).set(REVENUE_SHARES.REFERRAL_BP, referral)
                .set(REVENUE_SHARES.RESERVE_BP, reserve).set(REVENUE_SHARES.RESERVE_DAYS, reserveDays)
                .set(REVENUE_SHARES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
                .onConflict(REVENUE_SHARES.TENANT, REVENUE_SHARES.CREATOR).doUpdate()
                .set(REVENUE_SHARES.PLATFORM_BP, platform).set(REVENUE_SHARES.REFERRAL_BP, referral)
                .set(REVENUE_SHARES.RESERVE_BP, reserve).set(REVENUE_SHARES.RESERVE_DAYS, reserveDays)
                .set(REVENUE_SHARES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC)).execute();
            Effective effective = effectiveWith(tx, tenant, creator);
            if (effective.referralBp() > effective.platformBp()
                || referral != null && platform != null && referral > platform) {
                throw Problem.invalidField("referral_bp (" + effective.referralBp() + ") must not exceed platform_bp ("
                    + effective.platformBp() + "): the referral is paid out of the platform's share", "/referral_bp");
            }
        });
        cache.clear();
        return effective(tenant, creator);
    }

    private Effective effectiveWith(DSLContext tx, String tenant, String creator) {
        RevenueShares scoped = new RevenueShares(tx, defaultPlatformBp);
        RevenueSharesRecord tenantRow = scoped.row(tenant, TENANT_ROW);
        RevenueSharesRecord creatorRow = creator == null ? null : scoped.row(tenant, creator);
        Integer referral = creatorRow != null && creatorRow.getReferralBp() != null ? creatorRow.getReferralBp()
            : tenantRow != null && tenantRow.getReferralBp() != null ? tenantRow.getReferralBp() : 0;
        Integer platform = creatorRow != null && creatorRow.getPlatformBp() != null ? creatorRow.getPlatformBp()
            : tenantRow != null && tenantRow.getPlatformBp() != null ? tenantRow.getPlatformBp() : defaultPlatformBp;
        return new Effective(platform, referral, 0, 0, "", "", "", "");
    }

    /** Removes a creator's overrides; true when there were any. */
    public boolean deleteCreator(String tenant, String creator) {
        boolean deleted = dsl.deleteFrom(REVENUE_SHARES).where(REVENUE_SHARES.TENANT.eq(tenant),
            REVENUE_SHARES.CREATOR.eq(creator)).execute() > 0;
        cache.clear();
        return deleted;
    }

    private static Integer optional(Fields fields, String name, int max) {
        if (!fields.has(name)) {
            return null;
        }
        return (int) fields.integer(name, 0, max, 0);
    }

    public static ObjectNode toJson(String tenant, String creator, Effective effective) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("tenant", tenant);
        if (creator != null) {
            json.put("creator", creator);
        }
        json.put("platform_bp", effective.platformBp());
        json.put("referral_bp", effective.referralBp());
        json.put("reserve_bp", effective.reserveBp());
        json.put("reserve_days", effective.reserveDays());
        ObjectNode source = json.putObject("source");
        source.put("platform_bp", effective.platformSource());
        source.put("referral_bp", effective.referralSource());
        source.put("reserve_bp", effective.reserveSource());
        source.put("reserve_days", effective.reserveDaysSource());
        return json;
    }
}
