package com.fanzfinance.reconciliation.match;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * One run of the {@link Matcher}: the indexes and the result, all in primitive arrays, built for the run and
 * dropped after it. Results are recorded first (as chains through per-line and per-item arrays) and emitted at
 * the end in the documented order.
 */
final class MatchRun {

    // a line's class, which is also the pass that reports it
    private static final byte EXCLUDED = 0;
    private static final byte BY_KEY = 1;
    private static final byte SEVERAL = 2;
    private static final byte BY_GROUP = 3;
    private static final byte NO_REFERENCE = 4;
    private static final int PASSES = 5;

    private static final int NONE = -1;
    private static final int SEVERAL_CANDIDATES = -2;

    private static final Rule[] RULES = Rule.values();
    private static final Reason[] REASONS = Reason.values();

    private final Tolerances tol;
    private final Set<String> excludedTypes;
    private final StatementLines lines;
    private final LedgerItems items;
    private final MatchSink sink;
    private final int n;
    private final int m;
    private final byte[] lineText;
    private final byte[] itemText;
    private final ReferenceParts parts = new ReferenceParts();

    /** Line currency index → item currency index, or -1 when no item has that currency. */
    private int[] itemCurrencyOf;
    private final boolean[] used;
    private final byte[] lineClass;
    /** BY_KEY: the key id; BY_GROUP: the group id or -1; NO_REFERENCE: the sole candidate or NONE/SEVERAL. */
    private final int[] lineKey;

    // item keys: distinct key id → chain of key slots, in item order
    private ByteKeyIndex keyIndex;
    private int[] keyHead;
    private int[] keyNext;
    private int[] keyItem;
    // rule 1: key id → chain of lines naming it, in line order
    private int[] refHead;
    private int[] refTail;
    private int[] refNext;

    private final IntList lineBuf = new IntList();
    private final IntList itemBuf = new IntList();

    // results: per result its pass, rule (ordinal, -1 when unmatched), reason, lowest line and chains
    private int results;
    private byte[] resultPass;
    private byte[] resultRule;
    private byte[] resultReason;
    private int[] resultLeader;
    private int[] resultFirstLine;
    private int[] resultFirstItem;
    private final int[] lineNext;
    private final int[] itemNext;

    MatchRun(Tolerances tol, Set<String> excludedTypes, StatementLines lines, LedgerItems items, MatchSink sink) {
        this.tol = tol;
        this.excludedTypes = excludedTypes;
        this.lines = lines;
        this.items = items;
        this.sink = sink;
        this.n = lines.size();
        this.m = items.size();
        this.lineText = lines.arenaBytes();
        this.itemText = items.arenaBytes();
        used = new boolean[m];
        lineClass = new byte[n];
        lineKey = new int[n];
        lineNext = new int[n];
        itemNext = new int[m];
        int cap = Math.max(16, n);
        resultPass = new byte[cap];
        resultRule = new byte[cap];
        resultReason = new byte[cap];
        resultLeader = new int[cap];
        resultFirstLine = new int[cap];
        resultFirstItem = new int[cap];
    }

    void run() {
        itemCurrencyOf = new int[lines.currencyCount()];
        for (int c = 0; c < itemCurrencyOf.length; c++) {
            itemCurrencyOf[c] = items.currencyIndexOf(lines.currencyName(c));
        }
        indexKeys();
        classify();
        byReference();
        bySeveralReferences();
        byGroup();
        byAmountAndDate();
        emit();
    }

    // ---------------------------------------------------------------- indexes

