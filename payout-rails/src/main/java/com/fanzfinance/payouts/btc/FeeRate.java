package com.fanzfinance.payouts.btc;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A fee rate in thousandths of a satoshi per virtual byte, so that a decimal sat/vB from a fee estimator is kept
 * without {@code double} (rounded up to the next 0.001 sat/vB).
 *
 * @param milliSatPerVb the rate in 1/1000 sat per vB, at least 1
 */
public record FeeRate(long milliSatPerVb) implements Comparable<FeeRate> {

    public FeeRate {
        if (milliSatPerVb < 1 || milliSatPerVb > 100_000_000L) {
            throw new IllegalArgumentException("a fee rate is 0.001 to 100000 sat/vB");
        }
    }

    /** A whole number of sat/vB. */
    public static FeeRate ofSatPerVb(long satPerVb) {
        return new FeeRate(Math.multiplyExact(satPerVb, 1000L));
    }

    /** A decimal sat/vB (an estimator's answer, a setting), rounded up to 0.001 sat/vB. */
    public static FeeRate ofSatPerVb(BigDecimal satPerVb) {
        if (satPerVb.signum() <= 0) {
            throw new IllegalArgumentException("a fee rate is positive");
        }
        return new FeeRate(satPerVb.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /** The fee for a transaction of {@code vsize} vbytes: ceil(vsize × rate) in satoshis. */
    public long feeFor(long vsize) {
        if (vsize <= 0) {
            throw new IllegalArgumentException("vsize must be positive");
        }
        long milli = Math.multiplyExact(vsize, milliSatPerVb);
        return milli / 1000 + (milli % 1000 == 0 ? 0 : 1);
    }

    /** The rate as a decimal sat/vB ({@code 2.5}). */
    public BigDecimal satPerVb() {
        return BigDecimal.valueOf(milliSatPerVb, 3).stripTrailingZeros();
    }

    @Override
    public int compareTo(FeeRate other) {
        return Long.compare(milliSatPerVb, other.milliSatPerVb);
    }

    @Override
    public String toString() {
        return satPerVb().toPlainString() + " sat/vB";
    }
}
