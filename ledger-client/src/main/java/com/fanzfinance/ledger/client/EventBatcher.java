package com.fanzfinance.ledger.client;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.fanzfinance.ledger.command.CreateResult;

/**
 * Coalesces single create events from many callers into batches, on one thread of its own.
 *
 * <p>The thread waits for an event, then up to {@code linger} for more, and sends what it has (at most
 * {@code maxBatchEvents}) as one request. At most {@code maxBatchesInFlight} batches are undecided at a
 * time; while they are, events queue up and go in the next batch, so batches grow with load. With one
 * batch in flight (the default) batches are decided in the order their events were submitted.
 *
 * <p>Each caller gets the result of its own event, with index 0. If the server refuses a batch because
 * of one event (a 4xx whose pointer names it, such as a transfer outside the key's tenants), only that
 * event's caller gets the problem and the rest of the batch is sent again — nothing of a refused request
 * is applied, so this is safe, and it keeps one caller's mistake from failing its neighbours. Any other
 * failure goes to every caller of the batch.
 *
 * <p>Every submitted event completes, with its result or a failure, whatever is thrown: a
 * {@link Throwable} while a batch is encoded or sent (an {@link Error} such as the
 * {@code IllegalAccessError} of a missing JVM flag included) fails that batch's events and the thread
 * goes on with the next. If the thread itself cannot go on (it was interrupted, or could not even
 * collect a batch), it fails what it holds and what is queued, and every later event fails at once.
 *
 * @param <E> the event type
 * @param <S> the event's status type
 */
