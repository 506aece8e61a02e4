package com.fanzfinance.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.Platform;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.testing.Http.Answer;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

/**
 * The four platform services in one process (as {@code fanz-platform serve} runs them) beside a real ledger
 * server with payments on (tenants girlfanz and boyfanz, a Verotel account on girlfanz), a fresh schema prefix,
 * an identity admin, and helpers for signing people up and in.
 */
public final class PlatformFixture implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@girlfanz.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests-1";
    public static final String PASSWORD = "correct horse battery staple";

    public final PaymentsFixture ledger;
    public final Platform platform;
    public final URI identity;
    public final URI content;
    public final URI compliance;
    public final URI media;
    private final String prefix;

    private PlatformFixture(PaymentsFixture ledger, Platform platform, String prefix) {
        this.ledger = ledger;
        this.platform = platform;
        this.prefix = prefix;
        this.identity = url(PlatformSettings.IDENTITY);
        this.content = url(PlatformSettings.CONTENT);
        this.compliance = url(PlatformSettings.COMPLIANCE);
        this.media = url(PlatformSettings.MEDIA);
    }

    public static PlatformFixture start(Path data) {
        PaymentsFixture ledger = PaymentsFixture.start(data.resolve("ledger"));
        String prefix = PlatformTestDatabase.freshPrefix();
        try {
            TestServer server = ledger.server;
            assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"boyfanz\"}").status())
                .isIn(200, 201);
            String platformKey = server.createKey("platform-services", "[\"payments:read\",\"payments:write\","
                + "\"payouts:read\",\"payouts:write\",\"compliance:write\",\"events:read\"]", "[\"girlfanz\",\"boyfanz\"]");
            Map<String, String> settings = new HashMap<>(PlatformTestDatabase.settings(prefix));
            for (String service : Platform.SERVICES) {
                settings.put("FANZ_" + service.toUpperCase(Locale.ROOT) + "_PORT", "0");
                settings.put("FANZ_SERVICE_KEY_" + service.toUpperCase(Locale.ROOT), "fzs_" + UUID.randomUUID());
            }
            settings.put("FANZ_PLATFORM_DATA", data.resolve("platform").toString());
            settings.put("FANZ_LEDGER_URL", server.base().toString());
            settings.put("FANZ_LEDGER_KEY", platformKey);
            settings.put("FANZ_IDENTITY_BOOTSTRAP_TENANTS", "girlfanz,boyfanz");
            settings.put("FANZ_IDENTITY_ADMIN_EMAIL", ADMIN_EMAIL);
            settings.put("FANZ_IDENTITY_ADMIN_PASSWORD", ADMIN_PASSWORD);
            settings.put("FANZ_COMPLIANCE_PUSH_RETRY_SECONDS", "1");
            Platform platform = Platform.start(new PlatformSettings(settings), new LinkedHashSet<>(Platform.SERVICES));
            return new PlatformFixture(ledger, platform, prefix);
        } catch (RuntimeException | Error e) {
            ledger.close();
            PlatformTestDatabase.drop(prefix);
            throw e;
        }
    }

    private URI url(String service) {
        return URI.create("http://127.0.0.1:" + platform.port(service));
    }

    /** Signs a person up on {@code tenant} as {@code role} (fan or creator) and returns their user id. */
    public String signUp(String tenant, String email, String role) {
        Answer answer = Http.post(identity, "/v1/users", null, """
            {"tenant":"%s","email":"%s","password":"%s","display_name":"%s","role":"%s"}"""
            .formatted(tenant, email, PASSWORD, email.substring(0, email.indexOf('@')), role));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().path("id").asText();
    }

    /** A password sign-in on {@code tenant}: the access token. */
    public String login(String tenant, String email) {
        return login(tenant, email, PASSWORD);
    }

    public String login(String tenant, String email, String password) {
        Answer answer = Http.form(identity, "/oauth/token", Map.of("grant_type", "password", "username", email,
            "password", password, "tenant", tenant));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("access_token").asText();
    }

    /** The platform admin's token on {@code tenant}. */
    public String admin(String tenant) {
        return login(tenant, ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Gives {@code userId} the roles on {@code tenant} (as the platform admin). */
    public void grant(String tenant, String userId, String rolesJson) {
        Answer answer = Http.put(identity, "/v1/tenants/" + tenant + "/members/" + userId, admin(tenant),
            "{\"roles\":" + rolesJson + "}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    /** Polls {@code read} every 100 ms until {@code done} holds (30 s at most). */
    public static JsonNode eventually(String what, Supplier<JsonNode> read, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("waited 30 s for " + what + "; last seen: " + last);
    }

    /** Asserts the answer's status is one of {@code statuses}. */
    public static Answer ok(Answer answer, int... statuses) {
        assertThat(answer.status()).as(answer.text()).isIn(java.util.Arrays.stream(statuses).boxed().toArray());
        return answer;
    }

    @Override
    public void close() {
        try {
            platform.close();
        } finally {
            ledger.close();
            PlatformTestDatabase.drop(prefix);
        }
    }
}