    private void indexKeys() {
        int keys = items.totalKeys();
        keyItem = new int[keys];
        for (int i = 0; i < m; i++) {
            for (int k = items.firstKeyAt(i), e = items.firstKeyAt(i + 1); k < e; k++) {
                keyItem[k] = i;
            }
        }
        keyIndex = new ByteKeyIndex(itemText, keys);
        keyHead = new int[Math.max(keys, 1)];
        int[] keyTail = new int[keyHead.length];
        keyNext = new int[keys];
        Arrays.fill(keyHead, -1);
        for (int k = 0; k < keys; k++) {
            int id = keyIndex.add(items.keyStartAt(k), items.keyLengthAt(k));
            keyNext[k] = -1;
            if (keyHead[id] < 0) {
                keyHead[id] = k;
            } else {
                keyNext[keyTail[id]] = k;
            }
            keyTail[id] = k;
        }
    }

    private void classify() {
        boolean[] excluded = new boolean[lines.typeCount()];
        for (int t = 0; t < excluded.length; t++) {
            excluded[t] = excludedTypes.contains(lines.typeName(t));
        }
        int ids = keyIndex.size();
        refHead = new int[Math.max(ids, 1)];
        refTail = new int[refHead.length];
        refNext = new int[n];
        Arrays.fill(refHead, -1);
        boolean groupLines = false;
        for (int i = 0; i < n; i++) {
            if (excluded[lines.typeIndex(i)]) {
                lineClass[i] = EXCLUDED;
                unmatched(EXCLUDED, i, Reason.EXCLUDED);
                continue;
            }
            parts.reset(lineText, lines.referenceStart(i), lines.referenceLength(i));
            int count = 0;
            int start = 0;
            int length = 0;
            while (count < 2 && parts.next()) {
                if (count == 0) {
                    start = parts.start;
                    length = parts.length();
                }
                count++;
            }
            if (count == 0) {
                lineClass[i] = NO_REFERENCE;
            } else if (count > 1) {
                lineClass[i] = SEVERAL;
            } else {
                int id = keyIndex.find(lineText, start, length);
                if (id < 0) {
                    lineClass[i] = BY_GROUP;
                    groupLines = true;
                } else {
                    lineClass[i] = BY_KEY;
                    lineKey[i] = id;
                    refNext[i] = -1;
                    if (refHead[id] < 0) {
                        refHead[id] = i;
                    } else {
                        refNext[refTail[id]] = i;
                    }
                    refTail[id] = i;
                }
            }
        }
        refTail = null;
        if (groupLines) {
            groupIndex();
        }
    }

    // rule 3's index: distinct item group → chain of items, in item order
    private int[] groupHead;
    private int[] groupNext;

    private void groupIndex() {
        ByteKeyIndex groups = new ByteKeyIndex(itemText, 16);
        groupHead = new int[16];
        int[] groupTail = new int[16];
        Arrays.fill(groupHead, -1);
        groupNext = new int[m];
        for (int i = 0; i < m; i++) {
            int len = items.groupLengthAt(i);
            if (len == 0) {
                continue;
            }
            int g = groups.add(items.groupStartAt(i), len);
            if (g == groupHead.length) {
                groupHead = Arrays.copyOf(groupHead, g * 2);
                groupTail = Arrays.copyOf(groupTail, g * 2);
                Arrays.fill(groupHead, g, g * 2, -1);
            }
            groupNext[i] = -1;
            if (groupHead[g] < 0) {
                groupHead[g] = i;
            } else {
                groupNext[groupTail[g]] = i;
            }
            groupTail[g] = i;
        }
        for (int i = 0; i < n; i++) {
            if (lineClass[i] != BY_GROUP) {
                continue;
            }
            parts.reset(lineText, lines.referenceStart(i), lines.referenceLength(i));
            parts.next();
            lineKey[i] = groups.find(lineText, parts.start, parts.length());
        }
    }

    // ---------------------------------------------------------------- rule 1

    private void byReference() {
        for (int i = 0; i < n; i++) {
            if (lineClass[i] == BY_KEY && refHead[lineKey[i]] == i) {
                referenceGroup(lineKey[i]);
            }
        }
    }

