package com.fanzfinance.ledger.client;

import java.time.Duration;

/**
 * The moment a call must have its final answer by: its start on the monotonic clock plus the client's
 * call timeout. Immutable; shared by every attempt of the call.
 *
 * @param startNanos when the call started, from {@link System#nanoTime()}
 * @param timeout    the call timeout it was given
 */
record Deadline(long startNanos, Duration timeout) {
    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime(), timeout);
    }

    /** The time left, which is 0 or less once the deadline has passed. */
    long remainingNanos() {
        return startNanos + timeout.toNanos() - System.nanoTime();
    }
}
