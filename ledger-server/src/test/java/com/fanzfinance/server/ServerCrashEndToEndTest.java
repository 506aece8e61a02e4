package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import com.fanzfinance.server.testing.ChildJvm;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Kills the server process with SIGKILL while clients post transfers (JSON and binary), restarts it, and
 * checks that every transfer the server acknowledged is there, that the balances agree with them, and
 * that resubmitting what was in flight is safe ({@code created} or {@code exists}, never a double
 * posting). {@code -Dserver.crash.kills=N} sets the number of kills (default 3; the soak profile 20).
 */
class ServerCrashEndToEndTest {
    private static final Pattern READY = Pattern.compile("ready on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEBIT = new UUID(0xC0, 1).toString();
    private static final String CREDIT = new UUID(0xC0, 2).toString();
    private static final int BATCH = 250;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<List<String>> inFlight = new ArrayList<>();
    /** The read model's schema: the projector is killed with the server and must resume exactly once. */
    private static String schema;

    @Test
    void everyAcknowledgedTransferSurvivesSigkill(@TempDir Path data) throws Exception {
        int kills = Integer.getInteger("server.crash.kills", 3);
        Random random = new Random(42);
        schema = TestDatabase.freshSchema("crash");
        ServerProcess server = ServerProcess.start(data);
        assertThat(post(server.base, "/v1/accounts", accounts(account(DEBIT, 1, null), account(CREDIT, 1, null)))
            .statusCode()).isEqualTo(200);
        for (int round = 0; round < kills; round++) {
            URI base = server.base;
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> loaders = new ArrayList<>();
            for (int lane = 0; lane < 2; lane++) {
                int thread = round * 2 + lane;
                boolean binary = lane == 1;
                Thread loader = new Thread(() -> load(base, thread, binary, started), "loader-" + thread);
                loader.start();
                loaders.add(loader);
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300 + random.nextInt(1200));
            server.kill();
            for (Thread loader : loaders) {
                loader.join(TimeUnit.SECONDS.toMillis(30));
            }
            server = ServerProcess.start(data);
            assertThat(server.output()).as("a start after SIGKILL rebuilds the transfer id index")
                .contains("transferIdIndexKept=false");
            checkEverythingAcknowledgedIsThere(server.base);
            if (round == 0) {
                // A graceful stop between the kills: the next start keeps the id index saved at the shutdown, which
                // must know every transfer (a resubmission answers exists, never a second posting); the next kill
                // makes the start after it rebuild again.
                server.stop();
                server = ServerProcess.start(data);
                assertThat(server.output()).contains("transferIdIndexKept=true");
                resubmitAcknowledgedExpectingExists(server.base);
                checkEverythingAcknowledgedIsThere(server.base);
            }
        }
        resubmitInFlight(server.base);
        checkEverythingAcknowledgedIsThere(server.base);
        server.stop();
        assertThat(acknowledged).hasSizeGreaterThan(kills * BATCH);
        TestDatabase.dropSchema(schema);
    }

    /** Posts batches until the server goes away; remembers acknowledged ids and the batch that was in flight. */
    private void load(URI base, int thread, boolean binary, CountDownLatch started) {
        long sequence = 0;
        boolean first = true;
        while (true) {
            List<Transfer> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(Transfer.of(new Uint128(0xD0 + thread, ++sequence), Uint128.fromUuid(DEBIT),
                    Uint128.fromUuid(CREDIT), 1, 1, 1));
            }
            List<String> ids = batch.stream().map(t -> t.id().toUuidString()).toList();
            try {
                HttpResponse<byte[]> response = binary ? postBinary(base, batch) : post(base, "/v1/transfers", json(batch));
                if (response.statusCode() != 200) {
                    throw new AssertionError("unexpected " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
                }
                assertAllCreated(response, binary, batch.size());
                acknowledged.addAll(ids);
                if (first) {
                    started.countDown();
                    first = false;
                }
            } catch (IOException e) {
                synchronized (inFlight) {
                    inFlight.add(ids);
                }
                if (first) {
                    started.countDown();
                }
                return;
            }
        }
    }

    private static void assertAllCreated(HttpResponse<byte[]> response, boolean binary, int count) throws IOException {
        if (binary) {
            UnsafeBuffer results = new UnsafeBuffer(response.body());
            for (int i = 0; i < count; i++) {
                assertThat(results.getInt(i * 16 + 8)).as("status of %d", i).isEqualTo(0xFFFF_FFFF);
            }
        } else {
            for (JsonNode result : JSON.readTree(response.body()).path("results")) {
                assertThat(result.path("status").asText()).isEqualTo("created");
            }
        }
    }

    private void checkEverythingAcknowledgedIsThere(URI base) throws Exception {
        Set<String> present = new HashSet<>();
        String cursor = null;
        do {
            HttpResponse<byte[]> page = get(base, "/v1/accounts/" + DEBIT + "/transfers?limit=8189"
                + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            body.path("transfers").forEach(t -> present.add(t.path("id").asText()));
            cursor = body.path("next").isNull() ? null : body.path("next").asText();
        } while (cursor != null);
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(present);
        assertThat(missing).as("acknowledged transfers missing after the restart").isEmpty();
        JsonNode debit = JSON.readTree(get(base, "/v1/accounts/" + DEBIT).body());
        assertThat(Long.parseLong(debit.path("debits_posted").asText())).isEqualTo(present.size());
        JsonNode credit = JSON.readTree(get(base, "/v1/accounts/" + CREDIT).body());
        assertThat(Long.parseLong(credit.path("credits_posted").asText())).isEqualTo(present.size());
        checkReadModelHoldsEachTransferOnce(base, present);
    }

    /**
     * The read model, projected by a process that was killed at random points, holds each transfer exactly
     * once (a repeat would also break its primary key and stall the projector) and the same balances.
     */
    private void checkReadModelHoldsEachTransferOnce(URI base, Set<String> present) throws Exception {
        HttpResponse<byte[]> trial = get(base, "/v1/reports/trial-balance?fresh=true");
        assertThat(trial.statusCode()).as(new String(trial.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        for (JsonNode row : JSON.readTree(trial.body()).path("accounts")) {
            String expected = Integer.toString(present.size());
            assertThat(row.path(row.path("id").asText().equals(DEBIT) ? "debit" : "credit").asText()).isEqualTo(expected);
        }
        List<String> exported = new String(get(base, "/v1/exports/journal").body(), StandardCharsets.UTF_8).lines()
            .skip(1).map(line -> line.split(",")[2]).toList();
        assertThat(exported).hasSize(present.size()).doesNotHaveDuplicates();
        Set<String> notProjected = new HashSet<>(present);
        exported.forEach(notProjected::remove);
        assertThat(notProjected).as("transfers missing from the read model").isEmpty();
    }

    /** Every acknowledged transfer sent again: each must answer exists. */
    private void resubmitAcknowledgedExpectingExists(URI base) throws Exception {
        List<String> ids = new ArrayList<>(acknowledged);
        for (int from = 0; from < ids.size(); from += 2_000) {
            List<String> items = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 2_000))) {
                items.add(transfer(id, DEBIT, CREDIT, 1, 1));
            }
            HttpResponse<byte[]> response = post(base, "/v1/transfers", "{\"transfers\":[" + String.join(",", items) + "]}");
            assertThat(response.statusCode()).isEqualTo(200);
            for (JsonNode result : JSON.readTree(response.body()).path("results")) {
                assertThat(result.path("status").asText()).isEqualTo("exists");
            }
        }
    }

    private void resubmitInFlight(URI base) throws Exception {
        for (List<String> ids : inFlight) {
            List<String> items = new ArrayList<>();
            for (String id : ids) {
                items.add(transfer(id, DEBIT, CREDIT, 1, 1));
            }
            HttpResponse<byte[]> response = post(base, "/v1/transfers", "{\"transfers\":[" + String.join(",", items) + "]}");
            assertThat(response.statusCode()).isEqualTo(200);
            for (JsonNode result : JSON.readTree(response.body()).path("results")) {
                assertThat(result.path("status").asText()).isIn("created", "exists");
            }
            acknowledged.addAll(ids);
        }
    }

    private static String json(List<Transfer> batch) {
        List<String> items = new ArrayList<>();
        for (Transfer t : batch) {
            items.add(transfer(t.id().toUuidString(), DEBIT, CREDIT, t.amount(), 1));
        }
        return "{\"transfers\":[" + String.join(",", items) + "]}";
    }

    private HttpResponse<byte[]> postBinary(URI base, List<Transfer> batch) throws IOException {
        UnsafeBuffer records = new UnsafeBuffer(new byte[batch.size() * 128]);
        for (int i = 0; i < batch.size(); i++) {
            Records.encode(batch.get(i), records, i * 128);
        }
        return send(HttpRequest.newBuilder(base.resolve("/v1/transfers")).header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(records.byteArray())));
    }