    private void referenceGroup(int id) {
        IntList ls = lineBuf.clear();
        for (int l = refHead[id]; l >= 0; l = refNext[l]) {
            ls.add(l);
        }
        IntList is = itemBuf.clear();
        for (int k = keyHead[id]; k >= 0; k = keyNext[k]) {
            int it = keyItem[k];
            if (!used[it]) {
                is.add(it);
            }
        }
        if (ls.size == 1 && is.size == 1) {
            pair(BY_KEY, Rule.ONE_TO_ONE, ls.at[0], is.at[0]);
            return;
        }
        int freeItems = is.size;
        int firstFree = 0;
        for (int x = 0; x < ls.size && freeItems > 0; x++) {
            int l = ls.at[x];
            for (int y = firstFree; y < is.size; y++) {
                int it = is.at[y];
                if (it >= 0 && pairsExactly(l, it)) {
                    pair(BY_KEY, Rule.ONE_TO_ONE, l, it);
                    ls.at[x] = -1;
                    is.at[y] = -1;
                    freeItems--;
                    break;
                }
            }
            while (firstFree < is.size && is.at[firstFree] < 0) {
                firstFree++;
            }
        }
        ls.dropNegatives();
        is.dropNegatives();
        if (ls.size > 0 && is.size > 1) {
            // Near pairs: the same currency and an amount within tolerance, the date or fee apart — compared one to
            // one (so differing), rather than summed with items of other amounts (a payout and its return, say).
            for (int x = 0; x < ls.size; x++) {
                int l = ls.at[x];
                for (int y = 0; y < is.size; y++) {
                    int it = is.at[y];
                    if (it >= 0 && nearPair(l, it)) {
                        pair(BY_KEY, Rule.ONE_TO_ONE, l, it);
                        ls.at[x] = -1;
                        is.at[y] = -1;
                        break;
                    }
                }
            }
            ls.dropNegatives();
            is.dropNegatives();
        }
        if (ls.size == 0) {
            return;
        }
        if (is.size == 0) {
            for (int x = 0; x < ls.size; x++) {
                unmatched(BY_KEY, ls.at[x], Reason.NOT_IN_LEDGER);
            }
        } else if (ls.size == 1 && is.size == 1) {
            pair(BY_KEY, Rule.ONE_TO_ONE, ls.at[0], is.at[0]);
        } else if (is.size == 1) {
            group(BY_KEY, Rule.MANY_TO_ONE, ls, is);
        } else if (ls.size == 1) {
            group(BY_KEY, Rule.ONE_TO_MANY, ls, is);
        } else {
            for (int x = 0; x < ls.size; x++) {
                unmatched(BY_KEY, ls.at[x], Reason.AMBIGUOUS);
            }
        }
    }

    private boolean nearPair(int l, int it) {
        return itemCurrencyOf[lines.currencyIndex(l)] == items.currencyIndex(it)
            && tol.amountWithin(lines.amountAt(l), items.amountAt(it));
    }

    private boolean pairsExactly(int l, int it) {
        return itemCurrencyOf[lines.currencyIndex(l)] == items.currencyIndex(it)
            && tol.amountWithin(lines.amountAt(l), items.amountAt(it))
            && tol.daysWithin(lines.dayAt(l), items.dayAt(it))
            && tol.amountWithin(lines.feeAt(l), items.feeAt(it));
    }

    // ---------------------------------------------------------------- rule 2

    private void bySeveralReferences() {
        int[] mark = null;
        int stamp = 0;
        for (int i = 0; i < n; i++) {
            if (lineClass[i] != SEVERAL) {
                continue;
            }
            if (mark == null) {
                mark = new int[m];
            }
            stamp++;
            IntList is = itemBuf.clear();
            boolean every = true;
            parts.reset(lineText, lines.referenceStart(i), lines.referenceLength(i));
            while (every && parts.next()) {
                int id = keyIndex.find(lineText, parts.start, parts.length());
                boolean found = false;
                for (int k = id < 0 ? -1 : keyHead[id]; k >= 0; k = keyNext[k]) {
                    int it = keyItem[k];
                    if (!used[it]) {
                        found = true;
                        if (mark[it] != stamp) {
                            mark[it] = stamp;
                            is.add(it);
                        }
                    }
                }
                every = found;
            }
            if (every) {
                is.sort();
                group(SEVERAL, Rule.ONE_TO_MANY, lineBuf.clear().add(i), is);
            } else {
                unmatched(SEVERAL, i, Reason.NOT_IN_LEDGER);
            }
        }
    }

