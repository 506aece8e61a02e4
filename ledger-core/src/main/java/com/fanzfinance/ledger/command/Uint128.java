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

    /** Parses a canonical UUID string ({@code 8-4-4-4-12} hex digits). */
    public static Uint128 fromUuid(String text) {
        if (text == null || text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-'
            || text.charAt(18) != '-' || text.charAt(23) != '-') {
            throw new IllegalArgumentException("not a canonical UUID: " + text);
        }
        UUID uuid = UUID.fromString(text);
        return new Uint128(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
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
