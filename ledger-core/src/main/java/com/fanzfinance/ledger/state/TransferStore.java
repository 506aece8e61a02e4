package com.fanzfinance.ledger.state;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
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
 *
 * <p><b>Staged appends</b> (mapped memory, unless the system property {@code fanz.staged-appends} is {@code false}): the
 * newest records, up to {@value #STAGE_RECORDS} of them, are written to a reused buffer and not through the mapping;
 * each full stage goes to the file with one {@code write(2)}, and reads of a record still in the stage are served from
 * it. The first write to each page of a file mapping costs a page fault (a page-cache page allocated, zeroed and
 * mapped), which on a virtual machine that shadows the guest's page tables is dear: on the benchmark VM the server
 * used 0.7–1.9 s less CPU per 5 M transfers with staged appends (docs/benchmarks.md, twenty-third session). Durability
 * is unchanged: a snapshot's capture calls
 * {@link #flushStaged} on the business thread before it records the count, and its {@code msync} then writes the
 * file's dirty pages back however they were dirtied; records past a snapshot are rebuilt from the journal, as ever.
 * A restore puts the stage at the restored count and reads the stage's first records back from the file.
 */
public final class TransferStore implements AutoCloseable {
    private static final int RECORD_SHIFT = 7;
    /** Every 4 KiB of records, the memory is told where the appends are (see {@link PagedMemory#writingSequentiallyAt}). */
    private static final long PREFAULT_EVERY_MASK = 4096 - 1;

    /** Records per stage: 1 MiB. */
    static final int STAGE_RECORDS = 8192;
    private static final boolean STAGING = !"false".equalsIgnoreCase(System.getProperty("fanz.staged-appends", "true"));

    private final PagedMemory memory;
    private final long transfersMax;
    private long count;
    /** The staged records' buffer (direct, touched once when allocated); null when appends are not staged. */
    private final ByteBuffer stage;
    private final long stageAddress;
    /**
     * The sequence of the stage's first record; {@code Long.MAX_VALUE} when not staged. When staged, {@code count <=
     * stagedFrom + STAGE_RECORDS}, records from {@code stagedFrom} to the count are in the stage, and those below it in
     * the file (its page cache, which the mapping shares).
     */
    private long stagedFrom = Long.MAX_VALUE;

    public TransferStore(PagedMemory memory, long transfersMax) {
        this(memory, transfersMax, STAGING);
    }

    /** As {@link #TransferStore(PagedMemory, long)}; {@code staged}: whether a mapped memory's appends are staged. */
    public TransferStore(PagedMemory memory, long transfersMax, boolean staged) {
        if (Integer.bitCount(TransferLayout.SIZE) != 1 || memory.pageSizeBytes() % TransferLayout.SIZE != 0) {
            throw new IllegalArgumentException("page size must hold whole records");
        }
        this.memory = memory;
        this.transfersMax = transfersMax;
        if (staged && memory.isMapped()) {
            stage = ByteBuffer.allocateDirect(STAGE_RECORDS * TransferLayout.SIZE);
            stageAddress = BufferUtil.address(stage);
            UnsafeApi.setMemory(null, stageAddress, stage.capacity(), (byte) 0);
            stagedFrom = 0;
        } else {
            stage = null;
            stageAddress = 0;
        }
    }

    /** Whether appends go through a stage (see the class comment). */
    public boolean staged() {
        return stage != null;
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
        if (sequence >= stagedFrom) {
            if (sequence - stagedFrom == STAGE_RECORDS) {
                writeStage(STAGE_RECORDS);
                stagedFrom = sequence;
            }
            long target = stageAddress + ((sequence - stagedFrom) << RECORD_SHIFT);
            for (int i = 0; i < TransferLayout.SIZE; i += Long.BYTES) {
                UnsafeApi.putLong(null, target + i, source.getLong(offset + i));
            }
        } else {
            memory.copyFrom(address, source, offset, TransferLayout.SIZE);
            if ((address & PREFAULT_EVERY_MASK) == 0) {
                memory.writingSequentiallyAt(address);
            }
        }
        count++;
        return sequence;
    }

    /** Overwrites one long of the newest record, before anything else is appended (amount, timestamp). */
    public void amendNewest(int fieldOffset, long value) {
        assert count > 0;
        long sequence = count - 1;
        if (sequence >= stagedFrom) {
            UnsafeApi.putLong(null, stageAddress + ((sequence - stagedFrom) << RECORD_SHIFT) + fieldOffset, value);
        } else {
            memory.putLong((sequence << RECORD_SHIFT) + fieldOffset, value);
        }
    }

    /**
     * Writes the staged records to the file (a no-op when appends are not staged): a snapshot's capture calls it on the
     * business thread, so that the file holds every record the snapshot counts before its {@code msync}.
     */
    public void flushStaged() {
        if (stage != null && count > stagedFrom) {
            writeStage((int) (count - stagedFrom));
        }
    }

    private void writeStage(int records) {
        memory.writeToFile(stagedFrom << RECORD_SHIFT, stage.duplicate().clear().limit(records << RECORD_SHIFT));
    }

    /** Puts the stage where the count is, holding the records from its start read back from the file. */
    private void restage() {
        stagedFrom = count & -STAGE_RECORDS;
        int records = (int) (count - stagedFrom);
        if (records > 0) {
            memory.readFromFile(stagedFrom << RECORD_SHIFT, stage.duplicate().clear().limit(records << RECORD_SHIFT));
        }
    }

    /**
     * Declares the first {@code restoredCount} records of the memory valid and cuts the rest (recovery:
     * the memory already holds them, from a mapped file or a snapshot).
     */
    public void restore(long restoredCount) {
        memory.truncate(restoredCount << RECORD_SHIFT);
        memory.ensureCapacity(restoredCount << RECORD_SHIFT);
        count = restoredCount;
        if (stage != null) {
            restage();
        }
    }

    /** Forgets the records from {@code newCount} on (rollback of a linked chain or recovery). */
    public void truncate(long newCount) {
        assert newCount <= count;
        count = newCount;
        // Below a stage already written out (a chain rolled back across its start, which is rare), appends go through
        // the mapping, which shares the file's page cache, until they reach the stage again.
    }

    public long getLong(long sequence, int fieldOffset) {
        if (sequence >= stagedFrom) {
            return UnsafeApi.getLong(null, stageAddress + ((sequence - stagedFrom) << RECORD_SHIFT) + fieldOffset);
        }
        return memory.getLong((sequence << RECORD_SHIFT) + fieldOffset);
    }

    public int getInt(long sequence, int fieldOffset) {
        long word = getLong(sequence, fieldOffset & ~7);
        return (int) (word >>> ((fieldOffset & 4) << 3));
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
        for (int i = 0; i < TransferLayout.SIZE; i += Long.BYTES) {
            UnsafeApi.putLong(base, to + i, getLong(sequence, i));
        }
    }

    /**
     * The memory behind the store. With staged appends (see the class comment) it lacks the records still in the
     * stage until {@link #flushStaged}.
     */
    public PagedMemory memory() {
        return memory;
    }

    /** Writes what is staged to the file and closes the memory; a second call does nothing more. */
    @Override
    public void close() {
        try {
            flushStaged();
        } finally {
            stagedFrom = Long.MAX_VALUE; // nothing staged any more: a later close writes nothing, reads no freed buffer
            memory.close();
            if (stage != null) {
                BufferUtil.free(stage);
            }
        }
    }
}
