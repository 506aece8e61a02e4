package com.fanzfinance.ledger.engine;

import java.util.function.LongSupplier;

/**
 * Gives each command its timestamp: nanoseconds since the epoch from the injected clock, but never at
 * or before the previous command's last event, even if the wall clock steps back. A command of n events
 * gets T; its events get T-n+1 … T. The state machine never reads a clock; this is where time enters.
 *
 * <p>Not thread-safe: one sequencer per command stream, used from one thread.
 */
public final class Sequencer {
    private final LongSupplier clockNanos;
    private long lastTimestamp;

    public Sequencer(LongSupplier clockNanos, long lastTimestamp) {
        this.clockNanos = clockNanos;
        this.lastTimestamp = lastTimestamp;
    }

    /** Wall-clock time in nanoseconds since the epoch (microsecond precision on most platforms). */
    public static LongSupplier systemClock() {
        return com.fanzfinance.ledger.config.WallClock.nanos();
    }

    /** The timestamp for a command of {@code eventCount} events (a tick or an empty batch counts as one). */
    public long next(int eventCount) {
        int width = Math.max(eventCount, 1);
        long timestamp = Math.max(Math.addExact(lastTimestamp, width), Math.addExact(clockNanos.getAsLong(), width - 1));
        lastTimestamp = timestamp;
        return timestamp;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** Continues after a recovered ledger's last timestamp. */
    public void resumeAfter(long timestamp) {
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }
}
