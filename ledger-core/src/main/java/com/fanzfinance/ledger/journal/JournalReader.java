package com.fanzfinance.ledger.journal;

import org.agrona.concurrent.UnsafeBuffer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads excerpts of a queue in order, copying each into a heap buffer (checks run on heap bytes, and the
 * bytes must outlive Chronicle's document). Bound to the thread that first uses it.
 */
public final class JournalReader implements AutoCloseable {
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    private byte[] array;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private int length;
    private long index = -1;

    public JournalReader(SingleChronicleQueue queue, int initialCapacity) {
        this.tailer = queue.createTailer();
        this.rollCycle = queue.rollCycle();
        this.array = new byte[initialCapacity];
        buffer.wrap(array);
    }

    /** Positions before the excerpt with this index; false if there is none. */
    public boolean moveToIndex(long queueIndex) {
        return tailer.moveToIndex(queueIndex);
    }

    public void toStart() {
        tailer.toStart();
    }

    /** Reads the next excerpt; false at the end of the queue (for now). */
    public boolean next() {
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return false;
            }
            Bytes<?> bytes = document.wire().bytes();
            length = (int) bytes.readRemaining();
            if (length > array.length) {
                array = new byte[Math.max(length, array.length * 2)];
                buffer.wrap(array);
            }
            bytes.read(array, 0, length);
            index = document.index();
            return true;
        }
    }

    /** The last excerpt read, in a heap buffer, from offset 0. */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    /** The queue index of the last excerpt read. */
    public long index() {
        return index;
    }

    /** "cycle C, sequence S (index 0x…)": a position a person can find in the queue files. */
    public String describe(long queueIndex) {
        return "cycle " + rollCycle.toCycle(queueIndex) + ", sequence " + rollCycle.toSequenceNumber(queueIndex)
            + " (index 0x" + Long.toHexString(queueIndex) + ")";
    }

    @Override
    public void close() {
        tailer.close();
    }
}
