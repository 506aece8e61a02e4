package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;

import com.fanzfinance.server.config.ServerConfig;

class EventsOutTest {
    private EventsSchema db;

    @BeforeEach
    void setUp() {
        db = EventsSchema.create(6);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void withoutNatsTheServerSettingsGiveAFeedAndNoPublisher() throws Exception {
        ServerConfig.Payments payments = new ServerConfig.Payments(true, db.schema, null, 2000, 65536, List.of(), 7, 24,
            null, false, null, 30, 5000, "MON 09:00", 100_000, 5, 30, 30);
        try (EventsOut events = new EventsOut(db.dataSource, payments)) {
            events.start();
            assertThat(events.publisher()).isEmpty();
            UUID id = db.commit(events.outbox(), "girlfanz", EventTypes.CHECKOUT_EXPIRED, "co_1", "{\"id\":\"co_1\"}");
            EventPage page = events.feed().read(0, Set.of(), null, 10, Duration.ofSeconds(10));
            assertThat(page.events()).extracting(OutboxEvent::id).containsExactly(id);
            assertThat(events.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void startedWithNatsItSequencesPublishesAndStopsCleanly() throws Exception {
        NatsPublisherTest.requireNats();
        NatsSettings nats = NatsPublisherTest.uniqueSettings(NatsPublisherTest.NATS);
        EventsOut.Settings settings = new EventsOut.Settings(nats, Duration.ofDays(30), Duration.ofHours(1),
            Duration.ofMillis(5), 8);
        try (io.nats.client.Connection client = Nats.connect(NatsPublisherTest.NATS)) {
            JetStreamManagement jsm = client.jetStreamManagement();
            try (EventsOut events = new EventsOut(db.dataSource, settings, Clock.systemUTC())) {
                events.start();
                for (int i = 0; i < 10; i++) {
                    db.commit(events.outbox(), "girlfanz", EventTypes.PAYOUT_RETURNED, "po_" + i, "{}");
                }
                NatsPublisher publisher = events.publisher().orElseThrow();
                NatsPublisherTest.await("published", () -> publisher.lastPublishedSequence() == 10);
                assertThat(jsm.getStreamInfo(nats.streamName()).getStreamState().getMsgCount()).isEqualTo(10);
                assertThat(jsm.getMessage(nats.streamName(), 10).getSubject())
                    .isEqualTo(nats.subjectPrefix() + ".girlfanz.payout.returned");
            } finally {
                try {
                    jsm.deleteStream(nats.streamName());
                } catch (JetStreamApiException e) {
                    // never created
                }
            }
        }
    }
}
