package com.fanzfinance.reconciliation.match;

/** A field in which a paired group of statement lines and ledger items differs. */
public enum Field {
    /** The sums of the amounts are not within the amount tolerance. */
    AMOUNT("amount"),
    /** The sums of the fees are not within the amount tolerance. */
    FEE("fee"),
    /** The latest line date and the latest item date are more than the date tolerance apart. */
    DATE("date"),
    /** Not every line and item has the same currency. */
    CURRENCY("currency");

    private final String wireName;

    Field(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and the database. */
    public String wireName() {
        return wireName;
    }
}
