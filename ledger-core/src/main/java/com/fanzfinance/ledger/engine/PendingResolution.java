package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateTransferStatus.CREATED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXCEEDS_PENDING_TRANSFER_AMOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
import static com.fanzfinance.ledger.command.CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_ID_MUST_BE_DIFFERENT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_ALREADY_POSTED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_ALREADY_VOIDED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_EXPIRED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_NOT_FOUND;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_NOT_PENDING;
import static com.fanzfinance.ledger.command.CreateTransferStatus.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
import static com.fanzfinance.ledger.state.AccountStore.CREDITS_PENDING;
import static com.fanzfinance.ledger.state.AccountStore.CREDITS_POSTED;
import static com.fanzfinance.ledger.state.AccountStore.DEBITS_PENDING;
import static com.fanzfinance.ledger.state.AccountStore.DEBITS_POSTED;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.TransferView;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.PendingTransfers;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * TigerBeetle's {@code post_or_void_pending_transfer}: the second phase of a two-phase transfer.
 * A post moves up to the pending amount (the rest is released; {@link Amounts#MAX} means all of it);
 * a void releases it. Voids are allowed on closed accounts and reopen an account the voided transfer
 * closed.
 */
final class PendingResolution {
    private static final int NOT_WITH_POST_OR_VOID = TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT
        | TransferFlags.BALANCING_CREDIT | TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT;

    private final LedgerState state;
    private final AccountStore accounts;
    private final TransferStore transfers;
    private final PendingTransfers pendingTransfers;
    private final LinkedChain chain;
    private final AccountWriter writer;
    private final TransferRecorder recorder;

    private long pending;
    private int debitSlot;
    private int creditSlot;
    private long amount;

    PendingResolution(LedgerState state, LinkedChain chain, AccountWriter writer, TransferRecorder recorder) {
        this.state = state;
        this.accounts = state.accounts();
        this.transfers = state.transfers();
        this.pendingTransfers = state.pendingTransfers();
        this.chain = chain;
        this.writer = writer;
        this.recorder = recorder;
    }

    CreateTransferStatus resolve(TransferView t, long timestamp) {
        CreateTransferStatus invalid = validateFields(t);
        if (invalid == null) {
            invalid = findPending(t);
        }
        if (invalid == null) {
            invalid = matchPending(t);
        }
        if (invalid == null) {
            invalid = resolveAmount(t);
        }
        if (invalid == null) {
            invalid = checkPendingState(timestamp);
        }
        if (invalid == null) {
            invalid = checkImportedAndClosed(t, timestamp);
        }
        if (invalid != null) {
            return invalid;
        }
        commit(t, timestamp);
        return CREATED;
    }

    private static CreateTransferStatus validateFields(TransferView t) {
        int flags = t.flags();
        if (TransferFlags.isSet(flags, TransferFlags.POST_PENDING_TRANSFER)
            && TransferFlags.isSet(flags, TransferFlags.VOID_PENDING_TRANSFER)) {
            return FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if ((flags & NOT_WITH_POST_OR_VOID) != 0) {
            return FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        long pendingLow = t.pendingIdLow();
        long pendingHigh = t.pendingIdHigh();
        if (pendingLow == 0 && pendingHigh == 0) {
            return PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (pendingLow == -1 && pendingHigh == -1) {
            return PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (pendingLow == t.idLow() && pendingHigh == t.idHigh()) {
            return PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (t.timeoutSeconds() != 0) {
            return TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        return null;
    }

    private CreateTransferStatus findPending(TransferView t) {
        pending = state.transferIds().find(t.pendingIdLow(), t.pendingIdHigh());
        if (pending == TransferIdIndex.NOT_FOUND) {
            return PENDING_TRANSFER_NOT_FOUND;
        }
        if (!TransferFlags.isSet(transfers.flags(pending), TransferFlags.PENDING)) {
            return PENDING_TRANSFER_NOT_PENDING;
        }
        debitSlot = accounts.find(transfers.getLong(pending, TransferLayout.DEBIT_ACCOUNT_ID),
            transfers.getLong(pending, TransferLayout.DEBIT_ACCOUNT_ID + 8));
        creditSlot = accounts.find(transfers.getLong(pending, TransferLayout.CREDIT_ACCOUNT_ID),
            transfers.getLong(pending, TransferLayout.CREDIT_ACCOUNT_ID + 8));
        assert debitSlot >= 0 && creditSlot >= 0 : "a pending transfer's accounts must exist";
        return null;
    }

    /** Zero fields are inherited from the pending transfer; non-zero ones must equal it. */
    private CreateTransferStatus matchPending(TransferView t) {
        if (!zeroOrEqual(t.debitAccountIdLow(), t.debitAccountIdHigh(), TransferLayout.DEBIT_ACCOUNT_ID)) {
            return PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!zeroOrEqual(t.creditAccountIdLow(), t.creditAccountIdHigh(), TransferLayout.CREDIT_ACCOUNT_ID)) {
            return PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (t.ledger() != 0 && t.ledger() != transfers.ledger(pending)) {
            return PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
        }
        if (t.code() != 0 && t.code() != transfers.code(pending)) {
            return PENDING_TRANSFER_HAS_DIFFERENT_CODE;
        }
        return null;
    }

    private CreateTransferStatus resolveAmount(TransferView t) {
        long requested = Amounts.fromParts(t.amountLow(), t.amountHigh());
        long pendingAmount = transfers.amount(pending);
        boolean isVoid = TransferFlags.isSet(t.flags(), TransferFlags.VOID_PENDING_TRANSFER);
        long meansFull = isVoid ? 0 : Amounts.MAX;
        amount = requested == meansFull ? pendingAmount : requested;
        if (Amounts.greaterThan(amount, pendingAmount)) {
            return EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (isVoid && amount < pendingAmount) {
            return PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        return null;
    }

    private CreateTransferStatus checkPendingState(long timestamp) {
        PendingStatus status = pendingTransfers.status(pending);
        if (status == PendingStatus.POSTED) {
            return PENDING_TRANSFER_ALREADY_POSTED;
        }
        if (status == PendingStatus.VOIDED) {
            return PENDING_TRANSFER_ALREADY_VOIDED;
        }
        if (status == PendingStatus.EXPIRED) {
            return PENDING_TRANSFER_EXPIRED;
        }
        assert status == PendingStatus.PENDING;
        long timeoutSeconds = transfers.timeoutSeconds(pending) & 0xFFFF_FFFFL;
        if (timeoutSeconds != 0 && Amounts.expiresAt(transfers.timestamp(pending), timeoutSeconds) <= timestamp) {
            return PENDING_TRANSFER_EXPIRED;
        }
        return null;
    }

    private CreateTransferStatus checkImportedAndClosed(TransferView t, long timestamp) {
        if (TransferFlags.isSet(t.flags(), TransferFlags.IMPORTED)
            && (timestamp <= state.maxTransferTimestamp() || state.accountHasTimestamp(timestamp))) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }
        if (TransferFlags.isSet(t.flags(), TransferFlags.VOID_PENDING_TRANSFER)) {
            return null;
        }
        if (AccountFlags.isSet(accounts.flags(debitSlot), AccountFlags.CLOSED)) {
            return DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (AccountFlags.isSet(accounts.flags(creditSlot), AccountFlags.CLOSED)) {
            return CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        return null;
    }

    /** Point of no return. */
    private void commit(TransferView t, long timestamp) {
        long sequence = recorder.recordResolution(t, pending, amount, timestamp);
        long pendingAmount = transfers.amount(pending);
        boolean isVoid = TransferFlags.isSet(t.flags(), TransferFlags.VOID_PENDING_TRANSFER);
        if (chain.isOpen()) {
            chain.recordPendingStatus(pending, PendingStatus.PENDING.code());
        }
        pendingTransfers.setStatus(pending, isVoid ? PendingStatus.VOIDED : PendingStatus.POSTED);
        writer.subtract(debitSlot, DEBITS_PENDING, pendingAmount);
        writer.subtract(creditSlot, CREDITS_PENDING, pendingAmount);
        if (isVoid) {
            reopenClosedAccounts();
        } else {
            writer.add(debitSlot, DEBITS_POSTED, amount);
            writer.add(creditSlot, CREDITS_POSTED, amount);
        }
        recorder.linkToAccounts(sequence, debitSlot, creditSlot);
    }

    private void reopenClosedAccounts() {
        int pendingFlags = transfers.flags(pending);
        if (TransferFlags.isSet(pendingFlags, TransferFlags.CLOSING_DEBIT)) {
            writer.setClosed(debitSlot, false);
        }
        if (TransferFlags.isSet(pendingFlags, TransferFlags.CLOSING_CREDIT)) {
            writer.setClosed(creditSlot, false);
        }
    }

    private boolean zeroOrEqual(long low, long high, int fieldOffset) {
        return (low == 0 && high == 0)
            || (transfers.getLong(pending, fieldOffset) == low && transfers.getLong(pending, fieldOffset + 8) == high);
    }
}
