package com.fanzfinance.platform.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One platform service's HTTP side: a Javalin server with the conventions every service shares — problem
 * documents for every failure (the same type base as the ledger's), a request id on every answer,
 * {@code /health}, Prometheus {@code /metrics} (requests by route and status), {@code /openapi.json} from the
 * service's bundled document, a body size limit, and the table of its routes (for the check that its OpenAPI
 * document covers them).
 */
public final class ServiceApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceApp.class);
    public static final String PROBLEM_TYPE_BASE = "https://fanzfinance.dev/problems/";
    private static final String REQUEST_ID_ATTRIBUTE = "fanz.request-id";
    private static final String STARTED_ATTRIBUTE = "fanz.started";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final String name;
    private final Javalin app;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> routeTable = ConcurrentHashMap.newKeySet();

    /**
     * A service named {@code name} (its OpenAPI document is the resource {@code /openapi/<name>.json}) on
     * {@code host:port} (0: any free port) taking bodies up to {@code maxBodyBytes}; {@code routes} adds its own.
     */
    public ServiceApp(String name, String host, int port, long maxBodyBytes, Consumer<RoutesConfig> routes) {
        this.name = name;
        byte[] openApi = resource("/openapi/" + name + ".json");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.http.generateEtags = false;
            config.router.ignoreTrailingSlashes = true;
            config.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    routeTable.add(meta.getHttpMethod().name() + " " + meta.getPath());
                }
            });
            RoutesConfig r = config.routes;
            r.before(ServiceApp::started);
            r.get("/health", ctx -> Json.answer(ctx, 200, Map.of("status", "up", "service", name)));
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            routes.accept(r);
            r.after(this::answered);
            r.exception(Problem.class, (problem, ctx) -> respond(ctx, problem));
            r.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, httpProblem(e)));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.atError().addKeyValue("request_id", requestId(ctx)).setCause(e)
                    .log("{}: unexpected failure in {} {}", name, ctx.method(), ctx.path());
                respond(ctx, new Problem(500, "internal-error", "Internal server error",
                    "an unexpected error occurred; see the service log for request " + requestId(ctx), null));
            });
        });
    }

    public ServiceApp start() {
        app.start();
        LOG.info("{} listening on port {}", name, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    public String name() {
        return name;
    }

    /** Every route, as {@code "METHOD /path/{param}"}. */
    public Set<String> routes() {
        return Set.copyOf(routeTable);
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        app.stop();
        metrics.close();
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        return id == null ? "-" : id;
    }

    private static void started(Context ctx) {
        String id = ctx.header("X-Request-Id");
        if (id == null || !REQUEST_ID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
        ctx.attribute(STARTED_ATTRIBUTE, System.nanoTime());
        ctx.header("X-Request-Id", id);
    }

    private void answered(Context ctx) {
        Long started = ctx.attribute(STARTED_ATTRIBUTE);
        if (started == null) {
            return;
        }
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        Timer.builder("fanz.platform.http.requests").tag("service", name).tag("method", ctx.method().name())
            .tag("route", route).tag("status", Integer.toString(ctx.statusCode()))
            .register(metrics).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Problem httpProblem(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> Problem.notFound("no such route");
            case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", "this route does not take that method", null);
            case 413 -> new Problem(413, "body-too-large", "Payload too large", "the body is over the service's limit", null);
            default -> new Problem(e.getStatus(), "http-error", "HTTP error", e.getMessage(), null);
        };
    }

    /** Answers {@code problem} as {@code application/problem+json}. */
    public static void respond(Context ctx, Problem problem) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", PROBLEM_TYPE_BASE + problem.type());
        doc.put("title", problem.title());
        doc.put("status", problem.status());
        doc.put("detail", problem.getMessage());
        doc.put("instance", ctx.path());
        if (problem.pointer() != null) {
            doc.put("pointer", problem.pointer());
        }
        doc.put("request_id", requestId(ctx));
        doc.putAll(problem.extensions());
        if (problem.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        try {
            ctx.status(problem.status()).contentType("application/problem+json").result(Json.MAPPER.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = ServiceApp.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
