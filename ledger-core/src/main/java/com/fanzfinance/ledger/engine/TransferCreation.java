package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateTransferStatus.ACCOUNTS_MUST_BE_DIFFERENT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CLOSING_TRANSFER_MUST_BE_PENDING;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CODE_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREATED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_NOT_FOUND;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_NOT_FOUND;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXCEEDS_CREDITS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXCEEDS_DEBITS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.ID_ALREADY_FAILED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateTransferStatus.ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.LEDGER_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_CREDITS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_CREDITS_PENDING;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_CREDITS_POSTED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_DEBITS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_DEBITS_PENDING;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_DEBITS_POSTED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.OVERFLOWS_TIMEOUT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_ID_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateTransferStatus.RESERVED_FLAG;
import static com.fanzfinance.ledger.command.CreateTransferStatus.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
import static com.fanzfinance.ledger.command.CreateTransferStatus.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
import static com.fanzfinance.ledger.state.AccountStore.CREDITS_PENDING;
import static com.fanzfinance.ledger.state.AccountStore.CREDITS_POSTED;
import static com.fanzfinance.ledger.state.AccountStore.DEBITS_PENDING;
import static com.fanzfinance.ledger.state.AccountStore.DEBITS_POSTED;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferView;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.FailedIdIndex;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.PendingTransfers;
import com.fanzfinance.ledger.state.TransferIdIndex;

/**
 * TigerBeetle's {@code create_transfer} for single-phase and pending transfers, in the documented
 * precedence: identity → exists / already failed → fields → accounts → imported → closed → amounts
 * (balancing clamp, overflow, limits) → point of no return → mutate. Posts and voids branch off to
 * {@link PendingResolution} right after the idempotency check.
 */
final class TransferCreation {
    private static final int POST_OR_VOID = TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER;
    private static final int CLOSING = TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT;

    private final LedgerState state;
    private final AccountStore accounts;
    private final TransferIdIndex transferIds;
    private final FailedIdIndex failedIds;
    private final CommandScope scope;
    private final PendingTransfers pendingTransfers;
    private final TransferExistence existence;
    private final PendingResolution resolution;
    private final TransferRecorder recorder;
    private final AccountWriter writer;
    private final LinkedChain chain;

    /** The timestamp to report for {@code created} and {@code exists}: the transfer's own. */
    private long objectTimestamp;
    private int debitSlot;
    private int creditSlot;

    TransferCreation(LedgerState state, LinkedChain chain, AccountWriter writer, LedgerListener listener,
                     CommandScope scope) {
        this.state = state;
        this.accounts = state.accounts();
        this.transferIds = state.transferIds();
        this.failedIds = state.failedIdIndex();
        this.scope = scope;
        this.pendingTransfers = state.pendingTransfers();
        this.chain = chain;
        this.writer = writer;
        this.recorder = new TransferRecorder(state, writer, listener);
        this.existence = new TransferExistence(state.transfers(), transferIds);
        this.resolution = new PendingResolution(state, chain, writer, recorder);
    }

    long objectTimestamp() {
        return objectTimestamp;
    }

    /**
     * @param debitHint  the slot the debit account is likely in (-1: unknown), checked before it is used
     * @param creditHint likewise for the credit account
     */
    CreateTransferStatus create(TransferView t, long timestamp, int debitHint, int creditHint) {
        CreateTransferStatus invalid = validateIdentity(t);
        if (invalid != null) {
            return invalid;
        }
        long existing = transferIds.find(t.idLow(), t.idHigh());
        if (existing != TransferIdIndex.NOT_FOUND) {
            objectTimestamp = state.transfers().timestamp(existing);
            return existence.compare(t, existing);
        }
        if (failedIds.count() > 0 && failedInScope(t.idLow(), t.idHigh())) {
            return ID_ALREADY_FAILED;
        }
        if ((t.flags() & POST_OR_VOID) != 0) {
            CreateTransferStatus status = resolution.resolve(t, timestamp);
            objectTimestamp = timestamp;
            return status;
        }
        invalid = validateFields(t);
        if (invalid == null) {
            invalid = resolveAccounts(t, debitHint, creditHint);
        }
        if (invalid == null && TransferFlags.isSet(t.flags(), TransferFlags.IMPORTED)) {
            invalid = validateImported(t, timestamp);
        }
        if (invalid == null) {
            invalid = checkClosed();
        }
        if (invalid != null) {
            return invalid;
        }
        long amount = clampBalancing(t);
        invalid = checkAmount(t, amount, timestamp);
        if (invalid != null) {
            return invalid;
        }
        commit(t, amount, timestamp);
        objectTimestamp = timestamp;
        return CREATED;
    }

