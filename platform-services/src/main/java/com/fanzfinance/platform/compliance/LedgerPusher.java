package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.LEDGER_PUSHES;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.client.LedgerProblemException;
import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.compliance.schema.tables.records.LedgerPushesRecord;

/**
 * Tells the ledger's payouts API each creator's compliance, from the {@code ledger_pushes} outbox that every
 * summary change writes in its own transaction. One row per creator holds the latest state to push. A thread
 * sends the rows that are due: it finds the payee ({@code GET /v1/payees?tenant=&creator=}) and sets its
 * compliance ({@code PUT /v1/payees/{id}/compliance}, idempotent). When the payee does not exist yet (the
 * platform creates it later) the row waits ({@code waiting_for_payee}) and is tried again for as long as it
 * takes, each wait twice the one before (the retry interval, twice that, … up to the longest wait), so creators
 * who never get a payee cost the ledger little; when the ledger fails or refuses, it backs off (1 s, 2 s, 4 s …
 * up to the retry interval) and stops once the failures have gone on longer than the give-up time. The waits
 * start again from the retry interval when a new state is queued, the row was not waiting before, or a push is
 * forced ({@code waits} counts them); {@code POST …/compliance/push} tries at once and starts the give-up time
 * again. Each outcome that changes the row's status (and every success) is written to the audit log; a
 * completion that writes none does not take the audit log's lock.
 *
 * <p>The ledger keeps the last state it was sent, so an older state must never arrive after a newer one. A
 * sender therefore claims the row right before sending ({@code SELECT … FOR UPDATE SKIP LOCKED}, status
 * {@code sending} under a claim id, {@code next_attempt_at} the end of a {@link #LEASE}), sends the state the
 * row holds at that moment, and on completion looks again: when a newer version was queued meanwhile (a change
 * keeps the claim, see {@link Summaries#refresh}) or the claim is no longer its own, the row goes back to
 * {@code pending}, due at once, and the newest state is sent after this one. A sender whose lease lapsed and
 * that finishes while another sender holds a live claim leaves that claim alone and marks the row {@code
 * resend} instead: the live sender's completion then puts the row back to {@code pending}. {@code
 * synced_version} only ever rises. Background rounds and forced pushes, of this instance or another, all go
 * through the same claim, so one creator has one sender at a time; a claim left by a stopped instance is taken
 * again once its lease ends.
 */
final class LedgerPusher implements AutoCloseable {
    static final String PENDING = "pending";
    static final String SENDING = "sending";
    static final String SYNCED = "synced";
    static final String WAITING_FOR_PAYEE = "waiting_for_payee";
    static final String FAILING = "failing";
    static final String ACTOR = "service:compliance";
    /** How long a claim holds a row: longer than a send can take (two ledger calls of at most 30 s each). */
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(LedgerPusher.class);
    private static final int BATCH = 100;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ServiceDatabase database;
    private final PaymentsApi payments;
    private final Duration retryInterval;
    private final Duration giveUpAfter;
    private final Duration longestWait;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile Consumer<LedgerPushesRecord> beforeSend = row -> { };
    private volatile Consumer<LedgerPushesRecord> afterSend = row -> { };
    private boolean woken;
    private volatile boolean closed;

