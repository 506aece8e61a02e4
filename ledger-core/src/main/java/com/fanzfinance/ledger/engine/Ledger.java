package com.fanzfinance.ledger.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.JournalFormat;

/**
 * What a service needs of a ledger, whichever way it runs: the single-node {@link LedgerEngine} (its own
 * journal, group commit) or a replica of a clustered ledger (commands through a replicated log). The
 * contracts are {@link LedgerEngine}'s: a write's future completes once the command is durable and
 * applied, its 16-byte results in the caller's buffer; a query runs on the thread that owns the state.
 */
public interface Ledger {
    /**
     * The one way every write goes: a command of {@code type} with its events, the tenants it carries (for
     * accounts one per account followed by the scope; for transfers the scope), its side data, and where its
     * 16-byte results go. The future completes with the {@link CommandOutcome} once the command is durable
     * and applied. Callers use the typed methods below, which check their arguments first.
     */
    CompletableFuture<CommandOutcome> submitCommand(CommandType type, DirectBuffer records, int offset, int count,
                                                    DirectBuffer tenants, int tenantsOffset, int tenantCount,
                                                    DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                                    MutableDirectBuffer results, int resultsOffset);

    /**
     * Submits accounts for the tenants a caller may touch: {@code tenants} holds one 4-byte tenant per account
     * followed by the {@code scopeCount} tenants of the scope (0: any tenant), or is null (no tenant, no scope).
     * A scoped command is refused whole ({@link CommandOutcome#TENANT_FORBIDDEN}) if an account is for a tenant
     * outside the scope or its id belongs to an account outside it, and ({@link CommandOutcome#TENANT_QUOTA_EXCEEDED})
     * if it would take a tenant past its account quota. The results are in {@code results} once the future
     * completes; the caller's buffers must stay untouched until then.
     */
    default CompletableFuture<CommandOutcome> submitAccounts(DirectBuffer records, int offset, int count,
                                                             DirectBuffer tenants, int tenantsOffset, int scopeCount,
                                                             DirectBuffer sideData, int sideDataOffset,
                                                             int sideDataLength, MutableDirectBuffer results,
                                                             int resultsOffset) {
        if (scopeCount < 0 || scopeCount > JournalFormat.TENANT_SCOPE_MAX) {
            throw new IllegalArgumentException("a tenant scope holds 0.." + JournalFormat.TENANT_SCOPE_MAX + " tenants");
        }
        if (tenants == null) {
            if (scopeCount > 0) {
                throw new IllegalArgumentException("a scoped account command needs its tenants");
            }
            tenants = new UnsafeBuffer(new byte[count * Integer.BYTES]);
            tenantsOffset = 0;
        }
        LedgerEngine.requireCapacity(tenants, tenantsOffset, (count + scopeCount) * Integer.BYTES, "tenants");
        return submitCommand(CommandType.CREATE_ACCOUNTS, records, offset, count, tenants, tenantsOffset,
            count + scopeCount, sideData, sideDataOffset, sideDataLength, results, resultsOffset);
    }

    /** Accounts that may be for any tenant (no scope). */
    default CompletableFuture<CommandOutcome> submitAccounts(DirectBuffer records, int offset, int count,
                                                             DirectBuffer tenants, int tenantsOffset, DirectBuffer sideData,
                                                             int sideDataOffset, int sideDataLength,
                                                             MutableDirectBuffer results, int resultsOffset) {
        return submitAccounts(records, offset, count, tenants, tenantsOffset, 0, sideData, sideDataOffset,
            sideDataLength, results, resultsOffset);
    }

    /**
     * Submits transfers that may only touch accounts of the {@code tenantCount} 4-byte tenant ids in
     * {@code tenantScope} (0: any); a transfer outside it makes the whole command
     * {@link CommandOutcome#TENANT_FORBIDDEN}, with nothing applied.
     */
    default CompletableFuture<CommandOutcome> submitTransfers(DirectBuffer records, int offset, int count,
                                                              DirectBuffer tenantScope, int tenantScopeOffset,
                                                              int tenantCount, DirectBuffer sideData, int sideDataOffset,
                                                              int sideDataLength, MutableDirectBuffer results,
                                                              int resultsOffset) {
        if (tenantCount < 0 || tenantCount > JournalFormat.TENANT_SCOPE_MAX) {
            throw new IllegalArgumentException("a tenant scope holds 0.." + JournalFormat.TENANT_SCOPE_MAX + " tenants");
        }
        LedgerEngine.requireCapacity(tenantScope, tenantScopeOffset, tenantCount * Integer.BYTES, "tenant scope");
        return submitCommand(CommandType.CREATE_TRANSFERS, records, offset, count, tenantScope, tenantScopeOffset,
            tenantCount, sideData, sideDataOffset, sideDataLength, results, resultsOffset);
    }

    /** Transfers that may touch any account. */
    default CompletableFuture<CommandOutcome> submitTransfers(DirectBuffer records, int offset, int count,
                                                              DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                                              MutableDirectBuffer results, int resultsOffset) {
        return submitTransfers(records, offset, count, null, 0, 0, sideData, sideDataOffset, sideDataLength, results,
            resultsOffset);
    }

    /** Registers a tenant or changes its quotas. */
    default CompletableFuture<LedgerEngine.TenantOutcome> submitTenant(TenantSettings settings) {
        UnsafeBuffer record = new UnsafeBuffer(new byte[128]);
        settings.encode(record, 0);
        UnsafeBuffer result = new UnsafeBuffer(new byte[16]);
        return submitCommand(CommandType.SET_TENANT, record, 0, 1, null, 0, 0, null, 0, 0, result, 0)
            .thenApply(outcome -> new LedgerEngine.TenantOutcome(SetTenantStatus.ofCode(result.getInt(8)),
                result.getInt(12)));
    }

    /** Sets the limits in force; commands after it are decided against them. */
    default CompletableFuture<CommandOutcome> submitLimits(LedgerLimits limits) {
        UnsafeBuffer record = new UnsafeBuffer(new byte[128]);
        limits.encode(record, 0);
        return submitCommand(CommandType.SET_LIMITS, record, 0, 1, null, 0, 0, null, 0, 0, new UnsafeBuffer(new byte[16]),
            0);
    }

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
