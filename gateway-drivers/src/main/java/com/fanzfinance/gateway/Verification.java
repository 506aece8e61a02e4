package com.fanzfinance.gateway;

import java.util.Objects;

/** Whether a notification is authentic for a merchant account. */
public sealed interface Verification {

    /** Which secret proved it. */
    enum With {
        /** The account's current secret. */
        CURRENT,
        /** The secret replaced by the last rotation, still within its grace period. */
        PREVIOUS,
        /** Nothing to check beyond the source address (the processor signs nothing this time). */
        SOURCE_ONLY;

        /** The name in the payment event's {@code verified_with}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Verified(With with) implements Verification {
        public Verified {
            Objects.requireNonNull(with, "with");
        }
    }

    /**
     * Not authentic: bad or missing signature, digest or credentials, or an account id other than the
     * account's ({@code reason} {@code account-mismatch}). The reason never holds a secret.
     */
    record Unauthenticated(String reason) implements Verification {
        public Unauthenticated {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Verified current() {
        return new Verified(With.CURRENT);
    }

    static Verified previous() {
        return new Verified(With.PREVIOUS);
    }

    static Verified sourceOnly() {
        return new Verified(With.SOURCE_ONLY);
    }

    static Unauthenticated unauthenticated(String reason) {
        return new Unauthenticated(reason);
    }

    static Unauthenticated accountMismatch() {
        return new Unauthenticated("account-mismatch");
    }
}
