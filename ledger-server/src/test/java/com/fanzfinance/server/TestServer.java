package com.fanzfinance.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.server.config.ServerConfig;

/**
 * A real server on a free port in this JVM, with a known admin key, and a small HTTP client for tests.
 * Each test gives it its own data directory.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "fzk_test_admin_key_0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    private TestServer(LedgerServer server) {
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    public static TestServer start(Path dataDirectory) {
        return start(dataDirectory, Map.of());
    }

    /** Starts with the test defaults overridden by {@code settings} (FANZ_* names). */
    public static TestServer start(Path dataDirectory, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        environment.put("FANZ_HTTP_PORT", "0");
        environment.put("FANZ_DATA_DIR", dataDirectory.toString());
        environment.put("FANZ_ADMIN_KEY", ADMIN_KEY);
        environment.put("FANZ_ACCOUNTS_MAX", "100000");
        environment.put("FANZ_TRANSFERS_MAX", "10000000");
        environment.put("FANZ_MAPPED_STORES", "false");
        environment.put("FANZ_READ_MODEL", "false");
        // No warm-up in tests unless one asks (ServerWarmUpEndToEndTest): it would only add CPU beside them.
        environment.put("FANZ_WARM_UP_TRANSFERS", "0");
        environment.putAll(settings);
        return new TestServer(LedgerServer.start(ServerConfig.load(environment)));
    }

    public URI base() {
        return base;
    }

    public int port() {
        return server.port();
    }

    public LedgerServer server() {
        return server;
    }

    /** A response: status, headers and body. */
    public record Response(int status, String contentType, byte[] body, HttpResponse<byte[]> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String key) {
        return send(request(path, key).GET());
    }

    public Response postJson(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response putJson(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response patchJson(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response postBinary(String path, String key, byte[] body) {
        return send(request(path, key).header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        return send(request.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** Creates a key through the admin API and returns its secret. */
    public String createKey(String name, String scopesJson, String tenantsJson) {
        Response response = postJson("/v1/admin/keys", ADMIN_KEY, "{\"name\":\"" + name + "\",\"scopes\":" + scopesJson
            + ",\"tenants\":" + tenantsJson + "}");
        if (response.status() != 201) {
            throw new IllegalStateException("key creation failed: " + response.status() + " " + response.text());
        }
        return response.json().path("key").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
