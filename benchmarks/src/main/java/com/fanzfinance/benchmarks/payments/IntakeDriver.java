package com.fanzfinance.benchmarks.payments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import com.fanzfinance.benchmarks.load.LatencyRecorder;

/**
 * Delivers the workload's notifications over HTTP from {@code concurrency} threads, each with one request in
 * flight, taking deliveries in order from a shared counter. A notification counts when the server answered
 * 200 with its payment event id (stored, verified and, for money, posted: the webhook answers only then);
 * anything else stops the run. Queries are signed before a phase starts, so the timed path is the request.
 */
final class IntakeDriver {
    private static final long WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final PaymentsApi api;
    private final String merchantAccountId;
    private final IntakeWorkload workload;
    private final String[] queries;
    private final int concurrency;
    private final AtomicReferenceArray<String> eventIds;
    private final AtomicReference<String> failure = new AtomicReference<>();

    IntakeDriver(PaymentsApi api, String merchantAccountId, IntakeWorkload workload, String[] queries, int concurrency) {
        this.api = api;
        this.merchantAccountId = merchantAccountId;
        this.workload = workload;
        this.queries = queries;
        this.concurrency = concurrency;
        this.eventIds = new AtomicReferenceArray<>(workload.size());
    }

    /** What one phase took: wall time from the first send to the last answer, and each notification's latency. */
    record Phase(int notifications, long elapsedNanos, LatencyRecorder latencies) {
        double perSecond() {
            return notifications * 1e9 / elapsedNanos;
        }
    }

    /** Delivers {@code [from, to)}; throws if any notification was not answered 200. */
    Phase run(int from, int to) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            LatencyRecorder recorder = new LatencyRecorder((to - from) / concurrency + 16);
            recorders.add(recorder);
            Thread thread = new Thread(() -> deliver(next, to, recorder), "intake-sender-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return new Phase(to - from, elapsed, LatencyRecorder.merge(recorders));
    }

    /** The payment event id the server answered delivery {@code index} with. */
    String eventId(int index) {
        return eventIds.get(index);
    }

    private void deliver(AtomicInteger next, int to, LatencyRecorder recorder) {
        try {
            for (int index = next.getAndIncrement(); index < to && failure.get() == null; index = next.getAndIncrement()) {
                if (!awaitDependency(index)) {
                    return;
                }
                long sent = System.nanoTime();
                PaymentsApi.Answer answer = api.postback(merchantAccountId, queries[index]);
                recorder.record(System.nanoTime() - sent);
                if (answer.status() != 200 || answer.eventId() == null) {
                    failure.compareAndSet(null, "notification " + index + " (" + workload.delivery(index).kind()
                        + ") answered " + answer.status() + ": " + answer.body());
                    return;
                }
                eventIds.set(index, answer.eventId());
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, "sending failed: " + e);
        }
    }

    /**
     * A duplicate or refund waits until its sale has been answered (rarely needed: it is far behind); false
     * when the run failed meanwhile.
     */
    private boolean awaitDependency(int index) {
        int dependency = workload.dependency(index);
        while (dependency >= 0 && eventIds.get(dependency) == null) {
            if (failure.get() != null) {
                return false;
            }
            LockSupport.parkNanos(WAIT_NANOS);
        }
        return true;
    }
}
