package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventFeedTest {
    private EventsSchema db;
    private final SequenceSignal signal = new SequenceSignal();
    private final Outbox outbox = new Outbox();
    private OutboxSequencer sequencer;
    private EventFeed feed;

    @BeforeEach
    void setUp() {
        db = EventsSchema.create(6);
        sequencer = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(5), 100);
        feed = new EventFeed(db.dataSource, signal, 1);
    }

    @AfterEach
    void tearDown() {
        sequencer.close();
        db.close();
    }

    @Test
    void aLongPollWakesOnTheFirstNewMatchingEvent() throws Exception {
        sequencer.start();
        CompletableFuture<EventPage> waiting = CompletableFuture.supplyAsync(() -> read(0, Set.of(EventTypes.CHECKOUT_PAID),
            null, Duration.ofSeconds(20)));
        Thread.sleep(300);
        db.commit(outbox, "girlfanz", EventTypes.CHECKOUT_EXPIRED, "co_1", "{}");
        Thread.sleep(300);
        assertThat(waiting).as("an event of another type does not answer").isNotDone();
        long start = System.nanoTime();
        UUID paid = db.commit(outbox, "girlfanz", EventTypes.CHECKOUT_PAID, "co_2", "{}");
        EventPage page = waiting.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        assertThat(page.events()).extracting(OutboxEvent::id).containsExactly(paid);
        assertThat(page.nextAfter()).isEqualTo(2);
    }

    @Test
    void aLongPollWithNothingNewAnswersEmptyWhenTheWaitEnds() throws Exception {
        sequencer.start();
        db.commit(outbox, "girlfanz", EventTypes.CHECKOUT_PAID, "co_1", "{}");
        awaitSequence(1);
        long start = System.nanoTime();
        EventPage page = feed.read(1, Set.of(), null, 10, Duration.ofMillis(600));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(page.events()).isEmpty();
        assertThat(page.nextAfter()).isEqualTo(1);
        assertThat(elapsed).isBetween(550L, 5000L);
        assertThat(feed.waiting()).isZero();
    }

    @Test
    void stoppingAnswersWaitingReadersAtOnceAndLaterOnesDoNotWait() throws Exception {
        sequencer.start();
        db.commit(outbox, "girlfanz", EventTypes.CHECKOUT_PAID, "co_1", "{}");
        awaitSequence(1);
        CompletableFuture<EventPage> waiting = CompletableFuture.supplyAsync(() -> read(1, Set.of(), null,
            Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (feed.waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(feed.waiting()).isEqualTo(1);
        feed.stopWaiting();
        EventPage page = waiting.get(5, TimeUnit.SECONDS);
        assertThat(page.events()).isEmpty();
        assertThat(page.nextAfter()).isEqualTo(1);
        long start = System.nanoTime();
        assertThat(feed.read(1, Set.of(), null, 10, Duration.ofSeconds(30)).events()).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
    }

    @Test
    void filtersKeepTheAskedTypesAndTenantsAndNextAfterSkipsWhatTheyLeftOut() throws Exception {
        UUID a1 = db.commit(outbox, "alpha", EventTypes.PAYMENT_EVENT_POSTED, "pe_1", "{}");
        UUID b1 = db.commit(outbox, "beta", EventTypes.PAYMENT_EVENT_POSTED, "pe_2", "{}");
        UUID a2 = db.commit(outbox, "alpha", EventTypes.PAYOUT_HELD, "po_1", "{}");
        UUID c1 = db.commit(outbox, "gamma", EventTypes.PAYOUT_HELD, "po_2", "{}");
        db.commit(outbox, "beta", EventTypes.RECONCILIATION_COMPLETED, "rc_1", "{}");
        EventsSchema.sequenceAll(sequencer);

        EventPage all = feed.read(0, Set.of(), null, 100, Duration.ZERO);
        assertThat(all.events()).hasSize(5);
        assertThat(all.nextAfter()).isEqualTo(5);

        EventPage posted = feed.read(0, Set.of(EventTypes.PAYMENT_EVENT_POSTED), null, 100, Duration.ZERO);
        assertThat(posted.events()).extracting(OutboxEvent::id).containsExactly(a1, b1);
        assertThat(posted.nextAfter()).as("nothing matching can appear at or below 5").isEqualTo(5);

        EventPage alpha = feed.read(0, Set.of(), Set.of("alpha"), 100, Duration.ZERO);
        assertThat(alpha.events()).extracting(OutboxEvent::id).containsExactly(a1, a2);

        EventPage held = feed.read(0, Set.of(EventTypes.PAYOUT_HELD), Set.of("alpha", "gamma"), 100, Duration.ZERO);
        assertThat(held.events()).extracting(OutboxEvent::id).containsExactly(a2, c1);

        EventPage none = feed.read(0, Set.of(), Set.of(), 100, Duration.ZERO);
        assertThat(none.events()).isEmpty();
        assertThat(none.nextAfter()).isZero();

        EventPage firstTwo = feed.read(0, Set.of(), null, 2, Duration.ZERO);
        assertThat(firstTwo.events()).extracting(OutboxEvent::id).containsExactly(a1, b1);
        assertThat(firstTwo.nextAfter()).as("a full page resumes after its last event").isEqualTo(2);
        EventPage nextTwo = feed.read(firstTwo.nextAfter(), Set.of(), null, 2, Duration.ZERO);
        assertThat(nextTwo.events()).extracting(OutboxEvent::id).containsExactly(a2, c1);
    }

    @Test
    void waitersBeyondTheLimitAreRefusedAndReadsThatDoNotWaitStillWork() throws Exception {
        sequencer.start();
        CompletableFuture<EventPage> first = CompletableFuture.supplyAsync(() -> read(0, Set.of(), null, Duration.ofSeconds(20)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (feed.waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(feed.waiting()).isEqualTo(1);
        assertThatThrownBy(() -> feed.read(0, Set.of(), null, 10, Duration.ofSeconds(1)))
            .isInstanceOf(TooManyWaitersException.class).hasMessageContaining("limit 1");
        assertThat(feed.read(0, Set.of(), null, 10, Duration.ZERO).events()).isEmpty();

        UUID id = db.commit(outbox, "girlfanz", EventTypes.PAYOUT_SUBMITTED, "po_1", "{}");
        assertThat(first.get(10, TimeUnit.SECONDS).events()).extracting(OutboxEvent::id).containsExactly(id);
        assertThat(feed.waiting()).isZero();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> feed.read(0, Set.of("checkout.lost"), null, 10, Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkout.lost");
        assertThatThrownBy(() -> feed.read(0, Set.of(), null, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> feed.read(0, Set.of(), null, 1001, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> feed.read(-1, Set.of(), null, 10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> feed.read(0, Set.of(), null, 10, Duration.ofSeconds(31)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private EventPage read(long after, Set<String> types, Set<String> tenants, Duration wait) {
        try {
            return feed.read(after, types, tenants, 10, wait);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitSequence(long sequence) throws InterruptedException {
        assertThat(signal.awaitBeyond(sequence - 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
    }
}
