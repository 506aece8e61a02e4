package com.fanzfinance.server.readmodel;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * Writes runs of projected rows ({@link ProjectionBatch}es) on several connections at once and commits them
 * strictly in the order they were handed over. PostgreSQL gives each connection one backend process, and
 * loading rows into indexed tables keeps that process busy on one core: on two connections two runs load side by
 * side (by hand on this project's test machine, 1 M transfers with every index: 15.6–16.1 s on one connection,
 * 9.2–9.9 s on two).
 *
 * <p>The order: run n's new rows are copied as soon as a connection is free, but its changes to earlier rows (a
 * pending transfer's status, an account's closed flag), its position and its commit wait until run n − 1 has
 * committed — those changes may name rows run n − 1 inserted, and the position must only move forward. So the
 * database holds, at any moment and after any crash, the runs up to some n and nothing after them, as with one
 * connection. Each run's position also replaces only the one the run before it left, so a second projector (the
 * schema's advisory lock is held on the first connection only) can never interleave with these runs. A failure
 * stops every writer: runs not yet committed roll back, every later call throws, and the owner starts again from
 * the committed position.
 *
 * <p>Runs handed over are filled by the owner's thread from {@link #take}; {@code connections + 1} circulate
 * (one filling, one in each writer). {@code onCommit} is called on a writer's thread after each commit, in
 * order, before the next run can commit.
 */
final class ProjectionWriters implements AutoCloseable {
    /** Told of each committed run, in order. */
    interface Committed {
        void committed(ProjectionBatch batch);
    }

    /**
     * A run, its place in the order and the position the run before it leaves (the last command it holds); a null
     * batch tells a writer to stop.
     */
    private record Job(long sequence, ProjectionBatch batch, long previousCommand) {
    }

    private static final long POLL_MILLIS = 100;
    /**
     * How long a writer's statement may wait for a table lock. A run waiting for the one before it to commit holds
     * its tables' locks; if a third session (a migration's {@code ALTER TABLE}, a manual {@code LOCK}) queues for
     * one of them while the earlier run needs a lock behind it, PostgreSQL cannot see that the later run waits on
     * the earlier one in this process: the timeout turns that into a failure and a retry from the committed
     * position.
     */
    static final String LOCK_TIMEOUT = "30s";

    private final Committed onCommit;
    private final String lockTimeout;
    private final BlockingQueue<ProjectionBatch> free;
    private final Writer[] writers;
    private final Object order = new Object();
    /** The last run committed (guarded by {@link #order}). */
    private long lastCommitted = -1;
    /** The next run's place, counted by the owner's thread. */
    private long handedOver;
    /** The last command of the last run handed over (or where the read model stood at the start). */
    private long lastHandedCommand;
    private volatile Throwable failure;
    private volatile boolean closed;
    /** Connections {@link #on} took from the pool, given back by {@link #close}. */
    private List<Connection> borrowed = List.of();

