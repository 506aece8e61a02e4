package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** A stand-in for BTCPay's {@code POST /api/v1/stores/{storeId}/invoices}: records each call. */
public final class Greenfield implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpServer server;
    final List<String[]> calls = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger invoices = new java.util.concurrent.atomic.AtomicInteger(41);

    public Greenfield() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/stores/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(new String[] {exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body});
            String orderId = JSON.readTree(body).path("metadata").path("orderId").asText();
            String invoice = "BTCPAYINV" + invoices.incrementAndGet();
            byte[] answer = ("{\"id\":\"" + invoice + "\",\"storeId\":\"store-1\",\"status\":\"New\",\"checkoutLink\":"
                + "\"https://btcpay.example.test/i/" + invoice + "\",\"metadata\":{\"orderId\":\"" + orderId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
