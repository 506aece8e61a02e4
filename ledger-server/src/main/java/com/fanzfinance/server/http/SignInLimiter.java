package com.fanzfinance.server.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At most {@link #PER_MINUTE} password sign-ins per remote address in any minute, so {@code POST /sso/token}
 * cannot be used to guess passwords faster than the identity service's own lockout allows, nor to flood it. Each
 * address keeps the times of its last sign-ins (at most {@link #PER_MINUTE}); a sign-in past the limit is a 429
 * {@code too-many-requests} with {@code Retry-After} and is not counted. At most {@link #ADDRESSES_MAX} addresses are
 * remembered: when that many were seen within the minute, sign-ins from yet another address wait for the minute to
 * pass, so a flood from many addresses cannot grow the table without bound.
 */
final class SignInLimiter {
    static final int PER_MINUTE = 10;
    static final int ADDRESSES_MAX = 10_000;
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier clockNanos;
    private final Map<String, Deque<Long>> recent = new HashMap<>();

    SignInLimiter(LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
    }

    /** Counts a sign-in from {@code address}, or throws the 429 problem when the address is over its limit. */
    synchronized void admit(String address) {
        long now = clockNanos.getAsLong();
        if (!recent.containsKey(address) && recent.size() >= ADDRESSES_MAX) {
            forgetIdle(now);
            if (recent.size() >= ADDRESSES_MAX) {
                throw limited("sign-ins from too many addresses this minute", WINDOW_NANOS);
            }
        }
        Deque<Long> times = recent.computeIfAbsent(address, any -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
        if (times.size() >= PER_MINUTE) {
            throw limited("more than " + PER_MINUTE + " sign-ins from " + address + " in a minute",
                times.peekFirst() + WINDOW_NANOS - now);
        }
        times.addLast(now);
    }

    private void forgetIdle(long now) {
        Iterator<Deque<Long>> all = recent.values().iterator();
        while (all.hasNext()) {
            Deque<Long> times = all.next();
            if (times.isEmpty() || now - times.peekLast() >= WINDOW_NANOS) {
                all.remove();
            }
        }
    }

    private static Problem limited(String why, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new Problem(429, "too-many-requests", "Too many requests", why + "; retry after " + seconds + " s", null,
            seconds);
    }
}
