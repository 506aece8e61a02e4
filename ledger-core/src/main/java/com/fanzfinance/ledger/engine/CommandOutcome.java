package com.fanzfinance.ledger.engine;

/** Whether a command was applied at all. Per-event outcomes are statuses in the results. */
public enum CommandOutcome {
    /** The command was applied; its results say what happened to each event. */
    APPLIED,
    /**
     * Applying the command could take the ledger past its configured account or transfer limit, so
     * nothing was applied. Deterministic: a replay refuses the same command the same way.
     */
    LEDGER_FULL
}
