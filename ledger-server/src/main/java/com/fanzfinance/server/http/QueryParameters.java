package com.fanzfinance.server.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.javalin.http.Context;

import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Query strings of the listing endpoints, checked like bodies: unknown parameters, repeated parameters,
 * wrong types and out-of-range values are 400s naming the parameter.
 *
 * <p>Paging: a full page answers with {@code next}, an opaque cursor; passing it back as {@code cursor}
 * continues after the last item returned, in the same direction. (The cursor is the last item's
 * timestamp; timestamps are unique, so nothing is skipped or repeated.)
 */
final class QueryParameters {
    private static final Set<String> TRANSFER_LISTING = Set.of("limit", "timestamp_min", "timestamp_max", "debits",
        "credits", "reversed", "cursor", "user_data_128", "user_data_64", "user_data_32", "code");
    private static final Set<String> BALANCE_LISTING = Set.of("limit", "timestamp_min", "timestamp_max", "debits",
        "credits", "reversed", "cursor");

    private QueryParameters() {
    }

    /** A checked listing request: the filter to run and how to make the cursor of the next page. */
    record Listing(AccountFilter filter) {
        /** The cursor for the page after one that returned {@code count} items ending at {@code lastTimestamp}. */
        String next(int count, long lastTimestamp) {
            return count == filter.limit() && count > 0 ? Long.toUnsignedString(lastTimestamp) : null;
        }
    }

    static Listing listing(Context ctx, Uint128 accountId, boolean transfers) {
        requireKnown(ctx, transfers ? TRANSFER_LISTING : BALANCE_LISTING);
        int limit = (int) number(ctx, "limit", 1, AccountFilter.LIMIT_MAX, LedgerRoutes.QUERY_LIMIT_DEFAULT);
        long min = number(ctx, "timestamp_min", 0, Long.MAX_VALUE, 0);
        long max = number(ctx, "timestamp_max", 0, Long.MAX_VALUE, 0);
        if (max != 0 && min > max) {
            throw Problem.invalidField("timestamp_min must not exceed timestamp_max", "?timestamp_min");
        }
        boolean debits = bool(ctx, "debits", true);
        boolean credits = bool(ctx, "credits", true);
        if (!debits && !credits) {
            throw Problem.invalidField("debits and credits cannot both be false", "?debits");
        }
        boolean reversed = bool(ctx, "reversed", false);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            long after = parseNumber(cursor, "cursor", 1, Long.MAX_VALUE - 1);
            if (reversed) {
                if (after == 1) {
                    min = 2;
                    max = 1;
                } else {
                    max = max == 0 ? after - 1 : Math.min(max, after - 1);
                }
            } else {
                min = Math.max(min, after + 1);
            }
        }
        // A cursor past the end of the range leaves min above max: a filter that matches nothing (as in
        // TigerBeetle), so the page is empty rather than an error.
        AccountFilter filter = AccountFilter.of(accountId, limit).withTimestamps(min, max).withDirections(debits, credits)
            .withReversed(reversed);
        if (transfers) {
            Uint128 given = uuid(ctx, "user_data_128");
            Uint128 userData128 = given == null ? Uint128.ZERO : given;
            long userData64 = unsigned64(ctx, "user_data_64");
            int userData32 = (int) number(ctx, "user_data_32", 0, 0xFFFF_FFFFL, 0);
            int code = (int) number(ctx, "code", 0, 0xFFFF, 0);
            filter = filter.withUserDataAndCode(userData128, userData64, userData32, code);
        }
        return new Listing(filter);
    }

    /** 400 for a parameter not in {@code known} or given twice. */
    static void requireKnown(Context ctx, Set<String> known) {
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            if (!known.contains(parameter.getKey())) {
                throw Problem.badRequest("unknown-parameter", "unknown query parameter '" + parameter.getKey()
                    + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")", "?" + parameter.getKey());
            }
            if (parameter.getValue().size() > 1) {
                throw Problem.invalidField("'" + parameter.getKey() + "' is given more than once", "?" + parameter.getKey());
            }
        }
    }

    /** A UUID parameter, or null when absent. */
    static Uint128 uuid(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        try {
            return Uint128.fromUuid(text);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a canonical UUID: '" + text + "'", "?" + name);
        }
    }

    static long number(Context ctx, String name, long min, long max, long absent) {
        String text = ctx.queryParam(name);
        return text == null ? absent : parseNumber(text, name, min, max);
    }

    static long parseNumber(String text, String name, long min, long max) {
        if (!text.matches("[0-9]{1,19}")) {
            throw Problem.invalidField("'" + name + "' must be a whole number in " + min + ".." + max, "?" + name);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < min || value > max) {
            throw Problem.invalidField("'" + name + "' must be in " + min + ".." + max + ", was " + text, "?" + name);
        }
        return value;
    }

    /** A full unsigned 64-bit value (user data), 0 when absent. */
    static long unsigned64(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return 0;
        }
        try {
            if (text.matches("[0-9]{1,20}")) {
                return Long.parseUnsignedLong(text);
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw Problem.invalidField("'" + name + "' must be a whole number in 0..18446744073709551615", "?" + name);
    }

    static boolean bool(Context ctx, String name, boolean absent) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return absent;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.invalidField("'" + name + "' must be true or false, was '" + text + "'", "?" + name);
        };
    }

    /**
     * {@code ?results=}: {@code all} (the default: one result per event) or {@code failures} (only the events not
     * {@code created}, each with its index); true for {@code failures}. Given more than once or anything else: 400.
     */
    static boolean failuresOnly(Context ctx) {
        List<String> values = ctx.queryParams("results");
        if (values.size() > 1) {
            throw Problem.invalidField("'results' is given more than once", "?results");
        }
        String text = values.isEmpty() ? null : values.get(0);
        if (text == null || "all".equals(text)) {
            return false;
        }
        if ("failures".equals(text)) {
            return true;
        }
        throw Problem.invalidField("'results' must be all or failures, was '" + text + "'", "?results");
    }
}
