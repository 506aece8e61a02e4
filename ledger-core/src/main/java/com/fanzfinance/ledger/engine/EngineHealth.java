package com.fanzfinance.ledger.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The engine's vital signs, readable from any thread: whether it has failed (and why), and counters for
 * metrics — journal syncs and their total time, commands and events applied, snapshots written.
 */
public final class EngineHealth {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder syncs = new LongAdder();
    private final LongAdder syncNanos = new LongAdder();
    private final AtomicLong syncNanosMax = new AtomicLong();
    private final LongAdder commandsApplied = new LongAdder();
    private final LongAdder eventsApplied = new LongAdder();
    private final LongAdder snapshotsWritten = new LongAdder();
    private final AtomicInteger snapshotsBeingWritten = new AtomicInteger();
    private final LongAdder snapshotFailures = new LongAdder();
    private volatile long lastSnapshotNanos;
    private volatile LongConsumer syncObserver = nanos -> { };

    /** The first failure, or null while healthy. */
    public Throwable failure() {
        return failure.get();
    }

    void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    void recordSync(long nanos) {
        syncs.increment();
        syncNanos.add(nanos);
        syncNanosMax.accumulateAndGet(nanos, Math::max);
        syncObserver.accept(nanos);
    }

    /**
     * Has {@code observer} told the duration of every journal sync from now on (for a latency histogram).
     * It runs on the journal thread, so it must be quick and must not throw.
     */
    public void observeSyncs(LongConsumer observer) {
        this.syncObserver = java.util.Objects.requireNonNull(observer, "observer");
    }

    void recordApplied(int events) {
        commandsApplied.increment();
        eventsApplied.add(events);
    }

    void recordSnapshot(long nanos) {
        snapshotsWritten.increment();
        // The end first: whoever reads the new duration reads this end too.
        lastCaptureEndedAt = System.nanoTime();
        lastSnapshotNanos = nanos;
    }

    /** Snapshots handed to the writer and not yet written (or failed). */
    int snapshotsBeingWritten() {
        return snapshotsBeingWritten.get();
    }

    /** A captured snapshot was handed to the writer. */
    void snapshotWriteStarted() {
        snapshotsBeingWritten.incrementAndGet();
    }

    /** The writer is done with a snapshot: written, or failed with {@code failure} (then counted). */
    void snapshotWriteEnded(Throwable failure) {
        if (failure != null) {
            snapshotFailures.increment();
        }
        snapshotsBeingWritten.decrementAndGet();
    }

    /**
     * Whether an automatic snapshot may be taken now: none while a snapshot is still being written (they would
     * queue behind it, each holding its copy of the state, and be staler when written); and a capture pauses the
     * pipeline (the business thread copies the accounts, the pending statuses and the metadata index), so the next
     * one waits until the pipeline has run {@value #RUN_PER_CAPTURE_PAUSE} times as long as the last capture paused
     * it — at most about 1% of the time goes to captures, however large the state grows, while a small state may be
     * captured as often as the journal asks.
     */
    boolean automaticSnapshotAllowed(long now) {
        if (snapshotsBeingWritten.get() > 0) {
            return false;
        }
        long pause = lastSnapshotNanos;
        return pause == 0 || now - lastCaptureEndedAt >= RUN_PER_CAPTURE_PAUSE * pause;
    }

    /** Time running for every unit of capture pause; see {@link #automaticSnapshotAllowed}. */
    static final long RUN_PER_CAPTURE_PAUSE = 100;
    private volatile long lastCaptureEndedAt;

    public long syncs() {
        return syncs.sum();
    }

    public long syncNanosTotal() {
        return syncNanos.sum();
    }

    public long syncNanosMax() {
        return syncNanosMax.get();
    }

    public long commandsApplied() {
        return commandsApplied.sum();
    }

    public long eventsApplied() {
        return eventsApplied.sum();
    }

    public long snapshotsWritten() {
        return snapshotsWritten.sum();
    }

    /** Snapshots whose writing failed (the journal still holds everything; the next snapshot tries again). */
    public long snapshotFailures() {
        return snapshotFailures.sum();
    }

    public long lastSnapshotNanos() {
        return lastSnapshotNanos;
    }
}
