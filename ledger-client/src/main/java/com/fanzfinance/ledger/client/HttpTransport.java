package com.fanzfinance.ledger.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Sends a request until it has a final answer or its deadline passes. A request is tried again — the
 * same request, byte for byte, with the same {@code X-Request-Id} — after an I/O failure (no connection,
 * reset, timeout) and after a 503 or 504, at most {@link RetryPolicy#maxAttempts()} times in all. That is
 * safe because every write names its events by id: an event that an earlier try created answers
 * {@code exists}. Any other answer is final; a 4xx in particular is never tried again, since nothing of
 * it was applied and the same bytes would be refused the same way.
 *
 * <p>No try outlives the call's {@link Deadline}: each gets at most the time left, none starts after it,
 * and a wait that would end past it ends the call with a {@link LedgerTimeoutException} instead. When the
 * call's future is completed from outside (its deadline fired, or the client closed), the try in flight is
 * cancelled and no further one starts.
 *
 * <p>With several servers of one clustered ledger ({@link LedgerClient.Builder#failoverUrls}), requests go to
 * the current one; a try that cannot reach it (an I/O failure) or finds it unavailable (503) moves the
 * client to the next server before the request is tried again.
 */
final class HttpTransport {
    /** Where the next try runs: after the given wait. Tests substitute one that records the waits. */
    interface Delays {
        Executor after(long delayMillis);
    }

    private final Exchanges exchanges;
    private final RetryPolicy retries;
    private final Delays delays;
    private final String primary;
    private final java.util.List<String> servers;
    private final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();

    HttpTransport(Exchanges exchanges, RetryPolicy retries, Delays delays) {
        this(exchanges, retries, delays, null, java.util.List.of());
    }

    /**
     * @param primary the base URL requests are built on
     * @param servers every server's base URL, the primary first (one: no failover)
     */
    HttpTransport(Exchanges exchanges, RetryPolicy retries, Delays delays, String primary,
                  java.util.List<String> servers) {
        this.exchanges = exchanges;
        this.retries = retries;
        this.delays = delays;
        this.primary = primary;
        this.servers = java.util.List.copyOf(servers);
    }

    /** The request aimed at server {@code index} instead of the primary. */
    private HttpRequest on(HttpRequest request, int index) {
        if (servers.size() < 2 || index == 0) {
            return request;
        }
        String uri = request.uri().toString();
        if (!uri.startsWith(primary)) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
            .uri(java.net.URI.create(servers.get(index) + uri.substring(primary.length()))).build();
    }

    /** Moves on from server {@code index} (if no other try has moved on already). */
    private void failOver(int index) {
        if (servers.size() > 1) {
            current.compareAndSet(index, (index + 1) % servers.size());
        }
    }

    /**
     * Completes {@code answer} with the 2xx answer to {@code request} (whose body, if any, is {@code body});
     * otherwise fails it with a {@link LedgerProblemException} (an error answer), an {@link UncheckedIOException}
     * (the last try's I/O failure) or a {@link LedgerTimeoutException} (the deadline passed first).
     */
    void exchange(HttpRequest request, byte[] body, Deadline deadline, CompletableFuture<HttpResponse<byte[]>> answer) {
        attempt(new Call(request, body, deadline, answer), 1);
    }

    /** One logical request and the future its caller waits on. */
    private record Call(HttpRequest request, byte[] body, Deadline deadline,
                        CompletableFuture<HttpResponse<byte[]>> answer) {
        String name() {
            return request.method() + " " + request.uri().getPath();
        }

        void timedOut(int attemptsMade, Throwable lastFailure) {
            String why = attemptsMade + (attemptsMade == 1 ? " attempt" : " attempts") + " made"
                + (lastFailure == null ? "" : ", the last: " + lastFailure);
            answer.completeExceptionally(new LedgerTimeoutException(name(), deadline.timeout(), why));
        }
    }

    private void attempt(Call call, int attempt) {
        if (call.answer().isDone()) {
            return;
        }
        long remainingNanos = call.deadline().remainingNanos();
        if (remainingNanos <= 0) {
            call.timedOut(attempt - 1, null);
            return;
        }
        CompletableFuture<HttpResponse<byte[]>> sent;
        int server = current.get();
        try {
            sent = exchanges.send(withinDeadline(on(call.request(), server), remainingNanos), call.body());
        } catch (Throwable e) {
            call.answer().completeExceptionally(e);
            return;
        }
        call.answer().whenComplete((ignored, failure) -> sent.cancel(true));
        sent.whenComplete((response, failure) -> {
            try {
                if (failure == null) {
                    if (response.statusCode() == 503) {
                        failOver(server);
                    }
                    answered(call, attempt, response);
                } else {
                    if (failure instanceof IOException || failure.getCause() instanceof IOException) {
                        failOver(server);
                    }
                    failed(call, attempt, failure);
                }
            } catch (Throwable e) {
                call.answer().completeExceptionally(e);
            }
        });
    }

    /** The request with its timeout cut to the time left, if that is shorter. */
    private static HttpRequest withinDeadline(HttpRequest request, long remainingNanos) {
        Duration remaining = Duration.ofNanos(remainingNanos);
        if (request.timeout().map(timeout -> timeout.compareTo(remaining) <= 0).orElse(false)) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).timeout(remaining).build();
    }

    private void answered(Call call, int attempt, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            call.answer().complete(response);
            return;
        }
        LedgerProblemException problem = JsonResponseReader.problem(status,
            response.headers().firstValue("Content-Type").orElse(null),
            response.headers().firstValue(WireFormat.REQUEST_ID_HEADER).orElse(null), response.body());
        if (problem.isRetryable() && retries.mayRetryAfter(attempt)) {
            retryLater(call, attempt, problem, response.headers().firstValue("Retry-After").orElse(null));
        } else {
            call.answer().completeExceptionally(problem);
        }
    }

    private void failed(Call call, int attempt, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof IOException io)) {
            call.answer().completeExceptionally(cause);
        } else if (io instanceof HttpTimeoutException && call.deadline().remainingNanos() <= 0) {
            call.timedOut(attempt, io);
        } else if (retries.mayRetryAfter(attempt)) {
            retryLater(call, attempt, io, null);
        } else {
            call.answer().completeExceptionally(new UncheckedIOException(call.request().method() + " "
                + call.request().uri() + " failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ")
                + io, io));
        }
    }

    private void retryLater(Call call, int attempt, Throwable failure, String retryAfter) {
        long delayMillis = retries.delayMillis(attempt, retryAfter);
        if (TimeUnit.MILLISECONDS.toNanos(delayMillis) >= call.deadline().remainingNanos()) {
            call.timedOut(attempt, failure);
            return;
        }
        try {
            delays.after(delayMillis).execute(() -> attempt(call, attempt + 1));
        } catch (Throwable e) {
            call.answer().completeExceptionally(e);
        }
    }
}
