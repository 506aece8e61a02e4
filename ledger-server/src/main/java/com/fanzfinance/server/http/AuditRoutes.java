package com.fanzfinance.server.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.payments.AuditLog;
import com.fanzfinance.server.payments.Fields;

/**
 * The audit log's endpoints: the listing ({@code finance:read}; a key sees the rows of its tenants, an admin key every
 * row) and the chain's check ({@code admin}). Thin: each parses, authorises and hands over to {@link AuditLog}.
 */
final class AuditRoutes {
    private static final int LIMIT_MAX = 500;
    private static final int ACTOR_MAX = 128;
    private static final Set<String> PARAMETERS = Set.of("tenant", "actor", "from", "to", "limit", "cursor", "reversed");

    private final PaymentRoutes shared;

    AuditRoutes(PaymentRoutes shared) {
        this.shared = shared;
    }

    /** Newest first; {@code reversed=true}: oldest first. Rows without a tenant are an admin key's only. */
    void list(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, PARAMETERS);
        int limit = (int) QueryParameters.number(ctx, "limit", 1, LIMIT_MAX, 100);
        boolean oldestFirst = QueryParameters.bool(ctx, "reversed", false);
        String tenant = ctx.queryParam("tenant");
        if (tenant != null && !TenantRegistry.isValidSlug(tenant)) {
            throw Problem.invalidField("'tenant' is a tenant's slug: 1-32 of a-z, 0-9 and -", "?tenant");
        }
        String actor = ctx.queryParam("actor");
        if (actor != null && (actor.isEmpty() || actor.length() > ACTOR_MAX)) {
            throw Problem.invalidField("'actor' is a key's id, such as key_3f2a9c01b2d4", "?actor");
        }
        Instant from = time(ctx, "from", false);
        Instant to = time(ctx, "to", true);
        if (from != null && to != null && from.isAfter(to)) {
            throw Problem.invalidField("'from' is after 'to'", "?from");
        }
        AuditLog.Filter filter = new AuditLog.Filter(shared.visibleTenants(key), tenant, actor, from, to);
        List<AuditLog.Entry> page = shared.payments().auditLog().list(filter, PaymentRoutes.cursor(ctx), oldestFirst,
            limit + 1);
        PaymentRoutes.json(ctx, 200, PaymentRoutes.page("entries", page, limit, AuditLog::toJson, AuditLog.Entry::id));
    }

    /** Walks the whole chain: {@code {"entries", "valid", "first_broken", "last_hash"}}. */
    void verify(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        QueryParameters.requireKnown(ctx, Set.of());
        AuditLog.Verification verification = shared.payments().auditLog().verify();
        ObjectNode answer = Fields.parseless();
        answer.put("entries", verification.entries());
        answer.put("valid", verification.valid());
        answer.put("first_broken", verification.firstBroken() == null ? null : verification.firstBroken().toString());
        answer.put("last_hash", verification.lastHash());
        PaymentRoutes.json(ctx, 200, answer);
    }

    /**
     * An ISO date (UTC; as {@code to}, through the end of that day) or an ISO instant ({@code 2026-12-05T10:00:00Z},
     * or with an offset); null when absent.
     */
    static Instant time(Context ctx, String name, boolean endOfDay) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.invalidField("'" + name + "' is a date such as 2026-12-05 or a time such as"
                + " 2026-12-05T10:00:00Z", "?" + name);
        }
    }
}
