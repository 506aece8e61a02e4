package com.fanzfinance.ledger.state;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import com.fanzfinance.ledger.command.TransferLayout;

/**
 * Every transfer ever created, as 128-byte TigerBeetle-layout records in sequence order (which is also
 * timestamp order). Append-only: a record is never changed once written, which is what lets a snapshot
 * refer to a prefix of this store instead of copying it. Memory-mapped in production, so transfer
 * bodies are disk, not heap.
 *
 * <p>The record's {@code amount} is the amount actually moved (after balancing, or the posted amount of
 * a post), and its {@code timestamp} is the one the ledger assigned.
 */
public final class TransferStore implements AutoCloseable {
    private static final int RECORD_SHIFT = 7;
    /** Every 4 KiB of records, the memory is told where the appends are (see {@link PagedMemory#writingSequentiallyAt}). */
    private static final long PREFAULT_EVERY_MASK = 4096 - 1;

    private final PagedMemory memory;
    private final long transfersMax;
    private long count;

    public TransferStore(PagedMemory memory, long transfersMax) {
        if (Integer.bitCount(TransferLayout.SIZE) != 1 || memory.pageSizeBytes() % TransferLayout.SIZE != 0) {
            throw new IllegalArgumentException("page size must hold whole records");
        }
        this.memory = memory;
        this.transfersMax = transfersMax;
    }

    public long count() {
        return count;
    }

    public long transfersMax() {
        return transfersMax;
    }

    public boolean isFull() {
        return count >= transfersMax;
    }

    /**
     * Copies a 128-byte record into the store and returns its sequence number. Copies long by long:
     * for 128 bytes that is several times faster than a bulk copy, which is a native call.
     */
    public long append(DirectBuffer source, int offset) {
        long sequence = count;
        long address = sequence << RECORD_SHIFT;
        memory.ensureCapacity(address + TransferLayout.SIZE);
        memory.copyFrom(address, source, offset, TransferLayout.SIZE);
        if ((address & PREFAULT_EVERY_MASK) == 0) {
            memory.writingSequentiallyAt(address);
        }
        count++;
        return sequence;
    }

    /** Overwrites one long of the newest record, before anything else is appended (amount, timestamp). */
    public void amendNewest(int fieldOffset, long value) {
        assert count > 0;
        memory.putLong(((count - 1) << RECORD_SHIFT) + fieldOffset, value);
    }

    /**
     * Declares the first {@code restoredCount} records of the memory valid and cuts the rest (recovery:
     * the memory already holds them, from a mapped file or a snapshot).
     */
    public void restore(long restoredCount) {
        memory.truncate(restoredCount << RECORD_SHIFT);
        memory.ensureCapacity(restoredCount << RECORD_SHIFT);
        count = restoredCount;
    }

    /** Forgets the records from {@code newCount} on (rollback of a linked chain or recovery). */
    public void truncate(long newCount) {
        assert newCount <= count;
        count = newCount;
    }

    public long getLong(long sequence, int fieldOffset) {
        return memory.getLong((sequence << RECORD_SHIFT) + fieldOffset);
    }

    public int getInt(long sequence, int fieldOffset) {
        return memory.getInt((sequence << RECORD_SHIFT) + fieldOffset);
    }

    public long idLow(long sequence) {
        return getLong(sequence, TransferLayout.ID);
    }

    public long idHigh(long sequence) {
        return getLong(sequence, TransferLayout.ID + 8);
    }

    public long amount(long sequence) {
        return getLong(sequence, TransferLayout.AMOUNT);
    }

    public long timestamp(long sequence) {
        return getLong(sequence, TransferLayout.TIMESTAMP);
    }

    public int flags(long sequence) {
        return getInt(sequence, TransferLayout.CODE) >>> 16;
    }

    public int code(long sequence) {
        return getInt(sequence, TransferLayout.CODE) & 0xFFFF;
    }

    public int ledger(long sequence) {
        return getInt(sequence, TransferLayout.LEDGER);
    }

    public int timeoutSeconds(long sequence) {
        return getInt(sequence, TransferLayout.TIMEOUT);
    }

    public int userData32(long sequence) {
        return getInt(sequence, TransferLayout.USER_DATA_32);
    }

    /**
     * Copies record {@code sequence} into {@code target} at {@code offset}: an expandable target is grown to hold it,
     * a fixed one too small is refused ({@link IndexOutOfBoundsException}); the room is checked once and the record
     * then written without Agrona's check per write.
     */
    public void copyTo(long sequence, MutableDirectBuffer target, int offset) {
        if (offset < 0 || offset > Integer.MAX_VALUE - TransferLayout.SIZE) {
            throw new IndexOutOfBoundsException("no room for a transfer record at " + offset);
        }
        target.checkLimit(offset + TransferLayout.SIZE);
        byte[] base = target.byteArray();
        long to = target.addressOffset() + offset;
        long address = sequence << RECORD_SHIFT;
        for (int i = 0; i < TransferLayout.SIZE; i += Long.BYTES) {
            UnsafeApi.putLong(base, to + i, memory.getLong(address + i));
        }
    }

    public PagedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
