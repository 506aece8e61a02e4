package com.fanzfinance.ledger.state;

import java.nio.file.Path;

/**
 * Where the large stores get their memory: process memory for tests, benchmarks and embedded use, or
 * memory-mapped files under a directory for a ledger whose transfers outgrow RAM.
 */
public interface MemoryFactory {
    /** 128 MiB mappings: a billion 128-byte transfers need about a thousand of them. */
    int MAPPED_PAGE_SHIFT = 27;

    /**
     * Memory for the store called {@code name} (a file name stem, unique per store), which is expected to
     * grow to about {@code expectedBytes}; the page size follows from it.
     */
    PagedMemory create(String name, long expectedBytes);

    /** Process memory only (heap pages). */
    static MemoryFactory inMemory() {
        return (name, expectedBytes) -> PagedMemory.inMemory(inMemoryPageShift(expectedBytes));
    }

    /** One memory-mapped file per store under {@code directory}. */
    static MemoryFactory mappedUnder(Path directory) {
        return (name, expectedBytes) -> PagedMemory.mapped(directory.resolve(name + ".store"), MAPPED_PAGE_SHIFT);
    }

    /**
     * Between an eighth and a quarter of the expected size, and between 64 KiB and 32 MiB: small ledgers stay small, and large pages
     * are humongous objects that the collector never copies.
     */
    static int inMemoryPageShift(long expectedBytes) {
        int shift = 64 - Long.numberOfLeadingZeros(Math.max(1, expectedBytes)) - 3;
        return Math.max(16, Math.min(25, shift));
    }
}
