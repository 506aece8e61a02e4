package com.fanzfinance.ledger.command;

/** Account flag bits, as TigerBeetle's {@code AccountFlags} (bit 0 first). */
public final class AccountFlags {
    public static final int LINKED = 1;
    public static final int DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
    public static final int CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
    public static final int HISTORY = 1 << 3;
    public static final int IMPORTED = 1 << 4;
    public static final int CLOSED = 1 << 5;
    /** Every defined bit; any other bit is {@code reserved_flag}. */
    public static final int ALL = LINKED | DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS | HISTORY
        | IMPORTED | CLOSED;

    private static final String[] NAMES = {
        "linked", "debits_must_not_exceed_credits", "credits_must_not_exceed_debits", "history", "imported", "closed",
    };

    private AccountFlags() {
    }

    public static boolean isSet(int flags, int flag) {
        return (flags & flag) != 0;
    }

    /** The snake_case names of the API, in bit order. */
    public static String[] names() {
        return NAMES.clone();
    }

    /** The bit for a snake_case name, or 0 if there is no such flag. */
    public static int bitOf(String name) {
        return FlagNames.bitOf(NAMES, name);
    }

    public static java.util.List<String> namesOf(int flags) {
        return FlagNames.namesOf(NAMES, flags);
    }
}
