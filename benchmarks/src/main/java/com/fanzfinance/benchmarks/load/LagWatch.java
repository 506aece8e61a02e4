package com.fanzfinance.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --watch-lag}: how far the server's read model falls behind while the load runs and how long it takes to
 * catch up after. A thread reads {@code GET /metrics} every {@code intervalMillis} ({@code /metrics} needs no key)
 * and keeps {@code fanz_readmodel_lag_seconds} and {@code fanz_readmodel_lag_commands}; after the load,
 * {@link #awaitCaughtUp} waits for the first reading taken after the load's last answer with no command left to
 * project. Readings are the server's own: lag in seconds is the age of the newest command the read model holds while
 * it lacks some (0 when it holds everything), so it includes the projector's batching, not only its backlog.
 */
final class LagWatch implements AutoCloseable {
    static final String LAG_SECONDS = "fanz_readmodel_lag_seconds";
    static final String LAG_COMMANDS = "fanz_readmodel_lag_commands";
    static final String FAILING = "fanz_readmodel_failing";
    /**
     * Readings that failed in a row (no answer in 10 s, not 200, unreadable, or the projector reporting a failure)
     * before the watch gives up: a stalled server shows as readings that fail, and the watch carries on past them.
     */
    static final int FAILED_IN_A_ROW_MAX = 50;
    /** Readings kept at most (at 5 a second, more than an hour): later ones only move the peak. */
    private static final int SAMPLES_MAX = 20_000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpRequest request;
    private final long intervalMillis;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Object lock = new Object();
    private final double[] duringLoad = new double[SAMPLES_MAX];
    private int samplesDuringLoad;
    private double peakSeconds;
    private long peakAtNanos;
    private long loadStartedNanos;
    private long loadEndedNanos = Long.MAX_VALUE;
    /** When the first reading taken after the load ended found nothing left to project; 0 until then. */
    private long caughtUpNanos;
    private long lastCommandsBehind;
    private int failedReadings;
    private int failedInARow;
    private String lastProblem;
    private Thread thread;

    LagWatch(URI baseUrl, long intervalMillis) {
        this.request = HttpRequest.newBuilder(URI.create(baseUrl.toString().replaceAll("/+$", "") + "/metrics"))
            .timeout(Duration.ofSeconds(10)).GET().build();
        this.intervalMillis = intervalMillis;
    }

    /**
     * Reads the metrics once, before anything is sent: fails with {@link LoadFailure} if the server cannot be read or
     * exports no read-model lag (its read model is off).
     */
    void check() throws IOException, InterruptedException {
        String problem = read(System.nanoTime());
        if (problem != null) {
            throw new LoadFailure("--watch-lag: " + problem);
        }
    }

    /** Starts reading the metrics every interval; the load starts now. */
    void start() {
        loadStartedNanos = System.nanoTime();
        thread = new Thread(this::watch, "load-lag-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The load's last answer has arrived. */
    void loadEnded() {
        synchronized (lock) {
            loadEndedNanos = System.nanoTime();
        }
    }

    /** Waits until the read model has caught up after the load, or {@code timeout}; true if it has. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (caughtUpNanos == 0 && failure.get() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
        Throwable cause = failure.get();
        if (cause != null) {
            throw new LoadFailure("--watch-lag: " + cause.getMessage(), cause);
        }
        return true;
    }

    /** Prints the readings: peak, percentiles over the load, and the time to catch up after it. */
    void print(PrintStream out, boolean caughtUp) {
        synchronized (lock) {
            out.printf(Locale.ROOT, "read-model lag peak = %.2f s (%.1f s after the load began)%n", peakSeconds,
                Math.max(0, peakAtNanos - loadStartedNanos) / 1e9);
            if (samplesDuringLoad > 0) {
                double[] sorted = Arrays.copyOf(duringLoad, samplesDuringLoad);
                Arrays.sort(sorted);
                out.printf(Locale.ROOT, "read-model lag during the load p50 = %.2f s, p90 = %.2f s, p99 = %.2f s"
                        + " (%d readings every %d ms)%n", nearestRank(sorted, 50), nearestRank(sorted, 90),
                    nearestRank(sorted, 99), samplesDuringLoad, intervalMillis);
            }
            if (failedReadings > 0) {
                out.printf(Locale.ROOT, "read-model lag readings that failed = %d (the last: %s)%n", failedReadings,
                    lastProblem);
            }
            if (caughtUp) {
                out.printf(Locale.ROOT, "read model caught up %.2f s after the load ended%n",
                    Math.max(0, caughtUpNanos - loadEndedNanos) / 1e9);
            } else {
                out.printf(Locale.ROOT, "read model NOT caught up %.2f s after the load ended (%d commands behind)%n",
                    (System.nanoTime() - loadEndedNanos) / 1e9, lastCommandsBehind);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }

    private void watch() {
        try {
            // At fixed times (every interval from the start), whatever each reading took.
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                next += intervalMillis * 1_000_000;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
                String problem;
                try {
                    problem = read(System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    problem = "reading " + request.uri() + " failed: " + e;
                }
                synchronized (lock) {
                    if (problem == null) {
                        failedInARow = 0;
                        continue;
                    }
                    failedReadings++;
                    failedInARow++;
                    lastProblem = problem;
                    if (failedInARow >= FAILED_IN_A_ROW_MAX) {
                        failure.compareAndSet(null, new LoadFailure(FAILED_IN_A_ROW_MAX + " readings in a row failed;"
                            + " the last: " + problem));
                        lock.notifyAll();
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One reading, asked at {@code asked} (the server reads its gauges on answering); null if it was taken, else what
     * was wrong with it.
     */
    private String read(long asked) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return request.uri() + " answered " + response.statusCode();
        }
        double seconds = gauge(response.body(), LAG_SECONDS);
        double commands = gauge(response.body(), LAG_COMMANDS);
        if (Double.isNaN(seconds) || Double.isNaN(commands)) {
            return request.uri() + " has no " + LAG_SECONDS + " or " + LAG_COMMANDS + " — is the server's read model on?";
        }
        if (gauge(response.body(), FAILING) == 1) {
            return "the server's read model is failing (" + FAILING + " 1): see its log";
        }
        synchronized (lock) {
            lastCommandsBehind = (long) commands;
            if (loadStartedNanos == 0) {
                return null; // before the load: checked, not counted
            }
            if (seconds > peakSeconds) {
                peakSeconds = seconds;
                peakAtNanos = asked;
            }
            if (asked >= loadEndedNanos) {
                if (commands == 0 && caughtUpNanos == 0) {
                    caughtUpNanos = asked;
                    lock.notifyAll();
                }
            } else if (samplesDuringLoad < SAMPLES_MAX) {
                duringLoad[samplesDuringLoad++] = seconds;
            }
        }
        return null;
    }

    /**
     * The value of a gauge in Prometheus text (its first sample, labels or none), or NaN if absent or unreadable;
     * {@code +Inf} and {@code -Inf} as infinities.
     */
    static double gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            String rest = line.substring(name.length());
            if (rest.charAt(0) == '{') {
                int end = rest.lastIndexOf('}');
                if (end < 0) {
                    return Double.NaN;
                }
                rest = rest.substring(end + 1);
            } else if (rest.charAt(0) != ' ') {
                continue; // another metric whose name starts with this one
            }
            String[] tokens = rest.trim().split("\\s+"); // value, then an optional timestamp
            switch (tokens[0]) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(tokens[0]);
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
            }
        }
        return Double.NaN;
    }

    private static double nearestRank(double[] sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
