package com.fanzfinance.server.payments.posting;

import java.util.Objects;
import java.util.UUID;

/** An open reserve hold: a pending transfer creator_payable → creator_reserve not yet voided or expired. */
public record Hold(UUID id, long amount) {
    public Hold {
        Objects.requireNonNull(id, "id");
        if (amount <= 0) {
            throw new IllegalArgumentException("a hold's amount is positive, was " + amount);
        }
    }
}
