package com.fanzfinance.platform.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flywaydb.core.Flyway;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.ServiceDatabase.DatabaseLogin;
import com.fanzfinance.platform.compliance.ComplianceHarness.Creator;
import com.fanzfinance.platform.compliance.schema.tables.records.LedgerPushesRecord;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

import static com.fanzfinance.platform.compliance.schema.Tables.AUDIT_LOG;
import static com.fanzfinance.platform.compliance.schema.Tables.LEDGER_PUSHES;
import static com.fanzfinance.platform.compliance.schema.Tables.TAX_FORMS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payout gate pushed to a real ledger server's payees (payments on), through the outbox and its pusher: over
 * a running service, and with pushers driven step by step on a clock of the test's.
 */
class LedgerPushTest {
    @TempDir
    static Path data;
    private static PaymentsFixture ledger;
    private static String ledgerKey;
    private static ComplianceHarness h;

    @BeforeAll
    static void start() {
        ledger = PaymentsFixture.start(data);
        ledgerKey = ledger.server.createKey("girlfanz-compliance",
            "[\"payouts:read\",\"payouts:write\",\"compliance:write\"]", "[\"girlfanz\"]");
        h = new ComplianceHarness(ledger.server.base().toString(), ledgerKey);
    }

    @AfterAll
    static void stop() {
        h.close();
        ledger.close();
    }

    private static String createPayee(String creator) {
        TestServer.Response payee = ledger.server.postJson("/v1/payees", ledgerKey, """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","email":"jane@example.com","country":"US",
             "currency":"USD","rail":"ach","rail_details":{"routing_number":"011000015","account_number":"12345678",
             "account_type":"checking","holder_type":"individual"}}""".formatted(creator));
        assertThat(payee.status()).as(payee.text()).isEqualTo(201);
        return payee.json().path("id").asText();
    }

    private static JsonNode payee(String id) {
        TestServer.Response response = ledger.server.get("/v1/payees/" + id, ledgerKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Polls {@code read} until {@code done} holds, for at most 30 s; the last value read. */
    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode value = read.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            value = read.get();
        }
        assertThat(done.test(value)).as("not reached within 30 s: " + value).isTrue();
        return value;
    }

    @Test
    void aVerifiedCreatorWithTaxFormAndOwnRecordMayBePaid() throws InterruptedException {
        Creator creator = h.creator();
        String payeeId = createPayee(creator.id());
        assertThat(payee(payeeId).path("compliance").path("payout_allowed").asBoolean()).isFalse();

        h.verify(creator);
        JsonNode kycOnly = await(() -> payee(payeeId), p -> p.path("compliance").path("age").asText().equals("verified"));
        assertThat(kycOnly.path("compliance").path("kyc").asText()).isEqualTo("pending");
        assertThat(kycOnly.path("compliance").path("payout_allowed").asBoolean()).isFalse();

        h.taxForm(creator);
        h.record(creator, true);
        JsonNode paid = await(() -> payee(payeeId), p -> p.path("compliance").path("payout_allowed").asBoolean());
        assertThat(paid.path("compliance").path("kyc").asText()).isEqualTo("verified");
        assertThat(paid.path("compliance").path("records_2257").asText()).isEqualTo("on_file");

        JsonNode summary = await(() -> h.summary(creator, h.staff).json(),
            s -> s.path("ledger_sync").path("status").asText().equals("synced"));
        assertThat(summary.path("payout_allowed").asBoolean()).isTrue();
        assertThat(summary.path("ledger_sync").path("synced_version").asLong())
            .isEqualTo(summary.path("version").asLong());
        assertThat(summary.path("ledger_sync").path("last_error").isNull()).isTrue();
        assertThat(payee(payeeId).path("compliance").path("reference").asText())
            .isEqualTo("compliance:" + creator.id() + ":" + summary.path("version").asLong());
    }

