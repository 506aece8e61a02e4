package com.fanzfinance.server.payments.events;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The highest sequence known to be committed, with an in-process wake-up: the sequencer raises it after each
 * commit, and long-polling readers and the NATS publisher sleep on it instead of polling the database.
 */
public final class SequenceSignal {
    private long last;

    /** Raises the known last sequence (never lowers it) and wakes everyone waiting below it. */
    public synchronized void advanceTo(long sequence) {
        if (sequence > last) {
            last = sequence;
            notifyAll();
        }
    }

    /** Wakes every waiter to look at its stop condition again (the sequence is unchanged). */
    public synchronized void wakeAll() {
        notifyAll();
    }

    public synchronized long current() {
        return last;
    }

    /**
     * Waits until the last sequence passes {@code seen} or {@code deadlineNanos} (a {@link System#nanoTime}
     * value) comes; true when it passed.
     */
    public synchronized boolean awaitBeyond(long seen, long deadlineNanos) throws InterruptedException {
        return awaitBeyond(seen, deadlineNanos, () -> false);
    }

    /** As {@link #awaitBeyond(long, long)}, and false as soon as {@code stop} holds when {@link #wakeAll} is called. */
    public synchronized boolean awaitBeyond(long seen, long deadlineNanos, BooleanSupplier stop)
            throws InterruptedException {
        while (last <= seen) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
