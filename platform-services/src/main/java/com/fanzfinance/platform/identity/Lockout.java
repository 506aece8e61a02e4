package com.fanzfinance.platform.identity;

import static com.fanzfinance.platform.identity.schema.Tables.LOGIN_FAILURES;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jooq.DSLContext;

import com.fanzfinance.platform.identity.schema.tables.records.LoginFailuresRecord;

/**
 * Failed password sign-ins, kept in the database (a restart does not forgive them): {@code attempts}
 * failures for one email within {@code window} lock it for {@code window}, during which even the right
 * password is refused. Emails of no account are counted alike, so a lockout does not tell whether an
 * account exists. A successful sign-in clears the count.
 */
final class Lockout {
    private final DSLContext dsl;
    private final Clock clock;
    private final int attempts;
    private final Duration window;

    Lockout(DSLContext dsl, Clock clock, int attempts, Duration window) {
        this.dsl = dsl;
        this.clock = clock;
        this.attempts = attempts;
        this.window = window;
    }

    /** The seconds {@code email} stays locked (0: it is not locked). */
    long lockedFor(String email) {
        LoginFailuresRecord row = dsl.selectFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.EMAIL.eq(email)).fetchOne();
        if (row == null || row.getLockedUntil() == null) {
            return 0;
        }
        long seconds = Duration.between(clock.instant(), row.getLockedUntil().toInstant()).toSeconds();
        return seconds > 0 ? seconds + 1 : 0;
    }

    /** Counts a failure for {@code email}; true if it has now locked the email. */
    boolean failed(String email) {
        return dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            Instant now = clock.instant();
            db.insertInto(LOGIN_FAILURES)
                .set(LOGIN_FAILURES.EMAIL, email)
                .set(LOGIN_FAILURES.FAILURES, 0)
                .set(LOGIN_FAILURES.WINDOW_START, now.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
            LoginFailuresRecord row = db.selectFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.EMAIL.eq(email))
                .forUpdate().fetchSingle();
            boolean windowOver = !row.getWindowStart().toInstant().plus(window).isAfter(now);
            boolean lockOver = row.getLockedUntil() != null && !row.getLockedUntil().toInstant().isAfter(now);
            if (windowOver || lockOver) {
                row.setFailures(0);
                row.setWindowStart(now.atOffset(ZoneOffset.UTC));
                row.setLockedUntil(null);
            }
            row.setFailures(row.getFailures() + 1);
            boolean locked = row.getFailures() >= attempts;
            if (locked) {
                row.setLockedUntil(now.plus(window).atOffset(ZoneOffset.UTC));
            }
            row.store();
            return locked;
        });
    }

    /** Clears {@code email}'s failures after a successful sign-in. */
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
}
