package com.fanzfinance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.platform.Platform;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.server.TestDatabase;

/**
 * The real identity service (platform-services), alone, on a port of its own with fresh schemas of the test
 * PostgreSQL: brands girlfanz and boyfanz, a platform admin, and the people the console's single sign-on is
 * tried with. The ledger server is started after it, pointed at its JWKS and token endpoint.
 */
final class ConsoleIdentity implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    private static final String ADMIN_EMAIL = "admin@fanz.test";
    private static final String ADMIN_PASSWORD = "platform-admin-password-for-console-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Platform platform;
    private final String prefix;
    private final HttpClient http = HttpClient.newHttpClient();
    final URI base;

    ConsoleIdentity(Path data) {
        prefix = "pc" + ProcessHandle.current().pid() + "_";
        dropSchemas();
        Map<String, String> settings = new HashMap<>();
        settings.put("FANZ_PLATFORM_DB_URL", TestDatabase.url());
        settings.put("FANZ_PLATFORM_SCHEMA_PREFIX", prefix);
        settings.put("FANZ_PLATFORM_DATA", data.toString());
        settings.put("FANZ_IDENTITY_PORT", "0");
        for (String service : Platform.SERVICES) {
            settings.put("FANZ_SERVICE_KEY_" + service.toUpperCase(java.util.Locale.ROOT), "fzs_" + UUID.randomUUID());
        }
        settings.put("FANZ_IDENTITY_BOOTSTRAP_TENANTS", "girlfanz,boyfanz");
        settings.put("FANZ_IDENTITY_ADMIN_EMAIL", ADMIN_EMAIL);
        settings.put("FANZ_IDENTITY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        platform = Platform.start(new PlatformSettings(settings), new LinkedHashSet<>(List.of(PlatformSettings.IDENTITY)));
        base = URI.create("http://127.0.0.1:" + platform.port(PlatformSettings.IDENTITY));
    }

    /** The settings that point a ledger server's single sign-on at this identity service. */
    Map<String, String> ledgerSettings() {
        return Map.of("FANZ_SSO_JWKS_URL", base.resolve("/.well-known/jwks.json").toString());
    }

    /** Signs {@code email} up on {@code tenant} and gives them {@code roles} there (as the platform admin). */
    void person(String tenant, String email, String... roles) {
        JsonNode user = send("POST", "/v1/users", null, "application/json", """
            {"tenant":"%s","email":"%s","password":"%s","display_name":"%s","role":"fan"}"""
            .formatted(tenant, email, PASSWORD, email.substring(0, email.indexOf('@'))), 201);
        String admin = send("POST", "/oauth/token", null, "application/x-www-form-urlencoded", form(Map.of(
            "grant_type", "password", "username", ADMIN_EMAIL, "password", ADMIN_PASSWORD, "tenant", tenant)), 200)
            .path("access_token").asText();
        String list = java.util.Arrays.stream(roles).map(role -> "\"" + role + "\"").collect(Collectors.joining(","));
        send("PUT", "/v1/tenants/" + tenant + "/members/" + user.path("id").asText(), admin, "application/json",
            "{\"roles\":[" + list + "]}", 200);
    }

    private JsonNode send(String method, String path, String token, String type, String body, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private void dropSchemas() {
        for (String service : Platform.SERVICES) {
            TestDatabase.dropSchema(prefix + service);
        }
    }

    @Override
    public void close() {
        platform.close();
        dropSchemas();
    }
}