    // ---------------------------------------------------------------- rule 3

    private void byGroup() {
        boolean[] taken = null;
        for (int i = 0; i < n; i++) {
            if (lineClass[i] != BY_GROUP) {
                continue;
            }
            int g = lineKey[i];
            if (g < 0) {
                unmatched(BY_GROUP, i, Reason.NOT_IN_LEDGER);
                continue;
            }
            if (taken == null) {
                taken = new boolean[groupHead.length];
            }
            if (taken[g]) {
                unmatched(BY_GROUP, i, Reason.AMBIGUOUS);
                continue;
            }
            IntList is = itemBuf.clear();
            for (int it = groupHead[g]; it >= 0; it = groupNext[it]) {
                if (!used[it]) {
                    is.add(it);
                }
            }
            if (is.size == 0) {
                unmatched(BY_GROUP, i, Reason.NOT_IN_LEDGER);
            } else {
                taken[g] = true;
                group(BY_GROUP, Rule.ONE_TO_MANY, lineBuf.clear().add(i), is);
            }
        }
    }

    // ---------------------------------------------------------------- rule 4

    private void byAmountAndDate() {
        boolean any = false;
        for (int i = 0; i < n && !any; i++) {
            any = lineClass[i] == NO_REFERENCE;
        }
        if (!any) {
            return;
        }
        // the free items by currency, then amount: bucket c is sortedItem[bucket[c] .. bucket[c + 1])
        boolean[] named = namedItems();
        // the free items rule 4 may take, sorted by amount (ties by index), then by currency keeping that order:
        // currency c is freeItem[currencyStart[c] .. currencyStart[c + 1])
        int free = 0;
        for (int it = 0; it < m; it++) {
            if (!used[it] && !named[it]) {
                free++;
            }
        }
        int[] byAmount = new int[free];
        long[] amounts = new long[free];
        for (int it = 0, p = 0; it < m; it++) {
            if (!used[it] && !named[it]) {
                byAmount[p] = it;
                amounts[p++] = items.amountAt(it);
            }
        }
        sortByAmount(byAmount, amounts, 0, free);
        int[] currencyOf = new int[free];
        for (int p = 0; p < free; p++) {
            currencyOf[p] = items.currencyIndex(byAmount[p]);
        }
        int[] currencyStart = new int[items.currencyCount() + 1];
        freeItem = new int[free];
        freeAmount = new long[free];
        scatter(byAmount, amounts, currencyOf, currencyStart, freeItem, freeAmount);
        dayBuckets = 0;
        dayKeys = null;

        byte[] claims = new byte[m];
        for (int i = 0; i < n; i++) {
            if (lineClass[i] != NO_REFERENCE) {
                continue;
            }
            int c = itemCurrencyOf[lines.currencyIndex(i)];
            int found = NONE;
            if (c >= 0) {
                // the amounts within tolerance of the line's are one run of the sorted amounts (see startOfRun)
                long amount = lines.amountAt(i);
                int day = lines.dayAt(i);
                int from = currencyStart[c];
                int to = currencyStart[c + 1];
                int mid = lowerBound(freeAmount, from, to, amount);
                int first = startOfRun(freeAmount, from, mid, amount);
                int end = endOfRun(freeAmount, mid, to, amount);
                if (end - first <= SCAN) {
                    for (int p = first; p < end; p++) {
                        if (tol.daysWithin(day, items.dayAt(freeItem[p]))) {
                            if (found != NONE) {
                                found = SEVERAL_CANDIDATES;
                                break;
                            }
                            found = freeItem[p];
                        }
                    }
                } else {
                    found = byDay(c, amount, day);
                }
            }
            lineKey[i] = found;
            if (found >= 0 && claims[found] < 2) {
                claims[found]++;
            }
        }
        freeItem = null;
        freeAmount = null;
        dayKeys = null;
        dayStart = null;
        dayItem = null;
        dayAmount = null;
        for (int i = 0; i < n; i++) {
            if (lineClass[i] != NO_REFERENCE) {
                continue;
            }
            int found = lineKey[i];
            if (found == NONE) {
                unmatched(NO_REFERENCE, i, Reason.NOT_IN_LEDGER);
            } else if (found == SEVERAL_CANDIDATES || claims[found] > 1) {
                unmatched(NO_REFERENCE, i, Reason.AMBIGUOUS);
            } else {
                pair(NO_REFERENCE, Rule.AMOUNT_DATE, i, found);
            }
        }
    }

