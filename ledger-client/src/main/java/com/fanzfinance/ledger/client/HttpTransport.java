package com.fanzfinance.ledger.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Sends a request until it has a final answer. A request is tried again — the same request, byte for
 * byte, with the same {@code X-Request-Id} — after an I/O failure (no connection, reset, timeout) and
 * after a 503 or 504, at most {@link RetryPolicy#maxAttempts()} times in all. That is safe because
 * every write names its events by id: an event that an earlier try created answers {@code exists}.
 * Any other answer is final; a 4xx in particular is never tried again, since nothing of it was applied
 * and the same bytes would be refused the same way.
 */
final class HttpTransport {
    /** Where the next try runs: after the given wait. Tests substitute one that records the waits. */
    interface Delays {
        Executor after(long delayMillis);
    }

    private final HttpClient http;
    private final RetryPolicy retries;
    private final Delays delays;

    HttpTransport(HttpClient http, RetryPolicy retries, Delays delays) {
        this.http = http;
        this.retries = retries;
        this.delays = delays;
    }

    /**
     * The 2xx answer to {@code request}; otherwise fails with a {@link LedgerProblemException} (an error
     * answer) or an {@link UncheckedIOException} (the last try's I/O failure).
     */
    CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest request) {
        return attempt(request, 1);
    }

    private CompletableFuture<HttpResponse<byte[]>> attempt(HttpRequest request, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
            .handle((response, failure) -> failure == null ? answered(request, attempt, response)
                : failed(request, attempt, failure))
            .thenCompose(Function.identity());
    }

    private CompletableFuture<HttpResponse<byte[]>> answered(HttpRequest request, int attempt,
                                                             HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return CompletableFuture.completedFuture(response);
        }
        LedgerProblemException problem = JsonResponseReader.problem(status,
            response.headers().firstValue("Content-Type").orElse(null),
            response.headers().firstValue(WireFormat.REQUEST_ID_HEADER).orElse(null), response.body());
        if (problem.isRetryable() && retries.mayRetryAfter(attempt)) {
            return retryLater(request, attempt, response.headers().firstValue("Retry-After").orElse(null));
        }
        return CompletableFuture.failedFuture(problem);
    }

    private CompletableFuture<HttpResponse<byte[]>> failed(HttpRequest request, int attempt, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof IOException io)) {
            return CompletableFuture.failedFuture(cause);
        }
        if (retries.mayRetryAfter(attempt)) {
            return retryLater(request, attempt, null);
        }
        return CompletableFuture.failedFuture(new UncheckedIOException(request.method() + " " + request.uri()
            + " failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + io, io));
    }

    private CompletableFuture<HttpResponse<byte[]>> retryLater(HttpRequest request, int attempt, String retryAfter) {
        long delayMillis = retries.delayMillis(attempt, retryAfter);
        return CompletableFuture.runAsync(() -> { }, delays.after(delayMillis))
            .thenCompose(ignored -> attempt(request, attempt + 1));
    }
}
