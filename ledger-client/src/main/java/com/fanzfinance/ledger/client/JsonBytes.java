package com.fanzfinance.ledger.client;

import java.nio.charset.StandardCharsets;

import com.fanzfinance.ledger.command.Uint128;

/**
 * JSON values written straight into a byte array, as Jackson's UTF-8 generator writes them: 128-bit values as
 * UUIDs (8-4-4-4-12 lower-case hex digits, as {@link com.fanzfinance.ledger.command.Uint128#toUuidString()}),
 * 64-bit values as decimal digits, signed or unsigned, and names that need no escaping. For the bodies written
 * by the thousand — the client's transfer batches ({@link JsonTransferBody}) and the server's batch answers.
 * Each {@code put} writes at {@code at} and returns where it stopped; the caller sizes the array.
 */
public final class JsonBytes {
    private static final byte[] HEX_DIGITS = ascii("0123456789abcdef");
    /** 10^0 … 10^18; a non-negative long has at most 19 digits. */
    private static final long[] POWERS_OF_TEN = powersOfTen();
    /** 10^19, read as unsigned: the least unsigned value with 20 digits. */
    private static final long TEN_TO_THE_19 = Long.parseUnsignedLong("10000000000000000000");

    /** Bytes of a UUID. */
    public static final int UUID_BYTES = 36;

    private JsonBytes() {
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes of {@code text}, which JSON must write as it is: printable ASCII, no quote, no backslash. */
    public static byte[] plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7E) {
                throw new IllegalArgumentException("JSON would escape or encode a character of: " + text);
            }
        }
        return ascii(text);
    }

    public static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** A 128-bit value as a UUID. */
    public static int putUuid(byte[] out, int at, Uint128 value) {
        return putUuid(out, at, value.high(), value.low());
    }

    /** A 128-bit value, given by its two halves, as a UUID. */
    public static int putUuid(byte[] out, int at, long high, long low) {
        at = putHex(out, at, high >>> 32, 8);
        out[at++] = '-';
        at = putHex(out, at, high >>> 16, 4);
        out[at++] = '-';
        at = putHex(out, at, high, 4);
        out[at++] = '-';
        at = putHex(out, at, low >>> 48, 4);
        out[at++] = '-';
        return putHex(out, at, low, 12);
    }

    /** The low {@code digits} hex digits of {@code value}. */
    private static int putHex(byte[] out, int at, long value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = HEX_DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
        return at + digits;
    }

    /** {@code value} as {@link Long#toString(long)} spells it. */
    public static int putSigned(byte[] out, int at, long value) {
        if (value < 0) {
            out[at++] = '-';
            return putUnsigned(out, at, -value); // Long.MIN_VALUE negated is itself: 2^63 read as unsigned
        }
        return putUnsigned(out, at, value);
    }

    /** The bytes {@link #putSigned} writes. */
    public static int signedLength(long value) {
        return value < 0 ? 1 + unsignedLength(-value) : unsignedLength(value);
    }

    /** {@code value} as {@link Long#toUnsignedString(long)} spells it. */
    public static int putUnsigned(byte[] out, int at, long value) {
        int end = at + unsignedLength(value);
        int i = end;
        if (value < 0) {
            long tens = Long.divideUnsigned(value, 10);
            out[--i] = (byte) ('0' + (value - tens * 10));
            value = tens;
        }
        while (value >= 10) {
            long tens = value / 10;
            out[--i] = (byte) ('0' + (value - tens * 10));
            value = tens;
        }
        out[--i] = (byte) ('0' + value);
        return end;
    }

    /** How many digits {@code value} has, read as unsigned: 1 … 20. */
    public static int unsignedLength(long value) {
        if (value < 0) {
            return Long.compareUnsigned(value, TEN_TO_THE_19) < 0 ? 19 : 20;
        }
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        return digits;
    }

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
