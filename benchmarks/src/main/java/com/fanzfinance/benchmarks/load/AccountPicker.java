package com.fanzfinance.benchmarks.load;

import java.util.SplittableRandom;

/**
 * Picks account indexes 0 … n-1 by an {@link AccountDistribution}. Immutable after construction and so
 * shared by every thread; each draw takes its randomness from the caller's {@link IndexRandom}.
 */
public final class AccountPicker {
    private final AccountDistribution distribution;
    private final int count;
    private final ZipfianGenerator zipfian;
    private final int[] hotOrder;

    public AccountPicker(AccountDistribution distribution, int count, long seed) {
        if (count < 2) {
            throw new IllegalArgumentException("need at least two accounts, got " + count);
        }
        this.distribution = distribution;
        this.count = count;
        this.zipfian = distribution == AccountDistribution.UNIFORM ? null : new ZipfianGenerator(count);
        this.hotOrder = distribution == AccountDistribution.ZIPFIAN ? shuffled(count, seed) : null;
    }

    public int pick(IndexRandom random) {
        return switch (distribution) {
            case UNIFORM -> random.nextInt(count);
            case ZIPFIAN -> hotOrder[zipfian.rank(random.nextDouble())];
            case LATEST -> count - 1 - zipfian.rank(random.nextDouble());
        };
    }

    /** A credit account for a transfer debiting {@code debit}: a fresh pick, the next one if it collides. */
    public int pickOtherThan(int debit, IndexRandom random) {
        int credit = pick(random);
        return credit == debit ? (credit + 1) % count : credit;
    }

    /** A seeded Fisher–Yates shuffle of 0 … n-1: rank r of the zipfian maps to account hotOrder[r]. */
    private static int[] shuffled(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
