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
        return canonical(text == null || text.length() != UUID_LENGTH ? null : parse(text, null, 0));
    }

    /**
     * {@link #fromUuid(String)} of {@code length} characters of {@code text} from {@code offset}, without making
     * a string of them (a JSON parser's own buffer).
     *
     * @throws IllegalArgumentException if they are not a canonical UUID
     */
    public static Uint128 fromUuid(char[] text, int offset, int length) {
        return canonical(length != UUID_LENGTH ? null : parse(null, text, offset));
    }

    /** True for exactly the texts {@link #toUuidString()} produces. */
    public static boolean isCanonicalUuid(String text) {
        return text != null && text.length() == UUID_LENGTH && parse(text, null, 0) != null;
    }

    private static final int UUID_LENGTH = 36;
    /** Lower-case hex digits' values by character; -1 for everything else. */
    private static final byte[] HEX = hexDigits();

    /** The value of 36 characters from {@code string}, or else from {@code chars} at {@code from}; null if not canonical. */
    private static Uint128 parse(String string, char[] chars, int from) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = chars != null ? chars[from + i] : string.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int digit = c < HEX.length ? HEX[c] : -1;
            if (digit < 0) {
                return null;
            }
            if (i < 18) {
                high = high << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return new Uint128(high, low);
    }

    private static Uint128 canonical(Uint128 parsed) {
        if (parsed == null) {
            throw new IllegalArgumentException("not a canonical UUID (8-4-4-4-12 lower-case hex digits)");
        }
        return parsed;
    }

    private static byte[] hexDigits() {
        byte[] digits = new byte['f' + 1];
        java.util.Arrays.fill(digits, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            digits[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            digits[c] = (byte) (c - 'a' + 10);
        }
        return digits;
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