    /**
     * Writers on {@code first} (auto-commit is turned off) and {@code count - 1} more connections from {@code pool},
     * which {@link #close} gives back; {@code pendings} is a rebuild's outstanding pending transfers
     * ({@link ProjectionBatch}), null live.
     */
    static ProjectionWriters on(Connection first, DataSource pool, int count, boolean postingsInKeyOrder,
                                long committedCommand, Committed onCommit, PendingTimestamps pendings)
        throws SQLException {
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 1; i < count; i++) {
                borrowed.add(pool.getConnection());
            }
            List<Connection> all = new ArrayList<>(List.of(first));
            all.addAll(borrowed);
            for (Connection connection : all) {
                connection.setAutoCommit(false);
            }
            ProjectionWriters writers = new ProjectionWriters(all, postingsInKeyOrder, committedCommand, onCommit,
                LOCK_TIMEOUT, pendings);
            writers.borrowed = borrowed;
            return writers;
        } catch (SQLException | RuntimeException e) {
            giveBack(borrowed);
            throw e;
        }
    }

    /**
     * @param connections      one per writer, each with auto-commit off; the caller keeps them and closes them after
     *                         this
     * @param committedCommand the last command the read model holds (-1: none): the first run's position must
     *                         replace exactly that one ({@link ProjectionBatch#writeChanges})
     */
    ProjectionWriters(List<Connection> connections, boolean postingsInKeyOrder, long committedCommand,
                      Committed onCommit) {
        this(connections, postingsInKeyOrder, committedCommand, onCommit, LOCK_TIMEOUT, null);
    }

    /**
     * @param lockTimeout PostgreSQL's {@code lock_timeout} for the writers' sessions ({@link #LOCK_TIMEOUT})
     * @param pendings    a rebuild's outstanding pending transfers ({@link ProjectionBatch}); null live
     */
    ProjectionWriters(List<Connection> connections, boolean postingsInKeyOrder, long committedCommand,
                      Committed onCommit, String lockTimeout, PendingTimestamps pendings) {
        if (!lockTimeout.matches("[0-9]{1,6}(ms|s)")) {
            throw new IllegalArgumentException("not a lock timeout: " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("no connection to write on");
        }
        this.onCommit = onCommit;
        this.lastHandedCommand = committedCommand;
        this.free = new ArrayBlockingQueue<>(connections.size() + 1);
        for (int i = 0; i <= connections.size(); i++) {
            free.add(new ProjectionBatch(postingsInKeyOrder, pendings));
        }
        this.writers = new Writer[connections.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new Writer(connections.get(i), i);
        }
        for (Writer writer : writers) {
            writer.thread.start();
        }
    }

    /** An empty run to fill, waiting while every run is being written; throws if a writer has failed. */
    ProjectionBatch take() {
        while (true) {
            rethrow();
            try {
                ProjectionBatch batch = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    return batch;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a read-model writer", e);
            }
        }
    }

    /** Hands over a filled run (from {@link #take}), to be committed after every run handed over before it. */
    void write(ProjectionBatch batch) {
        long sequence = handedOver++;
        long last = batch.lastCommand(); // read before the hand-over: the batch is the writer's from then on
        writers[(int) (sequence % writers.length)].hand(new Job(sequence, batch, lastHandedCommand));
        lastHandedCommand = last;
    }

    /** Throws if a writer has failed (for an owner that is waiting for rows to write). */
    void check() {
        rethrow();
    }

    /** Waits until every run handed over is committed and stops the writers; throws if one failed. */
    void finish() {
        for (Writer writer : writers) {
            writer.hand(new Job(-1, null, -1));
        }
        for (Writer writer : writers) {
            writer.join();
        }
        rethrow();
    }

    /**
     * Stops the writers (after the statement each is running); a run not committed rolls back. Waiting for the
     * order and for work is interrupted; a statement already sent finishes first.
     */
    @Override
    public void close() {
        closed = true;
        for (Writer writer : writers) {
            writer.thread.interrupt();
        }
        for (Writer writer : writers) {
            writer.join();
        }
        giveBack(borrowed);
    }

    private static void giveBack(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Broken: the pool drops it.
            }
        }
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        synchronized (order) {
            order.notifyAll();
        }
    }

    private void rethrow() {
        Throwable cause = failure;
        if (cause != null) {
            throw new IllegalStateException("the read model's database failed: " + cause.getMessage(), cause);
        }
    }

    /** Waits until run {@code sequence - 1} has committed; false if a writer failed or this was closed meanwhile. */
    private boolean awaitTurn(long sequence) throws InterruptedException {
        synchronized (order) {
            while (lastCommitted != sequence - 1) {
                if (failure != null || closed) {
                    return false;
                }
                order.wait(POLL_MILLIS);
            }
            return failure == null && !closed;
        }
    }

    private void committed(long sequence) {
        synchronized (order) {
            lastCommitted = sequence;
            order.notifyAll();
        }
    }

    /** One connection and its thread. */
    private final class Writer {
        private final Connection connection;
        private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(1);
        private final Thread thread;

        Writer(Connection connection, int number) {
            this.connection = connection;
            this.thread = new Thread(this::run, "read-model-writer-" + number);
            this.thread.setDaemon(true);
        }

        void hand(Job job) {
            while (true) {
                rethrow();
                if (!thread.isAlive()) {
                    rethrow(); // a writer that failed between the two checks
                    throw new IllegalStateException("the read model's writers have stopped");
                }
                try {
                    if (jobs.offer(job, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while handing rows to a read-model writer", e);
                }
            }
        }

        private void run() {
            try {
                execute("SET lock_timeout = '" + lockTimeout + "'");
                connection.commit();
                for (Job job = jobs.take(); job.batch() != null; job = jobs.take()) {
                    ProjectionBatch batch = job.batch();
                    batch.copyRows(connection);
                    if (!awaitTurn(job.sequence())) {
                        break;
                    }
                    batch.writeChanges(connection, job.previousCommand());
                    connection.commit();
                    onCommit.committed(batch);
                    committed(job.sequence());
                    batch.clear();
                    free.add(batch);
                }
            } catch (InterruptedException e) {
                // Closed.
            } catch (Throwable e) {
                fail(e);
            } finally {
                rollbackQuietly();
                try {
                    execute("RESET lock_timeout");
                    connection.commit();
                } catch (SQLException e) {
                    // A broken connection: the pool drops it.
                }
            }
        }

        private void execute(String sql) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        /** Leaves no transaction open: a run copied but not committed is undone. */
        private void rollbackQuietly() {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // A broken connection: its owner closes it, and PostgreSQL undoes the open transaction.
            }
        }

        void join() {
            Joins.uninterruptibly(thread);
        }
    }
}
