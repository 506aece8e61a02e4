package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.WireFormat.PROBLEM_JSON;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answer to a request it could not hand to the application — one whose head was still arriving when
 * its connection was closed, or that was malformed — while the server stops: a 503 {@code unavailable} problem,
 * like every other request then, instead of Jetty's 500 page. Closing the listener closes the connections it holds,
 * and Jetty answers a request cut short that way as a failure of the server ({@code EofException}, 500), which a
 * client would take for a defect rather than a stop to retry elsewhere. At other times Jetty's answers stand.
 */
final class StoppingErrorHandler extends ErrorHandler {
    private final BooleanSupplier stopping;

    StoppingErrorHandler(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!stopping.getAsBoolean()) {
            return super.handle(request, response, callback);
        }
        byte[] body = JsonResponses.problem(new Problem(503, "unavailable", "Service unavailable",
            "the server is shutting down; retry on another instance or later", null), null, null);
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
