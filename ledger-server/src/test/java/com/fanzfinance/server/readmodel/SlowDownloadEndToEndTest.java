package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * Slow and stalled downloads against a real server: a client that reads a few bytes of a large export and
 * then stops reading holds one reader connection, but only its key's share and only until the time box
 * ends; meanwhile the projector keeps projecting (its own pool) and other keys are served.
 */
class SlowDownloadEndToEndTest {
    private static final int TRANSFERS = 40_000;
    private static final int BATCH = 8_000;
    private static final long TIME_BOX_MILLIS = 4_000;
    private static final long PATIENCE_MILLIS = 60_000;

    private TestServer server;
    private String schema;
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void aStalledExportHoldsOneReaderOnlyUntilItsTimeBoxWhileProjectionAndOtherKeysGoOn(@TempDir Path data)
        throws Exception {
        schema = TestDatabase.freshSchema("rm_slow");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_READ_MODEL_READERS", "2");
        settings.put("FANZ_READ_MODEL_READS_PER_KEY", "1");
        settings.put("FANZ_READ_MODEL_TIMEOUT_MS", Long.toString(TIME_BOX_MILLIS));
        server = TestServer.start(data, settings);
        assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"girlfanz\"}").status()).isIn(200, 201);
        String first = server.createKey("finance-a", "[\"finance:read\"]", "[\"girlfanz\"]");
        String second = server.createKey("finance-b", "[\"finance:read\"]", "[\"girlfanz\"]");
        String[] accounts = createAccounts();
        post(accounts, TRANSFERS);
        assertThat(server.server().readModel().projector().awaitCaughtUp(PATIENCE_MILLIS)).isTrue();

        Socket stalledFirst = stallDuringExport(first);
        awaitUntil(() -> readersInUse() == 1);
        TestServer.Response refused = server.get("/v1/reports/trial-balance", first);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("type").asText()).endsWith("/too-many-requests");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(server.get("/v1/reports/trial-balance", second).status()).isEqualTo(200);

        Socket stalledSecond = stallDuringExport(second);
        awaitUntil(() -> readersInUse() == 2);
        long before = server.server().readModel().projector().position().command();
        post(accounts, 10);
        assertThat(server.server().readModel().projector().awaitCaughtUp(PATIENCE_MILLIS)).isTrue();
        assertThat(server.server().readModel().projector().position().command()).isGreaterThan(before);

        awaitUntil(() -> readersInUse() == 0);
        assertThat(bytesUntilClosed(stalledFirst)).isLessThan(TRANSFERS * 300L);
        assertThat(bytesUntilClosed(stalledSecond)).isLessThan(TRANSFERS * 300L);
        assertThat(server.get("/v1/reports/trial-balance", first).status()).isEqualTo(200);
    }

    private String[] createAccounts() {
        String[] ids = new String[4];
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new UUID(0x5104, i + 1).toString();
            bodies.add("{\"id\":\"" + ids[i] + "\",\"ledger\":840,\"code\":" + (i < 2 ? 1100 : 2100)
                + ",\"tenant\":\"girlfanz\"}");
        }
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[" + String.join(",", bodies) + "]}")
            .status()).isEqualTo(200);
        return ids;
    }

    private void post(String[] accounts, int count) {
        for (int sent = 0; sent < count; sent += BATCH) {
            List<String> batch = new ArrayList<>();
            for (int i = sent; i < Math.min(count, sent + BATCH); i++) {
                batch.add("{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + accounts[i % 2]
                    + "\",\"credit_account_id\":\"" + accounts[2 + i % 2] + "\",\"amount\":" + (1 + i)
                    + ",\"ledger\":840,\"code\":1}");
            }
            TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY,
                "{\"transfers\":[" + String.join(",", batch) + "]}");
            assertThat(response.status()).isEqualTo(200);
        }
    }

    /** Asks for the whole journal as CSV over a raw socket with a tiny receive window, reads a little, stops. */
    private Socket stallDuringExport(String key) throws IOException {
        Socket socket = new Socket();
        stalled.add(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/exports/journal?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] head = new byte[1024];
        int read = socket.getInputStream().read(head);
        assertThat(new String(head, 0, read, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        return socket;
    }

    /** Reads what the server had sent before it closed the connection; the socket must end, not hang. */
    private static long bytesUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout((int) PATIENCE_MILLIS);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                total += read;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server never closed the stalled download", e);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return total;
    }

    private int readersInUse() {
        HikariDataSource readers = (HikariDataSource) server.server().readModel().database().readerDataSource();
        return readers.getHikariPoolMXBean().getActiveConnections();
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %d ms for the condition", PATIENCE_MILLIS).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
