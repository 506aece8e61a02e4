package com.fanzfinance.ledger.engine;

/** Whether a command was applied at all. Per-event outcomes are statuses in the results. */
public enum CommandOutcome {
    /** The command was applied; its results say what happened to each event. */
    APPLIED,
    /**
     * Applying the command could take the ledger past its account or transfer limit, so nothing was
     * applied. Deterministic: the limits in force are set by journaled commands, so a replay refuses the
     * same command the same way whatever the process is configured with.
     */
    LEDGER_FULL,
    /**
     * A transfer in the command touches an account outside the tenants the command was allowed
     * (its result is marked, see {@link StateMachine#forbiddenEventIn}), so nothing was applied. Checked on the business
     * thread when the command is applied, so no account can change hands between the check and the move.
     */
    TENANT_FORBIDDEN,
    /**
     * The command could take a tenant past its quota of accounts, or of transfers and failed transfer ids
     * (the first offending event is marked as for {@link #TENANT_FORBIDDEN}), so nothing was applied.
     */
    TENANT_QUOTA_EXCEEDED
}
