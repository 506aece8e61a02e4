package com.fanzfinance.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run, in TigerBeetle's benchmark's order: create the accounts; send the transfers, each client with
 * one batch in flight, batches taken in turn from a shared counter; query account transfers; report
 * memory; and, with {@code --validate}, re-read and check everything. Prints TigerBeetle's lines to
 * {@code out}. Each client has a builder thread that prepares its next batch while the current one is in
 * flight, so building bodies stays off the timing path.
 */
public final class LoadRun {
    private static final int QUERY_STREAM = 3;
    /** With {@code --watch-lag}: how long the read model may take to catch up after the load before the run fails. */
    static final java.time.Duration CATCH_UP_MAX = java.time.Duration.ofMinutes(10);
    /** With {@code --rate}: a batch sent later than this after its time counts as late. */
    private static final long LATE_NANOS = 1_000_000;

    private final LoadOptions options;
    private final Target target;
    private final PrintStream out;
    private Path latencyLog;
    private final Workload workload;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public LoadRun(LoadOptions options, Target target, PrintStream out) {
        this.options = options.checked();
        this.target = target;
        this.out = out;
        this.workload = options.workload();
    }

    /**
     * Also writes every whole batch's latency to {@code file}, a CSV of {@code client,sent_ms,latency_ms} in the order
     * sent ({@code sent_ms}: when it was sent, or due with {@code --rate}, in milliseconds since the transfer phase
     * began, after the accounts were created): where in a run its slow batches fell (the first second's, say, or those
     * around a snapshot). Written after the run's summary is printed.
     */
    public LoadRun latencyLog(Path file) {
        this.latencyLog = file;
        return this;
    }

    private void writeLatencyLog(List<LatencyRecorder> recorders) throws IOException {
        List<long[]> rows = new ArrayList<>();
        for (int client = 0; client < recorders.size(); client++) {
            LatencyRecorder recorder = recorders.get(client);
            for (int i = 0; i < recorder.count(); i++) {
                rows.add(new long[] {client, recorder.sentAt(i), recorder.latency(i)});
            }
        }
        rows.sort(java.util.Comparator.comparingLong(row -> row[1]));
        try (java.io.BufferedWriter file = Files.newBufferedWriter(latencyLog, StandardCharsets.UTF_8)) {
            file.write("client,sent_ms,latency_ms\n");
            for (long[] row : rows) {
                file.write(String.format(Locale.ROOT, "%d,%.3f,%.3f%n", row[0], row[1] / 1e6, row[2] / 1e6));
            }
        }
    }

    /** Runs everything; true when every transfer was created and (if asked) the validation passed. */
    public boolean run() throws Exception {
        if (latencyLog != null) {
            Files.write(latencyLog, new byte[0]); // a path that cannot be written fails now, not after the load
        }
        LagWatch lag = options.watchLag() ? target.lagWatch() : null;
        if (lag != null) {
            lag.check(); // before anything is sent
        }
        long started = System.nanoTime();
        target.createAccounts(workload);
        out.printf(Locale.ROOT, "%d accounts created in %.2f s%n", workload.accountCount(), seconds(System.nanoTime() - started));
        boolean caughtUp = true;
        try (lag) {
            if (options.singles() != null) {
                startWatching(lag);
                sendSingleTransfers(options.singles());
                caughtUp = reportLag(lag);
            }
            List<Target.Client> clients = openClients();
            try {
                if (options.singles() == null) {
                    startWatching(lag);
                    sendTransfers(clients);
                    caughtUp = reportLag(lag);
                }
                if (options.queryCount() > 0) {
                    runQueries(clients);
                }
            } finally {
                for (Target.Client client : clients) {
                    client.close();
                }
            }
        }
        if (options.serverPid() > 0) {
            out.println(ServerMemory.of(options.serverPid()).line());
        }
        return (!options.validate() || validate()) && caughtUp;
    }

    private static void startWatching(LagWatch lag) {
        if (lag != null) {
            lag.start();
        }
    }

    /** After the transfer phase: waits for the read model to catch up and prints the lag; false if it did not. */
    private boolean reportLag(LagWatch lag) throws InterruptedException {
        if (lag == null) {
            return true;
        }
        lag.loadEnded();
        boolean caughtUp = lag.awaitCaughtUp(CATCH_UP_MAX);
        lag.print(out, caughtUp);
        return caughtUp;
    }

