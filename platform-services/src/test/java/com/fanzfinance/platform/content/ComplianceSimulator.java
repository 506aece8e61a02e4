package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.ServiceStandIns.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.platform.testing.TestTokens;

/**
 * Stand-ins for the two services the content service calls when a post is published, on loopback: the
 * identity service's {@code POST /oauth/token} (client credentials: a service token with
 * {@code compliance:read} and {@code media:read} for the content service's right key only; its JWKS is served
 * from {@link TestTokens}) and the compliance service's {@code GET /v1/clearances}, which accepts only a
 * service token and answers cleared or not cleared as the test sets it, or 503 while "down". Tokens issued so
 * far can be revoked ({@link #revokeIssuedTokens}): compliance, and the media stand-in asking
 * {@link #revoked}, then answer them 401, as a service does with a token whose key identity retired.
 */
final class ComplianceSimulator implements AutoCloseable {
    static final String SERVICE_KEY = "content-service-test-key";

    private final TestTokens tokens;
    private final TokenVerifier verifier;
    private final HttpServer identity;
    private final HttpServer compliance;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> contentRefs = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private volatile boolean cleared = true;
    private volatile List<String> reasons = List.of();
    private volatile boolean down;

    ComplianceSimulator(TestTokens tokens) {
        this.tokens = tokens;
        this.verifier = TokenVerifier.remote(tokens.identityUrl(), TestTokens.ISSUER);
        try {
            identity = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            compliance = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        identity.createContext("/.well-known/jwks.json", this::jwks);
        identity.createContext("/oauth/token", this::token);
        compliance.createContext("/v1/clearances", this::clearance);
        identity.start();
        compliance.start();
    }

    URI identityUrl() {
        return URI.create("http://127.0.0.1:" + identity.getAddress().getPort());
    }

    URI complianceUrl() {
        return URI.create("http://127.0.0.1:" + compliance.getAddress().getPort());
    }

    void clear() {
        cleared = true;
        reasons = List.of();
        down = false;
    }

    void refuse(String... why) {
        cleared = false;
        reasons = List.of(why);
        down = false;
    }

    void down() {
        down = true;
    }

    /** How many service tokens the token endpoint has issued. */
    int tokensIssued() {
        return issued.size();
    }

    /** Every token issued so far is answered 401 from now on. */
    void revokeIssuedTokens() {
        revoked.addAll(issued);
    }

    /** Whether {@code token} was revoked. */
    boolean revoked(String token) {
        return revoked.contains(token);
    }

    /** The {@code content_ref} of every clearance check answered so far. */
    List<String> contentRefs() {
        return List.copyOf(contentRefs);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try {
            HttpResponse<byte[]> keys = http.send(HttpRequest.newBuilder(tokens.identityUrl().resolve("/.well-known/jwks.json"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, 200, keys.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 503, new byte[0]);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))
                || !"content".equals(form.get("client_id")) || !SERVICE_KEY.equals(form.get("client_secret"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String token = tokens.service("content", "compliance:read", "media:read");
        issued.add(token);
        ObjectNode answer = Json.object().put("access_token", token).put("token_type", "Bearer").put("expires_in", 900);
        send(exchange, 200, Json.MAPPER.writeValueAsBytes(answer));
    }

    private void clearance(HttpExchange exchange) throws IOException {
        if (!ServiceStandIns.admitted(exchange, verifier, this::revoked, "compliance:read")) {
            return;
        }
        if (down) {
            send(exchange, 503, new byte[0]);
            return;
        }
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        if (query.get("tenant") == null || query.get("creator") == null || query.get("content_ref") == null) {
            send(exchange, 400, new byte[0]);
            return;
        }
        contentRefs.add(query.get("content_ref"));
        ObjectNode answer = Json.object().put("cleared", cleared);
        var array = answer.putArray("reasons");
        reasons.forEach(array::add);
        send(exchange, 200, Json.MAPPER.writeValueAsBytes(answer));
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> values = new java.util.HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        identity.stop(0);
        compliance.stop(0);
    }
}
