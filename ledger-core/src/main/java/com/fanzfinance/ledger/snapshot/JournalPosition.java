package com.fanzfinance.ledger.snapshot;

import java.util.Arrays;

import com.fanzfinance.ledger.journal.JournalFormat;

/**
 * A point in the journal between two batches: every command before {@code nextCommand} has been applied,
 * reading resumes at batch {@code nextBatch}, {@code chainHead} is the chain hash of the batch before it
 * (32 zero bytes at the start of the journal) and {@code lastBatchIndex} that batch's queue index (-1 at
 * the start), where a resumed read anchors.
 */
public record JournalPosition(long nextBatch, long nextCommand, byte[] chainHead, long lastBatchIndex) {
    public static final JournalPosition START = new JournalPosition(0, 0, new byte[JournalFormat.HASH_BYTES], -1);

    public JournalPosition {
        if (nextBatch < 0 || nextCommand < 0 || chainHead.length != JournalFormat.HASH_BYTES
            || (nextBatch == 0) != (lastBatchIndex < 0)) {
            throw new IllegalArgumentException("invalid journal position");
        }
        chainHead = chainHead.clone();
    }

    @Override
    public byte[] chainHead() {
        return chainHead.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalPosition p && p.nextBatch == nextBatch && p.nextCommand == nextCommand
            && p.lastBatchIndex == lastBatchIndex && Arrays.equals(p.chainHead, chainHead);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextCommand) * 31 + Arrays.hashCode(chainHead);
    }

    @Override
    public String toString() {
        return "batch " + nextBatch + ", command " + nextCommand;
    }
}
