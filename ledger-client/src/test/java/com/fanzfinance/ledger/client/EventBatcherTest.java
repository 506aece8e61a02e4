package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/**
 * Every event submitted to the batcher completes, whatever its sender throws — an {@link Error} such as
 * the {@code IllegalAccessError} of a missing JVM flag included — and when the batcher's thread cannot
 * go on, later events fail at once instead of waiting forever. The bound on each test only guards
 * against a hang; it is not a measure of speed.
 */
class EventBatcherTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final long ONE_SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<List<Integer>> sentBatches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchSending = new CountDownLatch(1);
    private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);
    private EventBatcher<Integer, CreateTransferStatus> batcher;

    @AfterEach
    void stop() {
        releaseFirstBatch.countDown();
        if (batcher != null) {
            assertTimeoutPreemptively(HANG_GUARD, batcher::close);
        }
    }

    /** Answers {@code created} for every event, except that a batch holding {@code failing} throws {@code error}. */
    private EventBatcher.BatchSender<Integer, CreateTransferStatus> throwingFor(int failing, Error error) {
        return events -> {
            sentBatches.add(events);
            if (sentBatches.size() == 1) {
                firstBatchSending.countDown();
                await(releaseFirstBatch);
            }
            if (events.contains(failing)) {
                throw error;
            }
            return CompletableFuture.completedFuture(created(events.size()));
        };
    }

    private static List<CreateResult<CreateTransferStatus>> created(int count) {
        List<CreateResult<CreateTransferStatus>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(new CreateResult<>(i, CreateTransferStatus.CREATED, 1000 + i));
        }
        return results;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void start(EventBatcher.BatchSender<Integer, CreateTransferStatus> sender, long lingerNanos) {
        batcher = new EventBatcher<>("test-batcher", sender, 100, lingerNanos, 1, 1000);
    }

    /** Event 0 goes alone and is held while {@code queued} are submitted, so those form the next batch. */
    private List<CompletableFuture<CreateResult<CreateTransferStatus>>> queueBehindTheFirst(int... queued) {
        CompletableFuture<CreateResult<CreateTransferStatus>> first = batcher.submit(0);
        await(firstBatchSending);
        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = new ArrayList<>(List.of(first));
        for (int event : queued) {
            futures.add(batcher.submit(event));
        }
        releaseFirstBatch.countDown();
        return futures;
    }

    @Test
    void anErrorThrownWhileSendingABatchFailsEveryEventOfItAndTheNextBatchesStillGo() {
        IllegalAccessError missingFlag = new IllegalAccessError("class org.agrona.UnsafeApi cannot access class"
            + " jdk.internal.misc.Unsafe");
        start(throwingFor(3, missingFlag), 0);

        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = queueBehindTheFirst(1, 2, 3, 4);

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThat(futures.get(0).join().status()).isEqualTo(CreateTransferStatus.CREATED);
            for (CompletableFuture<CreateResult<CreateTransferStatus>> future : futures.subList(1, 5)) {
                assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause().isSameAs(missingFlag);
            }
            assertThat(batcher.submit(5).join().status()).as("the thread survived").isEqualTo(CreateTransferStatus.CREATED);
        });
        assertThat(sentBatches).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5));
    }

    @Test
    void aBatcherWhoseThreadStoppedMidBatchFailsThatBatchAndEveryLaterEventAtOnce() throws Exception {
        start(events -> CompletableFuture.completedFuture(created(events.size())), ONE_SECOND_NANOS);
        Thread thread = batcherThread();

        CompletableFuture<CreateResult<CreateTransferStatus>> collecting = batcher.submit(1);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        thread.interrupt();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThatThrownBy(collecting::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-batcher stopped");
            thread.join();
            assertThatThrownBy(() -> batcher.submit(2).join()).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-batcher stopped");
            batcher.close();
        });
        assertThat(sentBatches).isEmpty();
    }

    private static Thread batcherThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals("test-batcher"))
            .filter(Thread::isAlive).findFirst().orElseThrow();
    }
}
