package com.fanzfinance.ledger.journal;

/**
 * The journal holds a batch that is not the one that belongs there: changed, reordered, dropped or
 * damaged anywhere but at the very end. Recovery stops; nothing is skipped silently.
 */
public final class JournalCorruptException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long queueIndex;
    private final BatchCheck check;

    public JournalCorruptException(String message, long queueIndex, BatchCheck check) {
        super(message);
        this.queueIndex = queueIndex;
        this.check = check;
    }

    /** The Chronicle index of the offending excerpt. */
    public long queueIndex() {
        return queueIndex;
    }

    public BatchCheck check() {
        return check;
    }
}
