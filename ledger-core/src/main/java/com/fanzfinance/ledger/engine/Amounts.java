package com.fanzfinance.ledger.engine;

/**
 * Amount arithmetic with explicit overflow. Amounts and balances are 0 … {@link #MAX}; an amount read
 * from a record whose 128-bit value exceeds that is carried as an unsigned long above {@link #MAX}
 * (all ones when the high half is non-zero), so unsigned comparison keeps TigerBeetle's 128-bit
 * ordering and every sum involving it reports overflow.
 */
final class Amounts {
    /** The largest balance, and on a post the sentinel meaning "the full pending amount". */
    static final long MAX = Long.MAX_VALUE;
    static final long NANOSECONDS_PER_SECOND = 1_000_000_000L;

    private Amounts() {
    }

    /** The 128-bit amount as an unsigned long, saturated to all ones if it does not fit in 64 bits. */
    static long fromParts(long low, long high) {
        return high != 0 ? -1L : low;
    }

    /** True if {@code amount + balance} exceeds {@link #MAX}; {@code balance} is a valid balance. */
    static boolean sumOverflows(long amount, long balance) {
        return Long.compareUnsigned(amount, MAX - balance) > 0;
    }

    static boolean greaterThan(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    static boolean lessThan(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    /** The smaller of two amounts in unsigned order. */
    static long min(long a, long b) {
        return lessThan(a, b) ? a : b;
    }

    /** {@code a - b} floored at zero (saturating), for valid balances. */
    static long subtractSaturating(long a, long b) {
        return a > b ? a - b : 0;
    }

    /** The expiry instant of a pending transfer, or -1 if it would pass {@link #MAX}. */
    static long expiresAt(long timestamp, long timeoutSeconds) {
        long timeoutNs = timeoutSeconds * NANOSECONDS_PER_SECOND;
        return timestamp > MAX - timeoutNs ? -1 : timestamp + timeoutNs;
    }
}
