package com.fanzfinance.platform.compliance;

import java.time.Clock;
import java.time.LocalDate;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.TokenVerifier;

import io.javalin.http.Context;

/**
 * What the compliance service's route handlers share: the database, the token check, the clock (UTC), and
 * the one way a change is written — a transaction that first takes the audit log's append lock (so writes are
 * serialized and every change and its audit entry commit together) and, once committed, wakes the ledger
 * pusher for any push the change queued.
 */
record ComplianceRuntime(ServiceDatabase database, TokenVerifier tokens, Clock clock, LedgerPusher pusher) {
    Caller caller(Context ctx) {
        return tokens.caller(ctx);
    }

    DSLContext db() {
        return database.dsl();
    }

    /** Today in UTC: the day ages are reckoned on. */
    LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Runs {@code work} in a transaction holding the audit lock; wakes the pusher after the commit. */
    <T> T write(Function<DSLContext, T> work) {
        T result = database.dsl().transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            AuditLog.lock(tx);
            return work.apply(tx);
        });
        pusher.wake();
        return result;
    }
}
