package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.pending;
import static com.fanzfinance.ledger.testing.Fixtures.post;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.testing.TestLedger;

/** The state hash is a function of the command stream only; only one thread may drive a state machine. */
class StateHashAndThreadingTest {
    @Test
    void sameCommandStreamGivesTheSameHashInMemoryAndMapped(@TempDir Path directory) {
        try (TestLedger inMemory = new TestLedger();
             TestLedger mapped = new TestLedger(StateMachineConfig.inMemory().withStoreDirectory(directory),
                 LedgerListener.NONE)) {
            run(inMemory);
            run(mapped);
            assertThat(mapped.stateHash()).isEqualTo(inMemory.stateHash());
            assertThat(directory.toFile().list()).isNotEmpty();
        }
    }

    @Test
    void anyDifferenceChangesTheHash() {
        try (TestLedger a = new TestLedger(); TestLedger b = new TestLedger()) {
            run(a);
            run(b);
            b.transfers(transfer(99, 1, 2, 1));
            assertThat(b.stateHash()).isNotEqualTo(a.stateHash());
        }
    }

    @Test
    void aFailedChainLeavesTheSameHashAsNoChain() {
        try (TestLedger a = new TestLedger(); TestLedger b = new TestLedger()) {
            run(a);
            run(b);
            a.transfers(transfer(53, 1, 1, 5), transfer(53, 1, 1, 5), transfer(53, 1, 1, 5), transfer(53, 1, 1, 5));
            b.transfers(transfer(50, 1, 2, 5).withFlags(TransferFlags.LINKED),
                pending(51, 1, 2, 5, 9).withFlags(TransferFlags.LINKED | TransferFlags.PENDING), transfer(52, 1, 2, 5)
                    .withFlags(TransferFlags.LINKED), transfer(53, 1, 1, 5));
            assertThat(b.stateHash()).isEqualTo(a.stateHash());
        }
    }

    @Test
    void anotherThreadIsRefused() throws InterruptedException {
        try (TestLedger ledger = new TestLedger()) {
            ledger.accounts(account(1));
            CompletableFuture<Object> elsewhere = CompletableFuture.supplyAsync(() -> ledger.lookupAccount(1));
            assertThatThrownBy(elsewhere::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AssertionError.class);
        }
    }

    private static void run(TestLedger ledger) {
        ledger.accounts(account(1), account(2, AccountFlags.HISTORY), account(3, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        for (int i = 0; i < 50; i++) {
            ledger.transfers(transfer(100 + i, 1 + i % 2, 2 - i % 2, i), pending(200 + i, 1, 2, 3, i % 3),
                transfer(300 + i, 3, 1, 1));
            ledger.advanceSeconds(1);
            ledger.transfers(post(400 + i, 200 + i, i % 4));
        }
    }
}
