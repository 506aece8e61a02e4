package com.fanzfinance.ledger.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP request — one try — and completes with the whole answer or an {@link java.io.IOException}
 * (a {@link java.net.http.HttpTimeoutException} when the request's own timeout passes). Cancelling the
 * returned future abandons the try. {@link HttpTransport} decides about retries and failover.
 */
interface Exchanges extends AutoCloseable {
    /**
     * @param request the request: method, URI, headers and timeout (and, for the JDK's client, the body)
     * @param body    the same body as bytes, or null for none
     */
    CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, byte[] body);

    @Override
    void close();

    /** {@code https:} requests to {@code tls} (which may be null if none is ever made), the others to {@code plain}. */
    static Exchanges byScheme(Exchanges plain, Exchanges tls) {
        return new Exchanges() {
            @Override
            public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, byte[] body) {
                return "https".equalsIgnoreCase(request.uri().getScheme()) ? tls.send(request, body)
                    : plain.send(request, body);
            }

            @Override
            public void close() {
                plain.close();
                if (tls != null && tls != plain) {
                    tls.close();
                }
            }
        };
    }

    /** The JDK's HTTP client: for https: URLs, and for http: too with {@code LedgerClient.Builder.jdkHttpClient}. */
    static Exchanges jdk(HttpClient http) {
        return new Exchanges() {
            @Override
            public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, byte[] body) {
                return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            }

            @Override
            public void close() {
                // The JDK's client stops with its executor, which the ledger client shuts down.
            }
        };
    }
}
