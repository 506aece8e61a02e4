package com.fanzfinance.platform.compliance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import com.fanzfinance.platform.common.Json;

/**
 * The canonical JSON text the audit log hashes: no whitespace; object members sorted by name (Java
 * {@link String#compareTo}, i.e. UTF-16 code units); strings as Jackson writes them (only {@code "}, {@code \}
 * and control characters escaped, everything else as UTF-8); integers in plain decimal; other numbers as
 * their JSON text; {@code true}, {@code false}, {@code null}. The same value always gives the same text,
 * however PostgreSQL's {@code jsonb} ordered its members.
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue().toString());
        } else {
            out.append(node.toString());
        }
    }

    static void string(String text, StringBuilder out) {
        try {
            out.append(Json.MAPPER.writeValueAsString(TextNode.valueOf(text)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
