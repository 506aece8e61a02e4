package com.fanzfinance.server.payments.payouts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.schema.tables.records.PayoutsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.RAIL_PAYEE_MEMOS;

/**
 * Drives the payouts of API rails ({@link ApiRails}) through their drivers, on its own thread so that a slow rail
 * never holds up the payments sweep.
 *
 * <p>A held payout is handed over only when its account is active and its driver can be made, calls to rails are on,
 * it neither awaits approval nor is held by an operator ({@link Payouts#reviewProblem}: a pass does not even pick such
 * a payout, and the move to submitted checks again under the row's lock), and the payee passes what a batch checks
 * ({@link Payouts#payeeProblem}); else it stays held (cancellable) with the reason in {@code rail_note}. Handing over
 * moves it to {@code submitted} (it can no longer be cancelled: from here on money may move) with the payee's
 * destination as it is now sealed into the row; then the driver's {@link PayoutRail#advance} is called,
 * and again at each step's {@code checkAgainIn}, until the rail says settled, failed or returned, which moves the
 * payout (posting or voiding its hold). The driver's state is written to the row whenever the driver saves it —
 * before any request that may move money, and only while the payout is still where the driver found it — so that
 * after a crash or restart the driver continues from there and never sends blind, and a payout moved meanwhile gets
 * nothing more sent. A configuration the driver cannot work with, or a bug, leaves the payout where it is, with the
 * reason in {@code rail_note}, and is tried again later.
 */
