package com.fanzfinance.ledger.engine;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;

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
 * {@link Durability#FSYNC} — fdatasyncs it: one sync for the whole ring batch (group commit). The
 * business-logic processor is gated behind this handler, so it only ever sees journaled, durable commands.
 *
 * <p>If the journal cannot be written, every command not yet durable fails and so does everything after:
 * the engine stops rather than apply what it could not journal.
 */
final class JournalHandler implements EventHandler<CommandSlot> {
    private final SingleChronicleQueue queue;
    private final Durability durability;
    private final Sequencer sequencer;
    private final JournalBatchEncoder encoder;
    private final HashChain chain = new HashChain();
    private final long snapshotEveryBytes;
    private final EngineHealth health;
    private RingBuffer<CommandSlot> ring;
    private JournalWriter writer;
    private long nextBatch;
    private long nextCommand;
    private long lastBatchIndex;
    private long bytesSinceSnapshot;
    private long firstUnsyncedSequence = -1;
    private boolean unsynced;

    JournalHandler(SingleChronicleQueue queue, Durability durability, Sequencer sequencer, int batchBytesMax,
                   long snapshotEveryBytes, JournalPosition start, EngineHealth health) {
        this.queue = queue;
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
            slot.failure = health.failure();
            return;
        }
        try {
            if (firstUnsyncedSequence < 0) {
                firstUnsyncedSequence = sequence;
            }
            handle(slot);
            if (endOfBatch) {
                commit();
                firstUnsyncedSequence = -1;
            }
        } catch (RuntimeException | Error e) {
            health.fail(e);
            failUnsynced(sequence);
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

    private void failUnsynced(long sequence) {
        long from = firstUnsyncedSequence < 0 ? sequence : firstUnsyncedSequence;
        for (long s = from; s <= sequence; s++) {
            ring.get(s).failure = health.failure();
        }
        firstUnsyncedSequence = -1;
    }
}
