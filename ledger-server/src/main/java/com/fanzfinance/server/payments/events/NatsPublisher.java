package com.fanzfinance.server.payments.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;

/**
 * Publishes every outbox event, in sequence order, to NATS JetStream: subject {@code fanz.{tenant}.{type}},
 * header {@code Nats-Msg-Id} = the event id, body = the CloudEvents envelope. One background thread; writers
 * never wait for it, so a NATS outage only delays publication.
 *
 * <p>Exactly once into the stream, in order: each batch is read and published while the stream's row in
 * {@code outbox_publications} is locked, and that row keeps the last sequence JetStream acknowledged, so a
 * restart (or a second server) resumes after it. Repeats after a crash between acknowledgement and commit are
 * dropped by JetStream's duplicate window. Within a batch the messages are pipelined, each expecting the
 * previous one's id as the stream's last ({@code Nats-Expected-Last-Msg-Id}), so that if one is lost the
 * ones after it are refused rather than stored out of order; JetStream checks duplicates before that
 * expectation, so a resumed batch of repeats passes.
 *
 * <p>Failures (no server, a lost connection, timeouts, database errors) are retried with doubling back-off up
 * to {@link NatsSettings#maxBackoff()}, and logged once per outage.
 */
public final class NatsPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsPublisher.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** When idle, the longest sleep between looks at the database (for events sequenced by another process). */
    private static final Duration IDLE_LOOK = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final SequenceSignal signal;
    private final NatsSettings settings;
    private final OutageLog outage;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private volatile boolean running;
    private volatile long lastPublished = -1;
    private volatile io.nats.client.Connection nats;
    private Thread thread;

    public NatsPublisher(DataSource dataSource, SequenceSignal signal, NatsSettings settings) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.outage = new OutageLog(LOG, "NATS publication to stream " + settings.streamName());
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "fanz-nats-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** The last sequence JetStream acknowledged; -1 until the position was first read from the database. */
    public long lastPublishedSequence() {
        return lastPublished;
    }

    /** How many sequenced events wait for publication (0 before the position is known). */
    public long lag() {
        long published = lastPublished;
        return published < 0 ? 0 : Math.max(0, signal.current() - published);
    }

    /** True while connected to NATS and not in an outage. */
    public boolean connected() {
        io.nats.client.Connection current = nats;
        return current != null && current.getStatus() == io.nats.client.Connection.Status.CONNECTED && !outage.down();
    }

    private void run() {
        long backoff = FIRST_BACKOFF.toNanos();
        while (running) {
            try {
                int published = publishBatch(connection());
                outage.succeeded();
                backoff = FIRST_BACKOFF.toNanos();
                if (published == 0) {
                    signal.awaitBeyond(lastPublished, System.nanoTime() + IDLE_LOOK.toNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | JetStreamApiException | SQLException | TimeoutException | ExecutionException
                     | RuntimeException e) {
                outage.failed(e);
                pause(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
            }
        }
    }

    /** The live connection, connecting (and creating the stream if missing) when there is none. */
    private io.nats.client.Connection connection() throws IOException, InterruptedException, JetStreamApiException {
        io.nats.client.Connection current = nats;
        if (current == null) {
            Options options = Options.builder().server(settings.url()).connectionName("fanz-events-out")
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(2))
                .errorListener(new ErrorListener() {
                })
                .build();
            current = Nats.connect(options);
            try {
                ensureStream(current.jetStreamManagement());
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                current.close();
                throw e;
            }
            nats = current;
        }
        if (current.getStatus() != io.nats.client.Connection.Status.CONNECTED) {
            throw new IOException("NATS connection is " + current.getStatus());
        }
        return current;
    }

    private void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(settings.streamName());
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(StreamConfiguration.builder().name(settings.streamName())
                .subjects(settings.subjectPrefix() + ".>").storageType(StorageType.File)
                .duplicateWindow(settings.duplicateWindow()).build());
        }
    }

    /** Publishes the next batch; returns how many JetStream acknowledged, or throws if the first one failed. */
    private int publishBatch(io.nats.client.Connection connection) throws SQLException, IOException, InterruptedException,
        TimeoutException, ExecutionException {
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try {
                long position = lockPosition(db);
                lastPublished = position;
                List<OutboxEvent> batch = eventsAfter(db, position);
                int acknowledged = batch.isEmpty() ? 0 : publish(connection.jetStream(), batch);
                if (acknowledged > 0) {
                    long last = batch.get(acknowledged - 1).sequence();
                    try (PreparedStatement update = db.prepareStatement(
                        "UPDATE outbox_publications SET last_seq = ? WHERE stream_name = ?")) {
                        update.setLong(1, last);
                        update.setString(2, settings.streamName());
                        update.executeUpdate();
                    }
                    db.commit();
                    lastPublished = last;
                } else {
                    db.rollback();
                }
                return acknowledged;
            } catch (SQLException | IOException | InterruptedException | TimeoutException | ExecutionException
                     | RuntimeException e) {
                db.rollback();
                throw e;
            }
        }
    }

    private long lockPosition(Connection db) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
            "INSERT INTO outbox_publications (stream_name, last_seq) VALUES (?, 0) ON CONFLICT (stream_name) DO NOTHING")) {
            insert.setString(1, settings.streamName());
            insert.executeUpdate();
        }
        try (PreparedStatement select = db.prepareStatement(
            "SELECT last_seq FROM outbox_publications WHERE stream_name = ? FOR UPDATE")) {
            select.setString(1, settings.streamName());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private List<OutboxEvent> eventsAfter(Connection db, long position) throws SQLException {
        List<OutboxEvent> events = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement(
            "SELECT " + OutboxRows.COLUMNS + " FROM outbox_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, position);
            select.setInt(2, settings.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(OutboxRows.event(rows));
                }
            }
        }
        return events;
    }

    /**
     * Pipelines the batch and counts the acknowledgements in order up to the first failure. A failure of the
     * first message is an outage (thrown); a later one only shortens the batch, and the next resumes there.
     */
    private int publish(JetStream js, List<OutboxEvent> batch) throws IOException, InterruptedException,
        TimeoutException, ExecutionException {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
        String previous = null;
        for (OutboxEvent event : batch) {
            PublishOptions.Builder options = PublishOptions.builder().messageId(event.id().toString());
            if (previous != null) {
                options.expectedLastMsgId(previous);
            }
            NatsMessage message = NatsMessage.builder().subject(settings.subject(event))
                .data(EventJson.envelope(event).getBytes(StandardCharsets.UTF_8)).build();
            acks.add(js.publishAsync(message, options.build()));
            previous = event.id().toString();
        }
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        int acknowledged = 0;
        for (CompletableFuture<PublishAck> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged++;
            } catch (TimeoutException | ExecutionException e) {
                if (acknowledged == 0) {
                    throw e;
                }
                break;
            }
        }
        return acknowledged;
    }

    private void pause(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (running && left > 0) {
                left = stopping.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops publishing (after the batch in flight) and closes the NATS connection. */
    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            started = thread;
            running = false;
        }
        lock.lock();
        try {
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        if (started != null) {
            started.interrupt();
            try {
                started.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        io.nats.client.Connection current = nats;
        nats = null;
        if (current != null) {
            try {
                current.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
