package com.fanzfinance.server.payments.posting;

/**
 * A merchant account's processor fees (PAYMENTS-API §1 {@code fees}), in the event currency's minor units:
 * per money event F = rhe(G · percentBp) + fixed; a flat {@code chargeback} fee on chargebacks and a flat
 * {@code refund} fee on refunds.
 */
public record Fees(int percentBp, long fixed, long chargeback, long refund) {
    public static final Fees NONE = new Fees(0, 0, 0, 0);

    public Fees {
        BasisPoints.requireBp("percentBp", percentBp);
        if (fixed < 0 || chargeback < 0 || refund < 0) {
            throw new IllegalArgumentException("fees must not be negative");
        }
    }

    /** F = rhe(G · percentBp) + fixed. */
    public long processing(long gross) {
        return Math.addExact(BasisPoints.rhe(gross, percentBp), fixed);
    }
}
