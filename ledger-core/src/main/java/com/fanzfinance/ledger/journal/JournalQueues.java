package com.fanzfinance.ledger.journal;

import java.nio.file.Path;
import java.util.Locale;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * Opens the Chronicle queues the engine writes: the command journal and the outcome-event stream.
 * Chronicle's own msync is switched off ({@link SyncMode#NONE}): it syncs only the current chunk, so the
 * journal syncs its files itself (see {@link JournalWriter#sync()}).
 */
public final class JournalQueues {
    private JournalQueues() {
    }

    /** Opens (creating if needed) a queue in {@code directory}; {@code clock} may be null (system time). */
    public static SingleChronicleQueue open(Path directory, RollCycle rollCycle, TimeProvider clock) {
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(rollCycle)
            .syncMode(SyncMode.NONE);
        if (clock != null) {
            builder.timeProvider(clock);
        }
        return builder.build();
    }

    /**
     * The roll cycle with this name, e.g. {@code FAST_HOURLY}, {@code FAST_DAILY}, {@code LARGE_DAILY}
     * (case-insensitive). An existing queue keeps the cycle it was created with.
     */
    public static RollCycle rollCycle(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (RollCycle[] family : new RollCycle[][] {RollCycles.values(), LargeRollCycles.values(), TestRollCycles.values()}) {
            for (RollCycle cycle : family) {
                if (((Enum<?>) cycle).name().equals(wanted)) {
                    return cycle;
                }
            }
        }
        throw new IllegalArgumentException("unknown journal roll cycle '" + name
            + "' (e.g. FAST_HOURLY, FAST_DAILY, LARGE_DAILY, WEEKLY)");
    }
}
