package com.fanzfinance.payouts.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side shared by the rail simulators: a {@link HttpServer} on 127.0.0.1 and a free port, requests counted per
 * operation, and injected faults (fail the next calls of an operation; "time out" the next call by holding the answer
 * longer than the client waits, after processing it or without processing it).
 */
public abstract class SimServer implements AutoCloseable {
    /** A request as the simulator sees it (header names lower case). */
    protected record Request(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer to write. */
    protected record Answer(int status, String contentType, byte[] body) {
        public static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private sealed interface Fault permits Fail, Hold, ProcessThenFail {
    }

    private record ProcessThenFail(String code) implements Fault {
    }

    private record Fail(String code) implements Fault {
    }

    private record Hold(boolean process) implements Fault {
    }

    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faultsUsed = new ConcurrentHashMap<>();
    private volatile Duration hold = Duration.ofSeconds(2);

    protected SimServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, getClass().getSimpleName());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}: the base URL to configure the driver with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How long a "timed out" call holds its answer (make it longer than the client's timeout). */
    public void holdAnswersFor(Duration duration) {
        this.hold = duration;
    }

    /**
     * The next {@code times} calls of {@code operation} answer with {@code code} unprocessed (what a code means is the
     * simulator's: a Paxum {@code ResponseCode}, an HTTP status, or {@code status:errorCode}).
     */
    public synchronized void failNext(String operation, int times, String code) {
        for (int i = 0; i < times; i++) {
            faults.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Fail(code));
        }
    }

    /**
     * The next call of {@code operation} is processed (the simulator does what was asked) but answered as the injected
     * failure {@code code}: a rail that acted and then reported an error.
     */
    public synchronized void processThenFailNext(String operation, String code) {
        faults.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new ProcessThenFail(code));
    }

    /**
     * The next call of {@code operation} is held longer than the client waits; with {@code processFirst} the simulator
     * still does what was asked (the client just never learns it), else it drops the request unprocessed.
     */
    public synchronized void timeoutNext(String operation, boolean processFirst) {
        faults.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Hold(processFirst));
    }

    /**
     * Whether this request, sent now, would be held ({@link #timeoutNext}: the next fault of its operation is a hold):
     * a test's client then uses its short deadline, and a generous one otherwise, so that an ordinary call on a busy
     * machine is not taken for a timed-out one. (A held call that times out before the simulator takes its hold
     * leaves the hold to the retry, which this then also answers {@code true} for.)
     */
    public synchronized boolean holdsNext(String method, String url, Map<String, String> headers, byte[] body) {
        URI uri = URI.create(url);
        Map<String, String> lowered = new HashMap<>();
        headers.forEach((name, value) -> lowered.put(name.toLowerCase(Locale.ROOT), value));
        Deque<Fault> queue = faults.get(operation(new Request(method, uri.getRawPath(), uri.getRawQuery(), lowered,
            body)));
        return queue != null && queue.peek() instanceof Hold;
    }

    /** Calls of {@code operation} received (faulted ones included). */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Injected faults of {@code operation} used up so far. */
    public int faultsUsed(String operation) {
        AtomicInteger count = faultsUsed.get(operation);
        return count == null ? 0 : count.get();
    }

    /** The operation a request is (e.g. {@code transferFunds}), for counting and faults. */
    protected abstract String operation(Request request);

    /** Does what the request asks (called under the simulator's lock). */
    protected abstract Answer handle(String operation, Request request);

    /** The answer of an injected failure of {@code operation} with {@code code}. */
    protected abstract Answer failure(String operation, String code);

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = read(exchange);
            String operation = operation(request);
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            Fault fault;
            synchronized (this) {
                Deque<Fault> queue = faults.get(operation);
                fault = queue == null ? null : queue.poll();
            }
            if (fault != null) {
                faultsUsed.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            }
            Answer answer;
            if (fault instanceof Fail fail) {
                answer = failure(operation, fail.code());
            } else if (fault instanceof ProcessThenFail processed) {
                handleSafely(operation, request);
                answer = failure(operation, processed.code());
            } else {
                if (fault instanceof Hold held && !held.process()) {
                    sleep();
                    return;
                }
                answer = handleSafely(operation, request);
                if (fault instanceof Hold) {
                    sleep();
                }
            }
            write(exchange, answer);
        } catch (IOException e) {
            // the client is gone (a held answer) or the request was broken: nothing more to do with this exchange
        }
    }

    private synchronized Answer handleSafely(String operation, Request request) {
        try {
            return handle(operation, request);
        } catch (RuntimeException e) {
            return Answer.of(500, "text/plain", "simulator error: " + e);
        }
    }

    private void sleep() {
        try {
            Thread.sleep(hold.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Request read(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new IOException("request body too large");
        }
        return new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(), headers, body);
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
