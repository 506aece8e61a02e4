package com.fanzfinance.ledger.client;

import java.util.Objects;

import com.fanzfinance.ledger.command.Transfer;

/**
 * A transfer to create, with its metadata.
 *
 * @param metadata a JSON object of at most 4 KiB, stored and returned but never compared, or null; kept
 *                 in compact form
 */
public record NewTransfer(Transfer transfer, String metadata) {
    public NewTransfer {
        Objects.requireNonNull(transfer, "transfer");
        metadata = Metadata.compact(metadata);
    }

    public static NewTransfer of(Transfer transfer) {
        return new NewTransfer(transfer, null);
    }

    public NewTransfer withMetadata(String metadataJson) {
        return new NewTransfer(transfer, metadataJson);
    }
}
