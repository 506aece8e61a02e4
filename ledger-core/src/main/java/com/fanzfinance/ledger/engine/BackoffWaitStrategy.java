package com.fanzfinance.ledger.engine;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * How the pipeline's stages wait for work on a machine with few cores: a short run of
 * {@link Thread#yield()}s, then parks — woken as soon as the work is there, with parks that double from
 * {@code minParkNanos} to {@code maxParkNanos} only as a safety net.
 *
 * <p>Spinning would take a core from the stage that has the work; parking for a fixed 20 µs (Disruptor's
 * sleeping strategy as configured before) costs a futex wake-up and a context switch 20,000 to 50,000
 * times a second per idle stage — measured at 15% of the server's CPU under the load generator. Parks that
 * only time out, on the other hand, add up to {@code maxParkNanos} per stage to a request that arrives
 * after an idle spell, and a long run of yields took three quarters of the pipeline threads' CPU when
 * small requests kept the stages hovering between busy and idle (async-profiler, single transfers from 64
 * threads). So a stage that parks registers itself, and whoever makes work available for it wakes it:
 * Disruptor calls {@link #signalAllWhenBlocking} when a producer publishes into the ring, and every stage
 * calls it on entering {@link #waitFor}, which Disruptor's batch processor does right after publishing its
 * own progress — the progress a downstream stage waits for (only when that progress moved: a stage that
 * comes back empty-handed wakes nobody). The waiter registers, then (after a full fence) checks the
 * sequence again; the signaller's sequence store is followed by a full fence before it looks for waiters
 * (Disruptor's {@code Sequence.set} is a release store, which a later load may pass): one of the two sees the
 * other, so a wake-up is not lost. Were one lost anyway, the park's timeout would end the wait.
 */
final class BackoffWaitStrategy implements WaitStrategy {
    /** Stages that may register; a thread beyond them still waits correctly, on its timed parks alone. */
    private static final int SLOTS = 64;

    private final AtomicInteger nextSlot = new AtomicInteger();
    private final ThreadLocal<Integer> slotOfThread = ThreadLocal.withInitial(nextSlot::getAndIncrement);

    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final AtomicReferenceArray<Thread> parked = new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger parkedCount = new AtomicInteger();
    /** Per slot, the sequence its thread last asked for when it signalled (written by that thread only). */
    private final long[] lastSignalled = new long[SLOTS];

    BackoffWaitStrategy(int yields, long minParkNanos, long maxParkNanos) {
        if (yields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("yields ≥ 0 and 1 ≤ minParkNanos ≤ maxParkNanos");
        }
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        java.util.Arrays.fill(lastSignalled, Long.MIN_VALUE);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException {
        int slot = Math.floorMod(slotOfThread.get(), SLOTS);
        // The caller asks for a later sequence than last time: it has published progress; wake whoever waits on it.
        if (sequence > lastSignalled[slot]) {
            lastSignalled[slot] = sequence;
            signalAllWhenBlocking();
        }
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        int yielded = 0;
        long park = minParkNanos;
        Thread self = Thread.currentThread();
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (yielded < yields) {
                yielded++;
                Thread.yield();
                continue;
            }
            if (!parked.compareAndSet(slot, null, self)) {
                // A slot shared with another thread (more than SLOTS threads): the timeout alone ends the park.
                LockSupport.parkNanos(park);
            } else {
                parkedCount.incrementAndGet();
                VarHandle.fullFence();
                try {
                    barrier.checkAlert();
                    if (dependentSequence.get() < sequence) {
                        LockSupport.parkNanos(park);
                    }
                } finally {
                    parkedCount.decrementAndGet();
                    parked.set(slot, null);
                }
            }
            park = Math.min(maxParkNanos, park << 1);
        }
        return available;
    }

    /** Wakes every parked stage (they check their sequence and park again if their work is not there yet). */
    @Override
    public void signalAllWhenBlocking() {
        // Orders the caller's sequence store (a release store) before the load of the count.
        VarHandle.fullFence();
        if (parkedCount.get() == 0) {
            return;
        }
        // Slots are handed out from 0 up: none at or past the count handed out is in use.
        int used = Math.min(nextSlot.get(), SLOTS);
        for (int slot = 0; slot < used; slot++) {
            Thread thread = parked.get(slot);
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }
}
