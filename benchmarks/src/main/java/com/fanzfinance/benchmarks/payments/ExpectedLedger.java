package com.fanzfinance.benchmarks.payments;

/**
 * The balances ({@code credits_posted − debits_posted}) a workload must leave in the ledger, folded from the
 * workload with the contract's arithmetic (PAYMENTS-API §5) and not with the server's planner: a sale of G
 * with processing fee F = rhe(G·percent) + fixed and platform share P = rhe(G·platform) credits the creator
 * G − P, platform_fees P, debits processor_fees F and moves processor_receivable by F − G; a refund of A
 * takes back A − rhe(A·platform) from the creator and rhe(A·platform) from platform_fees, books the refund
 * fee to processor_fees and moves processor_receivable by A + refund fee. Duplicates move nothing.
 */
final class ExpectedLedger {
    private static final int WHOLE_BP = 10_000;

    final long[] creatorPayable;
    long platformFees;
    long processorFees;
    long processorReceivable;

    private ExpectedLedger(int creators) {
        this.creatorPayable = new long[creators];
    }

    /** The fees the benchmark's merchant account is created with, minor units and basis points. */
    record Fees(int percentBp, long fixed, long refund) {
    }

    static ExpectedLedger of(IntakeWorkload workload, int platformBp, Fees fees) {
        ExpectedLedger ledger = new ExpectedLedger(workload.creators());
        for (int i = 0; i < workload.size(); i++) {
            IntakeWorkload.Delivery delivery = workload.delivery(i);
            int creator = workload.creatorOf(delivery.sale());
            switch (delivery.kind()) {
                case SALE -> {
                    long gross = workload.grossOf(delivery.sale());
                    long platform = share(gross, platformBp);
                    long fee = share(gross, fees.percentBp()) + fees.fixed();
                    ledger.creatorPayable[creator] += gross - platform;
                    ledger.platformFees += platform;
                    ledger.processorFees -= fee;
                    ledger.processorReceivable += fee - gross;
                }
                case REFUND -> {
                    long amount = delivery.amount();
                    long platform = share(amount, platformBp);
                    ledger.creatorPayable[creator] -= amount - platform;
                    ledger.platformFees -= platform;
                    ledger.processorFees -= fees.refund();
                    ledger.processorReceivable += amount + fees.refund();
                }
                case DUPLICATE -> { }
                default -> throw new IllegalStateException("unknown kind " + delivery.kind());
            }
        }
        return ledger;
    }

    /** {@code amount × bp / 10000} rounded half to even; amounts here stay far below overflow. */
    static long share(long amount, int bp) {
        long product = Math.multiplyExact(amount, bp);
        long quotient = product / WHOLE_BP;
        long twiceRemainder = 2 * (product % WHOLE_BP);
        boolean up = twiceRemainder > WHOLE_BP || twiceRemainder == WHOLE_BP && (quotient & 1) == 1;
        return up ? quotient + 1 : quotient;
    }
}
