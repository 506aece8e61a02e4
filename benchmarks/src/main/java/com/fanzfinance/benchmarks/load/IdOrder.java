package com.fanzfinance.benchmarks.load;

import com.fanzfinance.ledger.command.Uint128;

/**
 * How the generator turns an object number (1, 2, 3, …) into a 128-bit id, as TigerBeetle's benchmark
 * {@code --id-order}: {@code sequential} ids are the number itself; {@code random} ids are a keyed,
 * invertible 64-bit mix of it (low half) and a second mix of that (high half), so they look random, never
 * collide, and {@link #decode} recovers the number without a lookup table.
 */
public enum IdOrder {
    SEQUENTIAL,
    RANDOM;

    private static final long MIX_1 = 0xff51afd7ed558ccdL;
    private static final long MIX_2 = 0xc4ceb9fe1a85ec53L;
    private static final long UNMIX_1 = inverse(MIX_1);
    private static final long UNMIX_2 = inverse(MIX_2);

    /** The id of object {@code number} (1-based) under {@code key}. */
    public Uint128 encode(long number, long key) {
        if (this == SEQUENTIAL) {
            return Uint128.of(number);
        }
        long low = mix(number ^ key);
        return Uint128.of(mix(low ^ ~key) | 1L, low);
    }

    /** The object number of {@code id}, or -1 if no number encodes to it. */
    public long decode(Uint128 id, long key) {
        long number = this == SEQUENTIAL ? id.low() : unmix(id.low()) ^ key;
        return id.equals(encode(number, key)) ? number : -1;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection on longs. */
    static long mix(long value) {
        long k = value;
        k ^= k >>> 33;
        k *= MIX_1;
        k ^= k >>> 33;
        k *= MIX_2;
        k ^= k >>> 33;
        return k;
    }

    /** The inverse of {@link #mix}: a right shift by 33 undoes itself, an odd multiplier has an inverse. */
    static long unmix(long value) {
        long k = value;
        k ^= k >>> 33;
        k *= UNMIX_2;
        k ^= k >>> 33;
        k *= UNMIX_1;
        k ^= k >>> 33;
        return k;
    }

    /** The multiplicative inverse modulo 2^64 of an odd number (Newton's iteration, 6 steps suffice). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
