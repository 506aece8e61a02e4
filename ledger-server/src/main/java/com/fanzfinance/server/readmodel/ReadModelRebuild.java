package com.fanzfinance.server.readmodel;

import java.io.IOException;
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
 * open of the read model); their building counts in the projecting time. Runs with the server stopped.
 */
public final class ReadModelRebuild {
    private ReadModelRebuild() {
    }

    /**
     * What was rebuilt: the commands, accounts and transfers projected, the last command, and the time it
     * took — opening (or starting) and migrating the database apart from replaying and writing, so that a
     * rate is measured over the projection alone.
     */
    public record Result(long commands, long accounts, long transfers, long lastCommand, long preparingNanos,
                         long projectingNanos, JournalReplay.Result replay) {
        /** Transfers written per second of projecting. */
        public double transfersPerSecond() {
            return projectingNanos == 0 ? 0 : transfers * 1e9 / projectingNanos;
        }
    }

    /** Running totals of what has been committed. */
    private static final class Totals {
        long commands;
        long accounts;
        long transfers;

        void add(ProjectionBatch batch) {
            commands += batch.excerpts();
            accounts += batch.accountRows();
            transfers += batch.transferRows();
        }
    }

    public static Result run(ServerConfig config, JournalReplay.Progress progress) {
        long started = System.nanoTime();
        try (ReadModelDatabase database = ReadModelDatabase.open(config.readModel(), config.dataDirectory());
             Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE accounts, transfers, postings, projection_position");
            }
            DeferredIndexes.drop(connection);
            connection.commit();
            long projectingStarted = System.nanoTime();
            ProjectionBatch batch = new ProjectionBatch();
            OutcomeExcerpt excerpt = new OutcomeExcerpt();
            Totals totals = new Totals();
            JournalReplay.Result replay = JournalReplay.run(config.engine().journalDirectory(),
                config.engine().stateMachine(), config.engine().batchBytesMax(), progress, (buffer, length) -> {
                    batch.add(excerpt.wrap(buffer, 0, length), -1);
                    if (batch.outcomes() >= Projector.OUTCOMES_PER_TRANSACTION) {
                        commit(batch, connection, totals);
                    }
                });
            if (batch.excerpts() > 0) {
                commit(batch, connection, totals);
            }
            DeferredIndexes.build(connection);
            connection.commit();
            long finished = System.nanoTime();
            return new Result(totals.commands, totals.accounts, totals.transfers, batch.lastCommand(),
                projectingStarted - started, finished - projectingStarted, replay);
        } catch (SQLException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }

    private static void commit(ProjectionBatch batch, Connection connection, Totals totals) {
        try {
            batch.write(connection);
            connection.commit();
            totals.add(batch);
            batch.clear();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }
}
