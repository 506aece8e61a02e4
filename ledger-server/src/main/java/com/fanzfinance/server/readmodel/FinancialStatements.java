package com.fanzfinance.server.readmodel;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The income statement and the balance sheet, computed from account balances in the read model and
 * classified by the chart of accounts. Amounts are sums of minor units ({@link BigInteger}: a sum of
 * many 64-bit balances can pass 2^63) signed the way the section reads: assets and expenses by debits
 * minus credits, liabilities, equity and revenue by credits minus debits.
 */
public final class FinancialStatements {
    private FinancialStatements() {
    }

    /** One chart range's total within a section. */
    public record Line(ChartOfAccounts.CodeRange range, BigInteger amount) {
    }

    /** One currency's part of a statement: lines per section, in code order, and the section totals. */
    public record CurrencySection(ChartOfAccounts.Currency currency, Map<AccountType, List<Line>> lines,
                                  Map<AccountType, BigInteger> totals) {
        public BigInteger total(AccountType type) {
            return totals.getOrDefault(type, BigInteger.ZERO);
        }

        /** Revenue minus expenses. */
        public BigInteger netIncome() {
            return total(AccountType.REVENUE).subtract(total(AccountType.EXPENSE));
        }

        /**
         * Assets equal liabilities plus equity plus earnings to date, for the whole ledger (unclassified
         * accounts count on the debit side, so they must be zero for this to hold).
         */
        public boolean balances() {
            return total(AccountType.ASSET).add(total(AccountType.UNCLASSIFIED))
                .equals(total(AccountType.LIABILITY).add(total(AccountType.EQUITY)).add(netIncome()));
        }
    }

    /** Sums accounts' posted balances (or their changes) into sections, per currency. */
    public static final class Accumulator {
        private final ChartOfAccounts chart;
        private final Map<Integer, Map<ChartOfAccounts.CodeRange, BigInteger>> byLedger = new TreeMap<>();

        public Accumulator(ChartOfAccounts chart) {
            this.chart = chart;
        }

        /** Adds {@code postedNet} (debits minus credits, or its change over a period) of an account. */
        public void add(int ledger, int code, long postedNet) {
            ChartOfAccounts.CodeRange range = chart.rangeOf(code);
            BigInteger signed = BigInteger.valueOf(range.type().isDebitNormal() ? postedNet : -postedNet);
            byLedger.computeIfAbsent(ledger, l -> new TreeMap<>(
                    java.util.Comparator.comparingInt(ChartOfAccounts.CodeRange::from)))
                .merge(range, signed, BigInteger::add);
        }

        /** The sections, one per currency in ledger order, keeping only {@code types}. */
        public List<CurrencySection> sections(java.util.Set<AccountType> types) {
            List<CurrencySection> result = new ArrayList<>();
            for (Map.Entry<Integer, Map<ChartOfAccounts.CodeRange, BigInteger>> ledger : byLedger.entrySet()) {
                Map<AccountType, List<Line>> lines = new EnumMap<>(AccountType.class);
                Map<AccountType, BigInteger> totals = new EnumMap<>(AccountType.class);
                for (Map.Entry<ChartOfAccounts.CodeRange, BigInteger> range : ledger.getValue().entrySet()) {
                    AccountType type = range.getKey().type();
                    totals.merge(type, range.getValue(), BigInteger::add);
                    if (types.contains(type) && range.getValue().signum() != 0) {
                        lines.computeIfAbsent(type, t -> new ArrayList<>()).add(new Line(range.getKey(), range.getValue()));
                    }
                }
                result.add(new CurrencySection(chart.currencyOf(ledger.getKey()), lines, totals));
            }
            return result;
        }
    }

    /** Revenue and expenses between two points: the change of each account's posted balance. */
    public static List<CurrencySection> incomeStatement(ReadModelQueries queries, ChartOfAccounts chart,
                                                        ReadModelQueries.Scope scope, long from, long to) {
        Accumulator accumulator = new Accumulator(chart);
        // Closing minus opening: opening is the balance before `from`, closing the balance before `to`.
        queries.balancesAt(scope, to - 1, row -> {
            if (isIncome(chart, row.account().code())) {
                accumulator.add(row.account().ledger(), row.account().code(), row.balances().postedNet());
            }
        });
        if (from > 0) {
            queries.balancesAt(scope, from - 1, row -> {
                if (isIncome(chart, row.account().code())) {
                    accumulator.add(row.account().ledger(), row.account().code(), -row.balances().postedNet());
                }
            });
        }
        return accumulator.sections(java.util.EnumSet.of(AccountType.REVENUE, AccountType.EXPENSE));
    }

    /** Assets, liabilities and equity at a point, with earnings to date. */
    public static List<CurrencySection> balanceSheet(ReadModelQueries queries, ChartOfAccounts chart,
                                                     ReadModelQueries.Scope scope, long at) {
        Accumulator accumulator = new Accumulator(chart);
        queries.balancesAt(scope, at, row ->
            accumulator.add(row.account().ledger(), row.account().code(), row.balances().postedNet()));
        return accumulator.sections(java.util.EnumSet.allOf(AccountType.class));
    }

    private static boolean isIncome(ChartOfAccounts chart, int code) {
        AccountType type = chart.rangeOf(code).type();
        return type == AccountType.REVENUE || type == AccountType.EXPENSE;
    }
}
