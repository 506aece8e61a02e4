package com.fanzfinance.ledger.state;

import java.util.Arrays;

import org.agrona.collections.Long2LongHashMap;

import com.fanzfinance.ledger.command.PendingStatus;

/**
 * What decisions need to know about two-phase transfers: the status of every pending transfer ever
 * created (by transfer sequence number), and a min-heap of expiry deadlines ordered by
 * (expires-at, sequence), which is TigerBeetle's order: by expiry, ties by creation.
 *
 * <p>The heap is cleaned lazily: a pending transfer that is posted or voided keeps its entry until the
 * entry reaches the top, and an entry is acted on only if {@link #isDue} still holds for it. Entries left
 * by a rolled-back linked chain are discarded the same way.
 */
public final class PendingTransfers {
    private static final int INITIAL_HEAP_CAPACITY = 1024;

    private final Long2LongHashMap statuses = new Long2LongHashMap(PendingStatus.NONE.code());
    private long[] heapExpiresAt = new long[INITIAL_HEAP_CAPACITY];
    private long[] heapSequence = new long[INITIAL_HEAP_CAPACITY];
    private int heapSize;

    public PendingStatus status(long sequence) {
        return PendingStatus.ofCode((int) statuses.get(sequence));
    }

    public int statusCode(long sequence) {
        return (int) statuses.get(sequence);
    }

    public void setStatus(long sequence, PendingStatus status) {
        if (status == PendingStatus.NONE) {
            statuses.remove(sequence);
        } else {
            statuses.put(sequence, status.code());
        }
    }

    public int count() {
        return statuses.size();
    }

    /** Every (sequence, status) pair in ascending sequence order: a canonical form for snapshots and hashes. */
    public long[] sortedEntries() {
        long[] entries = new long[statuses.size() * 2];
        long[] keys = new long[statuses.size()];
        int[] position = {0};
        statuses.forEachLong((sequence, status) -> keys[position[0]++] = sequence);
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            entries[2 * i] = keys[i];
            entries[2 * i + 1] = statuses.get(keys[i]);
        }
        return entries;
    }

    public void scheduleExpiry(long expiresAtNs, long sequence) {
        if (heapSize == heapExpiresAt.length) {
            heapExpiresAt = Arrays.copyOf(heapExpiresAt, heapSize * 2);
            heapSequence = Arrays.copyOf(heapSequence, heapSize * 2);
        }
        int child = heapSize++;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (!before(expiresAtNs, sequence, heapExpiresAt[parent], heapSequence[parent])) {
                break;
            }
            heapExpiresAt[child] = heapExpiresAt[parent];
            heapSequence[child] = heapSequence[parent];
            child = parent;
        }
        heapExpiresAt[child] = expiresAtNs;
        heapSequence[child] = sequence;
    }

    public boolean hasExpiryAtOrBefore(long timestampNs) {
        return heapSize > 0 && heapExpiresAt[0] <= timestampNs;
    }

    public long earliestExpiresAt() {
        assert heapSize > 0 : "the expiry heap is empty";
        return heapExpiresAt[0];
    }

    public long earliestSequence() {
        assert heapSize > 0 : "the expiry heap is empty";
        return heapSequence[0];
    }

    public int scheduledCount() {
        return heapSize;
    }

    public void removeEarliest() {
        assert heapSize > 0;
        heapSize--;
        if (heapSize == 0) {
            return;
        }
        long lastExpiresAt = heapExpiresAt[heapSize];
        long lastSequence = heapSequence[heapSize];
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize
                && before(heapExpiresAt[child + 1], heapSequence[child + 1], heapExpiresAt[child], heapSequence[child])) {
                child++;
            }
            if (!before(heapExpiresAt[child], heapSequence[child], lastExpiresAt, lastSequence)) {
                break;
            }
            heapExpiresAt[parent] = heapExpiresAt[child];
            heapSequence[parent] = heapSequence[child];
            parent = child;
        }
        heapExpiresAt[parent] = lastExpiresAt;
        heapSequence[parent] = lastSequence;
    }

    /** Replaces everything with what a snapshot held: (sequence, status) pairs and the expiry heap. */
    public void importState(long[] sortedStatusEntries, long[] expiresAt, long[] sequences) {
        statuses.clear();
        for (int i = 0; i < sortedStatusEntries.length; i += 2) {
            statuses.put(sortedStatusEntries[i], sortedStatusEntries[i + 1]);
        }
        heapSize = 0;
        for (int i = 0; i < expiresAt.length; i++) {
            scheduleExpiry(expiresAt[i], sequences[i]);
        }
    }

    /** Heap contents in array order (deterministic), for snapshots. */
    public long[] heapExpiresAt() {
        return Arrays.copyOf(heapExpiresAt, heapSize);
    }

    public long[] heapSequences() {
        return Arrays.copyOf(heapSequence, heapSize);
    }

    public long memoryBytes() {
        return (long) statuses.capacity() * 16 + (long) heapExpiresAt.length * 16;
    }

    private static boolean before(long expiresA, long sequenceA, long expiresB, long sequenceB) {
        return expiresA < expiresB || (expiresA == expiresB && sequenceA < sequenceB);
    }
}
