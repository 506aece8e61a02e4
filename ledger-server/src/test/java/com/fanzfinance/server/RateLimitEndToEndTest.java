package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.http.LedgerHttpServer;
import com.fanzfinance.server.metrics.ServerMetrics;

/**
 * Request-rate limits per API key and per tenant (FANZ_RATE_LIMIT_PER_SECOND / FANZ_RATE_LIMIT_BURST):
 * past a key's or its tenant's burst, a request is a 429 {@code rate-limited} problem with
 * {@code Retry-After}; another tenant is not held up; admin keys are exempt. A real server at 1 request
 * per second and bursts of 3, so that no request of the test can earn a token back before the limit is
 * reached.
 */
class RateLimitEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void keysAndTenantsAreLimitedAdminKeysAreNot(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of("FANZ_RATE_LIMIT_PER_SECOND", "1",
            "FANZ_RATE_LIMIT_BURST", "3"))) {
            String first = server.createKey("first", "[\"ledger:read\"]", "[\"girlfanz\"]");
            String second = server.createKey("second", "[\"ledger:read\"]", "[\"girlfanz\"]");
            String other = server.createKey("other", "[\"ledger:read\"]", "[\"pupfanz\"]");
            int port = server.port();
            List<Integer> admin = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                admin.add(get(port, ADMIN_KEY).statusCode());
            }
            assertThat(admin).allMatch(status -> status == 404);

            assertThat(get(port, first).statusCode()).isEqualTo(404);
            assertThat(get(port, first).statusCode()).isEqualTo(404);
            assertThat(get(port, second).statusCode()).isEqualTo(404);
            // girlfanz has used its burst of 3: its other key is refused too, though its own bucket is not empty
            HttpResponse<String> limited = get(port, second);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(limited.body());
            assertThat(problem.path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/rate-limited");
            assertThat(problem.path("status").asInt()).isEqualTo(429);
            assertThat(problem.path("detail").asText()).contains("tenant 'girlfanz'");
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();

            assertThat(get(port, other).statusCode()).isEqualTo(404);
            for (int i = 0; i < 2; i++) {
                assertThat(get(port, other).statusCode()).isEqualTo(404);
            }
            HttpResponse<String> ownLimit = get(port, other);
            assertThat(ownLimit.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(ownLimit.body()).path("detail").asText()).contains("this API key");
            assertThat(get(port, ADMIN_KEY).statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(int port, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/accounts/00000000-0000-0000-0000-000000000001")).header("Authorization", "Bearer " + key).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
