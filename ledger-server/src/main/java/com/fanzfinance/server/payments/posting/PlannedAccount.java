package com.fanzfinance.server.payments.posting;

import java.util.Objects;
import java.util.UUID;

import com.fanzfinance.ledger.command.Account;

/**
 * An account a posting plan needs, made on first use (PAYMENTS-API §5): one per (tenant, ledger, code,
 * party), its id derived from those by {@link PaymentAccounts#accountId}.
 */
public record PlannedAccount(UUID id, int ledger, int code, int flags, PaymentRole role, String party) {
    public PlannedAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(party, "party");
        if (ledger <= 0) {
            throw new IllegalArgumentException("ledger must be positive, was " + ledger);
        }
    }

    /** The ledger account to create for tenant number {@code tenantNumber}. */
    public Account toAccount(int tenantNumber) {
        return Account.of(Uuid5.toUint128(id), ledger, code).withFlags(flags).withTenant(tenantNumber);
    }
}
