package com.fanzfinance.ledger.config;

import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/** The wall clock as nanoseconds since the epoch: where real time enters the ledger (through the sequencer). */
public final class WallClock {
    private WallClock() {
    }

    /** Nanoseconds since the epoch (microsecond precision on most platforms). */
    public static LongSupplier nanos() {
        Clock clock = Clock.systemUTC();
        return () -> {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        };
    }
}
