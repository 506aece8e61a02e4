package com.fanzfinance.platform.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.server.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An identity service for one test class: its own schema prefix in the test PostgreSQL (dropped on close),
 * data directory, a clock the test can move, a platform admin, and small HTTP helpers on its real port.
 */
final class TestIdentity implements AutoCloseable {
    static final String ADMIN_EMAIL = "admin@fanz.test";
    static final String ADMIN_PASSWORD = "admin-password-long-enough";

    final ShiftedClock clock = new ShiftedClock();
    final String prefix;
    final Path dataDirectory;
    final PlatformSettings settings;
    final IdentityService service;
    final URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A clock that runs with the system's but can be moved ahead or back. */
    static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration by) {
            shift = shift.plus(by);
        }

        void reset() {
            shift = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** An HTTP answer with its body parsed as JSON (null if empty or not JSON). */
    record Answer(int status, HttpHeaders headers, String text, JsonNode json) {
        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    TestIdentity(Path dataDirectory, Map<String, String> extra) {
        this(dataDirectory, extra, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_");
    }

    private TestIdentity(Path dataDirectory, Map<String, String> extra, String prefix) {
        this.prefix = prefix;
        this.dataDirectory = dataDirectory;
        Map<String, String> values = new HashMap<>();
        values.put("FANZ_PLATFORM_DB_URL", TestDatabase.url());
        values.put("FANZ_PLATFORM_SCHEMA_PREFIX", prefix);
        values.put("FANZ_IDENTITY_PORT", "0");
        values.put("FANZ_PLATFORM_DATA", dataDirectory.toString());
        values.put("FANZ_IDENTITY_ADMIN_EMAIL", ADMIN_EMAIL);
        values.put("FANZ_IDENTITY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        values.putAll(extra);
        settings = new PlatformSettings(values);
        service = IdentityService.start(settings, clock);
        url = URI.create("http://127.0.0.1:" + service.port());
    }

    /** Stops this service and starts another on the same schema and data directory (close only the new one). */
    TestIdentity restarted() {
        return restarted(Map.of());
    }

    /** {@link #restarted()} with {@code extra} settings. */
    TestIdentity restarted(Map<String, String> extra) {
        service.close();
        return new TestIdentity(dataDirectory, extra, prefix);
    }

    Answer get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    Answer post(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Answer put(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Answer delete(String path, String token) {
        return send(request(path, token).DELETE().build());
    }

    /** A form POST to {@code /oauth/token}; pairs of name, value. */
    Answer token(String... pairs) {
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            form.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return send(request("/oauth/token", null).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    /** A password-grant access token (the test fails unless it is issued). */
    String signIn(String email, String password, String tenant) {
        Answer answer = token("grant_type", "password", "username", email, "password", password, "tenant", tenant);
        if (answer.status() != 200) {
            throw new AssertionError("sign-in of " + email + " on " + tenant + " failed: " + answer.text());
        }
        return answer.json().get("access_token").asText();
    }

    String adminToken(String tenant) {
        return signIn(ADMIN_EMAIL, ADMIN_PASSWORD, tenant);
    }

    /** Signs a person up (the test fails unless it works); their account as answered. */
    JsonNode signUp(String tenant, String email, String password, String role) {
        Answer answer = post("/v1/users", "{\"tenant\":\"" + tenant + "\",\"email\":\"" + email + "\",\"password\":\""
            + password + "\",\"display_name\":\"" + email + "\",\"role\":\"" + role + "\"}", null);
        if (answer.status() != 201) {
            throw new AssertionError("sign-up of " + email + " failed: " + answer.text());
        }
        return answer.json();
    }

    String schema() {
        return prefix + "identity";
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                json = null;
            }
            return new Answer(response.statusCode(), response.headers(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            TestDatabase.dropSchema(schema());
        }
    }
}
