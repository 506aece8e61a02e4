package com.fanzfinance.platform.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.platform.common.TokenVerifier;

/**
 * Access tokens for testing a service without the identity service: an RSA key of its own, published as a
 * JWKS on a loopback HTTP server (the path the identity service uses), and tokens minted with exactly the
 * claims the identity service puts in (so {@link TokenVerifier#remote} accepts them). Point a service at it
 * with {@code FANZ_IDENTITY_URL = identityUrl()} and {@code FANZ_TOKEN_ISSUER = ISSUER}.
 */
public final class TestTokens implements AutoCloseable {
    public static final String ISSUER = "fanz-identity-test";

    private final RSAKey key;
    private final HttpServer server;

    public TestTokens() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    public URI identityUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A person's token on {@code tenant} with {@code roles} (subject: a platform user id). */
    public String person(String subject, String tenant, String... roles) {
        return sign(new JWTClaimsSet.Builder().subject(subject).claim("tenant", tenant).claim("roles", List.of(roles))
            .claim("email", subject + "@example.test"), 900);
    }

    /** A platform service's token with {@code scopes}. */
    public String service(String name, String... scopes) {
        return sign(new JWTClaimsSet.Builder().subject("service:" + name).claim("tenant", "*")
            .claim("roles", List.of("service")).claim("scope", String.join(" ", scopes)), 900);
    }

    /** A person's token that expired {@code secondsAgo} seconds ago. */
    public String expired(String subject, String tenant, long secondsAgo, String... roles) {
        return sign(new JWTClaimsSet.Builder().subject(subject).claim("tenant", tenant).claim("roles", List.of(roles)),
            -secondsAgo);
    }

    private String sign(JWTClaimsSet.Builder claims, long ttlSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet set = claims.issuer(ISSUER).audience(TokenVerifier.AUDIENCE).jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now.minusSeconds(ttlSeconds < 0 ? 1000 : 0)))
            .expirationTime(Date.from(now.plusSeconds(ttlSeconds))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
            .type(TokenVerifier.ACCESS_TOKEN_TYPE).build(), set);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
