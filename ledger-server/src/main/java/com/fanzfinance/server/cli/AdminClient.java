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
import java.util.Map;

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

    /**
     * Posts a file as the request body, streamed from disk with its length declared, telling {@code progress} the
     * bytes sent so far and the lines among them as they go.
     */
    JsonNode postFile(String path, Path file, String contentType, Map<String, String> headers, Progress progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return new ProgressInput(Files.newInputStream(file), progress);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), size);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
            .POST(body);
        headers.forEach(request::header);
        return send(request);
    }

    /** What a file upload has sent so far. */
    interface Progress {
        void sent(long bytes, long lines);
    }

    /** Counts bytes and line feeds as the HTTP client reads the file. */
    private static final class ProgressInput extends java.io.FilterInputStream {
        private final Progress progress;
        private long bytes;
        private long lines;

        ProgressInput(java.io.InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                bytes += n;
                for (int i = offset; i < offset + n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                progress.sent(bytes, lines);
            }
            return n;
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
