package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;


/** Converts between the value records and their 128-byte TigerBeetle-layout form. */
public final class Records {
    private Records() {
    }

    public static void encode(Account account, MutableDirectBuffer buffer, int offset) {
        putId(buffer, offset + AccountLayout.ID, account.id());
        buffer.putLong(offset + AccountLayout.DEBITS_PENDING, account.debitsPending());
        buffer.putLong(offset + AccountLayout.DEBITS_PENDING + 8, 0);
        buffer.putLong(offset + AccountLayout.DEBITS_POSTED, account.debitsPosted());
        buffer.putLong(offset + AccountLayout.DEBITS_POSTED + 8, 0);
        buffer.putLong(offset + AccountLayout.CREDITS_PENDING, account.creditsPending());
        buffer.putLong(offset + AccountLayout.CREDITS_PENDING + 8, 0);
        buffer.putLong(offset + AccountLayout.CREDITS_POSTED, account.creditsPosted());
        buffer.putLong(offset + AccountLayout.CREDITS_POSTED + 8, 0);
        putId(buffer, offset + AccountLayout.USER_DATA_128, account.userData128());
        buffer.putLong(offset + AccountLayout.USER_DATA_64, account.userData64());
        buffer.putInt(offset + AccountLayout.USER_DATA_32, account.userData32());
        buffer.putInt(offset + AccountLayout.RESERVED, 0);
        buffer.putInt(offset + AccountLayout.LEDGER, account.ledger());
        buffer.putShort(offset + AccountLayout.CODE, (short) account.code());
        buffer.putShort(offset + AccountLayout.FLAGS, (short) account.flags());
        buffer.putLong(offset + AccountLayout.TIMESTAMP, account.timestamp());
    }

    public static void encode(Transfer transfer, MutableDirectBuffer buffer, int offset) {
        putId(buffer, offset + TransferLayout.ID, transfer.id());
        putId(buffer, offset + TransferLayout.DEBIT_ACCOUNT_ID, transfer.debitAccountId());
        putId(buffer, offset + TransferLayout.CREDIT_ACCOUNT_ID, transfer.creditAccountId());
        buffer.putLong(offset + TransferLayout.AMOUNT, transfer.amount());
        buffer.putLong(offset + TransferLayout.AMOUNT + 8, 0);
        putId(buffer, offset + TransferLayout.PENDING_ID, transfer.pendingId());
        putId(buffer, offset + TransferLayout.USER_DATA_128, transfer.userData128());
        buffer.putLong(offset + TransferLayout.USER_DATA_64, transfer.userData64());
        buffer.putInt(offset + TransferLayout.USER_DATA_32, transfer.userData32());
        buffer.putInt(offset + TransferLayout.TIMEOUT, transfer.timeout());
        buffer.putInt(offset + TransferLayout.LEDGER, transfer.ledger());
        buffer.putShort(offset + TransferLayout.CODE, (short) transfer.code());
        buffer.putShort(offset + TransferLayout.FLAGS, (short) transfer.flags());
        buffer.putLong(offset + TransferLayout.TIMESTAMP, transfer.timestamp());
    }

    /** Decodes a transfer record; 128-bit amounts must fit in 63 bits (the caller validated the record). */
    public static Transfer decodeTransfer(DirectBuffer buffer, int offset, PendingStatus pendingStatus) {
        return new Transfer(id(buffer, offset + TransferLayout.ID), id(buffer, offset + TransferLayout.DEBIT_ACCOUNT_ID),
            id(buffer, offset + TransferLayout.CREDIT_ACCOUNT_ID), buffer.getLong(offset + TransferLayout.AMOUNT),
            id(buffer, offset + TransferLayout.PENDING_ID), id(buffer, offset + TransferLayout.USER_DATA_128),
            buffer.getLong(offset + TransferLayout.USER_DATA_64), buffer.getInt(offset + TransferLayout.USER_DATA_32),
            buffer.getInt(offset + TransferLayout.TIMEOUT), buffer.getInt(offset + TransferLayout.LEDGER),
            buffer.getShort(offset + TransferLayout.CODE) & 0xFFFF, buffer.getShort(offset + TransferLayout.FLAGS) & 0xFFFF,
            buffer.getLong(offset + TransferLayout.TIMESTAMP), pendingStatus);
    }

    public static Uint128 id(DirectBuffer buffer, int offset) {
        return new Uint128(buffer.getLong(offset + 8), buffer.getLong(offset));
    }

    public static void putId(MutableDirectBuffer buffer, int offset, Uint128 id) {
        buffer.putLong(offset, id.low());
        buffer.putLong(offset + 8, id.high());
    }
}
