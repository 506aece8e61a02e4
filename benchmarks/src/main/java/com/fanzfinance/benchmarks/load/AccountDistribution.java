package com.fanzfinance.benchmarks.load;

import java.util.Locale;

/**
 * Which accounts transfers pick, as TigerBeetle's benchmark {@code --account-distribution}:
 * {@code uniform}; {@code zipfian} — a few hot accounts take most transfers, the hot ones spread over the
 * account indexes by a seeded shuffle (TigerBeetle's {@code ZipfianShuffled}); {@code latest} — zipfian
 * with the most recently created accounts (the highest indexes) hottest.
 */
public enum AccountDistribution {
    UNIFORM,
    ZIPFIAN,
    LATEST;

    public static AccountDistribution parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
