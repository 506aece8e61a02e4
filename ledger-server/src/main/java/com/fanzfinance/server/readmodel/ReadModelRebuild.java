package com.fanzfinance.server.readmodel;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.engine.JournalReplay;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Drops the read model's rows and projects them again from the journal (the source of truth), by
 * replaying it and writing every command's outcomes exactly as the live projector would. Each
 * transaction stores the position it reaches, so an interrupted rebuild leaves a consistent, partial
 * read model that the server's projector simply continues. The indexes that only queries need are dropped
 * while it loads and built at the end ({@link DeferredIndexes}; an interrupted rebuild's are built by the next
 * open of the read model); their building counts in the projecting time. The rows go to PostgreSQL on
 * {@code FANZ_READ_MODEL_WRITERS} connections (two by default) while the replay fills the next run ({@link ProjectionWriters}). Runs with the server stopped.
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

    /** Running totals of what has been committed (written by the writers' threads in turn, read after they have stopped). */
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
            try (ProjectionWriters writers = ProjectionWriters.on(connection, database.dataSource(),
                database.writerConnections(), false, -1, totals::add, new PendingTimestamps())) {
                ProjectionBatch[] filling = {writers.take()};
                replay = JournalReplay.run(config.engine().journalDirectory(), config.engine().stateMachine(),
                    config.engine().batchBytesMax(), progress, (buffer, length) -> {
                        filling[0].add(excerpt.wrap(buffer, 0, length), -1);
                        if (filling[0].outcomes() >= Projector.OUTCOMES_PER_TRANSACTION) {
                            writers.write(filling[0]);
                            filling[0] = writers.take();
                        }
                    });
                if (filling[0].excerpts() > 0) {
                    writers.write(filling[0]);
                }
                writers.finish();
            }
            long indexing = System.nanoTime();
            DeferredIndexes.buildListed(connection, database.dataSource(), database.writerConnections());
            long finished = System.nanoTime();
            return new Result(totals.commands, totals.accounts, totals.transfers, totals.lastCommand,
                projectingStarted - started, finished - projectingStarted, finished - indexing, replay);
        } catch (SQLException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }
}
