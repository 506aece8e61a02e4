package com.fanzfinance.payouts.rail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkRailHttp} against a real local HTTP server: which failures say the request may have reached the rail. The
 * server's slow handlers wait on a latch the test releases at the end, so nothing here depends on timing except the
 * client's own deadline (400 ms) being shorter than "never".
 */
class JdkRailHttpTest {
    private static final int MAX = 1024;
    private final JdkRailHttp http = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofMillis(400), MAX);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "JdkRailHttpTest");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/ok", exchange -> answer(exchange, 200, "fine: " + exchange.getRequestHeaders()
            .getFirst("X-Test")));
        server.createContext("/held", exchange -> {
            await();
            answer(exchange, 200, "late");
        });
        server.createContext("/slow", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, 100);
                OutputStream out = exchange.getResponseBody();
                out.write(new byte[10]);
                out.flush();
                await();
                out.write(new byte[90]);
            }
        });
        server.createContext("/big", exchange -> answer(exchange, 200, "x".repeat(4 * MAX)));
        server.createContext("/bigchunked", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < 8; i++) {
                    out.write(new byte[MAX / 2]);
                    out.flush();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private RailCallException failure(RailRequest request) {
        return catchThrowableOfType(RailCallException.class, () -> http.send(request));
    }

    @Test
    void anAnswerArrivesWithItsStatusAndBody() throws RailCallException {
        RailResponse response = http.send(RailRequest.get(url("/ok"), Map.of("X-Test", "yes"), Set.of()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("fine: yes");
    }

    @Test
    void aRefusedPortSurelyDidNotArrive() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        RailCallException e = failure(RailRequest.get("http://127.0.0.1:" + closed + "/x", Map.of(), Set.of()));
        assertThat(e).isNotNull();
        assertThat(e.mayHaveArrived()).isFalse();
    }

    @Test
    void anAnswerHeldPastTheTimeoutMayHaveArrived() {
        RailCallException e = failure(RailRequest.get(url("/held"), Map.of(), Set.of()));
        assertThat(e).isNotNull();
        assertThat(e.mayHaveArrived()).isTrue();
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsGivenUpAtTheDeadline() {
        RailCallException e = failure(RailRequest.get(url("/slow"), Map.of(), Set.of()));
        assertThat(e).isNotNull();
        assertThat(e.mayHaveArrived()).isTrue();
    }

    @Test
    void anOversizeAnswerMayHaveArrived() {
        RailCallException sized = failure(RailRequest.get(url("/big"), Map.of(), Set.of()));
        assertThat(sized).isNotNull();
        assertThat(sized.mayHaveArrived()).isTrue();
        assertThat(sized.getMessage()).contains("over " + MAX + " bytes");
        RailCallException chunked = failure(RailRequest.get(url("/bigchunked"), Map.of(), Set.of()));
        assertThat(chunked).isNotNull();
        assertThat(chunked.mayHaveArrived()).isTrue();
        assertThat(chunked.getMessage()).contains("over " + MAX + " bytes");
    }

    @Test
    void aHeaderThatCannotBeSentSurelyDidNotArriveAndItsValueIsNotQuoted() {
        RailCallException badName = failure(RailRequest.get(url("/ok"), Map.of("Bad Name", "v"), Set.of()));
        assertThat(badName).isNotNull();
        assertThat(badName.mayHaveArrived()).isFalse();
        RailCallException badValue = failure(RailRequest.get(url("/ok"),
            Map.of("Authorization", "Bearer SECRET-TOKEN\r\nX: y"), Set.of("Authorization")));
        assertThat(badValue).isNotNull();
        assertThat(badValue.mayHaveArrived()).isFalse();
        assertThat(badValue.getMessage()).doesNotContain("SECRET-TOKEN");
        RailCallException restricted = failure(RailRequest.get(url("/ok"), Map.of("Host", "elsewhere"), Set.of()));
        assertThat(restricted).isNotNull();
        assertThat(restricted.mayHaveArrived()).isFalse();
    }
}
