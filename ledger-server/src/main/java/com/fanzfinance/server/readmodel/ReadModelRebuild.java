package com.fanzfinance.server.readmodel;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.engine.JournalReplay;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Drops the read model's rows and projects them again from the journal (the source of truth), by
 * replaying it and writing every command's outcomes exactly as the live projector would. Each
 * transaction stores the position it reaches, so an interrupted rebuild leaves a consistent, partial
 * read model that the server's projector simply continues. The indexes that only queries need are dropped
 * while it loads and built at the end ({@link DeferredIndexes}; an interrupted rebuild's are built by the next
 * open of the read model); their building counts in the projecting time. Runs with the server stopped.
 */
public final class ReadModelRebuild {
    private ReadModelRebuild() {
    }

    /**
     * What was rebuilt: the commands, accounts and transfers projected, the last command, and the time it
     * took — opening (or starting) and migrating the database apart from replaying and writing, so that a
     * rate is measured over the projection alone; the projecting includes building the deferred indexes
     * ({@code indexingNanos} of it).
     */
    public record Result(long commands, long accounts, long transfers, long lastCommand, long preparingNanos,
                         long projectingNanos, long indexingNanos, JournalReplay.Result replay) {
        /** Transfers written per second of projecting. */
        public double transfersPerSecond() {
            return projectingNanos == 0 ? 0 : transfers * 1e9 / projectingNanos;
        }
    }

    /** Running totals of what has been committed (written by the writer thread, read after it has stopped). */
    private static final class Totals {
        long commands;
        long accounts;
        long transfers;
        long lastCommand = -1;

        void add(ProjectionBatch batch) {
            commands += batch.excerpts();
            accounts += batch.accountRows();
            transfers += batch.transferRows();
            lastCommand = batch.lastCommand();
        }
    }

    public static Result run(ServerConfig config, JournalReplay.Progress progress) {
        long started = System.nanoTime();
        try (ReadModelDatabase database = ReadModelDatabase.openForRebuild(config.readModel(), config.dataDirectory());
             Connection connection = database.dataSource().getConnection()) {
            // The projectors' lock on the schema, held for the whole rebuild (this session's): no server may
            // project into it meanwhile — with the postings' key dropped, its rows would break the key's rebuild.
            if (!Projector.lockSchema(connection)) {
                throw new IllegalStateException("a server is projecting into schema " + config.readModel().schema()
                    + " (it holds the projector's lock): stop it before rebuilding");
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE accounts, transfers, postings, projection_position");
            }
            DeferredIndexes.drop(connection);
            connection.commit();
            long projectingStarted = System.nanoTime();
            OutcomeExcerpt excerpt = new OutcomeExcerpt();
            Totals totals = new Totals();
            JournalReplay.Result replay;
            try (Writer writer = new Writer(connection, totals)) {
                ProjectionBatch[] filling = {writer.freeBatch()};
                replay = JournalReplay.run(config.engine().journalDirectory(), config.engine().stateMachine(),
                    config.engine().batchBytesMax(), progress, (buffer, length) -> {
                        filling[0].add(excerpt.wrap(buffer, 0, length), -1);
                        if (filling[0].outcomes() >= Projector.OUTCOMES_PER_TRANSACTION) {
                            filling[0] = writer.write(filling[0]);
                        }
                    });
                if (filling[0].excerpts() > 0) {
                    writer.write(filling[0]);
                }
                writer.finish();
            }
            long indexing = System.nanoTime();
            DeferredIndexes.build(connection);
            connection.commit();
            long finished = System.nanoTime();
            return new Result(totals.commands, totals.accounts, totals.transfers, totals.lastCommand,
                projectingStarted - started, finished - projectingStarted, finished - indexing, replay);
        } catch (SQLException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }

    /**
     * Writes and commits full batches on a thread of its own while the replay fills the next one, so that
     * PostgreSQL's work (the COPY, one backend) and the replay's (the state machine and the rows' encoding) overlap
     * instead of taking turns. Two batches circulate: one filling, one being written. A failure of the writer is
     * thrown to the replay at its next hand-over (or at {@link #finish}); closing stops the thread either way.
     */
    private static final class Writer implements AutoCloseable {
        private final Connection connection;
        private final Totals totals;
        private final BlockingQueue<ProjectionBatch> full = new ArrayBlockingQueue<>(1);
        private final BlockingQueue<ProjectionBatch> free = new ArrayBlockingQueue<>(2);
        private final ProjectionBatch end = new ProjectionBatch(false);
        private final Thread thread;
        private volatile Throwable failure;

        Writer(Connection connection, Totals totals) {
            this.connection = connection;
            this.totals = totals;
            free.add(new ProjectionBatch(false));
            free.add(new ProjectionBatch(false));
            this.thread = new Thread(this::run, "read-model-rebuild-writer");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        ProjectionBatch freeBatch() {
            return take(free);
        }

        /** Hands over a full batch; returns an empty one to fill next (waiting while the writer is busy). */
        ProjectionBatch write(ProjectionBatch batch) {
            put(batch);
            return take(free);
        }

        /** Waits until everything handed over is committed. */
        void finish() {
            put(end);
            join();
            rethrow();
        }

        @Override
        public void close() {
            thread.interrupt();
            join();
        }

        private void run() {
            try {
                for (ProjectionBatch batch = full.take(); batch != end; batch = full.take()) {
                    batch.write(connection);
                    connection.commit();
                    totals.add(batch);
                    batch.clear();
                    free.put(batch);
                }
            } catch (InterruptedException e) {
                // Closed: the replay failed or has stopped.
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void put(ProjectionBatch batch) {
            while (true) {
                rethrow();
                try {
                    if (full.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during the rebuild", e);
                }
            }
        }

        private ProjectionBatch take(BlockingQueue<ProjectionBatch> queue) {
            while (true) {
                rethrow();
                try {
                    ProjectionBatch batch = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (batch != null) {
                        return batch;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during the rebuild", e);
                }
            }
        }

        private void rethrow() {
            Throwable cause = failure;
            if (cause != null) {
                throw new IllegalStateException("the read model's database failed during the rebuild: " + cause.getMessage(),
                    cause);
            }
        }

        private void join() {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
