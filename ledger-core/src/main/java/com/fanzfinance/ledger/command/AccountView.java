package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;

/** A flyweight over one 128-byte account record in a buffer; {@link #wrap} re-points it without copying. */
public final class AccountView {
    private DirectBuffer buffer;
    private int offset;

    public AccountView wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public long idLow() {
        return buffer.getLong(offset + AccountLayout.ID);
    }

    public long idHigh() {
        return buffer.getLong(offset + AccountLayout.ID + 8);
    }

    /** True if any byte of the 128-bit balance field at {@code fieldOffset} is non-zero. */
    public boolean isNonZero128(int fieldOffset) {
        return buffer.getLong(offset + fieldOffset) != 0 || buffer.getLong(offset + fieldOffset + 8) != 0;
    }

    public long userData128Low() {
        return buffer.getLong(offset + AccountLayout.USER_DATA_128);
    }

    public long userData128High() {
        return buffer.getLong(offset + AccountLayout.USER_DATA_128 + 8);
    }

    public long userData64() {
        return buffer.getLong(offset + AccountLayout.USER_DATA_64);
    }

    public int userData32() {
        return buffer.getInt(offset + AccountLayout.USER_DATA_32);
    }

    public int reserved() {
        return buffer.getInt(offset + AccountLayout.RESERVED);
    }

    public int ledger() {
        return buffer.getInt(offset + AccountLayout.LEDGER);
    }

    public int code() {
        return buffer.getShort(offset + AccountLayout.CODE) & 0xFFFF;
    }

    public int flags() {
        return buffer.getShort(offset + AccountLayout.FLAGS) & 0xFFFF;
    }

    public long timestamp() {
        return buffer.getLong(offset + AccountLayout.TIMESTAMP);
    }
}
