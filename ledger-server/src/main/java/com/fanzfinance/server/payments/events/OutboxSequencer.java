package com.fanzfinance.server.payments.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers committed pending events: one background thread moves them, a batch per transaction, from
 * {@code outbox_pending} into {@code outbox_events}, taking sequences from the locked counter row. Holding
 * that lock to the commit is what makes sequences become visible in order (see V2__outbox.sql), and it lets
 * two servers on one schema each run a sequencer safely.
 *
 * <p>Writers cannot signal their commit through JDBC, so the thread looks for pending rows every
 * {@code idlePoll} when it found none, and at once when it moved a batch. Each idle look also reads the
 * counter, so that a sequencer in another process still wakes this process's readers; it locks nothing (the
 * counter's lock is taken only when something is pending). Database failures are
 * retried with back-off and never reach writers: their events stay pending until the database is back.
 */
public final class OutboxSequencer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSequencer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final String MOVE = "WITH batch AS (SELECT pending_no FROM outbox_pending ORDER BY pending_no LIMIT ?),"
        + " moved AS (DELETE FROM outbox_pending p USING batch b WHERE p.pending_no = b.pending_no"
        + " RETURNING p.pending_no, p.id, p.tenant, p.event_type, p.subject, p.occurred, p.payload)"
        + " INSERT INTO outbox_events (" + OutboxRows.COLUMNS + ")"
        + " SELECT ? + row_number() OVER (ORDER BY pending_no), id, tenant, event_type, subject, occurred, payload"
        + " FROM moved";

    /** The counter as last committed, and whether anything is pending: read without a lock or a transaction ID. */
    private static final String LOOK = "SELECT (SELECT last_seq FROM outbox_counter WHERE id = 1),"
        + " EXISTS (SELECT 1 FROM outbox_pending ORDER BY pending_no LIMIT 1)"; // by its key, as MOVE reads it

    private final DataSource dataSource;
    private final SequenceSignal signal;
    private final Duration idlePoll;
    private final int batchSize;
    private final OutageLog outage = new OutageLog(LOG, "outbox sequencer");
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param idlePoll  how long to wait before looking again when nothing was pending (the added latency)
     * @param batchSize how many events one transaction numbers at most
     */
    public OutboxSequencer(DataSource dataSource, SequenceSignal signal, Duration idlePoll, int batchSize) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.idlePoll = Objects.requireNonNull(idlePoll, "idlePoll");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        this.batchSize = batchSize;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "fanz-outbox-sequencer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Numbers one batch of committed pending events in one transaction and returns how many; when none were
     * pending, refreshes the signal from the counter instead, without locking it. The background thread calls this
     * in a loop.
     */
    public int sequenceBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // A look that locks nothing first: most looks find nothing pending, and taking the counter's lock for
            // them wrote a row lock to the WAL and flushed it at commit — 45 fsyncs a second measured on an idle
            // server, on the device the ledger's journal syncs on — and waited behind another server's sequencer.
            connection.setAutoCommit(true);
            try (PreparedStatement look = connection.prepareStatement(LOOK); ResultSet row = look.executeQuery()) {
                row.next(); // always one row; the counter is null if its row is missing
                long counter = row.getLong(1);
                if (row.wasNull()) {
                    throw new SQLException("outbox_counter has no row: the payments schema is not migrated");
                }
                if (!row.getBoolean(2)) {
                    signal.advanceTo(counter);
                    return 0;
                }
            }
            connection.setAutoCommit(false);
            try {
                long base = lockCounter(connection);
                int moved;
                try (PreparedStatement move = connection.prepareStatement(MOVE)) {
                    move.setInt(1, batchSize);
                    move.setLong(2, base);
                    moved = move.executeUpdate();
                }
                if (moved > 0) {
                    try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE outbox_counter SET last_seq = ? WHERE id = 1")) {
                        update.setLong(1, base + moved);
                        update.executeUpdate();
                    }
                }
                connection.commit();
                signal.advanceTo(base + moved);
                return moved;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static long lockCounter(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT last_seq FROM outbox_counter WHERE id = 1 FOR UPDATE"); ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("outbox_counter has no row: the payments schema is not migrated");
            }
            return row.getLong(1);
        }
    }

    private void run() {
        long backoff = idlePoll.toNanos();
        while (running) {
            long pause;
            try {
                int moved = sequenceBatch();
                outage.succeeded();
                backoff = idlePoll.toNanos();
                pause = moved > 0 ? 0 : idlePoll.toNanos();
            } catch (SQLException | RuntimeException e) {
                outage.failed(e);
                backoff = Math.min(Math.max(backoff * 2, TimeUnit.MILLISECONDS.toNanos(50)), MAX_BACKOFF.toNanos());
                pause = backoff;
            }
            if (pause > 0) {
                pause(pause);
            }
        }
    }

    private void pause(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (running && left > 0) {
                left = stopping.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread after its current batch; pending events stay for the next start. */
    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            started = thread;
            running = false;
        }
        lock.lock();
        try {
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        if (started != null) {
            try {
                started.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
