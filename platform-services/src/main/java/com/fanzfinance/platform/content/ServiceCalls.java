package com.fanzfinance.platform.content;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceTokens;

/**
 * The content service's GET requests to another platform service with its own service token. A 401 answer
 * means the callee no longer takes the cached token (revoked, or signed with a retired key): the token is
 * dropped and the request made once more with a fresh one. No token, no connection or an interruption is the
 * caller's "unavailable" problem.
 */
final class ServiceCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCalls.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceTokens tokens;
    private final HttpClient http;

    ServiceCalls(ServiceTokens tokens, HttpClient http) {
        this.tokens = tokens;
        this.http = http;
    }

    /** The callee's answer to {@code GET uri}; {@code unavailable} makes the problem for a call that got none. */
    HttpResponse<byte[]> get(URI uri, String callee, Function<String, Problem> unavailable) {
        HttpResponse<byte[]> response = send(uri, callee, unavailable);
        if (response.statusCode() == 401) {
            LOG.info("the {} service refused the content service's token; retrying with a fresh one", callee);
            response = send(uri, callee, unavailable);
        }
        return response;
    }

    private HttpResponse<byte[]> send(URI uri, String callee, Function<String, Problem> unavailable) {
        String token;
        try {
            token = tokens.token();
        } catch (RuntimeException e) {
            LOG.warn("no service token for a call to the {} service: {}", callee, e.getMessage());
            throw unavailable.apply("the content service cannot get its service token from the identity service");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
            .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401) {
                tokens.invalidate(token);
            }
            return response;
        } catch (IOException e) {
            LOG.warn("the {} service cannot be reached: {}", callee, e.toString());
            throw unavailable.apply("the " + callee + " service cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply("interrupted while asking the " + callee + " service");
        }
    }
}
