package com.fanzfinance.benchmarks.load;

/**
 * The varying fields of one generated transfer, filled in place by {@link Workload#draw} so that folding
 * and SQL binding allocate nothing. Mutable; one per thread.
 */
final class TransferDraw {
    long number;
    int debitAccount;
    int creditAccount;
    long amount;
    boolean pending;
    long userData128High;
    long userData128Low;
    long userData64;
    int userData32;
    int code;
}
