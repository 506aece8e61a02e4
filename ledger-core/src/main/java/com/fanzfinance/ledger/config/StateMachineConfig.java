package com.fanzfinance.ledger.config;

import java.nio.file.Path;
import java.util.Objects;

import com.fanzfinance.ledger.state.MemoryFactory;

/**
 * The limits and storage of one state machine, validated once at construction.
 *
 * @param accountsMax       the most accounts the ledger will hold; creating more is refused at start-up
 *                          configuration time, never silently
 * @param transfersMax      the most transfers (including failed-id records) the ledger will hold
 * @param expectedAccounts  a sizing hint that avoids index growth pauses
 * @param expectedTransfers a sizing hint for the transfer id index
 * @param storeDirectory    where the transfer store, id index, transfer lists and balance history are
 *                          memory-mapped; {@code null} keeps them in process memory
 */
public record StateMachineConfig(int accountsMax, long transfersMax, int expectedAccounts, long expectedTransfers,
                                 Path storeDirectory) {
    /** The largest batch a single command may carry, as in TigerBeetle. */
    public static final int BATCH_EVENTS_MAX = 8189;
    /** The most accounts any ledger may be configured for (just under 2^28; about 30 GB of account state). */
    public static final int ACCOUNTS_MAX_LIMIT = (1 << 28) - 16;

    public StateMachineConfig {
        requireRange("accountsMax", accountsMax, 1, ACCOUNTS_MAX_LIMIT);
        requireRange("transfersMax", transfersMax, 1, 1L << 38);
        requireRange("expectedAccounts", expectedAccounts, 0, accountsMax);
        requireRange("expectedTransfers", expectedTransfers, 0, transfersMax);
    }

    /** Defaults for embedding and tests: 10 million accounts, 2^32 transfers, stores in memory. */
    public static StateMachineConfig inMemory() {
        return new StateMachineConfig(10_000_000, 1L << 32, 1024, 1 << 16, null);
    }

    public StateMachineConfig withStoreDirectory(Path directory) {
        return new StateMachineConfig(accountsMax, transfersMax, expectedAccounts, expectedTransfers,
            Objects.requireNonNull(directory, "directory"));
    }

    public StateMachineConfig withExpected(int accounts, long transfers) {
        return new StateMachineConfig(accountsMax, transfersMax, accounts, transfers, storeDirectory);
    }

    public StateMachineConfig withLimits(int accounts, long transfers) {
        return new StateMachineConfig(accounts, transfers, Math.min(expectedAccounts, accounts),
            Math.min(expectedTransfers, transfers), storeDirectory);
    }

    public MemoryFactory memoryFactory() {
        return storeDirectory == null ? MemoryFactory.inMemory() : MemoryFactory.mappedUnder(storeDirectory);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }
}
