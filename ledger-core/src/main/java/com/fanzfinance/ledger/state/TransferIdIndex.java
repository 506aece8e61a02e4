package com.fanzfinance.ledger.state;

/**
 * The idempotency index: every transfer id ever created, and every id that failed transiently, mapped to
 * where its record lives. One 8-byte slot per entry in an open-addressing table (linear probing) kept at
 * most 70% full, so 8 / 0.7 ≈ 11.4 bytes per transfer just before it doubles and 22.9 just after.
 *
 * <p>A slot holds a 24-bit fingerprint of the id and a 40-bit reference, not the id itself; when a
 * fingerprint matches, the full id is compared against the record the reference points to (the
 * transfer store or the failed-id store). This keeps the index at a third of the size of one holding
 * 16-byte ids. The table lives in {@link PagedMemory}, so with a mapped factory it is a file.
 *
 * <p>A reference is {@code (ordinal << 1) | kind}: kind 0 is a transfer sequence number, kind 1 the
 * ordinal of a failed id.
 */
public final class TransferIdIndex implements AutoCloseable {
    public static final long NOT_FOUND = -1;

    private static final int SLOT_SHIFT = 3;
    private static final int REFERENCE_BITS = 40;
    private static final long REFERENCE_MASK = (1L << REFERENCE_BITS) - 1;
    private static final long FINGERPRINT_MASK = (1L << (64 - REFERENCE_BITS)) - 1;
    private static final int MINIMUM_CAPACITY = 1 << 12;
    private static final int LOAD_PERCENT_MAX = 70;

    private final MemoryFactory memoryFactory;
    private final TransferStore transfers;
    private final FailedTransferIds failedIds;
    private PagedMemory table;
    private int generation;
    private long capacity;
    private long mask;
    private int positionShift;
    private long count;

    public TransferIdIndex(MemoryFactory memoryFactory, TransferStore transfers, FailedTransferIds failedIds,
                           long expectedEntries) {
        this.memoryFactory = memoryFactory;
        this.transfers = transfers;
        this.failedIds = failedIds;
        long initial = Math.max(MINIMUM_CAPACITY, Long.highestOneBit(Math.max(1, expectedEntries)) << 1);
        allocate(initial);
    }

    public static boolean isTransfer(long reference) {
        return (reference & 1) == 0;
    }

    public static long ordinal(long reference) {
        return reference >>> 1;
    }

    public long count() {
        return count;
    }

    public long capacity() {
        return capacity;
    }

    public long memoryBytes() {
        return capacity << SLOT_SHIFT;
    }

