package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * The start's warm-up ({@link LedgerEngine#warmUp}): synthetic transfers on a throwaway state machine, never on the
 * ledger; its files deleted when it ends or is stopped by a close; at most one, never after a close.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineWarmUpTest {
    @TempDir
    Path data;

    @Test
    void aWarmUpAppliesItsMixToAThrowawayLedgerAndLeavesThisOneAsItWas() throws Exception {
        // A clock that stands still: the sequencer numbers the timestamps, so two ledgers given the same commands match.
        EngineConfig config = EngineConfig.defaults(data).withTiming(50, 1000).withClock(() -> 1_000_000_000L);
        byte[] withoutWarmUp;
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(data.resolve("plain")).withTiming(50, 1000)
            .withClock(() -> 1_000_000_000L))) {
            load(ledger);
            withoutWarmUp = ledger.engine().stateHash();
        }
        try (DurableLedger ledger = DurableLedger.open(config)) {
            var result = ledger.engine().warmUp(50_000).get(60, TimeUnit.SECONDS);
            assertThat(result.applied()).as("whole batches").isEqualTo(7L * EngineWarmUp.BATCH);
            // Most were created; repeats, transfers to a missing account and posts of failed pendings were not.
            assertThat(result.created()).isBetween(result.applied() * 9 / 10, result.applied() - 100);
            assertThat(ledger.engine().warmUpDirectory()).as("its files deleted when it ended").doesNotExist();
            assertThat(ledger.lookupAccount(Uint128.of(1))).as("none of the warm-up's accounts here").isEmpty();
            assertThat(ledger.engine().query(StateMachine::transferCount).get()).isZero();
            load(ledger);
            assertThat(ledger.engine().stateHash()).as("the same ledger as one that never warmed up")
                .isEqualTo(withoutWarmUp);
            assertThatIllegalStateException().isThrownBy(() -> ledger.engine().warmUp(1))
                .withMessage("a warm-up was already started");
        }
    }

    @Test
    void aCloseStopsAWarmUpBetweenBatchesAndItsFilesAreGone() throws Exception {
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(data).withTiming(50, 1000))) {
            var done = ledger.engine().warmUp(10_000_000);
            Path store = ledger.engine().warmUpDirectory().resolve("transfers.store");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(store)) {
                assertThat(System.nanoTime()).as("the warm-up's own stores appear").isLessThan(deadline);
                Thread.sleep(5);
            }
            ledger.engine().close();
            var result = done.get(30, TimeUnit.SECONDS);
            assertThat(result.applied()).as("stopped early").isLessThan(10_000_000);
            assertThat(ledger.engine().warmUpDirectory()).doesNotExist();
            assertThatIllegalStateException().isThrownBy(() -> ledger.engine().warmUp(1))
                .withMessage("the ledger engine is closed");
        }
    }

    @Test
    void filesAWarmUpLeftBehindAreDeletedWhenTheEngineOpensWhetherOrNotItWarmsUp() throws Exception {
        Path leftover = data.resolve("warm-up").resolve("transfers.store");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[] {1, 2, 3}); // as a process that died while warming up would leave
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(data).withTiming(50, 1000))) {
            assertThat(ledger.engine().warmUpDirectory()).isEqualTo(data.resolve("warm-up")).doesNotExist();
        }
    }

    @Test
    void aLedgerWithSmallLimitsWarmsUpUnderItsOwnInRoundsOfBoundedSize() throws Exception {
        // The ledger allows 10 accounts and 1,000 transfers; the warm-up makes 1,000 accounts and, over three rounds,
        // 40 batches — each round on a new throwaway machine, so it never holds more than a round.
        EngineConfig small = EngineConfig.defaults(data).withTiming(50, 1000)
            .withStateMachine(StateMachineConfig.inMemory().withLimits(10, 1_000), true);
        try (DurableLedger ledger = DurableLedger.open(small)) {
            var result = ledger.engine().warmUp(40L * EngineWarmUp.BATCH).get(120, TimeUnit.SECONDS);
            assertThat(result.applied()).isEqualTo(40L * EngineWarmUp.BATCH);
            // Of each round's first batch none is sent again; of the others one in 64 that was plain.
            assertThat(result.created()).isBetween(result.applied() * 9 / 10, result.applied() - 1_000);
            assertThat(ledger.engine().warmUpDirectory()).doesNotExist();
        }
    }

    @Test
    void anEngineWithHeapStoresWarmsUpInProcessMemory() throws Exception {
        EngineConfig heap = EngineConfig.defaults(data).withTiming(50, 1000)
            .withStateMachine(StateMachineConfig.inMemory(), false);
        try (DurableLedger ledger = DurableLedger.open(heap)) {
            assertThatIllegalArgumentException().isThrownBy(() -> ledger.engine().warmUp(0));
            var result = ledger.engine().warmUp(1).get(60, TimeUnit.SECONDS);
            assertThat(result.applied()).isEqualTo(EngineWarmUp.BATCH);
            assertThat(ledger.engine().warmUpDirectory()).as("no files").doesNotExist();
        }
    }

    private static void load(DurableLedger ledger) {
        ledger.createAccounts(List.of(Account.of(Uint128.of(1), 1, 1), Account.of(Uint128.of(2), 1, 1)));
        for (int i = 0; i < 5; i++) {
            assertThat(ledger.createTransfers(List.of(Transfer.of(Uint128.of(100 + i), Uint128.of(1), Uint128.of(2),
                10 + i, 1, 1))).get(0).status()).isEqualTo(CreateTransferStatus.CREATED);
        }
    }
}