    private HttpResponse<byte[]> post(URI base, String path, String body) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<byte[]> get(URI base, String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The server as a child process: {@code fanz serve} with the same JVM flags as this test JVM. */
    private static final class ServerProcess {
        final Process process;
        final URI base;
        private final StringBuilder seen;

        private ServerProcess(Process process, URI base, StringBuilder seen) {
            this.process = process;
            this.base = base;
            this.seen = seen;
        }

        /** What the server printed so far (its first 20,000 characters). */
        String output() {
            synchronized (seen) {
                return seen.toString();
            }
        }

        static ServerProcess start(Path data) throws Exception {
            // The server's own logging setup (the test one is quieter and would hide the ready line).
            List<String> command = ChildJvm.command("-Xmx512m", "-Dlogback.configurationFile=logback.xml");
            command.add("com.fanzfinance.server.cli.FanzCommand");
            command.add("serve");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("FANZ_HTTP_PORT", "0");
            builder.environment().put("FANZ_DATA_DIR", data.toString());
            builder.environment().put("FANZ_ADMIN_KEY", ADMIN_KEY);
            builder.environment().put("FANZ_LOG_FORMAT", "text");
            builder.environment().put("FANZ_ACCOUNTS_MAX", "1000");
            builder.environment().put("FANZ_TRANSFERS_MAX", "10000000");
            builder.environment().putAll(TestDatabase.readModelSettings(schema));
            Process process = builder.start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CountDownLatch ready = new CountDownLatch(1);
            int[] port = {0};
            StringBuilder seen = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = output.readLine()) != null) {
                        synchronized (seen) {
                            if (seen.length() < 20_000) {
                                seen.append(line).append('\n');
                            }
                        }
                        Matcher matcher = READY.matcher(line);
                        if (matcher.find()) {
                            port[0] = Integer.parseInt(matcher.group(1));
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "server-output");
            reader.setDaemon(true);
            reader.start();
            if (!ready.await(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                synchronized (seen) {
                    throw new AssertionError("the server did not become ready:\n" + seen);
                }
            }
            return new ServerProcess(process, URI.create("http://127.0.0.1:" + port[0]), seen);
        }

        /** SIGKILL: no shutdown hook, no final snapshot, no flush. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        /** SIGTERM: the graceful path. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        }
    }
}
