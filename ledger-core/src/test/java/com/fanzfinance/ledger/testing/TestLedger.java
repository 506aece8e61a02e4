package com.fanzfinance.ledger.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerListener;
import com.fanzfinance.ledger.engine.Sequencer;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * A state machine driven directly from the test thread, with a clock the test moves by hand, so
 * timestamps and expiries are exact. Results are decoded into plain lists.
 */
public final class TestLedger implements AutoCloseable {
    /** 2026-01-01T00:00:00Z in nanoseconds: the clock's starting point. */
    public static final long START_NS = 1_767_225_600_000_000_000L;

    private final StateMachine stateMachine;
    private final Sequencer sequencer;
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[8189 * 128]);
    private final UnsafeBuffer tenants = new UnsafeBuffer(new byte[8189 * 4]);
    private final UnsafeBuffer results = new UnsafeBuffer(new byte[8189 * 16]);
    private long clockNs = START_NS;
    private long[] lastTimestamps = new long[0];

    public TestLedger() {
        this(StateMachineConfig.inMemory(), LedgerListener.NONE);
    }

    public TestLedger(StateMachineConfig config, LedgerListener listener) {
        this.stateMachine = new StateMachine(config, listener);
        this.sequencer = new Sequencer(() -> clockNs, 0);
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public long nowNs() {
        return clockNs;
    }

    public void advanceSeconds(long seconds) {
        clockNs += seconds * 1_000_000_000L;
    }

    public void advanceNanos(long nanos) {
        clockNs += nanos;
    }

    /** The timestamp the next command of {@code count} events will get (T, the last event's). */
    public long nextCommandTimestamp(int count) {
        return Math.max(sequencer.lastTimestamp() + Math.max(count, 1), clockNs + Math.max(count, 1) - 1);
    }

    public List<CreateAccountStatus> accounts(Account... accounts) {
        for (int i = 0; i < accounts.length; i++) {
            Records.encode(accounts[i], events, i * 128);
            tenants.putInt(i * 4, accounts[i].tenant());
        }
        long timestamp = sequencer.next(accounts.length);
        CommandOutcome outcome = stateMachine.createAccounts(timestamp, events, 0, accounts.length, tenants, 0, results, 0);
        if (outcome != CommandOutcome.APPLIED) {
            throw new IllegalStateException(outcome.toString());
        }
        List<CreateAccountStatus> statuses = new ArrayList<>();
        readTimestamps(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            statuses.add(CreateAccountStatus.ofCode(results.getInt(i * 16 + ResultLayout.STATUS) & 0xFFFF_FFFFL));
        }
        return statuses;
    }

    public CreateAccountStatus account(Account account) {
        return accounts(account).get(0);
    }

    public List<CreateTransferStatus> transfers(Transfer... transfers) {
        for (int i = 0; i < transfers.length; i++) {
            Records.encode(transfers[i], events, i * 128);
        }
        return applyTransferRecords(transfers.length);
    }

    /** Applies raw records already written into {@link #eventBuffer()} (for fields the records cannot hold). */
    public List<CreateTransferStatus> applyTransferRecords(int count) {
        long timestamp = sequencer.next(count);
        CommandOutcome outcome = stateMachine.createTransfers(timestamp, events, 0, count, results, 0);
        if (outcome != CommandOutcome.APPLIED) {
            throw new IllegalStateException(outcome.toString());
        }
        List<CreateTransferStatus> statuses = new ArrayList<>();
        readTimestamps(count);
        for (int i = 0; i < count; i++) {
            statuses.add(CreateTransferStatus.ofCode(results.getInt(i * 16 + ResultLayout.STATUS) & 0xFFFF_FFFFL));
        }
        return statuses;
    }

    public List<CreateAccountStatus> applyAccountRecords(int count) {
        long timestamp = sequencer.next(count);
        stateMachine.createAccounts(timestamp, events, 0, count, null, 0, results, 0);
        List<CreateAccountStatus> statuses = new ArrayList<>();
        readTimestamps(count);
        for (int i = 0; i < count; i++) {
            statuses.add(CreateAccountStatus.ofCode(results.getInt(i * 16 + ResultLayout.STATUS) & 0xFFFF_FFFFL));
        }
        return statuses;
    }

    public UnsafeBuffer eventBuffer() {
        return events;
    }

    public CreateTransferStatus transfer(Transfer transfer) {
        return transfers(transfer).get(0);
    }

    /** The result timestamps of the last command, one per event. */
    public long[] lastResultTimestamps() {
        return lastTimestamps.clone();
    }

    public int tick() {
        return stateMachine.tick(sequencer.next(1));
    }

    public Account lookupAccount(long id) {
        return stateMachine.lookupAccount(Uint128.of(id));
    }

    public Transfer lookupTransfer(long id) {
        return stateMachine.lookupTransfer(Uint128.of(id));
    }

    public List<Transfer> accountTransfers(AccountFilter filter) {
        return stateMachine.accountTransfers(filter);
    }

    public List<AccountBalance> accountBalances(AccountFilter filter) {
        return stateMachine.accountBalances(filter);
    }

    public byte[] stateHash() {
        return stateMachine.stateHash();
    }

    @Override
    public void close() {
        stateMachine.close();
    }

    private void readTimestamps(int count) {
        lastTimestamps = new long[count];
        for (int i = 0; i < count; i++) {
            lastTimestamps[i] = results.getLong(i * 16 + ResultLayout.TIMESTAMP);
        }
    }

    @Override
    public String toString() {
        return "TestLedger" + Arrays.toString(lastTimestamps);
    }
}
