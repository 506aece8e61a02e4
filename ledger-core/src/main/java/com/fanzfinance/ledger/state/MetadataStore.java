package com.fanzfinance.ledger.state;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * Metadata of accounts and transfers: opaque bytes stored with the object and returned with it, never
 * compared or used in a decision. The bytes are appended to one {@link PagedMemory} (a mapped file in
 * production; append-only, so snapshots record its length); where each object's bytes start is kept per
 * account slot (8 bytes an account) and, for the transfers that have any, in a map by sequence.
 */
public final class MetadataStore implements AutoCloseable {
    private static final long NONE = 0;

    private final PagedMemory blobs;
    private long length;
    private long[] accountOffsets = new long[1024];
    private final Long2LongHashMap transferOffsets = new Long2LongHashMap(NONE);

    public MetadataStore(PagedMemory blobs) {
        this.blobs = blobs;
    }

    public void putAccount(int slot, DirectBuffer source, int offset, int bytes) {
        if (slot >= accountOffsets.length) {
            accountOffsets = Arrays.copyOf(accountOffsets, Math.max(slot + 1, accountOffsets.length * 2));
        }
        accountOffsets[slot] = append(source, offset, bytes) + 1;
    }

    public void putTransfer(long sequence, DirectBuffer source, int offset, int bytes) {
        transferOffsets.put(sequence, append(source, offset, bytes) + 1);
    }

    /** The account's metadata, or null. */
    public byte[] account(int slot) {
        return slot < accountOffsets.length && accountOffsets[slot] != NONE ? read(accountOffsets[slot] - 1) : null;
    }

    /** The transfer's metadata, or null. */
    public byte[] transfer(long sequence) {
        long stored = transferOffsets.get(sequence);
        return stored == NONE ? null : read(stored - 1);
    }

    public long length() {
        return length;
    }

    public PagedMemory memory() {
        return blobs;
    }

    /** (slot, offset+1) for every account with metadata, in slot order. */
    public long[] accountEntries() {
        int count = 0;
        for (long stored : accountOffsets) {
            count += stored == NONE ? 0 : 1;
        }
        long[] entries = new long[count * 2];
        int at = 0;
        for (int slot = 0; slot < accountOffsets.length; slot++) {
            if (accountOffsets[slot] != NONE) {
                entries[at++] = slot;
                entries[at++] = accountOffsets[slot];
            }
        }
        return entries;
    }

    /** (sequence, offset+1) for every transfer with metadata, in sequence order. */
    public long[] transferEntries() {
        long[] keys = new long[transferOffsets.size()];
        int[] at = {0};
        transferOffsets.forEachLong((sequence, stored) -> keys[at[0]++] = sequence);
        Arrays.sort(keys);
        long[] entries = new long[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            entries[2 * i] = keys[i];
            entries[2 * i + 1] = transferOffsets.get(keys[i]);
        }
        return entries;
    }

    /** Replaces the contents with a snapshot's: the blob length and both sets of entries. */
    public void restore(long blobLength, long[] accountEntries, long[] transferEntries) {
        blobs.truncate(blobLength);
        blobs.ensureCapacity(blobLength);
        length = blobLength;
        Arrays.fill(accountOffsets, NONE);
        for (int i = 0; i < accountEntries.length; i += 2) {
            int slot = (int) accountEntries[i];
            if (slot >= accountOffsets.length) {
                accountOffsets = Arrays.copyOf(accountOffsets, Math.max(slot + 1, accountOffsets.length * 2));
            }
            accountOffsets[slot] = accountEntries[i + 1];
        }
        transferOffsets.clear();
        for (int i = 0; i < transferEntries.length; i += 2) {
            transferOffsets.put(transferEntries[i], transferEntries[i + 1]);
        }
    }

    @Override
    public void close() {
        blobs.close();
    }

    /** Appends [u32 length][bytes] padded to 8 and returns where it starts. */
    private long append(DirectBuffer source, int offset, int bytes) {
        long start = length;
        long end = start + ((4 + bytes + 7) & ~7);
        blobs.ensureCapacity(end);
        byte[] copy = new byte[4 + bytes];
        copy[0] = (byte) bytes;
        copy[1] = (byte) (bytes >>> 8);
        copy[2] = (byte) (bytes >>> 16);
        copy[3] = (byte) (bytes >>> 24);
        source.getBytes(offset, copy, 4, bytes);
        blobs.copyIn(start, copy, 0, copy.length);
        length = end;
        return start;
    }

    private byte[] read(long start) {
        int bytes = blobs.getInt(start);
        byte[] data = new byte[bytes];
        blobs.copyOut(start + 4, data, 0, bytes);
        return data;
    }
}
