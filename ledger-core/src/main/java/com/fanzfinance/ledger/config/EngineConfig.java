package com.fanzfinance.ledger.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.ledger.journal.JournalFormat;
import com.fanzfinance.ledger.journal.JournalQueues;

/**
 * Everything the durable engine is configured with, validated once at construction with errors that name
 * the setting.
 *
 * @param dataDirectory            journal, events, snapshots and stores live here
 * @param durability               {@link Durability#FSYNC} (default) or {@link Durability#OS}
 * @param ringSize                 command ring slots, a power of two in 16 … 65,536
 * @param batchBytesMax            the largest journal batch, 1 MiB … 16 MiB (Chronicle's excerpt limit)
 * @param journalRollCycle         Chronicle roll cycle name, e.g. FAST_HOURLY, FAST_DAILY, LARGE_DAILY
 * @param snapshotEveryBytes       take a snapshot after this much journal, 1 MiB … 1 TiB
 * @param snapshotsKept            snapshots to keep, 1 … 100
 * @param tickIntervalMillis       how often time is carried through the journal for expiries, 10 … 60,000
 * @param publishTimeoutMillis     how long a caller waits for a free ring slot before "busy", 0 … 60,000
 * @param mappedStores             keep transfer bodies and indexes in memory-mapped files (else heap)
 * @param stateMachine             the state machine's limits (its store directory is set from here)
 * @param clockNanos               the sequencer's clock (the wall clock unless a test injects one)
 */
public record EngineConfig(Path dataDirectory, Durability durability, int ringSize, int batchBytesMax,
                           String journalRollCycle, long snapshotEveryBytes, int snapshotsKept, long tickIntervalMillis,
                           long publishTimeoutMillis, boolean mappedStores, StateMachineConfig stateMachine,
                           LongSupplier clockNanos) {
    public EngineConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(stateMachine, "stateMachine");
        Objects.requireNonNull(clockNanos, "clockNanos");
        if (Integer.bitCount(ringSize) != 1 || ringSize < 16 || ringSize > 65_536) {
            throw new IllegalArgumentException("ringSize must be a power of two in 16..65536, was " + ringSize);
        }
        requireRange("batchBytesMax", batchBytesMax, 1 << 20, 16 << 20);
        JournalQueues.rollCycle(journalRollCycle);
        requireRange("snapshotEveryBytes", snapshotEveryBytes, 1 << 20, 1L << 40);
        requireRange("snapshotsKept", snapshotsKept, 1, 100);
        requireRange("tickIntervalMillis", tickIntervalMillis, 10, 60_000);
        requireRange("publishTimeoutMillis", publishTimeoutMillis, 0, 60_000);
        if (largestCommandBytes() > batchBytesMax) {
            throw new IllegalArgumentException("batchBytesMax " + batchBytesMax + " cannot hold the largest command ("
                + largestCommandBytes() + " bytes)");
        }
    }

    /** Defaults: fsync, 1,024 slots, 8 MiB batches, hourly journal files, a snapshot per 1 GiB, keep 3. */
    public static EngineConfig defaults(Path dataDirectory) {
        return new EngineConfig(dataDirectory, Durability.FSYNC, 1024, 8 << 20, "FAST_HOURLY", 1L << 30, 3, 1000, 1000,
            true, StateMachineConfig.inMemory(), WallClock.nanos());
    }

    public Path journalDirectory() {
        return dataDirectory.resolve("journal");
    }

    public Path eventsDirectory() {
        return dataDirectory.resolve("events");
    }

    public Path snapshotDirectory() {
        return dataDirectory.resolve("snapshots");
    }

    public Path storeDirectory() {
        return dataDirectory.resolve("stores");
    }

    /** The state machine's configuration with its stores under this engine's data directory, if mapped. */
    public StateMachineConfig effectiveStateMachine() {
        return mappedStores ? stateMachine.withStoreDirectory(storeDirectory()) : stateMachine;
    }

    public EngineConfig withDurability(Durability value) {
        return new EngineConfig(dataDirectory, value, ringSize, batchBytesMax, journalRollCycle, snapshotEveryBytes,
            snapshotsKept, tickIntervalMillis, publishTimeoutMillis, mappedStores, stateMachine, clockNanos);
    }

    public EngineConfig withSnapshots(long everyBytes, int kept) {
        return new EngineConfig(dataDirectory, durability, ringSize, batchBytesMax, journalRollCycle, everyBytes, kept,
            tickIntervalMillis, publishTimeoutMillis, mappedStores, stateMachine, clockNanos);
    }

    public EngineConfig withRing(int size, int batchBytes) {
        return new EngineConfig(dataDirectory, durability, size, batchBytes, journalRollCycle, snapshotEveryBytes,
            snapshotsKept, tickIntervalMillis, publishTimeoutMillis, mappedStores, stateMachine, clockNanos);
    }

    public EngineConfig withJournalRollCycle(String rollCycle) {
        return new EngineConfig(dataDirectory, durability, ringSize, batchBytesMax, rollCycle, snapshotEveryBytes,
            snapshotsKept, tickIntervalMillis, publishTimeoutMillis, mappedStores, stateMachine, clockNanos);
    }

    public EngineConfig withStateMachine(StateMachineConfig value, boolean mapped) {
        return new EngineConfig(dataDirectory, durability, ringSize, batchBytesMax, journalRollCycle, snapshotEveryBytes,
            snapshotsKept, tickIntervalMillis, publishTimeoutMillis, mapped, value, clockNanos);
    }

    public EngineConfig withClock(LongSupplier clock) {
        return new EngineConfig(dataDirectory, durability, ringSize, batchBytesMax, journalRollCycle, snapshotEveryBytes,
            snapshotsKept, tickIntervalMillis, publishTimeoutMillis, mappedStores, stateMachine, clock);
    }

    public EngineConfig withTiming(long tickMillis, long publishTimeout) {
        return new EngineConfig(dataDirectory, durability, ringSize, batchBytesMax, journalRollCycle, snapshotEveryBytes,
            snapshotsKept, tickMillis, publishTimeout, mappedStores, stateMachine, clockNanos);
    }

    private static long largestCommandBytes() {
        int events = StateMachineConfig.BATCH_EVENTS_MAX;
        return JournalFormat.HEADER_BYTES
            + JournalFormat.commandBytes(events * 128, events * Integer.BYTES, JournalFormat.SIDE_DATA_MAX_BYTES);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }
}
