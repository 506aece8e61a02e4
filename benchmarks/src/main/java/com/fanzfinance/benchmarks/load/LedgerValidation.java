package com.fanzfinance.benchmarks.load;

import java.util.BitSet;
import java.util.Optional;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Transfer;

/**
 * Re-reads the run through the API and holds it against the workload: every account's four balances
 * against the generator's own {@link BalanceFold}; every transfer, listed page by page (8,189 a page) as a
 * debit of its debit account, present exactly once with the right accounts, amount, flags, ledger, code
 * and user data; and Σ debits = Σ credits, posted and pending. Listing by account rather than one lookup
 * per transfer reads each transfer once with about one request per 8,189 transfers.
 */
final class LedgerValidation {
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

    void run() {
        checkAccounts();
        checkTransfers();
    }

    private void checkAccounts() {
        long debitsPosted = 0;
        long creditsPosted = 0;
        long debitsPending = 0;
        long creditsPending = 0;
        for (int i = 0; i < workload.accountCount(); i++) {
            Optional<Account> found = client.lookupAccount(workload.accountId(i));
            if (found.isEmpty()) {
                report.problem("account " + i + " (" + workload.accountId(i) + ") is missing");
                continue;
            }
            Account account = found.get();
            compare(i, "debits_posted", fold.debitsPosted[i], account.debitsPosted());
            compare(i, "credits_posted", fold.creditsPosted[i], account.creditsPosted());
            compare(i, "debits_pending", fold.debitsPending[i], account.debitsPending());
            compare(i, "credits_pending", fold.creditsPending[i], account.creditsPending());
            debitsPosted = Math.addExact(debitsPosted, account.debitsPosted());
            creditsPosted = Math.addExact(creditsPosted, account.creditsPosted());
            debitsPending = Math.addExact(debitsPending, account.debitsPending());
            creditsPending = Math.addExact(creditsPending, account.creditsPending());
        }
        report.accountsChecked(workload.accountCount());
        if (debitsPosted != creditsPosted) {
            report.problem("Σ debits_posted " + debitsPosted + " ≠ Σ credits_posted " + creditsPosted);
        }
        if (debitsPending != creditsPending) {
            report.problem("Σ debits_pending " + debitsPending + " ≠ Σ credits_pending " + creditsPending);
        }
    }

    private void compare(int accountIndex, String field, long expected, long actual) {
        if (expected != actual) {
            report.problem("account " + accountIndex + " " + field + " is " + actual + ", the generator's fold says "
                + expected);
        }
    }

    private void checkTransfers() {
        if (workload.transferCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("validation covers at most " + Integer.MAX_VALUE + " transfers");
        }
        BitSet seen = new BitSet((int) workload.transferCount());
        for (int i = 0; i < workload.accountCount(); i++) {
            int debitAccount = i;
            AccountFilter debits = AccountFilter.of(workload.accountId(i), AccountFilter.LIMIT_MAX)
                .withDirections(true, false);
            client.allAccountTransfers(debits).forEach(transfer -> checkTransfer(debitAccount, transfer, seen));
        }
        long missing = workload.transferCount() - seen.cardinality();
        if (missing > 0) {
            report.problem(missing + " transfers are missing, the first is transfer " + seen.nextClearBit(0));
        }
        report.transfersChecked(seen.cardinality());
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
}
