package com.fanzfinance.ledger.client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.agrona.concurrent.UnsafeBuffer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;

/**
 * A stand-in for the ledger server on a free port: it records every request and answers with whatever
 * the test's {@link Responder} says. Handlers run on a thread pool, so a responder may block (to hold a
 * request in flight) without stalling the others.
 */
final class FakeLedgerServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received. */
    record Request(String method, String path, String query, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean isBinary() {
            return WireFormat.BINARY.equals(header("Content-Type"));
        }

        /** The ids of the events of a transfers or accounts request, binary or JSON. */
        List<Uint128> eventIds() {
            List<Uint128> ids = new ArrayList<>();
            if (isBinary()) {
                for (Transfer transfer : binaryTransfers()) {
                    ids.add(transfer.id());
                }
                return ids;
            }
            JsonNode events = json().elements().next();
            events.forEach(event -> ids.add(Uint128.fromUuid(event.path("id").asText())));
            return ids;
        }

        List<Transfer> binaryTransfers() {
            UnsafeBuffer buffer = new UnsafeBuffer(body);
            List<Transfer> transfers = new ArrayList<>();
            for (int offset = 0; offset < body.length; offset += TransferLayout.SIZE) {
                transfers.add(Records.decodeTransfer(buffer, offset, PendingStatus.NONE));
            }
            return transfers;
        }
    }

    /** An answer. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply json(String body) {
            return new Reply(200, WireFormat.JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply binary(byte[] body) {
            return new Reply(200, WireFormat.BINARY, body, Map.of());
        }

        static Reply problem(int status, String type, String detail, String pointer) {
            String body = "{\"type\":\"" + WireFormat.PROBLEM_TYPE_BASE + type + "\",\"title\":\"Problem\",\"status\":"
                + status + ",\"detail\":\"" + detail + "\"" + (pointer == null ? "" : ",\"pointer\":\"" + pointer + "\"")
                + ",\"request_id\":\"req-" + status + "\"}";
            return new Reply(status, WireFormat.PROBLEM_JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        /** Not an answer: the connection is closed without one, as when a server dies mid-request. */
        static Reply dropConnection() {
            return new Reply(-1, "", new byte[0], Map.of());
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more);
        }
    }

    /** Decides the answer to a request. */
    interface Responder {
        Reply answer(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Responder responder;

    private FakeLedgerServer(Responder responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/", this::handle);
        this.server.setExecutor(handlers);
        this.server.start();
    }

    static FakeLedgerServer start(Responder responder) {
        try {
            return new FakeLedgerServer(responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void answerWith(Responder newResponder) {
        this.responder = newResponder;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Reply reply;
            try {
                reply = responder.answer(request);
            } catch (Exception | AssertionError e) {
                reply = Reply.problem(500, "fake-failed", String.valueOf(e).replace('"', '\''), null);
            }
            if (reply.status() < 0) {
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
