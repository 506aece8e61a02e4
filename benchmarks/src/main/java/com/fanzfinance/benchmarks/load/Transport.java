package com.fanzfinance.benchmarks.load;

import java.util.Locale;

/** How transfer batches travel to the server: 128-byte TigerBeetle records, or JSON. */
public enum Transport {
    BINARY,
    JSON;

    public static Transport parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
