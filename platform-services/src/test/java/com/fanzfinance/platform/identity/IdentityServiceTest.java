package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.server.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;

/**
 * The identity service end to end on a real port and a real PostgreSQL: sign-up, sign-in and lockout,
 * tokens other services verify, single sign-on across brands, service keys, brand isolation of members,
 * and validation.
 */
class IdentityServiceTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path data;
    private static TestIdentity identity;
    private static TokenVerifier verifier;

    @BeforeAll
    static void start() {
        identity = new TestIdentity(data, Map.of());
        verifier = TokenVerifier.remote(identity.url, identity.settings.issuer());
    }

    @AfterAll
    static void stop() {
        if (identity != null) {
            identity.close();
        }
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void bootstrapMakesTheBrandsAndThePlatformAdmin() {
        TestIdentity.Answer tenants = identity.get("/v1/tenants", null);
        assertThat(tenants.status()).isEqualTo(200);
        assertThat(tenants.json().get("tenants").findValuesAsText("slug"))
            .contains("girlfanz", "boyfanz", "pupfanz", "daddyfanz");
        Caller admin = verifier.verify(identity.adminToken("pupfanz"));
        assertThat(admin.roles()).containsExactly(Caller.ADMIN);
        assertThat(admin.tenant()).isEqualTo("pupfanz");
    }

    @Test
    void signUpThenSignInGivesATokenOtherServicesVerify() throws Exception {
        String email = email("fan");
        JsonNode account = identity.signUp("girlfanz", email, PASSWORD, "fan");
        assertThat(account.get("id").asText()).hasSize(36);
        assertThat(account.get("email").asText()).isEqualTo(email);
        assertThat(account.get("memberships").toString()).isEqualTo("[{\"tenant\":\"girlfanz\",\"roles\":[\"fan\"]}]");
        assertThat(account.get("created").asText()).isNotEmpty();

        TestIdentity.Answer answer = identity.token("grant_type", "password", "username", email.toUpperCase(),
            "password", PASSWORD, "tenant", "girlfanz");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.json().get("expires_in").asLong()).isEqualTo(900);
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        String token = answer.json().get("access_token").asText();

        Caller caller = verifier.verify(token);
        assertThat(caller.subject()).isEqualTo(account.get("id").asText());
        assertThat(caller.tenant()).isEqualTo("girlfanz");
        assertThat(caller.roles()).containsExactly(Caller.FAN);
        assertThat(caller.isService()).isFalse();

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TokenVerifier.AUDIENCE);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("email")).isEqualTo(email);
        assertThat(jwt.getJWTClaimsSet().getLongClaim("auth_time")).isNotNull();

        TestIdentity.Answer me = identity.get("/v1/users/me", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").asText()).isEqualTo(account.get("id").asText());

        TestIdentity.Answer again = identity.post("/v1/users", "{\"tenant\":\"boyfanz\",\"email\":\"" + email
            + "\",\"password\":\"another long password\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).endsWith("/email-taken");
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        String email = email("wrong");
        identity.signUp("girlfanz", email, PASSWORD, "fan");
        TestIdentity.Answer wrong = identity.token("grant_type", "password", "username", email, "password",
            "not the password", "tenant", "girlfanz");
        TestIdentity.Answer unknown = identity.token("grant_type", "password", "username", email("nobody"),
            "password", "not the password", "tenant", "girlfanz");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(unknown.status()).isEqualTo(wrong.status());
        assertThat(unknown.text()).isEqualTo(wrong.text());
        assertThat(unknown.contentType()).isEqualTo(wrong.contentType()).startsWith("application/json");
    }

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPasswordUntilTheLockEnds() throws SQLException {
        String email = email("locked");
        identity.signUp("boyfanz", email, PASSWORD, "creator");
        for (int i = 0; i < 5; i++) {
            assertThat(identity.token("grant_type", "password", "username", email, "password", "wrong password " + i,
                "tenant", "boyfanz").status()).isEqualTo(400);
        }
        TestIdentity.Answer locked = identity.token("grant_type", "password", "username", email, "password", PASSWORD,
            "tenant", "boyfanz");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(locked.json().get("error_description").asText()).startsWith("account locked");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 901L);

        // the lock is in the database, so a restart does not lift it
        assertThat(lockedUntil(email)).isNotNull();
        try {
            identity.clock.shift(Duration.ofMinutes(16));
            assertThat(identity.signIn(email, PASSWORD, "boyfanz")).isNotEmpty();
        } finally {
            identity.clock.reset();
        }
        // a success cleared the count: four more failures do not lock
        for (int i = 0; i < 4; i++) {
            identity.token("grant_type", "password", "username", email, "password", "wrong " + i, "tenant", "boyfanz");
        }
        assertThat(identity.signIn(email, PASSWORD, "boyfanz")).isNotEmpty();
    }

    @Test
    void parallelGuessesGetOneCheckAtATimeAndSequentialOnesStillLock() throws Exception {
        String email = email("parallel");
        identity.signUp("girlfanz", email, PASSWORD, "fan");
        ExecutorService pool = Executors.newFixedThreadPool(39);
        List<Future<TestIdentity.Answer>> wrong = new ArrayList<>();
        TestIdentity.Answer right;
        // holding every hashing permit keeps the one guess being checked in flight while the others arrive
        Passwords.HASHING.acquireUninterruptibly(Passwords.HASHING_PERMITS);
        try {
            for (int i = 0; i < 39; i++) {
                String guess = "wrong guess " + i;
                wrong.add(pool.submit(() -> identity.token("grant_type", "password", "username", email, "password",
                    guess, "tenant", "girlfanz")));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (wrong.stream().filter(Future::isDone).count() < 38) {
                assertThat(System.nanoTime()).as("38 of the 39 guesses answered at once").isLessThan(deadline);
                Thread.sleep(10);
            }
            right = identity.token("grant_type", "password", "username", email, "password", PASSWORD,
                "tenant", "girlfanz");
        } finally {
            Passwords.HASHING.release(Passwords.HASHING_PERMITS);
        }
        List<TestIdentity.Answer> answers = new ArrayList<>();
        for (Future<TestIdentity.Answer> answer : wrong) {
            answers.add(answer.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(answers).filteredOn(answer -> answer.status() == 400).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() == 429).hasSize(38)
            .allSatisfy(answer -> assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, Lockout.CHECK_LEASE.toSeconds()));
        assertThat(right.status()).isEqualTo(429);
        assertThat(right.json().get("error_description").asText()).startsWith("another sign-in");
        // only the one guess checked counted; the attacker gets no more checks than by guessing one at a time
        assertThat(failures(email)).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            assertThat(identity.token("grant_type", "password", "username", email, "password", "sequential " + i,
                "tenant", "girlfanz").status()).isEqualTo(400);
        }
        TestIdentity.Answer locked = identity.token("grant_type", "password", "username", email, "password", PASSWORD,
            "tenant", "girlfanz");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().get("error_description").asText()).startsWith("account locked");
        assertThat(lockedUntil(email)).isNotNull();
    }

    @Test
    void aCheckLeaseLeftByACrashDelaysSignInUntilItEndsAndCostsNoAttempts() throws SQLException {
        String email = email("stale");
        identity.signUp("girlfanz", email, PASSWORD, "fan");
        setCheckLease(email, identity.clock.instant().plusSeconds(8));
        for (int i = 0; i < 6; i++) {
            TestIdentity.Answer busy = identity.token("grant_type", "password", "username", email, "password",
                PASSWORD, "tenant", "girlfanz");
            assertThat(busy.status()).isEqualTo(429);
            assertThat(busy.json().get("error_description").asText()).startsWith("another sign-in");
            assertThat(Long.parseLong(busy.headers().firstValue("Retry-After").orElseThrow())).isBetween(6L, 8L);
        }
        assertThat(failures(email)).isZero();
        assertThat(lockedUntil(email)).isNull();
        try {
            identity.clock.shift(Duration.ofSeconds(9));
            assertThat(identity.signIn(email, PASSWORD, "girlfanz")).isNotEmpty();
        } finally {
            identity.clock.reset();
        }
    }

    @Test
    void aCheckThatGetsNoHashingPermitInTimeIsUnavailableAndCostsNoAttempt() throws SQLException {
        String email = email("busy");
        identity.signUp("girlfanz", email, PASSWORD, "fan");
        for (int i = 0; i < 4; i++) {
            identity.token("grant_type", "password", "username", email, "password", "wrong " + i, "tenant", "girlfanz");
        }
        TestIdentity.Answer unavailable;
        Passwords.HASHING.acquireUninterruptibly(Passwords.HASHING_PERMITS);
        try {
            unavailable = identity.token("grant_type", "password", "username", email, "password", "wrong 4",
                "tenant", "girlfanz");
        } finally {
            Passwords.HASHING.release(Passwords.HASHING_PERMITS);
        }
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("1");
        // the fifth attempt was not checked, so it neither counted nor locked, nor holds the lease
        assertThat(failures(email)).isEqualTo(4);
        assertThat(lockedUntil(email)).isNull();
        assertThat(identity.signIn(email, PASSWORD, "girlfanz")).isNotEmpty();
    }

    @Test
    void overlongSignInParametersAreInvalidRequestsNotErrors() {
        TestIdentity.Answer longUsername = identity.token("grant_type", "password", "username",
            "a".repeat(60) + "@" + "b".repeat(200) + ".com", "password", PASSWORD, "tenant", "girlfanz");
        assertThat(longUsername.status()).isEqualTo(400);
        assertThat(longUsername.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(longUsername.json().get("error_description").asText()).contains("username");
        TestIdentity.Answer longPassword = identity.token("grant_type", "password", "username", email("long"),
            "password", "p".repeat(Passwords.MAX_LENGTH + 1), "tenant", "girlfanz");
        assertThat(longPassword.status()).isEqualTo(400);
        assertThat(longPassword.json().get("error_description").asText()).contains("password");
        TestIdentity.Answer badTenant = identity.token("grant_type", "password", "username", email("slug"),
            "password", PASSWORD, "tenant", "Girl Fanz " + "x".repeat(40));
        assertThat(badTenant.status()).isEqualTo(400);
        assertThat(badTenant.json().get("error_description").asText()).contains("tenant");
    }

    @Test
    void twoAdminsTakingAdminFromEachOtherAtOnceLeaveTheBrandOne() throws Exception {
        String platformAdmin = identity.adminToken("girlfanz");
        assertThat(identity.post("/v1/tenants", "{\"slug\":\"duofanz\",\"name\":\"DuoFanz\"}", platformAdmin)
            .status()).isEqualTo(201);
        String otherEmail = email("coadmin");
        String otherId = identity.signUp("duofanz", otherEmail, PASSWORD, "fan").get("id").asText();
        String admin = identity.adminToken("duofanz");
        assertThat(identity.put("/v1/tenants/duofanz/members/" + otherId, "{\"roles\":[\"admin\"]}", admin)
            .status()).isEqualTo(200);
        String other = identity.signIn(otherEmail, PASSWORD, "duofanz");
        String adminId = verifier.verify(admin).subject();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<TestIdentity.Answer>> answers = new ArrayList<>();
        try (Connection hold = TestDatabase.connect(identity.schema()); Statement statement = hold.createStatement();
             Connection watch = TestDatabase.connect(identity.schema()); Statement watching = watch.createStatement()) {
            // hold the admins' rows so both demotions are under way before either goes on
            hold.setAutoCommit(false);
            statement.executeQuery("SELECT user_id FROM memberships WHERE tenant = 'duofanz' AND admin FOR UPDATE")
                .close();
            int pid;
            try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                rows.next();
                pid = rows.getInt(1);
            }
            answers.add(pool.submit(() -> identity.put("/v1/tenants/duofanz/members/" + otherId,
                "{\"roles\":[\"fan\"]}", admin)));
            answers.add(pool.submit(() -> identity.put("/v1/tenants/duofanz/members/" + adminId,
                "{\"roles\":[\"fan\"]}", other)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (blockedBehind(watching, pid) < 2) {
                assertThat(System.nanoTime()).as("both demotions wait for the held rows").isLessThan(deadline);
                Thread.sleep(10);
            }
            hold.commit();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<TestIdentity.Answer> answer : answers) {
            TestIdentity.Answer done = answer.get(30, TimeUnit.SECONDS);
            statuses.add(done.status());
            if (done.status() == 409) {
                assertThat(done.json().get("type").asText()).endsWith("/last-admin");
            }
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        try (Connection connection = TestDatabase.connect(identity.schema()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM memberships WHERE tenant = 'duofanz' AND admin")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    /**
     * How many database sessions wait, directly or in a queue, on the locks of session {@code pid} (asked outside
     * that session's transaction, which sees the activity as it was when it began).
     */
    private static int blockedBehind(Statement statement, int pid) throws SQLException {
        try (ResultSet rows = statement.executeQuery("WITH RECURSIVE blocked(pid) AS ("
            + " SELECT a.pid FROM pg_stat_activity a WHERE " + pid + " = ANY(pg_blocking_pids(a.pid))"
            + " UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY(pg_blocking_pids(a.pid)))"
            + " SELECT count(*) FROM blocked")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void unknownEmailsLockAlikeSoALockDoesNotTellAnAccountExists() {
        String nobody = email("nobody");
        for (int i = 0; i < 5; i++) {
            identity.token("grant_type", "password", "username", nobody, "password", "whatever " + i, "tenant", "girlfanz");
        }
        TestIdentity.Answer answer = identity.token("grant_type", "password", "username", nobody, "password", "x",
            "tenant", "girlfanz");
        assertThat(answer.status()).isEqualTo(429);
    }

    @Test
    void tokenExchangeSignsInToAnotherBrandAsAFanOnly() throws Exception {
        String email = email("creator");
        JsonNode account = identity.signUp("girlfanz", email, PASSWORD, "creator");
        String girlfanz = identity.signIn(email, PASSWORD, "girlfanz");
        assertThat(verifier.verify(girlfanz).roles()).containsExactly(Caller.CREATOR);

        TestIdentity.Answer exchanged = identity.token("grant_type", TokenEndpoint.TOKEN_EXCHANGE, "subject_token",
            girlfanz, "subject_token_type", TokenEndpoint.ACCESS_TOKEN_TYPE, "audience", "boyfanz");
        assertThat(exchanged.status()).isEqualTo(200);
        assertThat(exchanged.json().get("issued_token_type").asText()).isEqualTo(TokenEndpoint.ACCESS_TOKEN_TYPE);
        String boyfanz = exchanged.json().get("access_token").asText();
        Caller caller = verifier.verify(boyfanz);
        assertThat(caller.subject()).isEqualTo(account.get("id").asText());
        assertThat(caller.tenant()).isEqualTo("boyfanz");
        assertThat(caller.roles()).containsExactly(Caller.FAN);
        assertThat(SignedJWT.parse(boyfanz).getJWTClaimsSet().getExpirationTime())
            .isBeforeOrEqualTo(SignedJWT.parse(girlfanz).getJWTClaimsSet().getExpirationTime());

        TestIdentity.Answer me = identity.get("/v1/users/me", boyfanz);
        assertThat(me.json().get("memberships").toString()).isEqualTo(
            "[{\"tenant\":\"boyfanz\",\"roles\":[\"fan\"]},{\"tenant\":\"girlfanz\",\"roles\":[\"creator\"]}]");
        // the password now signs in to the new brand too
        assertThat(verifier.verify(identity.signIn(email, PASSWORD, "boyfanz")).roles()).containsExactly(Caller.FAN);

        TestIdentity.Answer unknownBrand = identity.token("grant_type", TokenEndpoint.TOKEN_EXCHANGE, "subject_token",
            girlfanz, "subject_token_type", TokenEndpoint.ACCESS_TOKEN_TYPE, "audience", "nofanz");
        assertThat(unknownBrand.json().get("error").asText()).isEqualTo("invalid_target");
        TestIdentity.Answer badToken = identity.token("grant_type", TokenEndpoint.TOKEN_EXCHANGE, "subject_token",
            girlfanz + "x", "subject_token_type", TokenEndpoint.ACCESS_TOKEN_TYPE, "audience", "boyfanz");
        assertThat(badToken.status()).isEqualTo(400);
        assertThat(badToken.json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void aPasswordDoesNotSignInToABrandWithoutMembership() {
        String email = email("single");
        identity.signUp("pupfanz", email, PASSWORD, "fan");
        TestIdentity.Answer answer = identity.token("grant_type", "password", "username", email, "password", PASSWORD,
            "tenant", "daddyfanz");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void serviceKeysGiveServiceTokensUntilRevoked() {
        String admin = identity.adminToken("girlfanz");
        TestIdentity.Answer created = identity.post("/v1/service-keys",
            "{\"service\":\"payouts-bot\",\"scopes\":[\"compliance:read\",\"media:read\"]}", admin);
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        assertThat(key).startsWith("fzs_");
        assertThat(Base64.getUrlDecoder().decode(key.substring(4))).hasSize(32);

        TestIdentity.Answer listed = identity.get("/v1/service-keys", admin);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).doesNotContain(key).doesNotContain(key.substring(4));
        assertThat(listed.json().get("service_keys").findValuesAsText("service")).contains("payouts-bot");

        TestIdentity.Answer token = identity.token("grant_type", "client_credentials", "client_id", "payouts-bot",
            "client_secret", key);
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().get("scope").asText()).isEqualTo("compliance:read media:read");
        Caller service = verifier.verify(token.json().get("access_token").asText());
        assertThat(service.subject()).isEqualTo("service:payouts-bot");
        assertThat(service.tenant()).isEqualTo("*");
        assertThat(service.roles()).containsExactly(Caller.SERVICE);
        assertThat(service.scopes()).containsExactlyInAnyOrder("compliance:read", "media:read");

        TestIdentity.Answer narrowed = identity.token("grant_type", "client_credentials", "client_id", "payouts-bot",
            "client_secret", key, "scope", "media:read");
        assertThat(narrowed.json().get("scope").asText()).isEqualTo("media:read");
        assertThat(identity.token("grant_type", "client_credentials", "client_id", "payouts-bot", "client_secret", key,
            "scope", "identity:read").json().get("error").asText()).isEqualTo("invalid_scope");
        assertThat(identity.token("grant_type", "client_credentials", "client_id", "media", "client_secret", key)
            .status()).isEqualTo(401);

        TestIdentity.Answer exchanged = identity.token("grant_type", TokenEndpoint.TOKEN_EXCHANGE, "subject_token",
            token.json().get("access_token").asText(), "subject_token_type", TokenEndpoint.ACCESS_TOKEN_TYPE,
            "audience", "boyfanz");
        assertThat(exchanged.status()).isEqualTo(400);
        assertThat(exchanged.json().get("error_description").asText()).contains("service tokens cannot be exchanged");

        String id = created.json().get("id").asText();
        TestIdentity.Answer revoked = identity.delete("/v1/service-keys/" + id, admin);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revoked").isNull()).isFalse();
        TestIdentity.Answer refused = identity.token("grant_type", "client_credentials", "client_id", "payouts-bot",
            "client_secret", key);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(identity.delete("/v1/service-keys/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
    }

    @Test
    void theLaunchersServiceKeysAreRegisteredAtStartWithOnlyWhatTheirServicesCall(@TempDir Path other) {
        String content = "fzs_launcher-content-key-0123456789abcdef";
        String compliance = "fzs_launcher-compliance-key-0123456789abcdef";
        try (TestIdentity second = new TestIdentity(other, Map.of("FANZ_SERVICE_KEY_CONTENT", content,
                "FANZ_SERVICE_KEY_COMPLIANCE", compliance))) {
            TestIdentity.Answer token = second.token("grant_type", "client_credentials", "client_id", "content",
                "client_secret", content);
            assertThat(token.status()).isEqualTo(200);
            assertThat(token.json().get("scope").asText()).isEqualTo("compliance:clearance media:read");
            TestIdentity.Answer bare = second.token("grant_type", "client_credentials", "client_id", "compliance",
                "client_secret", compliance);
            assertThat(bare.status()).isEqualTo(200);
            assertThat(bare.json().has("scope")).isFalse();
            TestIdentity.Answer members = second.get("/v1/tenants/girlfanz/members",
                bare.json().get("access_token").asText());
            assertThat(members.status()).isEqualTo(403);
        }
    }

    @Test
    void aLauncherKeyRegisteredWithBroaderScopesByAnEarlierBuildGetsTheDefaultsAtStart(@TempDir Path other)
            throws SQLException {
        String content = "fzs_earlier-content-key-0123456789abcdef";
        String compliance = "fzs_earlier-compliance-key-0123456789abcdef";
        String media = "fzs_earlier-media-key-0123456789abcdef";
        TestIdentity first = new TestIdentity(other, Map.of());
        try {
            try (Connection connection = TestDatabase.connect(first.schema());
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO service_keys"
                     + " (id, service, hash, scopes, source, created) VALUES (?::uuid, ?, ?, ?, 'environment', now())")) {
                for (String[] key : List.of(new String[] {"content", content, "compliance:read media:read"},
                        new String[] {"compliance", compliance, "identity:read"},
                        new String[] {"media", media, "compliance:read"})) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, key[0]);
                    insert.setString(3, ServiceKeys.hash(key[1]));
                    insert.setString(4, key[2]);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
        } catch (RuntimeException | SQLException e) {
            first.close();
            throw e;
        }
        try (TestIdentity second = first.restarted(Map.of("FANZ_SERVICE_KEY_CONTENT", content,
                "FANZ_SERVICE_KEY_COMPLIANCE", compliance, "FANZ_SERVICE_KEY_MEDIA", media))) {
            TestIdentity.Answer token = second.token("grant_type", "client_credentials", "client_id", "content",
                "client_secret", content);
            assertThat(token.status()).isEqualTo(200);
            assertThat(token.json().get("scope").asText()).isEqualTo("compliance:clearance media:read");
            assertThat(verifier(second).verify(token.json().get("access_token").asText()).scopes())
                .containsExactlyInAnyOrder("compliance:clearance", "media:read");
            for (String[] bare : List.of(new String[] {"compliance", compliance}, new String[] {"media", media})) {
                TestIdentity.Answer answer = second.token("grant_type", "client_credentials", "client_id", bare[0],
                    "client_secret", bare[1]);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().has("scope")).as(bare[0]).isFalse();
            }
            // the same keys, not new ones: nothing revoked, nothing added
            TestIdentity.Answer listed = second.get("/v1/service-keys", second.adminToken("girlfanz"));
            assertThat(listed.json().get("service_keys")).hasSize(3);
            assertThat(listed.json().get("service_keys").findValuesAsText("revoked")).containsOnly("null");
        }
    }

    private static TokenVerifier verifier(TestIdentity service) {
        return TokenVerifier.remote(service.url, service.settings.issuer());
    }

    @Test
    void staffSeeTheirOwnBrandsMembersOnly() {
        String staffEmail = email("staff");
        JsonNode staff = identity.signUp("girlfanz", staffEmail, PASSWORD, "fan");
        String fanEmail = email("member");
        JsonNode fan = identity.signUp("girlfanz", fanEmail, PASSWORD, "fan");
        String admin = identity.adminToken("girlfanz");
        TestIdentity.Answer promoted = identity.put("/v1/tenants/girlfanz/members/" + staff.get("id").asText(),
            "{\"roles\":[\"staff\"]}", admin);
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("roles").toString()).isEqualTo("[\"staff\"]");

        String staffToken = identity.signIn(staffEmail, PASSWORD, "girlfanz");
        TestIdentity.Answer own = identity.get("/v1/tenants/girlfanz/members?role=staff", staffToken);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("members").findValuesAsText("user_id")).contains(staff.get("id").asText())
            .doesNotContain(fan.get("id").asText());

        TestIdentity.Answer other = identity.get("/v1/tenants/boyfanz/members", staffToken);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(identity.put("/v1/tenants/boyfanz/members/" + fan.get("id").asText(), "{\"roles\":[\"fan\"]}",
            staffToken).status()).isEqualTo(404);

        String fanToken = identity.signIn(fanEmail, PASSWORD, "girlfanz");
        assertThat(identity.get("/v1/tenants/girlfanz/members", fanToken).status()).isEqualTo(403);

        // staff make creators, not staff
        TestIdentity.Answer creator = identity.put("/v1/tenants/girlfanz/members/" + fan.get("id").asText(),
            "{\"roles\":[\"fan\",\"creator\"]}", staffToken);
        assertThat(creator.status()).isEqualTo(200);
        assertThat(creator.json().get("roles").toString()).isEqualTo("[\"fan\",\"creator\"]");
        assertThat(identity.put("/v1/tenants/girlfanz/members/" + fan.get("id").asText(), "{\"roles\":[\"staff\"]}",
            staffToken).status()).isEqualTo(403);
        assertThat(identity.put("/v1/tenants/girlfanz/members/" + staff.get("id").asText(), "{\"roles\":[\"admin\"]}",
            staffToken).status()).isEqualTo(403);
        assertThat(identity.put("/v1/tenants/girlfanz/members/" + UUID.randomUUID(), "{\"roles\":[\"fan\"]}",
            staffToken).status()).isEqualTo(404);
        // only the platform admin makes brands, keys and rotations
        assertThat(identity.post("/v1/tenants", "{\"slug\":\"x\",\"name\":\"X\"}", staffToken).status()).isEqualTo(403);
        assertThat(identity.post("/v1/keys/rotate", "", staffToken).status()).isEqualTo(403);
        assertThat(identity.get("/v1/service-keys", staffToken).status()).isEqualTo(403);
    }

    @Test
    void aNewBrandHasThePlatformAdminAsAdmin() {
        String admin = identity.adminToken("girlfanz");
        TestIdentity.Answer created = identity.post("/v1/tenants", "{\"slug\":\"catfanz\",\"name\":\"CatFanz\"}", admin);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("slug").asText()).isEqualTo("catfanz");
        assertThat(identity.post("/v1/tenants", "{\"slug\":\"catfanz\",\"name\":\"CatFanz\"}", admin).status())
            .isEqualTo(409);
        assertThat(verifier.verify(identity.adminToken("catfanz")).roles()).containsExactly(Caller.ADMIN);
    }

    @Test
    void tamperedAndExpiredTokensAreRefused() throws Exception {
        String email = email("tamper");
        identity.signUp("girlfanz", email, PASSWORD, "fan");
        String token = identity.signIn(email, PASSWORD, "girlfanz");
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"fan\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> verifier.verify(tampered)).isInstanceOf(Problem.class)
            .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(401));
        assertThat(identity.get("/v1/users/me", tampered).status()).isEqualTo(401);

        String expired;
        try {
            identity.clock.shift(Duration.ofHours(-2));
            expired = identity.signIn(email, PASSWORD, "girlfanz");
        } finally {
            identity.clock.reset();
        }
        assertThat(SignedJWT.parse(expired).getJWTClaimsSet().getExpirationTime()).isBefore(new java.util.Date());
        assertThatThrownBy(() -> verifier.verify(expired)).isInstanceOf(Problem.class)
            .hasMessageContaining("xpired");
        assertThat(identity.get("/v1/users/me", expired).status()).isEqualTo(401);
        assertThat(identity.get("/v1/users/me", null).status()).isEqualTo(401);
    }

    @Test
    void badRequestsGetProblemsWithPointers() {
        TestIdentity.Answer badEmail = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\"not-an-email\","
            + "\"password\":\"" + PASSWORD + "\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.contentType()).startsWith("application/problem+json");
        assertThat(badEmail.json().get("pointer").asText()).isEqualTo("/email");

        TestIdentity.Answer shortPassword = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + email("short") + "\",\"password\":\"short\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("pointer").asText()).isEqualTo("/password");

        String same = email("same");
        TestIdentity.Answer emailAsPassword = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + same + "\",\"password\":\"" + same.toUpperCase() + "\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(emailAsPassword.json().get("pointer").asText()).isEqualTo("/password");

        TestIdentity.Answer unknownField = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + email("field") + "\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"x\",\"role\":\"fan\","
            + "\"is_admin\":true}", null);
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("type").asText()).endsWith("/unknown-field");
        assertThat(unknownField.json().get("pointer").asText()).isEqualTo("/is_admin");

        TestIdentity.Answer staffSignUp = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + email("role") + "\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"x\",\"role\":\"admin\"}", null);
        assertThat(staffSignUp.json().get("pointer").asText()).isEqualTo("/role");

        TestIdentity.Answer longName = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + email("name") + "\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"" + "n".repeat(101)
            + "\",\"role\":\"fan\"}", null);
        assertThat(longName.json().get("pointer").asText()).isEqualTo("/display_name");

        TestIdentity.Answer longEmail = identity.post("/v1/users", "{\"tenant\":\"girlfanz\",\"email\":\""
            + "a".repeat(60) + "@" + "b".repeat(200) + ".com\",\"password\":\"" + PASSWORD
            + "\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(longEmail.json().get("pointer").asText()).isEqualTo("/email");

        TestIdentity.Answer unknownTenant = identity.post("/v1/users", "{\"tenant\":\"nofanz\",\"email\":\""
            + email("tenant") + "\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"x\",\"role\":\"fan\"}", null);
        assertThat(unknownTenant.status()).isEqualTo(422);

        assertThat(identity.post("/v1/users", "[1]", null).json().get("type").asText()).endsWith("/malformed-json");

        TestIdentity.Answer json = identity.post("/oauth/token", "{\"grant_type\":\"password\"}", null);
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(identity.token("grant_type", "implicit").json().get("error").asText())
            .isEqualTo("unsupported_grant_type");
        assertThat(identity.token("grant_type", "password", "grant_type", "password").json().get("error").asText())
            .isEqualTo("invalid_request");

        String admin = identity.adminToken("girlfanz");
        TestIdentity.Answer badRoles = identity.put("/v1/tenants/girlfanz/members/" + UUID.randomUUID(),
            "{\"roles\":[\"fan\",\"owner\"]}", admin);
        assertThat(badRoles.status()).isEqualTo(400);
        assertThat(badRoles.json().get("pointer").asText()).isEqualTo("/roles/1");
        TestIdentity.Answer badScope = identity.post("/v1/service-keys", "{\"service\":\"x\",\"scopes\":[\"Bad Scope\"]}",
            admin);
        assertThat(badScope.json().get("pointer").asText()).isEqualTo("/scopes/0");
    }

    @Test
    void aHashOfOtherParametersStillVerifiesAndIsUpgradedAtSignIn() throws SQLException {
        String email = email("old");
        JsonNode account = identity.signUp("girlfanz", email, PASSWORD, "fan");
        String old = Passwords.hash(PASSWORD, new Passwords.Parameters(4096, 3, 2), new byte[16]);
        assertThat(old).startsWith("$argon2id$v=19$m=4096,t=3,p=2$");
        setHash(account.get("id").asText(), old);

        assertThat(identity.signIn(email, PASSWORD, "girlfanz")).isNotEmpty();
        assertThat(storedHash(account.get("id").asText())).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(identity.signIn(email, PASSWORD, "girlfanz")).isNotEmpty();
    }

    @Test
    void theDiscoveryDocumentNamesTheEndpoints() {
        TestIdentity.Answer doc = identity.get("/.well-known/openid-configuration", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("issuer").asText()).isEqualTo(identity.settings.issuer());
        assertThat(doc.json().get("jwks_uri").asText()).isEqualTo(identity.url + "/.well-known/jwks.json");
        assertThat(doc.json().get("token_endpoint").asText()).isEqualTo(identity.url + "/oauth/token");
        assertThat(doc.json().get("grant_types_supported").toString()).contains(TokenEndpoint.TOKEN_EXCHANGE);
        assertThat(doc.json().get("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
        assertThat(identity.get("/health", null).status()).isEqualTo(200);
    }

    private static void setHash(String userId, String hash) throws SQLException {
        try (Connection connection = TestDatabase.connect(identity.schema());
             PreparedStatement update = connection.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?::uuid")) {
            update.setString(1, hash);
            update.setString(2, userId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    /** Leaves a check lease on {@code email} until {@code until}, as a check that crashed would. */
    private static void setCheckLease(String email, java.time.Instant until) throws SQLException {
        try (Connection connection = TestDatabase.connect(identity.schema());
             PreparedStatement insert = connection.prepareStatement("INSERT INTO login_failures"
                 + " (email, failures, window_start, verifying_until) VALUES (?, 0, ?, ?)")) {
            insert.setString(1, email);
            insert.setObject(2, identity.clock.instant().atOffset(java.time.ZoneOffset.UTC));
            insert.setObject(3, until.atOffset(java.time.ZoneOffset.UTC));
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static int failures(String email) throws SQLException {
        try (Connection connection = TestDatabase.connect(identity.schema());
             PreparedStatement query = connection.prepareStatement("SELECT failures FROM login_failures WHERE email = ?")) {
            query.setString(1, email);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    private static java.sql.Timestamp lockedUntil(String email) throws SQLException {
        try (Connection connection = TestDatabase.connect(identity.schema());
             PreparedStatement query = connection.prepareStatement("SELECT locked_until FROM login_failures WHERE email = ?")) {
            query.setString(1, email);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getTimestamp(1) : null;
            }
        }
    }

    private static String storedHash(String userId) throws SQLException {
        try (Connection connection = TestDatabase.connect(identity.schema());
             PreparedStatement query = connection.prepareStatement("SELECT password_hash FROM users WHERE id = ?::uuid")) {
            query.setString(1, userId);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
