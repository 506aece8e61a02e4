package com.fanzfinance.ledger.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.Sequencer;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * The state machine embedded in-process without a journal: nothing survives the process. For tests,
 * simulations and programs that keep their own log. The state machine runs on one thread of its own
 * (its business thread); callers block until their command is applied.
 */
public final class InMemoryLedger implements Ledger {
    private final ExecutorService businessThread;
    private final StateMachine stateMachine;
    private final Sequencer sequencer;
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[BATCH_EVENTS_MAX * TransferLayout.SIZE]);
    private final UnsafeBuffer tenants = new UnsafeBuffer(new byte[BATCH_EVENTS_MAX * Integer.BYTES]);
    private final UnsafeBuffer results = new UnsafeBuffer(new byte[BATCH_EVENTS_MAX * ResultLayout.SIZE]);

    public InMemoryLedger(StateMachineConfig config) {
        this(config, Sequencer.systemClock());
    }

    /** @param clockNanos the time source for timestamps (injectable for deterministic tests) */
    public InMemoryLedger(StateMachineConfig config, LongSupplier clockNanos) {
        JvmRequirements.requireForInMemoryLedger();
        this.businessThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ledger-business");
            thread.setDaemon(true);
            return thread;
        });
        this.stateMachine = call(() -> new StateMachine(config));
        this.sequencer = new Sequencer(clockNanos, 0);
    }

    @Override
    public List<CreateResult<CreateAccountStatus>> createAccounts(List<Account> accounts) {
        Batches.requireBatchSize(accounts.size());
        return call(() -> {
            Batches.encodeAccounts(accounts, events, tenants);
            long timestamp = sequencer.next(accounts.size());
            Batches.requireApplied(stateMachine.createAccounts(timestamp, events, 0, accounts.size(), tenants, 0, results, 0));
            return Batches.accountResults(results, accounts.size());
        });
    }

    @Override
    public List<CreateResult<CreateTransferStatus>> createTransfers(List<Transfer> transfers) {
        Batches.requireBatchSize(transfers.size());
        return call(() -> {
            Batches.encodeTransfers(transfers, events);
            long timestamp = sequencer.next(transfers.size());
            Batches.requireApplied(stateMachine.createTransfers(timestamp, events, 0, transfers.size(), results, 0));
            return Batches.transferResults(results, transfers.size());
        });
    }

    /** Advances time without other work, expiring pending transfers that are due. */
    public int tick() {
        return call(() -> stateMachine.tick(sequencer.next(1)));
    }

    @Override
    public Optional<Account> lookupAccount(Uint128 id) {
        return Optional.ofNullable(call(() -> stateMachine.lookupAccount(id)));
    }

    @Override
    public Optional<Transfer> lookupTransfer(Uint128 id) {
        return Optional.ofNullable(call(() -> stateMachine.lookupTransfer(id)));
    }

    @Override
    public List<Transfer> accountTransfers(AccountFilter filter) {
        return call(() -> stateMachine.accountTransfers(filter));
    }

    @Override
    public List<AccountBalance> accountBalances(AccountFilter filter) {
        return call(() -> stateMachine.accountBalances(filter));
    }

    /** SHA-256 of the state (see {@link StateMachine#stateHash()}). */
    public byte[] stateHash() {
        return call(stateMachine::stateHash);
    }

    @Override
    public void close() {
        call(() -> {
            stateMachine.close();
            return null;
        });
        businessThread.shutdown();
        try {
            businessThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T call(Callable<T> work) {
        Future<T> future = businessThread.submit(work);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
