package com.fanzfinance.platform.compliance;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.Uuids;

import io.javalin.http.Context;

/**
 * The compliance service's own input rules on top of {@link Json}'s readers: calendar dates, countries,
 * closed vocabularies, the tenant and creator of a request, ages, and the listings' {@code limit} and opaque
 * {@code cursor}. Every failure is a 400 naming the field.
 */
final class Fields {
    static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /**
     * A reference to content elsewhere on the platform: {@code post:<id>}, {@code asset:<id>}; at most 15 + 1 + 64
     * = 80 characters, the width of {@code model_releases.content_ref}.
     */
    static final Pattern CONTENT_REF = Pattern.compile("[a-z]{1,15}:[A-Za-z0-9._:@-]{1,64}");
    static final Set<String> DOCUMENT_TYPES = Set.of("passport", "id_card", "driving_licence");
    static final int REFERENCE_MAX = 128;
    static final int NAME_MAX = 200;
    static final int REASON_MAX = 500;
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1000;
    private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Fields() {
    }

    /** A required {@code YYYY-MM-DD} date from 1900-01-01 up to {@code latest}. */
    static LocalDate date(JsonNode node, String name, LocalDate latest) {
        String text = Json.text(node, name, DATE, "a date YYYY-MM-DD");
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.invalidField("'" + name + "' is not a calendar date: " + text, "/" + name);
        }
        if (date.isBefore(EARLIEST) || date.isAfter(latest)) {
            throw Problem.invalidField("'" + name + "' must be from " + EARLIEST + " to " + latest, "/" + name);
        }
        return date;
    }

    /** A required ISO 3166-1 alpha-2 country code, upper case. */
    static String country(JsonNode node, String name) {
        String code = Json.text(node, name, Pattern.compile("[A-Z]{2}"), "an ISO 3166-1 alpha-2 country code");
        if (!COUNTRIES.contains(code)) {
            throw Problem.invalidField("'" + name + "' is not an ISO 3166-1 alpha-2 country: " + code, "/" + name);
        }
        return code;
    }

    /** A required member that is one of {@code allowed}. */
    static String oneOf(JsonNode node, String name, Set<String> allowed) {
        String value = Json.text(node, name, null, null);
        if (!allowed.contains(value)) {
            throw Problem.invalidField("'" + name + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()),
                "/" + name);
        }
        return value;
    }

    /** A required boolean member. */
    static boolean bool(JsonNode node, String name) {
        if (node.get(name) == null || node.get(name).isNull()) {
            throw Problem.invalidField("'" + name + "' is required", "/" + name);
        }
        return Json.optionalBoolean(node, name, false);
    }

    /** The tenant a body names: a brand slug. */
    static String tenant(JsonNode node) {
        return Json.text(node, "tenant", Json.SLUG, "a brand slug");
    }

    /** A required query parameter matching {@code pattern}. */
    static String query(Context ctx, String name, Pattern pattern, String what) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw Problem.badRequest("invalid-query", "the query parameter '" + name + "' is required", null);
        }
        if (!pattern.matcher(value).matches()) {
            throw Problem.badRequest("invalid-query", "the query parameter '" + name + "' must be " + what, null);
        }
        return value;
    }

    static String tenantQuery(Context ctx) {
        return query(ctx, "tenant", Json.SLUG, "a brand slug");
    }

    /** The {@code {creator}} of the path: a platform id. */
    static String creatorPath(Context ctx) {
        String creator = ctx.pathParam("creator");
        if (!Json.PLATFORM_ID.matcher(creator).matches()) {
            throw Problem.notFound("no such creator");
        }
        return creator;
    }

    /** The {@code {id}} of the path as a UUID; anything else is not found. */
    static UUID idPath(Context ctx, String what) {
        UUID id = Uuids.parseOrNull(ctx.pathParam("id"));
        if (id == null) {
            throw Problem.notFound("no such " + what);
        }
        return id;
    }

    /** {@code limit}: 1–1000, default 100. */
    static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null) {
            return LIMIT_DEFAULT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= LIMIT_MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.badRequest("invalid-query", "'limit' must be an integer from 1 to " + LIMIT_MAX, null);
    }

    /** The creation sequence number after which a listing continues (0: from the start). */
    static long cursor(Context ctx) {
        String value = ctx.queryParam("cursor");
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (text.startsWith("s") && text.length() <= 20) {
                long after = Long.parseLong(text.substring(1));
                if (after >= 0) {
                    return after;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw Problem.badRequest("invalid-cursor", "'cursor' is not one this service gave out", null);
    }

    /** The opaque cursor continuing after creation sequence number {@code seq}. */
    static String cursorAfter(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether someone born on {@code dateOfBirth} is 18 or older on {@code day}. */
    static boolean adultOn(LocalDate dateOfBirth, LocalDate day) {
        return Period.between(dateOfBirth, day).getYears() >= 18;
    }
}
