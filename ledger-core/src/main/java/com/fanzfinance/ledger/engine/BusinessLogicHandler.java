package com.fanzfinance.ledger.engine;

import java.util.concurrent.ExecutorService;

import com.lmax.disruptor.EventHandler;

import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.snapshot.JournalPosition;
import com.fanzfinance.ledger.snapshot.SnapshotImage;
import com.fanzfinance.ledger.snapshot.SnapshotStore;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The second stage and the only thread that touches ledger state: applies each durable command to the
 * state machine, writes the command's outcome events (balances after each transfer) to the event
 * stream, answers queries in order with the commands around them, and captures snapshots — a short copy
 * here, the writing on a background thread.
 */
final class BusinessLogicHandler implements EventHandler<CommandSlot> {
    private final StateMachine stateMachine;
    private final OutcomeRecorder recorder;
    private final SingleChronicleQueue eventsQueue;
    private final SnapshotStore snapshots;
    private final ExecutorService snapshotWriter;
    private final EngineHealth health;
    private final long eventsWrittenThrough;
    private JournalWriter eventsWriter;
    private volatile long earliestExpiry = Long.MAX_VALUE;
    private volatile long appliedCommands;

    /**
     * @param eventsWrittenThrough the highest command number the event stream already holds (events for
     *                             commands at or below it are not written again after a recovery)
     */
    BusinessLogicHandler(StateMachine stateMachine, OutcomeRecorder recorder, SingleChronicleQueue eventsQueue,
                         SnapshotStore snapshots, ExecutorService snapshotWriter, EngineHealth health,
                         long eventsWrittenThrough, long appliedCommands) {
        this.stateMachine = stateMachine;
        this.recorder = recorder;
        this.eventsQueue = eventsQueue;
        this.snapshots = snapshots;
        this.snapshotWriter = snapshotWriter;
        this.health = health;
        this.eventsWrittenThrough = eventsWrittenThrough;
        this.appliedCommands = appliedCommands;
    }

    @Override
    public void onStart() {
        stateMachine.bindTo(Thread.currentThread());
        eventsWriter = new JournalWriter(eventsQueue);
        publishEarliestExpiry();
    }

    @Override
    public void onShutdown() {
        eventsWriter.close();
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
                case SNAPSHOT -> slot.outcome = snapshot(slot.positionAfter);
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
            slot.eventsOffset, slot.tenants, slot.tenantsOffset, slot.results, slot.resultsOffset);
        if (recording) {
            int length = recorder.finish(slot.sideData, slot.sideDataOffset, slot.sideDataLength);
            if (length > 0) {
                eventsWriter.append(recorder.buffer(), 0, length);
            }
        }
        appliedCommands = slot.commandNumber + 1;
        health.recordApplied(slot.type == CommandType.TICK ? 0 : slot.eventCount);
        if (slot.snapshotAfter) {
            snapshot(slot.positionAfter);
        }
    }

    private java.util.concurrent.Future<java.nio.file.Path> snapshot(JournalPosition position) {
        long started = System.nanoTime();
        SnapshotImage image = SnapshotImage.capture(position, stateMachine.state());
        health.recordSnapshot(System.nanoTime() - started);
        return snapshotWriter.submit(() -> snapshots.write(image));
    }

    private void publishEarliestExpiry() {
        var pending = stateMachine.state().pendingTransfers();
        earliestExpiry = pending.scheduledCount() == 0 ? Long.MAX_VALUE : pending.earliestExpiresAt();
    }
}
