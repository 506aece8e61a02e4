package com.fanzfinance.server.http;

import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.JournalFormat;

/**
 * The largest body each kind of request can need, so that no request is read further than the largest
 * valid one of its kind. {@code FANZ_MAX_BODY_BYTES} stays the outer cap over all of them.
 *
 * <ul>
 *   <li>Binary batches are exact: 8,189 records of 128 bytes.</li>
 *   <li>JSON batches: the largest compact event without metadata (every field at its widest, every flag
 *       named) is under 800 bytes; {@link #JSON_EVENT_BYTES} allows 2,048 per event for spacing and
 *       escapes, and the metadata of a batch may add up to twice the journal's side-data limit (4 MiB
 *       once re-encoded compactly; twice that for the way it was written). About 24 MiB in all. The same
 *       cap serves journal entries, whose postings are smaller than events.</li>
 *   <li>Admin bodies (a key, a tenant) are a few hundred bytes; 64 KiB is plenty.</li>
 * </ul>
 * JSON bodies are parsed as a stream, so this cap bounds reading time, not memory: memory is bounded by
 * the parser's token limits and the batch limits, checked while parsing.
 */
final class BodyLimits {
    static final long BINARY_BATCH_BYTES = (long) StateMachineConfig.BATCH_EVENTS_MAX * BinaryTransport.RECORD;
    static final int JSON_EVENT_BYTES = 2048;
    static final long JSON_BATCH_BYTES = (long) StateMachineConfig.BATCH_EVENTS_MAX * JSON_EVENT_BYTES
        + 2L * JournalFormat.SIDE_DATA_MAX_BYTES;
    static final long ADMIN_BYTES = 64 * 1024;

    /** The kinds of body a route takes. */
    enum Kind {
        /** create accounts or transfers: JSON, or binary records */
        BATCH,
        /** journal entries: JSON only */
        ENTRIES,
        /** key and tenant management */
        ADMIN
    }

    private BodyLimits() {
    }

    /** The cap of a body of {@code kind} in the given transport, within {@code maxBodyBytes}. */
    static long capBytes(Kind kind, boolean binary, long maxBodyBytes) {
        long own = binary ? BINARY_BATCH_BYTES : kind == Kind.ADMIN ? ADMIN_BYTES : JSON_BATCH_BYTES;
        return Math.min(own, maxBodyBytes);
    }
}
