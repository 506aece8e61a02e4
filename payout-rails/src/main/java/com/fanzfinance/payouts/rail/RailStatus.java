package com.fanzfinance.payouts.rail;

/** Where a payout stands at its rail after a {@link PayoutRail#advance} call. */
public enum RailStatus {
    /** Nothing that can move money has reached the rail yet (a quote or a recipient may have been made); call again. */
    PREPARING,
    /** The rail accepted the payout; the money is on its way (not final: call again to learn the outcome). */
    SUBMITTED,
    /**
     * A request was sent and its answer is unknown (timeout, broken connection, an answer that cannot be read). Call
     * again: the driver finds out what happened before it sends anything again.
     */
    UNKNOWN,
    /** The money reached the payee (for a chain: with the configured confirmations). */
    SETTLED,
    /** The rail refused or gave up, and no money left: the server releases the hold. */
    FAILED,
    /** The money left and came back (bounced, refunded). */
    RETURNED;

    /** Whether the server stops calling {@link PayoutRail#advance} (a later webhook may still return a settled payout). */
    public boolean isFinal() {
        return this == SETTLED || this == FAILED || this == RETURNED;
    }
}
