package com.fanzfinance.platform.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A platform service's own access token, from the identity service's token endpoint with its service key
 * (OAuth 2.0 client credentials: {@code client_id} = the service's name, {@code client_secret} = its key).
 * Cached until a minute before it expires (half its lifetime if that is shorter), then refreshed by one caller
 * at a time: readers of a cached token never wait, and while a refresh is under way the others keep using the
 * cached token as long as it has not expired (only once it has do they wait for the refresh, at most
 * 10 s). A refresh that fails (identity down or refusing) leaves the cached token in use
 * until it expires, and the token endpoint is not asked again for 5 s: meanwhile a caller
 * without a valid token gets the failure at once. A callee that answers 401 to a token has it dropped with
 * {@link #invalidate}. An answer without {@code access_token} or without a positive {@code expires_in} is
 * refused, never cached. The key is never logged or put into an error.
 */
public final class ServiceTokens {
    private static final long LOCK_WAIT_SECONDS = 10;
    private static final long BACK_OFF_SECONDS = 5;

    private final URI tokenEndpoint;
    private final String service;
    private final String serviceKey;
    private final HttpClient http;
    private final Clock clock;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();
    private final ReentrantLock refreshing = new ReentrantLock();

    /** A token, when to refresh it and when it expires. */
    private record Cached(String token, Instant refreshAt, Instant expiresAt) {
        boolean fresh(Instant now) {
            return now.isBefore(refreshAt);
        }

        boolean valid(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /** Why the last fetch failed, and when the token endpoint may be asked again. */
    private record Failure(String reason, Instant retryAt) {
    }

    public ServiceTokens(URI identityUrl, String service, String serviceKey, HttpClient http, Clock clock) {
        this.tokenEndpoint = identityUrl.resolve("/oauth/token");
        this.service = service;
        this.serviceKey = serviceKey;
        this.http = http;
        this.clock = clock;
    }

    /** A valid token for calls to the other services. */
    public String token() {
        Cached current = cached.get();
        Instant now = clock.instant();
        if (current != null && current.fresh(now)) {
            return current.token();
        }
        boolean valid = current != null && current.valid(now);
        String backingOff = duringBackOff(current, now);
        if (backingOff != null) {
            return backingOff;
        }
        if (!lock(valid)) {
            if (valid) {
                return current.token();
            }
            throw new IllegalStateException("waited " + LOCK_WAIT_SECONDS + " s in vain for another caller's refresh "
                + "of the token of service '" + service + "'");
        }
        try {
            Cached latest = cached.get();
            now = clock.instant();
            if (latest != null && latest.fresh(now)) {
                return latest.token();
            }
            backingOff = duringBackOff(latest, now);
            if (backingOff != null) {
                return backingOff;
            }
            Cached fresh;
            try {
                fresh = fetch();
            } catch (RuntimeException e) {
                lastFailure.set(new Failure(e.getMessage(), clock.instant().plusSeconds(BACK_OFF_SECONDS)));
                if (latest != null && latest.valid(clock.instant())) {
                    return latest.token();
                }
                throw e;
            }
            cached.set(fresh);
            lastFailure.set(null);
            return fresh.token();
        } finally {
            refreshing.unlock();
        }
    }

    /**
     * While the last fetch's back-off lasts: {@code current}'s token if it is still valid, else the failure;
     * null when the token endpoint may be asked.
     */
    private String duringBackOff(Cached current, Instant now) {
        Failure failure = lastFailure.get();
        if (failure == null || !now.isBefore(failure.retryAt())) {
            return null;
        }
        if (current != null && current.valid(now)) {
            return current.token();
        }
        throw new IllegalStateException(failure.reason() + " (not asked again before " + failure.retryAt() + ")");
    }

    /** Takes the refresh lock: at once or not at all while {@code haveValid}, else waiting a bounded time. */
    private boolean lock(boolean haveValid) {
        if (haveValid) {
            return refreshing.tryLock();
        }
        try {
            return refreshing.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a service token refresh", e);
        }
    }

    /**
     * Drops {@code token} (a callee answered 401 to it: revoked, or signed with a key it no longer trusts), so
     * that the next {@link #token} gets a new one. A token other than the cached one changes nothing.
     */
    public void invalidate(String token) {
        Cached current = cached.get();
        if (current != null && current.token().equals(token)) {
            cached.compareAndSet(current, null);
        }
    }

    private Cached fetch() {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
            + "&client_secret=" + URLEncoder.encode(serviceKey, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the identity service cannot be reached for a service token", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting a service token", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the identity service refused service '" + service + "' a token: HTTP "
                + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the identity service's token answer is not JSON", e);
        }
        JsonNode token = answer == null ? null : answer.get("access_token");
        JsonNode expiresIn = answer == null ? null : answer.get("expires_in");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new IllegalStateException("the identity service's token answer has no access_token");
        }
        if (expiresIn == null || !expiresIn.isIntegralNumber() || !expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) {
            throw new IllegalStateException("the identity service's token answer has no positive expires_in");
        }
        Instant now = clock.instant();
        long lifetime = expiresIn.asLong();
        return new Cached(token.asText(), now.plusSeconds(Math.max(lifetime - 60, lifetime / 2)), now.plusSeconds(lifetime));
    }

    @Override
    public String toString() {
        return "ServiceTokens[" + service + " at " + tokenEndpoint + "]";
    }
}
