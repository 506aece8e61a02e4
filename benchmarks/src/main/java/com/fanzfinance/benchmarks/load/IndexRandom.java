package com.fanzfinance.benchmarks.load;

/**
 * A SplitMix64 stream restarted at each object number: {@link #reset} (seed, number) then draw. Transfer n
 * is thus a pure function of the seed and n, whichever client builds it and in whatever order, and the
 * validation can rebuild any transfer without replaying the ones before it. Mutable and not thread-safe:
 * one per thread; allocates nothing.
 */
public final class IndexRandom {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private final long seed;
    private long state;

    public IndexRandom(long seed) {
        this.seed = IdOrder.mix(seed ^ 0x5deece66dL);
    }

    public IndexRandom reset(long stream, long number) {
        state = IdOrder.mix(seed + stream * 0x632be59bd9b4e019L) ^ IdOrder.mix(number * GOLDEN + stream);
        return this;
    }

    public long nextLong() {
        state += GOLDEN;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }
}
