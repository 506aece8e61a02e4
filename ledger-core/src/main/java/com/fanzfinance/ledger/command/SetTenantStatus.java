package com.fanzfinance.ledger.command;

/**
 * The outcome of a {@code set_tenant} command, in its result's status field (the tenant's number is in
 * the result's reserved field). Stable numbers, never reused.
 */
public enum SetTenantStatus {
    /** Registered, or the settings of an existing tenant changed (or were already so). */
    OK(0),
    /** An explicit number that another slug already holds. */
    NUMBER_TAKEN(1),
    /** The slug is registered under another number than the explicit one asked for. */
    SLUG_HAS_ANOTHER_NUMBER(2),
    /** No number is left. */
    NUMBERS_EXHAUSTED(3);

    private final int code;

    SetTenantStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SetTenantStatus ofCode(int code) {
        for (SetTenantStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no set_tenant status " + code);
    }
}
