package com.fanzfinance.server.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.server.config.ServerConfig;

/**
 * Calls the admin endpoints of a running server. The admin key comes from {@code --admin-key}, else
 * {@code FANZ_ADMIN_KEY}, else {@code <data>/admin.key}; it is sent, never printed.
 */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final URI base;
    private final String key;

    AdminClient(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    static AdminClient of(String url, String adminKey, ServerConfig config) {
        String base = url != null ? url : "http://" + config.host() + ":" + config.port();
        String key = adminKey != null ? adminKey : config.adminKey();
        if (key == null) {
            Path file = config.dataDirectory().resolve("admin.key");
            try {
                key = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("no admin key: pass --admin-key, set FANZ_ADMIN_KEY, or run where "
                    + file + " is readable");
            }
        }
        return new AdminClient(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base), key);
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, JsonNode body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** In words, since the HTTP client's exceptions often carry no message at all. */
    private static String whyUnreachable(IOException e) {
        if (causedBy(e, UnresolvedAddressException.class)) {
            return "the host name does not resolve";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no answer to connecting within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toMinutes() + " minutes";
        }
        if (e instanceof ConnectException) {
            return "the connection was refused, so the server is not running there";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static ObjectMapper json() {
        return JSON;
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + key).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the server at " + base + ": " + whyUnreachable(e)
                + " (start it with 'fanz serve', pass --url if it runs elsewhere, or use --offline to work on a"
                + " stopped server's data directory)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        JsonNode body = null;
        try {
            body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            // not JSON: reported below by status
        }
        if (response.statusCode() >= 300) {
            String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText()
                : new String(response.body(), StandardCharsets.UTF_8);
            throw new IllegalStateException("the server answered " + response.statusCode() + ": " + detail);
        }
        return body == null ? JSON.createObjectNode() : body;
    }
}
