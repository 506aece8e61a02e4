package com.fanzfinance.server.payments.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Forgets events older than the retention ({@code FANZ_EVENTS_RETENTION_DAYS}), a bounded batch per
 * transaction so that a large backlog never holds long locks. Events not yet published to NATS are kept
 * whatever their age: the caller passes the last published sequence, so an outage longer than the retention
 * delays publication instead of losing events.
 */
public final class OutboxRetention {
    private static final String DELETE = "DELETE FROM outbox_events WHERE seq IN (SELECT seq FROM outbox_events"
        + " WHERE occurred < ? AND seq <= ? ORDER BY seq LIMIT ?)";

    private final DataSource dataSource;
    private final Duration retention;
    private final Clock clock;
    private final int batchSize;

    public OutboxRetention(DataSource dataSource, Duration retention, Clock clock, int batchSize) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero() || batchSize < 1) {
            throw new IllegalArgumentException("retention and batch size must be positive");
        }
        this.batchSize = batchSize;
    }

    /**
     * Deletes every expired event with a sequence at or below {@code keepAfter} ({@link Long#MAX_VALUE}: no
     * publisher to wait for) and returns how many.
     */
    public long deleteExpired(long keepAfter) throws SQLException {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        long total = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setTimestamp(1, cutoff);
                delete.setLong(2, keepAfter);
                delete.setInt(3, batchSize);
                int deleted;
                do {
                    deleted = delete.executeUpdate();
                    total += deleted;
                } while (deleted == batchSize);
            }
        }
        return total;
    }
}
