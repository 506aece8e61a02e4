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
 * read model that the server's projector simply continues. Runs with the server stopped.
 */
public final class ReadModelRebuild {
    private ReadModelRebuild() {
    }

    /** What was rebuilt. */
    public record Result(long commands, long outcomes, long lastCommand, JournalReplay.Result replay) {
    }

    public static Result run(ServerConfig config, JournalReplay.Progress progress) {
        try (ReadModelDatabase database = ReadModelDatabase.open(config.readModel(), config.dataDirectory());
             Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE accounts, transfers, postings, projection_position");
            }
            connection.commit();
            ProjectionBatch batch = new ProjectionBatch();
            OutcomeExcerpt excerpt = new OutcomeExcerpt();
            long[] totals = {0, 0};
            JournalReplay.Result replay = JournalReplay.run(config.engine().journalDirectory(),
                config.engine().stateMachine(), config.engine().batchBytesMax(), progress, (buffer, length) -> {
                    batch.add(excerpt.wrap(buffer, 0, length), -1);
                    if (batch.outcomes() >= Projector.OUTCOMES_PER_TRANSACTION) {
                        totals[0] += batch.excerpts();
                        totals[1] += batch.outcomes();
                        commit(batch, connection);
                    }
                });
            if (batch.excerpts() > 0) {
                totals[0] += batch.excerpts();
                totals[1] += batch.outcomes();
                commit(batch, connection);
            }
            return new Result(totals[0], totals[1], batch.lastCommand(), replay);
        } catch (SQLException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }

    private static void commit(ProjectionBatch batch, Connection connection) {
        try {
            batch.write(connection);
            connection.commit();
            batch.clear();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the read model's database failed during the rebuild: " + e.getMessage(), e);
        }
    }
}
