package com.fanzfinance.ledger.journal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.agrona.DirectBuffer;

/**
 * SHA-256 hash chaining over journal batches: each link is SHA-256(previous link ‖ batch header up to
 * the chain hash ‖ payload). Reuses one digest and scratch arrays: no allocation per batch.
 */
public final class HashChain {
    private static final int SCRATCH_BYTES = 64 * 1024;

    private final MessageDigest digest;
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private final byte[] head = new byte[JournalFormat.HASH_BYTES];

    public HashChain() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The hash of the last batch linked (32 zero bytes before the first). */
    public byte[] head() {
        return head.clone();
    }

    public void reset(byte[] newHead) {
        if (newHead.length != JournalFormat.HASH_BYTES) {
            throw new IllegalArgumentException("a chain hash has 32 bytes");
        }
        System.arraycopy(newHead, 0, head, 0, head.length);
    }

    /**
     * Computes the next link for the batch at {@code offset} (header fields before the chain hash, then
     * the payload after the header) into {@code target} at {@code targetOffset}, and makes it the head.
     */
    public void link(DirectBuffer batch, int offset, int payloadLength, byte[] target, int targetOffset) {
        digest.update(head);
        update(batch, offset, JournalFormat.CHAIN_HASH_OFFSET);
        update(batch, offset + JournalFormat.HEADER_BYTES, payloadLength);
        try {
            digest.digest(head, 0, head.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(head, 0, target, targetOffset, head.length);
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private void update(DirectBuffer buffer, int offset, int length) {
        byte[] array = buffer.byteArray();
        if (array != null) {
            digest.update(array, (int) (buffer.addressOffset() - org.agrona.BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
            return;
        }
        int done = 0;
        while (done < length) {
            int chunk = Math.min(scratch.length, length - done);
            buffer.getBytes(offset + done, scratch, 0, chunk);
            digest.update(scratch, 0, chunk);
            done += chunk;
        }
    }
}