    @Test
    void aPushWaitsForThePayeeAndIsDeliveredOnceItExists() throws InterruptedException {
        Creator creator = h.creator();
        h.verify(creator);
        h.taxForm(creator);
        h.record(creator, true);
        await(() -> h.summary(creator, h.staff).json(),
            s -> s.path("ledger_sync").path("status").asText().equals("waiting_for_payee"));

        ComplianceHarness.Answer forced = h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz",
            h.staff, "");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().path("status").asText()).isEqualTo("waiting_for_payee");
        assertThat(h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz", creator.token(), "")
            .status()).isEqualTo(403);

        String payeeId = createPayee(creator.id());
        await(() -> h.summary(creator, h.staff).json(), s -> s.path("ledger_sync").path("status").asText().equals("synced"));
        assertThat(payee(payeeId).path("compliance").path("payout_allowed").asBoolean()).isTrue();
        assertThat(h.get("/v1/audit?tenant=girlfanz&limit=1000", h.staff).json().path("entries")
            .findValuesAsText("action")).contains("ledger.push");
    }

    /** Waits for {@code latch} (at most 30 s) inside a pusher hook, which cannot throw checked exceptions. */
    private static void hold(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the test never let the send go").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSendHeldWhileNewerStatesAreQueuedIsFollowedByTheNewestAndAForcedPushDoesNotOvertakeIt()
            throws InterruptedException {
        Creator creator = h.creator();
        String payeeId = createPayee(creator.id());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong heldVersion = new AtomicLong();
        h.service.pusher().beforeSend(row -> {
            if (row.getCreator().equals(creator.id()) && heldVersion.compareAndSet(0, row.getVersion())) {
                held.countDown();
                hold(release);
            }
        });
        try {
            h.verify(creator);
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            h.taxForm(creator);
            h.record(creator, true);
            long newest = h.summary(creator, h.staff).json().path("version").asLong();
            assertThat(newest).isGreaterThan(heldVersion.get());

            ComplianceHarness.Answer forced = h.post("/v1/creators/" + creator.id()
                + "/compliance/push?tenant=girlfanz", h.staff, "");
            assertThat(forced.status()).isEqualTo(200);
            assertThat(forced.json().path("status").asText()).as("one sender at a time").isEqualTo("sending");
            assertThat(forced.json().path("version").asLong()).isEqualTo(newest);
            assertThat(payee(payeeId).path("compliance").path("payout_allowed").asBoolean()).isFalse();

            release.countDown();
            JsonNode summary = await(() -> h.summary(creator, h.staff).json(),
                s -> s.path("ledger_sync").path("status").asText().equals("synced")
                    && s.path("ledger_sync").path("synced_version").asLong() == newest);
            assertThat(summary.path("version").asLong()).isEqualTo(newest);
            JsonNode compliance = payee(payeeId).path("compliance");
            assertThat(compliance.path("reference").asText()).isEqualTo(LedgerPusher.reference(creator.id(), newest));
            assertThat(compliance.path("payout_allowed").asBoolean()).isTrue();
        } finally {
            release.countDown();
            h.service.pusher().beforeSend(row -> { });
        }
    }

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /**
     * A compliance schema of its own (migrated to the newest version, over whatever {@code prefix} already holds)
     * with pushers the test drives (their threads never started).
     */
    private static final class Rig implements AutoCloseable {
        final String prefix;
        final ServiceDatabase database;
        final TestClock clock = new TestClock();
        private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

        Rig() {
            this(PlatformTestDatabase.freshPrefix());
        }

        Rig(String prefix) {
            this.prefix = prefix;
            this.database = ServiceDatabase.open(login(prefix), "compliance", 4);
        }

        static DatabaseLogin login(String prefix) {
            return new PlatformSettings(PlatformTestDatabase.settings(prefix)).database();
        }

        /** A pusher retrying every 30 s, giving up after 720 h of failures, waiting for a payee at most 1 h. */
        LedgerPusher pusher(String ledgerUrl, String key) {
            return pusher(ledgerUrl, key, Duration.ofHours(1));
        }

        LedgerPusher pusher(String ledgerUrl, String key, Duration longestWait) {
            LedgerClient client = LedgerClient.builder(URI.create(ledgerUrl), key).connectTimeout(Duration.ofSeconds(2))
                .maxAttempts(1).build();
            LedgerPusher pusher = new LedgerPusher(database, client.payments(), Duration.ofSeconds(30),
                Duration.ofHours(720), longestWait, clock);
            closing.add(0, client);
            closing.add(0, pusher);
            return pusher;
        }

        /** Recomputes the creator's summary as the service does after a change (queuing its push). */
        void refresh(String creator) {
            database.dsl().transaction(configuration -> Summaries.refresh(DSL.using(configuration), "girlfanz",
                creator, clock.instant(), "test"));
        }

        /** Puts the creator's tax form on file and refreshes the summary (its next version). */
        void fileTaxForm(String creator) {
            database.dsl().insertInto(TAX_FORMS).set(TAX_FORMS.TENANT, "girlfanz").set(TAX_FORMS.CREATOR, creator)
                .set(TAX_FORMS.FORM, "W-9").set(TAX_FORMS.REFERENCE, "vault://tax/1")
                .set(TAX_FORMS.RECEIVED_ON, java.time.LocalDate.of(2029, 12, 1)).set(TAX_FORMS.RECORDED_BY, "test")
                .set(TAX_FORMS.RECORDED_AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
            refresh(creator);
        }

        /** Takes the creator's tax form off file and refreshes the summary (its next version). */
        void withdrawTaxForm(String creator) {
            database.dsl().deleteFrom(TAX_FORMS).where(TAX_FORMS.CREATOR.eq(creator)).execute();
            refresh(creator);
        }

        /** The ledger.push entries of the creator's in the audit log. */
        int pushEntries(String creator) {
            return database.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("ledger.push")
                .and(AUDIT_LOG.SUBJECT.eq("creator:" + creator)));
        }

        LedgerPushesRecord push(String creator) {
            return database.dsl().selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.CREATOR.eq(creator)).fetchOne();
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable each : closing) {
                each.close();
            }
            database.close();
            PlatformTestDatabase.drop(prefix);
        }
    }

    @Test
    void anOlderStateWhoseSendFinishesLastIsSentAgainSoTheLedgerEndsOnTheNewest() throws Exception {
        try (Rig rig = new Rig()) {
            String creator = UUID.randomUUID().toString();
            String payeeId = createPayee(creator);
            LedgerPusher first = rig.pusher(ledger.server.base().toString(), ledgerKey);
            LedgerPusher second = rig.pusher(ledger.server.base().toString(), ledgerKey);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            first.beforeSend(row -> {
                held.countDown();
                hold(release);
            });
            rig.refresh(creator);
            assertThat(rig.push(creator).getVersion()).isEqualTo(1L);
            CompletableFuture<Void> stale = CompletableFuture.runAsync(first::pushDue);
            try {
                assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(rig.push(creator).getStatus()).isEqualTo(LedgerPusher.SENDING);

                rig.fileTaxForm(creator);
                assertThat(rig.push(creator).getVersion()).isEqualTo(2L);
                assertThat(rig.push(creator).getStatus()).as("a change keeps the claim").isEqualTo(LedgerPusher.SENDING);
                second.pushDue();
                assertThat(rig.push(creator).getSyncedVersion()).as("not claimable during the lease").isNull();

                rig.clock.advance(LedgerPusher.LEASE.plusSeconds(1));
                second.pushDue();
                assertThat(rig.push(creator).getSyncedVersion()).isEqualTo(2L);
                assertThat(payee(payeeId).path("compliance").path("reference").asText())
                    .isEqualTo(LedgerPusher.reference(creator, 2));
            } finally {
                release.countDown();
            }
            stale.get(30, TimeUnit.SECONDS);
            assertThat(payee(payeeId).path("compliance").path("reference").asText())
                .as("the lapsed send of version 1 reached the ledger last").isEqualTo(LedgerPusher.reference(creator, 1));
            LedgerPushesRecord requeued = rig.push(creator);
            assertThat(requeued.getStatus()).isEqualTo(LedgerPusher.PENDING);
            assertThat(requeued.getNextAttemptAt().toInstant()).isEqualTo(rig.clock.instant());

            second.pushDue();
            LedgerPushesRecord done = rig.push(creator);
            assertThat(done.getStatus()).isEqualTo(LedgerPusher.SYNCED);
            assertThat(done.getSyncedVersion()).isEqualTo(2L);
            assertThat(payee(payeeId).path("compliance").path("reference").asText())
                .isEqualTo(LedgerPusher.reference(creator, 2));
        }
    }

    @Test
    void aPushWaitingForItsPayeeIsNeverGivenUpWhileFailuresAre() throws Exception {
        try (Rig waitingRig = new Rig(); Rig failingRig = new Rig()) {
            String creator = UUID.randomUUID().toString();
            LedgerPusher waiting = waitingRig.pusher(ledger.server.base().toString(), ledgerKey);
            LedgerPusher failing = failingRig.pusher(ComplianceHarness.NO_LEDGER, "fzk_no_ledger_in_this_test");
            waitingRig.refresh(creator);
            failingRig.refresh(creator);
            waiting.pushDue();
            failing.pushDue();
            assertThat(waitingRig.push(creator).getStatus()).isEqualTo(LedgerPusher.WAITING_FOR_PAYEE);
            assertThat(failingRig.push(creator).getStatus()).isEqualTo(LedgerPusher.FAILING);

            for (int days : new int[] {29, 2, 60}) {
                waitingRig.clock.advance(Duration.ofDays(days));
                failingRig.clock.advance(Duration.ofDays(days));
                waiting.pushDue();
                failing.pushDue();
                LedgerPushesRecord stillWaiting = waitingRig.push(creator);
                assertThat(stillWaiting.getStatus()).isEqualTo(LedgerPusher.WAITING_FOR_PAYEE);
                assertThat(stillWaiting.getNextAttemptAt().toInstant())
                    .isBetween(waitingRig.clock.instant().plusSeconds(30), waitingRig.clock.instant().plusSeconds(3600));
                assertThat(stillWaiting.getLastError()).doesNotContain("gave up");
            }
            LedgerPushesRecord givenUp = failingRig.push(creator);
            assertThat(givenUp.getStatus()).isEqualTo(LedgerPusher.FAILING);
            assertThat(givenUp.getNextAttemptAt()).isNull();
            assertThat(givenUp.getLastError()).startsWith("gave up after 720 h");
        }
    }

    /** How long the creator's row waits before its next attempt. */
    private static Duration nextWait(Rig rig, String creator) {
        return Duration.between(rig.clock.instant(), rig.push(creator).getNextAttemptAt().toInstant());
    }

    @Test
    void waitsForAPayeeDoubleUpToTheLongestWithoutTheAuditLockAndStartOverOnAForcedPushOrAChange()
            throws Exception {
        try (Rig rig = new Rig()) {
            String creator = UUID.randomUUID().toString();
            LedgerPusher pusher = rig.pusher(ledger.server.base().toString(), ledgerKey, Duration.ofSeconds(300));
            rig.refresh(creator);
            pusher.pushDue();
            assertThat(rig.push(creator).getStatus()).isEqualTo(LedgerPusher.WAITING_FOR_PAYEE);
            List<Long> waits = new ArrayList<>();
            waits.add(nextWait(rig, creator).toSeconds());
            try (Connection auditor = rig.database.dataSource().getConnection()) {
                auditor.setAutoCommit(false);
                try (Statement statement = auditor.createStatement()) {
                    statement.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE");
                }
                for (int i = 0; i < 5; i++) {
                    rig.clock.advance(nextWait(rig, creator));
                    CompletableFuture.runAsync(pusher::pushDue).get(10, TimeUnit.SECONDS);
                    assertThat(rig.push(creator).getStatus()).isEqualTo(LedgerPusher.WAITING_FOR_PAYEE);
                    waits.add(nextWait(rig, creator).toSeconds());
                }
                auditor.rollback();
            }
            assertThat(waits).as("while another transaction holds the audit lock").containsExactly(30L, 60L, 120L,
                240L, 300L, 300L);
            assertThat(rig.push(creator).getWaits()).isEqualTo(6);
            assertThat(rig.pushEntries(creator)).as("only the change to waiting is audited").isEqualTo(1);

            pusher.pushNow("girlfanz", creator);
            assertThat(nextWait(rig, creator)).isEqualTo(Duration.ofSeconds(30));
            rig.clock.advance(Duration.ofSeconds(30));
            pusher.pushDue();
            assertThat(nextWait(rig, creator)).isEqualTo(Duration.ofSeconds(60));

            rig.fileTaxForm(creator);
            pusher.pushDue();
            LedgerPushesRecord changed = rig.push(creator);
            assertThat(changed.getVersion()).isEqualTo(2L);
            assertThat(changed.getStatus()).isEqualTo(LedgerPusher.WAITING_FOR_PAYEE);
            assertThat(changed.getWaits()).isEqualTo(1);
            assertThat(nextWait(rig, creator)).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aWaitingPushGivenUpBeforeVersion3IsDueAgainAfterTheMigrationAndDelivered() throws Exception {
        String prefix = PlatformTestDatabase.freshPrefix();
        String creator = UUID.randomUUID().toString();
        DatabaseLogin login = Rig.login(prefix);
        Flyway version2 = Flyway.configure().dataSource(login.url(), login.user(), login.password())
            .schemas(prefix + "compliance").createSchemas(true).locations("classpath:db/compliance").target("2").load();
        version2.migrate();
        try (Connection connection = version2.getConfiguration().getDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                INSERT INTO %1$scompliance.ledger_pushes (tenant, creator, version, kyc, age, records_2257, reference,
                    status, attempts, queued_at, next_attempt_at, last_error)
                VALUES ('girlfanz', '%2$s', 1, 'unverified', 'unverified', 'missing', 'compliance:%2$s:1',
                    'waiting_for_payee', 40000, now() - interval '31 days', NULL, 'gave up after 720 h'),
                  ('girlfanz', 'failing-%2$s', 1, 'unverified', 'unverified', 'missing', 'compliance:failing-%2$s:1',
                    'failing', 40000, now() - interval '31 days', NULL, 'gave up after 720 h')""".formatted(prefix,
                creator));
        }
        try (Rig rig = new Rig(prefix)) {
            LedgerPushesRecord waiting = rig.push(creator);
            assertThat(waiting.getNextAttemptAt()).as("due again").isNotNull();
            assertThat(rig.push("failing-" + creator).getNextAttemptAt()).as("failures stay given up").isNull();

            String payeeId = createPayee(creator);
            rig.pusher(ledger.server.base().toString(), ledgerKey).pushDue();
            assertThat(rig.push(creator).getStatus()).isEqualTo(LedgerPusher.SYNCED);
            assertThat(payee(payeeId).path("compliance").path("reference").asText())
                .isEqualTo(LedgerPusher.reference(creator, 1));
        } finally {
            PlatformTestDatabase.drop(prefix);
        }
    }

    @Test
    void aLapsedSenderFinishingWhileAnotherHoldsALiveClaimLeavesItAndTheLedgerEndsOnTheNewest() throws Exception {
        try (Rig rig = new Rig()) {
            String creator = UUID.randomUUID().toString();
            String payeeId = createPayee(creator);
            String url = ledger.server.base().toString();
            LedgerPusher lapsed = rig.pusher(url, ledgerKey);
            LedgerPusher live = rig.pusher(url, ledgerKey);
            LedgerPusher third = rig.pusher(url, ledgerKey);
            CountDownLatch lapsedHeld = new CountDownLatch(1);
            CountDownLatch lapsedGo = new CountDownLatch(1);
            lapsed.beforeSend(row -> {
                lapsedHeld.countDown();
                hold(lapsedGo);
            });
            CountDownLatch liveSent = new CountDownLatch(1);
            CountDownLatch liveGo = new CountDownLatch(1);
            live.afterSend(row -> {
                liveSent.countDown();
                hold(liveGo);
            });
            rig.refresh(creator);
            CompletableFuture<Void> lapsedRound = CompletableFuture.runAsync(lapsed::pushDue);
            CompletableFuture<Void> liveRound = null;
            try {
                assertThat(lapsedHeld.await(30, TimeUnit.SECONDS)).isTrue();
                rig.fileTaxForm(creator);
                rig.clock.advance(LedgerPusher.LEASE.plusSeconds(1));
                third.pushDue();
                assertThat(rig.push(creator).getSyncedVersion()).isEqualTo(2L);

                rig.withdrawTaxForm(creator);
                assertThat(rig.push(creator).getVersion()).isEqualTo(3L);
                liveRound = CompletableFuture.runAsync(live::pushDue);
                assertThat(liveSent.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(payee(payeeId).path("compliance").path("reference").asText())
                    .isEqualTo(LedgerPusher.reference(creator, 3));
                LedgerPushesRecord claimed = rig.push(creator);
                assertThat(claimed.getStatus()).isEqualTo(LedgerPusher.SENDING);

                lapsedGo.countDown();
                lapsedRound.get(30, TimeUnit.SECONDS);
                assertThat(payee(payeeId).path("compliance").path("reference").asText())
                    .as("the lapsed send of version 1 reached the ledger last").isEqualTo(LedgerPusher.reference(creator, 1));
                LedgerPushesRecord marked = rig.push(creator);
                assertThat(marked.getStatus()).isEqualTo(LedgerPusher.SENDING);
                assertThat(marked.getClaim()).as("the live claim stays").isEqualTo(claimed.getClaim());
                assertThat(marked.getNextAttemptAt()).isEqualTo(claimed.getNextAttemptAt());
                assertThat(marked.getResend()).isTrue();
                assertThat(marked.getSyncedVersion()).as("synced_version never goes down").isEqualTo(2L);
                third.pushDue();
                assertThat(rig.push(creator).getClaim()).as("no third sender beside the live one")
                    .isEqualTo(claimed.getClaim());

                liveGo.countDown();
                liveRound.get(30, TimeUnit.SECONDS);
            } finally {
                lapsedGo.countDown();
                liveGo.countDown();
            }
            LedgerPushesRecord again = rig.push(creator);
            assertThat(again.getStatus()).as("the live sender honours the mark").isEqualTo(LedgerPusher.PENDING);
            assertThat(again.getResend()).isFalse();
            assertThat(again.getSyncedVersion()).isEqualTo(3L);
            third.pushDue();
            LedgerPushesRecord done = rig.push(creator);
            assertThat(done.getStatus()).isEqualTo(LedgerPusher.SYNCED);
            assertThat(done.getSyncedVersion()).isEqualTo(3L);
            assertThat(payee(payeeId).path("compliance").path("reference").asText())
                .isEqualTo(LedgerPusher.reference(creator, 3));
        }
    }

    @Test
    void closeReturnsPromptlyWhileAPushIsBlockedOnALedgerThatNeverAnswers() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                        connected.countDown();
                    }
                } catch (IOException e) {
                    // the server socket was closed: the test is over
                }
            }, "silent-ledger");
            acceptor.setDaemon(true);
            acceptor.start();
            ComplianceHarness slow = new ComplianceHarness("http://127.0.0.1:" + silent.getLocalPort(), "fzk_silent");
            boolean closed = false;
            try {
                Creator creator = slow.creator();
                assertThat(slow.post("/v1/verifications", creator.token(),
                    ComplianceHarness.verificationBody("1990-05-17")).status()).isEqualTo(201);
                assertThat(connected.await(30, TimeUnit.SECONDS)).as("the pusher called the ledger").isTrue();
                long start = System.nanoTime();
                slow.close();
                closed = true;
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                if (!closed) {
                    slow.close();
                }
                for (Socket socket : accepted) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }
}
