package com.fanzfinance.platform.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.platform.common.ServiceTokens;

/**
 * The content service's own token ({@link ServiceTokens}) against a simulated identity token endpoint and a
 * clock the test moves: cached until a minute before expiry, never fetched twice at once, never waited for by
 * callers whose cached token is still valid, kept while valid when a refresh fails (and the fetch then not
 * repeated for 5 s), dropped when a callee refused it, and never taken from an answer without
 * {@code access_token} or a positive {@code expires_in}.
 */
class ServiceTokensTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SERVICE_KEY = "fzs_the-content-services-key";

    private HttpServer identity;
    private final ExecutorService identityThreads = Executors.newCachedThreadPool();
    private final AtomicInteger calls = new AtomicInteger();
    /** The token endpoint's answer; null: a new token each time, for 900 seconds. */
    private volatile String answer;
    /** When set, the token endpoint's failing status (identity down). */
    private volatile Integer failing;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch arrived = new CountDownLatch(0);
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private ServiceTokens tokens;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws IOException {
        identity = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        identity.setExecutor(identityThreads);
        identity.createContext("/oauth/token", this::token);
        identity.start();
        tokens = new ServiceTokens(URI.create("http://127.0.0.1:" + identity.getAddress().getPort()), "content",
            SERVICE_KEY, HttpClient.newHttpClient(), clock);
    }

    @AfterEach
    void stop() {
        gate.countDown();
        threads.shutdownNow();
        identity.stop(0);
        identityThreads.shutdownNow();
    }

    @Test
    void aTokenIsCachedUntilAMinuteBeforeItExpires() {
        String first = tokens.token();
        assertThat(tokens.token()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(839));
        assertThat(tokens.token()).isEqualTo(first);
        assertThat(calls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.token()).isNotEqualTo(first);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aTokenACalleeRefusedIsDroppedButOnlyThatOne() {
        String first = tokens.token();
        tokens.invalidate("some other token");
        assertThat(tokens.token()).isEqualTo(first);
        tokens.invalidate(first);
        String second = tokens.token();
        assertThat(second).isNotEqualTo(first);
        tokens.invalidate(first);
        assertThat(tokens.token()).isEqualTo(second);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void anAnswerWithoutATokenOrAPositiveLifetimeIsRefusedAndNotCached() {
        for (String bad : List.of("{\"token_type\":\"Bearer\",\"expires_in\":900}",
                "{\"access_token\":\"\",\"expires_in\":900}", "{\"access_token\":7,\"expires_in\":900}",
                "{\"access_token\":\"t\",\"expires_in\":0}", "{\"access_token\":\"t\",\"expires_in\":-60}",
                "{\"access_token\":\"t\",\"expires_in\":\"900\"}", "{\"access_token\":\"t\"}", "[]")) {
            clock.advance(Duration.ofSeconds(5));
            answer = bad;
            assertThatThrownBy(tokens::token).as(bad).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(SERVICE_KEY);
        }
        clock.advance(Duration.ofSeconds(5));
        answer = "{\"access_token\":\"good\",\"token_type\":\"Bearer\",\"expires_in\":900}";
        assertThat(tokens.token()).isEqualTo("good");
    }

    @Test
    void aFailedRefreshKeepsTheStillValidTokenAndIsNotRepeatedOnEveryCall() {
        String first = tokens.token();
        clock.advance(Duration.ofSeconds(850));
        failing = 503;
        assertThat(tokens.token()).isEqualTo(first);
        assertThat(calls.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(4));
        assertThat(tokens.token()).isEqualTo(first);
        assertThat(calls.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token()).isEqualTo(first);
        assertThat(calls.get()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(60));
        assertThatThrownBy(tokens::token).isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 503")
            .hasMessageNotContaining(SERVICE_KEY);
        assertThatThrownBy(tokens::token).isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 503");
        assertThat(calls.get()).isEqualTo(4);
        failing = null;
        clock.advance(Duration.ofSeconds(5));
        assertThat(tokens.token()).isNotEqualTo(first);
        assertThat(calls.get()).isEqualTo(5);
    }

    @Test
    void whileOneCallerRefreshesTheOthersKeepTheStillValidTokenAndNoOneFetchesTwice() throws Exception {
        String first = tokens.token();
        clock.advance(Duration.ofSeconds(850));
        holdTheNextRequest();
        Future<String> refreshing = threads.submit(tokens::token);
        assertThat(arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Future<String> reader = threads.submit(tokens::token);
        assertThat(reader.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(first);
        gate.countDown();
        String second = refreshing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second).isNotEqualTo(first);
        assertThat(calls.get()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1000));
        holdTheNextRequest();
        List<Future<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(threads.submit(tokens::token));
        }
        assertThat(arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        gate.countDown();
        List<String> got = new ArrayList<>();
        for (Future<String> future : waiting) {
            got.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(got).doesNotContain(first, second).containsOnly(got.get(0));
        assertThat(calls.get()).isEqualTo(3);
    }

    private void holdTheNextRequest() {
        arrived = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    private void token(HttpExchange exchange) throws IOException {
        int call = calls.incrementAndGet();
        arrived.countDown();
        try {
            if (!gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the token request through");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Integer failure = failing;
        if (failure != null) {
            exchange.sendResponseHeaders(failure, -1);
            exchange.close();
            return;
        }
        String fixed = answer;
        String body = fixed != null ? fixed
            : "{\"access_token\":\"token-" + call + "\",\"token_type\":\"Bearer\",\"expires_in\":900}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