    private static CreateTransferStatus validateIdentity(TransferView t) {
        if ((t.flags() & ~TransferFlags.ALL) != 0) {
            return RESERVED_FLAG;
        }
        if (t.idLow() == 0 && t.idHigh() == 0) {
            return ID_MUST_NOT_BE_ZERO;
        }
        if (t.idLow() == -1 && t.idHigh() == -1) {
            return ID_MUST_NOT_BE_INT_MAX;
        }
        return null;
    }

    /** Whether this id failed before for the command's owner: any tenant of its scope, or none when unscoped. */
    private boolean failedInScope(long idLow, long idHigh) {
        if (!scope.isScoped()) {
            return failedIds.find(idLow, idHigh, 0) != FailedIdIndex.NOT_FOUND;
        }
        for (int i = 0; i < scope.count(); i++) {
            if (failedIds.find(idLow, idHigh, scope.tenant(i)) != FailedIdIndex.NOT_FOUND) {
                return true;
            }
        }
        return false;
    }

    private static CreateTransferStatus validateFields(TransferView t) {
        long debitLow = t.debitAccountIdLow();
        long debitHigh = t.debitAccountIdHigh();
        long creditLow = t.creditAccountIdLow();
        long creditHigh = t.creditAccountIdHigh();
        if (debitLow == 0 && debitHigh == 0) {
            return DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (debitLow == -1 && debitHigh == -1) {
            return DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (creditLow == 0 && creditHigh == 0) {
            return CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (creditLow == -1 && creditHigh == -1) {
            return CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (debitLow == creditLow && debitHigh == creditHigh) {
            return ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (t.pendingIdLow() != 0 || t.pendingIdHigh() != 0) {
            return PENDING_ID_MUST_BE_ZERO;
        }
        if (!TransferFlags.isSet(t.flags(), TransferFlags.PENDING)) {
            if (t.timeoutSeconds() != 0) {
                return TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
            }
            if ((t.flags() & CLOSING) != 0) {
                return CLOSING_TRANSFER_MUST_BE_PENDING;
            }
        }
        if (t.ledger() == 0) {
            return LEDGER_MUST_NOT_BE_ZERO;
        }
        if (t.code() == 0) {
            return CODE_MUST_NOT_BE_ZERO;
        }
        return null;
    }

    private CreateTransferStatus resolveAccounts(TransferView t, int debitHint, int creditHint) {
        debitSlot = accounts.find(t.debitAccountIdLow(), t.debitAccountIdHigh(), debitHint);
        if (debitSlot < 0) {
            return DEBIT_ACCOUNT_NOT_FOUND;
        }
        creditSlot = accounts.find(t.creditAccountIdLow(), t.creditAccountIdHigh(), creditHint);
        if (creditSlot < 0) {
            return CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (accounts.ledger(debitSlot) != accounts.ledger(creditSlot)) {
            return ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
        }
        if (t.ledger() != accounts.ledger(debitSlot)) {
            return TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
        }
        return null;
    }

    private CreateTransferStatus validateImported(TransferView t, long timestamp) {
        if (timestamp <= state.maxTransferTimestamp() || state.accountHasTimestamp(timestamp)) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }
        if (timestamp <= accounts.get(debitSlot, AccountStore.TIMESTAMP)) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT;
        }
        if (timestamp <= accounts.get(creditSlot, AccountStore.TIMESTAMP)) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT;
        }
        if (t.timeoutSeconds() != 0) {
            return IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO;
        }
        return null;
    }

    private CreateTransferStatus checkClosed() {
        if (AccountFlags.isSet(accounts.flags(debitSlot), AccountFlags.CLOSED)) {
            return DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (AccountFlags.isSet(accounts.flags(creditSlot), AccountFlags.CLOSED)) {
            return CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        return null;
    }

    /** Balancing transfers move at most what keeps the account's net balance from going negative. */
    private long clampBalancing(TransferView t) {
        long amount = Amounts.fromParts(t.amountLow(), t.amountHigh());
        int flags = t.flags();
        if (TransferFlags.isSet(flags, TransferFlags.BALANCING_DEBIT)) {
            long used = accounts.get(debitSlot, DEBITS_POSTED) + accounts.get(debitSlot, DEBITS_PENDING);
            amount = Amounts.min(amount, Amounts.subtractSaturating(accounts.get(debitSlot, CREDITS_POSTED), used));
        }
        if (TransferFlags.isSet(flags, TransferFlags.BALANCING_CREDIT)) {
            long used = accounts.get(creditSlot, CREDITS_POSTED) + accounts.get(creditSlot, CREDITS_PENDING);
            amount = Amounts.min(amount, Amounts.subtractSaturating(accounts.get(creditSlot, DEBITS_POSTED), used));
        }
        return amount;
    }

    private CreateTransferStatus checkAmount(TransferView t, long amount, long timestamp) {
        long debitsPending = accounts.get(debitSlot, DEBITS_PENDING);
        long debitsPosted = accounts.get(debitSlot, DEBITS_POSTED);
        long creditsPending = accounts.get(creditSlot, CREDITS_PENDING);
        long creditsPosted = accounts.get(creditSlot, CREDITS_POSTED);
        if (TransferFlags.isSet(t.flags(), TransferFlags.PENDING)) {
            if (Amounts.sumOverflows(amount, debitsPending)) {
                return OVERFLOWS_DEBITS_PENDING;
            }
            if (Amounts.sumOverflows(amount, creditsPending)) {
                return OVERFLOWS_CREDITS_PENDING;
            }
        }
        if (Amounts.sumOverflows(amount, debitsPosted)) {
            return OVERFLOWS_DEBITS_POSTED;
        }
        if (Amounts.sumOverflows(amount, creditsPosted)) {
            return OVERFLOWS_CREDITS_POSTED;
        }
        if (Amounts.sumOverflows(amount, debitsPending + debitsPosted)) {
            return OVERFLOWS_DEBITS;
        }
        if (Amounts.sumOverflows(amount, creditsPending + creditsPosted)) {
            return OVERFLOWS_CREDITS;
        }
        if (t.timeoutSeconds() != 0 && Amounts.expiresAt(timestamp, t.timeoutSeconds()) < 0) {
            return OVERFLOWS_TIMEOUT;
        }
        return checkLimits(amount, debitsPending + debitsPosted, creditsPending + creditsPosted);
    }

    private CreateTransferStatus checkLimits(long amount, long debitsUsed, long creditsUsed) {
        if (AccountFlags.isSet(accounts.flags(debitSlot), AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
            && debitsUsed + amount > accounts.get(debitSlot, CREDITS_POSTED)) {
            return EXCEEDS_CREDITS;
        }
        if (AccountFlags.isSet(accounts.flags(creditSlot), AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
            && creditsUsed + amount > accounts.get(creditSlot, DEBITS_POSTED)) {
            return EXCEEDS_DEBITS;
        }
        return null;
    }

    /** Point of no return: every check has passed. */
    private void commit(TransferView t, long amount, long timestamp) {
        long sequence = recorder.record(t, amount, timestamp);
        int flags = t.flags();
        if (TransferFlags.isSet(flags, TransferFlags.PENDING)) {
            writer.add(debitSlot, DEBITS_PENDING, amount);
            writer.add(creditSlot, CREDITS_PENDING, amount);
            markPending(sequence, t, timestamp);
        } else {
            writer.add(debitSlot, DEBITS_POSTED, amount);
            writer.add(creditSlot, CREDITS_POSTED, amount);
        }
        if (TransferFlags.isSet(flags, TransferFlags.CLOSING_DEBIT)) {
            writer.setClosed(debitSlot, true);
        }
        if (TransferFlags.isSet(flags, TransferFlags.CLOSING_CREDIT)) {
            writer.setClosed(creditSlot, true);
        }
        recorder.linkToAccounts(sequence, debitSlot, creditSlot);
    }

    private void markPending(long sequence, TransferView t, long timestamp) {
        if (chain.isOpen()) {
            chain.recordPendingStatus(sequence, PendingStatus.NONE.code());
        }
        pendingTransfers.setStatus(sequence, PendingStatus.PENDING);
        if (t.timeoutSeconds() != 0) {
            pendingTransfers.scheduleExpiry(Amounts.expiresAt(timestamp, t.timeoutSeconds()), sequence);
        }
    }
}
