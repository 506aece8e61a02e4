package com.fanzfinance.ledger.command;

/** An account's four balances right after the transfer with this timestamp (accounts with {@code history}). */
public record AccountBalance(long timestamp, long debitsPending, long debitsPosted, long creditsPending,
                             long creditsPosted) {
}
