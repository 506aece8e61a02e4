package com.fanzfinance.server.http;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import jakarta.servlet.http.HttpServletRequest;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.metrics.ServerMetrics;

/**
 * Sees every request from the moment Jetty hands it to the application until Jetty recycles it, however
 * it ends — answered, failed, or abandoned by its client mid-body or mid-answer — so that the count of
 * requests in flight (which a graceful stop waits for) and the access log cannot miss one. Javalin's own
 * request logger is skipped when writing the answer fails, which is why this lives at Jetty's level.
 *
 * <p>The route handlers leave what the log needs as request attributes: the request id, the API key,
 * the route template and the problem type of a refused request.
 */
final class RequestLifecycle extends EventsHandler {
    static final String REQUEST_ID_ATTRIBUTE = "fanz.request-id";
    static final String ROUTE_ATTRIBUTE = "fanz.route";
    static final String PROBLEM_ATTRIBUTE = "fanz.problem";
    private static final String STARTED_ATTRIBUTE = "fanz.started-nanos";
    private static final String RECORDED_ATTRIBUTE = "fanz.metrics-recorded";
    private static final String ON_END_ATTRIBUTE = "fanz.on-end";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ServerMetrics metrics;
    private final AccessLog accessLog = new AccessLog();

    RequestLifecycle(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Requests taken and not yet ended. */
    int inFlight() {
        return inFlight.get();
    }

    /** Runs {@code action} once the request has ended, however it ends (one action per request). */
    static void onEnd(Context ctx, Runnable action) {
        if (ctx.attribute(ON_END_ATTRIBUTE) != null) {
            throw new IllegalStateException("a request has one end action");
        }
        ctx.attribute(ON_END_ATTRIBUTE, action);
    }

    @Override
    protected void onBeforeHandling(Request request) {
        inFlight.incrementAndGet();
        request.setAttribute(STARTED_ATTRIBUTE, System.nanoTime());
    }

    /**
     * The answer is decided and about to be written (Javalin's after-handler): its latency and status go
     * to the metrics now, so a client that reads slowly does not count and a scrape right after the
     * answer already sees it. A request that never gets here (its client vanished first) is counted
     * when it ends.
     */
    void answered(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        ctx.attribute(ROUTE_ATTRIBUTE, endpoint == null ? "unmatched" : endpoint.path);
        recordMetrics(ctx.req(), ctx.method().name(), ctx.statusCode());
    }

    @Override
    protected void onComplete(Request request, int status, HttpFields headers, Throwable failure) {
        try {
            int logged = failure == null ? status : RequestBody.CLIENT_CLOSED;
            recordMetrics(request, logged);
            ApiKey key = (ApiKey) request.getAttribute(Authenticator.KEY_ATTRIBUTE);
            accessLog.record(new AccessLog.Entry(text(request, REQUEST_ID_ATTRIBUTE, "-"), request.getMethod(),
                Request.getPathInContext(request), logged, elapsedNanos(request), key == null ? null : key.id(),
                text(request, PROBLEM_ATTRIBUTE, null)));
        } finally {
            if (request.getAttribute(ON_END_ATTRIBUTE) instanceof Runnable action) {
                action.run();
            }
            inFlight.decrementAndGet();
        }
    }

    private void recordMetrics(Request request, int status) {
        if (request.getAttribute(RECORDED_ATTRIBUTE) == null) {
            request.setAttribute(RECORDED_ATTRIBUTE, Boolean.TRUE);
            metrics.recordRequest(request.getMethod(), text(request, ROUTE_ATTRIBUTE, "unmatched"), status,
                elapsedNanos(request));
        }
    }

    private void recordMetrics(HttpServletRequest request, String method, int status) {
        if (request.getAttribute(RECORDED_ATTRIBUTE) == null) {
            request.setAttribute(RECORDED_ATTRIBUTE, Boolean.TRUE);
            Object started = request.getAttribute(STARTED_ATTRIBUTE);
            long nanos = started instanceof Long at ? System.nanoTime() - at : 0;
            metrics.recordRequest(method, String.valueOf(request.getAttribute(ROUTE_ATTRIBUTE)), status, nanos);
        }
    }

    private static long elapsedNanos(Request request) {
        Object started = request.getAttribute(STARTED_ATTRIBUTE);
        return started instanceof Long nanos ? System.nanoTime() - nanos : 0;
    }

    private static String text(Request request, String name, String absent) {
        Object value = request.getAttribute(name);
        return value == null ? absent : value.toString();
    }
}
