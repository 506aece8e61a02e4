package com.fanzfinance.ledger.engine;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.TransferView;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * Writes a decided transfer: its record in the transfer store, its id in the idempotency index, and its
 * place in both accounts' transfer lists. Balances are changed by the caller before
 * {@link #linkToAccounts}, so history entries hold the balances after the transfer.
 */
final class TransferRecorder {
    private final TransferStore transfers;
    private final TransferIdIndex transferIds;
    private final AccountWriter writer;
    private final LedgerListener listener;

    TransferRecorder(LedgerState state, AccountWriter writer, LedgerListener listener) {
        this.transfers = state.transfers();
        this.transferIds = state.transferIds();
        this.writer = writer;
        this.listener = listener;
    }

    /** Stores the event as given, with the amount actually moved and the assigned timestamp. */
    long record(TransferView t, long amount, long timestamp) {
        long sequence = transfers.append(t.buffer(), t.offset());
        transfers.amendNewest(TransferLayout.AMOUNT, amount);
        transfers.amendNewest(TransferLayout.AMOUNT + 8, 0);
        transfers.amendNewest(TransferLayout.TIMESTAMP, timestamp);
        transferIds.insertTransfer(sequence, t.idLow(), t.idHigh());
        return sequence;
    }

    /**
     * Stores a post or void: accounts, ledger and code come from the pending transfer, as does any user
     * data left zero; the timeout is zero.
     */
    long recordResolution(TransferView t, long pending, long amount, long timestamp) {
        long sequence = record(t, amount, timestamp);
        copyFromPending(pending, TransferLayout.DEBIT_ACCOUNT_ID);
        copyFromPending(pending, TransferLayout.DEBIT_ACCOUNT_ID + 8);
        copyFromPending(pending, TransferLayout.CREDIT_ACCOUNT_ID);
        copyFromPending(pending, TransferLayout.CREDIT_ACCOUNT_ID + 8);
        if (t.userData128Low() == 0 && t.userData128High() == 0) {
            copyFromPending(pending, TransferLayout.USER_DATA_128);
            copyFromPending(pending, TransferLayout.USER_DATA_128 + 8);
        }
        if (t.userData64() == 0) {
            copyFromPending(pending, TransferLayout.USER_DATA_64);
        }
        long userData32AndTimeout = t.userData32() == 0 ? transfers.userData32(pending) & 0xFFFF_FFFFL : t.userData32() & 0xFFFF_FFFFL;
        transfers.amendNewest(TransferLayout.USER_DATA_32, userData32AndTimeout);
        long ledgerCodeFlags = (transfers.getLong(pending, TransferLayout.LEDGER) & 0x0000_FFFF_FFFF_FFFFL)
            | ((long) t.flags() << 48);
        transfers.amendNewest(TransferLayout.LEDGER, ledgerCodeFlags);
        return sequence;
    }

    /**
     * Appends the transfer to both accounts' lists (with balances, for history accounts) and announces
     * it. The last step of every transfer, after its balances changed.
     */
    void linkToAccounts(long sequence, int debitSlot, int creditSlot) {
        writer.appendToTransferList(debitSlot, sequence);
        writer.appendToTransferList(creditSlot, sequence);
        listener.transferCreated(sequence, debitSlot, creditSlot);
    }

    private void copyFromPending(long pending, int fieldOffset) {
        transfers.amendNewest(fieldOffset, transfers.getLong(pending, fieldOffset));
    }
}
