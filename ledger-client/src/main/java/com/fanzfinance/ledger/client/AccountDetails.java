package com.fanzfinance.ledger.client;

import java.util.Objects;

import com.fanzfinance.ledger.command.Account;

/**
 * An account as the ledger reports it, with its balances and timestamp, and what the JSON API adds.
 * The account's numeric {@link Account#tenant()} is 0: the API names tenants by slug only.
 *
 * @param tenant   the slug of the tenant that owns it, or null if the server did not say
 * @param metadata the metadata it was created with, as a compact JSON object, or null
 */
public record AccountDetails(Account account, String tenant, String metadata) {
    public AccountDetails {
        Objects.requireNonNull(account, "account");
    }
}
