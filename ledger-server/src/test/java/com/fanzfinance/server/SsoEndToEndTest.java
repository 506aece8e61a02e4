package com.fanzfinance.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.auth.LocalIdentity;
import com.fanzfinance.server.payments.PaymentsFixture;

/**
 * Sign-in with the identity service on a real server, against the local identity stand-in: {@code POST /sso/token},
 * then the finance API with the token — what staff and a brand's admin may do, that another brand stays invisible,
 * that fans get nothing — {@code GET /v1/whoami} for tokens and keys, the refusals, the sign-in rate limit, SSO off,
 * and an identity service that cannot be reached.
 */
class SsoEndToEndTest {
    private static final List<String> STAFF_SCOPES = List.of("events:read", "finance:read", "ledger:read", "payments:read",
        "payouts:read");
    private static final List<String> ADMIN_SCOPES = List.of("events:read", "finance:read", "finance:write", "ledger:read",
        "payments:admin", "payments:read", "payouts:admin", "payouts:read", "payouts:write");

    private LocalIdentity identity;
    private LocalIdentity.Person staff;
    private LocalIdentity.Person boss;
    private LocalIdentity.Person fan;

    @BeforeEach
    void startIdentity() {
        identity = LocalIdentity.start();
        staff = identity.addPerson("staff@girlfanz.test", "staff-password", Map.of("girlfanz", List.of("staff")));
        boss = identity.addPerson("boss@girlfanz.test", "boss-password",
            Map.of("girlfanz", List.of("creator", "admin"), "pupfanz", List.of("fan")));
        fan = identity.addPerson("fan@girlfanz.test", "fan-password", Map.of("girlfanz", List.of("fan", "creator"),
            "nofanz", List.of("admin")));
    }

    @AfterEach
    void stopIdentity() {
        identity.close();
    }

