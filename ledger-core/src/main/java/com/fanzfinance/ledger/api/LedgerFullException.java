package com.fanzfinance.ledger.api;

/** The command would take the ledger past its configured account or transfer limit; nothing was applied. */
public final class LedgerFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LedgerFullException(String message) {
        super(message);
    }
}
