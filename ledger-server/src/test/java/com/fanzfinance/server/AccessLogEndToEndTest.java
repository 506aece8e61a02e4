package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.http.LedgerHttpServer;
import com.fanzfinance.server.metrics.ServerMetrics;

/**
 * The access log's levels say whether anyone needs to look: a load balancer polling {@code /ready} while
 * the ledger recovers (503) writes DEBUG lines, the 503s of a starting server are INFO, and a 5xx that
 * is a real failure stays WARN.
 */
class AccessLogEndToEndTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesAndStartUp503sAreNotWarnings(@TempDir Path data) throws Exception {
        KeyStore keys = new KeyStore(data);
        keys.adoptFromEnvironment(ADMIN_KEY);
        try (ServerMetrics metrics = new ServerMetrics();
             LoggerEvents access = LoggerEvents.of("fanz.access", "DEBUG")) {
            // Listening, never handed an engine: recovering for as long as the test wants.
            ServerConfig config = ServerConfig.load(Map.of("FANZ_HTTP_PORT", "0", "FANZ_DATA_DIR", data.toString()));
            LedgerHttpServer recovering = new LedgerHttpServer(config, keys, new TenantRegistry(data), metrics).start();
            try {
                for (int poll = 0; poll < 3; poll++) {
                    assertThat(get(recovering.port(), "/ready", null)).isEqualTo(503);
                }
                assertThat(get(recovering.port(), "/health", null)).isEqualTo(200);
                assertThat(get(recovering.port(), "/v1/accounts/00000000-0000-0000-0000-000000000001", ADMIN_KEY))
                    .isEqualTo(503);
            } finally {
                recovering.close();
            }
            List<ILoggingEvent> lines = access.events();
            assertThat(linesFor(lines, "/ready")).hasSize(3).allMatch(line -> line.getLevel() == Level.DEBUG);
            assertThat(linesFor(lines, "/health")).hasSize(1).allMatch(line -> line.getLevel() == Level.DEBUG);
            assertThat(linesFor(lines, "/v1/accounts/00000000-0000-0000-0000-000000000001")).hasSize(1)
                .allMatch(line -> line.getLevel() == Level.INFO);
            assertThat(lines).noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.WARN));
        }
    }

    @Test
    void aRealFailureIsStillAWarning(@TempDir Path data) {
        try (LoggerEvents access = LoggerEvents.of("fanz.access", "DEBUG");
             TestServer server = TestServer.start(data)) {
            // FANZ_READ_MODEL=false in tests: the reports cannot be answered.
            assertThat(server.get("/v1/reports/trial-balance", ADMIN_KEY).status()).isEqualTo(503);
            assertThat(linesFor(awaitLines(access, "/v1/reports/trial-balance"), "/v1/reports/trial-balance"))
                .singleElement().matches(line -> line.getLevel() == Level.WARN);
            assertThat(server.get("/metrics", null).text()).contains(
                "fanz_http_requests_seconds_count{method=\"GET\",route=\"/v1/reports/trial-balance\",status=\"503\"} 1");
        }
    }

    private static List<ILoggingEvent> awaitLines(LoggerEvents access, String path) {
        for (int attempt = 0; attempt < 400; attempt++) {
            List<ILoggingEvent> lines = access.events();
            if (!linesFor(lines, path).isEmpty()) {
                return lines;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no access-log line for " + path);
    }

    private static List<ILoggingEvent> linesFor(List<ILoggingEvent> lines, String path) {
        return lines.stream().filter(line -> path.equals(LoggerEvents.value(line, "path"))).toList();
    }

    private int get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
