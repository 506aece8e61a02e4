package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.ServiceStandIns.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.platform.testing.TestTokens;

/**
 * A stand-in for the media service's {@code GET /v1/assets/{id}} on loopback, as the content service calls it
 * when a post names media assets: only a service token with {@code media:read} is served (401 for no token, a
 * bad one or one the identity stand-in revoked, 403 without the scope); an asset the test added answers its
 * id, tenant and creator, an unknown or deleted one 404, and everything 503 while "down". Requests are served
 * each on a thread of its own, after a delay the test may set ({@link #delay}); the most served at once is
 * counted ({@link #mostAtOnce}).
 */
final class MediaSimulator implements AutoCloseable {
    private record Asset(String tenant, String creator) {
    }

    private final TokenVerifier verifier;
    private final Predicate<String> revoked;
    private final HttpServer server;
    private final Map<UUID, Asset> assets = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger serving = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile boolean down;
    private volatile Duration delay = Duration.ZERO;

    MediaSimulator(TestTokens tokens, Predicate<String> revoked) {
        this.verifier = TokenVerifier.remote(tokens.identityUrl(), TestTokens.ISSUER);
        this.revoked = revoked;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/assets/", this::asset);
        server.setExecutor(threads);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A new live asset of {@code creator} at {@code tenant}; its id. */
    String add(String tenant, String creator) {
        UUID id = UUID.randomUUID();
        assets.put(id, new Asset(tenant, creator));
        return id.toString();
    }

    /** Deletes asset {@code id}: it is not found from now on. */
    void delete(String id) {
        assets.remove(UUID.fromString(id));
    }

    void down(boolean down) {
        this.down = down;
    }

    /** Answers each request only after {@code delay}; the count of requests served at once starts again. */
    void delay(Duration delay) {
        this.delay = delay;
        mostAtOnce.set(0);
    }

    /** The most requests served at once since the last {@link #delay}. */
    int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void asset(HttpExchange exchange) throws IOException {
        // Counted only while delayed, not while answering: the caller may send its next request as soon as it has
        // this answer, before a count taken down after the answer would have dropped (it once read 9 for 8).
        mostAtOnce.accumulateAndGet(serving.incrementAndGet(), Math::max);
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            serving.decrementAndGet();
        }
        answer(exchange);
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (!ServiceStandIns.admitted(exchange, verifier, revoked, "media:read")) {
            return;
        }
        if (down) {
            send(exchange, 503, new byte[0]);
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/v1/assets/".length());
        Asset asset;
        try {
            asset = assets.get(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            asset = null;
        }
        if (!"GET".equals(exchange.getRequestMethod()) || asset == null) {
            send(exchange, 404, new byte[0]);
            return;
        }
        send(exchange, 200, Json.MAPPER.writeValueAsBytes(Json.object().put("id", id).put("tenant", asset.tenant())
            .put("creator", asset.creator()).put("content_type", "image/png").put("review", (String) null)));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
