package com.fanzfinance.ledger.engine;

/**
 * The engine stopped after a failure it cannot go past safely (the journal could not be written or
 * synced, or a command failed in a way that is a bug). Nothing after the failure was applied; a restart
 * recovers from the journal, and retries of unacknowledged commands are safe because ids are idempotent.
 */
public final class LedgerFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LedgerFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
