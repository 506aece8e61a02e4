package com.fanzfinance.server.http;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket of {@code burst} tokens refilled at {@code perSecond}, kept as one number: the
 * theoretical arrival time of the next request (the generic cell rate algorithm), so a take is a
 * comparison and an addition, with no refill loop and no floating point. Time comes from the caller.
 * Thread-safe.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    private long theoreticalArrivalNanos;

    TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate and burst");
        }
        this.intervalNanos = Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.toleranceNanos = intervalNanos * burst;
        this.theoreticalArrivalNanos = nowNanos;
    }

    /** Takes a token at {@code nowNanos}: 0 if there was one, else the nanoseconds until there will be. */
    synchronized long take(long nowNanos) {
        long start = nowNanos - theoreticalArrivalNanos > 0 ? nowNanos : theoreticalArrivalNanos;
        long waitNanos = start + intervalNanos - toleranceNanos - nowNanos;
        if (waitNanos > 0) {
            return waitNanos;
        }
        theoreticalArrivalNanos = start + intervalNanos;
        return 0;
    }
}
