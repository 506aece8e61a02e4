package com.fanzfinance.ledger.client;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import com.fanzfinance.ledger.command.Uint128;

/**
 * Typed reads of one object of a {@link JsonTree}, with the API's encodings: UUID strings for 128-bit
 * values, decimal strings (or numbers) for 64-bit values, numbers for 32-bit ones, name arrays for flags.
 * An absent or null field is zero, as on the request side. A value of the wrong type or range is a
 * malformed response.
 */
final class JsonFields {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private final Map<String, Object> fields;

    JsonFields(Map<String, Object> fields) {
        this.fields = fields;
    }

    static JsonFields of(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw JsonTree.malformed(what + " is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonFields(fields);
    }

    boolean has(String name) {
        return fields.get(name) != null;
    }

    Uint128 uuid(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return Uint128.ZERO;
        }
        try {
            return Uint128.fromUuid(requireType(name, value, String.class));
        } catch (IllegalArgumentException e) {
            throw JsonTree.malformed("'" + name + "' is not a canonical UUID: " + value);
        }
    }

    /** A 64-bit unsigned value as its low 64 bits (so above 2^63-1 it reads as negative, as in Java). */
    long unsigned64(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return 0;
        }
        BigInteger number = value instanceof String text ? decimal(name, text) : requireType(name, value, BigInteger.class);
        if (number.signum() < 0 || number.compareTo(U64_MAX) > 0) {
            throw JsonTree.malformed("'" + name + "' is out of range: " + number);
        }
        return number.longValue();
    }

    /** A 32-bit unsigned value as its 32 bits. */
    int unsigned32(String name) {
        return (int) integer(name, 0, U32_MAX);
    }

    long integer(String name, long min, long max) {
        Object value = fields.get(name);
        if (value == null) {
            return 0;
        }
        BigInteger number = requireType(name, value, BigInteger.class);
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw JsonTree.malformed("'" + name + "' is out of range: " + number);
        }
        return number.longValue();
    }

    /** A string, or null when absent. */
    String text(String name) {
        Object value = fields.get(name);
        return value == null ? null : requireType(name, value, String.class);
    }

    /** Flag names to bits; a name this client does not know is refused rather than dropped. */
    int flags(String name, ToIntFunction<String> bitOf) {
        int flags = 0;
        for (Object flag : list(name)) {
            String flagName = requireType(name, flag, String.class);
            int bit = bitOf.applyAsInt(flagName);
            if (bit == 0) {
                throw JsonTree.malformed("unknown flag '" + flagName + "' in '" + name + "'");
            }
            flags |= bit;
        }
        return flags;
    }

    /** The objects of an array field; an absent field is an empty array. */
    List<JsonFields> objects(String name) {
        List<JsonFields> objects = new ArrayList<>();
        for (Object item : list(name)) {
            objects.add(of(item, "an item of '" + name + "'"));
        }
        return objects;
    }

    private List<?> list(String name) {
        Object value = fields.get(name);
        return value == null ? List.of() : requireType(name, value, List.class);
    }

    private static BigInteger decimal(String name, String text) {
        if (text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw JsonTree.malformed("'" + name + "' is not a decimal number: " + text);
        }
        return new BigInteger(text);
    }

    private static <T> T requireType(String name, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw JsonTree.malformed("'" + name + "' is a " + value.getClass().getSimpleName() + ", not a "
                + type.getSimpleName());
        }
        return type.cast(value);
    }
}
