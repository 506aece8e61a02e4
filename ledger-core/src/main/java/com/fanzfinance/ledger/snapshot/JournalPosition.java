package com.fanzfinance.ledger.snapshot;

import java.util.Arrays;

import com.fanzfinance.ledger.journal.JournalFormat;

/**
 * A point in the journal between two batches: every command before {@code nextCommand} has been applied,
 * reading resumes at batch {@code nextBatch}, and {@code chainHead} is the chain hash of the batch before it
 * (32 zero bytes at the start of the journal).
 */
public record JournalPosition(long nextBatch, long nextCommand, byte[] chainHead) {
    public static final JournalPosition START = new JournalPosition(0, 0, new byte[JournalFormat.HASH_BYTES]);

    public JournalPosition {
        if (nextBatch < 0 || nextCommand < 0 || chainHead.length != JournalFormat.HASH_BYTES) {
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
            && Arrays.equals(p.chainHead, chainHead);
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
