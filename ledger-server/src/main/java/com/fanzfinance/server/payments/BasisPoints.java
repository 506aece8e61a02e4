package com.fanzfinance.server.payments;

import java.math.BigInteger;

/** {@code rhe(x × bp / 10000)}: a basis-point part of an amount, rounded half-even, in exact integer arithmetic. */
public final class BasisPoints {
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private BasisPoints() {
    }

    public static long of(long amount, int bp) {
        BigInteger[] division = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(bp)).divideAndRemainder(TEN_THOUSAND);
        long quotient = division[0].longValueExact();
        int twice = division[1].abs().intValueExact() * 2;
        if (twice > 10_000 || twice == 10_000 && (quotient & 1) == 1) {
            quotient += division[1].signum();
        }
        return quotient;
    }
}
