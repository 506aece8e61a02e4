package com.fanzfinance.server.payments.events;

import java.util.Set;

/**
 * The event types of PAYMENTS-API §9. Types travel as free strings (they name NATS subjects and filter the
 * feed), so they are checked against this list where they enter: at append, and in a reader's filter.
 */
public final class EventTypes {
    public static final String PAYMENT_EVENT_POSTED = "payment_event.posted";
    public static final String PAYMENT_EVENT_REVERSED = "payment_event.reversed";
    public static final String PAYMENT_EVENT_PARKED = "payment_event.parked";
    public static final String PAYMENT_EVENT_REJECTED = "payment_event.rejected";
    public static final String PAYMENT_EVENT_FAILED = "payment_event.failed";
    public static final String CHECKOUT_PAID = "checkout.paid";
    public static final String CHECKOUT_EXPIRED = "checkout.expired";
    /** Added to the contract's list: a failure notification named an open checkout (the fan was declined). */
    public static final String CHECKOUT_DECLINED = "checkout.declined";
    public static final String PAYOUT_HELD = "payout.held";
    public static final String PAYOUT_SUBMITTED = "payout.submitted";
    public static final String PAYOUT_SETTLED = "payout.settled";
    public static final String PAYOUT_FAILED = "payout.failed";
    public static final String PAYOUT_RETURNED = "payout.returned";
    public static final String PAYOUT_CANCELLED = "payout.cancelled";
    public static final String PAYOUT_BATCH_GENERATED = "payout_batch.generated";
    public static final String RECONCILIATION_COMPLETED = "reconciliation.completed";
    public static final String MERCHANT_ACCOUNT_THRESHOLD_EXCEEDED = "merchant_account.threshold_exceeded";
    /** A balance check found the ledger and a processor or bank apart (added beside the contract's types). */
    public static final String RECONCILIATION_DISCREPANCY = "reconciliation.discrepancy";

    /** Every type, in the order the contract lists them. */
    public static final Set<String> ALL = Set.of(PAYMENT_EVENT_POSTED, PAYMENT_EVENT_REVERSED, PAYMENT_EVENT_PARKED,
        PAYMENT_EVENT_REJECTED, PAYMENT_EVENT_FAILED, CHECKOUT_PAID, CHECKOUT_EXPIRED, PAYOUT_HELD, PAYOUT_SUBMITTED,
        PAYOUT_SETTLED, PAYOUT_FAILED, PAYOUT_RETURNED, PAYOUT_CANCELLED, PAYOUT_BATCH_GENERATED,
        RECONCILIATION_COMPLETED, MERCHANT_ACCOUNT_THRESHOLD_EXCEEDED, CHECKOUT_DECLINED, RECONCILIATION_DISCREPANCY);

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return type != null && ALL.contains(type);
    }

    /** The type itself, or {@link IllegalArgumentException} naming it when the contract does not list it. */
    public static String require(String type) {
        if (!isKnown(type)) {
            throw new IllegalArgumentException("unknown event type: " + type);
        }
        return type;
    }
}
