package com.fanzfinance.ledger.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.TenantSettings;

/**
 * What a service needs of a ledger, whichever way it runs: the single-node {@link LedgerEngine} (its own
 * journal, group commit) or a replica of a clustered ledger (commands through a replicated log). The
 * contracts are {@link LedgerEngine}'s: a write's future completes once the command is durable and
 * applied, its 16-byte results in the caller's buffer; a query runs on the thread that owns the state.
 */
public interface Ledger {
    /** See {@link LedgerEngine#submitAccounts(DirectBuffer, int, int, DirectBuffer, int, int, DirectBuffer, int, int, MutableDirectBuffer, int)}. */
    CompletableFuture<CommandOutcome> submitAccounts(DirectBuffer records, int offset, int count, DirectBuffer tenants,
                                                     int tenantsOffset, int scopeCount, DirectBuffer sideData,
                                                     int sideDataOffset, int sideDataLength, MutableDirectBuffer results,
                                                     int resultsOffset);

    /** Accounts that may be for any tenant (no scope). */
    default CompletableFuture<CommandOutcome> submitAccounts(DirectBuffer records, int offset, int count,
                                                             DirectBuffer tenants, int tenantsOffset, DirectBuffer sideData,
                                                             int sideDataOffset, int sideDataLength,
                                                             MutableDirectBuffer results, int resultsOffset) {
        return submitAccounts(records, offset, count, tenants, tenantsOffset, 0, sideData, sideDataOffset,
            sideDataLength, results, resultsOffset);
    }

    /** See {@link LedgerEngine#submitTransfers(DirectBuffer, int, int, DirectBuffer, int, int, DirectBuffer, int, int, MutableDirectBuffer, int)}. */
    CompletableFuture<CommandOutcome> submitTransfers(DirectBuffer records, int offset, int count, DirectBuffer tenantScope,
                                                      int tenantScopeOffset, int tenantCount, DirectBuffer sideData,
                                                      int sideDataOffset, int sideDataLength, MutableDirectBuffer results,
                                                      int resultsOffset);

    /** Transfers that may touch any account. */
    default CompletableFuture<CommandOutcome> submitTransfers(DirectBuffer records, int offset, int count,
                                                              DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                                              MutableDirectBuffer results, int resultsOffset) {
        return submitTransfers(records, offset, count, null, 0, 0, sideData, sideDataOffset, sideDataLength, results,
            resultsOffset);
    }

    /** Registers a tenant or changes its quotas. */
    CompletableFuture<LedgerEngine.TenantOutcome> submitTenant(TenantSettings settings);

    /** Sets the limits in force; commands after it are decided against them. */
    CompletableFuture<CommandOutcome> submitLimits(LedgerLimits limits);

    /** Runs a read on the thread that owns the state, after every write this ledger has acknowledged. */
    <T> CompletableFuture<T> query(Function<StateMachine, T> read);

    /** Blocking convenience for lookups: waits for the query. */
    default <T> T read(Function<StateMachine, T> read) {
        return LedgerEngine.join(query(read));
    }

    /** SHA-256 of the state, computed between commands. */
    default byte[] stateHash() {
        return read(StateMachine::stateHash);
    }

    default Optional<com.fanzfinance.ledger.command.Account> lookupAccount(com.fanzfinance.ledger.command.Uint128 id) {
        return Optional.ofNullable(read(machine -> machine.lookupAccount(id)));
    }

    /** Takes a snapshot now; completes with where it was written. */
    CompletableFuture<Path> snapshot();

    /** Whether the ledger has stopped after a failure, and its counters. */
    EngineHealth health();

    /** The last command whose outcome excerpt is in this ledger's event stream (-1: none). */
    long lastPublishedCommand();

    /** Commands waiting to be applied (the ring's depth, or the requests in flight to the cluster). */
    long ringDepth();

    /** The most commands that may wait at once (the ring's slots, or a cluster client's bound). */
    int ringSize();

    /** The clock commands are stamped from, in nanoseconds since the epoch (the wall clock in production). */
    long clockNanos();

    /** Stops taking commands and closes; a final snapshot first if {@code snapshot}. */
    void close(boolean snapshot);
}
