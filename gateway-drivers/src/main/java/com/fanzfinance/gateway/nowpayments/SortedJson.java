package com.fanzfinance.gateway.nowpayments;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body NOWPayments signs when the delivered bytes are not it: the JSON re-serialised as Node.js's
 * {@code JSON.stringify} would write it with the keys of every object sorted (by UTF-16 code units, like
 * {@code Array.prototype.sort}), no white space, numbers per {@link EcmaScriptNumbers} and strings escaped as
 * {@code JSON.stringify} escapes them (quote, backslash, control characters and lone surrogates only).
 */
final class SortedJson {

    private SortedJson() {
    }

    /** The UTF-8 bytes of the sorted serialisation of a value read by {@link LexicalJson}. */
    static byte[] bytes(Map<String, Object> object) {
        StringBuilder out = new StringBuilder();
        write(object, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> object) {
            writeObject(object, out);
        } else if (value instanceof List<?> array) {
            writeArray(array, out);
        } else if (value instanceof String text) {
            writeString(text, out);
        } else if (value instanceof LexicalJson.Number number) {
            writeNumber(number, out);
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeObject(Map<?, ?> object, StringBuilder out) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        object.forEach((name, member) -> sorted.put((String) name, member));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> member : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(member.getKey(), out);
            out.append(':');
            write(member.getValue(), out);
        }
        out.append('}');
    }

    private static void writeArray(List<?> array, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(array.get(i), out);
        }
        out.append(']');
    }

    private static void writeNumber(LexicalJson.Number number, StringBuilder out) {
        out.append(EcmaScriptNumbers.jsonText(number.lexeme()));
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(text, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }
}
