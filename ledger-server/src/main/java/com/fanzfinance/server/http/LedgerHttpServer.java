package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.WireFormat.BINARY;
import static com.fanzfinance.ledger.client.WireFormat.PROBLEM_JSON;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletRequest;

import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.metrics.ServerMetrics;
import com.fanzfinance.server.payments.Payments;
import com.fanzfinance.server.readmodel.ChartOfAccounts;
import com.fanzfinance.server.readmodel.Projector;
import com.fanzfinance.server.readmodel.ReadModel;
import com.fanzfinance.server.readmodel.ReadModelUnavailableException;

/**
 * The HTTP face of the ledger (see LEDGER-API.md). It listens before the engine has recovered so that
 * {@code /health} answers at once and {@code /ready} says 503 until {@link #ready} hands it the engine;
 * until then every {@code /v1} call is a 503 problem. Closing it drains: new requests get 503, requests
 * in flight are answered, then the listener stops.
 */
public final class LedgerHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerHttpServer.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String REQUEST_ID_ATTRIBUTE = RequestLifecycle.REQUEST_ID_ATTRIBUTE;
    private static final long DRAIN_MILLIS = 30_000;

    /** Which requests the server is taking. */
    private enum Phase { RECOVERING, READY, DRAINING, FAILED_TO_START }

    private final long maxBodyBytes;
    private final long timeoutMillis;
    private final TenantRegistry tenants;
    private final ServerMetrics metrics;
    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final ListingGate listings = new ListingGate();
    private final ExecutorService responders;
    private final ThreadPoolExecutor parseHelpers;
    private final AdminRoutes admin;
    private final RequestLifecycle lifecycle;
    private final byte[] openApi;
    private final Javalin app;
    private final java.util.Set<String> routeTable = new java.util.concurrent.ConcurrentSkipListSet<>();
    private volatile Phase phase = Phase.RECOVERING;
    private volatile org.eclipse.jetty.server.Server jetty;
    /** How much of a request the HTTP connection reads at once. */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;
    private volatile Ledger engine;
    private volatile LedgerRoutes ledger;
    private volatile FinanceRoutes finance;
    private volatile Payments payments;
    private final PaymentRoutes paymentRoutes;
    private final PayoutRoutes payoutRoutes;
    private final ReconciliationRoutes reconciliationRoutes;
    private final ConsoleAssets console = new ConsoleAssets();
    private final SsoRoutes ssoRoutes;
    private final Audit audit;
    private final AuditRoutes auditRoutes;
    private final OverviewRoutes overviewRoutes;
    private final java.nio.file.Path chartFile;
    private volatile ChartOfAccounts chart;
    private volatile Projector projector;
    private volatile String startFailure;

    /** A server with the settings of {@code config} (address, body cap, request timeout, rate limit). */
    public LedgerHttpServer(ServerConfig config, KeyStore keys, TenantRegistry tenants, ServerMetrics metrics) {
        this(config.host(), config.port(), config.maxBodyBytes(), config.requestTimeoutMillis(), config.rateLimit(), keys,
            tenants, metrics, config.payments(), config.sso(), config.readModel().chartFile());
    }

    private LedgerHttpServer(String host, int port, long maxBodyBytes, long timeoutMillis, ServerConfig.RateLimit rateLimit,
                             KeyStore keys, TenantRegistry tenants, ServerMetrics metrics, ServerConfig.Payments paymentsConfig,
                             ServerConfig.Sso ssoConfig, java.nio.file.Path chartFile) {
        this.maxBodyBytes = maxBodyBytes;
        this.timeoutMillis = timeoutMillis;
        this.tenants = tenants;
        this.metrics = metrics;
        SsoGate sso = SsoGate.of(ssoConfig, tenants);
        this.authenticator = new Authenticator(keys, sso);
        this.rateLimiter = new RateLimiter(rateLimit, tenants, System::nanoTime);
        this.responders = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()), runnable -> {
            Thread thread = new Thread(runnable, "http-responder");
            thread.setDaemon(true);
            return thread;
        });
        // One thread per core but the request's own, each taking a half only while it waits idle on the queue (else
        // the executor refuses and the request's thread parses alone): a parse never queues. All are started here,
        // so no request ever starts one.
        int helpers = Runtime.getRuntime().availableProcessors() - 1;
        this.parseHelpers = helpers < 1 ? null : new ThreadPoolExecutor(helpers, helpers, 0, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "json-parse-helper");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        if (parseHelpers != null) {
            parseHelpers.prestartAllCoreThreads();
        }
        this.admin = new AdminRoutes(keys, tenants, responders, timeoutMillis);
        this.paymentRoutes = new PaymentRoutes(this::payments, tenants, paymentsConfig.trustedProxies(),
            paymentsConfig.hookMaxBodyBytes());
        this.payoutRoutes = new PayoutRoutes(paymentRoutes, tenants);
        this.reconciliationRoutes = new ReconciliationRoutes(paymentRoutes);
        this.ssoRoutes = new SsoRoutes(sso, ssoConfig, tenants, paymentRoutes::peer);
        this.audit = new Audit(() -> payments, metrics);
        this.auditRoutes = new AuditRoutes(paymentRoutes);
        this.overviewRoutes = new OverviewRoutes(paymentRoutes, tenants, () -> projector, this::chart);
        this.chartFile = chartFile;
        this.lifecycle = new RequestLifecycle(metrics);
        this.openApi = resource("/openapi.json");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            // Javalin's own connector, but reading requests 64 KiB at a time instead of Jetty's 8 KiB: a full batch
            // (1 MB binary, about 4 MB JSON) took hundreds of fills.
            config.jetty.addConnector((server, httpConfiguration) -> {
                org.eclipse.jetty.server.HttpConnectionFactory http =
                    new org.eclipse.jetty.server.HttpConnectionFactory(httpConfiguration);
                http.setInputBufferSize(INPUT_BUFFER_BYTES);
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server, http);
                connector.setHost(host);
                connector.setPort(port);
                return connector;
            });
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.http.generateEtags = false;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyServletContextHandler(handler -> handler.insertHandler(lifecycle));
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new StoppingErrorHandler(() -> phase == Phase.DRAINING));
                this.jetty = server;
            });
            config.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    routeTable.add(meta.getHttpMethod().name() + " " + meta.getPath());
                }
            });
            var routes = config.routes;
            routes.before(this::requestStarted);
            routes.beforeMatched("/v1/*", ctx -> rateLimiter.admit(authenticator.authenticate(ctx)));
            routes.beforeMatched("/v1/*", audit::checkNote);
            routes.beforeMatched("/v1/accounts/{id}/transfers", listings::enter);

            routes.get("/health", ctx -> json(ctx, 200, "{\"status\":\"up\"}"));
            routes.get("/ready", this::readiness);
            routes.get("/metrics", ctx -> {
                ctx.contentType(metrics.contentType());
                ctx.result(metrics.scrape());
            });
            routes.get("/console", console::index);
            routes.get("/console/{file}", console::file);
            routes.get("/openapi.json", ctx -> {
                ctx.contentType("application/json");
                ctx.result(openApi);
            });

            routes.post("/v1/accounts", write(BodyLimits.Kind.BATCH, (ctx, body) -> ledger().createAccounts(ctx, body)));
            routes.post("/v1/transfers", write(BodyLimits.Kind.BATCH, (ctx, body) -> ledger().createTransfers(ctx, body)));
            routes.post("/v1/entries", write(BodyLimits.Kind.ENTRIES, (ctx, body) -> ledger().createEntries(ctx, body)));
            routes.get("/v1/accounts/{id}", ctx -> ledger().getAccount(ctx));
            routes.get("/v1/accounts/{id}/transfers", ctx -> ledger().accountTransfers(ctx));
            routes.get("/v1/accounts/{id}/balances", ctx -> ledger().accountBalances(ctx));
            routes.get("/v1/transfers/{id}", ctx -> ledger().getTransfer(ctx));
            routes.get("/v1/accounts", ctx -> finance().listAccounts(ctx));
            routes.get("/v1/transfers", ctx -> finance().listTransfers(ctx));

            routes.get("/v1/reports/trial-balance", ctx -> finance().trialBalance(ctx));
            routes.get("/v1/reports/income-statement", ctx -> finance().incomeStatement(ctx));
            routes.get("/v1/reports/balance-sheet", ctx -> finance().balanceSheet(ctx));
            routes.get("/v1/statements/{id}", ctx -> finance().statement(ctx));
            routes.get("/v1/exports/journal", ctx -> finance().exportJournal(ctx));
            routes.get("/v1/overview", overviewRoutes::overview);
            routes.get("/v1/currencies", overviewRoutes::currencies);
            routes.get("/v1/audit-log", auditRoutes::list);
            routes.get("/v1/admin/audit-log/verify", auditRoutes::verify);

            routes.get("/v1/whoami", ssoRoutes::whoami);
            routes.post("/sso/token", ctx -> ssoRoutes.token(ctx, this::ledger));
            routes.post("/v1/admin/keys", write(BodyLimits.Kind.ADMIN, admin::createKey));
            routes.get("/v1/admin/keys", admin::listKeys);
            routes.delete("/v1/admin/keys/{id}", admin::revokeKey);
            routes.post("/v1/admin/tenants", write(BodyLimits.Kind.ADMIN, admin::createTenant));
            routes.get("/v1/admin/tenants", admin::listTenants);
            routes.post("/v1/merchant-accounts", write(BodyLimits.Kind.ADMIN, paymentRoutes::createMerchantAccount));
            routes.get("/v1/merchant-accounts", paymentRoutes::listMerchantAccounts);
            routes.get("/v1/merchant-accounts/{id}", paymentRoutes::getMerchantAccount);
            routes.patch("/v1/merchant-accounts/{id}", write(BodyLimits.Kind.ADMIN, paymentRoutes::patchMerchantAccount));
            routes.post("/v1/merchant-accounts/{id}/secrets", write(BodyLimits.Kind.ADMIN, paymentRoutes::rotateSecrets));
            routes.post("/v1/checkouts", write(BodyLimits.Kind.ADMIN, paymentRoutes::createCheckout));
            routes.get("/v1/checkouts/{id}", paymentRoutes::getCheckout);
            routes.post("/v1/checkouts/{id}/fallback", paymentRoutes::fallbackCheckout);
            routes.get("/v1/merchant-accounts/{id}/health", paymentRoutes::merchantAccountHealth);
            routes.get("/v1/merchant-accounts/{id}/balances", paymentRoutes::merchantAccountBalances);
            routes.put("/v1/routing/{tenant}", write(BodyLimits.Kind.ADMIN, paymentRoutes::putRouting));
            routes.get("/v1/routing/{tenant}", paymentRoutes::getRouting);
            routes.delete("/v1/routing/{tenant}", paymentRoutes::deleteRouting);
            routes.put("/v1/revenue-shares/{tenant}", write(BodyLimits.Kind.ADMIN, paymentRoutes::putTenantShares));
            routes.get("/v1/revenue-shares/{tenant}", paymentRoutes::getTenantShares);
            routes.put("/v1/revenue-shares/{tenant}/creators/{creator}",
                write(BodyLimits.Kind.ADMIN, paymentRoutes::putCreatorShares));
            routes.get("/v1/revenue-shares/{tenant}/creators/{creator}", paymentRoutes::getCreatorShares);
            routes.delete("/v1/revenue-shares/{tenant}/creators/{creator}", paymentRoutes::deleteCreatorShares);
            routes.get("/v1/payment-events", paymentRoutes::listPaymentEvents);
            routes.get("/v1/payment-events/{id}", paymentRoutes::getPaymentEvent);
            routes.post("/v1/admin/payment-events/{id}/replay", paymentRoutes::replayPaymentEvent);
            routes.get("/v1/events", paymentRoutes::events);
            routes.get("/v1/payment-accounts", paymentRoutes::paymentAccounts);
            routes.get("/v1/creators/{tenant}/{creator}/balances", paymentRoutes::creatorBalances);
            routes.post("/v1/payees", write(BodyLimits.Kind.ADMIN, payoutRoutes::savePayee));
            routes.get("/v1/payees", payoutRoutes::listPayees);
            routes.get("/v1/payees/{id}", payoutRoutes::getPayee);
            routes.put("/v1/payees/{id}/compliance", write(BodyLimits.Kind.ADMIN, payoutRoutes::setCompliance));
            routes.post("/v1/payouts", write(BodyLimits.Kind.ADMIN, payoutRoutes::requestPayout));
            routes.get("/v1/payouts", payoutRoutes::listPayouts);
            routes.get("/v1/payouts/{id}", payoutRoutes::getPayout);
            routes.post("/v1/payouts/{id}/cancel", payoutRoutes::cancelPayout);
            routes.post("/v1/payouts/{id}/events", write(BodyLimits.Kind.ADMIN, payoutRoutes::payoutEvent));
            routes.post("/v1/payouts/{id}/check-rail", payoutRoutes::checkRail);
            routes.post("/v1/payouts/{id}/approve", write(BodyLimits.Kind.ADMIN, payoutRoutes::approvePayout));
            routes.post("/v1/payouts/{id}/hold", write(BodyLimits.Kind.ADMIN, payoutRoutes::holdPayout));
            routes.post("/v1/payouts/{id}/release", payoutRoutes::releasePayout);
            routes.post("/v1/payout-batches", write(BodyLimits.Kind.ADMIN, payoutRoutes::createBatch));
            routes.get("/v1/payout-batches", payoutRoutes::listBatches);
            routes.get("/v1/payout-batches/{id}", payoutRoutes::getBatch);
            routes.get("/v1/payout-batches/{id}/file", payoutRoutes::batchFile);
            routes.post("/v1/payout-batches/{id}/submit", payoutRoutes::submitBatch);
            routes.post("/v1/payout-batches/{id}/returns", upload(payoutRoutes::batchReturns));
            routes.post("/v1/reconciliations", statementUpload(reconciliationRoutes::run));
            routes.get("/v1/reconciliations", reconciliationRoutes::list);
            routes.get("/v1/reconciliations/{id}", reconciliationRoutes::get);
            routes.get("/v1/reconciliations/{id}/entries", reconciliationRoutes::entries);
            routes.post("/v1/reconciliations/{id}/approve", write(BodyLimits.Kind.ADMIN, reconciliationRoutes::approve));
            routes.post("/v1/reconciliations/{id}/reject", write(BodyLimits.Kind.ADMIN, reconciliationRoutes::reject));
            routes.post("/v1/balance-checks", write(BodyLimits.Kind.ADMIN, reconciliationRoutes::reportBalance));
            routes.get("/v1/balance-checks", reconciliationRoutes::listChecks);
            routes.get("/v1/balance-checks/{id}", reconciliationRoutes::getCheck);
            routes.post("/v1/admin/balance-checks/run", reconciliationRoutes::runChecks);
            routes.get("/hooks/{processor}/{id}", paymentRoutes::hook);
            routes.post("/hooks/{processor}/{id}", paymentRoutes::hook);
            routes.get("/v1/admin/cluster", ctx -> {
                ledger();
                admin.cluster(ctx, engine, projector);
            });
            routes.post("/v1/admin/snapshot", ctx -> {
                ledger();
                admin.snapshot(ctx, engine);
            });

            routes.after(audit::record);
            routes.after(lifecycle::answered);
            // last, once the answer is final (an after-handler's failure may have replaced it)
            routes.after(LedgerHttpServer::closeAfterUnreadBody);
            routes.after(LedgerHttpServer::declareLength);

            routes.exception(Problem.class, (problem, ctx) -> respond(ctx, problem));
            routes.exception(ReadModelUnavailableException.class, (e, ctx) -> {
                LOG.atWarn().addKeyValue("request_id", requestId(ctx)).log("read model unavailable: {}", e.getMessage());
                respond(ctx, new Problem(503, "read-model-unavailable", "Service unavailable",
                    "the read model's database cannot answer; retry shortly", null));
            });
            routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, routingProblem(ctx, e)));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.atError().addKeyValue("request_id", requestId(ctx)).setCause(e)
                    .log("unexpected failure in {} {}", ctx.method(), ctx.path());
                respond(ctx, new Problem(500, "internal-error", "Internal server error",
                    "an unexpected error occurred; see the server log for request " + requestId(ctx), null));
            });
        });
    }

    /** Starts listening; returns once the port is bound. */
    public LedgerHttpServer start() {
        app.start();
        LOG.info("listening on port {}", app.port());
        return this;
    }

    /** The listening connectors (tests check how they are set up). */
    java.util.List<org.eclipse.jetty.server.Connector> connectors() {
        return java.util.List.of(jetty.getConnectors());
    }

    public int port() {
        return app.port();
    }

    /** Every route, as {@code "METHOD /path/{param}"} (for the check that the OpenAPI document covers them). */
    public java.util.Set<String> routes() {
        return java.util.Set.copyOf(routeTable);
    }

    /** Recovery is done: the server takes commands from now on; {@code readModel} is null when it is off. */
    public void ready(Ledger readyEngine, ReadModel readModel) {
        ready(readyEngine, readModel, null);
    }

    /** As {@link #ready(LedgerEngine, ReadModel)}, with the payments half ({@code null}: off). */
    public void ready(Ledger readyEngine, ReadModel readModel, Payments runningPayments) {
        this.payments = runningPayments;
        this.engine = readyEngine;
        this.ledger = new LedgerRoutes(readyEngine, tenants, metrics, responders, parseHelpers, timeoutMillis);
        this.finance = readModel == null ? null : new FinanceRoutes(readModel, readyEngine, tenants);
        this.chart = readModel == null ? ChartOfAccounts.load(chartFile) : readModel.chart();
        this.projector = readModel == null ? null : readModel.projector();
        if (runningPayments == null) {
            LOG.warn("the audit log is off: it lives in the payments schema, and payments are off (FANZ_PAYMENTS=false,"
                + " or no read model); actions are not recorded");
        }
        this.phase = Phase.READY;
    }

    /** Recovery failed: the server stays up to say so on {@code /ready} until it is stopped. */
    public void failedToStart(String reason) {
        this.startFailure = reason;
        this.phase = Phase.FAILED_TO_START;
    }

    /**
     * Stops taking requests (503 from now on), waits up to 30 s for the ones in flight to be answered,
     * then stops listening. The engine is the caller's to close afterwards.
     */
    @Override
    public void close() {
        phase = Phase.DRAINING;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        awaitNothingInFlight(deadline);
        // A client on a kept-alive connection can send its next request right after the last one in flight
        // ended. Closing the connectors first (no new connection, open ones closed) and waiting again means
        // no request is ever inside the handlers while they stop: it is answered 503 or its connection closes.
        stopConnectors();
        awaitNothingInFlight(deadline);
        if (lifecycle.inFlight() > 0) {
            LOG.warn("stopping with {} requests still in flight", lifecycle.inFlight());
        }
        app.stop();
        responders.shutdown();
        if (parseHelpers != null) {
            parseHelpers.shutdown();
        }
        try {
            responders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitNothingInFlight(long deadlineNanos) {
        while (lifecycle.inFlight() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stopConnectors() {
        org.eclipse.jetty.server.Server server = jetty;
        if (server == null) {
            return;
        }
        for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
            try {
                connector.stop();
            } catch (Exception e) {
                LOG.warn("closing the listener failed: {}", e.toString());
            }
        }
    }

    // ---- request life cycle ----------------------------------------------------------------------

    private void requestStarted(Context ctx) {
        String id = ctx.header("X-Request-Id");
        if (id == null || !REQUEST_ID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    /**
     * An error answer to a request whose body was not read to its end (refused before it was read: 401, 403, 413,
     * 429, …) says {@code Connection: close}. Jetty cannot keep such a connection: it closes it once the answer is
     * out, and a client that sent its next request on it first saw that request fail with no answer (one pair in
     * ~200 here: a POST refused, then the next POST on the same connection). Nothing is read or waited for: a
     * client that declared a body and never sends it holds no thread. Bodies read exactly to their declared length
     * do not always show as finished, so an error after such a read closes too; a success never does.
     */
    static void closeAfterUnreadBody(Context ctx) {
        if (ctx.statusCode() < 400 || ctx.res().isCommitted()) {
            return;
        }
        HttpServletRequest request = ctx.req();
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try {
            if (request.getInputStream().isFinished()) {
                return;
            }
        } catch (IOException | IllegalStateException e) {
            // read as characters, or broken: the connection cannot be trusted either way
        }
        ctx.header("Connection", "close");
    }

    /**
     * An answer held whole in memory goes out with its {@code Content-Length} instead of in chunks wherever
     * nothing will compress it (the request names no {@code Accept-Encoding}), so a client can read it into
     * one array of the right size (a full batch's JSON results are 0.9 MB). Never on answers that carry
     * no body (HEAD, 204, 304).
     */
    static void declareLength(Context ctx) {
        int status = ctx.statusCode();
        if (ctx.header("Accept-Encoding") == null && !ctx.res().isCommitted() && status >= 200 && status != 204
            && status != 304 && !"HEAD".equals(ctx.req().getMethod())
            && !ctx.res().containsHeader("Content-Length") && !ctx.res().containsHeader("Content-Encoding")
            && ctx.resultInputStream() instanceof ByteArrayInputStream answer) {
            ctx.res().setContentLengthLong(answer.available());
        }
    }

    private interface BodyHandler {
        void handle(Context ctx, RequestBody body);
    }

    /**
     * A write: the body must be JSON (or binary records where the kind takes them; media types matched
     * exactly) and within the cap of its kind; a declared length above the cap is refused before the
     * handler runs, without reading a byte.
     */
    private Handler write(BodyLimits.Kind kind, BodyHandler handler) {
        boolean binaryAllowed = kind == BodyLimits.Kind.BATCH;
        return ctx -> {
            // The raw header: Jetty's parsed content type throws for a charset Java does not know.
            String type = MediaType.of(ctx.header("Content-Type"));
            boolean json = type.isEmpty() || type.equals(MediaType.JSON);
            boolean binary = type.equals(BINARY);
            if (!json && !(binary && binaryAllowed)) {
                throw new Problem(415, "unsupported-media-type", "Unsupported media type", "send application/json"
                    + (binaryAllowed ? " or application/octet-stream (128-byte records)" : "") + ", not '"
                    + abbreviate(type) + "'", null);
            }
            RequestBody body = new RequestBody(ctx, BodyLimits.capBytes(kind, binary, maxBodyBytes), binary);
            body.requireDeclaredLengthWithinCap();
            handler.handle(ctx, body);
        };
    }

    /**
     * A file upload (a bank's return file): {@code text/plain} or {@code application/octet-stream} (or no type), at
     * most {@code FANZ_MAX_BODY_BYTES}; a declared length above that is refused before a byte is read.
     */
    private Handler upload(BodyHandler handler) {
        return ctx -> {
            String type = MediaType.of(ctx.header("Content-Type"));
            if (!type.isEmpty() && !type.equals("text/plain") && !type.equals(BINARY)) {
                throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "send the file as text/plain or application/octet-stream, not '" + abbreviate(type) + "'", null);
            }
            RequestBody body = new RequestBody(ctx, maxBodyBytes, true);
            body.requireDeclaredLengthWithinCap();
            handler.handle(ctx, body);
        };
    }

    /**
     * A statement upload (a settlement report or bank statement): CSV, XML, plain text or binary (or no type), streamed
     * to the handler, at most {@code FANZ_MAX_BODY_BYTES}; a declared length above that is refused before a byte is read.
     */
    private Handler statementUpload(BodyHandler handler) {
        return ctx -> {
            String type = MediaType.of(ctx.header("Content-Type"));
            if (!type.isEmpty() && !STATEMENT_TYPES.contains(type)) {
                throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "send the statement as " + String.join(", ", new java.util.TreeSet<>(STATEMENT_TYPES)) + ", not '"
                        + abbreviate(type) + "'", null);
            }
            RequestBody body = new RequestBody(ctx, maxBodyBytes, true);
            body.requireDeclaredLengthWithinCap();
            handler.handle(ctx, body);
        };
    }

    private static final java.util.Set<String> STATEMENT_TYPES = java.util.Set.of("text/plain", "text/csv",
        "application/xml", "text/xml", BINARY);

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Tests: binary body arrays free now (all of them once no command holds one). */
    int binaryBodyArraysFree() {
        return ledger.binaryBodyArraysFree();
    }

    private LedgerRoutes ledger() {
        switch (phase) {
            case READY -> {
                return ledger;
            }
            case RECOVERING -> throw unavailable("the ledger is recovering; retry shortly");
            case DRAINING -> throw unavailable("the server is shutting down; retry on another instance or later");
            default -> throw unavailable("the ledger failed to start: " + startFailure);
        }
    }

    /** The payments half once the server is ready and has it, else null (the routes answer 503). */
    private Payments payments() {
        ledger();
        return payments;
    }

    /** The chart of accounts once the server is ready. */
    private ChartOfAccounts chart() {
        ledger();
        return chart;
    }

    private FinanceRoutes finance() {
        ledger();
        FinanceRoutes routes = finance;
        if (routes == null) {
            throw new Problem(503, "read-model-off", "Service unavailable",
                "this server runs without the read model (FANZ_READ_MODEL=false); reports and filtered listings need it",
                null);
        }
        return routes;
    }

    private static Problem unavailable(String detail) {
        return new Problem(503, "unavailable", "Service unavailable", detail, null);
    }

    private void readiness(Context ctx) {
        Phase now = phase;
        Ledger current = engine;
        if (now == Phase.READY && current != null && current.health().failure() != null) {
            json(ctx, 503, JsonResponses.write(json -> {
                json.writeStartObject();
                json.writeStringField("status", "failed");
                json.writeStringField("detail", String.valueOf(current.health().failure()));
                json.writeEndObject();
            }));
            return;
        }
        String status = switch (now) {
            case READY -> "ready";
            case RECOVERING -> "recovering";
            case DRAINING -> "stopping";
            case FAILED_TO_START -> "failed";
        };
        json(ctx, now == Phase.READY ? 200 : 503, JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", status);
            if (now == Phase.FAILED_TO_START) {
                json.writeStringField("detail", startFailure);
            }
            json.writeEndObject();
        }));
    }

    private static Problem routingProblem(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> new Problem(404, "no-route", "Not found", "no route " + ctx.method().name() + " " + ctx.path()
                + " (see /openapi.json)", null);
            case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", ctx.method().name()
                + " is not allowed on " + ctx.path(), null);
            default -> new Problem(e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage(), null);
        };
    }

    private static void respond(Context ctx, Problem problem) {
        ctx.attribute(RequestLifecycle.PROBLEM_ATTRIBUTE, problem.type());
        ctx.status(problem.status());
        if (problem.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
        } else if (problem.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        ctx.contentType(PROBLEM_JSON);
        ctx.result(JsonResponses.problem(problem, ctx.path(), requestId(ctx)));
    }

    private static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        return id == null ? "-" : id;
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private static void json(Context ctx, int status, byte[] body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = LedgerHttpServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
