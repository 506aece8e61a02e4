package com.fanzfinance.ledger.state;

/**
 * The idempotency index: every transfer id ever created, mapped to the transfer's sequence number (its
 * place in the transfer store). Ids that failed transiently are in {@link FailedIdIndex}. One 8-byte slot per entry in an open-addressing table (linear probing) kept at
 * most 70% full, so 8 / 0.7 ≈ 11.4 bytes per transfer just before it doubles and 22.9 just after.
 *
 * <p>A slot holds a 24-bit fingerprint of the id and a 40-bit reference, not the id itself; when a
 * fingerprint matches, the full id is compared against the transfer record the reference points to. This keeps the index at a third of the size of one holding
 * 16-byte ids. The table lives in {@link PagedMemory}, so with a mapped factory it is a file.
 *
 * <p>Where an id lands starts out locality-preserving: consecutive ids land in consecutive slots, so a
 * client that numbers its transfers sequentially gets sequential memory access instead of a cache miss
 * per transfer. Ids with a structure that makes them pile up (a probe longer than
 * {@value #PROBE_LIMIT} slots) switch the table, once and for good, to a salted 64-bit mix. Only the
 * layout changes; what the index answers never depends on it.
 */
public final class TransferIdIndex implements AutoCloseable {
    public static final long NOT_FOUND = -1;

    private static final int SLOT_SHIFT = 3;
    private static final int REFERENCE_BITS = 40;
    private static final long REFERENCE_MASK = (1L << REFERENCE_BITS) - 1;
    private static final long FINGERPRINT_MASK = (1L << (64 - REFERENCE_BITS)) - 1;
    private static final int MINIMUM_CAPACITY = 1 << 12;
    private static final int LOAD_PERCENT_MAX = 70;
    private static final int PROBE_LIMIT = 4096;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /**
     * A table up to this size has all its pages faulted in, as for reading, on the prefaulter's thread when it is
     * allocated ({@link PagedMemory#populateInBackground}): ids that land all over it (random ones, UUIDs, ULIDs)
     * otherwise take a page fault per page on the business thread the first time each page is looked at and
     * again when it is written. Larger tables (from 2 GiB: past ~90 M transfers) are left to fault as they are used.
     */
    private static final long PREFAULT_BYTES_MAX = 1L << 30;
    /** Slots a rehash reads before it places their entries ({@link #rehash}). */
    private static final int REHASH_GROUP = 64;

    private final MemoryFactory memoryFactory;
    private final TransferStore transfers;
    private final long initialCapacity;
    private PagedMemory table;
    private int generation;
    private long capacity;
    private long mask;
    private int positionShift;
    private long count;
    /** 0: locality-preserving placement; otherwise the salt of the mixed placement. */
    private long salt;
    /**
     * Where the last {@link #find} that missed ended: the free slot its id would be placed in, remembered so that
     * the insert that usually follows neither hashes nor probes again. Any change to the table forgets it.
     */
    private long missLow;
    private long missHigh;
    private long missPosition = -1;
    private long missFingerprint;
    private int missProbes;
    /** A rehash's group: the entries' references, new positions and fingerprints. */
    private final long[] rehashReferences = new long[REHASH_GROUP];
    private final long[] rehashPositions = new long[REHASH_GROUP];
    private final long[] rehashFingerprints = new long[REHASH_GROUP];
    /** Where the rehash's touching loads go, so that they are not optimised away. */
    private long rehashSink;

