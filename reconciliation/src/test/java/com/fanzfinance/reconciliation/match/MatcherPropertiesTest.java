package com.fanzfinance.reconciliation.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random small statements and ledgers with many collisions (references, amounts, dates, groups), built from a
 * seed so a failure names the data set that broke it.
 */
class MatcherPropertiesTest {

    private static final String[] LINE_REFERENCES = {"", "", "", "a", "A", " b ", "c", "d", "zz", "g1", "G2", "a|b",
        "b|C", "a|zz", "|a|", "c|d|a"};
    private static final String[] KEYS = {"a", "B", "c", "d", "e"};
    private static final String[] GROUPS = {"", "", "g1", "g2", "G2"};
    private static final long[] AMOUNTS = {100, 101, 200, 300, 301, -100, 0, 10_000, 10_050, 1L << 58, -(1L << 58)};
    private static final int[] BPS = {0, 1, 50, 100, 5_000, 9_999, 10_000};

    /** One random data set and the matcher's settings. */
    static final class Data {
        final StatementLines lines = new StatementLines(100, 1);
        final List<Object[]> itemRows = new ArrayList<>();
        final Tolerances tolerances;
        final Set<String> excluded = Set.of("fee");
        final StringBuilder text = new StringBuilder();

        Data(long seed, boolean distinctKeys) {
            this(seed, distinctKeys, 11, 11, AMOUNTS, 4);
        }

        /** Up to {@code maxLines - 1} lines and {@code maxItems - 1} items, amounts from {@code amounts}. */
        Data(long seed, boolean distinctKeys, int maxLines, int maxItems, long[] amounts, int dayRange) {
            Random r = new Random(seed);
            tolerances = new Tolerances(r.nextInt(4) == 0 ? r.nextInt(3) : 0, BPS[r.nextInt(BPS.length)], r.nextInt(3));
            text.append(tolerances).append('\n');
            int lineCount = r.nextInt(maxLines);
            for (int i = 0; i < lineCount; i++) {
                String ref = LINE_REFERENCES[r.nextInt(LINE_REFERENCES.length)];
                String type = r.nextInt(8) == 0 ? "fee" : "sale";
                long amount = amounts[r.nextInt(amounts.length)];
                long fee = r.nextInt(3);
                String currency = r.nextInt(6) == 0 ? "EUR" : "USD";
                int day = r.nextInt(dayRange);
                lines.line(i + 1, ref, type, amount, fee, currency, day, "", "");
                text.append("line ").append(i).append(' ').append(ref).append(' ').append(type).append(' ')
                    .append(amount).append('/').append(fee).append(' ').append(currency).append(' ').append(day).append('\n');
            }
            int itemCount = r.nextInt(maxItems);
            int nextKey = 0;
            for (int i = 0; i < itemCount; i++) {
                String[] keys;
                if (distinctKeys) {
                    keys = r.nextInt(3) == 0 ? new String[0] : new String[] {KEYS[nextKey++ % KEYS.length] + (nextKey / KEYS.length == 0 ? "" : "x" + nextKey)};
                } else {
                    keys = new String[r.nextInt(3)];
                    for (int k = 0; k < keys.length; k++) {
                        keys[k] = KEYS[r.nextInt(KEYS.length)];
                    }
                }
                long amount = amounts[r.nextInt(amounts.length)];
                long fee = r.nextInt(3);
                String currency = r.nextInt(6) == 0 ? "EUR" : "USD";
                int day = r.nextInt(dayRange);
                String group = GROUPS[r.nextInt(GROUPS.length)];
                itemRows.add(new Object[] {new UUID(seed, i), amount, fee, currency, day, group, keys});
                text.append("item ").append(i).append(' ').append(Arrays.toString(keys)).append(' ').append(amount)
                    .append('/').append(fee).append(' ').append(currency).append(' ').append(day).append(" g=")
                    .append(group).append('\n');
            }
        }

        LedgerItems items(List<Object[]> rows) {
            LedgerItems items = new LedgerItems(1);
            for (Object[] row : rows) {
                items.add((UUID) row[0], (long) row[1], (long) row[2], (String) row[3], (int) row[4], (String) row[5],
                    (String[]) row[6]);
            }
            return items;
        }

