package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.server.TestDatabase;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signing keys: sealed at rest under the secrets key (a 0600 file in a 0700 directory here), rotated on demand
 * and by age (signing at once here, and after the activation delay in a service of its own), the retired key
 * verifiable until twice the longest token lifetime has passed, the JWKS public and served from the loaded keys.
 */
class KeyRotationTest {
    @TempDir
    static Path root;
    private static TestIdentity identity;

    @BeforeAll
    static void start() {
        identity = new TestIdentity(root.resolve("data"), Map.of("FANZ_IDENTITY_KEY_ACTIVATE_SECONDS", "0"));
    }

    @AfterAll
    static void stop() {
        if (identity != null) {
            identity.close();
        }
    }

    @Test
    void theSecretsKeyIsAnOwnerOnlyFileAndPrivateKeysAreSealed() throws Exception {
        Path data = root.resolve("data");
        Path file = data.resolve(SecretsKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim())).hasSize(32);

        String jwks = identity.get("/.well-known/jwks.json", null).text();
        JWKSet set = JWKSet.parse(jwks);
        assertThat(set.getKeys()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
            assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
        });
        assertThat(jwks).doesNotContain("\"d\"").doesNotContain("\"p\"");
        assertThat(identity.get("/.well-known/jwks.json", null).headers().firstValue("Cache-Control").orElse(""))
            .contains("max-age=300");
        try (Connection connection = TestDatabase.connect(identity.schema()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT sealed_private_key FROM signing_keys")) {
            while (rows.next()) {
                byte[] sealed = rows.getBytes(1);
                // a PKCS#8 RSA key starts with SEQUENCE (0x30 0x82); sealed bytes are random-looking
                assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("\u0030\u0082\u0004");
            }
        }
    }

    @Test
    void rotationKeepsOldTokensValidAndSignsNewOnesWithTheNewKey() throws Exception {
        TokenVerifier verifier = TokenVerifier.remote(identity.url, identity.settings.issuer());
        String admin = identity.adminToken("girlfanz");
        String oldKid = SignedJWT.parse(admin).getHeader().getKeyID();
        assertThat(verifier.verify(admin).has(Caller.ADMIN)).isTrue();

        TestIdentity.Answer rotated = identity.post("/v1/keys/rotate", "", admin);
        assertThat(rotated.status()).isEqualTo(200);
        String newKid = rotated.json().get("kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);

        String fresh = identity.adminToken("boyfanz");
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(kids()).contains(oldKid, newKid);
        assertThat(verifier.verify(admin).tenant()).isEqualTo("girlfanz");
        assertThat(verifier.verify(fresh).tenant()).isEqualTo("boyfanz");
        assertThat(identity.get("/v1/users/me", admin).status()).isEqualTo(200);

        // twice the longest token lifetime later, the retired key is gone from the JWKS
        try {
            identity.clock.shift(SigningKeys.RETIRED_KEPT.plusMinutes(1));
            identity.service.maintain();
            assertThat(kids()).contains(newKid).doesNotContain(oldKid);
        } finally {
            identity.clock.reset();
        }
    }

    @Test
    void anActiveKeyOlderThanTheRotationAgeIsReplaced() throws Exception {
        String before = SignedJWT.parse(identity.adminToken("girlfanz")).getHeader().getKeyID();
        identity.service.maintain();
        assertThat(SignedJWT.parse(identity.adminToken("girlfanz")).getHeader().getKeyID()).isEqualTo(before);
        try {
            identity.clock.shift(Duration.ofDays(31));
            identity.service.maintain();
            String after = SignedJWT.parse(identity.adminToken("girlfanz")).getHeader().getKeyID();
            assertThat(after).isNotEqualTo(before);
            assertThat(kids()).contains(before, after);
        } finally {
            identity.clock.reset();
        }
    }

    @Test
    void aRestartKeepsTheKeysTheirTokensAndLockouts(@TempDir Path data) throws Exception {
        TestIdentity first = new TestIdentity(data, Map.of());
        TestIdentity second = null;
        try {
            first.signUp("girlfanz", "restart@example.com", "a long enough password", "fan");
            String token = first.signIn("restart@example.com", "a long enough password", "girlfanz");
            for (int i = 0; i < 5; i++) {
                first.token("grant_type", "password", "username", "restart@example.com", "password", "wrong " + i,
                    "tenant", "girlfanz");
            }
            second = first.restarted();
            TokenVerifier verifier = TokenVerifier.remote(second.url, second.settings.issuer());
            assertThat(verifier.verify(token).tenant()).isEqualTo("girlfanz");
            assertThat(SignedJWT.parse(second.adminToken("girlfanz")).getHeader().getKeyID())
                .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
            assertThat(second.token("grant_type", "password", "username", "restart@example.com", "password",
                "a long enough password", "tenant", "girlfanz").status()).isEqualTo(429);
        } finally {
            (second != null ? second : first).close();
        }
    }

    @Test
    void aNewKeyIsPublishedAtOnceButSignsOnlyAfterTheActivationDelay(@TempDir Path data) throws Exception {
        try (TestIdentity delayed = new TestIdentity(data, Map.of())) {
            String admin = delayed.adminToken("girlfanz");
            String oldKid = SignedJWT.parse(admin).getHeader().getKeyID();
            TestIdentity.Answer rotated = delayed.post("/v1/keys/rotate", "", admin);
            assertThat(rotated.status()).isEqualTo(200);
            String newKid = rotated.json().get("kid").asText();
            assertThat(Duration.between(delayed.clock.instant(), Instant.parse(rotated.json().get("activates").asText())))
                .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));

            assertThat(kids(delayed)).contains(oldKid, newKid);
            assertThat(SignedJWT.parse(delayed.adminToken("boyfanz")).getHeader().getKeyID()).isEqualTo(oldKid);
            try {
                delayed.clock.shift(Duration.ofSeconds(61));
                String fresh = delayed.adminToken("boyfanz");
                assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
                assertThat(kids(delayed)).contains(oldKid, newKid);
                assertThat(delayed.get("/v1/users/me", fresh).status()).isEqualTo(200);
            } finally {
                delayed.clock.reset();
            }
        }
    }

    @Test
    void jwksRequestsAreAnsweredFromTheLoadedKeys() {
        SigningKeys keys = identity.service.signingKeys();
        assertThat(identity.get("/.well-known/jwks.json", null).status()).isEqualTo(200);
        long before = keys.reloads.get();
        for (int i = 0; i < 50; i++) {
            assertThat(identity.get("/.well-known/jwks.json", null).status()).isEqualTo(200);
        }
        // at most one reread per SigningKeys.PUBLISHED_FRESH
        assertThat(keys.reloads.get() - before).isLessThanOrEqualTo(2);
    }

    private static List<String> kids() throws Exception {
        return kids(identity);
    }

    private static List<String> kids(TestIdentity service) throws Exception {
        return JWKSet.parse(service.get("/.well-known/jwks.json", null).text()).getKeys().stream()
            .map(key -> key.getKeyID()).toList();
    }
}
