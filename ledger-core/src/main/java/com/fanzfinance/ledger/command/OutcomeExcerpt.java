package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;

/**
 * A flyweight over one outcome-event excerpt ({@link OutcomeLayout}): what one command did. Wrap it
 * over a buffer, read, wrap the next; it allocates nothing. The record of outcome {@code i} starts at
 * {@link #recordOffset(int)} in {@link #buffer()}, in TigerBeetle's layout.
 */
public final class OutcomeExcerpt {
    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps the expanded excerpt at {@code offset}; throws if it is not one (a compact excerpt from the event
     * stream must first go through {@link OutcomeCompaction#expand}).
     */
    public OutcomeExcerpt wrap(DirectBuffer newBuffer, int newOffset, int length) {
        if (length < OutcomeLayout.HEADER_BYTES || newBuffer.getInt(newOffset) != OutcomeLayout.MAGIC) {
            throw new IllegalArgumentException("not an outcome excerpt (" + length + " bytes)");
        }
        int version = newBuffer.getShort(newOffset + 4) & 0xFFFF;
        if (version != OutcomeLayout.VERSION) {
            throw new IllegalArgumentException("an outcome excerpt of version " + version + " is not the expanded form"
                + " (version " + OutcomeLayout.VERSION + ")");
        }
        int count = newBuffer.getInt(newOffset + OutcomeLayout.OUTCOME_COUNT);
        int sideData = newBuffer.getInt(newOffset + OutcomeLayout.SIDE_DATA_LENGTH);
        if (count < 0 || sideData < 0
            || (long) OutcomeLayout.HEADER_BYTES + (long) count * OutcomeLayout.OUTCOME_BYTES + sideData != length) {
            throw new IllegalArgumentException("outcome excerpt of " + length + " bytes does not hold " + count
                + " outcomes and " + sideData + " bytes of side data");
        }
        this.buffer = newBuffer;
        this.offset = newOffset;
        return this;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    public long commandNumber() {
        return buffer.getLong(offset + OutcomeLayout.COMMAND_NUMBER);
    }

    public long commandTimestamp() {
        return buffer.getLong(offset + OutcomeLayout.COMMAND_TIMESTAMP);
    }

    public int outcomeCount() {
        return buffer.getInt(offset + OutcomeLayout.OUTCOME_COUNT);
    }

    /** {@link OutcomeLayout#ACCOUNT_CREATED}, {@link OutcomeLayout#TRANSFER_CREATED} or {@link OutcomeLayout#PENDING_EXPIRED}. */
    public int kind(int outcome) {
        return buffer.getByte(at(outcome) + OutcomeLayout.KIND);
    }

    public PendingStatus pendingStatus(int outcome) {
        return PendingStatus.ofCode(buffer.getByte(at(outcome) + OutcomeLayout.PENDING_STATUS));
    }

    /** The index of the event in the command that caused it, or {@link OutcomeLayout#NO_EVENT}. */
    public int eventIndex(int outcome) {
        return buffer.getShort(at(outcome) + OutcomeLayout.EVENT_INDEX) & 0xFFFF;
    }

    public int tenant(int outcome) {
        return buffer.getInt(at(outcome) + OutcomeLayout.TENANT);
    }

    /** When it happened: the object's timestamp, or an expiry's time. */
    public long when(int outcome) {
        return buffer.getLong(at(outcome) + OutcomeLayout.WHEN);
    }

    /** Where the outcome's 128-byte account or transfer record starts in {@link #buffer()}. */
    public int recordOffset(int outcome) {
        return at(outcome) + OutcomeLayout.RECORD;
    }

    /**
     * Where the balances after the outcome start: four longs (debits pending, debits posted, credits
     * pending, credits posted) of the transfer's debit account, or of the created account.
     */
    public int debitBalancesOffset(int outcome) {
        return at(outcome) + OutcomeLayout.DEBIT_BALANCES;
    }

    /** Likewise for the transfer's credit account. */
    public int creditBalancesOffset(int outcome) {
        return at(outcome) + OutcomeLayout.CREDIT_BALANCES;
    }

    public int sideDataOffset() {
        return offset + OutcomeLayout.HEADER_BYTES + outcomeCount() * OutcomeLayout.OUTCOME_BYTES;
    }

    public int sideDataLength() {
        return buffer.getInt(offset + OutcomeLayout.SIDE_DATA_LENGTH);
    }

    private int at(int outcome) {
        assert outcome >= 0 && outcome < outcomeCount() : outcome;
        return offset + OutcomeLayout.HEADER_BYTES + outcome * OutcomeLayout.OUTCOME_BYTES;
    }
}
