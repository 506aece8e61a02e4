package com.fanzfinance.payouts.ach;

import java.util.Set;

/**
 * The NACHA transaction codes this package knows, and whether each is a credit or a debit.
 *
 * <p>Credit or debit follows moov-io/ach's {@code EntryDetail.CreditOrDebit}: the second digit 1–4
 * is a credit, 5–9 a debit. So the return/NOC codes 21, 31, 41, 51 count as credits and 26, 36, 46,
 * 56 (and the loan debit 55) as debits.
 */
final class TransactionCodes {

    private static final Set<Integer> KNOWN = Set.of(
            21, 22, 23, 24, 26, 27, 28, 29,
            31, 32, 33, 34, 36, 37, 38, 39,
            41, 42, 43, 44, 46, 47, 48, 49,
            51, 52, 53, 54, 55, 56);
    private static final Set<Integer> ZERO_AMOUNT_ONLY = Set.of(
            23, 24, 28, 29, 33, 34, 38, 39, 43, 44, 48, 49, 53, 54);

    private TransactionCodes() {
    }

    static boolean isKnown(int transactionCode) {
        return KNOWN.contains(transactionCode);
    }

    static boolean isDebit(int transactionCode) {
        return transactionCode % 10 >= 5;
    }

    /** Prenotes and zero-dollar remittance codes: the amount must be 0. */
    static boolean requiresZeroAmount(int transactionCode) {
        return ZERO_AMOUNT_ONLY.contains(transactionCode);
    }
}