public final class RailRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RailRunner.class);
    private static final int PAGE = 50;
    private static final Duration AFTER_PROBLEM = Duration.ofMinutes(1);
    private static final Duration AFTER_CONFIGURATION = Duration.ofMinutes(5);
    private static final Duration LONGEST_WAIT = Duration.ofDays(1);
    /** How long a settled Wise payout is still asked about (Wise's outgoing_payment_sent can still bounce), and how often. */
    static final Duration WISE_WATCH = Duration.ofDays(14);
    private static final Duration WISE_WATCH_EVERY = Duration.ofDays(1);
    private static final Duration NOTIFICATION_RETRY = Duration.ofMinutes(1);
    private static final Duration CHECK_WAIT = Duration.ofSeconds(5);
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private volatile Instant nextNotificationRetry = Instant.EPOCH;

    private final DSLContext dsl;
    private final Payouts payouts;
    private final Payees payees;
    private final MerchantAccounts accounts;
    private final Currencies currencies;
    private final RailDrivers drivers;
    private final Clock clock;
    private final WiseHooks wiseHooks;
    private final boolean callsEnabled;
    private final Map<UUID, CachedDriver> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread worker = new Thread(runnable, "payout-rails");
        worker.setDaemon(true);
        return worker;
    });

    private record CachedDriver(Instant accountUpdated, PayoutRail driver) {
    }

    public RailRunner(DSLContext dsl, Payouts payouts, Payees payees, MerchantAccounts accounts, Currencies currencies,
                      RailDrivers drivers, Clock clock, WiseHooks wiseHooks, boolean callsEnabled) {
        this.wiseHooks = wiseHooks;
        this.callsEnabled = callsEnabled;
        this.dsl = dsl;
        this.payouts = payouts;
        this.payees = payees;
        this.accounts = accounts;
        this.currencies = currencies;
        this.drivers = drivers;
        this.clock = clock;
    }

    /** Runs a pass every second on the {@code payout-rails} thread. */
    public RailRunner start() {
        thread.scheduleWithFixedDelay(() -> {
            try {
                run(clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("payout rails pass failed: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /**
     * One pass: advances every API-rail payout that is due (held, submitted and not yet final at its rail, or a Wise
     * payout settled less than {@link #WISE_WATCH} ago, which can still bounce), and retries Wise notifications left
     * to apply. Returns how many payouts it advanced. One pass (or {@link #checkNow}) runs at a time.
     */
    public int run(Instant now) {
        lock.lock();
        try {
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            int advanced = advanceAll(dsl.selectFrom(PAYOUTS)
                .where(PAYOUTS.RAIL.in(ApiRails.ALL), PAYOUTS.PENDING_STATUS.isNull(),
                    PAYOUTS.STATUS.ne("held").or(Payouts.cleared()),
                    PAYOUTS.STATUS.in("held", "submitted").or(PAYOUTS.STATUS.eq("settled")
                        .and(PAYOUTS.RAIL.eq(ApiRails.WISE)).and(PAYOUTS.RAIL_NEXT_CHECK.isNotNull())
                        .and(PAYOUTS.SETTLED_AT.gt(now.minus(WISE_WATCH).atOffset(ZoneOffset.UTC)))),
                    PAYOUTS.RAIL_NEXT_CHECK.isNull().or(PAYOUTS.RAIL_NEXT_CHECK.le(at)))
                .orderBy(PAYOUTS.RAIL_NEXT_CHECK.asc().nullsFirst(), PAYOUTS.SEQ.asc()).limit(PAGE).fetch(), now);
            if (!now.isBefore(nextNotificationRetry)) {
                nextNotificationRetry = now.plus(NOTIFICATION_RETRY);
                try {
                    wiseHooks.retry(now);
                } catch (RuntimeException e) {
                    LOG.warn("retrying Wise notifications failed: {}", e.toString());
                }
            }
            return advanced;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the payout's rail now, whatever its next check says ({@code POST /v1/payouts/{id}/check-rail}): false when
     * it is not an API-rail payout on its way (held or submitted). The answer may be that it still waits (the reason
     * is in its {@code rail_note}).
     *
     * @throws Problem 503 when another pass holds the rails for more than a few seconds
     */
    public boolean checkNow(UUID id, Instant now) {
        try {
            if (!lock.tryLock(CHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Problem(503, "unavailable", "Service unavailable", "the payout rails are busy; ask again shortly",
                    null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "unavailable", "Service unavailable", "interrupted", null);
        }
        try {
            List<PayoutsRecord> rows = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id), PAYOUTS.RAIL.in(ApiRails.ALL),
                PAYOUTS.STATUS.in("held", "submitted")).fetch();
            advanceAll(rows.stream().filter(row -> row.getPendingStatus() == null).toList(), now);
            return !rows.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private int advanceAll(List<PayoutsRecord> due, Instant now) {
        int advanced = 0;
        for (PayoutsRecord row : due) {
            try {
                if (advance(row, now)) {
                    advanced++;
                }
            } catch (RuntimeException e) {
                LOG.warn("payout {} on {}: {}", row.getId(), row.getRail(), e.toString());
                note(row.getId(), "could not be advanced now: " + e.getClass().getSimpleName(), now.plus(AFTER_PROBLEM));
            }
        }
        return advanced;
    }

    private boolean advance(PayoutsRecord row, Instant now) {
        UUID id = row.getId();
        MerchantAccounts.Account account = accounts.get(row.getMerchantAccountId()).orElse(null);
        if (account == null) {
            note(id, "its rail account is gone", now.plus(AFTER_CONFIGURATION));
            return false;
        }
        PayoutRail driver;
        try {
            driver = driver(account);
        } catch (RailConfigurationException e) {
            note(id, "the rail account cannot work: " + e.getMessage(), now.plus(AFTER_CONFIGURATION));
            return false;
        }
        Payees.Payee payee = payees.get(row.getPayeeId()).orElseThrow();
        if (row.getStatus().equals("held")) {
            String review = Payouts.reviewProblem(row);
            String waits = review != null ? review
                : !account.isActive() ? "the rail account is disabled"
                : !callsEnabled ? "calls to rails are off (FANZ_PROVIDER_CALLS=off)"
                : Payouts.payeeProblem(account, row.getRail(), payee, now);
            if (waits != null) {
                note(id, "held, not handed to the rail: " + waits, now.plus(AFTER_CONFIGURATION));
                return false;
            }
            handOver(row, payee);
            row = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).fetchOne();
            if (row == null || !row.getStatus().equals("submitted")) {
                return false;
            }
        }
        Map<String, String> destination = row.getRailDestination() == null ? payee.railDetails()
            : payees.open("payout/" + id, row.getRailDestination());
        String destinationKey = destinationKey(destination);
        int scale = currencies.byCode(row.getCurrency()).orElseThrow().scale();
        RailPayout payout = new RailPayout(id, row.getTenant(), row.getAmount(), row.getCurrency(), scale, destination,
            payee.name(), payee.email(), memo(payee.id(), account.id(), destinationKey), row.getCreated().toInstant());
        Map<String, String> values = row.getRailState() == null ? Map.of() : PayoutJson.readMap(row.getRailState());
        String status = row.getStatus();
        RailState state = new RailState(values, saved -> saveState(id, status, payee.id(), account.id(), destinationKey,
            saved));
        RailStep step;
        try {
            step = driver.advance(payout, state);
        } catch (RailConfigurationException e) {
            note(id, "the rail account cannot work: " + e.getMessage(), now.plus(AFTER_CONFIGURATION));
            return false;
        }
        saveState(id, status, payee.id(), account.id(), destinationKey, state.values());
        record(row, step, now);
        return true;
    }

    /** Held → submitted, the payee's destination as it is now sealed into the row. */
    private void handOver(PayoutsRecord row, Payees.Payee payee) {
        dsl.update(PAYOUTS).set(PAYOUTS.RAIL_DESTINATION, payees.seal("payout/" + row.getId(), payee.railDetails()))
            .where(PAYOUTS.ID.eq(row.getId()), PAYOUTS.STATUS.eq("held"), PAYOUTS.PENDING_STATUS.isNull()).execute();
        try {
            payouts.move(row.getId(), "submitted", "handed to the " + row.getRail() + " rail", null, Map.of());
        } catch (Problem problem) {
            LOG.info("payout {} was not handed to its rail: {}", row.getId(), problem.getMessage());
        }
    }

    /** The SHA-256 of the destination's canonical JSON: what a payee memo (a Wise recipient) is kept for. */
    static String destinationKey(Map<String, String> destination) {
        try {
            byte[] json = com.fanzfinance.server.payments.Fields.JSON.writeValueAsBytes(new TreeMap<>(destination));
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PayoutRail driver(MerchantAccounts.Account account) {
        CachedDriver cached = cache.get(account.id());
        if (cached != null && cached.accountUpdated().equals(account.updated())) {
            return cached.driver();
        }
        PayoutRail driver = drivers.driver(account);
        cache.put(account.id(), new CachedDriver(account.updated(), driver));
        return driver;
    }

    private Map<String, String> memo(UUID payeeId, UUID accountId, String destinationKey) {
        String memo = dsl.select(RAIL_PAYEE_MEMOS.MEMO).from(RAIL_PAYEE_MEMOS)
            .where(RAIL_PAYEE_MEMOS.PAYEE_ID.eq(payeeId), RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID.eq(accountId),
                RAIL_PAYEE_MEMOS.DESTINATION_SHA256.eq(destinationKey)).fetchOne(0, String.class);
        return memo == null ? Map.of() : PayoutJson.readMap(memo);
    }

    /**
     * Writes the driver's state (and the payee's memo keys, for this destination), committed before this returns —
     * only while the payout is still where the driver found it (no one failed or moved it meanwhile); otherwise it
     * throws, so that the driver sends nothing more.
     */
    private void saveState(UUID id, String status, UUID payeeId, UUID accountId, String destinationKey,
                           Map<String, String> values) {
        Map<String, String> memo = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(RailState.PAYEE_PREFIX)) {
                memo.put(key.substring(RailState.PAYEE_PREFIX.length()), value);
            }
        });
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            int updated = tx.update(PAYOUTS).set(PAYOUTS.RAIL_STATE, PayoutJson.write(new TreeMap<>(values)))
                .set(PAYOUTS.UPDATED, now())
                .where(PAYOUTS.ID.eq(id), PAYOUTS.STATUS.eq(status), PAYOUTS.PENDING_STATUS.isNull()).execute();
            if (updated == 0) {
                throw new IllegalStateException("payout " + id + " was moved while its rail was being called; nothing"
                    + " more is sent");
            }
            if (!memo.isEmpty()) {
                String existing = tx.select(RAIL_PAYEE_MEMOS.MEMO).from(RAIL_PAYEE_MEMOS)
                    .where(RAIL_PAYEE_MEMOS.PAYEE_ID.eq(payeeId), RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID.eq(accountId),
                        RAIL_PAYEE_MEMOS.DESTINATION_SHA256.eq(destinationKey)).forUpdate().fetchOne(0, String.class);
                Map<String, String> merged = new TreeMap<>(existing == null ? Map.of() : PayoutJson.readMap(existing));
                merged.putAll(memo);
                tx.insertInto(RAIL_PAYEE_MEMOS).set(RAIL_PAYEE_MEMOS.PAYEE_ID, payeeId)
                    .set(RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID, accountId)
                    .set(RAIL_PAYEE_MEMOS.DESTINATION_SHA256, destinationKey).set(RAIL_PAYEE_MEMOS.MEMO, PayoutJson.write(merged))
                    .set(RAIL_PAYEE_MEMOS.UPDATED, now())
                    .onConflict(RAIL_PAYEE_MEMOS.PAYEE_ID, RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID, RAIL_PAYEE_MEMOS.DESTINATION_SHA256)
                    .doUpdate().set(RAIL_PAYEE_MEMOS.MEMO, PayoutJson.write(merged)).set(RAIL_PAYEE_MEMOS.UPDATED, now())
                    .execute();
            }
        });
    }

    /** Records the step on the row and makes a final one the payout's move. */
    private void record(PayoutsRecord row, RailStep step, Instant now) {
        UUID id = row.getId();
        Duration wait = step.checkAgainIn().compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : step.checkAgainIn();
        boolean watch = row.getRail().equals(ApiRails.WISE) && step.status() == RailStatus.SETTLED;
        OffsetDateTime next = step.status().isFinal() && !watch ? null
            : now.plus(watch ? WISE_WATCH_EVERY : wait).atOffset(ZoneOffset.UTC);
        String reference = step.reference() != null && !step.reference().equals(row.getRailReference())
            && (row.getRailReference() == null || step.status().isFinal()) && referenceFree(row, step.reference())
            ? step.reference() : null;
        var update = dsl.update(PAYOUTS).set(PAYOUTS.RAIL_STATUS, step.status().name().toLowerCase(java.util.Locale.ROOT))
            .set(PAYOUTS.RAIL_NOTE, truncate(step.reason())).set(PAYOUTS.RAIL_CALLS, PAYOUTS.RAIL_CALLS.plus(1))
            .set(PAYOUTS.RAIL_NEXT_CHECK, next).set(PAYOUTS.UPDATED, now());
        if (reference != null) {
            update = update.set(PAYOUTS.RAIL_REFERENCE, reference);
        }
        update.where(PAYOUTS.ID.eq(id)).execute();
        if (reference != null && row.getRail().equals(ApiRails.WISE)) {
            wiseHooks.applyParked(row.getMerchantAccountId(), reference);
        }
        if (!step.status().isFinal() || step.status() == RailStatus.SETTLED && row.getStatus().equals("settled")) {
            return;
        }
        String reason = step.code() == null ? step.reason() : step.reason() == null ? step.code()
            : step.code() + ": " + step.reason();
        try {
            payouts.moveByRail(id, step.status(), truncate(reason), step.code() == null ? null : truncate16(step.code()),
                Map.of());
        } catch (Problem problem) {
            LOG.warn("payout {}: the {} rail says {}, but {}", id, row.getRail(), step.status(), problem.getMessage());
        }
    }

    private boolean referenceFree(PayoutsRecord row, String reference) {
        if (reference.length() > 128) {
            LOG.warn("payout {}: the rail's reference is over 128 characters and is not kept", row.getId());
            return false;
        }
        return !dsl.fetchExists(PAYOUTS, PAYOUTS.MERCHANT_ACCOUNT_ID.eq(row.getMerchantAccountId()),
            PAYOUTS.RAIL_REFERENCE.eq(reference), PAYOUTS.ID.ne(row.getId()));
    }

    private void note(UUID id, String note, Instant next) {
        dsl.update(PAYOUTS).set(PAYOUTS.RAIL_NOTE, truncate(note)).set(PAYOUTS.RAIL_NEXT_CHECK, next.atOffset(ZoneOffset.UTC))
            .where(PAYOUTS.ID.eq(id)).execute();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 400 ? text : text.substring(0, 400);
    }

    private static String truncate16(String code) {
        return code.length() <= 16 ? code : code.substring(0, 16);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** The rail's view of a payout, for its JSON: status at the rail, note, calls, next check. */
    static Optional<Map<String, String>> railView(PayoutsRecord row) {
        if (row.getRailStatus() == null && row.getRailNote() == null) {
            return Optional.empty();
        }
        Map<String, String> view = new TreeMap<>();
        if (row.getRailStatus() != null) {
            view.put("status", row.getRailStatus());
        }
        if (row.getRailNote() != null) {
            view.put("note", row.getRailNote());
        }
        view.put("calls", Integer.toString(row.getRailCalls()));
        if (row.getRailNextCheck() != null) {
            view.put("next_check", row.getRailNextCheck().toInstant().toString());
        }
        return Optional.of(view);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
