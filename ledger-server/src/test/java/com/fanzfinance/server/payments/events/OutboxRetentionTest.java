package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxRetentionTest {
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private EventsSchema db;
    private final SequenceSignal signal = new SequenceSignal();
    private OutboxSequencer sequencer;
    private EventFeed feed;
    private OutboxRetention retention;

    @BeforeEach
    void setUp() {
        db = EventsSchema.create(4);
        sequencer = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(10), 100);
        feed = new EventFeed(db.dataSource, signal, 4);
        retention = new OutboxRetention(db.dataSource, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC), 2);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void eventsOlderThanTheRetentionAreDeletedInBatchesAndYoungerOnesKept() throws Exception {
        Outbox old = new Outbox(Clock.fixed(NOW.minus(Duration.ofDays(31)), ZoneOffset.UTC));
        Outbox edge = new Outbox(Clock.fixed(NOW.minus(Duration.ofDays(29)), ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            db.commit(old, "girlfanz", EventTypes.PAYMENT_EVENT_POSTED, "pe_" + i, "{}");
        }
        UUID kept = db.commit(edge, "girlfanz", EventTypes.PAYMENT_EVENT_POSTED, "pe_kept", "{}");
        EventsSchema.sequenceAll(sequencer);

        assertThat(retention.deleteExpired(Long.MAX_VALUE)).isEqualTo(5);
        EventPage left = feed.read(0, Set.of(), null, 100, Duration.ZERO);
        assertThat(left.events()).extracting(OutboxEvent::id).containsExactly(kept);
        assertThat(left.events().get(0).sequence()).isEqualTo(6);
        assertThat(retention.deleteExpired(Long.MAX_VALUE)).isZero();
    }

    @Test
    void expiredEventsNotYetPublishedAreKept() throws Exception {
        Outbox old = new Outbox(Clock.fixed(NOW.minus(Duration.ofDays(40)), ZoneOffset.UTC));
        for (int i = 0; i < 4; i++) {
            db.commit(old, "girlfanz", EventTypes.PAYOUT_FAILED, "po_" + i, "{}");
        }
        EventsSchema.sequenceAll(sequencer);

        assertThat(retention.deleteExpired(2)).isEqualTo(2);
        assertThat(feed.read(0, Set.of(), null, 100, Duration.ZERO).events()).extracting(OutboxEvent::sequence)
            .containsExactly(3L, 4L);
    }
}
