package com.fanzfinance.server.payments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.gateway.ProviderRequest;
import com.fanzfinance.gateway.ProviderResponse;
import com.fanzfinance.server.http.Problem;

/**
 * Calls to processors' APIs (creating invoices). Never retried blindly: a timeout is 504 {@code provider-timeout},
 * an unusable answer 502 {@code provider-error}. Credential headers are never logged.
 */
public final class ProviderCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int ANSWER_MAX_BYTES = 1 << 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    private final boolean enabled;

    public ProviderCalls(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    public ProviderResponse call(ProviderRequest request) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(request.url())).timeout(TIMEOUT)
                .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        } catch (IllegalArgumentException e) {
            throw new Problem(502, "provider-error", "Bad gateway", "the processor API URL is not usable: " + e.getMessage(), null);
        }
        request.headers().forEach(builder::header);
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            if (body.length > ANSWER_MAX_BYTES) {
                throw new Problem(502, "provider-error", "Bad gateway", "the processor's answer is over 1 MiB", null);
            }
            return new ProviderResponse(response.statusCode(), new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            LOG.warn("processor API {} {} timed out", request.method(), request.url());
            throw new Problem(504, "provider-timeout", "Gateway timeout", "the processor's API did not answer in time; "
                + "nothing was created here", null);
        } catch (IOException e) {
            LOG.warn("processor API {} {} failed: {}", request.method(), request.url(), e.toString());
            throw new Problem(502, "provider-error", "Bad gateway", "the processor's API cannot be reached: "
                + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "unavailable", "Service unavailable", "interrupted", null);
        }
    }
}
