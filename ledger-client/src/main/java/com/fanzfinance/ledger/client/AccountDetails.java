package com.fanzfinance.ledger.client;

import java.util.Objects;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;

/**
 * An account as the ledger reports it, with its balances and timestamp, and what the JSON API adds: the
 * client's view of an account. The API names a tenant by its slug only, so the tenant is {@link #tenant()};
 * the numeric {@link Account#tenant()} of {@link #account()} is the server's internal number, which the
 * API does not send, and is always 0 here. {@link #toString()} shows the slug and leaves that 0 out.
 *
 * @param tenant   the slug of the tenant that owns it (such as {@code girlfanz}), or null if the server did
 *                 not say
 * @param metadata the metadata it was created with, as a compact JSON object, or null
 */
public record AccountDetails(Account account, String tenant, String metadata) {
    public AccountDetails {
        Objects.requireNonNull(account, "account");
    }

    /** Every field as the API reports it, flags by name, the tenant by slug. */
    @Override
    public String toString() {
        return "AccountDetails[id=" + account.id() + ", tenant=" + tenant + ", ledger=" + account.ledger()
            + ", code=" + account.code() + ", flags=" + AccountFlags.namesOf(account.flags())
            + ", debitsPending=" + account.debitsPending() + ", debitsPosted=" + account.debitsPosted()
            + ", creditsPending=" + account.creditsPending() + ", creditsPosted=" + account.creditsPosted()
            + ", userData128=" + account.userData128() + ", userData64=" + Long.toUnsignedString(account.userData64())
            + ", userData32=" + Integer.toUnsignedString(account.userData32())
            + ", timestamp=" + Long.toUnsignedString(account.timestamp()) + ", metadata=" + metadata + "]";
    }
}
