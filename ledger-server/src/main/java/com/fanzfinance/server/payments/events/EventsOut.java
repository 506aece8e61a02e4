package com.fanzfinance.server.payments.events;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.server.config.ServerConfig;

/**
 * Events out as one piece for the server to start and close: the {@link Outbox} writers append to, the
 * {@link OutboxSequencer} that numbers their events, the {@link EventFeed} behind {@code GET /v1/events},
 * the {@link NatsPublisher} when {@code FANZ_NATS_URL} is set, and {@link OutboxRetention} run periodically.
 * The data source must have the payments schema (migrated) on its search path.
 */
public final class EventsOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventsOut.class);

    /**
     * The knobs: NATS ({@code null}: off), how long events are kept and how often that is enforced, how often
     * the idle sequencer looks for committed events, and how many readers may long-poll at once.
     */
    public record Settings(NatsSettings nats, Duration retention, Duration retentionEvery, Duration sequencerPoll,
                           int maxWaiters) {
        public Settings {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(retentionEvery, "retentionEvery");
            Objects.requireNonNull(sequencerPoll, "sequencerPoll");
        }

        /** From the server's configuration: {@code FANZ_NATS_URL}, {@code FANZ_EVENTS_RETENTION_DAYS}. */
        public static Settings from(ServerConfig.Payments payments) {
            return new Settings(payments.natsUrl() == null ? null : NatsSettings.defaults(payments.natsUrl()),
                Duration.ofDays(payments.eventsRetentionDays()), Duration.ofHours(1), Duration.ofMillis(20), 256);
        }
    }

    private final SequenceSignal signal = new SequenceSignal();
    private final Outbox outbox;
    private final OutboxSequencer sequencer;
    private final EventFeed feed;
    private final NatsPublisher publisher;
    private final OutboxRetention retention;
    private final Duration retentionEvery;
    private final ScheduledExecutorService retentionRunner;
    private boolean started;

    public EventsOut(DataSource dataSource, ServerConfig.Payments payments) {
        this(dataSource, Settings.from(payments), Clock.systemUTC());
    }

    public EventsOut(DataSource dataSource, Settings settings, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        this.outbox = new Outbox(clock);
        this.sequencer = new OutboxSequencer(dataSource, signal, settings.sequencerPoll(), 1000);
        this.feed = new EventFeed(dataSource, signal, settings.maxWaiters());
        this.publisher = settings.nats() == null ? null : new NatsPublisher(dataSource, signal, settings.nats());
        this.retention = new OutboxRetention(dataSource, settings.retention(), clock, 5000);
        this.retentionEvery = settings.retentionEvery();
        this.retentionRunner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fanz-outbox-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the sequencer, the publisher (if any) and the periodic retention. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        sequencer.start();
        if (publisher != null) {
            publisher.start();
        }
        retentionRunner.scheduleWithFixedDelay(this::enforceRetention, 0, retentionEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void enforceRetention() {
        try {
            long keepAfter = publisher == null ? Long.MAX_VALUE : publisher.lastPublishedSequence();
            if (keepAfter < 0) {
                return;
            }
            long deleted = retention.deleteExpired(keepAfter);
            if (deleted > 0) {
                LOG.info("outbox retention deleted {} events", deleted);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("outbox retention failed, next try in {}: {}", retentionEvery, e.toString());
        }
    }

    /** Where writers append events, inside their own transactions. */
    public Outbox outbox() {
        return outbox;
    }

    /** What {@code GET /v1/events} reads. */
    public EventFeed feed() {
        return feed;
    }

    /** The NATS publisher, when {@code FANZ_NATS_URL} is set (for its metrics). */
    public Optional<NatsPublisher> publisher() {
        return Optional.ofNullable(publisher);
    }

    /** The last sequence this process knows committed (for metrics). */
    public long lastSequence() {
        return signal.current();
    }

    /** Stops retention, the publisher and the sequencer; events appended meanwhile wait for the next start. */
    @Override
    public synchronized void close() {
        retentionRunner.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
        sequencer.close();
        try {
            retentionRunner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
