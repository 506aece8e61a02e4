package com.fanzfinance.server.readmodel;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.journal.OutcomeStream;

/**
 * Tails the engine's outcome-event stream into PostgreSQL on its own thread. Each database transaction
 * holds a run of whole commands and the position after them, so after any crash — of this thread, the
 * server or the database — the projector resumes exactly after the last committed command: every
 * outcome lands once. A failing database is retried with back-off, from the committed position.
 *
 * <p>The position names a command by its number; the queue index stored with it is only where that
 * command's excerpt was. The event stream is not synced per batch, and after a power cut recovery
 * regenerates it from the journal, with the same commands at other indexes: the projector then finds its
 * command by number, checks by its timestamp that it is the same command, and goes on after it. If the
 * ledger no longer has that command (or has another one under its number), the read model is ahead of
 * the ledger: projection stops — it is never retried — and {@link #divergence()} says why.
 *
 * <p>One projector writes a read model at a time: it holds a PostgreSQL advisory lock (keyed by the
 * schema) on its connection while it projects. Another server's projector on the same schema — a member
 * of a clustered ledger, each with its own event stream of the same commands — waits on standby, following
 * the committed position, and takes over from it when the lock frees (its holder's connection closed: a
 * stopped or killed server).
 */
public final class Projector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Projector.class);
    /** Outcomes per transaction: large enough for COPY to pay off, small enough to keep lag low. */
    static final int OUTCOMES_PER_TRANSACTION = 65_536;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long RETRY_MILLIS_MAX = 10_000;
    private static final long STANDBY_POLL_MILLIS = 500;

    /** Where the read model stands: the last command in it and that command's ledger timestamp. */
    public record Position(long command, long queueIndex, long timestamp) {
        public static final Position START = new Position(-1, -1, 0);
    }

    private final DataSource dataSource;
    private final Path eventsDirectory;
    private final LongSupplier lastPublishedCommand;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Position position;
    private final long startedNanos = System.currentTimeMillis() * 1_000_000L;
    private volatile Throwable lastFailure;
    private volatile ReadModelDivergedException divergence;
    private final Object progress = new Object();
    private volatile boolean writing;
    private final boolean followsReplica;
    private final int connections;

    /**
     * @param lastPublishedCommand the engine's last command in the event stream (for lag)
     */
    public Projector(DataSource dataSource, Path eventsDirectory, LongSupplier lastPublishedCommand) {
        this(dataSource, eventsDirectory, lastPublishedCommand, false, ReadModelDatabase.WRITERS_DEFAULT);
    }

    /**
     * @param followsReplica the stream is a cluster member's: when the read model is ahead of it (another
     *                       member projected further), this projector waits for its member to catch up
     *                       instead of reporting a divergence
     * @param connections    how many connections to write on at once ({@link ProjectionWriters}; the pool must have
     *                       one more)
     */
    public Projector(DataSource dataSource, Path eventsDirectory, LongSupplier lastPublishedCommand,
                     boolean followsReplica, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("a projector writes on at least one connection, not " + connections);
        }
        this.connections = connections;
        this.followsReplica = followsReplica;
        this.dataSource = dataSource;
        this.eventsDirectory = eventsDirectory;
        this.lastPublishedCommand = lastPublishedCommand;
        this.position = Position.START;
        this.thread = new Thread(this::run, "read-model-projector");
        this.thread.setDaemon(true);
    }

    public Projector start() {
        position = readPosition(dataSource);
        thread.start();
        return this;
    }

    /** The last command whose outcomes are committed to the read model. */
    public Position position() {
        return position;
    }

    /** Commands published by the engine but not yet in the read model. */
    public long lagCommands() {
        return Math.max(0, lastPublishedCommand.getAsLong() - position.command());
    }

    /**
     * How far behind the read model is in time: 0 when it holds every published command, else the age
     * of the last command it holds (ledger timestamps are wall-clock nanoseconds), which bounds the age
     * of the oldest command it lacks — a stuck projector's lag keeps growing.
     */
    public double lagSeconds() {
        if (lagCommands() == 0) {
            return 0;
        }
        Position now = position;
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        return now.command() < 0 ? (nowNanos - startedNanos) / 1e9 : Math.max(0, nowNanos - now.timestamp()) / 1e9;
    }

    /** The last failure: a database failure while the projector is retrying, or the divergence that stopped it. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** Why projection has stopped for good (the read model is ahead of the ledger), or null. */
    public ReadModelDivergedException divergence() {
        return divergence;
    }

    /** True while this projector holds its schema's lock and writes; false while another server's does (standby). */
    public boolean isWriting() {
        return writing;
    }

    /** True while the projector's thread runs (false once it is closed or has stopped on a divergence). */
    public boolean isProjecting() {
        return thread.isAlive();
    }

    /** Waits until the read model holds command {@code command}; false on timeout. */
    public boolean awaitCommand(long command, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (progress) {
            while (position.command() < command) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /** Waits until the read model holds everything the engine has published so far. */
    public boolean awaitCaughtUp(long timeoutMillis) throws InterruptedException {
        return awaitCommand(lastPublishedCommand.getAsLong(), timeoutMillis);
    }

    private void run() {
        long retryMillis = 100;
        boolean standbyLogged = false;
        while (running) {
            try {
                if (project()) {
                    return;
                }
                if (!standbyLogged) {
                    LOG.info("read-model projection: another server projects into this schema; standing by");
                    standbyLogged = true;
                }
                followCommitted();
                sleep(STANDBY_POLL_MILLIS);
            } catch (ReadModelDivergedException e) {
                divergence = e;
                lastFailure = e;
                LOG.error("read-model projection stopped: {}", e.getMessage());
                return;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                lastFailure = e;
                LOG.atWarn().setCause(e).log("read-model projection failed at command {}; retrying in {} ms",
                    position.command(), retryMillis);
                sleep(retryMillis);
                retryMillis = Math.min(RETRY_MILLIS_MAX, retryMillis * 2);
            } catch (Error e) {
                lastFailure = e;
                LOG.error("read-model projector stopped", e);
                throw e;
            }
        }
    }

    /** On standby: the position another server's projector has committed, for lag and for waiting readers. */
    private void followCommitted() {
        Position committed = readPosition(dataSource);
        synchronized (progress) {
            position = committed;
            progress.notifyAll();
        }
    }

    /**
     * Projects until closed (true), or returns false at once if another projector holds this schema's lock;
     * throws on a failure, after which {@link #run} starts again from the database.
     */
    private boolean project() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!lockSchema(connection)) {
                return false;
            }
            try {
                buildDeferredIndexes(connection);
                Position committed = readPosition(connection);
                if (followsReplica && lastPublishedCommand.getAsLong() < committed.command()) {
                    return false; // this member has not caught up with the read model yet: stand by
                }
                writing = true;
                position = committed;
                project(connection, committed);
                return true;
            } finally {
                writing = false;
                unlockQuietly(connection);
            }
        }
    }

    /**
     * Builds what an interrupted rebuild left listed in {@code deferred_indexes}, holding the projectors' lock: a
     * server that opened the read model before that rebuild (a standby taking over) would otherwise project without
     * them — posts and voids, which find their pending transfer by id, scanning the whole table each.
     */
    private void buildDeferredIndexes(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            int built = DeferredIndexes.buildListed(connection, dataSource, connections);
            if (built > 0) {
                LOG.atWarn().log("built {} indexes that an interrupted rebuild had left to build", built);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Pooled connections outlive this use: the lock is given back before the connection is. */
    private static void unlockQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext('fanz-projector:' || current_schema()))")) {
                statement.execute();
            }
        } catch (SQLException e) {
            // a broken connection: the pool drops it, and closing the session frees the lock
        }
    }

    /** Takes the schema's projector lock for this session (released when the connection closes). */
    static boolean lockSchema(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                 "SELECT pg_try_advisory_lock(hashtext('fanz-projector:' || current_schema()))");
             ResultSet rows = statement.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /**
     * Projects on {@code connection} (which holds the schema's lock) and, with more than one, further connections
     * from the pool, each run of outcomes committed after the one before it ({@link ProjectionWriters}).
     */
    private void project(Connection connection, Position committed) throws SQLException {
        try (OutcomeStream stream = OutcomeStream.open(eventsDirectory);
             ProjectionWriters writers = ProjectionWriters.on(connection, dataSource, connections, true,
                 committed.command(), this::committed, null)) {
            resume(stream, committed);
            ProjectionBatch batch = writers.take();
            while (running) {
                while (batch.outcomes() < OUTCOMES_PER_TRANSACTION && stream.next()) {
                    batch.add(stream.excerpt(), stream.index());
                }
                if (batch.excerpts() == 0) {
                    writers.check();
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                writers.write(batch);
                batch = writers.take();
            }
            writers.finish();
        }
    }

    /** A run is committed (on a writer's thread, in order): the position moves on and waiting readers are told. */
    private void committed(ProjectionBatch batch) {
        lastFailure = null;
        synchronized (progress) {
            position = new Position(batch.lastCommand(), batch.lastQueueIndex(), batch.lastTimestamp());
            progress.notifyAll();
        }
    }

    /**
     * Positions {@code stream} right after the committed command: at its stored queue index if that still
     * holds it, else found by number (a regenerated stream); then checks that it is the same command.
     */
    private static void resume(OutcomeStream stream, Position committed) {
        if (committed.command() < 0) {
            stream.resumeAfter(-1, -1);
            return;
        }
        if (!resumedAtIndex(stream, committed)) {
            resumeByNumber(stream, committed);
        }
        long ledgerTimestamp = stream.excerpt().commandTimestamp();
        if (ledgerTimestamp != committed.timestamp()) {
            throw ReadModelDivergedException.otherCommand(committed.command(), committed.timestamp(), ledgerTimestamp);
        }
    }

    private static boolean resumedAtIndex(OutcomeStream stream, Position committed) {
        if (committed.queueIndex() < 0) {
            return false;
        }
        try {
            stream.resumeAfter(committed.command(), committed.queueIndex());
            return true;
        } catch (IllegalStateException moved) {
            LOG.info("command {} is no longer at index 0x{} of the event stream (regenerated by recovery); finding it"
                + " by number", committed.command(), Long.toHexString(committed.queueIndex()));
            return false;
        }
    }

    private static void resumeByNumber(OutcomeStream stream, Position committed) {
        long last = stream.lastCommand();
        if (last < committed.command()) {
            throw ReadModelDivergedException.ahead(committed.command(), last);
        }
        try {
            stream.resumeAfter(committed.command(), -1);
        } catch (IllegalStateException missing) {
            throw ReadModelDivergedException.damagedStream(committed.command(), last, missing);
        }
    }

    /** The committed position of the main projector, or {@link Position#START} for an empty read model. */
    public static Position readPosition(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return readPosition(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the read model's position: " + e.getMessage(), e);
        }
    }

    private static Position readPosition(Connection connection) {
        try (PreparedStatement statement = connection.prepareStatement(
                 "SELECT command_number, queue_index, command_timestamp FROM projection_position WHERE projector = ?")) {
            statement.setString(1, ProjectionBatch.PROJECTOR);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Position(rows.getLong(1), rows.getLong(2), rows.getLong(3)) : Position.START;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the read model's position: " + e.getMessage(), e);
        }
    }

    /** Sleeps in short slices so that {@link #close} is not held up by a long back-off. */
    private void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (running && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Stops the thread once the runs already handed to its writers have committed (each commits or rolls back
     * whole); waits up to 30 s.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