        Fixture.Recorder run(LedgerItems items) {
            Fixture.Recorder rec = new Fixture.Recorder();
            new Matcher(tolerances, excluded).run(lines, items, rec);
            return rec;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    @Property(tries = 1000)
    void everyLineAndItemIsReportedExactlyOnceInTheDocumentedOrder(@ForAll long seed) {
        Data d = new Data(seed, false);
        LedgerItems items = d.items(d.itemRows);
        Fixture.Recorder rec = d.run(items);
        int[] lineSeen = new int[d.lines.size()];
        int[] itemSeen = new int[items.size()];
        long previous = -1;
        for (Fixture.Call c : rec.structured) {
            for (int l : c.lines()) {
                lineSeen[l]++;
            }
            for (int it : c.items()) {
                itemSeen[it]++;
            }
            assertThat(c.lines()).as("%s", d).isSorted();
            assertThat(c.items()).as("%s", d).isSorted();
            long position = c.kind() == Fixture.Kind.ITEM
                ? 5L << 32 | c.items()[0]
                : (long) pass(d, items, c.lines()[0]) << 32 | c.lines()[0];
            assertThat(position).as("order\n%s", d).isGreaterThan(previous);
            previous = position;
        }
        assertThat(Arrays.stream(lineSeen).filter(x -> x != 1).count()).as("lines not seen once\n%s", d).isZero();
        assertThat(Arrays.stream(itemSeen).filter(x -> x != 1).count()).as("items not seen once\n%s", d).isZero();
    }

    @Property(tries = 1000)
    void pairsAreComparedByTheirSumsAndMatchedPairsAreWithinEveryTolerance(@ForAll long seed) {
        Data d = new Data(seed, false);
        LedgerItems items = d.items(d.itemRows);
        StatementLines lines = d.lines;
        Tolerances t = d.tolerances;
        for (Fixture.Call c : d.run(items).structured) {
            if (c.kind() != Fixture.Kind.MATCHED && c.kind() != Fixture.Kind.DIFFERING) {
                continue;
            }
            assertThat(c.lines()).isNotEmpty();
            assertThat(c.items()).isNotEmpty();
            switch (c.rule()) {
                case ONE_TO_ONE, AMOUNT_DATE -> assertThat(c.lines().length + c.items().length).isEqualTo(2);
                case MANY_TO_ONE -> assertThat(c.lines().length > 1 && c.items().length == 1).isTrue();
                case ONE_TO_MANY -> assertThat(c.lines()).hasSize(1);
            }
            BigInteger sa = BigInteger.ZERO;
            BigInteger sf = BigInteger.ZERO;
            BigInteger la = BigInteger.ZERO;
            BigInteger lf = BigInteger.ZERO;
            Set<String> currencies = new HashSet<>();
            int maxLineDay = Integer.MIN_VALUE;
            int maxItemDay = Integer.MIN_VALUE;
            for (int l : c.lines()) {
                assertThat(lines.type(l)).isNotEqualTo("fee");
                sa = sa.add(BigInteger.valueOf(lines.amount(l)));
                sf = sf.add(BigInteger.valueOf(lines.fee(l)));
                currencies.add(lines.currency(l));
                maxLineDay = Math.max(maxLineDay, lines.epochDay(l));
            }
            for (int it : c.items()) {
                la = la.add(BigInteger.valueOf(items.amount(it)));
                lf = lf.add(BigInteger.valueOf(items.fee(it)));
                currencies.add(items.currency(it));
                maxItemDay = Math.max(maxItemDay, items.epochDay(it));
            }
            Set<Field> expected = EnumSet.noneOf(Field.class);
            if (currencies.size() > 1) {
                expected.add(Field.CURRENCY);
            }
            if (!within(t, sa, la)) {
                expected.add(Field.AMOUNT);
            }
            if (!within(t, sf, lf)) {
                expected.add(Field.FEE);
            }
            if (Math.abs(maxLineDay - maxItemDay) > t.days()) {
                expected.add(Field.DATE);
            }
            if (c.kind() == Fixture.Kind.MATCHED) {
                assertThat(expected).as("%s", d).isEmpty();
            } else {
                assertThat(c.fields()).as("%s", d).isEqualTo(expected).isNotEmpty();
                if (sa.bitLength() < 64 && la.bitLength() < 64) {
                    assertThat(c.sums()[0]).isEqualTo(sa.longValueExact());
                    assertThat(c.sums()[2]).isEqualTo(la.longValueExact());
                }
                assertThat(c.sums()[1]).isEqualTo(sf.longValueExact());
                assertThat(c.sums()[3]).isEqualTo(lf.longValueExact());
            }
            if (c.rule() == Rule.AMOUNT_DATE) {
                assertThat(expected).as("%s", d).isSubsetOf(Field.FEE);
            }
        }
    }

    /** Rule 4 checked against brute force over the items no earlier rule took and no line named. */
    @Property(tries = 1000)
    void linesWithoutAReferenceGetTheVerdictOfABruteForceSearch(@ForAll long seed) {
        ruleFourAgainstBruteForce(new Data(seed, false));
    }

    /** The same with many items of few amounts, so that runs of equal amounts are searched by day. */
    @Property(tries = 300)
    void manyItemsOfFewAmountsGetTheVerdictOfABruteForceSearch(@ForAll long seed) {
        ruleFourAgainstBruteForce(new Data(seed, false, 40, 200, new long[] {100, 101, 150, 200, -100, 1L << 58},
            12));
    }

    private static void ruleFourAgainstBruteForce(Data d) {
        LedgerItems items = d.items(d.itemRows);
        StatementLines lines = d.lines;
        Tolerances t = d.tolerances;
        Fixture.Recorder rec = d.run(items);
        Set<Integer> free = new HashSet<>();
        String[] verdict = new String[lines.size()];
        for (Fixture.Call c : rec.structured) {
            if (c.kind() == Fixture.Kind.ITEM || c.rule() == Rule.AMOUNT_DATE) {
                for (int it : c.items()) {
                    free.add(it);
                }
            }
            if (c.lines().length == 1) {
                verdict[c.lines()[0]] = c.kind() == Fixture.Kind.LINE ? c.reason().name()
                    : c.rule() == Rule.AMOUNT_DATE ? "item " + c.items()[0] : c.kind() + " " + c.rule();
            }
        }
        List<Integer> referenceless = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (int l = 0; l < lines.size(); l++) {
            if (lines.referenceCount(l) == 0 && !lines.type(l).equals("fee")) {
                referenceless.add(l);
            }
            if (!lines.type(l).equals("fee")) {
                for (String ref : lines.references(l)) {
                    named.add(ref.toLowerCase(Locale.ROOT));
                }
            }
        }
        // an item having a key that a line (not excluded) names is left alone by rule 4, taken or not
        free.removeIf(it -> Arrays.stream(items.keys(it)).anyMatch(k -> named.contains(k.toLowerCase(Locale.ROOT))));
        List<List<Integer>> candidates = new ArrayList<>();
        for (int l : referenceless) {
            List<Integer> found = new ArrayList<>();
            for (int it : free) {
                if (items.currency(it).equals(lines.currency(l)) && t.amountWithin(lines.amount(l), items.amount(it))
                    && t.daysWithin(lines.epochDay(l), items.epochDay(it))) {
                    found.add(it);
                }
            }
            candidates.add(found);
        }
        for (int x = 0; x < referenceless.size(); x++) {
            List<Integer> found = candidates.get(x);
            String expected;
            if (found.isEmpty()) {
                expected = "NOT_IN_LEDGER";
            } else if (found.size() > 1) {
                expected = "AMBIGUOUS";
            } else {
                int sole = found.get(0);
                long sharers = candidates.stream().filter(o -> o.size() == 1 && o.get(0) == sole).count();
                expected = sharers > 1 ? "AMBIGUOUS" : "item " + sole;
            }
            assertThat(verdict[referenceless.get(x)]).as("line %s\n%s", referenceless.get(x), d).isEqualTo(expected);
        }
    }

    @Property(tries = 500)
    void theResultIsDeterministic(@ForAll long seed) {
        Data d = new Data(seed, false);
        LedgerItems items = d.items(d.itemRows);
        assertThat(d.run(items).calls).isEqualTo(d.run(d.items(d.itemRows)).calls);
    }

    @Property(tries = 500)
    void withDistinctKeysTheOrderOfItemsDoesNotMatter(@ForAll long seed) {
        Data d = new Data(seed, true);
        List<String> first = byId(d, d.itemRows);
        List<Object[]> shuffled = new ArrayList<>(d.itemRows);
        Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
        assertThat(byId(d, shuffled)).as("%s", d).isEqualTo(first);
    }

    /** The calls with item indexes replaced by ids, unmatched items sorted by id. */
    private static List<String> byId(Data d, List<Object[]> rows) {
        LedgerItems items = d.items(rows);
        List<String> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Fixture.Call c : d.run(items).structured) {
            List<String> ids = new ArrayList<>();
            for (int it : c.items()) {
                ids.add(items.id(it).toString());
            }
            Collections.sort(ids);
            String s = c.kind() + " " + c.rule() + " " + c.reason() + " " + Arrays.toString(c.lines()) + " " + ids
                + " " + c.fields();
            (c.kind() == Fixture.Kind.ITEM ? unmatched : out).add(s);
        }
        Collections.sort(unmatched);
        out.addAll(unmatched);
        return out;
    }

    /** The pass that reports a line, worked out from the data as the rules describe it. */
    private static int pass(Data d, LedgerItems items, int line) {
        if (d.excluded.contains(d.lines.type(line))) {
            return 0;
        }
        String[] refs = d.lines.references(line);
        if (refs.length == 0) {
            return 4;
        }
        if (refs.length > 1) {
            return 2;
        }
        String ref = refs[0].toLowerCase(Locale.ROOT);
        for (int it = 0; it < items.size(); it++) {
            for (String k : items.keys(it)) {
                if (k.toLowerCase(Locale.ROOT).equals(ref)) {
                    return 1;
                }
            }
        }
        return 3;
    }

    private static boolean within(Tolerances t, BigInteger statement, BigInteger ledger) {
        if (statement.bitLength() >= 64 || ledger.bitLength() >= 64) {
            return false; // the matcher reports sums beyond a long as differing
        }
        return t.amountWithin(statement.longValueExact(), ledger.longValueExact());
    }
}
