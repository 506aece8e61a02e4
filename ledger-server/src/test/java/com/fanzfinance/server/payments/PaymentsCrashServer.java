package com.fanzfinance.server.payments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.testing.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with payments on as a child process ({@code fanz serve}), so that a test can SIGKILL it between
 * any two instructions, and a small HTTP client for its port. Restarts keep the data directory (ledger journal,
 * keys, tenants, the merchant-secrets key) and the database schemas, as a supervisor restarting it would.
 */
final class PaymentsCrashServer {
    private static final Pattern READY = Pattern.compile("ready on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A start this slow prints the server's log, to tell a busy machine from a slow step. */
    private static final int SLOW_START_SECONDS = 30;

    private final Process process;
    private final URI base;
    private final List<String> warnings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    private PaymentsCrashServer(Process process, URI base, List<String> warnings) {
        this.process = process;
        this.base = base;
        this.warnings = warnings;
    }

    /** An HTTP answer; {@link #json()} parses the body. */
    record Response(int status, String body, String eventId) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** Starts {@code fanz serve} on a free port over {@code data} and {@code schema}; returns once it is ready. */
    static PaymentsCrashServer start(Path data, String schema) throws InterruptedException, IOException {
        // The server's own logging setup (the test one is quieter and would hide the ready line).
        List<String> command = ChildJvm.command("-Xmx512m", "-Dlogback.configurationFile=logback.xml");
        command.add("com.fanzfinance.server.cli.FanzCommand");
        command.add("serve");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FANZ_HTTP_PORT", "0");
        builder.environment().put("FANZ_DATA_DIR", data.toString());
        builder.environment().put("FANZ_ADMIN_KEY", TestServer.ADMIN_KEY);
        builder.environment().put("FANZ_LOG_FORMAT", "text");
        builder.environment().put("FANZ_ACCOUNTS_MAX", "10000");
        builder.environment().put("FANZ_TRANSFERS_MAX", "1000000");
        builder.environment().put("FANZ_PUBLIC_BASE_URL", "https://pay.example.test");
        // What a crash left unfinished is taken up by the sweep after 2 s instead of 30 (the crash tests wait for it).
        builder.environment().put("FANZ_PAYOUT_RECOVERY_SECONDS", "2");
        builder.environment().putAll(TestDatabase.readModelSettings(schema));
        long started = System.nanoTime();
        Process process = builder.start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CountDownLatch ready = new CountDownLatch(1);
        int[] port = {0};
        StringBuilder seen = new StringBuilder();
        List<String> warnings = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = output.readLine()) != null) {
                    synchronized (seen) {
                        if (seen.length() < 20_000) {
                            seen.append(line).append('\n');
                        }
                    }
                    if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                        synchronized (warnings) {
                            warnings.add(line);
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
        }, "payments-server-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            synchronized (seen) {
                throw new AssertionError("the server did not become ready:\n" + seen);
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        if (seconds >= SLOW_START_SECONDS) {
            synchronized (seen) {
                System.out.printf("the server took %d s to become ready:%n%s", seconds, seen);
            }
        }
        return new PaymentsCrashServer(process, URI.create("http://127.0.0.1:" + port[0]), warnings);
    }

    /** The WARN and ERROR lines the server has logged so far. */
    List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** The CPU time the process has used so far (zero where the platform does not say). */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: no shutdown hook, no final flush, requests in flight cut. */
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

    boolean isAlive() {
        return process.isAlive();
    }

    /** GET; throws {@link IOException} when the server is not there (killed, or not answering). */
    Response get(String pathAndQuery, String key) throws IOException {
        return send(request(pathAndQuery, key).GET());
    }

    Response postJson(String path, String key, String body) throws IOException {
        return send(request(path, key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** PUT of JSON, failing the test on an I/O error; returns the status. */
    int mustPutJson(String path, String key, String body) {
        try {
            return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))).status();
        } catch (IOException e) {
            throw new UncheckedIOException("PUT " + path, e);
        }
    }

    /** POST of JSON with an {@code Idempotency-Key}. */
    Response postJson(String path, String key, String body, String idempotencyKey) throws IOException {
        return send(request(path, key).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** GET, failing the test on an I/O error: for calls made while the server must be up. */
    Response mustGet(String pathAndQuery, String key) {
        try {
            return get(pathAndQuery, key);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery, e);
        }
    }

    Response mustPostJson(String path, String key, String body) {
        try {
            return postJson(path, key, body);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path, e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("X-Payment-Event-Id").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
