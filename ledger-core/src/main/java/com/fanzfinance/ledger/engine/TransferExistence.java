package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_AMOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_CODE;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_FLAGS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_LEDGER;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_PENDING_ID;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_TIMEOUT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_USER_DATA_128;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_USER_DATA_32;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_USER_DATA_64;

import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.TransferView;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * TigerBeetle's {@code create_transfer_exists}: what a resubmitted transfer id gets. Identical →
 * {@code exists}; otherwise the first differing field, in precedence order. Post and void compare
 * zero fields against what they inherited from the pending transfer.
 */
final class TransferExistence {
    private final TransferStore transfers;
    private final TransferIdIndex transferIds;

    TransferExistence(TransferStore transfers, TransferIdIndex transferIds) {
        this.transfers = transfers;
        this.transferIds = transferIds;
    }

    CreateTransferStatus compare(TransferView t, long existing) {
        if (t.flags() != transfers.flags(existing)) {
            return EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (!sameId(t.pendingIdLow(), t.pendingIdHigh(), existing, TransferLayout.PENDING_ID)) {
            return EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (t.timeoutSeconds() != (transfers.timeoutSeconds(existing) & 0xFFFF_FFFFL)) {
            return EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        int flags = t.flags();
        if (TransferFlags.isSet(flags, TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER)) {
            long pending = transferIds.find(t.pendingIdLow(), t.pendingIdHigh());
            assert pending != TransferIdIndex.NOT_FOUND : "a recorded post/void lost its pending transfer";
            return compareResolution(t, existing, pending);
        }
        return compareSinglePhase(t, existing);
    }

    private CreateTransferStatus compareSinglePhase(TransferView t, long existing) {
        if (!sameId(t.debitAccountIdLow(), t.debitAccountIdHigh(), existing, TransferLayout.DEBIT_ACCOUNT_ID)) {
            return EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!sameId(t.creditAccountIdLow(), t.creditAccountIdHigh(), existing, TransferLayout.CREDIT_ACCOUNT_ID)) {
            return EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        long amount = Amounts.fromParts(t.amountLow(), t.amountHigh());
        long recorded = transfers.amount(existing);
        boolean balancing = TransferFlags.isSet(t.flags(), TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT);
        // A balancing transfer records what it actually moved; any retry asking for at least that is the same.
        if (balancing ? Amounts.lessThan(amount, recorded) : amount != recorded) {
            return EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        return compareUserDataLedgerCode(t, existing, -1);
    }

    private CreateTransferStatus compareResolution(TransferView t, long existing, long pending) {
        if (!zeroOrSameId(t.debitAccountIdLow(), t.debitAccountIdHigh(), existing, TransferLayout.DEBIT_ACCOUNT_ID)) {
            return EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!zeroOrSameId(t.creditAccountIdLow(), t.creditAccountIdHigh(), existing, TransferLayout.CREDIT_ACCOUNT_ID)) {
            return EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (!sameResolvedAmount(t, existing, pending)) {
            return EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        return compareUserDataLedgerCode(t, existing, pending);
    }

    /** A zero void amount and a MAX post amount stood for the pending amount; anything else must match. */
    private boolean sameResolvedAmount(TransferView t, long existing, long pending) {
        long amount = Amounts.fromParts(t.amountLow(), t.amountHigh());
        long recorded = transfers.amount(existing);
        boolean isVoid = TransferFlags.isSet(t.flags(), TransferFlags.VOID_PENDING_TRANSFER);
        long meansFull = isVoid ? 0 : Amounts.MAX;
        if (amount == meansFull) {
            return recorded == transfers.amount(pending);
        }
        return amount == recorded;
    }

    /**
     * User data, ledger and code in precedence order. With {@code pending >= 0} (post/void), zero user
     * data must match what was inherited from the pending transfer, and zero ledger/code match anything.
     */
    private CreateTransferStatus compareUserDataLedgerCode(TransferView t, long existing, long pending) {
        boolean inherits = pending >= 0;
        long userData128Low = t.userData128Low();
        long userData128High = t.userData128High();
        long userData128Source = inherits && userData128Low == 0 && userData128High == 0 ? pending : -1;
        if (userData128Source >= 0
            ? !sameField128(existing, userData128Source, TransferLayout.USER_DATA_128)
            : !sameId(userData128Low, userData128High, existing, TransferLayout.USER_DATA_128)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        long userData64 = t.userData64();
        long expected64 = inherits && userData64 == 0 ? transfers.getLong(pending, TransferLayout.USER_DATA_64) : userData64;
        if (expected64 != transfers.getLong(existing, TransferLayout.USER_DATA_64)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        int userData32 = t.userData32();
        int expected32 = inherits && userData32 == 0 ? transfers.userData32(pending) : userData32;
        if (expected32 != transfers.userData32(existing)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (!(inherits && t.ledger() == 0) && t.ledger() != transfers.ledger(existing)) {
            return EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (!(inherits && t.code() == 0) && t.code() != transfers.code(existing)) {
            return EXISTS_WITH_DIFFERENT_CODE;
        }
        return EXISTS;
    }

    private boolean sameId(long low, long high, long sequence, int fieldOffset) {
        return transfers.getLong(sequence, fieldOffset) == low && transfers.getLong(sequence, fieldOffset + 8) == high;
    }

    private boolean zeroOrSameId(long low, long high, long sequence, int fieldOffset) {
        return (low == 0 && high == 0) || sameId(low, high, sequence, fieldOffset);
    }

    private boolean sameField128(long sequenceA, long sequenceB, int fieldOffset) {
        return transfers.getLong(sequenceA, fieldOffset) == transfers.getLong(sequenceB, fieldOffset)
            && transfers.getLong(sequenceA, fieldOffset + 8) == transfers.getLong(sequenceB, fieldOffset + 8);
    }
}
