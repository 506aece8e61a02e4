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

import org.jooq.DSLContext;
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
 * summary change writes in its own transaction. One row per creator holds the latest state to push, so the
 * latest state wins and an older one is never sent after it. A thread sends the rows that are due: it finds
 * the payee ({@code GET /v1/payees?tenant=&creator=}) and sets its compliance ({@code PUT
 * /v1/payees/{id}/compliance}, idempotent). When the payee does not exist yet (the platform creates it later)
 * the row waits ({@code waiting_for_payee}) and is tried again every retry interval; when the ledger fails or
 * refuses, it backs off (1 s, 2 s, 4 s … up to the retry interval). Retrying stops once the state has been
 * queued longer than the give-up time; {@code POST …/compliance/push} tries at once and starts that time again.
 * Each outcome that changes the row's status (and every success) is written to the audit log.
 *
 * <p>Two instances of the service may both send a row; that is harmless, as the PUT carries the whole state
 * and the row is marked synced only for the version that was sent.
 */
final class LedgerPusher implements AutoCloseable {
    static final String PENDING = "pending";
    static final String SYNCED = "synced";
    static final String WAITING_FOR_PAYEE = "waiting_for_payee";
    static final String FAILING = "failing";
    static final String ACTOR = "service:compliance";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerPusher.class);
    private static final int BATCH = 100;

    private final ServiceDatabase database;
    private final PaymentsApi payments;
    private final Duration retryInterval;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Object sending = new Object();
    private final Thread thread;
    private boolean woken;
    private volatile boolean closed;

    LedgerPusher(ServiceDatabase database, PaymentsApi payments, Duration retryInterval, Duration giveUpAfter,
            Clock clock) {
        this.database = database;
        this.payments = payments;
        this.retryInterval = retryInterval;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
        this.thread = new Thread(this::run, "compliance-ledger-pusher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
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
     * Tries the creator's push now, whatever its schedule (and restarts its give-up time); the row afterwards,
     * or empty when nothing was ever queued for the creator.
     */
    Optional<LedgerPushesRecord> pushNow(String tenant, String creator) {
        LedgerPushesRecord row = database.dsl().selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(tenant))
            .and(LEDGER_PUSHES.CREATOR.eq(creator)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        attempt(row, true);
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

    private void pushDue() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<LedgerPushesRecord> due = database.dsl().selectFrom(LEDGER_PUSHES)
            .where(LEDGER_PUSHES.NEXT_ATTEMPT_AT.le(now)).orderBy(LEDGER_PUSHES.NEXT_ATTEMPT_AT).limit(BATCH).fetch();
        for (LedgerPushesRecord row : due) {
            if (closed) {
                return;
            }
            attempt(row, false);
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
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code row}'s state and records the outcome; one attempt at a time per service instance. */
    private void attempt(LedgerPushesRecord row, boolean forced) {
        synchronized (sending) {
            Outcome outcome = send(row);
            record(row, outcome, forced);
        }
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

    private void record(LedgerPushesRecord sent, Outcome outcome, boolean forced) {
        database.dsl().transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            AuditLog.lock(tx);
            LedgerPushesRecord row = tx.selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(sent.getTenant()))
                .and(LEDGER_PUSHES.CREATOR.eq(sent.getCreator())).fetchOne();
            Instant now = clock.instant();
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            boolean current = row != null && row.getVersion().equals(sent.getVersion());
            String statusBefore = row == null ? null : row.getStatus();
            if (SYNCED.equals(outcome.status())) {
                if (row == null) {
                    return;
                }
                row.setSyncedAt(at);
                row.setSyncedVersion(sent.getVersion());
                row.setLastAttemptAt(at);
                if (current) {
                    row.setStatus(SYNCED);
                    row.setLastError(null);
                    row.setAttempts(0);
                    row.setNextAttemptAt(null);
                }
                row.store();
                auditOutcome(tx, now, sent, outcome);
                return;
            }
            if (!current) {
                return;
            }
            if (forced) {
                row.setQueuedAt(at);
            }
            int attempts = row.getAttempts() + 1;
            row.setAttempts(attempts);
            row.setStatus(outcome.status());
            row.setLastAttemptAt(at);
            Duration delay = WAITING_FOR_PAYEE.equals(outcome.status()) ? retryInterval : backoff(attempts);
            if (now.isAfter(row.getQueuedAt().toInstant().plus(giveUpAfter))) {
                row.setNextAttemptAt(null);
                row.setLastError(clip("gave up after " + giveUpAfter.toHours() + " h (POST /v1/creators/"
                    + row.getCreator() + "/compliance/push tries again): " + outcome.error()));
            } else {
                row.setNextAttemptAt(now.plus(delay).atOffset(ZoneOffset.UTC));
                row.setLastError(outcome.error());
            }
            row.store();
            if (!outcome.status().equals(statusBefore) || row.getNextAttemptAt() == null) {
                auditOutcome(tx, now, sent, outcome);
            }
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

    private static String clip(String text) {
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
