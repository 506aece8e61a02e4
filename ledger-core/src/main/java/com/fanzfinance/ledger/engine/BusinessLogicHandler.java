package com.fanzfinance.ledger.engine;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import com.lmax.disruptor.EventHandler;

import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.QueueSync;
import com.fanzfinance.ledger.snapshot.JournalPosition;
import com.fanzfinance.ledger.snapshot.SnapshotImage;
import com.fanzfinance.ledger.snapshot.SnapshotStore;

/**
 * The second stage and the only thread that touches ledger state: applies each journaled command to the
 * state machine (while the journal syncs its group commit: nothing computed here leaves the engine before
 * the publisher has seen it durable), records the command's outcome events (balances after each transfer)
 * and hands them to the result publisher through the outcome pipe, answers queries in order with the
 * commands around them, and captures snapshots — a short copy here, the writing on a background thread once
 * the event stream on disk has caught up with the snapshot.
 */
final class BusinessLogicHandler implements EventHandler<CommandSlot> {
    private final StateMachine stateMachine;
    private final OutcomeRecorder recorder;
    private final OutcomePipe outcomes;
    private final ResultPublisher publisher;
    private final java.nio.file.Path eventsDirectory;
    private final SnapshotStore snapshots;
    private final ExecutorService snapshotWriter;
    private final EngineHealth health;
    private final long eventsWrittenThrough;
    private volatile long earliestExpiry = Long.MAX_VALUE;
    private volatile long appliedCommands;
    /** When the last paced sync of the event stream began (wall clock; the snapshot writer's thread only). */
    private long eventsPacedSince;

    /**
     * @param eventsWrittenThrough the highest command number the event stream already holds (events for
     *                             commands at or below it are not written again after a recovery)
     */
    BusinessLogicHandler(StateMachine stateMachine, OutcomeRecorder recorder, OutcomePipe outcomes,
                         ResultPublisher publisher, java.nio.file.Path eventsDirectory, SnapshotStore snapshots,
                         ExecutorService snapshotWriter, EngineHealth health, long eventsWrittenThrough,
                         long appliedCommands) {
        this.stateMachine = stateMachine;
        this.recorder = recorder;
        this.outcomes = outcomes;
        this.publisher = publisher;
        this.eventsDirectory = eventsDirectory;
        this.snapshots = snapshots;
        this.snapshotWriter = snapshotWriter;
        this.health = health;
        this.eventsWrittenThrough = eventsWrittenThrough;
        this.appliedCommands = appliedCommands;
    }

    @Override
    public void onStart() {
        stateMachine.bindTo(Thread.currentThread());
        publishEarliestExpiry();
    }

    /** When the next pending transfer expires (Long.MAX_VALUE if none): lets the ticker stay quiet. */
    long earliestExpiry() {
        return earliestExpiry;
    }

    /** Commands applied so far (the next command number). */
    long appliedCommands() {
        return appliedCommands;
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
        if (slot.failure != null) {
            return;
        }
        try {
            switch (slot.kind) {
                case COMMAND -> apply(slot);
                case QUERY -> slot.outcome = slot.query.apply(stateMachine);
                case SNAPSHOT -> slot.outcome = snapshot(slot.positionAfter, false);
                default -> throw new IllegalStateException("unknown slot kind " + slot.kind);
            }
        } catch (RuntimeException | Error e) {
            slot.failure = e;
            if (slot.kind == CommandSlot.Kind.COMMAND) {
                health.fail(e);
            }
        }
        if (endOfBatch) {
            publishEarliestExpiry();
        }
    }

    private void apply(CommandSlot slot) {
        boolean recording = slot.commandNumber > eventsWrittenThrough;
        if (recording) {
            recorder.begin(slot.commandNumber, slot.timestamp);
        }
        slot.outcome = CommandApplier.apply(stateMachine, slot.type, slot.timestamp, slot.eventCount, slot.events,
            slot.eventsOffset, slot.tenants, slot.tenantsOffset, slot.tenantCount, slot.sideData, slot.sideDataOffset,
            slot.sideDataLength, slot.results, slot.resultsOffset);
        if (recording) {
            int length = recorder.finish(slot.sideData, slot.sideDataOffset, slot.sideDataLength);
            if (length > 0) {
                outcomes.offer(recorder.buffer(), 0, length);
                slot.outcomeLength = length;
            }
        }
        appliedCommands = slot.commandNumber + 1;
        boolean creates = slot.type == CommandType.CREATE_ACCOUNTS || slot.type == CommandType.CREATE_TRANSFERS;
        health.recordApplied(creates ? slot.eventCount : 0);
        if (slot.snapshotAfter) {
            snapshot(slot.positionAfter, true);
        }
    }

    /**
     * Captures the state now and writes it on the snapshot writer's thread; completes when the file is synced.
     * {@code paced} (automatic snapshots, which nobody waits for): the event stream and the mapped stores are
     * written back a slice at a time with rests between, so that the journal's group commits meanwhile do not
     * wait behind all of it; a snapshot someone asked for (an operator, a shutdown) is written without rests —
     * after any automatic one still being written, as the writer is one thread. While a snapshot is being
     * written no automatic one is taken ({@link EngineHealth#automaticSnapshotAllowed}).
     */
    private CompletableFuture<Path> snapshot(JournalPosition position, boolean paced) {
        long started = System.nanoTime();
        SnapshotImage image = SnapshotImage.capture(position, stateMachine.state());
        health.recordSnapshot(System.nanoTime() - started);
        health.snapshotWriteStarted();
        CompletableFuture<Path> written;
        try {
            written = CompletableFuture.supplyAsync(() -> {
                publisher.awaitEventsThrough(position.nextCommand() - 1);
                if (paced) {
                    long syncStarted = System.currentTimeMillis();
                    QueueSync.syncDirectoryPaced(eventsDirectory, eventsPacedSince);
                    eventsPacedSince = syncStarted;
                } else {
                    QueueSync.syncDirectory(eventsDirectory);
                }
                return snapshots.write(image, paced);
            }, snapshotWriter);
        } catch (RuntimeException e) {
            health.snapshotWriteEnded(e);
            throw e;
        }
        written.whenComplete((file, failure) -> health.snapshotWriteEnded(failure));
        return written;
    }

    private void publishEarliestExpiry() {
        var pending = stateMachine.state().pendingTransfers();
        earliestExpiry = pending.scheduledCount() == 0 ? Long.MAX_VALUE : pending.earliestExpiresAt();
    }
}