final class EventBatcher<E, S extends Enum<S>> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventBatcher.class.getName());

    /** Sends one batch; the results are one per event, in order. */
    interface BatchSender<E, S extends Enum<S>> {
        CompletableFuture<List<CreateResult<S>>> send(List<E> events);
    }

    /** An event and its caller's future. */
    private record Waiting<E, S extends Enum<S>>(E event, CompletableFuture<CreateResult<S>> result) {
    }

    private final String name;
    private final BatchSender<E, S> sender;
    private final int maxBatchEvents;
    private final long lingerNanos;
    private final int maxBatchesInFlight;
    private final int maxQueuedEvents;
    private final LinkedBlockingQueue<Waiting<E, S>> queue = new LinkedBlockingQueue<>();
    private final Semaphore queueSlots;
    private final Semaphore batchesInFlight;
    private final Waiting<E, S> stop = new Waiting<>(null, null);
    private final Thread thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    /** Why the thread stopped on its own, or null while it runs (or was stopped by {@link #close}). */
    private volatile Throwable stoppedBy;

    EventBatcher(String name, BatchSender<E, S> sender, int maxBatchEvents, long lingerNanos, int maxBatchesInFlight,
                 int maxQueuedEvents) {
        this.name = name;
        this.sender = sender;
        this.maxBatchEvents = maxBatchEvents;
        this.lingerNanos = lingerNanos;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.maxQueuedEvents = maxQueuedEvents;
        this.queueSlots = new Semaphore(maxQueuedEvents);
        this.batchesInFlight = new Semaphore(maxBatchesInFlight);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues {@code event}; the future fails at once if the client is closed, the batcher's thread has
     * stopped, or the queue is full. An event whose future is already complete when its batch is
     * collected (its caller's deadline passed) is not sent.
     */
    CompletableFuture<CreateResult<S>> submit(E event) {
        return submit(event, new CompletableFuture<>());
    }

    /** {@link #submit(Object)}, completing {@code result}, the caller's future. */
    CompletableFuture<CreateResult<S>> submit(E event, CompletableFuture<CreateResult<S>> result) {
        if (closed) {
            result.completeExceptionally(closedException());
            return result;
        }
        if (!queueSlots.tryAcquire()) {
            result.completeExceptionally(new RejectedExecutionException(maxQueuedEvents
                + " events are already waiting to be sent by " + name));
            return result;
        }
        Waiting<E, S> waiting = new Waiting<>(event, result);
        queue.add(waiting);
        // Closed or stopped meanwhile: the thread may already be gone. Whoever removes the event answers it.
        if (closed && queue.remove(waiting)) {
            queueSlots.release();
            waiting.result().completeExceptionally(closedException());
        }
        return waiting.result();
    }

    /**
     * Sends every event queued so far, waits until all batches are decided (each by its request's
     * deadline at the latest), then stops the thread. Nothing submitted is left undecided.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        queue.add(stop);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        batchesInFlight.acquireUninterruptibly(maxBatchesInFlight);
        batchesInFlight.release(maxBatchesInFlight);
        failLeftovers();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Waiting<E, S>> collecting = new ArrayList<>();
        try {
            boolean stopping = false;
            while (!stopping) {
                batchesInFlight.acquire();
                stopping = collectHoldingAPermit(collecting);
                List<Waiting<E, S>> batch = collecting;
                collecting = new ArrayList<>();
                if (batch.isEmpty()) {
                    batchesInFlight.release();
                } else {
                    dispatch(batch);
                }
            }
        } catch (Throwable e) {
            stopped(e, collecting);
        }
    }

    /** {@link #collect}; if it fails, the permit taken for this batch is given back first. */
    private boolean collectHoldingAPermit(List<Waiting<E, S>> batch) throws InterruptedException {
        try {
            return collect(batch);
        } catch (Throwable e) {
            batchesInFlight.release();
            throw e;
        }
    }

    /** The thread cannot go on: fails the events it was collecting and everything queued, from now on at once. */
    private void stopped(Throwable cause, List<Waiting<E, S>> collecting) {
        stoppedBy = cause;
        closed = true;
        if (!(cause instanceof InterruptedException)) {
            LOG.log(System.Logger.Level.ERROR, name + " stopped after an unexpected failure", cause);
        }
        fail(collecting, closedException());
        failLeftovers();
    }

    /** Fills {@code batch}; true once the stop marker was reached (every event before it is in a batch). */
    private boolean collect(List<Waiting<E, S>> batch) throws InterruptedException {
        Waiting<E, S> next = queue.take();
        long deadline = System.nanoTime() + lingerNanos;
        while (next != stop) {
            queueSlots.release();
            if (!next.result().isDone()) {
                batch.add(next);
            }
            if (batch.size() == maxBatchEvents) {
                return false;
            }
            next = queue.poll();
            if (next == null) {
                long remaining = deadline - System.nanoTime();
                next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Sends {@code batch}; never throws: whatever fails, fails the batch's events and frees its permit. */
    private void dispatch(List<Waiting<E, S>> batch) {
        AtomicBoolean decided = new AtomicBoolean();
        Runnable releaseOnce = () -> {
            if (decided.compareAndSet(false, true)) {
                batchesInFlight.release();
            }
        };
        try {
            send(batch, releaseOnce).whenComplete((ignored, failure) -> {
                releaseOnce.run();
                if (failure != null) {
                    LOG.log(System.Logger.Level.ERROR, name + " failed to deliver results", failure);
                    fail(batch, unwrap(failure));
                }
            });
        } catch (Throwable e) {
            releaseOnce.run();
            LOG.log(System.Logger.Level.ERROR, name + " failed to send a batch", e);
            fail(batch, e);
        }
    }

    /** Sends {@code batch}; runs {@code decided} once every event has its outcome, before telling the callers. */
    private CompletableFuture<Void> send(List<Waiting<E, S>> batch, Runnable decided) {
        CompletableFuture<List<CreateResult<S>>> sent;
        try {
            sent = sender.send(batch.stream().map(Waiting::event).toList());
        } catch (Throwable e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((results, failure) -> failure == null ? deliver(batch, results, decided)
                : refused(batch, unwrap(failure), decided))
            .thenCompose(Function.identity());
    }

    private CompletableFuture<Void> deliver(List<Waiting<E, S>> batch, List<CreateResult<S>> results, Runnable decided) {
        assert results.size() == batch.size() : results.size() + " results for " + batch.size() + " events";
        decided.run();
        for (int i = 0; i < batch.size(); i++) {
            CreateResult<S> result = results.get(i);
            batch.get(i).result().complete(new CreateResult<>(0, result.status(), result.timestamp()));
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> refused(List<Waiting<E, S>> batch, Throwable failure, Runnable decided) {
        int offender = offenderOf(failure, batch.size());
        if (offender < 0) {
            decided.run();
            fail(batch, failure);
            return CompletableFuture.completedFuture(null);
        }
        batch.get(offender).result().completeExceptionally(((LedgerProblemException) failure).forEventIndex(0));
        List<Waiting<E, S>> rest = new ArrayList<>(batch);
        rest.remove(offender);
        if (rest.isEmpty()) {
            decided.run();
            return CompletableFuture.completedFuture(null);
        }
        return send(rest, decided);
    }

    /** The index of the one event a refusal is about, or -1 if it is about the whole batch. */
    static int offenderOf(Throwable failure, int batchSize) {
        if (failure instanceof LedgerProblemException problem && problem.status() >= 400 && problem.status() < 500) {
            OptionalInt index = problem.eventIndex();
            if (index.isPresent() && index.getAsInt() < batchSize) {
                return index.getAsInt();
            }
        }
        return -1;
    }

    private void fail(List<Waiting<E, S>> batch, Throwable failure) {
        for (Waiting<E, S> waiting : batch) {
            waiting.result().completeExceptionally(failure);
        }
    }

    private void failLeftovers() {
        Waiting<E, S> waiting;
        while ((waiting = queue.poll()) != null) {
            if (waiting != stop) {
                queueSlots.release();
                waiting.result().completeExceptionally(closedException());
            }
        }
    }

    private IllegalStateException closedException() {
        Throwable cause = stoppedBy;
        return cause == null ? new IllegalStateException(name + " is closed")
            : new IllegalStateException(name + " stopped after " + cause + "; create a new client", cause);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
