package com.fanzfinance.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Uint128;

/**
 * A streaming JSON reader that knows where it is: every value it hands out is checked for type and range,
 * and every problem names the JSON pointer of the offending value ({@code /transfers/3/amount}).
 * Duplicate keys are an error. Wraps Jackson's parser; one reader per request.
 */
final class JsonReader implements AutoCloseable {
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    static final BigInteger I63_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonParser parser;

    JsonReader(InputStream in) {
        try {
            this.parser = FACTORY.createParser(in);
        } catch (IOException e) {
            throw Problem.malformedJson("cannot read the request body", "");
        }
    }

    /** Moves to the next token; malformed input becomes a problem at {@code pointer}. */
    JsonToken next(String pointer) {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw Problem.malformedJson("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ": " + plain(e.getOriginalMessage()), pointer);
        } catch (IOException e) {
            if (e.getCause() instanceof Problem problem) {
                throw problem;
            }
            throw Problem.malformedJson("cannot read the request body: " + e.getMessage(), pointer);
        }
    }

    JsonToken current() {
        return parser.currentToken();
    }

    String fieldName() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw Problem.malformedJson(e.getMessage(), "");
        }
    }

    void expect(JsonToken wanted, String pointer, String what) {
        JsonToken token = next(pointer);
        if (token == null) {
            throw Problem.malformedJson(what + " expected, found the end of the input", pointer);
        }
        if (token != wanted) {
            throw Problem.invalidField(what + " expected, found " + describe(token), pointer);
        }
    }

    /** After the root value: anything but the end of input is an error. */
    void expectEnd() {
        JsonToken token = next("");
        if (token != null) {
            throw Problem.malformedJson("unexpected content after the JSON value", "");
        }
    }

    Uint128 uuid(String pointer) {
        JsonToken token = next(pointer);
        if (token == JsonToken.VALUE_NULL) {
            return Uint128.ZERO;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw Problem.invalidField("a UUID string expected, found " + describe(token), pointer);
        }
        String text = text();
        try {
            return Uint128.fromUuid(text);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a canonical UUID: '" + abbreviate(text) + "'", pointer);
        }
    }

    /** A 64-bit value as a JSON integer or a decimal string, within 0 … {@code max}; returned as its low 64 bits. */
    long unsigned64(String pointer, BigInteger max) {
        JsonToken token = next(pointer);
        BigInteger value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            value = bigInteger(pointer);
        } else if (token == JsonToken.VALUE_STRING) {
            String text = text();
            if (!text.matches("[0-9]{1,20}")) {
                throw Problem.invalidField("a non-negative whole number expected, found '" + abbreviate(text) + "'",
                    pointer);
            }
            value = new BigInteger(text);
        } else {
            throw Problem.invalidField("a whole number or a decimal string expected, found " + describe(token), pointer);
        }
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw Problem.invalidField("must be in 0.." + max + ", was " + value, pointer);
        }
        return value.longValue();
    }

    /** A JSON integer within {@code min} … {@code max}. */
    long integer(String pointer, long min, long max) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw Problem.invalidField("a whole number expected, found " + describe(token), pointer);
        }
        BigInteger value = bigInteger(pointer);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw Problem.invalidField("must be in " + min + ".." + max + ", was " + value, pointer);
        }
        return value.longValue();
    }

    boolean bool(String pointer) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw Problem.invalidField("true or false expected, found " + describe(token), pointer);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    String string(String pointer) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_STRING) {
            throw Problem.invalidField("a string expected, found " + describe(token), pointer);
        }
        return text();
    }

    /** A JSON object copied compactly into bytes, at most {@link SideData#METADATA_MAX_BYTES}. */
    byte[] object(String pointer) {
        JsonToken token = next(pointer);
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw Problem.invalidField("a JSON object expected, found " + describe(token), pointer);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            generator.copyCurrentStructure(parser);
        } catch (JsonProcessingException e) {
            throw Problem.malformedJson("malformed JSON in metadata: " + e.getOriginalMessage(), pointer);
        } catch (IOException e) {
            throw Problem.malformedJson("cannot read metadata: " + e.getMessage(), pointer);
        }
        if (bytes.size() > SideData.METADATA_MAX_BYTES) {
            throw Problem.invalidField("metadata is " + bytes.size() + " bytes; at most " + SideData.METADATA_MAX_BYTES
                + " are allowed", pointer);
        }
        return bytes.toByteArray();
    }

    /** Skips the value just begun (used only where the caller has decided to ignore it). */
    void skipChildren() {
        try {
            parser.skipChildren();
        } catch (IOException e) {
            throw Problem.malformedJson(e.getMessage(), "");
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // the request is over either way
        }
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    String text() {
        try {
            return parser.getText();
        } catch (IOException e) {
            throw Problem.malformedJson(e.getMessage(), "");
        }
    }

    private BigInteger bigInteger(String pointer) {
        try {
            return parser.getBigIntegerValue();
        } catch (IOException e) {
            throw Problem.invalidField("not a whole number", pointer);
        }
    }

    /** Jackson's message without its note about the (redacted) source. */
    private static String plain(String message) {
        return message == null ? "" : message.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
