package com.fanzfinance.ledger.command;

/** Transfer flag bits, as TigerBeetle's {@code TransferFlags} (bit 0 first). */
public final class TransferFlags {
    public static final int LINKED = 1;
    public static final int PENDING = 1 << 1;
    public static final int POST_PENDING_TRANSFER = 1 << 2;
    public static final int VOID_PENDING_TRANSFER = 1 << 3;
    public static final int BALANCING_DEBIT = 1 << 4;
    public static final int BALANCING_CREDIT = 1 << 5;
    public static final int CLOSING_DEBIT = 1 << 6;
    public static final int CLOSING_CREDIT = 1 << 7;
    public static final int IMPORTED = 1 << 8;
    /** Every defined bit; any other bit is {@code reserved_flag}. */
    public static final int ALL = (1 << 9) - 1;

    private static final String[] NAMES = {
        "linked", "pending", "post_pending_transfer", "void_pending_transfer", "balancing_debit", "balancing_credit",
        "closing_debit", "closing_credit", "imported",
    };

    private TransferFlags() {
    }

    public static boolean isSet(int flags, int flag) {
        return (flags & flag) != 0;
    }

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
