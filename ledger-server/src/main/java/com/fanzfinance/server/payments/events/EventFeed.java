package com.fanzfinance.server.payments.events;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

/**
 * {@code GET /v1/events}: sequenced events after a position, oldest first, optionally waiting for the first
 * new one. Waiting holds no database connection: the reader sleeps on the {@link SequenceSignal} the
 * sequencer raises, and queries again when it moves. At most {@code maxWaiters} readers wait at once; one
 * more gets {@link TooManyWaitersException}.
 *
 * <p>Each query reads the counter and the events in one snapshot, so when fewer than {@code limit} events
 * match, {@code next_after} is the counter: every event at or below it was either returned or filtered out,
 * and none can appear later (see V2__outbox.sql).
 */
public final class EventFeed {
    /** The longest wait a reader may ask for (the contract's {@code wait_seconds} ≤ 30). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** The most events one answer carries. */
    public static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;
    private final SequenceSignal signal;
    private final Semaphore waiters;
    private final int maxWaiters;
    private volatile boolean stopping;

    public EventFeed(DataSource dataSource, SequenceSignal signal, int maxWaiters) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.signal = Objects.requireNonNull(signal, "signal");
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("maxWaiters must be positive");
        }
        this.maxWaiters = maxWaiters;
        this.waiters = new Semaphore(maxWaiters);
    }

    /**
     * Events with a sequence above {@code after}, oldest first.
     *
     * @param types   types to keep (each one of {@link EventTypes#ALL}); empty: all
     * @param tenants tenants to keep; {@code null}: all; empty: none (an answer with no events)
     * @param limit   1 to {@link #MAX_LIMIT}
     * @param wait    zero: answer at once; else up to {@link #MAX_WAIT} for the first matching event
     * @throws IllegalArgumentException for an unknown type or an out-of-range argument
     * @throws TooManyWaitersException  when it would wait and too many readers wait already
     */
    public EventPage read(long after, Set<String> types, Set<String> tenants, int limit, Duration wait) throws SQLException {
        Objects.requireNonNull(types, "types");
        types.forEach(EventTypes::require);
        if (after < 0) {
            throw new IllegalArgumentException("after must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be 0 to " + MAX_WAIT.toSeconds() + " seconds");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        EventPage page = query(after, types, tenants, limit);
        if (!page.events().isEmpty() || wait.isZero() || stopping) {
            return page;
        }
        if (!waiters.tryAcquire()) {
            throw new TooManyWaitersException(maxWaiters);
        }
        try {
            while (page.events().isEmpty()) {
                if (!signal.awaitBeyond(page.nextAfter(), deadline, () -> stopping)) {
                    return page;
                }
                page = query(page.nextAfter(), types, tenants, limit);
            }
            return page;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return page;
        } finally {
            waiters.release();
        }
    }

    /**
     * Answers every waiting reader now with what it has (no events yet) and waits no more: the server is shutting
     * down, and a long poll must not hold its drain for up to {@link #MAX_WAIT}. A consumer asks again.
     */
    public void stopWaiting() {
        stopping = true;
        signal.wakeAll();
    }

    /** How many readers wait now (for metrics). */
    public int waiting() {
        return maxWaiters - waiters.availablePermits();
    }

    private EventPage query(long after, Set<String> types, Set<String> tenants, int limit) throws SQLException {
        if (tenants != null && tenants.isEmpty()) {
            return new EventPage(List.of(), after);
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(OutboxRows.COLUMNS).append(" FROM outbox_events WHERE seq > ?");
        if (!types.isEmpty()) {
            sql.append(" AND event_type = ANY (?)");
        }
        if (tenants != null) {
            sql.append(" AND tenant = ANY (?)");
        }
        sql.append(" ORDER BY seq LIMIT ?");
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                long high = OutboxRows.lastSequence(connection);
                List<OutboxEvent> events = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                    int index = 1;
                    select.setLong(index++, after);
                    if (!types.isEmpty()) {
                        select.setArray(index++, textArray(connection, types));
                    }
                    if (tenants != null) {
                        select.setArray(index++, textArray(connection, tenants));
                    }
                    select.setInt(index, limit);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            events.add(OutboxRows.event(rows));
                        }
                    }
                }
                connection.commit();
                long next = events.size() == limit ? events.get(events.size() - 1).sequence() : Math.max(after, high);
                return new EventPage(events, next);
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static Array textArray(Connection connection, Set<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(new String[0]));
    }
}