    /**
     * The items rule 4 leaves alone: those having a key that a line of rule 1 or 2 names (every part of a
     * several-reference line, found or not), whether the item was taken or stayed free. A line that names an
     * item by reference did not leave it to be guessed by amount and date.
     */
    private boolean[] namedItems() {
        boolean[] keyNamed = new boolean[keyIndex.size()];
        for (int i = 0; i < n; i++) {
            if (lineClass[i] == BY_KEY) {
                keyNamed[lineKey[i]] = true;
            } else if (lineClass[i] == SEVERAL) {
                parts.reset(lineText, lines.referenceStart(i), lines.referenceLength(i));
                while (parts.next()) {
                    int id = keyIndex.find(lineText, parts.start, parts.length());
                    if (id >= 0) {
                        keyNamed[id] = true;
                    }
                }
            }
        }
        boolean[] named = new boolean[m];
        for (int id = 0; id < keyNamed.length; id++) {
            if (keyNamed[id]) {
                for (int k = keyHead[id]; k >= 0; k = keyNext[k]) {
                    named[keyItem[k]] = true;
                }
            }
        }
        return named;
    }

    // rule 4's indexes: the free items it may take by currency, each sorted by amount; built when a line's run
    // of amounts is longer than SCAN, the same items by (currency, day) bucket, each sorted by amount
    private static final int SCAN = 32;
    private int[] freeItem;
    private long[] freeAmount;
    private int dayBuckets;
    private long[] dayKeys;
    private int[] dayStart;
    private int[] dayItem;
    private long[] dayAmount;

    /**
     * Rule 4's candidates of a line whose amount matches many free items: the buckets of its currency and the
     * days of its date window (at most 63), in each the run of amounts within tolerance by binary searches.
     *
     * @return the sole candidate, {@code NONE} or {@code SEVERAL_CANDIDATES}
     */
    private int byDay(int currency, long amount, int day) {
        if (dayKeys == null) {
            dayIndex();
        }
        int days = tol.days();
        long last = dayKey(currency, (int) Math.min((long) day + days, Integer.MAX_VALUE));
        int count = 0;
        int found = NONE;
        for (int b = lowerBound(dayKeys, 0, dayBuckets, dayKey(currency, (int) Math.max((long) day - days,
            Integer.MIN_VALUE))); b < dayBuckets && dayKeys[b] <= last && count < 2; b++) {
            int from = dayStart[b];
            int to = dayStart[b + 1];
            int mid = lowerBound(dayAmount, from, to, amount);
            int first = startOfRun(dayAmount, from, mid, amount);
            int end = endOfRun(dayAmount, mid, to, amount);
            if (end > first) {
                count += end - first;
                found = dayItem[first];
            }
        }
        return count > 1 ? SEVERAL_CANDIDATES : found;
    }

