package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;

class BackoffWaitStrategyTest {
    private final BackoffWaitStrategy strategy = new BackoffWaitStrategy(10, 20_000, 200_000);
    private final SequenceBarrier barrier = RingBuffer.createSingleProducer(() -> new long[1], 16).newBarrier();

    @Test
    void returnsTheAvailableSequenceAtOnceWhenItIsAlreadyThere() throws Exception {
        Sequence upstream = new Sequence(7);
        assertThat(strategy.waitFor(5, upstream, upstream, barrier)).isEqualTo(7);
    }

    @Test
    void waitsThroughItsParksUntilTheUpstreamStageCatchesUp() throws Exception {
        Sequence upstream = new Sequence(0);
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return strategy.waitFor(3, upstream, upstream, barrier);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertThat(waiter).isNotDone();
        upstream.set(4);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(4);
    }

    @Test
    void aParkedStageIsWokenByTheSignalInsteadOfWaitingOutItsPark() throws Exception {
        // Parks of a minute: only a wake-up can end this wait within the test's five seconds.
        BackoffWaitStrategy slow = new BackoffWaitStrategy(0, 60_000_000_000L, 60_000_000_000L);
        Sequence upstream = new Sequence(0);
        CompletableFuture<Long> waiter = waitAsync(slow, 3, upstream);
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
        upstream.set(3);
        slow.signalAllWhenBlocking();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aStageThatComesBackToWaitWakesTheStagesParkedOnItsProgress() throws Exception {
        BackoffWaitStrategy slow = new BackoffWaitStrategy(0, 60_000_000_000L, 60_000_000_000L);
        Sequence upstream = new Sequence(0);
        CompletableFuture<Long> downstream = waitAsync(slow, 5, upstream);
        Thread.sleep(100);
        assertThat(downstream).isNotDone();
        // The upstream stage publishes its progress, then asks for its own next work (already there).
        upstream.set(5);
        Sequence upstreamsOwnWork = new Sequence(9);
        assertThat(slow.waitFor(6, upstreamsOwnWork, upstreamsOwnWork, barrier)).isEqualTo(9);
        assertThat(downstream.get(5, TimeUnit.SECONDS)).isEqualTo(5);
    }

    private CompletableFuture<Long> waitAsync(BackoffWaitStrategy waits, long sequence, Sequence upstream) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(waits.waitFor(sequence, upstream, upstream, barrier));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "waiting-stage");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    @Test
    void anAlertStopsTheWait() throws Exception {
        Sequence upstream = new Sequence(0);
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                strategy.waitFor(3, upstream, upstream, barrier);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(20);
        barrier.alert();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(AlertException.class);
    }

    @Test
    void refusesParksThatCannotWork() {
        assertThatThrownBy(() -> new BackoffWaitStrategy(0, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffWaitStrategy(0, 100, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
