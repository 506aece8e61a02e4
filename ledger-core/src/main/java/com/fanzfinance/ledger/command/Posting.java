package com.fanzfinance.ledger.command;

import java.util.Objects;

/** One leg of a journal entry: a debit or a credit of a positive amount on one account. */
public record Posting(Uint128 accountId, boolean debit, long amount) {
    public Posting {
        Objects.requireNonNull(accountId, "accountId");
        if (amount <= 0) {
            throw new IllegalArgumentException("a posting's amount must be positive, was " + amount);
        }
    }

    public static Posting debit(Uint128 accountId, long amount) {
        return new Posting(accountId, true, amount);
    }

    public static Posting credit(Uint128 accountId, long amount) {
        return new Posting(accountId, false, amount);
    }
}