    /** Buckets {@link #freeItem} (sorted by currency, then amount) by (currency, day), keeping the order. */
    private void dayIndex() {
        int free = freeItem.length;
        long[] itemKey = new long[free];
        for (int p = 0; p < free; p++) {
            itemKey[p] = dayKey(items.currencyIndex(freeItem[p]), items.dayAt(freeItem[p]));
        }
        dayKeys = itemKey.clone();
        Arrays.sort(dayKeys);
        int buckets = 0;
        for (int p = 0; p < free; p++) {
            if (buckets == 0 || dayKeys[p] != dayKeys[buckets - 1]) {
                dayKeys[buckets++] = dayKeys[p];
            }
        }
        dayBuckets = buckets;
        int[] bucketOf = new int[free];
        for (int p = 0; p < free; p++) {
            bucketOf[p] = Arrays.binarySearch(dayKeys, 0, buckets, itemKey[p]);
        }
        dayStart = new int[buckets + 1];
        dayItem = new int[free];
        dayAmount = new long[free];
        scatter(freeItem, freeAmount, bucketOf, dayStart, dayItem, dayAmount);
    }

    /**
     * A stable counting sort: copies {@code item[p]} and {@code amount[p]} to {@code outItem} and {@code outAmount}
     * grouped by {@code bucketOf[p]}, keeping their order within a bucket; fills {@code start} (one longer than the
     * number of buckets) with each bucket's first position.
     */
    private static void scatter(int[] item, long[] amount, int[] bucketOf, int[] start, int[] outItem,
                                long[] outAmount) {
        for (int b : bucketOf) {
            start[b + 1]++;
        }
        for (int b = 0; b + 1 < start.length; b++) {
            start[b + 1] += start[b];
        }
        int[] fill = Arrays.copyOf(start, start.length - 1);
        for (int p = 0; p < item.length; p++) {
            int q = fill[bucketOf[p]]++;
            outItem[q] = item[p];
            outAmount[q] = amount[p];
        }
    }

    /** A sort key for a (currency, day) pair: currency first, then day, both in numeric order. */
    private static long dayKey(int currency, int day) {
        return (long) currency << 32 | ((long) day - Integer.MIN_VALUE);
    }

    /*
     * The ledger amounts within tolerance of a statement amount s form one interval around s: moving a ledger
     * amount a one unit away from s adds 1 to the difference and at most 1 to the tolerance (it grows with |a|
     * by bp / 10^4 <= 1 per unit before rounding, and a half-even rounding of that steps by at most 1: a step of
     * exactly 1 happens only at 10000 bp, where nothing is rounded), and moving it towards 0 shrinks the
     * tolerance. So in a bucket sorted by amount the candidates are one run through the position of s, found
     * by galloping out from there and a binary search: O(log run) comparisons.
     */

    /** @return the first position of the run of amounts within tolerance of {@code s} that ends at {@code mid} */
    private int startOfRun(long[] a, int from, int mid, long s) {
        int hi = mid; // a[hi, mid) are within
        int lo;
        for (int step = 1; ; step <<= 1) {
            int probe = hi - step;
            if (probe <= from) {
                lo = from;
                break;
            }
            if (!tol.amountWithin(s, a[probe])) {
                lo = probe + 1;
                break;
            }
            hi = probe;
        }
        while (lo < hi) { // the first within in [lo, hi), else hi
            int m2 = (lo + hi) >>> 1;
            if (tol.amountWithin(s, a[m2])) {
                hi = m2;
            } else {
                lo = m2 + 1;
            }
        }
        return lo;
    }

    /** @return the end (exclusive) of the run of amounts within tolerance of {@code s} that starts at {@code mid} */
    private int endOfRun(long[] a, int mid, int to, long s) {
        int lo = mid; // a[mid, lo) are within
        int hi;
        for (int step = 1; ; step <<= 1) {
            int probe = lo + step - 1;
            if (probe >= to - 1) {
                hi = to;
                break;
            }
            if (!tol.amountWithin(s, a[probe])) {
                hi = probe;
                break;
            }
            lo = probe + 1;
        }
        while (lo < hi) { // the first not within in [lo, hi), else hi
            int m2 = (lo + hi) >>> 1;
            if (tol.amountWithin(s, a[m2])) {
                lo = m2 + 1;
            } else {
                hi = m2;
            }
        }
        return lo;
    }

