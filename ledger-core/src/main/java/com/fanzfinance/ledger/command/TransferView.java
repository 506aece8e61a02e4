package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * A flyweight over one 128-byte transfer record in a buffer. {@link #wrap} re-points it; nothing is
 * copied or allocated.
 */
public final class TransferView {
    private DirectBuffer buffer;
    private int offset;

    /** The record's memory as the buffer names it when wrapped: its array (null off-heap) and address in it. */
    private byte[] base;
    private long address;

    /**
     * Points the view at the record at {@code offset}, which must lie wholly inside {@code buffer} (checked here,
     * once, whatever Agrona's bounds-check setting: the fields are then read without a check each). The buffer
     * must not be re-pointed while the view is in use.
     */
    public TransferView wrap(DirectBuffer buffer, int offset) {
        requireRecords(buffer, offset, 1);
        this.buffer = buffer;
        this.offset = offset;
        this.base = buffer.byteArray();
        this.address = buffer.addressOffset() + offset;
        return this;
    }

    /**
     * Throws unless {@code count} transfer records from {@code offset} lie wholly inside {@code buffer}: the one check
     * for code that then reads them without Agrona's check per read.
     */
    public static void requireRecords(DirectBuffer buffer, int offset, int count) {
        if (offset < 0 || count < 0 || offset > buffer.capacity() - (long) count * TransferLayout.SIZE) {
            throw new IndexOutOfBoundsException(count + " transfer record(s) at " + offset + " do not fit a buffer of "
                + buffer.capacity() + " bytes");
        }
    }

    private long longAt(int field) {
        return UnsafeApi.getLong(base, address + field);
    }

    private int intAt(int field) {
        return UnsafeApi.getInt(base, address + field);
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public long idLow() {
        return longAt(TransferLayout.ID);
    }

    public long idHigh() {
        return longAt(TransferLayout.ID + 8);
    }

    public long debitAccountIdLow() {
        return longAt(TransferLayout.DEBIT_ACCOUNT_ID);
    }

    public long debitAccountIdHigh() {
        return longAt(TransferLayout.DEBIT_ACCOUNT_ID + 8);
    }

    public long creditAccountIdLow() {
        return longAt(TransferLayout.CREDIT_ACCOUNT_ID);
    }

    public long creditAccountIdHigh() {
        return longAt(TransferLayout.CREDIT_ACCOUNT_ID + 8);
    }

    public long amountLow() {
        return longAt(TransferLayout.AMOUNT);
    }

    public long amountHigh() {
        return longAt(TransferLayout.AMOUNT + 8);
    }

    public long pendingIdLow() {
        return longAt(TransferLayout.PENDING_ID);
    }

    public long pendingIdHigh() {
        return longAt(TransferLayout.PENDING_ID + 8);
    }

    public long userData128Low() {
        return longAt(TransferLayout.USER_DATA_128);
    }

    public long userData128High() {
        return longAt(TransferLayout.USER_DATA_128 + 8);
    }

    public long userData64() {
        return longAt(TransferLayout.USER_DATA_64);
    }

    public int userData32() {
        return intAt(TransferLayout.USER_DATA_32);
    }

    /** Seconds, unsigned 32-bit. */
    public long timeoutSeconds() {
        return intAt(TransferLayout.TIMEOUT) & 0xFFFF_FFFFL;
    }

    public int ledger() {
        return intAt(TransferLayout.LEDGER);
    }

    public int code() {
        return UnsafeApi.getShort(base, address + TransferLayout.CODE) & 0xFFFF;
    }

    public int flags() {
        return UnsafeApi.getShort(base, address + TransferLayout.FLAGS) & 0xFFFF;
    }

    public long timestamp() {
        return longAt(TransferLayout.TIMESTAMP);
    }
}
