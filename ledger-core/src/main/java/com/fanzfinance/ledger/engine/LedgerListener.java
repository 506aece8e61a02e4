package com.fanzfinance.ledger.engine;

/**
 * Told, on the business-logic thread and without allocation, of every change the state machine makes:
 * the source of the outcome-event stream. Reads of the state made during a callback see the state
 * right after that change (so a transfer's callback sees the balances after it).
 *
 * <p>Changes made inside a linked chain are announced as they happen, between {@link #chainOpened()}
 * and either {@link #chainCommitted()} or {@link #chainRolledBack()}; after a rollback the chain's
 * announcements must be discarded. Implementations must not throw and must not call back into the
 * state machine.
 */
public interface LedgerListener {
    LedgerListener NONE = new LedgerListener() {
    };

    /** The batch moves on to event {@code index}; outcomes until the next call belong to it. */
    default void eventStarted(int index) {
    }

    default void accountCreated(int slot) {
    }

    default void transferCreated(long sequence, int debitSlot, int creditSlot) {
    }

    default void pendingExpired(long sequence, int debitSlot, int creditSlot, long timestamp) {
    }

    default void chainOpened() {
    }

    default void chainCommitted() {
    }

    default void chainRolledBack() {
    }
}
