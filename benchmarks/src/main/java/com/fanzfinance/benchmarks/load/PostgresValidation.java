package com.fanzfinance.benchmarks.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.UUID;

/**
 * Holds the baseline's tables against the workload: every account's balances against the generator's
 * {@link BalanceFold}, every transfer's two postings present exactly once with the right account, amount
 * and pending flag, and Σ debits = Σ credits over the accounts and over the postings.
 */
final class PostgresValidation {
    private static final int FETCH_SIZE = 10_000;

    private final Workload workload;
    private final BalanceFold fold;
    private final Connection connection;
    private final String schema;
    private final ValidationReport report;

    PostgresValidation(Workload workload, BalanceFold fold, Connection connection, String schema,
                       ValidationReport report) {
        this.workload = workload;
        this.fold = fold;
        this.connection = connection;
        this.schema = schema;
        this.report = report;
    }

    void run() throws SQLException {
        checkAccounts();
        checkPostings();
        connection.commit();
    }

    private void checkAccounts() throws SQLException {
        BitSet seen = new BitSet(workload.accountCount());
        long[] totals = new long[4];
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
            "SELECT id, debits_pending, debits_posted, credits_pending, credits_posted FROM " + schema + ".accounts")) {
            while (rows.next()) {
                int index = workload.accountIndexOf(PostgresBaselineTarget.uint128((UUID) rows.getObject(1)));
                if (index < 0 || seen.get(index)) {
                    report.problem("unexpected account row " + rows.getObject(1));
                    continue;
                }
                seen.set(index);
                long[] actual = {rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)};
                long[] expected = {fold.debitsPending[index], fold.debitsPosted[index], fold.creditsPending[index],
                    fold.creditsPosted[index]};
                for (int field = 0; field < 4; field++) {
                    totals[field] = Math.addExact(totals[field], actual[field]);
                    if (actual[field] != expected[field]) {
                        report.problem("account " + index + " balance " + field + " (debits_pending, debits_posted,"
                            + " credits_pending, credits_posted) is " + actual[field] + ", the fold says " + expected[field]);
                    }
                }
            }
        }
        if (seen.cardinality() != workload.accountCount()) {
            report.problem((workload.accountCount() - seen.cardinality()) + " accounts are missing");
        }
        if (totals[0] != totals[2] || totals[1] != totals[3]) {
            report.problem("Σ debits ≠ Σ credits over the accounts: pending " + totals[0] + " vs " + totals[2]
                + ", posted " + totals[1] + " vs " + totals[3]);
        }
        report.accountsChecked(seen.cardinality());
    }

    private void checkPostings() throws SQLException {
        int transferCount = (int) workload.transferCount();
        BitSet debits = new BitSet(transferCount);
        BitSet credits = new BitSet(transferCount);
        long debitTotal = 0;
        long creditTotal = 0;
        IndexRandom random = workload.newRandom();
        TransferDraw draw = new TransferDraw();
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery("SELECT transfer_id, account_id, side, amount, pending FROM "
                + schema + ".postings")) {
                while (rows.next()) {
                    long index = workload.transferIndexOf(PostgresBaselineTarget.uint128((UUID) rows.getObject(1)));
                    boolean debit = "D".equals(rows.getString(3));
                    BitSet seen = debit ? debits : credits;
                    if (index < 0 || seen.get((int) index)) {
                        report.problem("unexpected posting of transfer " + rows.getObject(1));
                        continue;
                    }
                    seen.set((int) index);
                    workload.draw(index, random, draw);
                    int account = workload.accountIndexOf(PostgresBaselineTarget.uint128((UUID) rows.getObject(2)));
                    long amount = rows.getLong(4);
                    if (account != (debit ? draw.debitAccount : draw.creditAccount) || amount != draw.amount
                        || rows.getBoolean(5) != draw.pending) {
                        report.problem("posting " + rows.getString(3) + " of transfer " + index + " is account " + account
                            + " amount " + amount + ", expected account "
                            + (debit ? draw.debitAccount : draw.creditAccount) + " amount " + draw.amount);
                    }
                    if (debit) {
                        debitTotal = Math.addExact(debitTotal, amount);
                    } else {
                        creditTotal = Math.addExact(creditTotal, amount);
                    }
                }
            }
        }
        requireAll(debits, "debit");
        requireAll(credits, "credit");
        if (debitTotal != creditTotal) {
            report.problem("Σ debit postings " + debitTotal + " ≠ Σ credit postings " + creditTotal);
        }
        BitSet both = (BitSet) debits.clone();
        both.and(credits);
        report.transfersChecked(both.cardinality());
    }

    private void requireAll(BitSet seen, String side) {
        long missing = workload.transferCount() - seen.cardinality();
        if (missing > 0) {
            report.problem(missing + " " + side + " postings are missing, the first of transfer " + seen.nextClearBit(0));
        }
    }
}
