package com.fanzfinance.server.payments.posting;

import java.math.BigInteger;

/**
 * {@code rhe(x × bp / 10000)}: a share of an amount in basis points, exact and rounded half to even
 * (PAYMENTS-API conventions), so that a split never drifts by a cent over many events and is the same on
 * every machine. Integer arithmetic throughout; {@code x × bp} is formed in 128 bits
 * ({@link Math#multiplyHigh}) and only a product past 63 bits (amounts above ~922 trillion minor units) takes
 * the {@link BigInteger} path.
 */
public final class BasisPoints {
    public static final int WHOLE = 10_000;
    private static final BigInteger WHOLE_BIG = BigInteger.valueOf(WHOLE);

    private BasisPoints() {
    }

    /**
     * {@code amount × bp / 10000} rounded half to even.
     *
     * @param amount minor units, 0 … {@link Long#MAX_VALUE}
     * @param bp     0 … 10000
     */
    public static long rhe(long amount, int bp) {
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount);
        }
        requireBp("bp", bp);
        long low = amount * bp;
        if (Math.multiplyHigh(amount, bp) == 0 && low >= 0) {
            return halfEven(low / WHOLE, low % WHOLE);
        }
        BigInteger[] quotientAndRemainder = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(bp))
            .divideAndRemainder(WHOLE_BIG);
        return halfEven(quotientAndRemainder[0].longValueExact(), quotientAndRemainder[1].longValue());
    }

    /** The quotient, plus one if the remainder is over half, or exactly half and the quotient odd. */
    private static long halfEven(long quotient, long remainder) {
        long twice = 2 * remainder;
        boolean up = twice > WHOLE || (twice == WHOLE && (quotient & 1) == 1);
        return up ? quotient + 1 : quotient;
    }

    static void requireBp(String name, int bp) {
        if (bp < 0 || bp > WHOLE) {
            throw new IllegalArgumentException(name + " must be 0.." + WHOLE + ", was " + bp);
        }
    }
}
