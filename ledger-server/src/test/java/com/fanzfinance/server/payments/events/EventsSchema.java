package com.fanzfinance.server.payments.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import com.fanzfinance.server.TestDatabase;

/** A fresh payments schema, migrated from classpath:db/payments, with a pool that has it on the search path. */
final class EventsSchema implements AutoCloseable {
    final String schema;
    final HikariDataSource dataSource;

    private EventsSchema(String schema, HikariDataSource dataSource) {
        this.schema = schema;
        this.dataSource = dataSource;
    }

    static EventsSchema create(int poolSize) {
        String schema = TestDatabase.freshSchema("events");
        Flyway.configure().dataSource(TestDatabase.url(), null, null).schemas(schema).createSchemas(true)
            .locations("classpath:db/payments").load().migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.url());
        config.setMaximumPoolSize(poolSize);
        config.setConnectionInitSql("SET search_path TO " + schema);
        return new EventsSchema(schema, new HikariDataSource(config));
    }

    /** Appends one event in its own committed transaction. */
    UUID commit(Outbox outbox, String tenant, String type, String subject, String data) throws SQLException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            UUID id = outbox.append(tx, tenant, type, subject, data);
            tx.commit();
            return id;
        }
    }

    /** Appends one event of no particular content in its own committed transaction. */
    static UUID commitOne(EventsSchema db, Outbox outbox) throws SQLException {
        return db.commit(outbox, "girlfanz", EventTypes.PAYMENT_EVENT_POSTED, "pe_" + UUID.randomUUID(), "{}");
    }

    /** Numbers everything pending now. */
    static void sequenceAll(OutboxSequencer sequencer) throws SQLException {
        while (sequencer.sequenceBatch() > 0) {
            continue;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        TestDatabase.dropSchema(schema);
    }
}
