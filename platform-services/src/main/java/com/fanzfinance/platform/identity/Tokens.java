package com.fanzfinance.platform.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

import com.fanzfinance.platform.common.TokenVerifier;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Makes access tokens (RFC 9068 shaped): JWS RS256 with header {@code typ: at+jwt} and the active key's
 * {@code kid}; claims {@code iss}, {@code aud} = {@link TokenVerifier#AUDIENCE}, {@code sub}, {@code tenant},
 * {@code roles}, {@code jti}, {@code iat}, {@code exp}, {@code auth_time}, and {@code email} for people or
 * {@code scope} for services. What {@link TokenVerifier} checks in every other service.
 */
final class Tokens {
    static final long DEFAULT_TTL_SECONDS = 900;
    static final long MAX_TTL_SECONDS = 3600;
    static final long MIN_TTL_SECONDS = 60;

    private final SigningKeys keys;
    private final String issuer;
    private final long ttlSeconds;
    private final Clock clock;

    /** A token as issued, with what the token endpoint answers besides it. */
    record Issued(String token, long expiresIn, String kid) {
    }

    /** What a token says about its holder. */
    record Grant(String subject, String tenant, Set<String> roles, String email, String scope, Instant authTime) {
    }

    Tokens(SigningKeys keys, String issuer, long ttlSeconds, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /** A token for {@code grant}, valid for the configured lifetime but never past {@code notAfter} (if given). */
    Issued issue(Grant grant, Instant notAfter) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expires = now.plusSeconds(ttlSeconds);
        if (notAfter != null && notAfter.isBefore(expires)) {
            expires = notAfter;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(TokenVerifier.AUDIENCE)
            .subject(grant.subject())
            .claim("tenant", grant.tenant())
            .claim("roles", new ArrayList<>(Roles.ordered(grant.roles())))
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .claim("auth_time", grant.authTime().getEpochSecond());
        if (grant.email() != null) {
            claims.claim("email", grant.email());
        }
        if (grant.scope() != null && !grant.scope().isEmpty()) {
            claims.claim("scope", grant.scope());
        }
        RSAKey key = keys.active();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(TokenVerifier.ACCESS_TOKEN_TYPE)
            .keyID(key.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token with key " + key.getKeyID(), e);
        }
        return new Issued(jwt.serialize(), Math.max(0, expires.getEpochSecond() - now.getEpochSecond()), key.getKeyID());
    }
}
