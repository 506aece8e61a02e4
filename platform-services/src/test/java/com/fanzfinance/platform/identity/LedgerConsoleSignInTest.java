package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ledger server's finance-console sign-in against this identity service, the real one: the ledger checks its
 * tokens with its published keys, sign-ins go through its token endpoint, and its brand roles become the finance
 * scopes (staff read, a brand's admin acts, a fan gets nothing).
 */
class LedgerConsoleSignInTest {
    private static final String PASSWORD = "correct horse battery";

    @Test
    void staffAndBrandAdminsSignInToTheLedgerAndFansDoNot(@TempDir Path identityData, @TempDir Path ledgerData) {
        try (TestIdentity identity = new TestIdentity(identityData, Map.of());
             TestServer ledger = TestServer.start(ledgerData,
                 Map.of("FANZ_SSO_JWKS_URL", identity.url.resolve("/.well-known/jwks.json").toString(),
                     "FANZ_SSO_ISSUER", identity.settings.issuer()))) {
            assertThat(ledger.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}").status())
                .isEqualTo(201);
            String staffEmail = "staff-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            JsonNode staff = identity.signUp("girlfanz", staffEmail, PASSWORD, "fan");
            String fanEmail = "fan-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            identity.signUp("girlfanz", fanEmail, PASSWORD, "fan");
            TestIdentity.Answer promoted = identity.put("/v1/tenants/girlfanz/members/" + staff.get("id").asText(),
                "{\"roles\":[\"staff\"]}", identity.adminToken("girlfanz"));
            assertThat(promoted.status()).as(promoted.text()).isEqualTo(200);

            TestServer.Response staffSignIn = signIn(ledger, staffEmail, PASSWORD);
            assertThat(staffSignIn.status()).as(staffSignIn.text()).isEqualTo(200);
            JsonNode whoami = staffSignIn.json().path("whoami");
            assertThat(whoami.path("id").asText()).isEqualTo("sso:" + staff.get("id").asText());
            assertThat(whoami.path("name").asText()).isEqualTo(staffEmail);
            assertThat(strings(whoami.path("scopes"))).containsExactly("events:read", "finance:read", "ledger:read",
                "payments:read", "payouts:read");
            String staffToken = staffSignIn.json().path("access_token").asText();
            assertThat(ledger.get("/v1/whoami", staffToken).json()).isEqualTo(whoami);
            assertThat(ledger.get("/v1/whoami", identity.signIn(staffEmail, PASSWORD, "girlfanz")).status())
                .as("a token the identity service issued directly works too").isEqualTo(200);

            TestServer.Response adminSignIn = signIn(ledger, TestIdentity.ADMIN_EMAIL, TestIdentity.ADMIN_PASSWORD);
            assertThat(adminSignIn.status()).as(adminSignIn.text()).isEqualTo(200);
            assertThat(strings(adminSignIn.json().path("whoami").path("scopes"))).contains("payments:admin",
                "payouts:admin", "finance:write").doesNotContain("admin");

            TestServer.Response fan = signIn(ledger, fanEmail, PASSWORD);
            assertThat(fan.status()).as(fan.text()).isEqualTo(403);
            TestServer.Response wrong = signIn(ledger, staffEmail, "not the password");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().path("type").asText()).endsWith("/sso-refused");
            assertThat(wrong.json().path("detail").asText()).isEqualTo("wrong email or password");
        }
    }

    private static TestServer.Response signIn(TestServer ledger, String email, String password) {
        String form = "username=" + encode(email) + "&password=" + encode(password) + "&brand=girlfanz";
        return ledger.send(ledger.request("/sso/token", null).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
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
