package com.fanzfinance.gateway.nowpayments;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON body read with every number kept as the text it was sent as. NOWPayments' amounts must be read from
 * their lexeme (never through a binary floating point), and its signature fallback must re-serialise numbers the
 * way JavaScript would: both need the number's text, which a tree of Jackson nodes does not keep.
 *
 * <p>Objects become insertion-ordered maps (a repeated name keeps its last value, as {@code JSON.parse} does),
 * arrays lists, strings {@link String}, booleans {@link Boolean}, numbers {@link Number} and {@code null} a
 * {@code null} map value or list element.
 */
final class LexicalJson {

    /** A JSON number as sent, e.g. {@code 20}, {@code 0.000002}, {@code 2e-7}. */
    record Number(String lexeme) {
        Number {
            Objects.requireNonNull(lexeme, "lexeme");
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private LexicalJson() {
    }

    /** The body as a JSON object, when it is exactly one (nothing but white space after it). */
    static Optional<Map<String, Object>> parseObject(byte[] body) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Map<String, Object> object = readObject(parser);
            return parser.nextToken() == null ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.put(name, readValue(parser));
        }
        return object;
    }

    private static List<Object> readArray(JsonParser parser) throws IOException {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(readValue(parser));
        }
        return array;
    }

    private static Object readValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> readArray(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Number(parser.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }
}
