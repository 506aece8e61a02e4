package com.fanzfinance.ledger.engine;

/** The command ring stayed full for the configured wait: back-pressure. Nothing was submitted; retry later. */
public final class LedgerBusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LedgerBusyException(String message) {
        super(message);
    }
}
