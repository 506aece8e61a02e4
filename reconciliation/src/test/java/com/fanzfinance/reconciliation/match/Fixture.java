package com.fanzfinance.reconciliation.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds small statements and ledgers and records a matcher run as readable strings. */
final class Fixture {

    static final int DAY = 19_000;

    final StatementLines lines = new StatementLines(10_000);
    final LedgerItems items = new LedgerItems(4);
    private long nextLine = 1;
    private long nextId = 1;

    /** A sale line in USD on {@link #DAY} without fee or group. */
    Fixture line(String reference, long amount) {
        return line(reference, "sale", amount, 0, "USD", DAY, "");
    }

    Fixture line(String reference, String type, long amount, long fee, String currency, int day, String group) {
        lines.line(nextLine++, reference, type, amount, fee, currency, day, group, "line " + (nextLine - 1));
        return this;
    }

    /** A USD item on {@link #DAY} without fee or group. */
    Fixture item(long amount, String... keys) {
        return item(amount, 0, "USD", DAY, "", keys);
    }

    Fixture item(long amount, long fee, String currency, int day, String group, String... keys) {
        items.add(new UUID(0, nextId++), amount, fee, currency, day, group, keys);
        return this;
    }

    List<String> run(Tolerances tolerances, String... excludedTypes) {
        Recorder r = new Recorder();
        new Matcher(tolerances, Set.of(excludedTypes)).run(lines, items, r);
        return r.calls;
    }

    List<String> run() {
        return run(Tolerances.EXACT);
    }

    /** Each call as one string: {@code matched one_to_one L[0] I[1]}, {@code line 2 ambiguous}, {@code item 3}. */
    static final class Recorder implements MatchSink {
        final List<String> calls = new ArrayList<>();
        final List<Call> structured = new ArrayList<>();

        @Override
        public void matched(Rule rule, int[] lines, int[] items) {
            calls.add("matched " + rule.wireName() + " L" + Arrays.toString(lines) + " I" + Arrays.toString(items));
            structured.add(new Call(Kind.MATCHED, rule, lines, items, null, null, null));
        }

        @Override
        public void differing(Rule rule, int[] lines, int[] items, long statementAmount, long statementFee,
                              long ledgerAmount, long ledgerFee, Set<Field> fields) {
            calls.add("differing " + rule.wireName() + " L" + Arrays.toString(lines) + " I" + Arrays.toString(items)
                + " " + statementAmount + "/" + statementFee + " vs " + ledgerAmount + "/" + ledgerFee + " "
                + new TreeSet<>(fields).stream().map(Field::wireName).collect(Collectors.joining(",")));
            structured.add(new Call(Kind.DIFFERING, rule, lines, items, null,
                new long[] {statementAmount, statementFee, ledgerAmount, ledgerFee}, Set.copyOf(fields)));
        }

        @Override
        public void unmatchedStatement(int line, Reason reason) {
            calls.add("line " + line + " " + reason.wireName());
            structured.add(new Call(Kind.LINE, null, new int[] {line}, new int[0], reason, null, null));
        }

        @Override
        public void unmatchedLedger(int item) {
            calls.add("item " + item);
            structured.add(new Call(Kind.ITEM, null, new int[0], new int[] {item}, null, null, null));
        }
    }

    enum Kind { MATCHED, DIFFERING, LINE, ITEM }

    record Call(Kind kind, Rule rule, int[] lines, int[] items, Reason reason, long[] sums, Set<Field> fields) {
    }
}
