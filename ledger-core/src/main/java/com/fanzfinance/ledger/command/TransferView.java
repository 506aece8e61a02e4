package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;

/**
 * A flyweight over one 128-byte transfer record in a buffer. {@link #wrap} re-points it; nothing is
 * copied or allocated.
 */
public final class TransferView {
    private DirectBuffer buffer;
    private int offset;

    public TransferView wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public long idLow() {
        return buffer.getLong(offset + TransferLayout.ID);
    }

    public long idHigh() {
        return buffer.getLong(offset + TransferLayout.ID + 8);
    }

    public long debitAccountIdLow() {
        return buffer.getLong(offset + TransferLayout.DEBIT_ACCOUNT_ID);
    }

    public long debitAccountIdHigh() {
        return buffer.getLong(offset + TransferLayout.DEBIT_ACCOUNT_ID + 8);
    }

    public long creditAccountIdLow() {
        return buffer.getLong(offset + TransferLayout.CREDIT_ACCOUNT_ID);
    }

    public long creditAccountIdHigh() {
        return buffer.getLong(offset + TransferLayout.CREDIT_ACCOUNT_ID + 8);
    }

    public long amountLow() {
        return buffer.getLong(offset + TransferLayout.AMOUNT);
    }

    public long amountHigh() {
        return buffer.getLong(offset + TransferLayout.AMOUNT + 8);
    }

    public long pendingIdLow() {
        return buffer.getLong(offset + TransferLayout.PENDING_ID);
    }

    public long pendingIdHigh() {
        return buffer.getLong(offset + TransferLayout.PENDING_ID + 8);
    }

    public long userData128Low() {
        return buffer.getLong(offset + TransferLayout.USER_DATA_128);
    }

    public long userData128High() {
        return buffer.getLong(offset + TransferLayout.USER_DATA_128 + 8);
    }

    public long userData64() {
        return buffer.getLong(offset + TransferLayout.USER_DATA_64);
    }

    public int userData32() {
        return buffer.getInt(offset + TransferLayout.USER_DATA_32);
    }

    /** Seconds, unsigned 32-bit. */
    public long timeoutSeconds() {
        return buffer.getInt(offset + TransferLayout.TIMEOUT) & 0xFFFF_FFFFL;
    }

    public int ledger() {
        return buffer.getInt(offset + TransferLayout.LEDGER);
    }

    public int code() {
        return buffer.getShort(offset + TransferLayout.CODE) & 0xFFFF;
    }

    public int flags() {
        return buffer.getShort(offset + TransferLayout.FLAGS) & 0xFFFF;
    }

    public long timestamp() {
        return buffer.getLong(offset + TransferLayout.TIMESTAMP);
    }
}
