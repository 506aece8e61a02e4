package com.fanzfinance.benchmarks.jmh;

import java.util.SplittableRandom;

/**
 * Picks account indexes 0 … n-1 the way TigerBeetle's benchmark does: {@code uniform}, {@code zipfian}
 * (a few hot accounts take most transfers; exponent 1.0) or {@code latest} (zipfian over the most
 * recently created accounts, i.e. the highest indexes are hottest).
 */
public final class AccountChooser {
    private final SplittableRandom random;
    private final int count;
    private final double[] cumulative;
    private final boolean latest;

    private AccountChooser(SplittableRandom random, int count, double[] cumulative, boolean latest) {
        this.random = random;
        this.count = count;
        this.cumulative = cumulative;
        this.latest = latest;
    }

    public static AccountChooser of(String distribution, int count, SplittableRandom random) {
        return switch (distribution) {
            case "uniform" -> new AccountChooser(random, count, null, false);
            case "zipfian" -> new AccountChooser(random, count, zipf(count), false);
            case "latest" -> new AccountChooser(random, count, zipf(count), true);
            default -> throw new IllegalArgumentException("unknown distribution " + distribution
                + " (uniform, zipfian, latest)");
        };
    }

    public int next() {
        if (cumulative == null) {
            return random.nextInt(count);
        }
        int rank = rank(random.nextDouble());
        return latest ? count - 1 - rank : rank;
    }

    public int nextOtherThan(int other) {
        int candidate = next();
        while (candidate == other) {
            candidate = next();
        }
        return candidate;
    }

    private int rank(double uniform) {
        int low = 0;
        int high = count - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < uniform) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static double[] zipf(int count) {
        double[] cumulative = new double[count];
        double total = 0;
        for (int k = 1; k <= count; k++) {
            total += 1.0 / k;
            cumulative[k - 1] = total;
        }
        for (int k = 0; k < count; k++) {
            cumulative[k] /= total;
        }
        return cumulative;
    }
}
