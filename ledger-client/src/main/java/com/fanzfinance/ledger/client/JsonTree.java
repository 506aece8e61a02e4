package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.METADATA;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A response body as plain Java values: objects as maps, arrays as lists, strings, whole numbers as
 * {@link BigInteger} (so no 64-bit value is rounded), booleans and null. A {@code metadata} object is
 * kept as its compact JSON text, since it is opaque to the client. Unknown fields are simply there, so
 * the server may add fields without breaking the client. Allocates per value.
 */
final class JsonTree {
    /** The one parser configuration for answers (the streamed readings use it too, so they tokenize alike). */
    static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /** The root object of {@code body}. */
    static Map<String, Object> parseObject(byte[] body) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the response is not a JSON object");
            }
            return readObject(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed JSON response from the ledger: " + e.getMessage(), e);
        }
    }

    /** A response that does not have the shape the API promises. */
    static UncheckedIOException malformed(String detail) {
        return new UncheckedIOException(new IOException("unexpected response from the ledger: " + detail));
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals(METADATA) && token == JsonToken.START_OBJECT) {
                object.put(name, copy(parser));
            } else {
                object.put(name, readValue(parser, token));
            }
        }
        return object;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> readArray(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw malformed("unexpected " + token);
        };
    }

    private static List<Object> readArray(JsonParser parser) throws IOException {
        List<Object> array = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            array.add(readValue(parser, token));
        }
        return array;
    }

    private static String copy(JsonParser parser) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            generator.copyCurrentStructure(parser);
        }
        return text.toString();
    }
}
