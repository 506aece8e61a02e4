package com.fanzfinance.server.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks the identity service's access tokens, as its own services do: a JWS signed RS256 (nothing else: no
 * {@code none}, no HMAC whose secret could be the public key) by a key of its JWKS named by {@code kid}, header
 * {@code typ: at+jwt}, issuer and audience as configured, not expired, not issued or valid only in the future (60 s
 * of clock skew either way), living at most a day, with {@code sub}, {@code jti}, {@code tenant} (a brand slug) and
 * {@code roles}. The token itself never appears in a message.
 */
public final class IdentityTokens {
    /** The {@code typ} of an access token (RFC 9068). */
    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final Duration LONGEST_LIFETIME = Duration.ofDays(1);
    static final int TOKEN_CHARS_MAX = 8192;
    /** What a subject may look like: the identity service's ids are UUIDs; this keeps key ids and logs clean. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int EMAIL_MAX = 254;

    /** The token is not one of the identity service's valid access tokens; the message says why. */
    public static final class InvalidTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message);
        }
    }

    private final IdentityKeys keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public IdentityTokens(IdentityKeys keys, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** True when {@code bearer} has the shape of a compact JWS (three base64url parts), so is worth verifying. */
    public static boolean looksLikeJwt(String bearer) {
        return bearer.length() <= TOKEN_CHARS_MAX && COMPACT_JWS.matcher(bearer).matches();
    }

    /**
     * The person {@code token} describes. Throws {@link InvalidTokenException} when it is not valid, and
     * {@link IdentityUnavailableException} when the identity service's keys cannot be read to tell.
     */
    public SsoPerson verify(String token) {
        if (token == null || !looksLikeJwt(token)) {
            throw new InvalidTokenException("the token is not a compact JWS");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("the token is not a signed JWT");
        }
        RSAKey key = signingKey(jwt.getHeader());
        verifySignature(jwt, key);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("the token's claims are not a JSON object");
        }
        return person(claims);
    }

    private RSAKey signingKey(JWSHeader header) {
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("the token is signed with " + header.getAlgorithm() + "; only RS256 is accepted");
        }
        if (!ACCESS_TOKEN_TYPE.equals(header.getType())) {
            throw new InvalidTokenException("the token's typ is not at+jwt: it is not an access token");
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw new InvalidTokenException("the token names no signing key (kid)");
        }
        RSAKey key = keys.key(kid);
        if (key == null) {
            throw new InvalidTokenException("the token is signed by a key the identity service does not publish");
        }
        return key;
    }

    private static void verifySignature(SignedJWT jwt, RSAKey key) {
        boolean valid;
        try {
            valid = jwt.verify(new RSASSAVerifier(key));
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidTokenException("the token's signature does not verify");
        }
    }

    private SsoPerson person(JWTClaimsSet claims) {
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException("the token's issuer is not " + issuer);
        }
        List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            throw new InvalidTokenException("the token is not for audience " + audience);
        }
        Instant[] validity = validity(claims);
        String subject = claims.getSubject();
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw new InvalidTokenException("the token's subject (sub) is missing or malformed");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw new InvalidTokenException("the token has no jti");
        }
        try {
            String tenant = claims.getStringClaim("tenant");
            if (tenant == null || !TenantRegistry.isValidSlug(tenant)) {
                throw new InvalidTokenException("the token's tenant is missing or not a brand slug");
            }
            List<String> roles = claims.getStringListClaim("roles");
            if (roles == null) {
                throw new InvalidTokenException("the token has no roles");
            }
            String email = claims.getStringClaim("email");
            if (email != null && (email.length() > EMAIL_MAX || !email.chars().allMatch(c -> c > 0x20 && c != 0x7F))) {
                throw new InvalidTokenException("the token's email is malformed");
            }
            return new SsoPerson(subject, email, tenant, Set.copyOf(roles), validity[0], validity[1]);
        } catch (ParseException e) {
            throw new InvalidTokenException("the token's tenant, roles or email are of the wrong type");
        }
    }

    /** {@code [iat, exp]} once they make sense now: issued, not before, and expiry each within the clock skew. */
    private Instant[] validity(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        Date issued = claims.getIssueTime();
        if (expires == null || issued == null) {
            throw new InvalidTokenException("the token lacks exp or iat");
        }
        if (now.isAfter(expires.toInstant().plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the token expired at " + expires.toInstant());
        }
        if (issued.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the token is issued in the future");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the token is not valid before " + notBefore.toInstant());
        }
        if (!expires.after(issued) || Duration.between(issued.toInstant(), expires.toInstant()).compareTo(LONGEST_LIFETIME) > 0) {
            throw new InvalidTokenException("the token's lifetime (iat to exp) is not between 0 and a day");
        }
        return new Instant[] {issued.toInstant(), expires.toInstant()};
    }
}
