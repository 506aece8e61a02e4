package com.fanzfinance.ledger.state;

import java.util.Arrays;

/**
 * The idempotency index: every transfer id ever created, mapped to the transfer's sequence number (its
 * place in the transfer store). Ids that failed transiently are in {@link FailedIdIndex}. One 8-byte slot per entry in an open-addressing table (linear probing) kept at
 * most 70% full, so 8 / 0.7 ≈ 11.4 bytes per transfer just before it doubles and 22.9 just after (34.3 until the old
 * table's entries have moved, below).
 *
 * <p>A slot holds a 24-bit fingerprint of the id and a 40-bit reference, not the id itself; when a
 * fingerprint matches, the full id is compared against the transfer record the reference points to. This keeps the index at a third of the size of one holding
 * 16-byte ids. The table lives in {@link PagedMemory}, so with a mapped factory it is a file.
 *
 * <p>Where an id lands starts out locality-preserving: consecutive ids land in consecutive slots, so a
 * client that numbers its transfers sequentially gets sequential memory access instead of a cache miss
 * per transfer. Ids with a structure that makes them pile up (a probe longer than
 * {@value #PROBE_LIMIT} slots) switch the table, once and for good, to a salted 64-bit mix — as sequential ids do
 * in a table that already holds random ones: each random id in their run pushes every later one a slot further. The
 * entries move into a table in the new placement a few at a time, as below. Only the layout changes; what the
 * index answers never depends on it.
 *
 * <p><b>Growing without a pause.</b> When the table is 70% full, a table twice the size takes over, and the old
 * one's entries move into it a few at a time: {@value #MIGRATION_GROUP} old entries (looking through at most
 * {@value #GROUP_SLOTS_MAX} slots for them) every {@value #MIGRATION_GROUP} / {@value #SLOTS_PER_INSERT} inserts, so
 * the move ends well before the new table could fill (it starts 35% full and would need 0.7 × the old capacity more
 * inserts; the move takes a sixteenth of the old entries). A batch of 8,189 transfers moves 131,024 entries.
 * Meanwhile new ids go into the new table, and a lookup that misses there looks in the old one. The old table is
 * never rearranged while it is read: a removal marks its entry there as gone (a tombstone the move skips and
 * probes pass over) instead of shifting entries back. Moving everything at once paused the business thread for
 * 0.6–1.1 s when 5.9 M random ids doubled the table, and 5 s at 23.5 M.
 *
 * <p><b>Across a clean restart.</b> A start rebuilds the index from the transfer store, unless the last stop was clean:
 * then it saved the table ({@link #saveForRestart}, {@link SavedIdIndex}) and the next start keeps it if it still
 * indexes exactly the stored transfers (see {@link #rebuild}).
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
     * A table up to this size has all its pages faulted in on the prefaulter's thread when it is allocated
     * ({@link PagedMemory#populateInBackground}): ids that land all over it (random ones, UUIDs, ULIDs) otherwise take
     * a page fault per page on the business thread the first time each page is looked at and again when it is
     * written. Larger tables (from 2 GiB: past ~90 M transfers) are left to fault as they are used. As for reading,
     * unless its entries will land all over it ({@link #writtenAllOver}: mixed placement, or a doubling of random
     * ids): then as for writing ({@link Prefaulter.Mode#WRITE}), because its move writes every page within seconds
     * anyway and a write to a page faulted in only for reading still stops on ext4's block reservation. That was most
     * of a 2.5–3.4 s stall of a warm server at the switch to mixed placement (a table sized for 16 M transfers;
     * 0.4–1.1 s after, over five runs), and a table rebuilt from random ids ({@link #rebuild}). The first table, a
     * doubling of ids in order and a table rebuilt from ids in order are faulted in as for reading: such ids fill them
     * in order, and pages dirtied before they are used would be written back early, as zeros.
     */
    private static final long PREFAULT_BYTES_MAX = 1L << 30;
    /** Old entries moved together ({@link #migrateGroup}). */
    private static final int MIGRATION_GROUP = 64;
    /** Old slots one group looks through at most, for its {@link #MIGRATION_GROUP} entries. */
    private static final int GROUP_SLOTS_MAX = 16 * MIGRATION_GROUP;
    /** Old entries moved per insert while the table grows, on average. */
    private static final int SLOTS_PER_INSERT = 16;
    /** Pairs of neighbouring slots {@link #lookInOrder} samples. */
    private static final int ORDER_SAMPLES = 256;
    /** Transfers a {@link #rebuildByRegion} sorts at a time: 32 bytes of heap each while it runs (32 MiB). */
    private static final int REBUILD_CHUNK = 1 << 20;
    /** How many later transfers {@link #storeLooksInOrder} looks through for each one it samples. */
    private static final int ORDER_WINDOW = 8;
    /** The largest difference between neighbouring ids that {@link #lookInOrder} counts as in order. */
    private static final long ORDER_GAP_MAX = 64;
    /** {@link #writtenAllOver}: a table with fewer entries than one per this many slots (8 per 4 KiB page) is not. */
    private static final long SLOTS_PER_ENTRY_MAX = 64;
    /** Slots a kept table's check looks at ({@link #sampleMismatch}). */
    private static final int KEEP_SAMPLES = 4096;
    /** An old table's entry removed while its entries move: occupied for probing, holds no reference. */
    private static final long TOMBSTONE = 1L << REFERENCE_BITS;

    private final MemoryFactory memoryFactory;
    private final TransferStore transfers;
    private final long initialCapacity;
    private PagedMemory table;
    /** The generation the next table's file takes. */
    private int generation;
    /** The current table's generation (its file is {@code transfer-id-index-<generation>.store}). */
    private int tableGeneration;
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
    /** The table being moved out of while the index grows, or null; its size, mask, placement shift and salt. */
    private PagedMemory old;
    private long oldCapacity;
    private long oldMask;
    private int oldPositionShift;
    private long oldSalt;
    /** Old slots below this one have been moved. */
    private long migrated;
    /** Ids piled up while a move was going on: the switch to mixed placement starts when that move ends. */
    private boolean mixPending;
    /** How many old slots the last {@link #oldPosition} that missed probed. */
    private int oldProbes;
    /** Inserts since the last group was moved, times {@link #SLOTS_PER_INSERT}. */
    private int migrationCredit;
    /** A group being moved: the entries' references, new positions and fingerprints. */
    private final long[] groupReferences = new long[MIGRATION_GROUP];
    private final long[] groupPositions = new long[MIGRATION_GROUP];
    private final long[] groupFingerprints = new long[MIGRATION_GROUP];
    /** Where the move's touching loads go, so that they are not optimised away. */
    private long migrationSink;
    /** How the current table's pages were faulted in, or null (heap memory, or too large). */
    private Prefaulter.Mode prefaultMode;
    /** Tables moved out of, closed and deleted on the releaser's thread ({@link StoreReleaser}). */
    private final StoreReleaser.Releases releases = new StoreReleaser.Releases();
    /** The table a clean shutdown saved, until {@link #rebuild} keeps it or deletes it; null if none. */
    private SavedIdIndex saved;
    /** How the last {@link #rebuild} went. */
    private Restoration restoration = Restoration.NONE;
    /** Why the last {@link #rebuild} did not keep a saved table, or null. */
    private String savedRejection;

    /** How the index came back at the last {@link #rebuild}. */
    public enum Restoration {
        /** Not restored (a new index, or nothing to rebuild). */
        NONE,
        /** The table saved at the last clean shutdown was kept. */
        KEPT,
        /** Rebuilt from the transfer store. */
        REBUILT
    }

    public TransferIdIndex(MemoryFactory memoryFactory, TransferStore transfers, long expectedEntries) {
        this(memoryFactory, transfers, expectedEntries, null);
    }

    /**
     * {@code saved}: the table a clean shutdown left ({@link SavedIdIndex#claim}), which {@link #rebuild} keeps if it
     * still matches the store; until then the index starts with a small table of a later generation (the expected
     * size's table, and the work of faulting it in, would be thrown away if the saved one is kept).
     */
    public TransferIdIndex(MemoryFactory memoryFactory, TransferStore transfers, long expectedEntries,
                           SavedIdIndex saved) {
        this.memoryFactory = memoryFactory;
        this.transfers = transfers;
        this.initialCapacity = Math.max(MINIMUM_CAPACITY, Long.highestOneBit(Math.max(1, expectedEntries)) << 1);
        this.saved = saved;
        if (saved != null) {
            generation = saved.generation() + 1;
            allocate(MINIMUM_CAPACITY, false);
        } else {
            allocate(initialCapacity, false);
        }
    }

    public long count() {
        return count;
    }

    public long capacity() {
        return capacity;
    }

    /** The table's bytes, and while it grows the old table's too. */
    public long memoryBytes() {
        return (capacity + (old == null ? 0 : oldCapacity)) << SLOT_SHIFT;
    }

    /** True while the entries of the table it grew from are still moving into the current one. */
    public boolean isGrowing() {
        return old != null;
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
                if (old != null) {
                    long inOld = oldPosition(idLow, idHigh, fingerprint);
                    if (inOld >= 0) {
                        return (old.getLong(inOld << SLOT_SHIFT) & REFERENCE_MASK) - 1;
                    }
                    // A long run in the old table costs every such lookup as much as one in the new table would:
                    // the insert that follows counts it towards the switch to mixed placement.
                    probes += oldProbes;
                }
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
        long slot = table.getLong(position(idLow, idHigh) << SLOT_SHIFT);
        if (old != null) {
            // A new id misses in the new table and is looked for in the old one too.
            slot += old.getLong(oldHome(idLow, idHigh) << SLOT_SHIFT);
        }
        return slot;
    }

    /** True once clustered ids have switched the table to mixed placement. */
    public boolean isMixed() {
        return salt != 0;
    }

    public void insertTransfer(long sequence, long idLow, long idHigh) {
        insert(sequence, idLow, idHigh);
    }

    /**
     * Removes an id (rollback). Backward-shift deletion, so no tombstones accumulate; while the index grows, the
     * id's entry in the old table (not moved yet, or moved and left behind) becomes a tombstone.
     */
    public void remove(long idLow, long idHigh) {
        missPosition = -1;
        long fingerprint = fingerprint(idLow, idHigh);
        boolean removed = false;
        if (old != null) {
            long inOld = oldPosition(idLow, idHigh, fingerprint);
            if (inOld >= 0) {
                old.putLong(inOld << SLOT_SHIFT, TOMBSTONE);
                removed = true;
            }
        }
        long position = position(idLow, idHigh);
        while (true) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                if (!removed) {
                    throw new IllegalStateException("removing a transfer id that is not indexed");
                }
                count--;
                return;
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
     * carry it. If the index was opened with the table a clean shutdown saved ({@link SavedIdIndex}), that table is
     * kept instead when it indexes exactly the stored transfers ({@link #restoration}: {@code KEPT}); otherwise its
     * file is deleted and the index rebuilt ({@link #savedRejection} says why). Ids in order
     * ({@link #storeLooksInOrder}) are inserted one by one, in order, into the table as allocated if it is empty and of the size wanted (at a start: the constructor's, already being faulted in for
     * reading). Random ids are placed region by region ({@link #rebuildByRegion}), into a new table faulted in for
     * writing if it is mapped, at most 1 GiB and will hold at least one entry per {@value #SLOTS_PER_ENTRY_MAX} slots:
     * 10 M of them took 2.4–2.6 s one by one, and take 0.65–0.86 s (a table sized for 16 M,
     * {@code IdIndexRebuildBenchmark}). The answers never depend on which way was taken.
     */
    public void rebuild() {
        rebuild(REBUILD_CHUNK);
    }

    /** {@link #rebuild()}, sorting {@code chunk} transfers at a time if the ids are random (tests: several chunks). */
    void rebuild(int chunk) {
        long entries = transfers.count();
        if (saved != null) {
            SavedIdIndex candidate = saved;
            saved = null;
            savedRejection = keep(candidate);
            if (savedRejection == null) {
                restoration = Restoration.KEPT;
                return;
            }
        }
        restoration = Restoration.REBUILT;
        if (entries == 0 && count == 0) {
            restoration = Restoration.NONE;
            return;
        }
        boolean empty = count == 0 && old == null; // no entries: every slot is 0 (removal leaves no tombstones here)
        count = 0;
        salt = 0;
        mixPending = false;
        dropOld();
        long wanted = Math.max(initialCapacity, Long.highestOneBit(Math.max(1, entries * 2)) << 1);
        boolean inOrder = storeLooksInOrder();
        boolean writtenAnywhere = faultedIn(wanted) && entries * SLOTS_PER_ENTRY_MAX >= wanted && !inOrder;
        if (empty && capacity == wanted && !writtenAnywhere) {
            missPosition = -1; // the table as allocated (at a start: the constructor's, already being faulted in)
        } else {
            PagedMemory previous = table;
            allocate(wanted, writtenAnywhere);
            releases.closeAndDelete(previous);
        }
        if (!inOrder && rebuildByRegion(entries, chunk)) {
            return;
        }
        if (!inOrder) {
            // A probe passed the limit: the ids pile up. Again one by one, switching to mixed placement as they go.
            PagedMemory partial = table;
            count = 0;
            allocate(wanted, false);
            releases.closeAndDelete(partial);
        }
        for (long sequence = 0; sequence < entries; sequence++) {
            insertTransfer(sequence, transfers.idLow(sequence), transfers.idHigh(sequence));
        }
    }

    /** How the last {@link #rebuild} went. */
    public Restoration restoration() {
        return restoration;
    }

    /** Why the last {@link #rebuild} did not keep the table a clean shutdown saved, or null (kept, or none saved). */
    public String savedRejection() {
        return savedRejection;
    }

    /**
     * Keeps the table a clean shutdown saved, if it indexes this store as it now is: the same transfer count and last
     * id, one entry per stored transfer, a table at least the size this index is configured to start with, the table's
     * file whole with the checksum it was saved with (after the save counted its taken slots), and a sample of its
     * entries each pointing at a stored transfer whose id has the entry's fingerprint and places it where the entry's probe can
     * reach it. Returns null if it was kept, else why not (the table's file is then deleted). Only a new index keeps
     * one. Nothing here fails the start: a table that cannot be opened or read is refused like any other.
     */
    private String keep(SavedIdIndex candidate) {
        long entries = transfers.count();
        long bytes = candidate.capacity() << SLOT_SHIFT;
        if (count != 0 || old != null) {
            return deleteSaved(candidate, null, "the index is not new");
        } else if (candidate.transferCount() != entries) {
            return deleteSaved(candidate, null, "it indexes " + candidate.transferCount() + " transfers, the stores hold "
                + entries);
        } else if (candidate.count() != entries) {
            return deleteSaved(candidate, null, "it holds " + candidate.count() + " entries for " + entries + " transfers");
        } else if (entries > 0 && (transfers.idLow(entries - 1) != candidate.lastIdLow()
            || transfers.idHigh(entries - 1) != candidate.lastIdHigh())) {
            return deleteSaved(candidate, null, "the last stored transfer is not the one it indexed");
        } else if (candidate.capacity() < initialCapacity || candidate.capacity() > (1L << 40)) {
            // Below the configured size: the operator asked for a larger table (fewer doublings); a rebuild makes one.
            return deleteSaved(candidate, null, "its size (" + candidate.capacity() + " slots) is outside "
                + initialCapacity + " .. 2^40");
        }
        PagedMemory kept = null;
        try {
            kept = memoryFactory.create(candidate.tableName(), bytes);
            if (!kept.isMapped() || kept.capacityBytes() < bytes) {
                return deleteSaved(candidate, kept, "its file is missing or short");
            }
            // The save counted one taken slot per stored transfer before it wrote the marker; the checksum shows the
            // table is still the one it counted (counting again here took 0.35 s of a start with a cold JIT).
            if (kept.checksum(bytes) != candidate.checksum()) {
                return deleteSaved(candidate, kept, "its checksum does not hold");
            }
        } catch (RuntimeException e) {
            return deleteSaved(candidate, kept, "it cannot be read (" + e + ")");
        }
        PagedMemory previous = table;
        long previousCapacity = capacity;
        Prefaulter.Mode previousPrefault = prefaultMode;
        useTable(kept, candidate.capacity());
        salt = candidate.salt();
        count = candidate.count();
        String mismatch = sampleMismatch();
        if (mismatch != null) {
            useTable(previous, previousCapacity);
            prefaultMode = previousPrefault;
            salt = 0;
            count = 0;
            return deleteSaved(candidate, kept, mismatch);
        }
        tableGeneration = candidate.generation();
        releases.closeAndDelete(previous);
        // Not faulted in ahead: the checksum read every page, which maps them as a first table's are (for reading). As
        // for writing they would all be dirtied at once and written back whole (the recovery of 10 M random ids took
        // 0.9-1.1 s with that against 0.5-0.66 s without, docs/benchmarks.md, twenty-second session).
        prefaultMode = null;
        return null;
    }

    /** Deletes the saved table's file ({@code opened}, if it was), and returns {@code reason}. */
    private String deleteSaved(SavedIdIndex candidate, PagedMemory opened, String reason) {
        try {
            (opened != null ? opened : memoryFactory.create(candidate.tableName(), 0)).closeAndDelete();
        } catch (RuntimeException e) {
            // Left for the next start's sweep of stale index files.
        }
        return reason;
    }

    private void useTable(PagedMemory memory, long slots) {
        table = memory;
        capacity = slots;
        mask = slots - 1;
        positionShift = 64 - Long.numberOfTrailingZeros(slots);
        missPosition = -1;
    }

    /**
     * Checks {@value #KEEP_SAMPLES} slots spread over the table: each taken one refers to a stored transfer whose id
     * has its fingerprint and whose probe from its place reaches the slot over taken slots only. Null if all do.
     */
    private String sampleMismatch() {
        long step = Math.max(1, capacity / KEEP_SAMPLES);
        long entries = transfers.count();
        for (long position = 0; position < capacity; position += step) {
            long slot = table.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                continue;
            }
            long reference = (slot & REFERENCE_MASK) - 1;
            if (reference < 0 || reference >= entries) {
                return "slot " + position + " refers to transfer " + reference + " of " + entries;
            }
            long idLow = transfers.idLow(reference);
            long idHigh = transfers.idHigh(reference);
            if ((slot >>> REFERENCE_BITS) != fingerprint(idLow, idHigh)) {
                return "slot " + position + " does not hold its transfer's fingerprint";
            }
            for (long at = position(idLow, idHigh); at != position; at = (at + 1) & mask) {
                if (table.getLong(at << SLOT_SHIFT) == 0) {
                    return "slot " + position + " is out of its transfer's probe";
                }
            }
        }
        return null;
    }

    /**
     * Saves the table for the next start ({@link SavedIdIndex}), if it is a mapped file: any move still going on is
     * finished, the table checked to hold one entry per stored transfer, synced to the device, then the marker
     * written into {@code directory}. Call it last, on a clean shutdown, when nothing will be applied any more and the
     * stores are synced; then {@link #close}. Returns null if it was saved, else why not (heap memory, or a table that
     * does not hold exactly the stored transfers — which would be a defect: it is not saved then, and the next start
     * rebuilds).
     */
    public String saveForRestart(java.nio.file.Path directory) {
        if (!table.isMapped()) {
            return "the index is in process memory";
        }
        finishGrowing();
        long entries = transfers.count();
        long bytes = capacity << SLOT_SHIFT;
        long taken = table.countNonZeroLongs(bytes);
        if (count != entries || taken != entries) {
            return "it holds " + count + " entries in " + taken + " slots for " + entries + " transfers";
        }
        long checksum = table.checksum(bytes);
        table.force();
        new SavedIdIndex(tableGeneration, entries, capacity, count, salt, checksum,
            entries == 0 ? 0 : transfers.idLow(entries - 1), entries == 0 ? 0 : transfers.idHigh(entries - 1))
            .write(directory);
        return null;
    }

    /**
     * Places ids that land all over the table region by region: the stored transfers, {@code chunkMax} at a time
     * ({@value #REBUILD_CHUNK} outside tests), are sorted by the region of {@code 2^regionShift} slots their id's
     * position falls in (at most 1,024 regions; 256 KiB of table each for a table sized for 16 M transfers), then
     * placed in region order, so that the table is written front to back, each region while it is in cache, instead
     * of a cache and TLB miss per id. Linear probing fills the same slots whatever the order of the inserts, so the
     * probes of later inserts, and the switch to mixed placement, are as after a rebuild one by one. Returns false,
     * leaving the table partly filled, if a probe passed {@link #PROBE_LIMIT} (ids that pile up).
     */
    private boolean rebuildByRegion(long entries, int chunkMax) {
        if (entries >= REFERENCE_MASK) {
            throw new IllegalStateException("transfer id index reference space exhausted");
        }
        int regionShift = Math.max(12, Long.numberOfTrailingZeros(capacity) - 10);
        int regions = (int) (capacity >>> regionShift);
        int chunk = (int) Math.min(entries, chunkMax);
        long[] positions = new long[chunk];
        long[] slots = new long[chunk];
        long[] sortedPositions = new long[chunk];
        long[] sortedSlots = new long[chunk];
        int[] starts = new int[regions + 1];
        missPosition = -1;
        for (long first = 0; first < entries; first += chunk) {
            int n = (int) Math.min(chunk, entries - first);
            Arrays.fill(starts, 0);
            for (int i = 0; i < n; i++) {
                long sequence = first + i;
                long idLow = transfers.idLow(sequence);
                long idHigh = transfers.idHigh(sequence);
                long position = position(idLow, idHigh);
                positions[i] = position;
                slots[i] = (fingerprint(idLow, idHigh) << REFERENCE_BITS) | (sequence + 1);
                starts[(int) (position >>> regionShift) + 1]++;
            }
            for (int region = 0; region < regions; region++) {
                starts[region + 1] += starts[region];
            }
            for (int i = 0; i < n; i++) {
                int at = starts[(int) (positions[i] >>> regionShift)]++;
                sortedPositions[at] = positions[i];
                sortedSlots[at] = slots[i];
            }
            for (int i = 0; i < n; i++) {
                long position = sortedPositions[i];
                int probes = 1;
                while (table.getLong(position << SLOT_SHIFT) != 0) {
                    position = (position + 1) & mask;
                    if (++probes > PROBE_LIMIT) {
                        return false;
                    }
                }
                table.putLong(position << SLOT_SHIFT, sortedSlots[i]);
                count++;
            }
        }
        return true;
    }

    /**
     * Whether the stored transfers' ids look like counters, as {@link #lookInOrder} judges a table: of
     * {@value #ORDER_SAMPLES} transfers spread over the store, most have one among the next {@value #ORDER_WINDOW}
     * whose id is 1 to {@value #ORDER_GAP_MAX} above theirs (several clients' counters interleave in the store; a
     * shared counter's ids arrive a little out of order). Random ids almost never do.
     */
    private boolean storeLooksInOrder() {
        long entries = transfers.count();
        long step = Math.max(1, entries / ORDER_SAMPLES);
        int samples = 0;
        int near = 0;
        for (long sequence = 0; sequence + 1 < entries; sequence += step) {
            samples++;
            long last = Math.min(entries - 1, sequence + ORDER_WINDOW);
            for (long next = sequence + 1; next <= last; next++) {
                if (idJustAbove(next, sequence)) {
                    near++;
                    break;
                }
            }
        }
        return near * 2 > samples;
    }

    /**
     * Closes the table, and waits until the tables it moved out of are closed and their files deleted (a file that
     * could not be deleted is counted, {@link StoreReleaser#failedReleases}, and deleted at the next start).
     */
    @Override
    public void close() {
        dropOld(); // a table being moved out of is of no use to anyone: the index is rebuilt (or kept whole) at start
        table.close();
        releases.await();
    }

    /** Waits until the tables this index has moved out of are closed and their files deleted (tests). */
    void awaitReleased() {
        releases.await();
    }

    private void insert(long reference, long idLow, long idHigh) {
        assert lookup(idLow, idHigh, false) == NOT_FOUND : "duplicate transfer id";
        if (reference >= REFERENCE_MASK) {
            throw new IllegalStateException("transfer id index reference space exhausted");
        }
        if ((count + 1) * 100 > capacity * LOAD_PERCENT_MAX) {
            startMove(capacity * 2, writtenAllOver(capacity * 2, salt != 0));
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
            mixPending = true;
        }
        if (mixPending && old == null) {
            startMixing();
        } else if (old != null) {
            migrationCredit += SLOTS_PER_INSERT;
            if (migrationCredit >= MIGRATION_GROUP) {
                migrationCredit = 0;
                migrateGroup();
            }
        }
    }

    /**
     * Mixed placement from now on: every entry's place changes, so a table in that placement takes over and the
     * entries move into it over the next inserts, as when the table doubles; a move already going on finishes first,
     * a few entries at a time like any other. (Moved at once, the switch paused the business thread for as long as
     * placing every entry again takes: 1.9 s for 0.78 M entries in a table sized for 16 M transfers, 14.6 s for
     * 3.2 M in one sized for 100 M.) Twice the size if this one is over half way to doubling (a table of the same
     * size would have to double soon after the move). While the entries move the index holds both tables: twice its
     * slots, three times when the new one is twice the size — up to ~69 bytes per transfer just over 35% full,
     * against 34.3 during a doubling.
     */
    private void startMixing() {
        mixPending = false;
        long mixedSalt = IdHash.hash(count, capacity) | 1;
        long newCapacity = count * 100 > capacity * (LOAD_PERCENT_MAX / 2) ? capacity * 2 : capacity;
        startMove(newCapacity, writtenAllOver(newCapacity, true));
        salt = mixedSalt;
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
     * Where the id sits in the old table (probing from its place there, over tombstones), or -1.
     */
    private long oldPosition(long idLow, long idHigh, long fingerprint) {
        long position = oldHome(idLow, idHigh);
        int probes = 1;
        while (true) {
            long slot = old.getLong(position << SLOT_SHIFT);
            if (slot == 0) {
                oldProbes = probes;
                return -1;
            }
            if (slot != TOMBSTONE && (slot >>> REFERENCE_BITS) == fingerprint
                && matches((slot & REFERENCE_MASK) - 1, idLow, idHigh)) {
                return position;
            }
            position = (position + 1) & oldMask;
            probes++;
        }
    }

    /** Where the id's probe starts in the old table (in the old table's placement). */
    private long oldHome(long idLow, long idHigh) {
        return oldSalt == 0 ? (idLow + idHigh * GOLDEN) & oldMask
            : IdHash.hash(idLow ^ oldSalt, idHigh) >>> oldPositionShift;
    }

    /**
     * A table of {@code newCapacity} slots takes over; the current one's entries move into it over the next inserts
     * (after any move still going on has finished). The old table keeps its placement ({@link #oldSalt}); the caller
     * may change {@link #salt} for the new one right after.
     */
    private void startMove(long newCapacity, boolean writtenAnywhere) {
        finishGrowing();
        old = table;
        oldCapacity = capacity;
        oldMask = mask;
        oldPositionShift = positionShift;
        oldSalt = salt;
        migrated = 0;
        migrationCredit = 0;
        allocate(newCapacity, writtenAnywhere);
    }

    /**
     * Whether a table of {@code newCapacity} slots about to take the entries will have every page written soon, so
     * that its pages are faulted in as for writing (see {@link #PREFAULT_BYTES_MAX}): asked only of a mapped table
     * that is faulted in at all, and one with at least one entry for every {@value #SLOTS_PER_ENTRY_MAX} slots (8 a
     * page: then hardly a page stays empty; a switch of few entries in a large table is left alone). {@code mixed}:
     * the table is in mixed placement, where ids land all over it; otherwise it is if the entries do not
     * {@link #lookInOrder}.
     */
    private boolean writtenAllOver(long newCapacity, boolean mixed) {
        if (!faultedIn(newCapacity) || count * SLOTS_PER_ENTRY_MAX < newCapacity) {
            return false;
        }
        return mixed || !lookInOrder();
    }

    /** Whether a table of {@code capacity} slots from this index's memory is faulted in when allocated. */
    private boolean faultedIn(long capacity) {
        return table.isMapped() && (capacity << SLOT_SHIFT) <= PREFAULT_BYTES_MAX;
    }

    /**
     * Whether the entries look placed in order (sequential ids in the locality-preserving placement, one client's or
     * several clients' counters): of {@value #ORDER_SAMPLES} pairs of neighbouring slots spread over the table, most
     * of those with both slots taken hold ids a little apart (the same high half, the second's low half 1 to
     * {@value #ORDER_GAP_MAX} above the first's). Random ids almost never do.
     */
    private boolean lookInOrder() {
        long step = Math.max(1, capacity / ORDER_SAMPLES);
        int pairs = 0;
        int near = 0;
        for (long position = 0; position + 1 < capacity; position += step) {
            long first = table.getLong(position << SLOT_SHIFT) & REFERENCE_MASK;
            long second = table.getLong((position + 1) << SLOT_SHIFT) & REFERENCE_MASK;
            if (first != 0 && second != 0) {
                pairs++;
                if (idJustAbove(second - 1, first - 1)) {
                    near++;
                }
            }
        }
        return near * 2 > pairs;
    }

    /**
     * Whether transfer {@code later}'s id is 1 to {@value #ORDER_GAP_MAX} above transfer {@code earlier}'s (the same
     * high half): what {@link #lookInOrder} and {@link #storeLooksInOrder} count as ids in order.
     */
    private boolean idJustAbove(long later, long earlier) {
        long gap = transfers.idLow(later) - transfers.idLow(earlier);
        return gap > 0 && gap <= ORDER_GAP_MAX && transfers.idHigh(later) == transfers.idHigh(earlier);
    }

    /** How the current table's pages were faulted in when it was allocated, or null if they were not (tests). */
    Prefaulter.Mode prefaultMode() {
        return prefaultMode;
    }

    /** Moves whatever of the old table has not moved yet. */
    private void finishGrowing() {
        while (old != null) {
            migrateGroup();
        }
    }

    /**
     * Moves the next {@value #MIGRATION_GROUP} old entries, in slot order, in three passes whose loads do not
     * depend on one another, so that a pass's cache and TLB misses are in flight together: the entries' transfer
     * records (each id is read from its record), then the new table's slots they go to, then the placing. A group
     * whose transfers look consecutive (sequential ids) is placed directly: its records and slots follow one another.
     * The last group drops the old table.
     */
    private void migrateGroup() {
        missPosition = -1;
        long[] references = groupReferences;
        long[] positions = groupPositions;
        long[] fingerprints = groupFingerprints;
        long sink = 0;
        int n = 0;
        // Up to a group of entries, over at most GROUP_SLOTS_MAX slots: an old table that is mostly empty (a switch
        // to mixed placement in a table sized well ahead of its entries) moves in as many inserts as it has entries,
        // not slots.
        long to = Math.min(oldCapacity, migrated + GROUP_SLOTS_MAX);
        long position = migrated;
        for (; position < to && n < MIGRATION_GROUP; position++) {
            long slot = old.getLong(position << SLOT_SHIFT);
            if (slot != 0 && slot != TOMBSTONE) {
                long reference = (slot & REFERENCE_MASK) - 1;
                references[n++] = reference;
                sink += transfers.idLow(reference);
            }
        }
        migrated = position;
        if (n > 0 && references[n - 1] - references[0] == n - 1) {
            // The first and last transfer n - 1 apart: consecutive ones, as sequential ids give in the
            // locality-preserving placement — the passes below would only add work (a guess that is wrong
            // costs time only, never the placement).
            for (int i = 0; i < n; i++) {
                long reference = references[i];
                place(transfers.idLow(reference), transfers.idHigh(reference), reference);
            }
        } else {
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
        migrationSink += sink;
        if (migrated == oldCapacity) {
            dropOld();
            if (mixPending) {
                startMixing();
            }
        }
    }

    /**
     * Hands the table moved out of to the releaser's thread: unmapping it and deleting its file, on this thread,
     * made the move's last insert its slowest (70–129 ms for a table sized for 16 M transfers, 0.43 s for 100 M).
     */
    private void dropOld() {
        if (old != null) {
            PagedMemory released = old;
            old = null;
            releases.closeAndDelete(released);
        }
    }

    /** {@code writtenAnywhere}: the table's pages are faulted in for writing ({@link #writtenAllOver}). */
    private void allocate(long newCapacity, boolean writtenAnywhere) {
        missPosition = -1;
        if (Long.bitCount(newCapacity) != 1 || newCapacity > (1L << 40)) {
            throw new IllegalStateException("transfer id index capacity out of range: " + newCapacity);
        }
        capacity = newCapacity;
        mask = newCapacity - 1;
        positionShift = 64 - Long.numberOfTrailingZeros(newCapacity);
        tableGeneration = generation++;
        table = memoryFactory.create(SavedIdIndex.tableName(tableGeneration), newCapacity << SLOT_SHIFT);
        table.truncate(0);
        table.ensureCapacity(newCapacity << SLOT_SHIFT);
        prefaultMode = null;
        if (faultedIn(newCapacity)) {
            prefaultMode = writtenAnywhere ? Prefaulter.Mode.WRITE : Prefaulter.Mode.READ;
            table.populateInBackground(prefaultMode, newCapacity << SLOT_SHIFT);
        }
    }
}
