package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.state.AccountStore.CREDITS_PENDING;
import static com.fanzfinance.ledger.state.AccountStore.DEBITS_PENDING;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.PendingTransfers;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * Expires pending transfers whose timeout has passed, at a time carried by the command stream (the
 * engine never reads a clock): their reserve is released, accounts they closed reopen, and they can no
 * longer be posted or voided. In order of expiry, ties by creation, as TigerBeetle's pulse.
 *
 * <p>Expiry writes no transfer and no history entry. A post or void arriving after a transfer's expiry
 * time is refused even before the pulse releases it.
 */
final class PendingExpiry {
    /** The most transfers one pulse expires; the rest wait for the next command (bounded work per command). */
    static final int EXPIRIES_PER_PULSE_MAX = 65_536;

    private final AccountStore accounts;
    private final TransferStore transfers;
    private final PendingTransfers pendingTransfers;
    private final AccountWriter writer;
    private final LedgerListener listener;

    PendingExpiry(LedgerState state, AccountWriter writer, LedgerListener listener) {
        this.accounts = state.accounts();
        this.transfers = state.transfers();
        this.pendingTransfers = state.pendingTransfers();
        this.writer = writer;
        this.listener = listener;
    }

    /** Expires what is due at {@code timestamp}; returns how many transfers expired. */
    int expireDue(long timestamp) {
        int expired = 0;
        while (expired < EXPIRIES_PER_PULSE_MAX && pendingTransfers.hasExpiryAtOrBefore(timestamp)) {
            long expiresAt = pendingTransfers.earliestExpiresAt();
            long sequence = pendingTransfers.earliestSequence();
            pendingTransfers.removeEarliest();
            if (isStillDue(sequence, expiresAt)) {
                expire(sequence, timestamp);
                expired++;
            }
        }
        return expired;
    }

    /**
     * A heap entry is stale if its transfer was posted or voided, or if the transfer that scheduled it
     * was rolled back with its linked chain (the sequence may since belong to another transfer).
     */
    private boolean isStillDue(long sequence, long expiresAt) {
        if (sequence >= transfers.count() || pendingTransfers.status(sequence) != PendingStatus.PENDING) {
            return false;
        }
        long timeoutSeconds = transfers.timeoutSeconds(sequence) & 0xFFFF_FFFFL;
        return timeoutSeconds != 0 && Amounts.expiresAt(transfers.timestamp(sequence), timeoutSeconds) == expiresAt;
    }

    private void expire(long sequence, long timestamp) {
        int debitSlot = accounts.find(transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID),
            transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID + 8));
        int creditSlot = accounts.find(transfers.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID),
            transfers.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID + 8));
        long amount = transfers.amount(sequence);
        writer.subtract(debitSlot, DEBITS_PENDING, amount);
        writer.subtract(creditSlot, CREDITS_PENDING, amount);
        int flags = transfers.flags(sequence);
        if (TransferFlags.isSet(flags, TransferFlags.CLOSING_DEBIT)) {
            writer.setClosed(debitSlot, false);
        }
        if (TransferFlags.isSet(flags, TransferFlags.CLOSING_CREDIT)) {
            writer.setClosed(creditSlot, false);
        }
        pendingTransfers.setStatus(sequence, PendingStatus.EXPIRED);
        listener.pendingExpired(sequence, debitSlot, creditSlot, timestamp);
    }
}
