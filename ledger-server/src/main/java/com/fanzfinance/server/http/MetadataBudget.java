package com.fanzfinance.server.http;

import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.journal.JournalFormat;

/**
 * Adds up the side data a batch's metadata will take in the journal ({@link SideData}'s encoding) as
 * the request is parsed, and refuses the batch at the first metadata object that would pass the
 * journal's limit ({@link JournalFormat#SIDE_DATA_MAX_BYTES}) — before the rest is read, and long before
 * the engine would have to refuse it.
 */
final class MetadataBudget {
    private long bytes = Integer.BYTES;

    /** Counts one metadata value of {@code length} bytes, found at {@code pointer}. */
    void add(int length, String pointer) {
        bytes += SideData.entryBytes(length);
        if (bytes > JournalFormat.SIDE_DATA_MAX_BYTES) {
            throw Problem.badRequest("batch-too-large", "the batch's metadata passes " + JournalFormat.SIDE_DATA_MAX_BYTES
                + " bytes in all (the journal's side-data limit per request); send fewer events per request",
                pointer);
        }
    }
}
