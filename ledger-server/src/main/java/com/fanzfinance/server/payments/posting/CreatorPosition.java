package com.fanzfinance.server.payments.posting;

import java.util.List;
import java.util.Objects;

/**
 * What the planner needs to know of the ledger to plan an event that touches a creator (read by
 * {@link PositionReader}, in the event's currency ledger):
 *
 * @param payableAvailable         creator_payable credits_posted − debits_posted − debits_pending
 * @param receivableDebitBalance   creator_receivable debits_posted − credits_posted, if positive (what the
 *                                 creator owes after an earlier shortfall), else 0
 * @param referralPayableAvailable referral_payable of the event's referrer, as payableAvailable (0 without one)
 * @param openHolds                the creator's open reserve holds, newest first
 */
public record CreatorPosition(long payableAvailable, long receivableDebitBalance, long referralPayableAvailable,
                              List<Hold> openHolds) {
    /** A creator with nothing in the ledger yet. */
    public static final CreatorPosition EMPTY = new CreatorPosition(0, 0, 0, List.of());

    public CreatorPosition {
        openHolds = List.copyOf(Objects.requireNonNull(openHolds, "openHolds"));
        if (payableAvailable < 0 || receivableDebitBalance < 0 || referralPayableAvailable < 0) {
            throw new IllegalArgumentException("balances in a position are not negative");
        }
    }
}
