package com.fanzfinance.server.payments.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Reading sequenced events and the counter: the SQL the feed and the publisher share. */
final class OutboxRows {
    static final String COLUMNS = "seq, id, tenant, event_type, subject, occurred, payload";

    private OutboxRows() {
    }

    static OutboxEvent event(ResultSet row) throws SQLException {
        return new OutboxEvent(row.getLong(1), row.getObject(2, UUID.class), row.getString(3), row.getString(4),
            row.getString(5), row.getTimestamp(6).toInstant(), row.getString(7));
    }

    /** The last sequence handed out, as {@code connection}'s snapshot sees it. */
    static long lastSequence(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT last_seq FROM outbox_counter WHERE id = 1");
             ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("outbox_counter has no row: the payments schema is not migrated");
            }
            return row.getLong(1);
        }
    }
}
