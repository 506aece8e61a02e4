package com.fanzfinance.ledger.config;

import java.nio.file.Path;
import java.util.Objects;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.state.MemoryFactory;

/**
 * The limits and storage of one state machine, validated once at construction.
 *
 * <p>The limits are where a state machine starts. An embedded {@code InMemoryLedger} keeps them; the
 * durable engine starts every replay from {@link LedgerLimits#DEFAULT} and lets the journal's
 * {@code set_limits} commands decide, then journals these limits if they differ (see {@code LedgerEngine}),
 * so that no decision depends on what the process happens to be configured with when it replays.
 *
 * @param limits            the most accounts and transfers (failed ids included) the ledger, and each
 *                          tenant, will hold; a command that would pass one is refused whole
 * @param expectedAccounts  a sizing hint that avoids index growth pauses
 * @param expectedTransfers a sizing hint for the transfer id index
 * @param storeDirectory    where the transfer store, id index, transfer lists and balance history are
 *                          memory-mapped; {@code null} keeps them in process memory
 */
public record StateMachineConfig(LedgerLimits limits, int expectedAccounts, long expectedTransfers, Path storeDirectory) {
    /** The largest batch a single command may carry, as in TigerBeetle. */
    public static final int BATCH_EVENTS_MAX = 8189;
    /** The most accounts any ledger may be configured for (just under 2^28; about 30 GB of account state). */
    public static final int ACCOUNTS_MAX_LIMIT = (int) LedgerLimits.ACCOUNTS_LIMIT;

    public StateMachineConfig {
        Objects.requireNonNull(limits, "limits");
        requireRange("expectedAccounts", expectedAccounts, 0, limits.accountsMax());
        requireRange("expectedTransfers", expectedTransfers, 0, limits.transfersMax());
    }

    /** Defaults for embedding and tests: 10 million accounts, 2^32 transfers, stores in memory. */
    public static StateMachineConfig inMemory() {
        return new StateMachineConfig(LedgerLimits.DEFAULT, 1024, 1 << 16, null);
    }

    public int accountsMax() {
        return (int) limits.accountsMax();
    }

    public long transfersMax() {
        return limits.transfersMax();
    }

    public StateMachineConfig withStoreDirectory(Path directory) {
        return new StateMachineConfig(limits, expectedAccounts, expectedTransfers,
            Objects.requireNonNull(directory, "directory"));
    }

    public StateMachineConfig withExpected(int accounts, long transfers) {
        return new StateMachineConfig(limits, accounts, transfers, storeDirectory);
    }

    /** The same with these global limits (and tenant quotas equal to them). */
    public StateMachineConfig withLimits(int accounts, long transfers) {
        return withLimits(LedgerLimits.of(accounts, transfers));
    }

    public StateMachineConfig withLimits(LedgerLimits value) {
        return new StateMachineConfig(value, (int) Math.min(expectedAccounts, value.accountsMax()),
            Math.min(expectedTransfers, value.transfersMax()), storeDirectory);
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
