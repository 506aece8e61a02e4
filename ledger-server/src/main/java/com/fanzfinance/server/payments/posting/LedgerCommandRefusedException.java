package com.fanzfinance.server.payments.posting;

import java.util.Locale;

import com.fanzfinance.ledger.engine.CommandOutcome;

/**
 * The ledger applied nothing of a command: it is full, a tenant quota would be exceeded, or an account id
 * belongs to another tenant. Not an outcome of one event, so it is not a {@link PostOutcome}: the caller keeps
 * the event to retry or reports the ledger's state.
 */
public final class LedgerCommandRefusedException extends RuntimeException {
    private final CommandOutcome outcome;

    public LedgerCommandRefusedException(CommandOutcome outcome) {
        super("the ledger refused the whole command: " + outcome.name().toLowerCase(Locale.ROOT));
        this.outcome = outcome;
    }

    public CommandOutcome outcome() {
        return outcome;
    }
}
