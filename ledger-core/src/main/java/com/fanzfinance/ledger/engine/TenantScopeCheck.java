package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;

import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * Whether every transfer of a command stays within the tenants the command may touch: the accounts it
 * names, or for a post or void the pending transfer's accounts. Accounts that do not exist are left to
 * the transfer's own status. Runs on the business thread as the command is applied, so the answer cannot
 * go stale.
 */
final class TenantScopeCheck {
    private static final int POST_OR_VOID = TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER;

    private final AccountStore accounts;
    private final TransferStore transfers;
    private final TransferIdIndex transferIds;

    TenantScopeCheck(LedgerState state) {
        this.accounts = state.accounts();
        this.transfers = state.transfers();
        this.transferIds = state.transferIds();
    }

    /** The index of the first event outside the scope, or -1 if all are inside. */
    int firstOutside(DirectBuffer events, int offset, int count, DirectBuffer scope, int scopeOffset, int scopeCount) {
        for (int i = 0; i < count; i++) {
            int at = offset + i * TransferLayout.SIZE;
            int flags = events.getShort(at + TransferLayout.FLAGS) & 0xFFFF;
            boolean inside;
            if ((flags & POST_OR_VOID) != 0) {
                inside = pendingInside(events.getLong(at + TransferLayout.PENDING_ID),
                    events.getLong(at + TransferLayout.PENDING_ID + 8), scope, scopeOffset, scopeCount);
            } else {
                inside = accountInside(events.getLong(at + TransferLayout.DEBIT_ACCOUNT_ID),
                    events.getLong(at + TransferLayout.DEBIT_ACCOUNT_ID + 8), scope, scopeOffset, scopeCount)
                    && accountInside(events.getLong(at + TransferLayout.CREDIT_ACCOUNT_ID),
                    events.getLong(at + TransferLayout.CREDIT_ACCOUNT_ID + 8), scope, scopeOffset, scopeCount);
            }
            if (!inside) {
                return i;
            }
        }
        return -1;
    }

    private boolean pendingInside(long idLow, long idHigh, DirectBuffer scope, int scopeOffset, int scopeCount) {
        long reference = transferIds.find(idLow, idHigh);
        if (reference == TransferIdIndex.NOT_FOUND || !TransferIdIndex.isTransfer(reference)) {
            return true;
        }
        long pending = TransferIdIndex.ordinal(reference);
        return accountInside(transfers.getLong(pending, TransferLayout.DEBIT_ACCOUNT_ID),
            transfers.getLong(pending, TransferLayout.DEBIT_ACCOUNT_ID + 8), scope, scopeOffset, scopeCount)
            && accountInside(transfers.getLong(pending, TransferLayout.CREDIT_ACCOUNT_ID),
            transfers.getLong(pending, TransferLayout.CREDIT_ACCOUNT_ID + 8), scope, scopeOffset, scopeCount);
    }

    private boolean accountInside(long idLow, long idHigh, DirectBuffer scope, int scopeOffset, int scopeCount) {
        int slot = accounts.find(idLow, idHigh);
        if (slot < 0) {
            return true;
        }
        int tenant = accounts.tenant(slot);
        for (int t = 0; t < scopeCount; t++) {
            if (scope.getInt(scopeOffset + t * Integer.BYTES) == tenant) {
                return true;
            }
        }
        return false;
    }
}
