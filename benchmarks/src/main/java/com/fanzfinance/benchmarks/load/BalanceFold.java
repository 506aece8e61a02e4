package com.fanzfinance.benchmarks.load;

/**
 * The generator's own account balances: every transfer of the workload folded into four primitive
 * arrays, the reference the validation holds the target's balances against.
 */
final class BalanceFold {
    final long[] debitsPending;
    final long[] debitsPosted;
    final long[] creditsPending;
    final long[] creditsPosted;

    private BalanceFold(int accountCount) {
        debitsPending = new long[accountCount];
        debitsPosted = new long[accountCount];
        creditsPending = new long[accountCount];
        creditsPosted = new long[accountCount];
    }

    static BalanceFold of(Workload workload) {
        BalanceFold fold = new BalanceFold(workload.accountCount());
        IndexRandom random = workload.newRandom();
        TransferDraw draw = new TransferDraw();
        for (long i = 0; i < workload.transferCount(); i++) {
            workload.draw(i, random, draw);
            if (draw.pending) {
                fold.debitsPending[draw.debitAccount] = Math.addExact(fold.debitsPending[draw.debitAccount], draw.amount);
                fold.creditsPending[draw.creditAccount] = Math.addExact(fold.creditsPending[draw.creditAccount], draw.amount);
            } else {
                fold.debitsPosted[draw.debitAccount] = Math.addExact(fold.debitsPosted[draw.debitAccount], draw.amount);
                fold.creditsPosted[draw.creditAccount] = Math.addExact(fold.creditsPosted[draw.creditAccount], draw.amount);
            }
        }
        return fold;
    }
}
