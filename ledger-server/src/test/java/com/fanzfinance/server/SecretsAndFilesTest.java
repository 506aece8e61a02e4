package com.fanzfinance.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.config.ServerConfig;

/**
 * What the server leaves on disk and in its log about secrets: the generated admin key is in an
 * owner-only file and never in the log, the data directory is owner-only (and tightened if it was not),
 * and a changed {@code FANZ_ADMIN_KEY} revokes the key the previous value made.
 */
class SecretsAndFilesTest {
    private static final String KEY_A = "fzk_environment_key_aaaaaaaaaaaaaaaa";
    private static final String KEY_B = "fzk_environment_key_bbbbbbbbbbbbbbbb";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theGeneratedAdminKeyIsInAnOwnerOnlyFileAndNeverInTheLog(@TempDir Path parent) throws Exception {
        Path data = parent.resolve("data");
        String logged;
        String secret;
        String createdSecret;
        try (LogCapture logs = LogCapture.start()) {
            try (LedgerServer server = LedgerServer.start(config(data, null))) {
                secret = Files.readString(data.resolve("admin.key"), StandardCharsets.UTF_8).trim();
                assertThat(secret).startsWith("fzk_");
                assertThat(status(server, "GET", "/v1/admin/keys", secret, null)).isEqualTo(200);
                // A key with a tenant, so that keys.json is rewritten while running.
                JsonNode created = JSON.readTree(body(server, "POST", "/v1/admin/keys", secret,
                    "{\"name\":\"girlfanz-payments\",\"scopes\":[\"ledger:write\"],\"tenants\":[\"girlfanz\"]}"));
                createdSecret = created.path("key").asText();
                assertThat(createdSecret).startsWith("fzk_");
            }
            logged = logs.text();
        }
        assertThat(logged).doesNotContain(secret).doesNotContain(createdSecret);
        Path adminKey = data.resolve("admin.key").toAbsolutePath().normalize();
        assertThat(logged).contains(adminKey.toString());
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("admin.key"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("keys.json"))).isEqualTo("rw-------");
    }

    @Test
    void aDataDirectoryOthersCanReadIsTightenedAtStartAndTheLogSaysSo(@TempDir Path parent) throws Exception {
        Path data = parent.resolve("data");
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tenants = data.resolve("tenants.json");
        Files.writeString(tenants, "{\"tenants\":[{\"id\":1,\"slug\":\"girlfanz\"}]}");
        Files.setPosixFilePermissions(tenants, PosixFilePermissions.fromString("rw-r--r--"));
        String logged;
        try (LogCapture logs = LogCapture.start()) {
            LedgerServer.start(config(data, KEY_A)).close();
            logged = logs.text();
        }
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("tenants.json.imported"))).as("a legacy file, tightened, then imported")
            .isEqualTo("rw-------");
        assertThat(logged).contains("tightened").contains(data.toAbsolutePath().normalize().toString());
    }

    @Test
    void aChangedEnvironmentAdminKeyRevokesThePreviousOne(@TempDir Path data) throws Exception {
        try (LedgerServer server = LedgerServer.start(config(data, KEY_A))) {
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_A, null)).isEqualTo(200);
        }
        String logged;
        try (LogCapture logs = LogCapture.start(); LedgerServer server = LedgerServer.start(config(data, KEY_B))) {
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_A, null)).isEqualTo(401);
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_B, null)).isEqualTo(200);
            logged = logs.text();
        }
        assertThat(logged).contains("FANZ_ADMIN_KEY").contains("revoked").doesNotContain(KEY_A).doesNotContain(KEY_B);
        assertThat(Files.readString(data.resolve("keys.json"))).doesNotContain(KEY_A).doesNotContain(KEY_B);
        // The same value again: the key is still there and still works, nothing else changes.
        try (LedgerServer server = LedgerServer.start(config(data, KEY_B))) {
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_B, null)).isEqualTo(200);
        }
        // Going back to a revoked key does not bring it back: the server refuses to start and says why.
        assertThatThrownBy(() -> LedgerServer.start(config(data, KEY_A))).hasMessageContaining("FANZ_ADMIN_KEY")
            .hasMessageContaining("revoked").hasMessageNotContaining(KEY_A);
    }

    @Test
    void anEnvironmentKeyInAKeyFileFromBeforeTheSourceFieldIsRecognisedAndRevoked(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("keys.json"), "{\"keys\":[{\"id\":\"key_0123456789ab\","
            + "\"name\":\"bootstrap-admin (FANZ_ADMIN_KEY)\",\"hash\":\"" + sha256(KEY_A) + "\","
            + "\"created\":\"2025-01-01T00:00:00Z\",\"scopes\":[\"admin\"],\"tenants\":[],\"revoked\":null}]}");
        try (LogCapture logs = LogCapture.start(); LedgerServer server = LedgerServer.start(config(data, KEY_B))) {
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_A, null)).isEqualTo(401);
            assertThat(status(server, "GET", "/v1/admin/keys", KEY_B, null)).isEqualTo(200);
            assertThat(logs.text()).contains("revoked key_0123456789ab");
        }
        assertThat(Files.readString(data.resolve("keys.json"))).contains("\"source\" : \"FANZ_ADMIN_KEY\"");
    }

    private static ServerConfig config(Path data, String adminKey) {
        Map<String, String> environment = new HashMap<>();
        environment.put("FANZ_HTTP_PORT", "0");
        environment.put("FANZ_DATA_DIR", data.toString());
        environment.put("FANZ_ACCOUNTS_MAX", "100000");
        environment.put("FANZ_TRANSFERS_MAX", "10000000");
        environment.put("FANZ_MAPPED_STORES", "false");
        environment.put("FANZ_READ_MODEL", "false");
        if (adminKey != null) {
            environment.put("FANZ_ADMIN_KEY", adminKey);
        }
        return ServerConfig.load(environment);
    }

    private int status(LedgerServer server, String method, String path, String key, String json) throws Exception {
        return send(server, method, path, key, json).statusCode();
    }

    private String body(LedgerServer server, String method, String path, String key, String json) throws Exception {
        HttpResponse<String> response = send(server, method, path, key, json);
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return response.body();
    }

    private HttpResponse<String> send(LedgerServer server, String method, String path, String key, String json)
        throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static String sha256(String secret) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
