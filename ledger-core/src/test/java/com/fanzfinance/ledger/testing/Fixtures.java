package com.fanzfinance.ledger.testing;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/** Short constructors for test accounts and transfers: ids are small numbers, ledger 1, code 1. */
public final class Fixtures {
    public static final int LEDGER = 1;
    public static final int CODE = 1;

    private Fixtures() {
    }

    public static Uint128 id(long value) {
        return Uint128.of(value);
    }

    public static Account account(long id) {
        return Account.of(id(id), LEDGER, CODE);
    }

    public static Account account(long id, int flags) {
        return account(id).withFlags(flags);
    }

    public static Transfer transfer(long id, long debit, long credit, long amount) {
        return Transfer.of(id(id), id(debit), id(credit), amount, LEDGER, CODE);
    }

    public static Transfer pending(long id, long debit, long credit, long amount, int timeoutSeconds) {
        return transfer(id, debit, credit, amount).withFlags(TransferFlags.PENDING).withTimeout(timeoutSeconds);
    }

    public static Transfer post(long id, long pendingId, long amount) {
        return Transfer.resolving(id(id), id(pendingId), amount, true);
    }

    public static Transfer voidPending(long id, long pendingId) {
        return Transfer.resolving(id(id), id(pendingId), 0, false);
    }

    /** All fields given explicitly (for precedence tests). */
    public static Transfer raw(long id, long debit, long credit, long amount, long pendingId, int timeout, int ledger,
                               int code, int flags, long timestamp) {
        return new Transfer(id(id), id(debit), id(credit), amount, id(pendingId), Uint128.ZERO, 0, 0, timeout, ledger,
            code, flags, timestamp, PendingStatus.NONE);
    }
}
