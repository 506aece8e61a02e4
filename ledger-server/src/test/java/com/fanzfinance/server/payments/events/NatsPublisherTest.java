package com.fanzfinance.server.payments.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;

import com.fanzfinance.server.LogCapture;

/** Against the real NATS JetStream at 127.0.0.1:4222, each test on a stream and subject prefix of its own. */
class NatsPublisherTest {
    static final String NATS = "nats://127.0.0.1:4222";
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final String[] TENANTS = {"girlfanz", "boyfanz"};
    private static final String[] TYPES = {EventTypes.PAYMENT_EVENT_POSTED, EventTypes.PAYOUT_SETTLED, EventTypes.CHECKOUT_PAID};

    private EventsSchema db;
    private final SequenceSignal signal = new SequenceSignal();
    private final Outbox outbox = new Outbox();
    private OutboxSequencer sequencer;
    private EventFeed feed;
    private io.nats.client.Connection nats;
    private JetStreamManagement jsm;
    private NatsSettings settings;

    @BeforeAll
    static void natsIsRunning() {
        requireNats();
    }

    static void requireNats() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 4222), 1000);
        } catch (IOException e) {
            fail("these tests need a NATS server with JetStream at " + NATS + " (nats-server -js); none answers: " + e);
        }
    }

    /** A stream and subject prefix no other test or run uses. */
    static NatsSettings uniqueSettings(String url) {
        String tag = ProcessHandle.current().pid() + "_" + STREAMS.incrementAndGet() + "_" + System.nanoTime() % 100_000;
        return NatsSettings.defaults(url).withStream("FANZ_TEST_" + tag, "fanztest_" + tag).withMaxBackoff(Duration.ofMillis(200));
    }

    @BeforeEach
    void setUp() throws Exception {
        db = EventsSchema.create(6);
        sequencer = new OutboxSequencer(db.dataSource, signal, Duration.ofMillis(5), 100);
        sequencer.start();
        feed = new EventFeed(db.dataSource, signal, 4);
        nats = Nats.connect(NATS);
        jsm = nats.jetStreamManagement();
        settings = uniqueSettings(NATS);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            jsm.deleteStream(settings.streamName());
        } catch (JetStreamApiException e) {
            // a test that never connected created no stream
        }
        nats.close();
        sequencer.close();
        db.close();
    }

    @Test
    void everyEventReachesTheStreamOnceInOrderWithSubjectHeaderAndEnvelope() throws Exception {
        appendEvents(300);
        awaitSequenced(300);
        try (NatsPublisher publisher = new NatsPublisher(db.dataSource, signal, settings)) {
            publisher.start();
            await("all 300 published", () -> publisher.lastPublishedSequence() == 300);
            assertThat(publisher.lag()).isZero();
            assertThat(publisher.connected()).isTrue();
        }
        assertStreamHoldsExactlyTheOutbox(300);
    }

    @Test
    void aRestartResumesWithoutGapsAndRepeatsAreDroppedByTheDuplicateWindow() throws Exception {
        appendEvents(100);
        awaitSequenced(100);
        try (NatsPublisher publisher = new NatsPublisher(db.dataSource, signal, settings)) {
            publisher.start();
            await("first 100 published", () -> publisher.lastPublishedSequence() == 100);
        }
        appendEvents(50);
        awaitSequenced(150);
        try (NatsPublisher publisher = new NatsPublisher(db.dataSource, signal, settings)) {
            publisher.start();
            await("resumed to 150", () -> publisher.lastPublishedSequence() == 150);
        }
        assertStreamHoldsExactlyTheOutbox(150);

        // A crash after JetStream acknowledged but before the position was saved: everything is sent again.
        try (Connection connection = db.dataSource.getConnection();
             PreparedStatement reset = connection.prepareStatement("UPDATE outbox_publications SET last_seq = 0")) {
            reset.executeUpdate();
        }
        try (NatsPublisher publisher = new NatsPublisher(db.dataSource, signal, settings)) {
            publisher.start();
            await("republished to 150", () -> publisher.lastPublishedSequence() == 150);
        }
        assertStreamHoldsExactlyTheOutbox(150);
    }

    @Test
    void anOutageDelaysPublicationWithoutBlockingAppendsAndWarnsOncePerOutage() throws Exception {
        int port = TcpProxy.freePort();
        NatsSettings viaProxy = settings.withUrl("nats://127.0.0.1:" + port);
        try (LogCapture log = LogCapture.start(); TcpProxy proxy = new TcpProxy(port, 4222);
             NatsPublisher publisher = new NatsPublisher(db.dataSource, signal, viaProxy)) {
            publisher.start();
            long start = System.nanoTime();
            appendEvents(40);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("appends while NATS is down").isLessThan(5000);
            awaitSequenced(40);
            await("the outage is reported", () -> warnings(log) == 1);
            Thread.sleep(1500);
            assertThat(publisher.connected()).isFalse();
            assertThat(publisher.lastPublishedSequence()).isLessThanOrEqualTo(0);
            assertThat(warnings(log)).as("one warning for the whole outage, not one per retry").isEqualTo(1);

            proxy.up();
            await("published once NATS is reachable", () -> publisher.lastPublishedSequence() == 40);
            assertThat(publisher.connected()).isTrue();

            proxy.down();
            appendEvents(40);
            awaitSequenced(80);
            try {
                await("the second outage is reported", () -> warnings(log) == 2);
            } catch (AssertionError e) {
                // Seen once (2026-12-07), not understood yet: say what the publisher and its log saw.
                throw new AssertionError(e.getMessage() + "; connected " + publisher.connected() + ", last published "
                    + publisher.lastPublishedSequence() + ", log:\n" + log.text(), e);
            }
            Thread.sleep(1500);
            assertThat(publisher.lastPublishedSequence()).isEqualTo(40);
            assertThat(publisher.lag()).isEqualTo(40);
            assertThat(warnings(log)).isEqualTo(2);

            proxy.up();
            await("published after the connection came back", () -> publisher.lastPublishedSequence() == 80);
            assertThat(warnings(log)).isEqualTo(2);
        }
        assertStreamHoldsExactlyTheOutbox(80);
    }

    private static long warnings(LogCapture log) {
        return log.text().lines().filter(line -> line.startsWith("WARN " + NatsPublisher.class.getName())).count();
    }

    private void appendEvents(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            db.commit(outbox, TENANTS[i % TENANTS.length], TYPES[i % TYPES.length], "obj_" + i,
                "{\"n\":" + i + ",\"amount\":\"1.00\"}");
        }
    }

    private void awaitSequenced(long sequence) throws InterruptedException {
        assertThat(signal.awaitBeyond(sequence - 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(20))).isTrue();
    }

    private void assertStreamHoldsExactlyTheOutbox(int count) throws Exception {
        List<OutboxEvent> events = new ArrayList<>();
        long after = 0;
        while (events.size() < count) {
            EventPage page = feed.read(after, Set.of(), null, 1000, Duration.ZERO);
            assertThat(page.events()).isNotEmpty();
            events.addAll(page.events());
            after = page.nextAfter();
        }
        assertThat(jsm.getStreamInfo(settings.streamName()).getStreamState().getMsgCount()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            OutboxEvent event = events.get(i);
            MessageInfo message = jsm.getMessage(settings.streamName(), i + 1);
            assertThat(message.getSubject())
                .isEqualTo(settings.subjectPrefix() + "." + event.tenant() + "." + event.type());
            assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(event.id().toString());
            assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo(EventJson.envelope(event));
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
