package com.fanzfinance.ledger.state;

import java.nio.file.Path;

/**
 * Where the large stores get their memory: process memory for tests, benchmarks and embedded use, or
 * memory-mapped files under a directory for a ledger whose transfers outgrow RAM.
 */
public interface MemoryFactory {
    /** 1 MiB pages: small stores stay small. */
    int IN_MEMORY_PAGE_SHIFT = 20;
    /** 128 MiB mappings: a billion 128-byte transfers need about a thousand of them. */
    int MAPPED_PAGE_SHIFT = 27;

    /** Memory for the store called {@code name} (a file name stem, unique per store). */
    PagedMemory create(String name);

    /** Process memory only. */
    static MemoryFactory inMemory() {
        return name -> PagedMemory.inMemory(IN_MEMORY_PAGE_SHIFT);
    }

    /** One memory-mapped file per store under {@code directory}. */
    static MemoryFactory mappedUnder(Path directory) {
        return name -> PagedMemory.mapped(directory.resolve(name + ".store"), MAPPED_PAGE_SHIFT);
    }
}
