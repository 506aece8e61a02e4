package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OutboxTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456789Z");

    private EventsSchema db;
    private final SequenceSignal signal = new SequenceSignal();
    private final Outbox outbox = new Outbox(Clock.fixed(NOW, ZoneOffset.UTC));
    private OutboxSequencer sequencer;
    private EventFeed feed;

    @BeforeEach
    void setUp() {
        db = EventsSchema.create(4);
        sequencer = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(10), 100);
        feed = new EventFeed(db.dataSource, signal, 4);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void anEventIsVisibleWhenItsTransactionCommitsAndNeverWhenItRollsBack() throws Exception {
        UUID first;
        UUID second;
        try (Connection tx = db.dataSource.getConnection()) {
            tx.setAutoCommit(false);
            first = outbox.append(tx, "girlfanz", EventTypes.PAYMENT_EVENT_POSTED, "pe_1", "{\"id\":\"pe_1\"}");
            second = outbox.append(tx, "girlfanz", EventTypes.CHECKOUT_PAID, "co_1", "{\"id\":\"co_1\"}");
            EventsSchema.sequenceAll(sequencer);
            assertThat(feed.read(0, Set.of(), null, 10, Duration.ZERO).events()).as("not committed yet").isEmpty();
            tx.commit();
        }
        try (Connection tx = db.dataSource.getConnection()) {
            tx.setAutoCommit(false);
            outbox.append(tx, "girlfanz", EventTypes.PAYMENT_EVENT_FAILED, "pe_2", "{}");
            tx.rollback();
        }
        EventsSchema.sequenceAll(sequencer);

        EventPage page = feed.read(0, Set.of(), null, 10, Duration.ZERO);
        assertThat(page.events()).extracting(OutboxEvent::id).containsExactly(first, second);
        assertThat(page.events()).extracting(OutboxEvent::sequence).containsExactly(1L, 2L);
        OutboxEvent posted = page.events().get(0);
        assertThat(posted.tenant()).isEqualTo("girlfanz");
        assertThat(posted.type()).isEqualTo("payment_event.posted");
        assertThat(posted.subject()).isEqualTo("pe_1");
        assertThat(posted.time()).isEqualTo(Instant.parse("2025-03-04T05:06:07.123456Z"));
        assertThat(posted.dataJson()).isEqualTo("{\"id\":\"pe_1\"}");
        assertThat(page.nextAfter()).isEqualTo(2);
        assertThat(signal.current()).isEqualTo(2);
    }

    @Test
    void anIdleLookLocksNothingAndALookWithWorkWaitsForTheCounter() throws Exception {
        EventsSchema.commitOne(db, outbox);
        EventsSchema.sequenceAll(sequencer);
        assertThat(signal.current()).isEqualTo(1);
        try (Connection other = db.dataSource.getConnection()) {
            // Another server's sequencer holding the counter's lock in an open transaction.
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement("SELECT last_seq FROM outbox_counter WHERE id = 1 FOR UPDATE")) {
                lock.executeQuery().close();
            }
            // Nothing pending: the look neither waits for that lock nor takes one (it used to wait here).
            var idle = java.util.concurrent.CompletableFuture.supplyAsync(this::sequenceOnce);
            assertThat(idle.get(20, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            assertThat(signal.current()).isEqualTo(1);

            // Something pending: numbering it waits for the lock, and goes on once the other transaction ends.
            EventsSchema.commitOne(db, outbox);
            var busy = java.util.concurrent.CompletableFuture.supplyAsync(this::sequenceOnce);
            awaitALockWait();
            assertThat(busy).isNotDone();
            other.rollback();
            assertThat(busy.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(signal.current()).isEqualTo(2);
        try (Connection tx = db.dataSource.getConnection(); var counter = tx.createStatement()) {
            counter.execute("DELETE FROM outbox_counter");
        }
        assertThatThrownBy(sequencer::sequenceBatch).hasMessageContaining("outbox_counter has no row");
    }

    /**
     * Waits until a session is waiting for a lock on the counter row (the sequencer's FOR UPDATE), read on a connection
     * of its own in autocommit: a transaction sees one snapshot of pg_stat_activity.
     */
    private void awaitALockWait() throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        try (Connection observer = db.dataSource.getConnection(); var waiting = observer.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE 'SELECT last_seq FROM outbox_counter WHERE id = 1 FOR UPDATE%'")) {
            while (true) {
                try (var row = waiting.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a sequencer waiting for the counter's lock").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private int sequenceOnce() {
        try {
            return sequencer.sequenceBatch();
        } catch (java.sql.SQLException e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e));
        }
    }

    @Test
    void appendRefusesWhatTheContractDoesNotAllow() throws Exception {
        try (Connection tx = db.dataSource.getConnection()) {
            assertThatThrownBy(() -> outbox.append(tx, "girlfanz", "payment_event.exploded", "x", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payment_event.exploded");
            assertThatThrownBy(() -> outbox.append(tx, "Girl.Fanz", EventTypes.CHECKOUT_PAID, "x", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
            assertThatThrownBy(() -> outbox.append(tx, "girlfanz", EventTypes.CHECKOUT_PAID, "", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
            assertThatThrownBy(() -> outbox.append(tx, "girlfanz", EventTypes.CHECKOUT_PAID, "x", "{\"a\":"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
            assertThatThrownBy(() -> outbox.append(tx, "girlfanz", EventTypes.CHECKOUT_PAID, "x", "{} {}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one");
        }
        assertThat(EventTypes.ALL).hasSize(18).contains("payout.returned", "merchant_account.threshold_exceeded",
            "reconciliation.discrepancy",
            "checkout.declined");
    }

    @Test
    void theEnvelopeIsCloudEventsWithDataEmbeddedAndSequenceAsDecimalString() throws Exception {
        UUID id = db.commit(outbox, "boyfanz", EventTypes.PAYOUT_SETTLED, "po_9",
            "{\"id\":\"po_9\",\"amount\":\"12.50\",\"lines\":[1,2]}");
        EventsSchema.sequenceAll(sequencer);
        EventPage page = feed.read(0, Set.of(), null, 10, Duration.ZERO);

        JsonNode envelope = MAPPER.readTree(EventJson.envelope(page.events().get(0)));
        assertThat(envelope.get("specversion").asText()).isEqualTo("1.0");
        assertThat(envelope.get("id").asText()).isEqualTo(id.toString());
        assertThat(envelope.get("source").asText()).isEqualTo("fanzfinance/boyfanz");
        assertThat(envelope.get("type").asText()).isEqualTo("payout.settled");
        assertThat(envelope.get("subject").asText()).isEqualTo("po_9");
        assertThat(envelope.get("time").asText()).isEqualTo("2025-03-04T05:06:07.123456Z");
        assertThat(envelope.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(envelope.get("sequence").isTextual()).isTrue();
        assertThat(envelope.get("sequence").asText()).isEqualTo("1");
        assertThat(envelope.get("data").isObject()).isTrue();
        assertThat(envelope.get("data")).isEqualTo(MAPPER.readTree("{\"id\":\"po_9\",\"amount\":\"12.50\",\"lines\":[1,2]}"));
        assertThat(envelope.size()).isEqualTo(9);

        JsonNode answer = MAPPER.readTree(EventJson.page(page));
        assertThat(answer.get("events")).hasSize(1);
        assertThat(answer.get("events").get(0)).isEqualTo(envelope);
        assertThat(answer.get("next_after").isTextual()).isTrue();
        assertThat(answer.get("next_after").asText()).isEqualTo("1");
    }
}