    @Test
    void staffSignInReadsTheBrandsBooksAndCannotAct(@TempDir Path data) {
        try (PaymentsFixture fixture = PaymentsFixture.start(data, sso())) {
            TestServer server = fixture.server;
            TestServer.Response signIn = signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz");
            assertThat(signIn.status()).as(signIn.text()).isEqualTo(200);
            assertThat(signIn.header("Cache-Control")).isEqualTo("no-store");
            JsonNode answer = signIn.json();
            assertThat(answer.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(answer.path("expires_in").asLong()).isBetween(LocalIdentity.TTL_SECONDS - 60, LocalIdentity.TTL_SECONDS);
            String token = answer.path("access_token").asText();
            JsonNode whoami = answer.path("whoami");
            assertThat(whoami.path("id").asText()).isEqualTo("sso:" + staff.subject());
            assertThat(whoami.path("name").asText()).isEqualTo("staff@girlfanz.test");
            assertThat(whoami.path("kind").asText()).isEqualTo("sso");
            assertThat(strings(whoami.path("scopes"))).containsExactlyElementsOf(STAFF_SCOPES);
            assertThat(whoami.path("admin").asBoolean()).isFalse();
            assertThat(whoami.path("tenants")).hasSize(1);
            assertThat(whoami.path("tenants").get(0).path("slug").asText()).isEqualTo("girlfanz");
            assertThat(whoami.path("tenants").get(0).path("id").isInt()).isTrue();
            Instant expires = Instant.parse(whoami.path("expires").asText());
            assertThat(expires).isAfter(Instant.now());

            TestServer.Response me = server.get("/v1/whoami", token);
            assertThat(me.status()).as(me.text()).isEqualTo(200);
            assertThat(me.json()).isEqualTo(whoami);

            assertThat(server.get("/v1/reports/trial-balance", token).status()).isEqualTo(200);
            assertThat(server.get("/v1/payment-events", token).status()).isEqualTo(200);
            assertThat(server.get("/v1/payouts", token).status()).isEqualTo(200);
            assertThat(server.get("/v1/merchant-accounts/" + fixture.merchantAccountId, token).status()).isEqualTo(200);

            String someId = UUID.randomUUID().toString();
            forbidden(server.postJson("/v1/reconciliations/" + someId + "/approve", token, "{}"), "finance:write");
            forbidden(server.postJson("/v1/reconciliations/" + someId + "/reject", token, "{}"), "finance:write");
            forbidden(server.postJson("/v1/payouts/" + someId + "/cancel", token, ""), "payouts:write");
            forbidden(server.postJson("/v1/admin/payment-events/" + someId + "/replay", token, ""), "payments:admin");
            forbidden(server.postJson("/v1/checkouts", token, "{}"), "payments:write");
            forbidden(server.get("/v1/admin/keys", token), "admin");
        }
    }

    @Test
    void aBrandAdminReplaysParkedEventsOfItsBrandAndSeesNothingOfAnother(@TempDir Path data) {
        try (PaymentsFixture fixture = PaymentsFixture.start(data, sso())) {
            TestServer server = fixture.server;
            String pupfanzAccount = pupfanzMerchantAccount(server);
            String girlfanzEvent = parkedRefund(fixture, fixture.merchantAccountId, "8001");
            String pupfanzEvent = parkedRefund(fixture, pupfanzAccount, "9001");

            TestServer.Response signIn = signIn(server, "boss@girlfanz.test", "boss-password", "girlfanz");
            assertThat(signIn.status()).as(signIn.text()).isEqualTo(200);
            String token = signIn.json().path("access_token").asText();
            JsonNode whoami = signIn.json().path("whoami");
            assertThat(strings(whoami.path("scopes"))).containsExactlyElementsOf(ADMIN_SCOPES);
            assertThat(whoami.path("admin").asBoolean()).isFalse();

            int historyBefore = fixture.event(girlfanzEvent).path("history").size();
            TestServer.Response replayed = server.postJson("/v1/admin/payment-events/" + girlfanzEvent + "/replay", token, "");
            assertThat(replayed.status()).as(replayed.text()).isEqualTo(200);
            assertThat(replayed.json().path("status").asText()).isEqualTo("parked");
            assertThat(replayed.json().path("history").size()).isEqualTo(historyBefore + 1);

            notFound(server.postJson("/v1/admin/payment-events/" + pupfanzEvent + "/replay", token, ""));
            assertThat(server.get("/v1/payment-events/" + pupfanzEvent, TestServer.ADMIN_KEY).json().path("history").size())
                .as("the other brand's event was not touched").isEqualTo(2);
            notFound(server.get("/v1/payment-events/" + pupfanzEvent, token));
            notFound(server.get("/v1/merchant-accounts/" + pupfanzAccount, token));
            notFound(server.get("/v1/payment-accounts?tenant=pupfanz", token));
            notFound(server.get("/v1/reports/trial-balance?tenant=pupfanz", token));
            TestServer.Response listed = server.get("/v1/payment-events?tenant=pupfanz", token);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.json().path("payment_events")).isEmpty();
            assertThat(server.get("/v1/payment-events", token).text()).contains(girlfanzEvent).doesNotContain(pupfanzEvent);
            forbidden(server.get("/v1/admin/tenants", token), "admin");

            // On pupfanz the same person is only a fan: no token of that brand gets in.
            TestServer.Response asFan = signIn(server, "boss@girlfanz.test", "boss-password", "pupfanz");
            forbidden(asFan, "roles on pupfanz give no access to the finance API");
        }
    }