    /**
     * A pusher (its thread not started yet). {@code longestWait} caps the waits for a payee (never below
     * {@code retryInterval}).
     */
    LedgerPusher(ServiceDatabase database, PaymentsApi payments, Duration retryInterval, Duration giveUpAfter,
            Duration longestWait, Clock clock) {
        this.database = database;
        this.payments = payments;
        this.retryInterval = retryInterval;
        this.giveUpAfter = giveUpAfter;
        this.longestWait = longestWait.compareTo(retryInterval) < 0 ? retryInterval : longestWait;
        this.clock = clock;
        this.thread = new Thread(this::run, "compliance-ledger-pusher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Runs {@code hook} with each claimed state just before it is sent, on the sending thread: lets a test hold
     * a send between its claim and the ledger call.
     */
    void beforeSend(Consumer<LedgerPushesRecord> hook) {
        beforeSend = hook;
    }

    /**
     * Runs {@code hook} with each sent state once the ledger has answered, before the outcome is recorded, on the
     * sending thread: lets a test hold a completion.
     */
    void afterSend(Consumer<LedgerPushesRecord> hook) {
        afterSend = hook;
    }

    /** The reference the ledger keeps with a pushed state: {@code compliance:<creator>:<summary version>}. */
    static String reference(String creator, long version) {
        return "compliance:" + creator + ":" + version;
    }

    /** Asks the thread to look for due pushes now (after a change was committed). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tries the creator's push now, whatever its schedule (and restarts its give-up time), unless another sender
     * holds it; the row afterwards (status {@code sending} while that other send goes on), or empty when nothing
     * was ever queued for the creator.
     */
    Optional<LedgerPushesRecord> pushNow(String tenant, String creator) {
        claim(tenant, creator, true).ifPresent(claim -> attempt(claim, true));
        return Optional.ofNullable(database.dsl().selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(tenant))
            .and(LEDGER_PUSHES.CREATOR.eq(creator)).fetchOne());
    }

    /** The push state shown in a summary's {@code ledger_sync}. */
    static ObjectNode render(LedgerPushesRecord row) {
        ObjectNode json = Json.object().put("status", row.getStatus()).put("version", row.getVersion())
            .put("last_error", row.getLastError()).put("attempts", row.getAttempts());
        json.put("synced_at", row.getSyncedAt() == null ? null : row.getSyncedAt().toInstant().toString());
        if (row.getSyncedVersion() == null) {
            json.putNull("synced_version");
        } else {
            json.put("synced_version", row.getSyncedVersion());
        }
        json.put("next_attempt_at", row.getNextAttemptAt() == null ? null : row.getNextAttemptAt().toInstant().toString());
        return json;
    }

    private void run() {
        while (!closed) {
            try {
                pushDue();
            } catch (RuntimeException e) {
                LOG.warn("compliance: the ledger pusher failed a round; trying again shortly", e);
            }
            awaitWork();
        }
    }

    /** One round: claims and sends each row that is due (a row another sender holds is not due). */
    void pushDue() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<Record2<String, String>> due = database.dsl().select(LEDGER_PUSHES.TENANT, LEDGER_PUSHES.CREATOR)
            .from(LEDGER_PUSHES).where(LEDGER_PUSHES.NEXT_ATTEMPT_AT.le(now)).orderBy(LEDGER_PUSHES.NEXT_ATTEMPT_AT)
            .limit(BATCH).fetch();
        for (Record2<String, String> row : due) {
            if (closed) {
                return;
            }
            claim(row.value1(), row.value2(), false).ifPresent(claim -> attempt(claim, false));
        }
    }

