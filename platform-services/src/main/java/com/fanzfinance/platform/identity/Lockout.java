package com.fanzfinance.platform.identity;

import static com.fanzfinance.platform.identity.schema.Tables.LOGIN_FAILURES;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fanzfinance.platform.identity.schema.tables.records.LoginFailuresRecord;

/**
 * Password sign-in attempts, kept in the database (a restart does not forgive them): {@code attempts} of them
 * for one email within {@code window} without a success lock it for {@code window}, during which even the
 * right password is refused. An attempt is counted as a failure before its password is checked ({@link #begin},
 * under the email's row lock), and a success clears the count, so parallel guesses cannot all slip past the
 * limit while the slow checks run. Only one check per email runs at a time: an attempt made while another is
 * being checked is refused without being counted (a double-submitted form costs nothing) and told to retry when
 * that check's lease ends, so a lease left by a crash delays sign-in by at most {@link #CHECK_LEASE} and never
 * locks anyone out. Emails of no account are counted alike, so a lockout does not tell whether an account exists.
 */
final class Lockout {
    /**
     * How long a started check holds the email's one slot at most (a crash mid-check frees it then): longer than
     * a check can take, which waits at most {@link Passwords#PERMIT_WAIT} for a hashing permit and then hashes
     * for well under a second.
     */
    static final Duration CHECK_LEASE = Duration.ofSeconds(10);

    private final DSLContext dsl;
    private final Clock clock;
    private final int attempts;
    private final Duration window;

    /** Why an attempt is refused unchecked: the email is locked, or another check of it is running. */
    record Refusal(boolean locked, long retryAfterSeconds) {
    }

    Lockout(DSLContext dsl, Clock clock, int attempts, Duration window) {
        this.dsl = dsl;
        this.clock = clock;
        this.attempts = attempts;
        this.window = window;
    }

    /**
     * Counts an attempt for {@code email} before its password is checked. Empty: check it now, then call
     * {@link #succeeded}, {@link #failed} or {@link #unchecked}. Otherwise the refusal, not to be checked and not
     * counted: the email is locked, or another check of it is running (retry when its lease ends).
     */
    Optional<Refusal> begin(String email) {
        return dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            db.insertInto(LOGIN_FAILURES)
                .set(LOGIN_FAILURES.EMAIL, email)
                .set(LOGIN_FAILURES.FAILURES, 0)
                .set(LOGIN_FAILURES.WINDOW_START, clock.instant().atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
            LoginFailuresRecord row = db.selectFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.EMAIL.eq(email))
                .forUpdate().fetchSingle();
            // The time is read once the row is ours: one read before waiting for the lock would be older than the
            // lease the attempt that held it just wrote, and its Retry-After would overstate the lease.
            Instant now = clock.instant();
            long lockedFor = secondsUntil(row.getLockedUntil(), now);
            if (lockedFor > 0) {
                return Optional.of(new Refusal(true, lockedFor));
            }
            if (row.getVerifyingUntil() != null && row.getVerifyingUntil().toInstant().isAfter(now)) {
                return Optional.of(new Refusal(false, Math.max(1, secondsUntil(row.getVerifyingUntil(), now))));
            }
            boolean windowOver = !row.getWindowStart().toInstant().plus(window).isAfter(now);
            if (windowOver || row.getLockedUntil() != null) {
                row.setFailures(0);
                row.setWindowStart(now.atOffset(ZoneOffset.UTC));
                row.setLockedUntil(null);
            }
            row.setFailures(row.getFailures() + 1);
            if (row.getFailures() >= attempts) {
                row.setLockedUntil(now.plus(window).atOffset(ZoneOffset.UTC));
            }
            row.setVerifyingUntil(now.plus(CHECK_LEASE).atOffset(ZoneOffset.UTC));
            row.store();
            return Optional.empty();
        });
    }

    /** Ends a check of {@code email} that failed (its failure was counted by {@link #begin}). */
    void failed(String email) {
        dsl.update(LOGIN_FAILURES).setNull(LOGIN_FAILURES.VERIFYING_UNTIL).where(LOGIN_FAILURES.EMAIL.eq(email))
            .execute();
    }

    /**
     * Ends a check of {@code email} that could not run (no hashing permit in time, or an error): takes back the
     * failure {@link #begin} counted and the lock it may have set (the email was not locked when the check began,
     * and no other attempt was counted while it held the lease).
     */
    void unchecked(String email) {
        dsl.update(LOGIN_FAILURES)
            .set(LOGIN_FAILURES.FAILURES, DSL.greatest(LOGIN_FAILURES.FAILURES.minus(1), DSL.inline(0)))
            .setNull(LOGIN_FAILURES.LOCKED_UNTIL)
            .setNull(LOGIN_FAILURES.VERIFYING_UNTIL)
            .where(LOGIN_FAILURES.EMAIL.eq(email))
            .execute();
    }

    /** Ends a check of {@code email} that succeeded: clears its count and any lock the attempt set. */
    void succeeded(String email) {
        dsl.deleteFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.EMAIL.eq(email)).execute();
    }

    /** Forgets failure records whose window and lock are both over (run hourly). */
    int prune() {
        var before = clock.instant().minus(window).atOffset(ZoneOffset.UTC);
        return dsl.deleteFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.WINDOW_START.lt(before))
            .and(LOGIN_FAILURES.LOCKED_UNTIL.isNull().or(LOGIN_FAILURES.LOCKED_UNTIL.lt(clock.instant().atOffset(ZoneOffset.UTC))))
            .execute();
    }

    /** Whole seconds (rounded up) from {@code now} until {@code until}; 0 if it is null or past. */
    private static long secondsUntil(OffsetDateTime until, Instant now) {
        if (until == null) {
            return 0;
        }
        long millis = Duration.between(now, until.toInstant()).toMillis();
        return millis > 0 ? (millis + 999) / 1000 : 0;
    }
}
