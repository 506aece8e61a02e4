package com.fanzfinance.server.payments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;

/**
 * Reads a payments request body: one JSON object, no duplicate names, no unknown fields, each value checked
 * with a problem that points at it. Bodies here are small documents, so they are read whole.
 */
public final class Fields {
    public static final ObjectMapper JSON = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
            .maxStringLength(1 << 20).build());
    }
    /** Creator, fan and referrer ids: the platform's, 1–64 of {@code A-Z a-z 0-9 . _ : @ -}. */
    public static final Pattern PARTY = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    static final Pattern MINOR = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final ObjectNode object;
    private final String prefix;

    private Fields(ObjectNode object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    /** Parses a body that must be one JSON object whose names are all in {@code known}. */
    public static Fields parse(byte[] body, Set<String> known) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw Problem.malformedJson("the body is not JSON: " + firstLine(e.getMessage()), "");
        }
        if (!(node instanceof ObjectNode object)) {
            throw Problem.malformedJson("the body must be a JSON object", "");
        }
        Fields fields = new Fields(object, "");
        fields.requireKnown(known);
        return fields;
    }

    /** A new, empty JSON object for an answer. */
    public static ObjectNode parseless() {
        return JSON.createObjectNode();
    }

    /** The compact UTF-8 JSON of {@code node}. */
    public static byte[] write(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Fields of(ObjectNode object, String prefix) {
        return new Fields(object, prefix);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public void requireKnown(Set<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw Problem.badRequest("unknown-field", "unknown field '" + name + "'", pointer(name));
            }
        }
    }

    public String pointer(String name) {
        return prefix + "/" + name;
    }

    public boolean has(String name) {
        JsonNode value = object.get(name);
        return value != null && !value.isNull();
    }

    public JsonNode node(String name) {
        return object.get(name);
    }

    public String requiredText(String name, int maxLength) {
        String value = text(name, maxLength);
        if (value == null) {
            throw Problem.invalidField("'" + name + "' is required", pointer(name));
        }
        return value;
    }

    public String text(String name, int maxLength) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Problem.invalidField("'" + name + "' must be a string", pointer(name));
        }
        String text = value.textValue();
        if (text.isEmpty() || text.length() > maxLength) {
            throw Problem.invalidField("'" + name + "' must be 1-" + maxLength + " characters", pointer(name));
        }
        return text;
    }

    /**
     * Text a person wrote (a note, a reason), shown to people and written to logs: 1–{@code maxLength} characters
     * with no control, format (bidirectional overrides, zero-width) or line-separator characters, which could
     * forge a log line or disguise what is shown.
     */
    public String prose(String name, int maxLength, boolean required) {
        String value = required ? requiredText(name, maxLength) : text(name, maxLength);
        if (value != null && value.codePoints().anyMatch(Fields::unprintable)) {
            throw Problem.invalidField("'" + name + "' must be printable text on one line", pointer(name));
        }
        return value;
    }

    /** Control, format and line or paragraph separator characters. */
    public static boolean unprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.SURROGATE;
    }

    public String party(String name, boolean required) {
        String value = required ? requiredText(name, 64) : text(name, 64);
        if (value != null && !PARTY.matcher(value).matches()) {
            throw Problem.invalidField("'" + name + "' is 1-64 of A-Z a-z 0-9 . _ : @ -", pointer(name));
        }
        return value;
    }

    public String oneOf(String name, Set<String> allowed, String absent) {
        String value = text(name, 64);
        if (value == null) {
            return absent;
        }
        if (!allowed.contains(value)) {
            throw Problem.invalidField("'" + name + "' must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)),
                pointer(name));
        }
        return value;
    }

    /** A whole number (JSON integer or decimal string of digits) in {@code min..max}, or {@code absent}. */
    public long integer(String name, long min, long max, long absent) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isTextual() && value.textValue().matches("-?[0-9]{1,18}")) {
            number = Long.parseLong(value.textValue());
        } else {
            throw Problem.invalidField("'" + name + "' must be a whole number in " + min + ".." + max, pointer(name));
        }
        if (number < min || number > max) {
            throw Problem.invalidField("'" + name + "' must be in " + min + ".." + max, pointer(name));
        }
        return number;
    }

    /** An amount in minor units: a decimal string of digits (or a JSON integer), 0..10^18−1. */
    public long minor(String name, long absent) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.textValue() : "";
        if (!MINOR.matcher(text).matches()) {
            throw Problem.invalidField("'" + name + "' is an amount in minor units: a string of digits such as \"1999\"",
                pointer(name));
        }
        return Long.parseLong(text);
    }

    public Fields object(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode child)) {
            throw Problem.invalidField("'" + name + "' must be an object", pointer(name));
        }
        return new Fields(child, pointer(name));
    }

    /** An object whose values are all strings (settings, secrets), in order. */
    public Map<String, String> stringMap(String name, int maxEntries, int maxValueLength) {
        Fields child = object(name);
        Map<String, String> values = new LinkedHashMap<>();
        if (child == null) {
            return values;
        }
        for (Map.Entry<String, JsonNode> entry : child.object.properties()) {
            JsonNode value = entry.getValue();
            String text = value.isTextual() ? value.textValue() : value.isNumber() || value.isBoolean() ? value.asText() : null;
            if (text == null || text.length() > maxValueLength) {
                throw Problem.invalidField("'" + entry.getKey() + "' must be a string of at most " + maxValueLength
                    + " characters", child.pointer(entry.getKey()));
            }
            values.put(entry.getKey(), text);
        }
        if (values.size() > maxEntries) {
            throw Problem.invalidField("at most " + maxEntries + " entries", pointer(name));
        }
        return values;
    }

    /** An array of strings, or null when absent. */
    public List<String> stringList(String name, int maxEntries, int maxLength) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw Problem.invalidField("'" + name + "' must be an array of strings", pointer(name));
        }
        if (value.size() > maxEntries) {
            throw Problem.invalidField("'" + name + "' holds at most " + maxEntries + " entries", pointer(name));
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.textValue().isEmpty() || item.textValue().length() > maxLength) {
                throw Problem.invalidField("'" + name + "' entries are strings of 1-" + maxLength + " characters",
                    pointer(name) + "/" + i);
            }
            list.add(item.textValue());
        }
        return list;
    }
}
