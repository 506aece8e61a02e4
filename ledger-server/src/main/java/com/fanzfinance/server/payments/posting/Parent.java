package com.fanzfinance.server.payments.posting;

import java.util.Objects;

/**
 * The sale or rebill a reversal reverses: its gross (reversals never exceed it), the shares it was split
 * at (reversals use them, not today's), and its posted plan (a void mirrors every leg of it; optional for
 * the other reversals).
 */
public record Parent(long gross, Shares shares, PostingPlan plan) {
    public Parent {
        Objects.requireNonNull(shares, "shares");
        if (gross <= 0) {
            throw new IllegalArgumentException("a parent's gross is positive, was " + gross);
        }
    }
}
