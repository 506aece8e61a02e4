package com.fanzfinance.ledger.state;

/**
 * Finds a transiently failed transfer id by (id, owner): the index behind {@code id_already_failed}. An
 * open-addressing table of 8-byte slots (the failed-id ordinal + 1; 0 is empty) kept at most 70% full,
 * compared against the {@link FailedTransferIds} records. Failures are rare, so the table is small and
 * stays in cache; it is separate from the transfer index so that the common path — a new transfer id —
 * costs one probe of the big table and at most one of this small one.
 *
 * <p>Derived state: rebuilt from the failed-id store on recovery. Owned by the business-logic thread.
 */
public final class FailedIdIndex implements AutoCloseable {
    public static final long NOT_FOUND = -1;

    private static final int SLOT_SHIFT = 3;
    private static final int MINIMUM_CAPACITY = 1 << 10;
    private static final int LOAD_PERCENT_MAX = 70;
    private static final long OWNER_MIX = 0xC2B2AE3D27D4EB4FL;

    private final MemoryFactory memoryFactory;
    private final FailedTransferIds failedIds;
    private PagedMemory table;
    private int generation;
    private long capacity;
    private long mask;
    private long count;
    /** Tables replaced by bigger ones, closed and deleted on the releaser's thread ({@link StoreReleaser}). */
    private final StoreReleaser.Releases releases = new StoreReleaser.Releases();

    public FailedIdIndex(MemoryFactory memoryFactory, FailedTransferIds failedIds) {
        this.memoryFactory = memoryFactory;
        this.failedIds = failedIds;
        allocate(MINIMUM_CAPACITY);
    }

    public long count() {
        return count;
    }

    /** The ordinal of the failure of {@code (id, owner)}, or {@link #NOT_FOUND}. */
    public long find(long idLow, long idHigh, int owner) {
        long position = position(idLow, idHigh, owner);
        while (true) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                return NOT_FOUND;
            }
            long ordinal = slot - 1;
            if (failedIds.idLow(ordinal) == idLow && failedIds.idHigh(ordinal) == idHigh
                && failedIds.owner(ordinal) == owner) {
                return ordinal;
            }
            position = (position + 1) & mask;
        }
    }

    /** Indexes the failed-id record {@code ordinal}; its (id, owner) must not be indexed yet. */
    public void insert(long ordinal) {
        assert find(failedIds.idLow(ordinal), failedIds.idHigh(ordinal), failedIds.owner(ordinal)) == NOT_FOUND
            : "duplicate failed id";
        if ((count + 1) * 100 > capacity * LOAD_PERCENT_MAX) {
            rehash(capacity * 2);
        }
        place(ordinal);
        count++;
    }

    /** Rebuilds the table from the failed-id store (recovery). */
    public void rebuild() {
        PagedMemory old = table;
        long wanted = MINIMUM_CAPACITY;
        while (failedIds.count() * 100 > wanted * LOAD_PERCENT_MAX) {
            wanted *= 2;
        }
        allocate(wanted);
        releases.closeAndDelete(old);
        count = 0;
        for (long ordinal = 0; ordinal < failedIds.count(); ordinal++) {
            insert(ordinal);
        }
    }

    /**
     * Closes the table, and waits until the tables it replaced are closed and their files deleted (or have failed to
     * be).
     */
    @Override
    public void close() {
        table.close();
        releases.await();
    }

    private void place(long ordinal) {
        long position = position(failedIds.idLow(ordinal), failedIds.idHigh(ordinal), failedIds.owner(ordinal));
        while (table.getLong(position << SLOT_SHIFT) != 0) {
            position = (position + 1) & mask;
        }
        table.putLong(position << SLOT_SHIFT, ordinal + 1);
    }

    private long position(long idLow, long idHigh, int owner) {
        return IdHash.hash(idLow ^ (owner * OWNER_MIX), idHigh) & mask;
    }

    private void rehash(long newCapacity) {
        PagedMemory old = table;
        long oldCapacity = capacity;
        allocate(newCapacity);
        for (long position = 0; position < oldCapacity; position++) {
            long slot = old.getLong(position << SLOT_SHIFT);
            if (slot != 0) {
                place(slot - 1);
            }
        }
        releases.closeAndDelete(old);
    }

    private void allocate(long newCapacity) {
        if (Long.bitCount(newCapacity) != 1 || newCapacity > (1L << 40)) {
            throw new IllegalStateException("failed id index capacity out of range: " + newCapacity);
        }
        capacity = newCapacity;
        mask = newCapacity - 1;
        table = memoryFactory.create("failed-id-index-" + generation++, newCapacity << SLOT_SHIFT);
        table.truncate(0);
        table.ensureCapacity(newCapacity << SLOT_SHIFT);
    }
}
