package com.fanzfinance.ledger.cluster;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.TransferLayout;

/** Raw 128-byte account and transfer records for the cluster tests (ids in the low 8 bytes). */
final class ClusterRecords {
    private ClusterRecords() {
    }

    static UnsafeBuffer accounts(long firstId, int count) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            int at = i * 128;
            buffer.putLong(at + AccountLayout.ID, firstId + i);
            buffer.putInt(at + AccountLayout.LEDGER, 1);
            buffer.putShort(at + AccountLayout.CODE, (short) 10);
        }
        return buffer;
    }

    /** {@code count} transfers of {@code amount} with ids from {@code firstId}, between two of the given accounts. */
    static UnsafeBuffer transfers(long firstId, int count, long firstAccount, int accounts, long amount) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            int at = i * 128;
            long id = firstId + i;
            long debit = firstAccount + Math.floorMod(id * 7, accounts);
            long credit = firstAccount + Math.floorMod(id * 7 + 1 + Math.floorMod(id, accounts - 1), accounts);
            if (credit == debit) {
                credit = firstAccount + Math.floorMod(debit - firstAccount + 1, accounts);
            }
            buffer.putLong(at + TransferLayout.ID, id);
            buffer.putLong(at + TransferLayout.DEBIT_ACCOUNT_ID, debit);
            buffer.putLong(at + TransferLayout.CREDIT_ACCOUNT_ID, credit);
            buffer.putLong(at + TransferLayout.AMOUNT, amount);
            buffer.putInt(at + TransferLayout.LEDGER, 1);
            buffer.putShort(at + TransferLayout.CODE, (short) 1);
        }
        return buffer;
    }

    /** The status of each result (0xFFFFFFFF: created). */
    static int status(UnsafeBuffer results, int index) {
        return results.getInt(index * 16 + 8);
    }
}
