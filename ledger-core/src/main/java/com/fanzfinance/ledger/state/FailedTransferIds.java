package com.fanzfinance.ledger.state;

/**
 * Ids of transfers that failed with a transient status, so that a retry can never turn a failure into
 * a success ({@code id_already_failed}), each with its owner: the tenant whose scoped command failed
 * (the first tenant of the command's scope), or 0 for an unscoped command. A failure only ever answers
 * for commands of its owner, so one tenant cannot use up ids another tenant will need.
 *
 * <p>32 bytes per id ({@code id low, id high, owner, reserved}), append-only, in the order they failed.
 */
public final class FailedTransferIds implements AutoCloseable {
    /** Bytes per record. */
    public static final int RECORD_BYTES = 32;
    private static final int RECORD_SHIFT = 5;
    private static final int OWNER = 16;

    private final PagedMemory memory;
    private long count;

    public FailedTransferIds(PagedMemory memory) {
        this.memory = memory;
    }

    public long count() {
        return count;
    }

    public long append(long idLow, long idHigh, int owner) {
        long ordinal = count;
        long address = ordinal << RECORD_SHIFT;
        memory.ensureCapacity(address + RECORD_BYTES);
        memory.putLong(address, idLow);
        memory.putLong(address + 8, idHigh);
        memory.putLong(address + OWNER, owner & 0xFFFF_FFFFL);
        memory.putLong(address + 24, 0);
        count++;
        return ordinal;
    }

    public long idLow(long ordinal) {
        return memory.getLong(ordinal << RECORD_SHIFT);
    }

    public long idHigh(long ordinal) {
        return memory.getLong((ordinal << RECORD_SHIFT) + 8);
    }

    public int owner(long ordinal) {
        return (int) memory.getLong((ordinal << RECORD_SHIFT) + OWNER);
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
