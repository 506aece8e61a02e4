package com.fanzfinance.ledger.engine;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;

import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.ledger.journal.HashChain;
import com.fanzfinance.ledger.journal.JournalBatchEncoder;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.snapshot.JournalPosition;
import com.fanzfinance.ledger.state.Prefaulter;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The first stage: gives each command its timestamp and number (the sequencer), encodes it into the
 * current journal batch, and at the end of each ring batch appends the batch to the journal and — in
 * {@link Durability#FSYNC} — fdatasyncs it: one sync for the whole ring batch (group commit).
 *
 * <p>Two sequences come out of it. Its own (the one the business-logic stage waits on) moves as soon as a
 * ring batch is encoded — every command in it has its timestamp and number — so the business logic applies
 * the batch while it is appended and synced, as in LMAX's design: the state in memory may run ahead of the
 * disk by one group commit. {@link #settled()} moves once the batch is durable, and the result publisher
 * waits for it too: no answer, query result, event-stream excerpt or snapshot ever reveals a command that
 * is not durable ({@link #durable()} tells the publisher which slots are).
 *
 * <p>If the journal cannot be written, every command not yet durable fails and so does everything after:
 * the engine stops. Commands the business logic had already applied from the failed batch are in memory
 * only; their callers are failed (the outcome is unknown to them, as after a crash) and nothing is answered
 * any more, so no one sees them; a restart rebuilds the state from the journal.
 */
final class JournalHandler implements EventHandler<CommandSlot> {
    /** Disruptor's sequence before the first slot. */
    private static final long NONE = -1;

    private final SingleChronicleQueue queue;
    private final Durability durability;
    private final Sequencer sequencer;
    private final JournalBatchEncoder encoder;
    private final HashChain chain = new HashChain();
    private final long snapshotEveryBytes;
    private final EngineHealth health;
    private final WaitStrategy waitStrategy;
    /** Slots through which every command is durable (in {@link Durability#OS}: appended). */
    private final Sequence durable = new Sequence(NONE);
    /** {@link #durable}, or {@code Long.MAX_VALUE} once the journal failed: what the publisher waits for. */
    private final Sequence settled = new Sequence(NONE);
    /**
     * This stage's own sequence: slots through it are encoded and handed to the business logic (moved here at the
     * end of each batch, before its commit; Disruptor moves it to the same place after the batch).
     */
    private Sequence released;
    /** Tests only (null otherwise): runs after a group commit's append, before its fdatasync. */
    volatile Runnable beforeSync;
    private RingBuffer<CommandSlot> ring;
    private JournalWriter writer;
    private long nextBatch;
    private long nextCommand;
    private long lastBatchIndex;
    private long bytesSinceSnapshot;
    private long firstUnsyncedSequence = -1;
    private boolean unsynced;

    JournalHandler(SingleChronicleQueue queue, Durability durability, Sequencer sequencer, int batchBytesMax,
                   long snapshotEveryBytes, JournalPosition start, EngineHealth health, WaitStrategy waitStrategy) {
        this.queue = queue;
        this.waitStrategy = waitStrategy;
        this.durability = durability;
        this.sequencer = sequencer;
        this.encoder = new JournalBatchEncoder(batchBytesMax);
        this.snapshotEveryBytes = snapshotEveryBytes;
        this.health = health;
        this.nextBatch = start.nextBatch();
        this.nextCommand = start.nextCommand();
        this.lastBatchIndex = start.lastBatchIndex();
        this.chain.reset(start.chainHead());
        encoder.begin(nextBatch, nextCommand);
    }

    void ring(RingBuffer<CommandSlot> commandRing) {
        this.ring = commandRing;
    }

    /** Disruptor hands this stage its sequence, which it moves ahead of the end of its batch. */
    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.released = sequenceCallback;
    }

    /** Slots through which every command is durable. */
    Sequence durable() {
        return durable;
    }

    /** Slots through which the journal has decided: durable, or (once it failed) never. */
    Sequence settled() {
        return settled;
    }

    @Override
    public void onStart() {
        writer = new JournalWriter(queue, Prefaulter.Mode.READ);
    }

    @Override
    public void onShutdown() {
        writer.close();
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
        if (health.failure() != null) {
            // Failed here or in a later stage: this slot and those of its batch not yet handed on never count.
            failUnreleased(sequence);
            return;
        }
        try {
            if (firstUnsyncedSequence < 0) {
                firstUnsyncedSequence = sequence;
            }
            handle(slot);
            if (endOfBatch) {
                // The business logic applies the batch while it is appended and synced.
                released.set(sequence);
                waitStrategy.signalAllWhenBlocking();
                commit();
                firstUnsyncedSequence = -1;
                durable.set(sequence);
                settled.set(sequence);
                waitStrategy.signalAllWhenBlocking();
            }
        } catch (RuntimeException | Error e) {
            health.fail(e);
            failUnreleased(sequence);
        }
    }

    private void handle(CommandSlot slot) {
        switch (slot.kind) {
            case COMMAND -> journal(slot);
            case SNAPSHOT -> {
                flush();
                syncIfOs();
                slot.positionAfter = position();
            }
            case QUERY -> {
                // queries are not journaled
            }
            default -> throw new IllegalStateException("unknown slot kind " + slot.kind);
        }
    }

    private void journal(CommandSlot slot) {
        int eventsLength = slot.eventsLength();
        int tenantsLength = slot.tenantsLength();
        if (!encoder.fits(eventsLength, tenantsLength, slot.sideDataLength)) {
            flush();
        }
        int width = slot.type == CommandType.TICK ? 1 : slot.eventCount;
        slot.timestamp = sequencer.next(width);
        slot.commandNumber = nextCommand++;
        encoder.append(slot.type, slot.timestamp, slot.type == CommandType.TICK ? 0 : slot.eventCount, slot.events,
            slot.eventsOffset, eventsLength, slot.tenants, slot.tenantsOffset, tenantsLength, slot.sideData,
            slot.sideDataOffset, slot.sideDataLength);
        bytesSinceSnapshot += eventsLength + tenantsLength + slot.sideDataLength;
        if (bytesSinceSnapshot >= snapshotEveryBytes && health.automaticSnapshotAllowed(System.nanoTime())) {
            flush();
            syncIfOs();
            slot.snapshotAfter = true;
            slot.positionAfter = position();
            bytesSinceSnapshot = 0;
        }
    }

    /** Appends the batch being built, if any, and starts the next. */
    private void flush() {
        if (encoder.isEmpty()) {
            return;
        }
        int length = encoder.finish(chain);
        lastBatchIndex = writer.append(encoder.buffer(), 0, length);
        nextBatch++;
        encoder.begin(nextBatch, nextCommand);
        unsynced = true;
    }

    private void commit() {
        flush();
        if (durability == Durability.FSYNC && unsynced) {
            Runnable hook = beforeSync;
            if (hook != null) {
                hook.run();
            }
            long started = System.nanoTime();
            writer.sync();
            health.recordSync(System.nanoTime() - started);
        }
        unsynced = false;
    }

    /** A snapshot must never point past what is on disk, whatever the durability. */
    private void syncIfOs() {
        if (durability == Durability.OS && unsynced) {
            writer.sync();
            unsynced = false;
        }
    }

    private JournalPosition position() {
        return new JournalPosition(nextBatch, nextCommand, chain.head(), lastBatchIndex);
    }

    /**
     * Fails the slots of this batch through {@code sequence} that the business logic has not been given (it
     * never applies them), and lets the publisher go on: released slots past {@link #durable} are its to fail.
     */
    private void failUnreleased(long sequence) {
        long from = Math.max(firstUnsyncedSequence < 0 ? sequence : firstUnsyncedSequence, released.get() + 1);
        for (long s = from; s <= sequence; s++) {
            ring.get(s).failure = health.failure();
        }
        firstUnsyncedSequence = -1;
        if (settled.get() != Long.MAX_VALUE) {
            settled.set(Long.MAX_VALUE);
            waitStrategy.signalAllWhenBlocking();
        }
    }
}
