package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ordering promise under concurrency: writers commit in random order (random delays between append and
 * commit, some roll back) while two sequencers (two servers on one schema) number events and readers watch.
 * A reader that has seen sequence N must never later find a new sequence below N, and a consumer following
 * next_after must end up with exactly the committed events.
 */
class OutboxOrderingTest {
    private static final int WRITERS = 8;
    private static final int TRANSACTIONS_EACH = 120;

    private EventsSchema db;

    @BeforeEach
    void setUp() {
        db = EventsSchema.create(WRITERS + 8);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void noReaderEverSeesAGapFilledLaterAndNothingIsLost() throws Exception {
        Outbox outbox = new Outbox();
        SequenceSignal signal = new SequenceSignal();
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger violations = new AtomicInteger();
        List<String> violationDetails = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newCachedThreadPool();
        try (OutboxSequencer one = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(1), 7);
             OutboxSequencer two = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(1), 5)) {
            one.start();
            two.start();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int t = 0; t < TRANSACTIONS_EACH; t++) {
                        try (Connection tx = db.dataSource.getConnection()) {
                            tx.setAutoCommit(false);
                            List<UUID> ids = new ArrayList<>();
                            int events = 1 + random.nextInt(3);
                            for (int e = 0; e < events; e++) {
                                ids.add(outbox.append(tx, "t" + random.nextInt(3), EventTypes.PAYMENT_EVENT_POSTED,
                                    "pe_" + t, "{\"n\":" + t + "}"));
                            }
                            Thread.sleep(random.nextInt(15));
                            if (random.nextInt(10) == 0) {
                                tx.rollback();
                            } else {
                                tx.commit();
                                committed.addAll(ids);
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<?> watcher = pool.submit(() -> {
                Set<Long> seen = new HashSet<>();
                long max = 0;
                while (writing.get()) {
                    try (Connection connection = db.dataSource.getConnection();
                         PreparedStatement select = connection.prepareStatement("SELECT seq FROM outbox_events ORDER BY seq");
                         ResultSet rows = select.executeQuery()) {
                        long previousMax = max;
                        while (rows.next()) {
                            long seq = rows.getLong(1);
                            if (seen.add(seq) && seq < previousMax) {
                                violations.incrementAndGet();
                                violationDetails.add(seq + " appeared after " + previousMax);
                            }
                            max = Math.max(max, seq);
                        }
                    }
                }
                return null;
            });
            EventFeed feed = new EventFeed(db.dataSource, signal, 4);
            Future<List<OutboxEvent>> consumer = pool.submit(() -> {
                List<OutboxEvent> received = new ArrayList<>();
                long after = 0;
                while (writing.get() || after < signal.current()) {
                    EventPage page = feed.read(after, Set.of(), null, 50, Duration.ofMillis(200));
                    received.addAll(page.events());
                    after = page.nextAfter();
                }
                return received;
            });
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            awaitAllSequenced();
            writing.set(false);
            watcher.get(1, TimeUnit.MINUTES);
            List<OutboxEvent> received = consumer.get(1, TimeUnit.MINUTES);

            assertThat(violationDetails).isEmpty();
            assertThat(violations).hasValue(0);
            assertThat(committed).hasSizeGreaterThan(WRITERS * TRANSACTIONS_EACH / 2);
            assertThat(received).extracting(OutboxEvent::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(committed);
            List<Long> sequences = received.stream().map(OutboxEvent::sequence).toList();
            assertThat(sequences).isSorted();
            assertThat(sequences.get(0)).isEqualTo(1);
            assertThat(sequences.get(sequences.size() - 1)).as("contiguous numbering").isEqualTo(committed.size());
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitAllSequenced() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection connection = db.dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM outbox_pending");
                 ResultSet row = select.executeQuery()) {
                row.next();
                if (row.getLong(1) == 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("pending events were not sequenced within 30 s");
    }
}
