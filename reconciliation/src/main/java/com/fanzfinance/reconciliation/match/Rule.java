package com.fanzfinance.reconciliation.match;

/** The rule that paired statement lines with ledger items (see {@link Matcher} for the rules). */
public enum Rule {
    /** One line, one item, by reference. */
    ONE_TO_ONE("one_to_one"),
    /** Several lines naming one reference (a split settlement), one item. */
    MANY_TO_ONE("many_to_one"),
    /** One line, several items: a line naming several references, a batch reference, or leftovers of a reference. */
    ONE_TO_MANY("one_to_many"),
    /** One line without a reference, one item, by currency, amount and date. */
    AMOUNT_DATE("amount_date");

    private final String wireName;

    Rule(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and the database. */
    public String wireName() {
        return wireName;
    }
}
