package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.AUDIT_LOG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.PlatformService;
import com.fanzfinance.platform.common.ServiceApp;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.platform.compliance.schema.tables.records.AuditLogRecord;

import io.javalin.http.Context;

/**
 * The compliance service: KYC/age verification with a manual review, tax forms, 18 U.S.C. 2257 performer
 * records and model releases, content clearance, the payout gate it keeps in the ledger's payee compliance
 * (through an outbox and {@link LedgerPusher}), and a hash-chained, append-only audit log of every change.
 * Its state is the schema {@code <prefix>compliance}; it reaches the ledger only through {@code ledger-client}.
 *
 * <p>Settings of its own: {@code FANZ_COMPLIANCE_PUSH_RETRY_SECONDS} (1–3600, default 30: how often a push
 * waiting for its payee is first tried again, and the longest back-off after a failure),
 * {@code FANZ_COMPLIANCE_PUSH_WAIT_MAX_SECONDS} (1–86400, default 3600: the longest wait between tries of a push
 * waiting for its payee; each wait doubles up to it, never below the retry interval) and
 * {@code FANZ_COMPLIANCE_PUSH_GIVE_UP_HOURS} (1–87600, default 720: how long a push is retried while the ledger
 * keeps failing; a push waiting for its payee never gives up).
 */
public final class ComplianceService implements PlatformService {
    private final ServiceDatabase database;
    private final LedgerClient ledger;
    private final LedgerPusher pusher;
    private final ServiceApp app;

    private ComplianceService(ServiceDatabase database, LedgerClient ledger, LedgerPusher pusher, ServiceApp app) {
        this.database = database;
        this.ledger = ledger;
        this.pusher = pusher;
        this.app = app;
    }

