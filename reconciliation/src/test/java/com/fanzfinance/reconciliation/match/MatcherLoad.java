package com.fanzfinance.reconciliation.match;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.UUID;

/**
 * Not a test: builds a synthetic statement and ledger of {@code N} each (default 1,000,000), runs the matcher
 * once and prints the time, lines per second and heap used. Every line names its item's key in a shuffled order;
 * with the argument {@code amount-date} the lines carry no reference instead and every amount is distinct
 * (rule 4 pairs everything).
 *
 * <pre>java -cp reconciliation/target/classes:reconciliation/target/test-classes \
 *     com.fanzfinance.reconciliation.match.MatcherLoad [N] [amount-date]</pre>
 */
public final class MatcherLoad {

    private MatcherLoad() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean byAmount = args.length > 1 && args[1].equals("amount-date");
        long heapBefore = usedAfterGc();

        long t0 = System.nanoTime();
        LedgerItems items = new LedgerItems();
        for (int i = 0; i < n; i++) {
            items.add(new UUID(0x5eed, i), amount(i, byAmount), i % 50, "USD", 19_000 + i % 30, "",
                "ch_3Pq" + Integer.toString(i, 36) + "Xy", "pay-" + i);
        }
        StatementLines lines = new StatementLines(n);
        int step = 7_919; // a prime: the file lists the items in another order
        for (int k = 0; k < n; k++) {
            int i = (int) ((long) k * step % n);
            String ref = byAmount ? "" : "CH_3PQ" + Integer.toString(i, 36).toUpperCase() + "XY";
            lines.line(k + 1, ref, "sale", amount(i, byAmount), i % 50, "USD", 19_000 + i % 30, "batch-" + k / 1000,
                "Card payment " + i);
        }
        long t1 = System.nanoTime();
        long heapStores = usedAfterGc();

        resetPeaks();
        Counter counter = new Counter();
        long t2 = System.nanoTime();
        new Matcher(new Tolerances(0, 0, 1), Set.of("fee", "payout", "balance")).run(lines, items, counter);
        long t3 = System.nanoTime();
        long peak = peakHeap();

        double seconds = (t3 - t2) / 1e9;
        System.out.printf("lines %,d, items %,d%s%n", n, n, byAmount ? " (no references: amount and date)" : "");
        System.out.printf("loading the stores: %.2f s%n", (t1 - t0) / 1e9);
        System.out.printf("matching: %.2f s, %,.0f lines/s%n", seconds, n / seconds);
        System.out.printf("result: %,d matched, %,d differing, %,d unmatched lines, %,d unmatched items%n",
            counter.matched, counter.differing, counter.unmatchedLines, counter.unmatchedItems);
        System.out.printf("heap used after GC: %,d MB before, %,d MB with both stores (their arrays: lines %,d MB, items %,d MB)%n",
            heapBefore >> 20, heapStores >> 20, lines.bytesUsed() >> 20, items.bytesUsed() >> 20);
        System.out.printf("peak heap during the run (all pools, includes garbage): %,d MB; max heap %,d MB%n",
            peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Amounts repeat every 100,000 items, except in the amount-and-date run, where each is its own. */
    private static long amount(int i, boolean distinct) {
        return distinct ? 100 + i * 37L : 100 + (i * 37L) % 100_000;
    }

    private static long usedAfterGc() {
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static final class Counter implements MatchSink {
        long matched;
        long differing;
        long unmatchedLines;
        long unmatchedItems;

        @Override
        public void matched(Rule rule, int[] lines, int[] items) {
            matched++;
        }

        @Override
        public void differing(Rule rule, int[] lines, int[] items, long statementAmount, long statementFee,
                              long ledgerAmount, long ledgerFee, Set<Field> fields) {
            differing++;
        }

        @Override
        public void unmatchedStatement(int line, Reason reason) {
            unmatchedLines++;
        }

        @Override
        public void unmatchedLedger(int item) {
            unmatchedItems++;
        }
    }
}
