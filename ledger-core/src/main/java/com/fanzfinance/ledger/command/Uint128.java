package com.fanzfinance.ledger.command;

import java.util.UUID;

/**
 * An unsigned 128-bit value: ids, pending ids and {@code user_data_128}. On the wire it is two
 * little-endian longs, low half first; in JSON a canonical UUID string whose first 64 bits are the high
 * half, so the all-ones value is {@code ffffffff-ffff-ffff-ffff-ffffffffffff}.
 */
public record Uint128(long high, long low) implements Comparable<Uint128> {
    public static final Uint128 ZERO = new Uint128(0, 0);
    public static final Uint128 MAX = new Uint128(-1, -1);

    public static Uint128 of(long low) {
        return new Uint128(0, low);
    }

    public static Uint128 of(long high, long low) {
        return new Uint128(high, low);
    }

    /**
     * Parses a canonical UUID string: {@code 8-4-4-4-12} lower-case hex digits and nothing else (no sign,
     * no upper case, no missing hyphens), so that every value has exactly one text and an id that looks
     * different is different.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static Uint128 fromUuid(String text) {
        if (!isCanonicalUuid(text)) {
            throw new IllegalArgumentException("not a canonical UUID (8-4-4-4-12 lower-case hex digits)");
        }
        long high = hex(text, 0, 8) << 32 | hex(text, 9, 13) << 16 | hex(text, 14, 18);
        long low = hex(text, 19, 23) << 48 | hex(text, 24, 36);
        return new Uint128(high, low);
    }

    /** True for exactly the texts {@link #toUuidString()} produces. */
    public static boolean isCanonicalUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value << 4 | Character.digit(text.charAt(i), 16);
        }
        return value;
    }

    public boolean isZero() {
        return high == 0 && low == 0;
    }

    public String toUuidString() {
        return new UUID(high, low).toString();
    }

    @Override
    public int compareTo(Uint128 other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return toUuidString();
    }
}
