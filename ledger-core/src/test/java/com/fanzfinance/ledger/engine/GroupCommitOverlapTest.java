package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.testing.Smaps;

/**
 * The business logic applies a group commit while the journal syncs it, and nothing that reveals those
 * commands — their answers, a query and a snapshot request in the same group commit, the event stream, the
 * snapshot file — leaves the engine before the sync returns; a sync that fails fails what ran ahead,
 * answers nothing more, and a restart rebuilds the state from the journal. The journal's syncs are held
 * (or failed) on purpose at its one test hook.
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
            long commandA = engine.appliedCommands();
            SyncHold hold = new SyncHold(-1);
            engine.beforeEachSync(hold);

            UnsafeBuffer resultsA = new UnsafeBuffer(new byte[100 * ResultLayout.SIZE]);
            CompletableFuture<CommandOutcome> a = submit(engine, 1_000, 100, resultsA);
            hold.awaitEntered(0);
            awaitApplied(engine, commandA + 1);
            // Behind A's sync, B, a query and a snapshot request wait in the ring: they share the next group commit.
            UnsafeBuffer resultsB = new UnsafeBuffer(new byte[50 * ResultLayout.SIZE]);
            CompletableFuture<CommandOutcome> b = submit(engine, 2_000, 50, resultsB);
            CountDownLatch computed = new CountDownLatch(1);
            CompletableFuture<Long> count = engine.query(machine -> {
                computed.countDown();
                return machine.transferCount();
            });
            CompletableFuture<Path> snapshot = engine.snapshot();
            Thread.sleep(NOT_YET_MILLIS);
            assertThat(a).as("A is applied in memory, its sync held").isNotDone();
            assertThat(engine.lastPublishedCommand()).isEqualTo(commandA - 1);

            hold.release(0);
            assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CommandOutcome.APPLIED);
            assertThat(status(resultsA, 0)).isEqualTo(CreateTransferStatus.CREATED);
            hold.awaitEntered(1);
            // B is applied and the query computed while their group commit syncs ...
            awaitApplied(engine, commandA + 2);
            assertThat(computed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            List<Path> snapshotsBefore = snapshotFiles();
            Thread.sleep(NOT_YET_MILLIS);
            // ... but none of them, nor B's events, nor the snapshot file, is out before the sync returns.
            assertThat(b).isNotDone();
            assertThat(count).isNotDone();
            assertThat(snapshot).isNotDone();
            assertThat(engine.lastPublishedCommand()).isEqualTo(commandA);
            assertThat(snapshotFiles()).isEqualTo(snapshotsBefore);

            hold.release(1);
            assertThat(b.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CommandOutcome.APPLIED);
            assertThat(count.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(150L);
            assertThat(snapshot.get(WAIT_SECONDS, TimeUnit.SECONDS)).exists();
            assertThat(engine.lastPublishedCommand()).isEqualTo(commandA + 1);
            engine.beforeEachSync(null);
        }
    }

    @Test
    void aFailedSyncFailsWhatRanAheadAnswersNothingMoreAndARestartRebuildsFromTheJournal() throws Exception {
        long commandB;
        try (LedgerEngine engine = LedgerEngine.open(config())) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            long commandA = engine.appliedCommands();
            commandB = commandA + 1;
            SyncHold hold = new SyncHold(1);
            engine.beforeEachSync(hold);

            CompletableFuture<CommandOutcome> a = submit(engine, 1_000, 100,
                new UnsafeBuffer(new byte[100 * ResultLayout.SIZE]));
            hold.awaitEntered(0);
            CompletableFuture<CommandOutcome> b = submit(engine, 2_000, 50,
                new UnsafeBuffer(new byte[50 * ResultLayout.SIZE]));
            CountDownLatch computed = new CountDownLatch(1);
            CompletableFuture<Long> count = engine.query(machine -> {
                computed.countDown();
                return machine.transferCount();
            });
            CompletableFuture<Path> snapshot = engine.snapshot();
            hold.release(0);
            assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CommandOutcome.APPLIED);
            hold.awaitEntered(1);
            awaitApplied(engine, commandB + 1);
            assertThat(computed.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the query ran ahead of the sync").isTrue();
            hold.release(1);

            assertThatThrownBy(() -> b.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("the disk went away");
            assertThatThrownBy(() -> count.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("the disk went away");
            assertThatThrownBy(() -> snapshot.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasRootCauseMessage("the disk went away");
            assertThat(engine.lastPublishedCommand()).as("no event for a command that was not durable")
                .isEqualTo(commandA);
            assertThatThrownBy(() -> engine.query(StateMachine::transferCount)).isInstanceOf(LedgerFailedException.class);
            assertThatThrownBy(() -> submit(engine, 3_000, 1, new UnsafeBuffer(new byte[ResultLayout.SIZE])))
                .isInstanceOf(LedgerFailedException.class);
        }

        // B's batch was appended before its sync failed: its pages are still dirty in the page cache, the
        // restart replays it — and syncs it before taking anything, since a retry will be told it exists.
        Path cycleFile = newestCycleFile();
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            MappedByteBuffer pages = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(channel.size(), 8 << 20));
            for (int at = 0; at < pages.limit(); at += 4096) {
                pages.get(at);
            }
            assertThat(Smaps.dirtyKbOfMappings(cycleFile.toString())).as("the unsynced batch's pages").isPositive();
            try (LedgerEngine engine = LedgerEngine.open(config())) {
                assertThat(Smaps.dirtyKbOfMappings(cycleFile.toString())).as("after recovery").isZero();
            }
        }
        try (LedgerEngine engine = LedgerEngine.open(config())) {
            assertThat(engine.appliedCommands()).isEqualTo(commandB + 1);
            UnsafeBuffer results = new UnsafeBuffer(new byte[50 * ResultLayout.SIZE]);
            assertThat(LedgerEngine.join(submit(engine, 2_000, 50, results))).isEqualTo(CommandOutcome.APPLIED);
            for (int i = 0; i < 50; i++) {
                assertThat(status(results, i)).isEqualTo(CreateTransferStatus.EXISTS);
            }
            assertThat(LedgerEngine.join(engine.query(StateMachine::transferCount))).isEqualTo(150L);
            assertThat(engine.lastPublishedCommand()).as("the event stream catches up on the recovered command")
                .isGreaterThanOrEqualTo(commandB);
        }
    }

    /** Holds the journal's syncs one by one until released; the one numbered {@code failing} then throws. */
    private static final class SyncHold implements Runnable {
        private final List<CountDownLatch> entered = List.of(new CountDownLatch(1), new CountDownLatch(1));
        private final List<CountDownLatch> released = List.of(new CountDownLatch(1), new CountDownLatch(1));
        private final int failing;
        private final AtomicInteger calls = new AtomicInteger();

        SyncHold(int failing) {
            this.failing = failing;
        }

        @Override
        public void run() {
            int call = calls.getAndIncrement();
            if (call >= entered.size()) {
                return;
            }
            entered.get(call).countDown();
            await(released.get(call));
            if (call == failing) {
                throw new UncheckedIOException(new java.io.IOException("the disk went away"));
            }
        }

        void awaitEntered(int call) throws InterruptedException {
            assertThat(entered.get(call).await(WAIT_SECONDS, TimeUnit.SECONDS)).as("sync %d reached", call).isTrue();
        }

        void release(int call) {
            released.get(call).countDown();
        }
    }

    private Path newestCycleFile() throws java.io.IOException {
        try (var files = Files.list(config().journalDirectory())) {
            return files.filter(file -> file.toString().endsWith(".cq4")).max(java.util.Comparator.naturalOrder())
                .orElseThrow();
        }
    }

    private List<Path> snapshotFiles() throws java.io.IOException {
        Path directory = config().snapshotDirectory();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.sorted().toList();
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