    /** The reference stored for this id, or {@link #NOT_FOUND}. */
    public long find(long idLow, long idHigh) {
        long hash = IdHash.hash(idLow, idHigh);
        long fingerprint = fingerprint(hash);
        long position = hash >>> positionShift;
        while (true) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                return NOT_FOUND;
            }
            if ((slot >>> REFERENCE_BITS) == fingerprint) {
                long reference = (slot & REFERENCE_MASK) - 1;
                if (matches(reference, idLow, idHigh)) {
                    return reference;
                }
            }
            position = (position + 1) & mask;
        }
    }

    /**
     * Touches the slot this id hashes to without acting on it. A batch calls this for all its events
     * before processing them so that the cache misses overlap instead of happening one at a time.
     */
    public long touch(long idLow, long idHigh) {
        long position = IdHash.hash(idLow, idHigh) >>> positionShift;
        return table.getLong(position << SLOT_SHIFT);
    }

    public void insertTransfer(long sequence, long idLow, long idHigh) {
        insert(sequence << 1, idLow, idHigh);
    }

    public void insertFailed(long ordinal, long idLow, long idHigh) {
        insert((ordinal << 1) | 1, idLow, idHigh);
    }

    /** Removes an id (rollback). Backward-shift deletion, so no tombstones accumulate. */
    public void remove(long idLow, long idHigh) {
        long hash = IdHash.hash(idLow, idHigh);
        long fingerprint = fingerprint(hash);
        long position = hash >>> positionShift;
        while (true) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                throw new IllegalStateException("removing a transfer id that is not indexed");
            }
            if ((slot >>> REFERENCE_BITS) == fingerprint && matches((slot & REFERENCE_MASK) - 1, idLow, idHigh)) {
                break;
            }
            position = (position + 1) & mask;
        }
        shiftBackInto(position);
        count--;
    }

    @Override
    public void close() {
        table.close();
    }

    private void insert(long reference, long idLow, long idHigh) {
        assert find(idLow, idHigh) == NOT_FOUND : "duplicate transfer id";
        if (reference >= REFERENCE_MASK) {
            throw new IllegalStateException("transfer id index reference space exhausted");
        }
        if ((count + 1) * 100 > capacity * LOAD_PERCENT_MAX) {
            grow();
        }
        place(IdHash.hash(idLow, idHigh), reference);
        count++;
    }

    private void place(long hash, long reference) {
        long position = hash >>> positionShift;
        while (table.getLong(position << SLOT_SHIFT) != 0) {
            position = (position + 1) & mask;
        }
        table.putLong(position << SLOT_SHIFT, (fingerprint(hash) << REFERENCE_BITS) | (reference + 1));
    }

    private void shiftBackInto(long hole) {
        long next = (hole + 1) & mask;
        while (true) {
            long slot = table.getLong(next << SLOT_SHIFT);
            if (slot == 0) {
                break;
            }
            long home = homeOf(slot);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                table.putLong(hole << SLOT_SHIFT, slot);
                hole = next;
            }
            next = (next + 1) & mask;
        }
        table.putLong(hole << SLOT_SHIFT, 0L);
    }

    private long homeOf(long slot) {
        long reference = (slot & REFERENCE_MASK) - 1;
        long idLow;
        long idHigh;
        if (isTransfer(reference)) {
            idLow = transfers.idLow(ordinal(reference));
            idHigh = transfers.idHigh(ordinal(reference));
        } else {
            idLow = failedIds.idLow(ordinal(reference));
            idHigh = failedIds.idHigh(ordinal(reference));
        }
        return IdHash.hash(idLow, idHigh) >>> positionShift;
    }

    private boolean matches(long reference, long idLow, long idHigh) {
        long ordinal = ordinal(reference);
        if (isTransfer(reference)) {
            return transfers.idLow(ordinal) == idLow && transfers.idHigh(ordinal) == idHigh;
        }
        return failedIds.idLow(ordinal) == idLow && failedIds.idHigh(ordinal) == idHigh;
    }

    private static long fingerprint(long hash) {
        return (hash >>> 8) & FINGERPRINT_MASK;
    }

    /** Doubles the table. The old one is read slot by slot, so the new layout is deterministic. */
    private void grow() {
        PagedMemory old = table;
        long oldCapacity = capacity;
        allocate(capacity * 2);
        for (long position = 0; position < oldCapacity; position++) {
            long slot = old.getLong(position << SLOT_SHIFT);
            if (slot != 0) {
                long reference = (slot & REFERENCE_MASK) - 1;
                place(hashOf(reference), reference);
            }
        }
        old.closeAndDelete();
    }

    private long hashOf(long reference) {
        long ordinal = ordinal(reference);
        if (isTransfer(reference)) {
            return IdHash.hash(transfers.idLow(ordinal), transfers.idHigh(ordinal));
        }
        return IdHash.hash(failedIds.idLow(ordinal), failedIds.idHigh(ordinal));
    }

    private void allocate(long newCapacity) {
        if (Long.bitCount(newCapacity) != 1 || newCapacity > (1L << 40)) {
            throw new IllegalStateException("transfer id index capacity out of range: " + newCapacity);
        }
        capacity = newCapacity;
        mask = newCapacity - 1;
        positionShift = 64 - Long.numberOfTrailingZeros(newCapacity);
        table = memoryFactory.create("transfer-id-index-" + generation++);
        table.truncate(0);
        table.ensureCapacity(newCapacity << SLOT_SHIFT);
    }
}
