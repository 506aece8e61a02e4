package com.fanzfinance.benchmarks.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Transfer;

/**
 * Re-reads the run through the API and holds it against the workload: every account's four balances
 * against the generator's own {@link BalanceFold}; every transfer, listed page by page (8,189 a page) as a
 * debit of its debit account, present exactly once with the right accounts, amount, flags, ledger, code
 * and user data; and Σ debits = Σ credits, posted and pending. Listing by account rather than one lookup
 * per transfer reads each transfer once with about one request per 8,189 transfers. The accounts are
 * split into {@link #THREADS} ranges read in parallel.
 */
final class LedgerValidation {
    static final int THREADS = 4;

    private final Workload workload;
    private final BalanceFold fold;
    private final LedgerClient client;
    private final ValidationReport report;

    LedgerValidation(Workload workload, BalanceFold fold, LedgerClient client, ValidationReport report) {
        this.workload = workload;
        this.fold = fold;
        this.client = client;
        this.report = report;
    }

    void run() throws InterruptedException, ExecutionException {
        if (workload.transferCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("validation covers at most " + Integer.MAX_VALUE + " transfers");
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<RangeResult>> futures = new ArrayList<>();
            int rangeSize = (workload.accountCount() + THREADS - 1) / THREADS;
            for (int from = 0; from < workload.accountCount(); from += rangeSize) {
                int start = from;
                int end = Math.min(workload.accountCount(), from + rangeSize);
                futures.add(pool.submit(() -> checkRange(start, end)));
            }
            RangeResult total = new RangeResult((int) workload.transferCount());
            for (Future<RangeResult> future : futures) {
                total.add(future.get(), report);
            }
            conclude(total);
        } finally {
            pool.shutdownNow();
        }
    }

    private RangeResult checkRange(int fromAccount, int toAccount) {
        RangeResult result = new RangeResult((int) workload.transferCount());
        for (int i = fromAccount; i < toAccount; i++) {
            checkAccount(i, result);
            int debitAccount = i;
            AccountFilter debits = AccountFilter.of(workload.accountId(i), AccountFilter.LIMIT_MAX)
                .withDirections(true, false);
            client.allAccountTransfers(debits).forEach(transfer -> checkTransfer(debitAccount, transfer, result.seen));
        }
        return result;
    }

    private void checkAccount(int i, RangeResult result) {
        Optional<Account> found = client.lookupAccount(workload.accountId(i));
        if (found.isEmpty()) {
            report.problem("account " + i + " (" + workload.accountId(i) + ") is missing");
            return;
        }
        Account account = found.get();
        compare(i, "debits_posted", fold.debitsPosted[i], account.debitsPosted());
        compare(i, "credits_posted", fold.creditsPosted[i], account.creditsPosted());
        compare(i, "debits_pending", fold.debitsPending[i], account.debitsPending());
        compare(i, "credits_pending", fold.creditsPending[i], account.creditsPending());
        result.debitsPosted = Math.addExact(result.debitsPosted, account.debitsPosted());
        result.creditsPosted = Math.addExact(result.creditsPosted, account.creditsPosted());
        result.debitsPending = Math.addExact(result.debitsPending, account.debitsPending());
        result.creditsPending = Math.addExact(result.creditsPending, account.creditsPending());
        result.accounts++;
    }

    private void compare(int accountIndex, String field, long expected, long actual) {
        if (expected != actual) {
            report.problem("account " + accountIndex + " " + field + " is " + actual + ", the generator's fold says "
                + expected);
        }
    }

    private void checkTransfer(int debitAccount, Transfer actual, BitSet seen) {
        long index = workload.transferIndexOf(actual.id());
        if (index < 0) {
            report.problem("account " + debitAccount + " has transfer " + actual.id() + ", which the workload never sent");
            return;
        }
        if (seen.get((int) index)) {
            report.problem("transfer " + index + " is listed twice");
            return;
        }
        seen.set((int) index);
        Transfer expected = workload.transfer(index);
        if (!expected.debitAccountId().equals(actual.debitAccountId())
            || !expected.creditAccountId().equals(actual.creditAccountId())
            || expected.amount() != actual.amount() || expected.flags() != actual.flags()
            || expected.ledger() != actual.ledger() || expected.code() != actual.code()
            || !expected.userData128().equals(actual.userData128()) || expected.userData64() != actual.userData64()
            || expected.userData32() != actual.userData32()) {
            report.problem("transfer " + index + " is recorded as " + actual + ", expected " + expected);
        }
    }

    private void conclude(RangeResult total) {
        report.accountsChecked(total.accounts);
        if (total.debitsPosted != total.creditsPosted) {
            report.problem("Σ debits_posted " + total.debitsPosted + " ≠ Σ credits_posted " + total.creditsPosted);
        }
        if (total.debitsPending != total.creditsPending) {
            report.problem("Σ debits_pending " + total.debitsPending + " ≠ Σ credits_pending " + total.creditsPending);
        }
        long missing = workload.transferCount() - total.seen.cardinality();
        if (missing > 0) {
            report.problem(missing + " transfers are missing, the first is transfer " + total.seen.nextClearBit(0));
        }
        report.transfersChecked(total.seen.cardinality());
    }

    /** What one range of accounts showed: its balance sums and the transfers listed under it. */
    private static final class RangeResult {
        final BitSet seen;
        long debitsPosted;
        long creditsPosted;
        long debitsPending;
        long creditsPending;
        long accounts;

        RangeResult(int transferCount) {
            seen = new BitSet(transferCount);
        }

        void add(RangeResult other, ValidationReport report) {
            BitSet twice = (BitSet) seen.clone();
            twice.and(other.seen);
            if (!twice.isEmpty()) {
                report.problem(twice.cardinality() + " transfers are listed under two accounts, the first is transfer "
                    + twice.nextSetBit(0));
            }
            seen.or(other.seen);
            debitsPosted = Math.addExact(debitsPosted, other.debitsPosted);
            creditsPosted = Math.addExact(creditsPosted, other.creditsPosted);
            debitsPending = Math.addExact(debitsPending, other.debitsPending);
            creditsPending = Math.addExact(creditsPending, other.creditsPending);
            accounts += other.accounts;
        }
    }
}
