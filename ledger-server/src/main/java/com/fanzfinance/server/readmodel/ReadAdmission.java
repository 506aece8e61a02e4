package com.fanzfinance.server.readmodel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Who may use the read model's readers, and for how long: at most {@code FANZ_READ_MODEL_READS_PER_KEY}
 * requests of one API key at once, and each for at most {@code FANZ_READ_MODEL_TIMEOUT_MS}, streaming
 * included — a watchdog cuts off a request that runs past its time box (a stalled or slow download), so
 * that it releases its connection. With the projector's separate pool this keeps any number of slow
 * clients from holding the read model: one key can hold at most its share of connections, and none for
 * longer than the time box.
 */
public final class ReadAdmission implements AutoCloseable {
    private final int perKeyMax;
    private final long timeBoxMillis;
    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "read-model-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    public ReadAdmission(int perKeyMax, long timeBoxMillis) {
        if (perKeyMax < 1 || timeBoxMillis < 1) {
            throw new IllegalArgumentException("perKeyMax and timeBoxMillis must be positive");
        }
        this.perKeyMax = perKeyMax;
        this.timeBoxMillis = timeBoxMillis;
    }

    public int perKeyMax() {
        return perKeyMax;
    }

    public long timeBoxMillis() {
        return timeBoxMillis;
    }

    /**
     * Admits one request of {@code keyId}, or returns null when that key already runs {@link #perKeyMax}.
     * {@code cutOff} runs on the watchdog thread if the request is still running when its time box ends;
     * it must make the request's thread give up (close its client connection) and must be quick.
     */
    public Ticket admit(String keyId, Runnable cutOff) {
        boolean[] admitted = {false};
        running.compute(keyId, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perKeyMax) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0] ? new Ticket(keyId, cutOff) : null;
    }

    /** Requests of {@code keyId} running now. */
    public int running(String keyId) {
        return running.getOrDefault(keyId, 0);
    }

    private void release(String keyId) {
        running.computeIfPresent(keyId, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** One admitted request: close it when the request is done (answered, failed or cut off). */
    public final class Ticket implements AutoCloseable {
        private final String keyId;
        private final Runnable cutOff;
        private final long deadlineNanos;
        private final ScheduledFuture<?> expiry;
        private boolean closed;
        private boolean expired;

        private Ticket(String keyId, Runnable cutOff) {
            this.keyId = keyId;
            this.cutOff = cutOff;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeBoxMillis);
            this.expiry = watchdog.schedule(this::expire, timeBoxMillis, TimeUnit.MILLISECONDS);
        }

        /** Cuts the request off unless it has finished; never after {@link #close} has returned. */
        private synchronized void expire() {
            if (!closed) {
                expired = true;
                cutOff.run();
            }
        }

        /** True once the time box has ended and the request has been cut off. */
        public synchronized boolean expired() {
            return expired;
        }

        /** What is left of the time box (0 once it is over). */
        public long remainingMillis() {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            expiry.cancel(false);
            release(keyId);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