    private void awaitWork() {
        lock.lock();
        try {
            if (!woken && !closed) {
                wake.await(Math.min(retryInterval.toMillis(), 1000), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** A row claimed for one send: the state it held when claimed, its status before, and the claim's id. */
    private record Claim(UUID id, LedgerPushesRecord sent, String statusBefore) {
    }

    /**
     * Claims the creator's row in a short transaction of its own: due (or, when {@code forced}, any row no one
     * is sending), not locked by another claimer; marks it {@code sending} until the lease ends.
     */
    private Optional<Claim> claim(String tenant, String creator, boolean forced) {
        return database.dsl().transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
            org.jooq.Condition free = LEDGER_PUSHES.NEXT_ATTEMPT_AT.le(now);
            if (forced) {
                free = free.or(LEDGER_PUSHES.STATUS.ne(SENDING));
            }
            LedgerPushesRecord row = tx.selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(tenant))
                .and(LEDGER_PUSHES.CREATOR.eq(creator)).and(free).forUpdate().skipLocked().fetchOne();
            if (row == null) {
                return Optional.empty();
            }
            LedgerPushesRecord sent = row.into(LEDGER_PUSHES);
            Claim claim = new Claim(UUID.randomUUID(), sent, row.getStatus());
            row.setStatus(SENDING);
            row.setClaim(claim.id());
            row.setResend(false);
            row.setNextAttemptAt(now.plus(LEASE));
            row.store();
            return Optional.of(claim);
        });
    }

    /**
     * Sends the claimed state and records the outcome. An interrupted send (the service is closing) only gives
     * the row back, due at once, for the next start or another instance.
     */
    private void attempt(Claim claim, boolean forced) {
        beforeSend.accept(claim.sent());
        Outcome outcome = send(claim.sent());
        if (Thread.interrupted()) {
            release(claim);
            return;
        }
        afterSend.accept(claim.sent());
        record(claim, outcome, forced);
    }

    private record Outcome(String status, String error) {
    }

    private Outcome send(LedgerPushesRecord row) {
        try {
            Optional<JsonNode> payee = payments.payeeOf(row.getTenant(), row.getCreator());
            if (payee.isEmpty()) {
                return new Outcome(WAITING_FOR_PAYEE, "the ledger has no payee for this creator yet");
            }
            UUID payeeId = UUID.fromString(payee.get().path("id").asText());
            payments.setPayeeCompliance(payeeId, row.getKyc(), row.getAge(), row.getRecords_2257(), row.getReference());
            return new Outcome(SYNCED, null);
        } catch (LedgerProblemException e) {
            return new Outcome(FAILING, clip("the ledger answered " + e.status()
                + (e.typeSuffix() == null ? "" : " " + e.typeSuffix()) + (e.detail() == null ? "" : ": " + e.detail())));
        } catch (UncheckedIOException e) {
            return new Outcome(FAILING, clip("the ledger cannot be reached: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("compliance: unexpected failure pushing {}'s compliance to the ledger", row.getCreator(), e);
            return new Outcome(FAILING, clip("unexpected failure: " + e));
        }
    }

    /** The creator's row, locked for the rest of {@code tx}. */
    private static LedgerPushesRecord lockRow(DSLContext tx, LedgerPushesRecord sent) {
        return tx.selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(sent.getTenant()))
            .and(LEDGER_PUSHES.CREATOR.eq(sent.getCreator())).forUpdate().fetchOne();
    }

    /** Gives a claim back unsent: the row is due again at once, its status as before the claim (or pending). */
    private void release(Claim claim) {
        database.dsl().transaction(configuration -> {
            LedgerPushesRecord row = lockRow(DSL.using(configuration), claim.sent());
            if (row != null && claim.id().equals(row.getClaim())) {
                row.setStatus(SENDING.equals(claim.statusBefore()) ? PENDING : claim.statusBefore());
                row.setClaim(null);
                row.setNextAttemptAt(clock.instant().atOffset(ZoneOffset.UTC));
                row.store();
            }
        });
    }

    /**
     * Records the outcome of a send. The audit log's lock comes first (before the row's, as for every change),
     * so it is taken only when an entry is foreseen — a success or a change of status; when the outcome writes
     * one all the same (a give-up), the transaction writes nothing and runs again with the lock.
     */
    private void record(Claim claim, Outcome outcome, boolean forced) {
        boolean foreseen = SYNCED.equals(outcome.status()) || !outcome.status().equals(claim.statusBefore());
        if (!recordIn(claim, outcome, forced, foreseen)) {
            recordIn(claim, outcome, forced, true);
        }
    }

    /** Records the outcome in a transaction of its own; false (nothing written) when it needs the audit lock. */
    private boolean recordIn(Claim claim, Outcome outcome, boolean forced, boolean auditLocked) {
        LedgerPushesRecord sent = claim.sent();
        return database.dsl().transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            if (auditLocked) {
                AuditLog.lock(tx);
            }
            LedgerPushesRecord row = lockRow(tx, sent);
            if (row == null) {
                return true;
            }
            Instant now = clock.instant();
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            boolean synced = SYNCED.equals(outcome.status());
            row.setLastAttemptAt(at);
            if (synced) {
                row.setSyncedAt(at);
                if (row.getSyncedVersion() == null || row.getSyncedVersion() < sent.getVersion()) {
                    row.setSyncedVersion(sent.getVersion());
                }
            }
            boolean own = claim.id().equals(row.getClaim());
            if (!own && row.getClaim() != null && row.getNextAttemptAt().isAfter(at)) {
                // This claim lapsed and another sender holds a live one: what this send delivered may have
                // reached the ledger after that sender's state, so its completion sends the row again.
                row.setResend(true);
                row.store();
                if (synced) {
                    auditOutcome(tx, now, sent, outcome);
                }
                return true;
            }
            if (!own || !row.getVersion().equals(sent.getVersion()) || row.getResend()) {
                // A newer state was queued during this send, the claim lapsed and no one holds the row now, or
                // a lapsed sender's state reached the ledger during this send: the row's state goes again.
                row.setStatus(PENDING);
                row.setClaim(null);
                row.setResend(false);
                row.setNextAttemptAt(at);
                row.store();
                if (synced) {
                    auditOutcome(tx, now, sent, outcome);
                }
                wake();
                return true;
            }
            row.setClaim(null);
            if (synced) {
                row.setStatus(SYNCED);
                row.setLastError(null);
                row.setAttempts(0);
                row.setFailingSince(null);
                row.setNextAttemptAt(null);
                row.store();
                auditOutcome(tx, now, sent, outcome);
                return true;
            }
            int attempts = row.getAttempts() + 1;
            row.setAttempts(attempts);
            row.setStatus(outcome.status());
            boolean failing = FAILING.equals(outcome.status());
            if (!failing) {
                boolean waitedBefore = WAITING_FOR_PAYEE.equals(claim.statusBefore()) && !forced;
                row.setWaits(waitedBefore ? row.getWaits() + 1 : 1);
                row.setFailingSince(null);
            } else if (forced || row.getFailingSince() == null) {
                row.setFailingSince(at);
            }
            if (forced) {
                row.setQueuedAt(at);
            }
            if (failing && now.isAfter(row.getFailingSince().toInstant().plus(giveUpAfter))) {
                row.setNextAttemptAt(null);
                row.setLastError(clip("gave up after " + giveUpAfter.toHours() + " h of failures (POST /v1/creators/"
                    + row.getCreator() + "/compliance/push tries again): " + outcome.error()));
            } else {
                Duration delay = failing ? backoff(attempts) : waitFor(row.getWaits());
                row.setNextAttemptAt(now.plus(delay).atOffset(ZoneOffset.UTC));
                row.setLastError(outcome.error());
            }
            boolean audit = !outcome.status().equals(claim.statusBefore()) || row.getNextAttemptAt() == null;
            if (audit && !auditLocked) {
                return false;
            }
            row.store();
            if (audit) {
                auditOutcome(tx, now, sent, outcome);
            }
            return true;
        });
    }

