package com.fanzfinance.ledger.engine;

/** Reaches the engine's test hooks (package-private in ledger-core) from the server's tests. */
public final class EngineTestHooks {
    private EngineTestHooks() {
    }

    /** Runs {@code hook} on the journal's thread after each group commit's append, before its fdatasync (null: none). */
    public static void beforeEachSync(LedgerEngine engine, Runnable hook) {
        engine.beforeEachSync(hook);
    }
}
