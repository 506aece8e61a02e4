package com.fanzfinance.platform.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * JSON in and out for the platform services: one mapper with tight parser limits, the request body as an
 * object (400 {@code malformed-json} otherwise), and field readers that answer 400 with a JSON pointer —
 * unknown members are refused ({@code unknown-field}), so a misspelt field never silently does nothing.
 */
public final class Json {
    /** Platform ids (creators, fans, brands' objects): 1–64 of {@code A-Z a-z 0-9 . _ : @ -}, as the ledger's. */
    public static final Pattern PLATFORM_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /** Amounts in minor units, as decimal strings (or JSON integers), 0 … 10^15. */
    private static final Pattern AMOUNT = Pattern.compile("0|[1-9][0-9]{0,14}");
    public static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20)
            .maxNumberLength(40).build())
        .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The request body as a JSON object; anything else is 400 {@code malformed-json}. */
    public static ObjectNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw Problem.badRequest("malformed-json", "the request needs a JSON object body", "");
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw Problem.badRequest("malformed-json", "the body must be a JSON object", "");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("malformed-json", "the body is not valid JSON: " + e.getOriginalMessage(), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} as the JSON answer with {@code status}. */
    public static void answer(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer", e);
        }
    }

    /** 400 {@code unknown-field} for any member of {@code node} not in {@code allowed}. */
    public static void allowOnly(JsonNode node, String pointerPrefix, String... allowed) {
        Set<String> names = new HashSet<>(Arrays.asList(allowed));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw Problem.badRequest("unknown-field", "unknown field '" + name + "'", pointerPrefix + "/" + name);
            }
        }
    }

    /** A required string member matching {@code pattern} (its description in {@code what}). */
    public static String text(JsonNode node, String name, Pattern pattern, String what) {
        String value = optionalText(node, name, pattern, what);
        if (value == null) {
            throw Problem.invalidField("'" + name + "' is required", "/" + name);
        }
        return value;
    }

    /** An optional string member (absent or null → null) matching {@code pattern}. */
    public static String optionalText(JsonNode node, String name, Pattern pattern, String what) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Problem.invalidField("'" + name + "' must be a string", "/" + name);
        }
        String text = value.asText();
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw Problem.invalidField("'" + name + "' must be " + what, "/" + name);
        }
        return text;
    }

    /** A required free-text member of 1–{@code maxLength} characters with no control characters. */
    public static String plainText(JsonNode node, String name, int maxLength) {
        String value = optionalPlainText(node, name, maxLength);
        if (value == null) {
            throw Problem.invalidField("'" + name + "' is required", "/" + name);
        }
        return value;
    }

    public static String optionalPlainText(JsonNode node, String name, int maxLength) {
        String value = optionalText(node, name, null, null);
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > maxLength || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw Problem.invalidField("'" + name + "' must be 1–" + maxLength + " characters without control characters",
                "/" + name);
        }
        return value;
    }

    /** A required amount in minor units: a decimal string (or JSON integer) 0 … 999,999,999,999,999. */
    public static long amount(JsonNode node, String name) {
        Long value = optionalAmount(node, name);
        if (value == null) {
            throw Problem.invalidField("'" + name + "' is required", "/" + name);
        }
        return value;
    }

    public static Long optionalAmount(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText() : null;
        if (text == null || !AMOUNT.matcher(text).matches()) {
            throw Problem.invalidField("'" + name + "' must be an amount in minor units (a decimal string of digits)",
                "/" + name);
        }
        return Long.parseLong(text);
    }

    /** An optional integer member within {@code [min, max]}. */
    public static Integer optionalInt(JsonNode node, String name, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw Problem.invalidField("'" + name + "' must be an integer from " + min + " to " + max, "/" + name);
        }
        return value.asInt();
    }

    public static boolean optionalBoolean(JsonNode node, String name, boolean otherwise) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw Problem.invalidField("'" + name + "' must be true or false", "/" + name);
        }
        return value.asBoolean();
    }

    /** A required UUID member. */
    public static java.util.UUID uuid(JsonNode node, String name) {
        String text = text(node, name, null, null);
        return parseUuid(text, "/" + name);
    }

    /** A UUID from a path or body value: 400 {@code invalid-field} when it is not one (as lowercase text). */
    public static java.util.UUID parseUuid(String text, String pointer) {
        java.util.UUID uuid = Uuids.parseOrNull(text);
        if (uuid == null) {
            throw Problem.invalidField("'" + text + "' is not a UUID", pointer);
        }
        return uuid;
    }
}
