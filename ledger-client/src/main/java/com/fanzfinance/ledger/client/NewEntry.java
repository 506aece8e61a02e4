package com.fanzfinance.ledger.client;

import java.util.Objects;

import com.fanzfinance.ledger.command.JournalEntry;

/**
 * A journal entry to create, with its metadata (the ledger attaches it to the entry's first transfer).
 *
 * @param metadata a JSON object of at most 4 KiB, or null; kept in compact form
 */
public record NewEntry(JournalEntry entry, String metadata) {
    public NewEntry {
        Objects.requireNonNull(entry, "entry");
        metadata = Metadata.compact(metadata);
    }

    public static NewEntry of(JournalEntry entry) {
        return new NewEntry(entry, null);
    }

    public NewEntry withMetadata(String metadataJson) {
        return new NewEntry(entry, metadataJson);
    }
}
