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
 * <p>A held payout is first moved to {@code submitted} (it can no longer be cancelled: from here on money may move)
 * with the payee's destination as it is now sealed into the row; then the driver's {@link PayoutRail#advance} is called,
 * and again at each step's {@code checkAgainIn}, until the rail says settled, failed or returned, which moves the
 * payout (posting or voiding its hold). The driver's state is written to the row whenever the driver saves it —
 * before any request that may move money — so that after a crash or restart the driver continues from there and
 * never sends blind. A configuration the driver cannot work with, or a bug, leaves the payout where it is, with the
 * reason in {@code rail_note}, and is tried again later.
 */
public final class RailRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RailRunner.class);
    private static final int PAGE = 50;
    private static final Duration AFTER_PROBLEM = Duration.ofMinutes(1);
    private static final Duration AFTER_CONFIGURATION = Duration.ofMinutes(5);
    private static final Duration LONGEST_WAIT = Duration.ofDays(1);

    private final DSLContext dsl;
    private final Payouts payouts;
    private final Payees payees;
    private final MerchantAccounts accounts;
    private final Currencies currencies;
    private final RailDrivers drivers;
    private final Clock clock;
    private final WiseHooks wiseHooks;
    private final Map<UUID, CachedDriver> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread worker = new Thread(runnable, "payout-rails");
        worker.setDaemon(true);
        return worker;
    });

    private record CachedDriver(Instant accountUpdated, PayoutRail driver) {
    }

    public RailRunner(DSLContext dsl, Payouts payouts, Payees payees, MerchantAccounts accounts, Currencies currencies,
                      RailDrivers drivers, Clock clock, WiseHooks wiseHooks) {
        this.wiseHooks = wiseHooks;
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
     * One pass: advances every API-rail payout that is due (held, or submitted and not yet final at its rail).
     * Returns how many it advanced. Only one pass runs at a time.
     */
    public synchronized int run(Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return advanceAll(dsl.selectFrom(PAYOUTS)
            .where(PAYOUTS.RAIL.in(ApiRails.ALL), PAYOUTS.STATUS.in("held", "submitted"), PAYOUTS.PENDING_STATUS.isNull(),
                PAYOUTS.RAIL_NEXT_CHECK.isNull().or(PAYOUTS.RAIL_NEXT_CHECK.le(at)))
            .orderBy(PAYOUTS.RAIL_NEXT_CHECK.asc().nullsFirst(), PAYOUTS.SEQ.asc()).limit(PAGE).fetch(), now);
    }

    /**
     * Asks the payout's rail now, whatever its next check says ({@code POST /v1/payouts/{id}/check-rail}); false when
     * it is not an API-rail payout on its way (held or submitted, no move under way).
     */
    public synchronized boolean checkNow(UUID id, Instant now) {
        List<PayoutsRecord> rows = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id), PAYOUTS.RAIL.in(ApiRails.ALL),
            PAYOUTS.STATUS.in("held", "submitted"), PAYOUTS.PENDING_STATUS.isNull()).fetch();
        return advanceAll(rows, now) > 0;
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
        MerchantAccounts.Account account = accounts.get(row.getMerchantAccountId()).orElse(null);
        if (account == null) {
            return false;
        }
        if (row.getStatus().equals("held")) {
            if (!account.isActive()) {
                note(row.getId(), "the rail account is disabled: the payout waits (or cancel it)", now.plus(AFTER_CONFIGURATION));
                return false;
            }
            handOver(row);
            row = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(row.getId())).fetchOne();
            if (row == null || !row.getStatus().equals("submitted")) {
                return false;
            }
        }
        UUID id = row.getId();
        PayoutRail driver;
        try {
            driver = driver(account);
        } catch (RailConfigurationException e) {
            note(id, "the rail account cannot work: " + e.getMessage(), now.plus(AFTER_CONFIGURATION));
            return false;
        }
        Payees.Payee payee = payees.get(row.getPayeeId()).orElseThrow();
        Map<String, String> destination = row.getRailDestination() == null ? payee.railDetails()
            : payees.open("payout/" + id, row.getRailDestination());
        int scale = currencies.byCode(row.getCurrency()).orElseThrow().scale();
        RailPayout payout = new RailPayout(id, row.getTenant(), row.getAmount(), row.getCurrency(), scale, destination,
            payee.name(), payee.email(), memo(payee.id(), account.id()));
        Map<String, String> values = row.getRailState() == null ? Map.of() : PayoutJson.readMap(row.getRailState());
        RailState state = new RailState(values, saved -> saveState(id, payee.id(), account.id(), saved));
        RailStep step;
        try {
            step = driver.advance(payout, state);
        } catch (RailConfigurationException e) {
            note(id, "the rail account cannot work: " + e.getMessage(), now.plus(AFTER_CONFIGURATION));
            return false;
        }
        saveState(id, payee.id(), account.id(), state.values());
        record(row, step, now);
        return true;
    }

    /** Held → submitted, the destination sealed into the row as it is now. */
    private void handOver(PayoutsRecord row) {
        Map<String, String> destination = payees.get(row.getPayeeId()).orElseThrow().railDetails();
        dsl.update(PAYOUTS).set(PAYOUTS.RAIL_DESTINATION, payees.seal("payout/" + row.getId(), destination))
            .where(PAYOUTS.ID.eq(row.getId()), PAYOUTS.STATUS.eq("held"), PAYOUTS.RAIL_DESTINATION.isNull()).execute();
        try {
            payouts.move(row.getId(), "submitted", "handed to the " + row.getRail() + " rail", null, Map.of());
        } catch (Problem problem) {
            LOG.info("payout {} was not handed to its rail: {}", row.getId(), problem.getMessage());
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

    private Map<String, String> memo(UUID payeeId, UUID accountId) {
        String memo = dsl.select(RAIL_PAYEE_MEMOS.MEMO).from(RAIL_PAYEE_MEMOS)
            .where(RAIL_PAYEE_MEMOS.PAYEE_ID.eq(payeeId), RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID.eq(accountId)).fetchOne(0, String.class);
        return memo == null ? Map.of() : PayoutJson.readMap(memo);
    }

    /** Writes the driver's state (and the payee's memo keys), committed before this returns. */
    private void saveState(UUID id, UUID payeeId, UUID accountId, Map<String, String> values) {
        Map<String, String> memo = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(RailState.PAYEE_PREFIX)) {
                memo.put(key.substring(RailState.PAYEE_PREFIX.length()), value);
            }
        });
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.update(PAYOUTS).set(PAYOUTS.RAIL_STATE, PayoutJson.write(new TreeMap<>(values)))
                .set(PAYOUTS.UPDATED, now()).where(PAYOUTS.ID.eq(id)).execute();
            if (!memo.isEmpty()) {
                Map<String, String> merged = new TreeMap<>(memo(payeeId, accountId));
                merged.putAll(memo);
                tx.insertInto(RAIL_PAYEE_MEMOS).set(RAIL_PAYEE_MEMOS.PAYEE_ID, payeeId)
                    .set(RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID, accountId).set(RAIL_PAYEE_MEMOS.MEMO, PayoutJson.write(merged))
                    .set(RAIL_PAYEE_MEMOS.UPDATED, now()).onConflict(RAIL_PAYEE_MEMOS.PAYEE_ID, RAIL_PAYEE_MEMOS.MERCHANT_ACCOUNT_ID)
                    .doUpdate().set(RAIL_PAYEE_MEMOS.MEMO, PayoutJson.write(merged)).set(RAIL_PAYEE_MEMOS.UPDATED, now())
                    .execute();
            }
        });
    }

    /** Records the step on the row and makes a final one the payout's move. */
    private void record(PayoutsRecord row, RailStep step, Instant now) {
        UUID id = row.getId();
        Duration wait = step.checkAgainIn().compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : step.checkAgainIn();
        var update = dsl.update(PAYOUTS).set(PAYOUTS.RAIL_STATUS, step.status().name().toLowerCase(java.util.Locale.ROOT))
            .set(PAYOUTS.RAIL_NOTE, truncate(step.reason())).set(PAYOUTS.RAIL_CALLS, PAYOUTS.RAIL_CALLS.plus(1))
            .set(PAYOUTS.RAIL_NEXT_CHECK, now.plus(wait).atOffset(ZoneOffset.UTC)).set(PAYOUTS.UPDATED, now());
        boolean newReference = step.reference() != null && row.getRailReference() == null
            && referenceFree(row, step.reference());
        if (newReference) {
            update = update.set(PAYOUTS.RAIL_REFERENCE, step.reference());
        }
        update.where(PAYOUTS.ID.eq(id)).execute();
        if (newReference && row.getRail().equals(ApiRails.WISE)) {
            wiseHooks.applyParked(row.getMerchantAccountId(), step.reference());
        }
        if (!step.status().isFinal()) {
            return;
        }
        String target = switch (step.status()) {
            case SETTLED -> "settled";
            case FAILED -> "failed";
            default -> "returned";
        };
        Map<String, String> extra = step.reference() == null ? Map.of() : Map.of("rail_reference", step.reference());
        String reason = step.code() == null ? step.reason() : step.reason() == null ? step.code()
            : step.code() + ": " + step.reason();
        try {
            payouts.move(id, target, truncate(reason), step.code() == null ? null : truncate16(step.code()), extra);
        } catch (Problem problem) {
            LOG.warn("payout {}: the {} rail says {}, but {}", id, row.getRail(), target, problem.getMessage());
        }
        if (step.status() == RailStatus.SETTLED || step.status() == RailStatus.FAILED) {
            dsl.update(PAYOUTS).set(PAYOUTS.RAIL_NEXT_CHECK, (OffsetDateTime) null).where(PAYOUTS.ID.eq(id)).execute();
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
