package com.fanzfinance.ledger.command;

import java.util.Objects;


/**
 * A transfer as submitted or as recorded. Recorded transfers carry the amount actually moved, the
 * ledger's timestamp and, for pending transfers, their {@link PendingStatus}.
 *
 * @param amount        minor units, 0 … {@link Long#MAX_VALUE}; on a post, {@code Long.MAX_VALUE} means
 *                      "the full pending amount"
 * @param timeout       seconds a pending transfer may stay pending (unsigned 32-bit), 0 for none
 * @param pendingStatus {@link PendingStatus#NONE} except on recorded pending transfers
 */
public record Transfer(Uint128 id, Uint128 debitAccountId, Uint128 creditAccountId, long amount, Uint128 pendingId,
                       Uint128 userData128, long userData64, int userData32, int timeout, int ledger, int code,
                       int flags, long timestamp, PendingStatus pendingStatus) {
    public Transfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(debitAccountId, "debitAccountId");
        Objects.requireNonNull(creditAccountId, "creditAccountId");
        Objects.requireNonNull(pendingId, "pendingId");
        Objects.requireNonNull(userData128, "userData128");
        Objects.requireNonNull(pendingStatus, "pendingStatus");
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be 0.." + Long.MAX_VALUE + ", was " + amount);
        }
        Account.requireUnsigned16("code", code);
        Account.requireUnsigned16("flags", flags);
    }

    /** A single-phase transfer of {@code amount} from the debit to the credit account. */
    public static Transfer of(Uint128 id, Uint128 debitAccountId, Uint128 creditAccountId, long amount, int ledger,
                              int code) {
        return new Transfer(id, debitAccountId, creditAccountId, amount, Uint128.ZERO, Uint128.ZERO, 0, 0, 0, ledger,
            code, 0, 0, PendingStatus.NONE);
    }

    /** Posts ({@code post = true}) or voids the pending transfer {@code pendingId}; other fields inherited. */
    public static Transfer resolving(Uint128 id, Uint128 pendingId, long amount, boolean post) {
        int flag = post ? TransferFlags.POST_PENDING_TRANSFER : TransferFlags.VOID_PENDING_TRANSFER;
        return new Transfer(id, Uint128.ZERO, Uint128.ZERO, amount, pendingId, Uint128.ZERO, 0, 0, 0, 0, 0, flag, 0,
            PendingStatus.NONE);
    }

    public Transfer withFlags(int newFlags) {
        return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128, userData64,
            userData32, timeout, ledger, code, newFlags, timestamp, pendingStatus);
    }

    public Transfer withTimeout(int newTimeoutSeconds) {
        return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128, userData64,
            userData32, newTimeoutSeconds, ledger, code, flags, timestamp, pendingStatus);
    }

    public Transfer withUserData(Uint128 newUserData128, long newUserData64, int newUserData32) {
        return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, newUserData128, newUserData64,
            newUserData32, timeout, ledger, code, flags, timestamp, pendingStatus);
    }

    public Transfer withTimestamp(long newTimestamp) {
        return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128, userData64,
            userData32, timeout, ledger, code, flags, newTimestamp, pendingStatus);
    }

    public boolean has(int flag) {
        return TransferFlags.isSet(flags, flag);
    }
}
