package com.fanzfinance.server.payments.posting;

import java.util.Objects;
import java.util.UUID;

/**
 * What makes a payment event's postings exactly-once: the merchant account, the event's dedupe key (PAYMENTS-API
 * §4) and the plan version. Leg {@code leg} of the plan gets transfer id UUIDv5({@link #TRANSFER_NAMESPACE},
 * UTF-8 {@code "{merchantAccountId}/{dedupeKey}/{version}/{leg}"}), so re-posting a stored plan, replaying the
 * event or receiving the processor's retry names the same transfers and the ledger answers {@code exists}.
 *
 * <p>The ledger remembers a transfer id that failed for a reason that may pass (an account not found yet,
 * funds not there yet) and refuses it forever ({@code id_already_failed}); {@code version} is what a planner
 * bumps to post a fresh plan after such a refusal. Leg names and versions hold no {@code '/'}, so the name
 * reads unambiguously from the right whatever the dedupe key holds.
 */
public record EventIdentity(UUID merchantAccountId, String dedupeKey, int version) {
    /** UUIDv5(URL namespace, {@code https://fanzfinance/ns/payment-transfer}). */
    public static final UUID TRANSFER_NAMESPACE = UUID.fromString("5b23f087-921a-5d2e-9d55-0275a8c840c3");

    public EventIdentity {
        Objects.requireNonNull(merchantAccountId, "merchantAccountId");
        if (dedupeKey == null || dedupeKey.isEmpty()) {
            throw new IllegalArgumentException("a dedupe key is needed");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    /** The first plan of an event. */
    public static EventIdentity first(UUID merchantAccountId, String dedupeKey) {
        return new EventIdentity(merchantAccountId, dedupeKey, 1);
    }

    /** The same event's next plan version. */
    public EventIdentity nextVersion() {
        return new EventIdentity(merchantAccountId, dedupeKey, version + 1);
    }

    /** The transfer id of leg {@code leg} of this event's plan. */
    public UUID transferId(String leg) {
        if (leg == null || leg.isEmpty() || leg.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a leg name is non-empty and has no '/'");
        }
        return Uuid5.of(TRANSFER_NAMESPACE, merchantAccountId + "/" + dedupeKey + "/" + version + "/" + leg);
    }
}
