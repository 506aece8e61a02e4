package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.metrics.ServerMetrics;

/**
 * The server's one connector, which replaces Javalin's default: on the configured interface and port, HTTP/1.1,
 * reading requests 64 KiB at a time.
 */
class LedgerHttpServerConnectorTest {
    @Test
    void listensWhereConfiguredAndReadsInLargeChunks(@TempDir Path data) throws Exception {
        KeyStore keys = new KeyStore(data);
        try (ServerMetrics metrics = new ServerMetrics()) {
            ServerConfig config = ServerConfig.load(Map.of("FANZ_HTTP_PORT", "0", "FANZ_HTTP_HOST", "127.0.0.1",
                "FANZ_DATA_DIR", data.toString()));
            LedgerHttpServer server = new LedgerHttpServer(config, keys, new TenantRegistry(data), metrics).start();
            try {
                assertThat(server.connectors()).hasSize(1);
                ServerConnector connector = (ServerConnector) server.connectors().get(0);
                assertThat(connector.getHost()).isEqualTo("127.0.0.1");
                assertThat(connector.getLocalPort()).isEqualTo(server.port()).isPositive();
                assertThat(connector.getConnectionFactory(HttpConnectionFactory.class).getInputBufferSize())
                    .isEqualTo(LedgerHttpServer.INPUT_BUFFER_BYTES).isEqualTo(64 * 1024);
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            } finally {
                server.close();
            }
        }
    }
}
