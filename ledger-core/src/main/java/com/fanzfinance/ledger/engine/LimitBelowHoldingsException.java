package com.fanzfinance.ledger.engine;

/**
 * The engine was configured with a limit below what its ledger already holds: it refuses to start rather
 * than journal a limit its own history breaks. Raise the limit (or open with the one in force).
 */
public final class LimitBelowHoldingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String limitName;
    private final long limit;
    private final long held;

    LimitBelowHoldingsException(String limitName, long limit, long held, String what) {
        super("the configured " + limitName + " (" + limit + ") is below the " + held + " " + what
            + " the ledger already holds; raise it to at least " + held);
        this.limitName = limitName;
        this.limit = limit;
        this.held = held;
    }

    /** The configuration's name for the limit: {@code accountsMax} or {@code transfersMax}. */
    public String limitName() {
        return limitName;
    }

    public long limit() {
        return limit;
    }

    public long held() {
        return held;
    }
}
