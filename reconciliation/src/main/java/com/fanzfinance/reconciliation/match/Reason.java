package com.fanzfinance.reconciliation.match;

/** Why a statement line is unmatched. */
public enum Reason {
    /**
     * The line names a reference no (unused) ledger item has as a key or a group, names several references
     * one of which finds nothing, or has no reference and no ledger item of its currency, amount and date.
     */
    NOT_IN_LEDGER("not-in-ledger"),
    /**
     * The line could be paired in several ways and the matcher does not guess: two or more lines and two or
     * more items left under one reference after exact pairs, a second line naming a batch another line took,
     * or (without a reference) several candidate items or a sole candidate shared with another line.
     */
    AMBIGUOUS("ambiguous"),
    /** The line's type is one the caller excluded (fees, payouts, balances it handles itself). */
    EXCLUDED("excluded-type");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and the database. */
    public String wireName() {
        return wireName;
    }
}