    private List<Target.Client> openClients() throws Exception {
        List<Target.Client> clients = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            clients.add(target.openClient(i));
        }
        return clients;
    }

    private void sendTransfers(List<Target.Client> clients) throws InterruptedException, IOException {
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong late = new AtomicLong();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        Schedule schedule = options.rate() == 0 ? null : new Schedule(new AtomicLong(), options.rate(), late);
        for (Target.Client client : clients) {
            LatencyRecorder recorder = new LatencyRecorder((int) options.batchCount());
            recorders.add(recorder);
            threads.add(start("load-client-" + threads.size(), () -> sendBatches(client, nextBatch, recorder, schedule,
                started)));
        }
        joinAll(threads);
        long elapsed = System.nanoTime() - started;
        rethrowFailure();
        LatencyRecorder latencies = LatencyRecorder.merge(recorders);
        out.printf(Locale.ROOT, "%d batches in %.2f s%n", latencies.count(), seconds(elapsed));
        out.println("transfer batch size = " + options.batchSize() + " txs");
        if (schedule != null) {
            out.println("target rate = " + options.rate() + " tx/s (batches on a schedule; latency from each batch's"
                + " scheduled time)");
            out.println("batches sent late (over 1 ms after their time) = " + late.get() + " of " + latencies.count());
        }
        printAccepted(elapsed);
        printPercentiles(out, "batch", latencies);
        target.printTransferDetails(out);
        if (latencyLog != null) {
            writeLatencyLog(recorders); // after the summary: a log that cannot be written does not lose it
        }
    }

    /**
     * {@code --single-transfer-threads}: each thread takes the next transfer index from a shared counter, posts
     * that transfer alone and waits for it, as a platform service's request thread does; the latencies are per
     * transfer, from submitting it to having its result.
     */
    private void sendSingleTransfers(LoadOptions.Singles singles) throws Exception {
        AtomicLong nextTransfer = new AtomicLong();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long elapsed;
        try (Target.SingleSender sender = target.openSingleSender(singles)) {
            long started = System.nanoTime();
            int expectedEach = (int) Math.min(Integer.MAX_VALUE - 8, options.transferCount() / singles.threads() + 1);
            for (int i = 0; i < singles.threads(); i++) {
                LatencyRecorder recorder = new LatencyRecorder(expectedEach);
                recorders.add(recorder);
                threads.add(start("load-single-" + i, singles.virtualThreads(), () -> {
                    for (long transfer = nextTransfer.getAndIncrement(); transfer < options.transferCount()
                        && failure.get() == null; transfer = nextTransfer.getAndIncrement()) {
                        long sent = System.nanoTime();
                        sender.submit(transfer);
                        recorder.record(System.nanoTime() - sent);
                    }
                }));
            }
            joinAll(threads);
            elapsed = System.nanoTime() - started;
        }
        rethrowFailure();
        LatencyRecorder latencies = LatencyRecorder.merge(recorders);
        out.printf(Locale.ROOT, "%d single transfers from %d %sthreads in %.2f s%n", latencies.count(), singles.threads(),
            singles.virtualThreads() ? "virtual " : "", seconds(elapsed));
        printAccepted(elapsed);
        printPercentiles(out, "transfer", latencies);
    }

    private void sendBatches(Target.Client client, AtomicLong nextBatch, LatencyRecorder recorder, Schedule schedule,
                             long started) throws Exception {
        BlockingQueue<Target.PreparedBatch> ready = new ArrayBlockingQueue<>(1);
        Thread builder = start(Thread.currentThread().getName() + "-builder", () -> buildBatches(client, nextBatch, ready));
        try {
            for (Target.PreparedBatch batch = ready.take(); batch.count() > 0 && failure.get() == null; batch = ready.take()) {
                long sent = schedule == null ? System.nanoTime() : schedule.awaitTurn(batch.firstTransfer());
                client.submit(batch);
                long now = System.nanoTime();
                if (latencyLog != null) {
                    recorder.record(sent - started, now - sent);
                } else {
                    recorder.record(now - sent);
                }
            }
        } finally {
            builder.interrupt();
            builder.join();
        }
    }

    /**
     * Builds batches until the transfers run out, then queues an empty batch as the end mark. Interrupted
     * means the sender has stopped: no end mark then, nobody would take it.
     */
    private void buildBatches(Target.Client client, AtomicLong nextBatch, BlockingQueue<Target.PreparedBatch> ready)
        throws InterruptedException {
        try {
            for (long batch = nextBatch.getAndIncrement(); batch < options.batchCount() && failure.get() == null;
                 batch = nextBatch.getAndIncrement()) {
                long first = batch * options.batchSize();
                int count = (int) Math.min(options.batchSize(), options.transferCount() - first);
                ready.put(client.prepare(first, count));
            }
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        ready.put(new EndOfBatches());
    }

    private void runQueries(List<Target.Client> clients) throws InterruptedException {
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong nextQuery = new AtomicLong();
        long started = System.nanoTime();
        for (Target.Client client : clients) {
            LatencyRecorder recorder = new LatencyRecorder(options.queryCount());
            recorders.add(recorder);
            threads.add(start("query-client-" + threads.size(), () -> query(client, nextQuery, recorder)));
        }
        joinAll(threads);
        long elapsed = System.nanoTime() - started;
        rethrowFailure();
        out.printf(Locale.ROOT, "%n%d queries in %.2f s%n", options.queryCount(), seconds(elapsed));
        printPercentiles(out, "query", LatencyRecorder.merge(recorders));
    }

    private void query(Target.Client client, AtomicLong nextQuery, LatencyRecorder recorder) throws Exception {
        IndexRandom random = workload.newRandom();
        for (long query = nextQuery.getAndIncrement(); query < options.queryCount() && failure.get() == null;
             query = nextQuery.getAndIncrement()) {
            int account = random.reset(QUERY_STREAM, query).nextInt(workload.accountCount());
            long sent = System.nanoTime();
            client.query(account, options.queryLimit());
            recorder.record(System.nanoTime() - sent);
        }
    }

    private boolean validate() throws Exception {
        long started = System.nanoTime();
        ValidationReport report = new ValidationReport();
        target.validate(workload, BalanceFold.of(workload), report);
        if (report.passed()) {
            out.println("validated " + report.accountsChecked() + " accounts");
            out.printf(Locale.ROOT, "validated %d transfers (%.1f s)%n", report.transfersChecked(),
                seconds(System.nanoTime() - started));
            return true;
        }
        out.println("validation failed: " + report.problemCount() + " problems");
        report.problems().forEach(problem -> out.println("  " + problem));
        return false;
    }

    /** TigerBeetle's throughput line: every transfer over the transfer phase's wall time. */
    private void printAccepted(long elapsedNanos) {
        out.println("load accepted = " + (elapsedNanos == 0 ? 0 : options.transferCount() * 1_000_000_000L / elapsedNanos)
            + " tx/s");
    }

    static void printPercentiles(PrintStream out, String label, LatencyRecorder latencies) {
        if (latencies.count() == 0) {
            return;
        }
        long[] sorted = latencies.sorted();
        for (int percentile : LatencyRecorder.PERCENTILES) {
            out.printf(Locale.ROOT, "%s latency p%d = %.2f ms%n", label, percentile,
                LatencyRecorder.percentile(sorted, percentile) / 1e6);
        }
    }

    private Thread start(String name, Task task) {
        return start(name, false, task);
    }

    /** A thread running {@code task}, whose failure becomes the run's; virtual threads are always daemons. */
    private Thread start(String name, boolean virtual, Task task) {
        Runnable body = () -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        if (virtual) {
            return VirtualThreads.start(name, body);
        }
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private void rethrowFailure() {
        Throwable cause = failure.get();
        if (cause instanceof LoadFailure loadFailure) {
            throw loadFailure;
        }
        if (cause != null) {
            throw new LoadFailure(cause.toString(), cause);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private interface Task {
        void run() throws Exception;
    }

    /**
     * {@code --rate}: transfer {@code n} is due {@code n / rate} seconds after the start, so a batch is sent at its
     * first transfer's time — at once if that has passed (the clients are behind). Its latency counts from that
     * time, not from when it was sent: a server that falls behind shows in the latencies instead of slowing the
     * schedule down (no coordinated omission).
     */
    private record Schedule(AtomicLong startedNanos, long rate, AtomicLong late) {
        /**
         * Waits for the batch starting at transfer {@code first} to be due; returns when it was due. The schedule
         * starts when the first batch is ready to go (its clients' first batches are built by then or soon after).
         */
        long awaitTurn(long first) {
            startedNanos.compareAndSet(0, System.nanoTime());
            long due = startedNanos.get() + (long) (first * 1e9 / rate);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() - due > LATE_NANOS) {
                late.incrementAndGet();
            }
            return due;
        }
    }

    /** The builder's end mark: no transfers. */
    private record EndOfBatches() implements Target.PreparedBatch {
        @Override
        public long firstTransfer() {
            return -1;
        }

        @Override
        public int count() {
            return 0;
        }
    }
}