    @Test
    void aPaymentsAdminKeyReplaysOnlyItsTenantsEvents(@TempDir Path data) {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            TestServer server = fixture.server;
            String pupfanzAccount = pupfanzMerchantAccount(server);
            String girlfanzEvent = parkedRefund(fixture, fixture.merchantAccountId, "8101");
            String pupfanzEvent = parkedRefund(fixture, pupfanzAccount, "9101");
            String operations = server.createKey("girlfanz-payments-ops", "[\"payments:admin\"]", "[\"girlfanz\"]");

            notFound(server.postJson("/v1/admin/payment-events/" + pupfanzEvent + "/replay", operations, ""));
            notFound(server.postJson("/v1/admin/payment-events/" + UUID.randomUUID() + "/replay", operations, ""));
            TestServer.Response own = server.postJson("/v1/admin/payment-events/" + girlfanzEvent + "/replay", operations, "");
            assertThat(own.status()).as(own.text()).isEqualTo(200);
            assertThat(own.json().path("status").asText()).isEqualTo("parked");
            forbidden(server.postJson("/v1/admin/payment-events/" + girlfanzEvent + "/replay", fixture.platformKey, ""),
                "payments:admin");
            TestServer.Response byAdmin = server.postJson("/v1/admin/payment-events/" + pupfanzEvent + "/replay",
                TestServer.ADMIN_KEY, "");
            assertThat(byAdmin.status()).as("the admin key may replay any tenant's event").isEqualTo(200);
        }
    }

    @Test
    void fansAndCreatorsGetNoAccess(@TempDir Path data) {
        try (TestServer server = TestServer.start(data, sso())) {
            register(server, "girlfanz");
            forbidden(signIn(server, "fan@girlfanz.test", "fan-password", "girlfanz"),
                "this person's roles on girlfanz give no access to the finance API");

            String token = identity.token(fan, "girlfanz");
            forbidden(server.get("/v1/whoami", token), "give no access");
            forbidden(server.get("/v1/accounts/" + UUID.randomUUID(), token), "give no access");
        }
    }

    @Test
    void badTokensAre401LikeUnknownKeys(@TempDir Path data) {
        try (TestServer server = TestServer.start(data, sso())) {
            register(server, "girlfanz");
            Instant now = Instant.now();
            String expired = LocalIdentity.sign(identity.activeKey(), LocalIdentity.header(identity.activeKey()),
                LocalIdentity.claims(staff, "girlfanz", now.minusSeconds(1000)).expirationTime(Date.from(now.minusSeconds(100)))
                    .build());
            com.nimbusds.jose.jwk.RSAKey forger = LocalIdentity.newKey();
            String forged = LocalIdentity.sign(forger, LocalIdentity.header(identity.activeKey()),
                LocalIdentity.claims(staff, "girlfanz", now).build());
            String otherBrand = identity.token(fan, "nofanz");

            invalidToken(server, expired, "expired");
            invalidToken(server, forged, "signature does not verify");
            invalidToken(server, otherBrand, "brand 'nofanz', which is not a tenant of this ledger");
            invalidToken(server, "eyJhbGciOiJub25lIn0.e30.", "not a signed JWT");
            TestServer.Response unknownKey = server.get("/v1/whoami", "fzk_not_a_key");
            assertThat(unknownKey.status()).isEqualTo(401);
            assertThat(unknownKey.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            assertThat(server.get("/v1/whoami", identity.token(staff, "girlfanz")).status()).isEqualTo(200);
        }
    }

    @Test
    void refusalsOfTheIdentityServiceAndOfThisServer(@TempDir Path data) {
        try (TestServer server = TestServer.start(data, sso())) {
            register(server, "girlfanz");
            refused(signIn(server, "staff@girlfanz.test", "wrong", "girlfanz"), "wrong email or password");
            refused(signIn(server, "nobody@girlfanz.test", "staff-password", "girlfanz"), "wrong email or password");
            refused(signIn(server, "staff@girlfanz.test", "staff-password", "pupfanz"),
                "brand 'pupfanz' has no books on this ledger");
            identity.refuseEverySignIn("locked\u0007\u001b[31m");
            refused(signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz"),
                "the identity service refused the sign-in");
            identity.refuseEverySignIn("x".repeat(201));
            refused(signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz"),
                "the identity service refused the sign-in");
            identity.refuseEverySignIn(null);
            assertThat(identity.tokenRequests()).as("an unknown brand is refused without asking").isEqualTo(4);
            assertThat(signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz").status()).isEqualTo(200);
        }
    }

    @Test
    void theSignInFormIsCheckedBeforeAnythingIsForwarded(@TempDir Path data) {
        try (TestServer server = TestServer.start(data, sso())) {
            register(server, "girlfanz");
            problem(form(server, "username=staff%40girlfanz.test&brand=girlfanz"), 400, "invalid-field", "/password");
            problem(form(server, "username=a&password=b&brand=girlfanz&grant_type=password"), 400, "unknown-field",
                "/grant_type");
            problem(form(server, "username=a&password=b&password=c&brand=girlfanz"), 400, "invalid-field", "/password");
            problem(form(server, "username=a&password=b&brand=Girl%20Fanz"), 400, "invalid-field", "/brand");
            problem(form(server, "username=a&password=%zz&brand=girlfanz"), 400, "invalid-field", "/password");
            problem(form(server, "username=a&password=" + "p".repeat(9000) + "&brand=girlfanz"), 413, "body-too-large",
                null);
            TestServer.Response json = server.send(server.request("/sso/token", null).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"a\"}")));
            problem(json, 415, "unsupported-media-type", null);
            assertThat(identity.tokenRequests()).isZero();
        }
    }

    @Test
    void signInsAreLimitedTo10AMinutePerAddress(@TempDir Path data) {
        try (TestServer server = TestServer.start(data, sso())) {
            register(server, "girlfanz");
            for (int attempt = 0; attempt < 10; attempt++) {
                refused(signIn(server, "staff@girlfanz.test", "guess-" + attempt, "girlfanz"), "wrong email or password");
            }
            TestServer.Response limited = signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz");
            problem(limited, 429, "too-many-requests", null);
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(limited.header("Cache-Control")).isEqualTo("no-store");
            assertThat(identity.tokenRequests()).isEqualTo(10);
        }
    }

    @Test
    void whoamiOfApiKeysAndSsoOff(@TempDir Path data) {
        try (TestServer server = TestServer.start(data)) {
            int girlfanz = register(server, "girlfanz");
            int pupfanz = register(server, "pupfanz");
            JsonNode admin = server.get("/v1/whoami", TestServer.ADMIN_KEY).json();
            assertThat(admin.path("kind").asText()).isEqualTo("api_key");
            assertThat(admin.path("id").asText()).startsWith("key_");
            assertThat(admin.path("admin").asBoolean()).isTrue();
            assertThat(strings(admin.path("scopes"))).containsExactly("admin");
            assertThat(admin.path("tenants").toString()).isEqualTo("[{\"id\":" + girlfanz + ",\"slug\":\"girlfanz\"},{\"id\":"
                + pupfanz + ",\"slug\":\"pupfanz\"}]");
            assertThat(admin.path("expires").isNull()).isTrue();

            String key = server.createKey("pupfanz-reader", "[\"payments:read\",\"ledger:read\"]", "[\"pupfanz\"]");
            JsonNode reader = server.get("/v1/whoami", key).json();
            assertThat(reader.path("name").asText()).isEqualTo("pupfanz-reader");
            assertThat(strings(reader.path("scopes"))).containsExactly("ledger:read", "payments:read");
            assertThat(reader.path("admin").asBoolean()).isFalse();
            assertThat(reader.path("tenants").toString()).isEqualTo("[{\"id\":" + pupfanz + ",\"slug\":\"pupfanz\"}]");
            assertThat(server.get("/v1/whoami", null).status()).isEqualTo(401);
            problem(server.get("/v1/whoami?x=1", key), 400, "unknown-parameter", "?x");

            TestServer.Response off = signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz");
            problem(off, 404, "sso-off", null);
            TestServer.Response token = server.get("/v1/whoami", identity.token(staff, "girlfanz"));
            assertThat(token.status()).isEqualTo(401);
            assertThat(token.json().path("detail").asText()).isEqualTo("unknown or revoked API key");
            assertThat(identity.jwksFetches()).isZero();
        }
    }

    @Test
    void anIdentityServiceThatCannotBeReachedIs503(@TempDir Path data) throws Exception {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        try (TestServer server = TestServer.start(data, Map.of("FANZ_SSO_JWKS_URL", closed + "/.well-known/jwks.json"))) {
            register(server, "girlfanz");
            TestServer.Response signIn = signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz");
            problem(signIn, 503, "sso-unavailable", null);
            assertThat(signIn.header("Retry-After")).isEqualTo("5");
            TestServer.Response bearer = server.get("/v1/whoami", identity.token(staff, "girlfanz"));
            problem(bearer, 503, "sso-unavailable", null);
        }
        try (TestServer server = TestServer.start(data, Map.of("FANZ_SSO_JWKS_URL", identity.jwksUrl().toString(),
            "FANZ_SSO_TOKEN_URL", closed + "/oauth/token"))) {
            problem(signIn(server, "staff@girlfanz.test", "staff-password", "girlfanz"), 503, "sso-unavailable", null);
            assertThat(server.get("/v1/whoami", identity.token(staff, "girlfanz")).status())
                .as("tokens still work: the keys come from the JWKS").isEqualTo(200);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Map<String, String> sso() {
        return Map.of("FANZ_SSO_JWKS_URL", identity.jwksUrl().toString());
    }

    private static TestServer.Response signIn(TestServer server, String username, String password, String brand) {
        return form(server, "username=" + encode(username) + "&password=" + encode(password) + "&brand=" + encode(brand));
    }

    private static TestServer.Response form(TestServer server, String body) {
        return server.send(server.request("/sso/token", null).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int register(TestServer server, String slug) {
        TestServer.Response tenant = server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"" + slug + "\"}");
        assertThat(tenant.status()).as(tenant.text()).isIn(200, 201);
        return tenant.json().path("id").asInt();
    }

    /** A Verotel merchant account of tenant pupfanz (the tenant registered first), signed like the fixture's. */
    private static String pupfanzMerchantAccount(TestServer server) {
        register(server, "pupfanz");
        TestServer.Response account = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"pupfanz","processor":"verotel","name":"Verotel pupfanz","currencies":["USD"],
             "fees":{"percent_bp":1000,"fixed":"30","chargeback":"2500","refund":"0"},
             "settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}"""
            .formatted(PaymentsFixture.SHOP_ID, PaymentsFixture.SIGNATURE_KEY));
        assertThat(account.status()).as(account.text()).isEqualTo(201);
        return account.json().path("id").asText();
    }

    /** A refund of a sale never seen on {@code account}: parked, waiting for its sale. Returns the event id. */
    private static String parkedRefund(PaymentsFixture fixture, String account, String sale) {
        String query = PaymentsFixture.signedQuery(PaymentsFixture.reversal("credit", sale + "-r", sale, "5.00"),
            PaymentsFixture.SIGNATURE_KEY);
        TestServer.Response refund = fixture.server.send(HttpRequest.newBuilder(fixture.server.base()
            .resolve("/hooks/verotel/" + account + "?" + query)).GET());
        assertThat(refund.status()).as(refund.text()).isEqualTo(200);
        String id = refund.header("X-Payment-Event-Id");
        JsonNode event = fixture.server.get("/v1/payment-events/" + id, TestServer.ADMIN_KEY).json();
        assertThat(event.path("status").asText()).as(event.toString()).isEqualTo("parked");
        return id;
    }

    private static void invalidToken(TestServer server, String token, String reason) {
        TestServer.Response response = server.get("/v1/whoami", token);
        problem(response, 401, "unauthorized", null);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(response.json().path("detail").asText()).contains(reason);
        assertThat(response.text()).doesNotContain(token);
    }

    private static void refused(TestServer.Response response, String detail) {
        problem(response, 401, "sso-refused", null);
        assertThat(response.json().path("detail").asText()).isEqualTo(detail);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    }

    private static void forbidden(TestServer.Response response, String detail) {
        problem(response, 403, "forbidden", null);
        assertThat(response.json().path("detail").asText()).contains(detail);
    }

    private static void notFound(TestServer.Response response) {
        problem(response, 404, "not-found", null);
    }

    private static void problem(TestServer.Response response, int status, String type, String pointer) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/" + type);
        if (pointer != null) {
            assertThat(problem.path("pointer").asText()).isEqualTo(pointer);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
