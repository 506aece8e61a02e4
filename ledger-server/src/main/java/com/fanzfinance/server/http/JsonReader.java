package com.fanzfinance.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Uint128;

/**
 * A streaming JSON reader that knows where it is: every value it hands out is checked for type and range,
 * and every problem names the JSON pointer of the offending value ({@code /transfers/3/amount}).
 * Duplicate keys are an error. Wraps Jackson's parser; one reader per request.
 *
 * <p>No token can make it buffer much: strings, keys and numbers longer than {@link #TOKEN_CHARS_MAX}
 * (the metadata limit — nothing valid is longer) are refused while they are read, and nesting is capped.
 */
final class JsonReader implements AutoCloseable {
    /** The longest string, key or number any request may hold: the largest metadata object. */
    static final int TOKEN_CHARS_MAX = SideData.METADATA_MAX_BYTES;
    /** Deepest nesting of arrays and objects (metadata included). */
    static final int NESTING_MAX = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(TOKEN_CHARS_MAX)
            .maxNameLength(TOKEN_CHARS_MAX).maxNumberLength(TOKEN_CHARS_MAX).maxNestingDepth(NESTING_MAX).build())
        .build();
    /** Digits of the largest whole number any field takes (2^64-1). */
    private static final int WHOLE_DIGITS_MAX = 20;
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

    /**
     * Moves to the next token; malformed input becomes a problem at {@code pointer} (the value being read,
     * or the object whose next key is read — a value too long to read is then named by its key).
     */
    JsonToken next(CharSequence pointer) {
        try {
            return parser.nextToken();
        } catch (StreamConstraintsException e) {
            throw tooLong(e, fieldPointer(pointer));
        } catch (JsonProcessingException e) {
            throw malformed(e, pointer);
        } catch (IOException e) {
            throw unreadable(e, pointer);
        }
    }

    JsonToken current() {
        return parser.currentToken();
    }

    String fieldName() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw Problem.malformedJson(plain(e.getMessage()), "");
        }
    }

    void expect(JsonToken wanted, CharSequence pointer, String what) {
        JsonToken token = next(pointer);
        if (token == null) {
            throw Problem.malformedJson(what + " expected, found the end of the input", at(pointer));
        }
        if (token != wanted) {
            throw Problem.invalidField(what + " expected, found " + describe(token), at(pointer));
        }
    }

    /** After the root value: anything but the end of input is an error. */
    void expectEnd() {
        JsonToken token = next("");
        if (token != null) {
            throw Problem.malformedJson("unexpected content after the JSON value", "");
        }
    }

    Uint128 uuid(CharSequence pointer) {
        JsonToken token = next(pointer);
        if (token == JsonToken.VALUE_NULL) {
            return Uint128.ZERO;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw Problem.invalidField("a UUID string expected, found " + describe(token), at(pointer));
        }
        // Straight from the parser's buffer: no string per id.
        char[] chars = reading(pointer, parser::getTextCharacters);
        int from = reading(pointer, parser::getTextOffset);
        int length = reading(pointer, parser::getTextLength);
        try {
            return Uint128.fromUuid(chars, from, length);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a canonical UUID: '" + abbreviate(text(pointer)) + "'", at(pointer));
        }
    }

    /** A 64-bit value as a JSON integer or a decimal string, within 0 … {@code max}; returned as its low 64 bits. */
    long unsigned64(CharSequence pointer, BigInteger max) {
        JsonToken token = next(pointer);
        if (token == JsonToken.VALUE_NUMBER_INT) {
            long small = smallWhole(pointer);
            if (small != NOT_SMALL) {
                return inRange(small, max, pointer);
            }
            return inRange(bigInteger(pointer, max), max, pointer);
        }
        if (token != JsonToken.VALUE_STRING) {
            throw Problem.invalidField("a whole number or a decimal string expected, found " + describe(token),
                at(pointer));
        }
        char[] chars = reading(pointer, parser::getTextCharacters);
        int from = reading(pointer, parser::getTextOffset);
        int length = reading(pointer, parser::getTextLength);
        boolean digits = length >= 1 && length <= WHOLE_DIGITS_MAX;
        long value = 0;
        boolean beyond64 = false;
        for (int i = 0; digits && i < length; i++) {
            char c = chars[from + i];
            digits = c >= '0' && c <= '9';
            int digit = c - '0';
            // value * 10 + digit as an unsigned 64-bit number, noting when it would pass 2^64 - 1
            beyond64 |= Long.compareUnsigned(value, U64_MAX_TENTH) > 0
                || value == U64_MAX_TENTH && digit > U64_MAX_LAST_DIGIT;
            value = value * 10 + digit;
        }
        if (!digits) {
            throw Problem.invalidField("a non-negative whole number expected, found '" + abbreviate(text(pointer))
                + "'", at(pointer));
        }
        if (beyond64) {
            // past 2^64 - 1, refused with the value as written
            return inRange(new BigInteger(new String(chars, from, length)), max, pointer);
        }
        if (max.bitLength() <= 64 && Long.compareUnsigned(value, max.longValue()) > 0) {
            throw Problem.invalidField("must be in 0.." + max + ", was " + Long.toUnsignedString(value), at(pointer));
        }
        return value;
    }

    /** (2^64 - 1) / 10 and its remainder: the bounds of one more decimal digit on an unsigned 64-bit value. */
    private static final long U64_MAX_TENTH = Long.divideUnsigned(-1L, 10);
    private static final int U64_MAX_LAST_DIGIT = (int) Long.remainderUnsigned(-1L, 10);

    /** A marker no small whole number takes: {@link #smallWhole} found a number outside the long range. */
    private static final long NOT_SMALL = Long.MIN_VALUE;

    /** The current JSON integer if it fits a long (and is not {@link #NOT_SMALL}), else {@link #NOT_SMALL}. */
    private long smallWhole(CharSequence pointer) {
        try {
            JsonParser.NumberType type = parser.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                return parser.getLongValue();
            }
            return NOT_SMALL;
        } catch (IOException e) {
            throw Problem.invalidField("not a whole number", at(pointer));
        }
    }

    /** {@code value} (non-negative, as signed) if it is at most {@code max}, as its low 64 bits. */
    private static long inRange(long value, BigInteger max, CharSequence pointer) {
        if (value < 0 || (max.bitLength() < 64 && value > max.longValue())) {
            throw Problem.invalidField("must be in 0.." + max + ", was " + value, at(pointer));
        }
        return value;
    }

    private static long inRange(BigInteger value, BigInteger max, CharSequence pointer) {
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw Problem.invalidField("must be in 0.." + max + ", was " + value, at(pointer));
        }
        return value.longValue();
    }

    /** A JSON integer within {@code min} … {@code max}. */
    long integer(CharSequence pointer, long min, long max) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw Problem.invalidField("a whole number expected, found " + describe(token), at(pointer));
        }
        long small = smallWhole(pointer);
        if (small != NOT_SMALL) {
            if (small < min || small > max) {
                throw Problem.invalidField("must be in " + min + ".." + max + ", was " + small, at(pointer));
            }
            return small;
        }
        BigInteger value = bigInteger(pointer, BigInteger.valueOf(max));
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw Problem.invalidField("must be in " + min + ".." + max + ", was " + value, at(pointer));
        }
        return value.longValue();
    }

    boolean bool(CharSequence pointer) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw Problem.invalidField("true or false expected, found " + describe(token), at(pointer));
        }
        return token == JsonToken.VALUE_TRUE;
    }

    String string(CharSequence pointer) {
        JsonToken token = next(pointer);
        if (token != JsonToken.VALUE_STRING) {
            throw Problem.invalidField("a string expected, found " + describe(token), at(pointer));
        }
        return text(pointer);
    }

    /**
     * A JSON object copied compactly and exactly into bytes (see {@link MetadataCopy}), at most
     * {@link SideData#METADATA_MAX_BYTES}; null for a JSON null.
     */
    byte[] object(CharSequence pointer) {
        JsonToken token = next(pointer);
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw Problem.invalidField("a JSON object expected, found " + describe(token), at(pointer));
        }
        return MetadataCopy.copy(parser, at(pointer));
    }

    /** Skips the value just begun (used only where the caller has decided to ignore it). */
    void skipChildren() {
        try {
            parser.skipChildren();
        } catch (StreamConstraintsException e) {
            throw tooLong(e, "");
        } catch (JsonProcessingException e) {
            throw malformed(e, "");
        } catch (IOException e) {
            throw unreadable(e, "");
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

    /** The current string's text (problems point nowhere in particular; prefer {@link #text(String)}). */
    String text() {
        return text("");
    }

    /** The current string's text; a string too long to read is a problem at {@code pointer}. */
    String text(CharSequence pointer) {
        return reading(pointer, parser::getText);
    }

    /** A read of the parser's current token that may fail: a failure becomes the problem at {@code pointer}. */
    private static <T> T reading(CharSequence pointer, TokenRead<T> read) {
        try {
            return read.get();
        } catch (StreamConstraintsException e) {
            throw tooLong(e, pointer);
        } catch (JsonProcessingException e) {
            throw malformed(e, pointer);
        } catch (IOException e) {
            throw unreadable(e, pointer);
        }
    }

    /** Reads something of the current token. */
    @FunctionalInterface
    private interface TokenRead<T> {
        T get() throws IOException;
    }

    /**
     * The current whole number, refused without parsing it when it has more digits than {@code max} can
     * (a number of thousands of digits is out of range, not worth a big-integer parse).
     */
    private BigInteger bigInteger(CharSequence pointer, BigInteger max) {
        try {
            int digits = parser.getTextLength() - (parser.getTextCharacters()[parser.getTextOffset()] == '-' ? 1 : 0);
            if (digits > WHOLE_DIGITS_MAX) {
                throw Problem.invalidField("must be in 0.." + max + ", was a number of " + digits + " digits",
                    at(pointer));
            }
            return parser.getBigIntegerValue();
        } catch (IOException e) {
            throw Problem.invalidField("not a whole number", at(pointer));
        }
    }

    /** Where a key's value that could not be read sits: {@code pointer} plus the key, inside an object. */
    private String fieldPointer(CharSequence pointer) {
        JsonStreamContext context = parser.getParsingContext();
        String name = context == null || !context.inObject() ? null : context.getCurrentName();
        return name == null ? at(pointer) : pointer + "/" + name;
    }

    private static Problem tooLong(StreamConstraintsException e, CharSequence pointer) {
        return Problem.invalidField("longer or deeper than any valid value: " + plain(e.getOriginalMessage()),
            at(pointer));
    }

    /**
     * The parser's own I/O failures (such as bytes that are no valid encoding) are malformed input: a
     * failure to read the body itself arrives as the problem {@link CappedInputStream} throws.
     */
    static Problem unreadable(IOException e, CharSequence pointer) {
        return Problem.malformedJson("cannot read the body as JSON: " + plain(e.getMessage()), at(pointer));
    }

    private static Problem malformed(JsonProcessingException e, CharSequence pointer) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return Problem.malformedJson("malformed JSON" + where + ": " + plain(e.getOriginalMessage()), at(pointer));
    }

    /** The pointer as the text a problem names (built only when there is a problem to report). */
    private static String at(CharSequence pointer) {
        return pointer.toString();
    }

    /** Jackson's message without its note about the (redacted) source or the constraint's setter. */
    static String plain(String message) {
        return message == null ? "" : message.replaceAll("\\[Source: [^;\\]]*; ", "[")
            .replaceAll(", from `StreamReadConstraints\\.[a-zA-Z]+\\(\\)`", "")
            .replaceAll(" \\(from `StreamReadConstraints\\.[a-zA-Z]+\\(\\)`\\)", "");
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
