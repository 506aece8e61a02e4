package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * Whether every event of a scoped command stays within the tenants it may touch. A transfer may touch
 * only accounts of the scope: the accounts it names, or for a post or void the pending transfer's. A
 * transfer or account whose id already belongs to an object outside the scope is a write over another
 * tenant's object, refused like any other — whatever the event would have answered (exists, exists with
 * a different field) would tell the caller about that object. Ids that do not exist are left to the
 * event's own status. Runs on the business thread as the command is applied, so the answer cannot go
 * stale.
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

    /** The index of the first transfer outside the scope, or -1 if all are inside. */
    int firstTransferOutside(DirectBuffer events, int offset, int count, CommandScope scope) {
        for (int i = 0; i < count; i++) {
            int at = offset + i * TransferLayout.SIZE;
            int flags = events.getShort(at + TransferLayout.FLAGS) & 0xFFFF;
            boolean inside = transferInside(events.getLong(at + TransferLayout.ID),
                events.getLong(at + TransferLayout.ID + 8), scope);
            if (inside && (flags & POST_OR_VOID) != 0) {
                inside = transferInside(events.getLong(at + TransferLayout.PENDING_ID),
                    events.getLong(at + TransferLayout.PENDING_ID + 8), scope);
            } else if (inside) {
                inside = accountInside(events.getLong(at + TransferLayout.DEBIT_ACCOUNT_ID),
                    events.getLong(at + TransferLayout.DEBIT_ACCOUNT_ID + 8), scope)
                    && accountInside(events.getLong(at + TransferLayout.CREDIT_ACCOUNT_ID),
                    events.getLong(at + TransferLayout.CREDIT_ACCOUNT_ID + 8), scope);
            }
            if (!inside) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first account whose id belongs to an account outside the scope, or -1. */
    int firstAccountOutside(DirectBuffer events, int offset, int count, CommandScope scope) {
        for (int i = 0; i < count; i++) {
            int at = offset + i * AccountLayout.SIZE;
            if (!accountInside(events.getLong(at + AccountLayout.ID), events.getLong(at + AccountLayout.ID + 8), scope)) {
                return i;
            }
        }
        return -1;
    }

    /** A transfer that does not exist is inside; one that does is inside if both its accounts are. */
    private boolean transferInside(long idLow, long idHigh, CommandScope scope) {
        long sequence = transferIds.find(idLow, idHigh);
        if (sequence == TransferIdIndex.NOT_FOUND) {
            return true;
        }
        return accountInside(transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID),
            transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID + 8), scope)
            && accountInside(transfers.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID),
            transfers.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID + 8), scope);
    }

    private boolean accountInside(long idLow, long idHigh, CommandScope scope) {
        int slot = accounts.find(idLow, idHigh);
        return slot < 0 || scope.contains(accounts.tenant(slot));
    }
}
