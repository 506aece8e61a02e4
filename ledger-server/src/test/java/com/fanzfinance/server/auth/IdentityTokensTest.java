package com.fanzfinance.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * {@link IdentityTokens} against the local identity stand-in: what it takes (the identity service's tokens) and
 * everything it refuses — a bad signature, a key it does not publish, expired or future tokens, another issuer,
 * audience or type, {@code alg: none} and HMAC tokens keyed with the public key — and how often it fetches the JWKS.
 */
class IdentityTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private LocalIdentity identity;
    private LocalIdentity.Person staff;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private IdentityTokens tokens;

    @BeforeEach
    void start() {
        identity = LocalIdentity.start();
        staff = identity.addPerson("staff@girlfanz.test", "pw", Map.of("girlfanz", List.of("staff")));
        tokens = new IdentityTokens(new IdentityKeys(identity.jwksUrl(), nanos::get), LocalIdentity.ISSUER,
            LocalIdentity.AUDIENCE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        identity.close();
    }

    @Test
    void takesTheIdentityServicesTokenAndMapsRolesToScopes() {
        SsoPerson person = tokens.verify(signed(claims(staff).claim("roles", List.of("fan", "staff")).build()));

        assertThat(person.subject()).isEqualTo(staff.subject());
        assertThat(person.email()).isEqualTo("staff@girlfanz.test");
        assertThat(person.tenant()).isEqualTo("girlfanz");
        assertThat(person.roles()).containsExactlyInAnyOrder("fan", "staff");
        assertThat(person.issuedAt()).isEqualTo(NOW);
        assertThat(person.expires()).isEqualTo(NOW.plusSeconds(LocalIdentity.TTL_SECONDS));
        assertThat(person.scopes()).containsExactlyInAnyOrder(Scope.LEDGER_READ, Scope.FINANCE_READ, Scope.PAYMENTS_READ,
            Scope.PAYOUTS_READ, Scope.EVENTS_READ);
        ApiKey key = person.asKey(7);
        assertThat(key.id()).isEqualTo("sso:" + staff.subject());
        assertThat(key.name()).isEqualTo("staff@girlfanz.test");
        assertThat(key.tenants()).containsExactly(7);
        assertThat(key.source()).isEqualTo(ApiKey.Source.SSO);
        assertThat(key.isAdmin()).isFalse();
        assertThat(key.covers(8)).isFalse();
    }

    @Test
    void aBrandAdminGetsActionsButNeverTheAdminScopeAndAFanGetsNothing() {
        SsoPerson admin = tokens.verify(signed(claims(staff).claim("roles", List.of("creator", "admin")).build()));
        assertThat(admin.scopes()).containsExactlyInAnyOrder(Scope.LEDGER_READ, Scope.FINANCE_READ, Scope.PAYMENTS_READ,
            Scope.PAYOUTS_READ, Scope.EVENTS_READ, Scope.FINANCE_WRITE, Scope.PAYOUTS_WRITE, Scope.PAYOUTS_ADMIN,
            Scope.PAYMENTS_ADMIN);
        assertThat(admin.asKey(1).isAdmin()).isFalse();

        SsoPerson fan = tokens.verify(signed(claims(staff).claim("roles", List.of("fan", "creator")).build()));
        assertThat(fan.scopes()).isEmpty();
    }

    @Test
    void refusesABadSignature() {
        String token = signed(claims(staff).build());
        String[] parts = token.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
            claims(staff).subject("someone-else").build().toString().getBytes(StandardCharsets.UTF_8));
        refused(parts[0] + "." + otherPayload + "." + parts[2], "signature does not verify");

        RSAKey forger = LocalIdentity.newKey();
        JWSHeader publishedKid = LocalIdentity.header(identity.activeKey());
        refused(LocalIdentity.sign(forger, publishedKid, claims(staff).build()), "signature does not verify");
    }

    @Test
    void refusesAKeyTheIdentityServiceDoesNotPublishAndRefetchesTheSetAtMostEvery30Seconds() {
        tokens.verify(signed(claims(staff).build()));
        assertThat(identity.jwksFetches()).isEqualTo(1);

        RSAKey unpublished = LocalIdentity.newKey();
        String forged = LocalIdentity.sign(unpublished, LocalIdentity.header(unpublished), claims(staff).build());
        refused(forged, "does not publish");
        refused(forged, "does not publish");
        assertThat(identity.jwksFetches()).as("no refetch within 30 s of the last").isEqualTo(1);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(30));
        refused(forged, "does not publish");
        assertThat(identity.jwksFetches()).isEqualTo(2);
        refused(forged, "does not publish");
        assertThat(identity.jwksFetches()).isEqualTo(2);

        // A key the identity service starts publishing (a rotation) works once the set may be fetched again.
        identity.publish(unpublished);
        refused(forged, "does not publish");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertThat(tokens.verify(forged).subject()).isEqualTo(staff.subject());
        assertThat(identity.jwksFetches()).isEqualTo(3);
        assertThat(tokens.verify(signed(claims(staff).build())).subject()).isEqualTo(staff.subject());
        assertThat(identity.jwksFetches()).as("known keys need no fetch").isEqualTo(3);
    }

    @Test
    void refetchesAStaleSetSoAWithdrawnKeyStopsWorking() {
        RSAKey old = identity.activeKey();
        String token = signed(claims(staff).build());
        tokens.verify(token);
        identity.rotate();
        identity.withdraw(old);

        nanos.addAndGet(IdentityKeys.MAX_AGE.toNanos() - 1);
        assertThat(tokens.verify(token).subject()).as("within the cache's age").isEqualTo(staff.subject());
        nanos.addAndGet(2);
        refused(token, "does not publish");
        assertThat(identity.jwksFetches()).isEqualTo(2);
    }

    @Test
    void keepsTheKeysItKnowsWhenAStaleSetCannotBeFetched() {
        String token = signed(claims(staff).build());
        tokens.verify(token);
        identity.close();

        nanos.addAndGet(IdentityKeys.MAX_AGE.toNanos() + 1);
        assertThat(tokens.verify(token).subject()).isEqualTo(staff.subject());
    }

    @Test
    void refusesExpiredAndFutureTokensBeyondTheClockSkew() {
        assertThat(tokens.verify(signed(claims(staff).expirationTime(at(-59)).issueTime(at(-900)).build()))).isNotNull();
        refused(signed(claims(staff).expirationTime(at(-61)).issueTime(at(-900)).build()), "expired");
        refused(signed(claims(staff).issueTime(at(61)).expirationTime(at(900)).build()), "issued in the future");
        refused(signed(claims(staff).notBeforeTime(at(61)).build()), "not valid before");
        assertThat(tokens.verify(signed(claims(staff).notBeforeTime(at(59)).build()))).isNotNull();
        refused(signed(claims(staff).expirationTime(null).build()), "lacks exp or iat");
        refused(signed(claims(staff).issueTime(null).build()), "lacks exp or iat");
        refused(signed(claims(staff).issueTime(at(0)).expirationTime(at(2 * 86_400)).build()), "lifetime");
        refused(signed(claims(staff).issueTime(at(0)).expirationTime(at(0)).build()), "lifetime");
    }

    @Test
    void refusesAnotherIssuerAudienceOrType() {
        refused(signed(claims(staff).issuer("someone-else").build()), "issuer is not fanz-identity");
        refused(signed(claims(staff).audience("fanz-other").build()), "not for audience fanz-platform");
        refused(signed(claims(staff).audience(List.of()).build()), "not for audience");
        RSAKey key = identity.activeKey();
        refused(LocalIdentity.sign(key, new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
            .keyID(key.getKeyID()).build(), claims(staff).build()), "typ is not at+jwt");
        refused(LocalIdentity.sign(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims(staff).build()), "typ is not at+jwt");
        refused(LocalIdentity.sign(key, new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
            .build(), claims(staff).build()), "names no signing key");
    }

    @Test
    void refusesAlgNoneAndHmacKeyedWithThePublicKey() throws JOSEException {
        String header = base64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + identity.activeKey().getKeyID() + "\"}");
        String payload = base64(claims(staff).build().toString());
        refused(header + "." + payload + ".", "not a signed JWT");

        // The classic confusion: HS256 with the RSA public key (which anyone can fetch) as the HMAC secret.
        tokens.verify(signed(claims(staff).build()));
        byte[] publicKey = identity.activeKey().toRSAPublicKey().getEncoded();
        byte[] secret = java.util.Arrays.copyOf(publicKey, Math.max(publicKey.length, 32));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt"))
            .keyID(identity.activeKey().getKeyID()).build(), claims(staff).build());
        hmac.sign(new MACSigner(secret));
        refused(hmac.serialize(), "only RS256");
        RSAKey key = identity.activeKey();
        refused(LocalIdentity.sign(key, new JWSHeader.Builder(JWSAlgorithm.RS512).type(new JOSEObjectType("at+jwt"))
            .keyID(key.getKeyID()).build(), claims(staff).build()), "only RS256");
    }

    @Test
    void refusesTokensWithoutTheClaimsOfAPerson() {
        refused(signed(claims(staff).subject(null).build()), "subject");
        refused(signed(claims(staff).subject("a b\nforged log line").build()), "subject");
        refused(signed(claims(staff).jwtID(null).build()), "no jti");
        refused(signed(claims(staff).claim("tenant", null).build()), "tenant");
        refused(signed(claims(staff).claim("tenant", "*").build()), "tenant");
        refused(signed(claims(staff).claim("roles", null).build()), "no roles");
        refused(signed(claims(staff).claim("roles", "staff").build()), "wrong type");
        refused("not-a-token", "not a compact JWS");
        refused("a.b.c", "not a signed JWT");
        refused("x".repeat(IdentityTokens.TOKEN_CHARS_MAX) + ".a.b", "not a compact JWS");
    }

    @Test
    void anUnreachableOrOversizedJwksIsUnavailableNotInvalid() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/.well-known/jwks.json");
        }
        IdentityTokens unreachable = new IdentityTokens(new IdentityKeys(closed, nanos::get), LocalIdentity.ISSUER,
            LocalIdentity.AUDIENCE, Clock.fixed(NOW, ZoneOffset.UTC));
        String token = signed(claims(staff).build());
        assertThatThrownBy(() -> unreachable.verify(token)).isInstanceOf(IdentityUnavailableException.class)
            .hasMessageContaining("cannot be fetched");
        assertThatThrownBy(() -> unreachable.verify(token)).as("and no new attempt within 30 s")
            .isInstanceOf(IdentityUnavailableException.class).hasMessageContaining("the last fetch of the JWKS failed");

        identity.padJwks(IdentityKeys.MAX_BYTES);
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(IdentityUnavailableException.class)
            .hasMessageContaining("larger than");
    }

    private JWTClaimsSet.Builder claims(LocalIdentity.Person person) {
        return LocalIdentity.claims(person, "girlfanz", NOW);
    }

    private String signed(JWTClaimsSet claims) {
        return LocalIdentity.sign(identity.activeKey(), LocalIdentity.header(identity.activeKey()), claims);
    }

    private void refused(String token, String reason) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(IdentityTokens.InvalidTokenException.class)
            .hasMessageContaining(reason).hasMessageNotContaining(token);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
