package com.fanzfinance.benchmarks;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.ledger.state.LedgerState;

/**
 * Measures what the engine's stores actually hold per account and per transfer after loading a given
 * number of accounts and single-phase transfers: {@code MemoryFootprint <accounts> <transfers>}.
 * Prints the figures quoted in docs/benchmarks.md.
 */
public final class MemoryFootprint {
    private static final int BATCH = 8189;

    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long transfers = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
        try (StateMachine stateMachine = new StateMachine(StateMachineConfig.inMemory())) {
            load(stateMachine, accounts, transfers);
            report(stateMachine.state(), accounts, transfers);
        }
    }

    private static void load(StateMachine stateMachine, int accounts, long transfers) {
        UnsafeBuffer batch = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
        UnsafeBuffer results = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
        long clock = 1_767_225_600_000_000_000L;
        for (int first = 0; first < accounts; first += BATCH) {
            int count = Math.min(BATCH, accounts - first);
            batch.setMemory(0, batch.capacity(), (byte) 0);
            for (int i = 0; i < count; i++) {
                batch.putLong(i * AccountLayout.SIZE + AccountLayout.ID, first + i + 1);
                batch.putInt(i * AccountLayout.SIZE + AccountLayout.LEDGER, 1);
                batch.putShort(i * AccountLayout.SIZE + AccountLayout.CODE, (short) 1);
            }
            clock += count;
            stateMachine.createAccounts(clock, batch, 0, count, null, 0, results, 0);
        }
        SplittableRandom random = new SplittableRandom(1);
        batch.setMemory(0, batch.capacity(), (byte) 0);
        long id = 1;
        for (long done = 0; done < transfers; done += BATCH) {
            int count = (int) Math.min(BATCH, transfers - done);
            for (int i = 0; i < count; i++) {
                int offset = i * TransferLayout.SIZE;
                int debit = random.nextInt(accounts);
                batch.putLong(offset + TransferLayout.ID, id++);
                batch.putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, debit + 1);
                batch.putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, (debit + 1) % accounts + 1);
                batch.putLong(offset + TransferLayout.AMOUNT, 1);
                batch.putInt(offset + TransferLayout.LEDGER, 1);
                batch.putShort(offset + TransferLayout.CODE, (short) 1);
            }
            clock += count;
            stateMachine.createTransfers(clock, batch, 0, count, results, 0);
        }
    }

    private static void report(LedgerState state, int accounts, long transfers) {
        System.out.printf("accounts: %,d  transfers: %,d%n", accounts, transfers);
        System.out.printf("per account (memory, store + id index): %.1f bytes%n",
            state.accounts().memoryBytes() / (double) accounts);
        System.out.printf("per transfer, id index (memory or mapped file): %.1f bytes%n",
            state.transferIds().memoryBytes() / (double) transfers);
        System.out.printf("per transfer, record (mapped file): %d bytes%n", TransferLayout.SIZE);
        System.out.printf("per transfer, both accounts' transfer lists (mapped file): %.1f bytes%n",
            state.accountTransferLists().usedBytes() / (double) transfers);
    }
}
