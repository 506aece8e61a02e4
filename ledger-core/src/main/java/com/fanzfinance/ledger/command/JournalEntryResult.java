package com.fanzfinance.ledger.command;


/**
 * The outcome of a journal entry: {@code created} if every leg was created; otherwise the status of the
 * first leg that failed for a reason of its own (not {@code linked_event_failed}) and the index of the
 * posting it concerns, or -1 when no single posting is at fault.
 */
public record JournalEntryResult(int index, Uint128 id, CreateTransferStatus status, long timestamp,
                                 int failedPosting) {
}
