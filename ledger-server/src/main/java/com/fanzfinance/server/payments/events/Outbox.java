package com.fanzfinance.server.payments.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import com.fanzfinance.ledger.command.TenantSettings;

/**
 * Writes events into the outbox inside the caller's business transaction, so an event exists exactly when
 * the change it reports was committed. The row is only pending: the {@link OutboxSequencer} numbers it after
 * the commit (see V2__outbox.sql for why). Appending takes no shared lock, so writers never queue behind
 * one another here.
 */
public final class Outbox {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int SUBJECT_MAX = 200;
    private static final String INSERT = "INSERT INTO outbox_pending (id, tenant, event_type, subject, occurred, payload)"
        + " VALUES (?, ?, ?, ?, ?, ?)";

    private final Clock clock;

    public Outbox() {
        this(Clock.systemUTC());
    }

    /** With the clock that stamps each event's {@code time}. */
    public Outbox(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds an event in {@code tx} (the caller commits or rolls back) and returns its envelope id, a random
     * UUID that stays the event's for ever (readers and JetStream deduplicate on it).
     *
     * @param tenant   a tenant slug (it becomes a NATS subject token)
     * @param type     one of {@link EventTypes#ALL}
     * @param subject  the id of the object the event is about
     * @param dataJson the object as its {@code GET} returns it: exactly one JSON value
     * @throws IllegalArgumentException when an argument breaks these rules
     */
    public UUID append(Connection tx, String tenant, String type, String subject, String dataJson) throws SQLException {
        Objects.requireNonNull(tx, "tx");
        if (!TenantSettings.isValidSlug(tenant)) {
            throw new IllegalArgumentException("not a tenant slug: " + tenant);
        }
        EventTypes.require(type);
        if (subject == null || subject.isBlank() || subject.length() > SUBJECT_MAX) {
            throw new IllegalArgumentException("an event subject is 1 to " + SUBJECT_MAX + " characters");
        }
        requireOneJsonValue(dataJson);
        UUID id = UUID.randomUUID();
        Instant time = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement insert = tx.prepareStatement(INSERT)) {
            insert.setObject(1, id);
            insert.setString(2, tenant);
            insert.setString(3, type);
            insert.setString(4, subject);
            insert.setTimestamp(5, Timestamp.from(time));
            insert.setString(6, dataJson);
            insert.executeUpdate();
        }
        return id;
    }

    /** The envelope embeds {@code data} verbatim, so it must be one well-formed JSON value and nothing else. */
    private static void requireOneJsonValue(String json) {
        if (json == null) {
            throw new IllegalArgumentException("event data is required");
        }
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("event data is empty");
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new IllegalArgumentException("event data has more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
