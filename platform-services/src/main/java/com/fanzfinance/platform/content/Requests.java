package com.fanzfinance.platform.content;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;

import io.javalin.http.Context;

/**
 * The content service's reading of query parameters and path ids: only known parameters (400
 * {@code unknown-parameter} otherwise), the brand a listing is about (the caller's own unless a service names
 * one), and listing pages — {@code limit} (1–1000, default 100) and an opaque {@code cursor} that encodes
 * the creation sequence of the last row answered.
 */
final class Requests {
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1000;
    private static final Pattern CURSOR = Pattern.compile("[0-9]{1,19}");

    private Requests() {
    }

    /** 400 {@code unknown-parameter} for a query parameter not in {@code allowed}. */
    static void allowOnlyParameters(Context ctx, String... allowed) {
        Set<String> names = Set.of(allowed);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!names.contains(name)) {
                throw Problem.badRequest("unknown-parameter", "unknown query parameter '" + name + "'", null);
            }
        }
    }

    /**
     * The brand of a request: {@code ?tenant=} or else the caller's own. A person naming another brand gets 404
     * (that brand's data does not exist for them); a service must name one.
     */
    static String tenant(Context ctx, Caller caller) {
        String tenant = ctx.queryParam("tenant");
        if (tenant == null || tenant.isEmpty()) {
            if (caller.isService()) {
                throw Problem.invalidField("a service must name the brand with 'tenant'", null);
            }
            return caller.tenant();
        }
        if (!Json.SLUG.matcher(tenant).matches()) {
            throw Problem.invalidField("'tenant' must be a brand slug", null);
        }
        caller.requireTenant(tenant, "brand");
        return tenant;
    }

    /** An optional platform id query parameter (a creator, a fan). */
    static String platformId(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!Json.PLATFORM_ID.matcher(value).matches()) {
            throw Problem.invalidField("'" + name + "' must be 1–64 of A-Z a-z 0-9 . _ : @ -", null);
        }
        return value;
    }

    /** The path's {@code {id}} as a UUID (400 when it is not one). */
    static UUID pathId(Context ctx) {
        return Json.parseUuid(ctx.pathParam("id"), null);
    }

    /** The page a listing asks for. */
    record Page(int limit, long afterSeq) {
        static Page of(Context ctx) {
            String limitText = ctx.queryParam("limit");
            int limit = LIMIT_DEFAULT;
            if (limitText != null) {
                try {
                    limit = Integer.parseInt(limitText);
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > LIMIT_MAX) {
                    throw Problem.invalidField("'limit' must be from 1 to " + LIMIT_MAX, null);
                }
            }
            String cursor = ctx.queryParam("cursor");
            long after = 0;
            if (cursor != null && !cursor.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
                } catch (IllegalArgumentException e) {
                    decoded = "";
                }
                if (!CURSOR.matcher(decoded).matches()) {
                    throw Problem.invalidField("'cursor' is not a cursor this service answered", null);
                }
                after = Long.parseLong(decoded);
            }
            return new Page(limit, after);
        }

        /** The cursor continuing after the row with {@code seq}. */
        static String cursorAfter(long seq) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A timestamp as the API answers it (ISO-8601 UTC), or null. */
    static String time(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
