package com.fanzfinance.ledger.client;

import java.util.Objects;

import com.fanzfinance.ledger.command.Transfer;

/**
 * A transfer as recorded (its final amount, timestamp and pending status) with its metadata.
 *
 * @param metadata the metadata it was created with, as a compact JSON object, or null
 */
public record TransferDetails(Transfer transfer, String metadata) {
    public TransferDetails {
        Objects.requireNonNull(transfer, "transfer");
    }
}
