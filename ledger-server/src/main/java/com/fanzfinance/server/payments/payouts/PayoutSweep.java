package com.fanzfinance.server.payments.payouts;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.schema.tables.records.PayoutsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;

/**
 * The background work of payouts, run by the payments sweeper: finishing what a crash left half done, settling
 * file-rail payouts no return came for ({@code settle_after_days} after their effective date), and the payees'
 * schedules ({@code weekly} at {@code FANZ_PAYOUT_WEEKLY_AT}, {@code threshold} once the available balance reaches
 * the payee's threshold, at most once a day), each requesting "all" under the key
 * {@code schedule:{payee}:{period}} so that a period pays at most once.
 */
public final class PayoutSweep {
    private static final Logger LOG = LoggerFactory.getLogger(PayoutSweep.class);
    private static final int PAGE = 200;
    private static final Duration SCHEDULE_EVERY = Duration.ofMinutes(1);

    private final DSLContext dsl;
    private final Payouts payouts;
    private final Payees payees;
    private final MerchantAccounts accounts;
    /** A request or intent younger than this is still being handled by its own caller. */
    private final Duration settleTime;
    private final DayOfWeek weeklyDay;
    private final LocalTime weeklyTime;
    private volatile Instant nextSchedules = Instant.EPOCH;
    /** Weekly payees tried this period (the sweep runs on one thread); bounded, and cleared each week. */
    private final java.util.Set<java.util.UUID> attempted = new java.util.HashSet<>();
    private String attemptedPeriod = "";
    private static final int ATTEMPTS_KEPT = 1_000_000;

    /**
     * @param weeklyAt   {@code FANZ_PAYOUT_WEEKLY_AT}, e.g. {@code MON 09:00} (UTC)
     * @param settleTime {@code FANZ_PAYOUT_RECOVERY_SECONDS}: an unfinished request or move younger than this is
     *                   left to its own caller
     */
    public PayoutSweep(DSLContext dsl, Payouts payouts, Payees payees, MerchantAccounts accounts, String weeklyAt,
                       Duration settleTime) {
        this.dsl = dsl;
        this.payouts = payouts;
        this.payees = payees;
        this.accounts = accounts;
        this.settleTime = settleTime;
        String[] parts = weeklyAt.split(" ");
        this.weeklyDay = java.util.Arrays.stream(DayOfWeek.values())
            .filter(day -> day.name().startsWith(parts[0])).findFirst().orElseThrow();
        this.weeklyTime = LocalTime.parse(parts[1]);
    }

    /**
     * One pass; returns how many payouts it moved or requested. Each part runs whatever the others did: a payout
     * that cannot be finished now does not keep the others from settling or being scheduled.
     */
    public int run(Instant now) {
        int moved = quietly("finishing", () -> payouts.finishUnfinished(now, settleTime, PAGE));
        moved += quietly("settling", () -> settleDue(now));
        if (!now.isBefore(nextSchedules)) {
            nextSchedules = now.plus(SCHEDULE_EVERY);
            moved += quietly("weekly schedules", () -> weekly(now));
            moved += quietly("threshold schedules", () -> threshold(now));
        }
        return moved;
    }

    private static int quietly(String part, java.util.function.IntSupplier work) {
        try {
            return work.getAsInt();
        } catch (RuntimeException e) {
            LOG.warn("payout sweep: {} failed: {}", part, e.toString());
            return 0;
        }
    }

    /**
     * Settles submitted file-rail payouts whose effective date is {@code settle_after_days} or more behind (pages
     * through them in effective-date order; one that cannot be moved now is left for the next pass).
     */
    int settleDue(Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        int settled = 0;
        long afterSeq = 0;
        for (int page = 0; page < 25; page++) {
            List<PayoutsRecord> rows = dsl.selectFrom(PAYOUTS).where(PAYOUTS.STATUS.eq("submitted"),
                PAYOUTS.PENDING_STATUS.isNull(), PAYOUTS.RAIL.in(Payees.RAILS), PAYOUTS.EFFECTIVE_DATE.le(today),
                PAYOUTS.SEQ.gt(afterSeq)).orderBy(PAYOUTS.SEQ.asc()).limit(PAGE).fetch();
            for (PayoutsRecord row : rows) {
                afterSeq = row.getSeq();
                int days = accounts.get(row.getMerchantAccountId()).map(Payouts::terms)
                    .map(MerchantAccounts.Payout::settleAfterDays).orElse(0);
                if (!row.getEffectiveDate().plusDays(days).isAfter(today) && settle(row, days)) {
                    settled++;
                }
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        return settled;
    }

    private boolean settle(PayoutsRecord row, int days) {
        try {
            payouts.move(row.getId(), "settled", "no return within " + days + " days of the effective date", null, Map.of());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("payout {} could not be settled now: {}", row.getId(), e.toString());
            return false;
        }
    }

    /** The weekly slot at or before {@code now}, e.g. {@code 2026-W49}. */
    String weeklyPeriod(Instant now) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        ZonedDateTime slot = at.with(TemporalAdjusters.previousOrSame(weeklyDay)).with(weeklyTime);
        if (slot.isAfter(at)) {
            slot = slot.minusWeeks(1);
        }
        return slot.get(IsoFields.WEEK_BASED_YEAR) + "-W" + String.format(java.util.Locale.ROOT, "%02d",
            slot.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private int weekly(Instant now) {
        String period = weeklyPeriod(now);
        if (!period.equals(attemptedPeriod)) {
            attempted.clear();
            attemptedPeriod = period;
        }
        return schedule("weekly", period, payee -> payee.payoutAllowed() && attempted.size() < ATTEMPTS_KEPT
            && attempted.add(payee.id()));
    }

    private int threshold(Instant now) {
        String day = now.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        return schedule("threshold", day, payee -> payee.payoutAllowed() && payee.threshold() != null);
    }

    /**
     * Requests "all" for each payee of the schedule without a payout of the period yet, if {@code due}; refusals
     * (nothing available) skip the payee. A payee failing the compliance gate is skipped without a try; a weekly
     * payee passing it is tried once a week (once more after a restart), a threshold payee every pass until its
     * balance reaches the threshold.
     */
    private int schedule(String schedule, String period, java.util.function.Predicate<Payees.Payee> due) {
        int requested = 0;
        long after = 0;
        while (true) {
            List<Payees.Payee> page = payees.scheduled(schedule, period, after, PAGE);
            for (Payees.Payee payee : page) {
                after = payee.seq();
                if (due.test(payee) && request(payee, "schedule:" + payee.id() + ":" + period, schedule)) {
                    requested++;
                }
            }
            if (page.size() < PAGE) {
                return requested;
            }
        }
    }

    private boolean request(Payees.Payee payee, String key, String schedule) {
        try {
            Payouts.Draft draft = payouts.draft(payee, "all", payee.currency());
            if (schedule.equals("threshold") && draft.amount() < payee.threshold()) {
                return false;
            }
            payouts.place(draft, null, null, key, Payouts.BY_SCHEDULE);
            return true;
        } catch (Problem refused) {
            if (refused.status() != 422) {
                LOG.warn("scheduled payout of payee {} refused: {}", payee.id(), refused.getMessage());
            }
            return false;
        } catch (DataAccessException raced) {
            return false;
        }
    }
}
