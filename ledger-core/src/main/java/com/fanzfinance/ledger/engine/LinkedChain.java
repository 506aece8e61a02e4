package com.fanzfinance.ledger.engine;

import java.util.Arrays;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * What it takes to roll back an open linked chain: the lengths of the append-only stores when the chain
 * opened, and an undo log of every in-place change made since (account fields, pending statuses),
 * replayed backwards on failure.
 *
 * <p>Recording happens only while a chain is open, so events outside chains pay nothing for it.
 */
final class LinkedChain {
    private static final long KIND_ACCOUNT_FIELD = 0;
    private static final long KIND_PENDING_STATUS = 1;
    private static final int INITIAL_CAPACITY = 3 * 1024;

    private final LedgerState state;
    private long[] undo = new long[INITIAL_CAPACITY];
    private int undoSize;
    private boolean open;
    private int accountCountMark;
    private long transferCountMark;
    private long plainListMark;
    private long historyListMark;

    LinkedChain(LedgerState state) {
        this.state = state;
    }

    boolean isOpen() {
        return open;
    }

    void open() {
        assert !open;
        open = true;
        undoSize = 0;
        accountCountMark = state.accounts().count();
        transferCountMark = state.transfers().count();
        plainListMark = state.accountTransferLists().plainMark();
        historyListMark = state.accountTransferLists().historyMark();
    }

    /** The chain succeeded: its changes stay. */
    void commit() {
        open = false;
        undoSize = 0;
    }

    void recordAccountField(int slot, int field, long oldValue) {
        push(KIND_ACCOUNT_FIELD | ((long) slot << 8), field, oldValue);
    }

    void recordPendingStatus(long sequence, int oldStatusCode) {
        push(KIND_PENDING_STATUS, sequence, oldStatusCode);
    }

    /** Undoes every change since {@link #open()}, newest first, and closes the chain. */
    void rollback() {
        assert open;
        AccountStore accounts = state.accounts();
        for (int i = undoSize - 3; i >= 0; i -= 3) {
            long kind = undo[i] & 0xFF;
            if (kind == KIND_ACCOUNT_FIELD) {
                accounts.set((int) (undo[i] >>> 8), (int) undo[i + 1], undo[i + 2]);
            } else {
                state.pendingTransfers().setStatus(undo[i + 1], PendingStatus.ofCode((int) undo[i + 2]));
            }
        }
        removeTransfersFrom(transferCountMark);
        accounts.truncate(accountCountMark);
        state.accountTransferLists().truncate(plainListMark, historyListMark);
        open = false;
        undoSize = 0;
    }

    private void removeTransfersFrom(long mark) {
        TransferStore transfers = state.transfers();
        for (long sequence = transfers.count() - 1; sequence >= mark; sequence--) {
            state.transferIds().remove(transfers.idLow(sequence), transfers.idHigh(sequence));
        }
        transfers.truncate(mark);
    }

    private void push(long a, long b, long c) {
        if (undoSize + 3 > undo.length) {
            undo = Arrays.copyOf(undo, undo.length * 2);
        }
        undo[undoSize] = a;
        undo[undoSize + 1] = b;
        undo[undoSize + 2] = c;
        undoSize += 3;
    }
}
