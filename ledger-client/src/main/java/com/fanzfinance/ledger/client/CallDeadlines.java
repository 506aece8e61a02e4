package com.fanzfinance.ledger.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every call of one client until it completes: each call's future is failed with a
 * {@link LedgerTimeoutException} when its deadline passes, whatever else happens (a silent server, a
 * body that never ends, a stage that never runs), and {@link #close} waits for all of them. This is the
 * backstop that makes "every call completes" hold; the transport also stops retrying at the deadline.
 *
 * <p>One daemon thread fires the deadlines, and the dependents of a future failed by a deadline run on
 * it. A call whose future completes first cancels its timer, which is then removed at once.
 */
final class CallDeadlines implements AutoCloseable {
    private final String clientName;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CallDeadlines(String clientName) {
        this.clientName = clientName;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, clientName + "-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * A new future for the call {@code call}, failed with a {@link LedgerTimeoutException} if nothing
     * completes it by {@code deadline}; failed at once with an {@link IllegalStateException} if the client
     * is closed.
     */
    <T> CompletableFuture<T> open(String call, Deadline deadline) {
        CompletableFuture<T> future = new CompletableFuture<>();
        outstanding.add(future);
        // Added before the check: close() either sees the future or this sees closed (as in EventBatcher).
        if (closed) {
            outstanding.remove(future);
            future.completeExceptionally(new IllegalStateException(clientName + " is closed"));
            return future;
        }
        Duration timeout = deadline.timeout();
        ScheduledFuture<?> expiry = timer.schedule(
            () -> future.completeExceptionally(new LedgerTimeoutException(call, timeout, null)),
            Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        future.whenComplete((ignored, failure) -> {
            expiry.cancel(false);
            outstanding.remove(future);
        });
        return future;
    }

    /**
     * Refuses new calls, waits until every open one has completed (each by its deadline at the latest),
     * then stops the timer.
     */
    @Override
    public void close() {
        closed = true;
        while (!outstanding.isEmpty()) {
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null)
                .join();
            outstanding.removeIf(CompletableFuture::isDone);
        }
        timer.shutdownNow();
    }
}
