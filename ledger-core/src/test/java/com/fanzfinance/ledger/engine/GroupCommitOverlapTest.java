package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * The business logic applies a group commit while the journal syncs it, and nothing that reveals those
 * commands — their answers, a query behind them, the event stream — leaves the engine before the sync
 * returns; a sync that fails fails what ran ahead, answers nothing more, and a restart rebuilds the state
 * from the journal. The journal's sync is held (or failed) on purpose at its one test hook.
 */
class GroupCommitOverlapTest {
    private static final long WAIT_SECONDS = 20;
    private static final long NOT_YET_MILLIS = 300;

    @TempDir
    Path data;

    @Test
    void theBusinessLogicRunsAheadOfTheSyncButNothingIsAnsweredBeforeIt() throws Exception {
        try (LedgerEngine engine = LedgerEngine.open(config())) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            long before = engine.appliedCommands();
            long publishedBefore = engine.lastPublishedCommand();
            CountDownLatch syncing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            engine.beforeEachSync(() -> {
                syncing.countDown();
                await(release);
            });

            UnsafeBuffer results = new UnsafeBuffer(new byte[100 * ResultLayout.SIZE]);
            CompletableFuture<CommandOutcome> held = submit(engine, 1_000, 100, results);
            assertThat(syncing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // The command is applied in memory while its sync has not returned ...
            awaitApplied(engine, before + 1);
            // ... but neither it, nor a query behind it, nor its events are out.
            CompletableFuture<Long> count = engine.query(StateMachine::transferCount);
            Thread.sleep(NOT_YET_MILLIS);
            assertThat(held).isNotDone();
            assertThat(count).isNotDone();
            assertThat(engine.lastPublishedCommand()).isEqualTo(publishedBefore);

            engine.beforeEachSync(null);
            release.countDown();
            assertThat(held.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CommandOutcome.APPLIED);
            assertThat(status(results, 0)).isEqualTo(CreateTransferStatus.CREATED);
            assertThat(count.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(100L);
            assertThat(engine.lastPublishedCommand()).isEqualTo(before);
        }
    }

    @Test
    void aFailedSyncFailsWhatRanAheadAnswersNothingMoreAndARestartRebuildsFromTheJournal() throws Exception {
        long failedCommand;
        try (LedgerEngine engine = LedgerEngine.open(config())) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            long publishedBefore = engine.lastPublishedCommand();
            failedCommand = engine.appliedCommands();
            CountDownLatch syncing = new CountDownLatch(1);
            CountDownLatch fail = new CountDownLatch(1);
            engine.beforeEachSync(() -> {
                syncing.countDown();
                await(fail);
                throw new UncheckedIOException(new java.io.IOException("the disk went away"));
            });

            CompletableFuture<CommandOutcome> lost = submit(engine, 1_000, 100,
                new UnsafeBuffer(new byte[100 * ResultLayout.SIZE]));
            assertThat(syncing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            awaitApplied(engine, failedCommand + 1);
            CompletableFuture<Long> count = engine.query(StateMachine::transferCount);
            fail.countDown();

            assertThatThrownBy(() -> lost.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("the disk went away");
            assertThatThrownBy(() -> count.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("the disk went away");
            assertThat(engine.lastPublishedCommand()).as("no event for a command that was not durable")
                .isEqualTo(publishedBefore);
            assertThatThrownBy(() -> engine.query(StateMachine::transferCount)).isInstanceOf(LedgerFailedException.class);
            assertThatThrownBy(() -> submit(engine, 2_000, 1, new UnsafeBuffer(new byte[ResultLayout.SIZE])))
                .isInstanceOf(LedgerFailedException.class);
        }

        // The batch was appended before its sync failed: the journal has it, and a retry finds it done.
        try (LedgerEngine engine = LedgerEngine.open(config())) {
            assertThat(engine.appliedCommands()).isEqualTo(failedCommand + 1);
            UnsafeBuffer results = new UnsafeBuffer(new byte[100 * ResultLayout.SIZE]);
            assertThat(LedgerEngine.join(submit(engine, 1_000, 100, results))).isEqualTo(CommandOutcome.APPLIED);
            for (int i = 0; i < 100; i++) {
                assertThat(status(results, i)).isEqualTo(CreateTransferStatus.EXISTS);
            }
            assertThat(LedgerEngine.join(engine.query(StateMachine::transferCount))).isEqualTo(100L);
            assertThat(engine.lastPublishedCommand()).as("the event stream catches up on the recovered command")
                .isGreaterThanOrEqualTo(failedCommand);
        }
    }

    private EngineConfig config() {
        return EngineConfig.defaults(data).withStateMachine(StateMachineConfig.inMemory(), false);
    }

    private static CompletableFuture<CommandOutcome> submit(LedgerEngine engine, long firstId, int count,
                                                            UnsafeBuffer results) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            Transfer transfer = transfer(firstId + i, 1, 2, 1);
            Records.encode(transfer, records, i * 128);
        }
        return engine.submitTransfers(records, 0, count, new UnsafeBuffer(new byte[4]), 0, 0, null, 0, 0, results, 0);
    }

    private static CreateTransferStatus status(UnsafeBuffer results, int event) {
        return CreateTransferStatus.ofCode(results.getInt(event * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL);
    }

    private static void awaitApplied(LedgerEngine engine, long commands) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (engine.appliedCommands() < commands) {
            assertThat(System.nanoTime()).as("the business logic applies the command while its sync is held")
                .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the sync");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
