package com.fanzfinance.ledger.engine;

/** A command larger than this ledger takes in one piece (a clustered ledger's message limit); nothing was sent. */
public final class CommandTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CommandTooLargeException(String message) {
        super(message);
    }
}
