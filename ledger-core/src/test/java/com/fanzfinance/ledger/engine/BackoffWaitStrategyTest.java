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
