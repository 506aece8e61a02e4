package com.fanzfinance.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.server.cli.FanzCommand;
import com.fanzfinance.server.testing.ChildJvm;

/**
 * One member of a clustered ledger as a real {@code fanz serve} process on loopback: its own data directory
 * and HTTP port (kept across restarts), the cluster's shared settings, its output in {@code <data>.log}.
 */
final class ClusterMember {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int index;
    final Path data;
    final int httpPort;
    private final Map<String, String> settings;
    private final String adminKey;
    private Process process;

    ClusterMember(int index, Path data, int httpPort, Map<String, String> settings, String adminKey) {
        this.index = index;
        this.data = data;
        this.httpPort = httpPort;
        this.settings = settings;
        this.adminKey = adminKey;
    }

    /** Ten ports per member from a base no socket on this host uses (UDP and TCP checked). */
    static int freeClusterBase(int members) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // below 32768, where Linux starts handing out ephemeral ports to outgoing connections
            int base = 20_000 + ThreadLocalRandom.current().nextInt(1_270) * 10;
            if (portsFree(base, members * 10)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of cluster ports");
    }

    private static boolean portsFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>(ChildJvm.command("-Xmx512m"));
        command.add(FanzCommand.class.getName());
        command.add("serve");
        Path log = Path.of(data + ".log");
        Files.writeString(log, "---- start\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("FANZ_"));
        environment.putAll(settings);
        environment.put("FANZ_DATA_DIR", data.toString());
        environment.put("FANZ_HTTP_PORT", Integer.toString(httpPort));
        environment.put("FANZ_CLUSTER_MEMBER", Integer.toString(index));
        environment.put("FANZ_ADMIN_KEY", adminKey);
        process = builder.start();
    }

    /** SIGKILL: no shutdown hook, no final snapshot, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** Waits until {@code /ready} answers 200. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("member " + index + " exited:\n" + log());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(base().resolve("/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("member " + index + " was not ready within " + timeout + ":\n" + log());
    }

    /** {@code GET /v1/admin/cluster} on this member (with the hashes if asked). */
    JsonNode status(boolean hashes) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base().resolve("/v1/admin/cluster"
                + (hashes ? "?hashes=true" : ""))).header("Authorization", "Bearer " + adminKey)
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("member " + index + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Asks this member for a cluster-wide snapshot; does not wait for the answer. */
    void requestSnapshot() {
        HTTP.sendAsync(HttpRequest.newBuilder(base().resolve("/v1/admin/snapshot")).header("Authorization",
            "Bearer " + adminKey).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.discarding());
    }

    String log() {
        try (InputStream in = Files.newInputStream(Path.of(data + ".log"))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
