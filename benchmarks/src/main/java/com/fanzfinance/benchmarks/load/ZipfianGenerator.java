package com.fanzfinance.benchmarks.load;

/**
 * Zipfian ranks 0 … n-1 (rank 0 hottest) by the method of Gray et al., "Quickly Generating Billion-Record
 * Synthetic Databases" (SIGMOD 1994), with skew θ = 0.99 — the generator YCSB and TigerBeetle's
 * {@code stdx.ZipfianGenerator} use. Set-up is O(n) (the generalised harmonic number); each draw is O(1).
 */
final class ZipfianGenerator {
    static final double THETA = 0.99;

    private final int count;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double secondThreshold;

    ZipfianGenerator(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a zipfian set needs at least one item");
        }
        this.count = count;
        this.zetaN = zeta(count);
        this.alpha = 1.0 / (1.0 - THETA);
        this.eta = (1.0 - Math.pow(2.0 / count, 1.0 - THETA)) / (1.0 - zeta(2) / zetaN);
        this.secondThreshold = 1.0 + Math.pow(0.5, THETA);
    }

    /** The rank for a uniform draw {@code u} in [0, 1). */
    int rank(double u) {
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < secondThreshold) {
            return Math.min(1, count - 1);
        }
        long rank = (long) (count * Math.pow(eta * u - eta + 1.0, alpha));
        return (int) Math.min(Math.max(rank, 0), count - 1);
    }

    private static double zeta(long n) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += Math.pow(1.0 / i, THETA);
        }
        return sum;
    }
}
