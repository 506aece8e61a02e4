package com.fanzfinance.ledger.journal;

/** The commands the journal records, with stable numbers (never reused). Queries are not journaled. */
public enum CommandType {
    CREATE_ACCOUNTS(1),
    CREATE_TRANSFERS(2),
    /** Carries time alone, so pending transfers expire without other traffic. */
    TICK(3),
    /** Sets the limits and default tenant quotas in force (one {@code LedgerLimits} record). */
    SET_LIMITS(4),
    /** Registers a tenant or changes its quotas (one {@code TenantSettings} record). */
    SET_TENANT(5);

    private final int code;

    CommandType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or {@code null}. */
    public static CommandType ofCode(int code) {
        for (CommandType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