    private static void auditOutcome(DSLContext tx, Instant now, LedgerPushesRecord sent, Outcome outcome) {
        ObjectNode data = Json.object().put("status", outcome.status()).put("version", sent.getVersion())
            .put("kyc", sent.getKyc()).put("age", sent.getAge()).put("records_2257", sent.getRecords_2257())
            .put("reference", sent.getReference());
        if (outcome.error() != null) {
            data.put("error", outcome.error());
        }
        AuditLog.append(tx, now, sent.getTenant(), ACTOR, "ledger.push", "creator:" + sent.getCreator(), data);
    }

    /** 1 s, 2 s, 4 s, … up to the retry interval. */
    private Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts - 1, 20);
        Duration delay = Duration.ofSeconds(seconds);
        return delay.compareTo(retryInterval) > 0 ? retryInterval : delay;
    }

    /** The retry interval, twice that, four times, … up to the longest wait. */
    private Duration waitFor(int waits) {
        Duration delay = retryInterval.multipliedBy(1L << Math.min(waits - 1, 20));
        return delay.compareTo(longestWait) > 0 ? longestWait : delay;
    }

    private static String clip(String text) {
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }

    /**
     * Stops the thread: interrupts it (a send waiting on the ledger ends at once and gives its row back) and
     * waits for it to end, so the ledger client and the pool can be closed after.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("compliance: the ledger pusher did not stop within {} ms", CLOSE_WAIT_MILLIS);
        }
    }
}
