package com.fanzfinance.reconciliation.match;

import java.math.BigInteger;

/**
 * How far a statement may be from the ledger and still match.
 *
 * <p>Amounts (and fees) match when {@code |statement − ledger| ≤ max(amount, rhe(|ledger| × amountBp / 10000))}:
 * an absolute tolerance in minor units, or a relative one in basis points of the ledger side, whichever is
 * larger; {@code rhe} rounds half to even, computed exactly in integers (1 bp of 5000 is 0.5, rounded to 0;
 * 1 bp of 15000 is 1.5, rounded to 2; see {@link #relative(long)}). The same rule compares fees. Dates match
 * when they are at most {@code days} days apart.
 *
 * @param amount   absolute amount tolerance in minor units, {@code ≥ 0}
 * @param amountBp relative amount tolerance in basis points of the ledger amount, {@code 0..10000}
 * @param days     date tolerance in days, {@code 0..31}
 */
public record Tolerances(long amount, int amountBp, int days) {

    /** No tolerance: amounts, fees and dates must be equal. */
    public static final Tolerances EXACT = new Tolerances(0, 0, 0);

    private static final long BP = 10_000;
    private static final BigInteger BIG_BP = BigInteger.valueOf(BP);

    public Tolerances {
        if (amount < 0) {
            throw new IllegalArgumentException("the amount tolerance must be 0 or more, not " + amount);
        }
        if (amountBp < 0 || amountBp > BP) {
            throw new IllegalArgumentException("the amount tolerance in basis points must be 0..10000, not " + amountBp);
        }
        if (days < 0 || days > 31) {
            throw new IllegalArgumentException("the date tolerance must be 0..31 days, not " + days);
        }
    }

    /**
     * {@code rhe(|ledger| × amountBp / 10000)}: the relative tolerance for a ledger amount, rounded half to
     * even (exact; saturates at {@link Long#MAX_VALUE}, which only {@code |Long.MIN_VALUE|} at 10000 bp reaches).
     */
    public long relative(long ledger) {
        if (amountBp == 0) {
            return 0;
        }
        if (ledger != Long.MIN_VALUE && Math.abs(ledger) <= Long.MAX_VALUE / BP) {
            long p = Math.abs(ledger) * amountBp;
            return roundHalfEven(p / BP, p % BP);
        }
        BigInteger[] qr = BigInteger.valueOf(ledger).abs().multiply(BigInteger.valueOf(amountBp)).divideAndRemainder(BIG_BP);
        if (qr[0].bitLength() > 63) {
            return Long.MAX_VALUE;
        }
        long q = roundHalfEven(qr[0].longValue(), qr[1].longValue());
        return q < 0 ? Long.MAX_VALUE : q;
    }

    private static long roundHalfEven(long q, long r) {
        long twice = r * 2;
        return twice > BP || (twice == BP && (q & 1) == 1) ? q + 1 : q;
    }

    /** The tolerance that applies to a ledger amount: {@code max(amount, relative(ledger))}. */
    public long tolerance(long ledger) {
        return Math.max(amount, relative(ledger));
    }

    /** Whether a statement amount (or fee) matches a ledger amount (or fee), see the class comment. */
    public boolean amountWithin(long statement, long ledger) {
        long d = statement - ledger;
        if (((statement ^ ledger) & (statement ^ d)) < 0 || d == Long.MIN_VALUE) {
            return false; // |difference| ≥ 2^63 exceeds any tolerance
        }
        long abs = Math.abs(d);
        return abs <= amount || abs <= relative(ledger);
    }

    /** Whether two days (epoch days) are at most {@link #days()} apart. */
    public boolean daysWithin(int a, int b) {
        return Math.abs((long) a - b) <= days;
    }
}