    public static ComplianceService start(PlatformSettings settings) {
        Duration retry = Duration.ofSeconds(settings.getLong("FANZ_COMPLIANCE_PUSH_RETRY_SECONDS", 30, 1, 3600));
        Duration giveUp = Duration.ofHours(settings.getLong("FANZ_COMPLIANCE_PUSH_GIVE_UP_HOURS", 720, 1, 87_600));
        Duration longestWait = Duration.ofSeconds(
            settings.getLong("FANZ_COMPLIANCE_PUSH_WAIT_MAX_SECONDS", 3600, 1, 86_400));
        String ledgerKey = settings.ledgerKey();
        TokenVerifier tokens = TokenVerifier.remote(settings.url(PlatformSettings.IDENTITY), settings.issuer());
        ServiceDatabase database = ServiceDatabase.open(settings.database(), PlatformSettings.COMPLIANCE, 8);
        LedgerClient ledger = null;
        LedgerPusher pusher = null;
        try {
            ledger = LedgerClient.builder(settings.ledgerUrl(), ledgerKey).requestTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(3)).maxAttempts(2).callTimeout(Duration.ofSeconds(30)).build();
            Clock clock = Clock.systemUTC();
            pusher = new LedgerPusher(database, ledger.payments(), retry, giveUp, longestWait, clock);
            ComplianceRuntime runtime = new ComplianceRuntime(database, tokens, clock, pusher);
            Routes routes = new Routes(runtime);
            ServiceApp app = new ServiceApp(PlatformSettings.COMPLIANCE, settings.host(),
                settings.port(PlatformSettings.COMPLIANCE), settings.maxBodyBytes(), routes::add);
            app.start();
            pusher.start();
            return new ComplianceService(database, ledger, pusher, app);
        } catch (RuntimeException e) {
            if (pusher != null) {
                pusher.close();
            }
            if (ledger != null) {
                ledger.close();
            }
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public ServiceApp app() {
        return app;
    }

    /** The service's connection pool (its schema on the search path), e.g. for {@link AuditLog#verify}. */
    public ServiceDatabase database() {
        return database;
    }

    /** The ledger pusher (tests hold a send with {@link LedgerPusher#beforeSend}). */
    LedgerPusher pusher() {
        return pusher;
    }

    /**
     * Stops taking requests, then stops the pusher (its thread interrupted and ended), then closes the pool and
     * the ledger client. The client's close waits for a call it still has in flight — one the pusher gave up on,
     * to a ledger that does not answer — until that call's timeout (30 s at most), so it runs on a thread of its
     * own and this returns at once.
     */
    @Override
    public void close() {
        app.close();
        pusher.close();
        database.close();
        Thread closing = new Thread(ledger::close, "compliance-ledger-client-close");
        closing.setDaemon(true);
        closing.start();
    }

    /** The route table and the handlers that are only a few lines: summaries, pushes and the audit log. */
    private static final class Routes {
        private final ComplianceRuntime runtime;
        private final Verifications verifications;
        private final TaxForms taxForms;
        private final Records2257 records;
        private final ModelReleases releases;

        Routes(ComplianceRuntime runtime) {
            this.runtime = runtime;
            this.verifications = new Verifications(runtime);
            this.taxForms = new TaxForms(runtime);
            this.records = new Records2257(runtime);
            this.releases = new ModelReleases(runtime);
        }

        void add(io.javalin.config.RoutesConfig r) {
            r.post("/v1/verifications", verifications::submit);
            r.get("/v1/verifications/{id}", verifications::get);
            r.post("/v1/verifications/{id}/review", verifications::review);
            r.get("/v1/creators/{creator}/compliance", this::summary);
            r.post("/v1/creators/{creator}/compliance/push", this::push);
            r.put("/v1/creators/{creator}/tax-form", taxForms::put);
            r.post("/v1/records-2257", records::create);
            r.get("/v1/records-2257", records::list);
            r.get("/v1/records-2257/{id}", records::get);
            r.put("/v1/records-2257/{id}", records::correct);
            r.post("/v1/model-releases", releases::create);
            r.get("/v1/model-releases", releases::list);
            r.get("/v1/clearances", releases::clearance);
            r.get("/v1/audit", this::audit);
            r.get("/v1/audit/verify", this::verify);
        }

        /** {@code GET /v1/creators/{creator}/compliance?tenant=}. */
        private void summary(Context ctx) {
            Caller caller = runtime.caller(ctx);
            String creator = Fields.creatorPath(ctx);
            String tenant = Fields.tenantQuery(ctx);
            Access.requireReader(caller, tenant, creator, "creator");
            Json.answer(ctx, 200, Summaries.answer(runtime.db(), tenant, creator));
        }

        /** {@code POST /v1/creators/{creator}/compliance/push?tenant=}: staff force an attempt now. */
        private void push(Context ctx) {
            Caller caller = runtime.caller(ctx);
            String creator = Fields.creatorPath(ctx);
            String tenant = Fields.tenantQuery(ctx);
            Access.requireReviewer(caller, tenant, "creator");
            var row = runtime.pusher().pushNow(tenant, creator)
                .orElseThrow(() -> Problem.notFound("nothing about this creator has been recorded, so nothing to push"));
            Json.answer(ctx, 200, LedgerPusher.render(row));
        }

        /** {@code GET /v1/audit?tenant=&after=&limit=}: the brand's entries after seq {@code after}. */
        private void audit(Context ctx) {
            Caller caller = runtime.caller(ctx);
            String tenant = Fields.tenantQuery(ctx);
            Access.requireReviewer(caller, tenant, "brand");
            int limit = Fields.limit(ctx);
            long after = 0;
            String afterText = ctx.queryParam("after");
            if (afterText != null) {
                try {
                    after = Long.parseLong(afterText);
                } catch (NumberFormatException e) {
                    after = -1;
                }
                if (after < 0) {
                    throw Problem.badRequest("invalid-query", "'after' must be a seq: a whole number from 0", null);
                }
            }
            List<AuditLogRecord> rows = runtime.db().selectFrom(AUDIT_LOG).where(AUDIT_LOG.TENANT.eq(tenant))
                .and(AUDIT_LOG.SEQ.gt(after)).orderBy(AUDIT_LOG.SEQ).limit(limit).fetch();
            ObjectNode page = Json.object();
            ArrayNode entries = page.putArray("entries");
            for (AuditLogRecord row : rows) {
                ObjectNode entry = entries.addObject().put("seq", row.getSeq())
                    .put("at", AuditLog.formatAt(row.getAt().toInstant())).put("tenant", row.getTenant())
                    .put("actor", row.getActor()).put("action", row.getAction()).put("subject", row.getSubject());
                try {
                    entry.set("data", Json.MAPPER.readTree(row.getData().data()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                entry.put("prev_hash", row.getPrevHash()).put("hash", row.getHash());
            }
            page.put("next", rows.size() == limit ? Long.toString(rows.get(rows.size() - 1).getSeq()) : null);
            Json.answer(ctx, 200, page);
        }

        /**
         * {@code GET /v1/audit/verify}: rehashes the whole chain, so only a person with the role admin or a
         * service with {@code compliance:audit}.
         */
        private void verify(Context ctx) {
            Access.requireAuditor(runtime.caller(ctx));
            AuditVerification result = AuditLog.verify(runtime.database().dataSource());
            ObjectNode json = Json.object().put("ok", result.ok()).put("entries", result.entries());
            if (result.firstBadSeq() == null) {
                json.putNull("first_bad_seq");
            } else {
                json.put("first_bad_seq", result.firstBadSeq());
            }
            json.put("reason", result.reason());
            Json.answer(ctx, 200, json);
        }
    }
}