    public TransferIdIndex(MemoryFactory memoryFactory, TransferStore transfers, long expectedEntries) {
        this.memoryFactory = memoryFactory;
        this.transfers = transfers;
        this.initialCapacity = Math.max(MINIMUM_CAPACITY, Long.highestOneBit(Math.max(1, expectedEntries)) << 1);
        allocate(initialCapacity);
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

    /** The sequence number of the transfer with this id, or {@link #NOT_FOUND}. */
    public long find(long idLow, long idHigh) {
        return lookup(idLow, idHigh, true);
    }

    /** {@link #find}; {@code remember}: on a miss, note where it ended for the insert that may follow. */
    private long lookup(long idLow, long idHigh, boolean remember) {
        long fingerprint = fingerprint(idLow, idHigh);
        long position = position(idLow, idHigh);
        int probes = 1;
        while (true) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                if (!remember) {
                    return NOT_FOUND;
                }
                missLow = idLow;
                missHigh = idHigh;
                missPosition = position;
                missFingerprint = fingerprint;
                missProbes = probes;
                return NOT_FOUND;
            }
            if ((slot >>> REFERENCE_BITS) == fingerprint) {
                long reference = (slot & REFERENCE_MASK) - 1;
                if (matches(reference, idLow, idHigh)) {
                    return reference;
                }
            }
            position = (position + 1) & mask;
            probes++;
        }
    }

    /**
     * Touches the slot this id hashes to without acting on it. A batch calls this for all its events
     * before processing them so that the cache misses overlap instead of happening one at a time.
     */
    public long touch(long idLow, long idHigh) {
        return table.getLong(position(idLow, idHigh) << SLOT_SHIFT);
    }

    /** True once clustered ids have switched the table to mixed placement. */
    public boolean isMixed() {
        return salt != 0;
    }

    public void insertTransfer(long sequence, long idLow, long idHigh) {
        insert(sequence, idLow, idHigh);
    }

    /** Removes an id (rollback). Backward-shift deletion, so no tombstones accumulate. */
    public void remove(long idLow, long idHigh) {
        missPosition = -1;
        long fingerprint = fingerprint(idLow, idHigh);
        long position = position(idLow, idHigh);
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

    /**
     * Rebuilds the index from the transfer store (recovery): the index is derived state, so snapshots do not
     * carry it.
     */
    public void rebuild() {
        long entries = transfers.count();
        if (entries == 0 && count == 0) {
            return;
        }
        count = 0;
        salt = 0;
        long wanted = Math.max(initialCapacity, Long.highestOneBit(Math.max(1, entries * 2)) << 1);
        PagedMemory old = table;
        allocate(wanted);
        old.closeAndDelete();
        for (long sequence = 0; sequence < transfers.count(); sequence++) {
            insertTransfer(sequence, transfers.idLow(sequence), transfers.idHigh(sequence));
        }
    }

    @Override
    public void close() {
        table.close();
    }

    private void insert(long reference, long idLow, long idHigh) {
        assert lookup(idLow, idHigh, false) == NOT_FOUND : "duplicate transfer id";
        if (reference >= REFERENCE_MASK) {
            throw new IllegalStateException("transfer id index reference space exhausted");
        }
        if ((count + 1) * 100 > capacity * LOAD_PERCENT_MAX) {
            rehash(capacity * 2);
        }
        int probes;
        if (missPosition >= 0 && missLow == idLow && missHigh == idHigh) {
            // The find just before missed this id at a slot that nothing has filled since: the slot place() would pick.
            table.putLong(missPosition << SLOT_SHIFT, (missFingerprint << REFERENCE_BITS) | (reference + 1));
            probes = missProbes;
            missPosition = -1;
        } else {
            probes = place(idLow, idHigh, reference);
        }
        count++;
        if (probes > PROBE_LIMIT && salt == 0) {
            salt = IdHash.hash(count, capacity) | 1;
            rehash(capacity);
        }
    }

    /** Puts a reference in the first free slot from the id's position; returns how many slots it probed. */
    private int place(long idLow, long idHigh, long reference) {
        missPosition = -1;
        return placeFrom(position(idLow, idHigh), fingerprint(idLow, idHigh), reference);
    }

    /** Puts a slot in the first free one from {@code position}; returns how many slots it probed. */
    private int placeFrom(long position, long fingerprint, long reference) {
        int probes = 1;
        while (table.getLong(position << SLOT_SHIFT) != 0) {
            position = (position + 1) & mask;
            probes++;
        }
        table.putLong(position << SLOT_SHIFT, (fingerprint << REFERENCE_BITS) | (reference + 1));
        return probes;
    }

    private long position(long idLow, long idHigh) {
        if (salt == 0) {
            return (idLow + idHigh * GOLDEN) & mask;
        }
        return IdHash.hash(idLow ^ salt, idHigh) >>> positionShift;
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
        return position(transfers.idLow(reference), transfers.idHigh(reference));
    }

    private boolean matches(long sequence, long idLow, long idHigh) {
        return transfers.idLow(sequence) == idLow && transfers.idHigh(sequence) == idHigh;
    }

    private static long fingerprint(long idLow, long idHigh) {
        return (IdHash.hash(idLow, idHigh) >>> 8) & FINGERPRINT_MASK;
    }

    /**
     * Moves every entry into a fresh table of {@code newCapacity} slots. The old table is read slot by slot, so the
     * layout is deterministic.
     *
     * <p>In groups of {@value #REHASH_GROUP} slots, in three passes whose loads do not depend on one another, so that
     * a pass's cache and TLB misses are in flight together: the entries' transfer records (each id is read from its
     * record), then the new table's slots they go to, then the placing. One entry at a time, each entry took two
     * misses in a row: with random ids the business thread paused 0.62–0.73 s when 5.9 M transfers doubled the
     * table, 0.47–0.52 s in passes ({@code IdIndexGrowthBenchmark}, mapped files). A group whose transfers look
     * consecutive (sequential ids) is placed directly: its records and slots follow one another anyway.
     */
    private void rehash(long newCapacity) {
        PagedMemory old = table;
        long oldCapacity = capacity;
        allocate(newCapacity);
        long[] references = rehashReferences;
        long[] positions = rehashPositions;
        long[] fingerprints = rehashFingerprints;
        long sink = 0;
        for (long from = 0; from < oldCapacity; from += REHASH_GROUP) {
            int n = 0;
            long to = Math.min(oldCapacity, from + REHASH_GROUP);
            for (long position = from; position < to; position++) {
                long slot = old.getLong(position << SLOT_SHIFT);
                if (slot != 0) {
                    long reference = (slot & REFERENCE_MASK) - 1;
                    references[n++] = reference;
                    sink += transfers.idLow(reference);
                }
            }
            if (n > 0 && references[n - 1] - references[0] == n - 1) {
                // The first and last transfer n - 1 apart: consecutive ones, as sequential ids give in the
                // locality-preserving placement, whose records and new slots follow one another — the passes below
                // would only add work (a guess that is wrong costs time only, never the placement).
                for (int i = 0; i < n; i++) {
                    long reference = references[i];
                    place(transfers.idLow(reference), transfers.idHigh(reference), reference);
                }
                continue;
            }
            for (int i = 0; i < n; i++) {
                long idLow = transfers.idLow(references[i]);
                long idHigh = transfers.idHigh(references[i]);
                positions[i] = position(idLow, idHigh);
                fingerprints[i] = fingerprint(idLow, idHigh);
                sink += table.getLong(positions[i] << SLOT_SHIFT);
            }
            for (int i = 0; i < n; i++) {
                placeFrom(positions[i], fingerprints[i], references[i]);
            }
        }
        rehashSink += sink;
        old.closeAndDelete();
    }

    private void allocate(long newCapacity) {
        missPosition = -1;
        if (Long.bitCount(newCapacity) != 1 || newCapacity > (1L << 40)) {
            throw new IllegalStateException("transfer id index capacity out of range: " + newCapacity);
        }
        capacity = newCapacity;
        mask = newCapacity - 1;
        positionShift = 64 - Long.numberOfTrailingZeros(newCapacity);
        table = memoryFactory.create("transfer-id-index-" + generation++, newCapacity << SLOT_SHIFT);
        table.truncate(0);
        table.ensureCapacity(newCapacity << SLOT_SHIFT);
        if ((newCapacity << SLOT_SHIFT) <= PREFAULT_BYTES_MAX) {
            table.populateInBackground(Prefaulter.Mode.READ, newCapacity << SLOT_SHIFT);
        }
    }
}
