package com.fanzfinance.ledger.state;

/**
 * Ids of transfers that failed with a transient status, so that a retry can never turn a failure into
 * a success ({@code id_already_failed}). 16 bytes per id, append-only, in the order they failed.
 */
public final class FailedTransferIds implements AutoCloseable {
    private static final int RECORD_SHIFT = 4;

    private final PagedMemory memory;
    private long count;

    public FailedTransferIds(PagedMemory memory) {
        this.memory = memory;
    }

    public long count() {
        return count;
    }

    public long append(long idLow, long idHigh) {
        long ordinal = count;
        long address = ordinal << RECORD_SHIFT;
        memory.ensureCapacity(address + 16);
        memory.putLong(address, idLow);
        memory.putLong(address + 8, idHigh);
        count++;
        return ordinal;
    }

    public long idLow(long ordinal) {
        return memory.getLong(ordinal << RECORD_SHIFT);
    }

    public long idHigh(long ordinal) {
        return memory.getLong((ordinal << RECORD_SHIFT) + 8);
    }

    /** Declares the first {@code restoredCount} ids of the memory valid and cuts the rest (recovery). */
    public void restore(long restoredCount) {
        memory.truncate(restoredCount << RECORD_SHIFT);
        memory.ensureCapacity(restoredCount << RECORD_SHIFT);
        count = restoredCount;
    }

    public void truncate(long newCount) {
        assert newCount <= count;
        count = newCount;
    }

    public PagedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
