package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The identity service's published signing keys (its JWKS), fetched over HTTP and cached by key id. A token naming
 * a key id not in the cache refetches the set, but at most once per {@link #REFETCH_INTERVAL}: a stream of tokens
 * with made-up key ids costs the identity service one request per 30 s, not one per token. The set is also
 * refetched when it is older than {@link #MAX_AGE}, so a key the identity service withdrew stops working; if that
 * refetch fails the keys already known stay in use (the tokens they verify expire within the hour anyway). A fetch
 * waits at most {@link #FETCH_TIMEOUT} and reads at most {@link #MAX_BYTES}; only RSA keys for signatures (RS256, at
 * least 2048 bits) are taken.
 */
public final class IdentityKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityKeys.class);
    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 64 * 1024;
    private static final int MIN_RSA_BITS = 2048;

    private final URI jwksUrl;
    private final LongSupplier clockNanos;
    private final HttpClient http;
    /** The keys by id, replaced whole on each successful fetch. */
    private volatile Map<String, RSAKey> keys = Map.of();
    private volatile long fetchedAtNanos;
    private volatile boolean fetched;
    private long lastAttemptNanos;
    private boolean attempted;

    /** Keys read from {@code jwksUrl}, with time from {@code clockNanos} ({@link System#nanoTime} in the server). */
    public IdentityKeys(URI jwksUrl, LongSupplier clockNanos) {
        this.jwksUrl = jwksUrl;
        this.clockNanos = clockNanos;
        this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    /**
     * The published key {@code kid}, or null if the identity service does not publish it (after a refetch, when one
     * is allowed now). Throws {@link IdentityUnavailableException} when the key is unknown and the fetch allowed now
     * failed, or when no fetch has succeeded yet and the next is not allowed yet.
     */
    public RSAKey key(String kid) {
        RSAKey known = keys.get(kid);
        if (known != null && fetched && !isStale(clockNanos.getAsLong())) {
            return known;
        }
        return refreshAndFind(kid);
    }

    private synchronized RSAKey refreshAndFind(String kid) {
        long now = clockNanos.getAsLong();
        RSAKey known = keys.get(kid);
        boolean needed = known == null || !fetched || isStale(now);
        if (!needed) {
            return known;
        }
        if (!attemptAllowed(now)) {
            if (!fetched) {
                throw new IdentityUnavailableException("the last fetch of the JWKS failed; the next is allowed "
                    + REFETCH_INTERVAL.toSeconds() + " s after it");
            }
            return known;
        }
        attempted = true;
        lastAttemptNanos = now;
        try {
            keys = fetch();
            fetched = true;
            fetchedAtNanos = now;
        } catch (IdentityUnavailableException e) {
            if (known != null) {
                LOG.warn("cannot refresh the identity service's keys from {} ({}); the keys known stay in use", jwksUrl,
                    e.getMessage());
                return known;
            }
            throw e;
        }
        return keys.get(kid);
    }

    private boolean isStale(long now) {
        return now - fetchedAtNanos > MAX_AGE.toNanos();
    }

    private boolean attemptAllowed(long now) {
        return !attempted || now - lastAttemptNanos >= REFETCH_INTERVAL.toNanos();
    }

    private Map<String, RSAKey> fetch() {
        HttpRequest request = HttpRequest.newBuilder(jwksUrl).timeout(FETCH_TIMEOUT).header("Accept", "application/json")
            .GET().build();
        String body;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IdentityUnavailableException("the JWKS answered HTTP " + response.statusCode());
                }
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IdentityUnavailableException("the JWKS is larger than " + MAX_BYTES + " bytes");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IdentityUnavailableException("the JWKS cannot be fetched: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityUnavailableException("interrupted while fetching the JWKS");
        }
        return signingKeys(body);
    }

    private static Map<String, RSAKey> signingKeys(String body) {
        JWKSet set;
        try {
            set = JWKSet.parse(body);
        } catch (ParseException e) {
            throw new IdentityUnavailableException("the JWKS is not a JWK set");
        }
        Map<String, RSAKey> found = new HashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk instanceof RSAKey rsa && rsa.getKeyID() != null && isForRs256Signatures(rsa)) {
                found.putIfAbsent(rsa.getKeyID(), rsa.toPublicJWK());
            }
        }
        return Map.copyOf(found);
    }

    private static boolean isForRs256Signatures(RSAKey key) {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        if (key.getAlgorithm() != null && !JWSAlgorithm.RS256.equals(key.getAlgorithm())) {
            return false;
        }
        try {
            return key.toRSAPublicKey().getModulus().bitLength() >= MIN_RSA_BITS;
        } catch (JOSEException e) {
            return false;
        }
    }
}
