package com.fanzfinance.gateway;

import java.util.Objects;

/** The outcome of {@link ProcessorDriver#normalise}. */
public sealed interface Normalised {

    /** A notification of a known kind (money-moving or not). */
    record Notice(PaymentNotice notice) implements Normalised {
        public Notice {
            Objects.requireNonNull(notice, "notice");
        }
    }

    /**
     * A notification the ledger does not track: an unknown type, a test ping. {@code dedupeKey} is the
     * processor's identity of it when known, else {@code null}.
     */
    record Ignored(String processorEventType, String reason, String dedupeKey) implements Normalised {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Verified but unreadable: a required field missing or unparseable. The reason names the field. */
    record Malformed(String reason) implements Normalised {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