    private static int lowerBound(long[] a, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Sorts {@code item[from, to)} by amount (ties by index) and fills {@code amount} to match: the amounts are
     * ranked (sorted, distinct), then {@code rank << 32 | item} is sorted as a {@code long}.
     */
    private void sortByAmount(int[] item, long[] amount, int from, int to) {
        int len = to - from;
        if (len < 2) {
            return;
        }
        long[] distinct = Arrays.copyOfRange(amount, from, to);
        Arrays.sort(distinct);
        int d = 0;
        for (int j = 0; j < len; j++) {
            if (j == 0 || distinct[j] != distinct[d - 1]) {
                distinct[d++] = distinct[j];
            }
        }
        long[] packed = new long[len];
        for (int j = 0; j < len; j++) {
            long rank = Arrays.binarySearch(distinct, 0, d, amount[from + j]);
            packed[j] = rank << 32 | item[from + j];
        }
        Arrays.sort(packed);
        for (int j = 0; j < len; j++) {
            int it = (int) packed[j];
            item[from + j] = it;
            amount[from + j] = distinct[(int) (packed[j] >>> 32)];
        }
    }

    // ---------------------------------------------------------------- results

    private int open(byte pass, int rule, Reason reason) {
        if (results == resultPass.length) {
            int cap = results * 2;
            resultPass = Arrays.copyOf(resultPass, cap);
            resultRule = Arrays.copyOf(resultRule, cap);
            resultReason = Arrays.copyOf(resultReason, cap);
            resultLeader = Arrays.copyOf(resultLeader, cap);
            resultFirstLine = Arrays.copyOf(resultFirstLine, cap);
            resultFirstItem = Arrays.copyOf(resultFirstItem, cap);
        }
        int r = results++;
        resultPass[r] = pass;
        resultRule[r] = (byte) rule;
        resultReason[r] = (byte) (reason == null ? -1 : reason.ordinal());
        resultLeader[r] = Integer.MAX_VALUE;
        resultFirstLine[r] = -1;
        resultFirstItem[r] = -1;
        return r;
    }

    private void addLine(int r, int line) {
        lineNext[line] = resultFirstLine[r];
        resultFirstLine[r] = line;
        resultLeader[r] = Math.min(resultLeader[r], line);
    }

    private void addItem(int r, int item) {
        if (used[item]) {
            throw new IllegalStateException("item " + item + " taken twice");
        }
        used[item] = true;
        itemNext[item] = resultFirstItem[r];
        resultFirstItem[r] = item;
    }

    private void unmatched(byte pass, int line, Reason reason) {
        addLine(open(pass, -1, reason), line);
    }

    private void pair(byte pass, Rule rule, int line, int item) {
        int r = open(pass, rule.ordinal(), null);
        addLine(r, line);
        addItem(r, item);
    }

    private void group(byte pass, Rule rule, IntList ls, IntList is) {
        int r = open(pass, rule.ordinal(), null);
        for (int x = 0; x < ls.size; x++) {
            addLine(r, ls.at[x]);
        }
        for (int y = 0; y < is.size; y++) {
            addItem(r, is.at[y]);
        }
    }

    private void emit() {
        int[] leaderResult = refNext; // no longer needed: reuse as line → result it leads
        Arrays.fill(leaderResult, -1);
        for (int r = 0; r < results; r++) {
            leaderResult[resultLeader[r]] = r;
        }
        for (int pass = 0; pass < PASSES; pass++) {
            for (int i = 0; i < n; i++) {
                int r = leaderResult[i];
                if (r >= 0 && resultPass[r] == pass) {
                    emit(r);
                }
            }
        }
        for (int it = 0; it < m; it++) {
            if (!used[it]) {
                sink.unmatchedLedger(it);
            }
        }
    }

    private void emit(int r) {
        if (resultRule[r] < 0) {
            sink.unmatchedStatement(resultFirstLine[r], REASONS[resultReason[r]]);
            return;
        }
        Rule rule = RULES[resultRule[r]];
        int[] ls = chain(lineNext, resultFirstLine[r]);
        int[] is = chain(itemNext, resultFirstItem[r]);

        boolean sameCurrency = true;
        int lineCurrency = lines.currencyIndex(ls[0]);
        int maxLineDay = Integer.MIN_VALUE;
        Sum statementAmount = new Sum();
        Sum statementFee = new Sum();
        for (int l : ls) {
            sameCurrency &= lines.currencyIndex(l) == lineCurrency;
            maxLineDay = Math.max(maxLineDay, lines.dayAt(l));
            statementAmount.add(lines.amountAt(l));
            statementFee.add(lines.feeAt(l));
        }
        int itemCurrency = items.currencyIndex(is[0]);
        sameCurrency &= itemCurrencyOf[lineCurrency] == itemCurrency;
        int maxItemDay = Integer.MIN_VALUE;
        Sum ledgerAmount = new Sum();
        Sum ledgerFee = new Sum();
        for (int it : is) {
            sameCurrency &= items.currencyIndex(it) == itemCurrency;
            maxItemDay = Math.max(maxItemDay, items.dayAt(it));
            ledgerAmount.add(items.amountAt(it));
            ledgerFee.add(items.feeAt(it));
        }
        Set<Field> fields = EnumSet.noneOf(Field.class);
        if (statementAmount.overflow || ledgerAmount.overflow
            || !tol.amountWithin(statementAmount.value, ledgerAmount.value)) {
            fields.add(Field.AMOUNT);
        }
        if (statementFee.overflow || ledgerFee.overflow || !tol.amountWithin(statementFee.value, ledgerFee.value)) {
            fields.add(Field.FEE);
        }
        if (!tol.daysWithin(maxLineDay, maxItemDay)) {
            fields.add(Field.DATE);
        }
        if (!sameCurrency) {
            fields.add(Field.CURRENCY);
        }
        if (fields.isEmpty()) {
            sink.matched(rule, ls, is);
        } else {
            sink.differing(rule, ls, is, statementAmount.value, statementFee.value, ledgerAmount.value,
                ledgerFee.value, fields);
        }
    }

    private static int[] chain(int[] next, int first) {
        int count = 0;
        for (int x = first; x >= 0; x = next[x]) {
            count++;
        }
        int[] out = new int[count];
        int k = 0;
        for (int x = first; x >= 0; x = next[x]) {
            out[k++] = x;
        }
        if (count > 1) {
            Arrays.sort(out);
        }
        return out;
    }

    /** A sum that sticks at {@code Long.MIN_VALUE} / {@code MAX_VALUE} once it overflows. */
    private static final class Sum {
        long value;
        boolean overflow;

        void add(long x) {
            if (overflow) {
                return;
            }
            long s = value + x;
            if (((value ^ s) & (x ^ s)) < 0) {
                overflow = true;
                value = x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            } else {
                value = s;
            }
        }
    }

    /** A growable {@code int} list reused for the lines and items of one group. */
    private static final class IntList {
        int[] at = new int[16];
        int size;

        IntList clear() {
            size = 0;
            return this;
        }

        IntList add(int v) {
            if (size == at.length) {
                at = Arrays.copyOf(at, size * 2);
            }
            at[size++] = v;
            return this;
        }

        void dropNegatives() {
            int k = 0;
            for (int x = 0; x < size; x++) {
                if (at[x] >= 0) {
                    at[k++] = at[x];
                }
            }
            size = k;
        }

        void sort() {
            Arrays.sort(at, 0, size);
        }
    }
}
