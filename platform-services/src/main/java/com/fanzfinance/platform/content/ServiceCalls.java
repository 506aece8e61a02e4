package com.fanzfinance.platform.content;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceTokens;

/**
 * The content service's GET requests to another platform service with its own service token. A 401 answer
 * means the callee no longer takes the cached token (revoked, or signed with a retired key): the token is
 * dropped and the request made once more with a fresh one. No token, no connection, no answer in time or an
 * interruption is the caller's "unavailable" problem. {@link #getAsync} makes the request without holding the
 * caller's thread (the token is taken on a thread of its own, as getting one may wait for the identity service).
 */
final class ServiceCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCalls.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceTokens tokens;
    private final HttpClient http;
    private final Executor tokenThreads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "content-service-token");
        thread.setDaemon(true);
        return thread;
    });

    ServiceCalls(ServiceTokens tokens, HttpClient http) {
        this.tokens = tokens;
        this.http = http;
    }

    /** The callee's answer to {@code GET uri}; {@code unavailable} makes the problem for a call that got none. */
    HttpResponse<byte[]> get(URI uri, String callee, Function<String, Problem> unavailable) {
        try {
            return getAsync(uri, callee, unavailable, TIMEOUT).get();
        } catch (ExecutionException e) {
            throw problem(e.getCause(), callee, unavailable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply("interrupted while asking the " + callee + " service");
        }
    }

    /**
     * {@code GET uri} without waiting: each request (the first, and the one after a 401) is given at most
     * {@code timeout} and the content service's default; completes with the answer or fails with the problem
     * {@code unavailable} makes.
     */
    CompletableFuture<HttpResponse<byte[]>> getAsync(URI uri, String callee, Function<String, Problem> unavailable,
            Duration timeout) {
        return send(uri, callee, unavailable, timeout).thenCompose(response -> {
            if (response.statusCode() != 401) {
                return CompletableFuture.completedFuture(response);
            }
            LOG.info("the {} service refused the content service's token; retrying with a fresh one", callee);
            return send(uri, callee, unavailable, timeout);
        });
    }

    /** The unavailable problem of a failed call: the problem itself, or one made for what went wrong. */
    static Problem problem(Throwable failure, String callee, Function<String, Problem> unavailable) {
        if (cause(failure) instanceof Problem problem) {
            return problem;
        }
        LOG.warn("a call to the {} service failed: {}", callee, cause(failure).toString());
        return unavailable.apply("the call to the " + callee + " service failed");
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private CompletableFuture<HttpResponse<byte[]>> send(URI uri, String callee, Function<String, Problem> unavailable,
            Duration timeout) {
        Duration limit = timeout.compareTo(TIMEOUT) < 0 ? timeout : TIMEOUT;
        return CompletableFuture.supplyAsync(() -> token(callee, unavailable), tokenThreads).thenCompose(token -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(limit).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
                if (failure != null) {
                    LOG.warn("the {} service cannot be reached: {}", callee, cause(failure).toString());
                    throw unavailable.apply("the " + callee + " service cannot be reached");
                }
                if (response.statusCode() == 401) {
                    tokens.invalidate(token);
                }
                return response;
            });
        });
    }

    private String token(String callee, Function<String, Problem> unavailable) {
        try {
            return tokens.token();
        } catch (RuntimeException e) {
            LOG.warn("no service token for a call to the {} service: {}", callee, e.getMessage());
            throw unavailable.apply("the content service cannot get its service token from the identity service");
        }
    }
}
