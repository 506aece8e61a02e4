package com.fanzfinance.platform.common;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.javalin.http.Context;

/**
 * Checks the identity service's access tokens: JWS RS256 with header {@code typ: at+jwt}, signed by a key of
 * the identity service's JWKS (fetched and cached; a token naming a key not yet seen refetches it, so key
 * rotation needs no restart), issuer and audience as configured, not expired (60 s clock skew), with
 * {@code sub}, {@code tenant}, {@code roles} and {@code jti}. The result is the {@link Caller}.
 */
public final class TokenVerifier {
    /** The {@code typ} of an access token (RFC 9068). */
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    public static final String AUDIENCE = "fanz-platform";
    private static final String CALLER_ATTRIBUTE = "fanz.caller";
    private static final int TOKEN_CHARS_MAX = 8192;

    private final ConfigurableJWTProcessor<SecurityContext> processor;

    public TokenVerifier(JWKSource<SecurityContext> keys, String issuer) {
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCESS_TOKEN_TYPE));
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
            new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti", "tenant", "roles")));
        this.processor = jwt;
    }

    /** A verifier that reads the keys from the identity service's {@code /.well-known/jwks.json} at {@code identityUrl}. */
    public static TokenVerifier remote(URI identityUrl, String issuer) {
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder
                .create(identityUrl.resolve("/.well-known/jwks.json").toURL())
                .retrying(true)
                // No refresh-ahead: it runs on a thread of its own that nothing would stop. The cache still
                // refetches on expiry and on a key id not seen yet (at most every 30 s).
                .refreshAheadCache(false)
                .build();
            return new TokenVerifier(keys, issuer);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad identity URL " + identityUrl, e);
        }
    }

    /** The caller of {@code token}, or 401 {@code unauthorized} (the reason stays in the detail, never the token). */
    public Caller verify(String token) {
        if (token == null || token.isEmpty() || token.length() > TOKEN_CHARS_MAX) {
            throw Problem.unauthorized("a bearer token is required");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw Problem.unauthorized("the bearer token is not a JWT");
        } catch (BadJOSEException e) {
            throw Problem.unauthorized("the bearer token is not valid: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            // A key id not in the published set, asked again within the refetch limit: not a key of the identity
            // service (a forged or foreign token), so the token is refused, not the service made unavailable.
            throw Problem.unauthorized("the bearer token is signed by a key the identity service does not publish");
        } catch (JOSEException e) {
            throw Problem.unavailable("identity-unavailable", "the identity service's keys cannot be read: "
                + e.getMessage(), 5);
        }
        try {
            String tenant = claims.getStringClaim("tenant");
            List<String> roles = claims.getStringListClaim("roles");
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = new HashSet<>();
            if (scope != null && !scope.isBlank()) {
                scopes.addAll(List.of(scope.trim().split(" +")));
            }
            if (tenant == null || roles == null) {
                throw Problem.unauthorized("the bearer token lacks its tenant or roles");
            }
            return new Caller(claims.getSubject(), tenant, Set.copyOf(roles), scopes, claims.getJWTID());
        } catch (ParseException e) {
            throw Problem.unauthorized("the bearer token's claims are malformed");
        }
    }

    /** The request's caller from {@code Authorization: Bearer <token>} (verified once per request). */
    public Caller caller(Context ctx) {
        Caller known = ctx.attribute(CALLER_ATTRIBUTE);
        if (known != null) {
            return known;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw Problem.unauthorized("a bearer token from the identity service is required");
        }
        Caller caller = verify(header.substring(7).trim());
        ctx.attribute(CALLER_ATTRIBUTE, caller);
        return caller;
    }
}
