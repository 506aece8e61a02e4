package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP/1.1 over plain sockets, against a server that answers each request with bytes the test
 * scripts: the request as written, each way an answer's body may be delimited, 1xx answers, kept-alive
 * connections and when they are not reused, timeouts, cancellation, and malformed answers refused.
 */
class SocketExchangesTest {
    private final List<RawServer> servers = new ArrayList<>();
    private final ExecutorService completions = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-completion");
        thread.setDaemon(true);
        return thread;
    });
    private SocketExchanges exchanges;

    @AfterEach
    void stop() throws IOException {
        if (exchanges != null) {
            exchanges.close();
        }
        completions.shutdownNow();
        for (RawServer server : servers) {
            server.close();
        }
    }

    private RawServer server(String... answers) throws IOException {
        return server(4, answers);
    }

    private RawServer server(int maxConnections, String... answers) throws IOException {
        RawServer server = new RawServer(answers);
        servers.add(server);
        exchanges = new SocketExchanges(Duration.ofSeconds(5), maxConnections, runnable -> {
            Thread thread = new Thread(runnable, "test-io");
            thread.setDaemon(true);
            return thread;
        }, completions);
        return server;
    }

    private static HttpRequest post(URI base, String path, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").header("X-Request-Id", "abc-1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private HttpResponse<byte[]> send(HttpRequest request, byte[] body) throws Exception {
        return exchanges.send(request, body).get(20, TimeUnit.SECONDS);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void writesTheRequestLineHostHeadersAndBodyAndReadsALengthDelimitedAnswer() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
            + "X-Request-Id: abc-1\r\n\r\n{\"a\":1}");
        byte[] body = "{\"transfers\":[]}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = send(post(server.base(), "/v1/transfers?x=1%202", body), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("{\"a\":1}");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-REQUEST-ID")).hasValue("abc-1");
        RawServer.Request request = server.requests.get(0);
        assertThat(request.line()).isEqualTo("POST /v1/transfers?x=1%202 HTTP/1.1");
        assertThat(request.header("host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(request.header("content-length")).isEqualTo(String.valueOf(body.length));
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.header("x-request-id")).isEqualTo("abc-1");
        assertThat(request.body()).isEqualTo(body);
    }

    @Test
    void aGetHasNoBodyAndAnEmptyPostSaysContentLengthZero() throws Exception {
        RawServer server = server("HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertThat(send(get(server.base(), "/v1/accounts/1"), null).body()).isEmpty();
        HttpRequest emptyPost = HttpRequest.newBuilder(server.base().resolve("/x")).timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(send(emptyPost, null).statusCode()).isEqualTo(200);

        assertThat(server.requests.get(0).line()).isEqualTo("GET /v1/accounts/1 HTTP/1.1");
        assertThat(server.requests.get(0).header("content-length")).isNull();
        assertThat(server.requests.get(1).header("content-length")).isEqualTo("0");
        assertThat(server.connections.get()).as("both on one kept-alive connection").isEqualTo(1);
    }

    @Test
    void readsAChunkedAnswerWithExtensionsAndTrailers() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(text(send(get(server.base(), "/a"), null))).isEqualTo("hello 0123456789");
        assertThat(text(send(get(server.base(), "/b"), null))).as("the connection is in step after the chunks")
            .isEqualTo("ok");
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void skipsInterimAnswers() throws Exception {
        RawServer server = server("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nnew");

        HttpResponse<byte[]> response = send(get(server.base(), "/a"), null);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(text(response)).isEqualTo("new");
    }

    @Test
    void anAnswerWithoutALengthEndsWithItsConnectionWhichIsNotReused() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\n\r\nuntil the end!CLOSE", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");

        assertThat(text(send(get(server.base(), "/a"), null))).isEqualTo("until the end!");
        assertThat(text(send(get(server.base(), "/b"), null))).isEqualTo("2");

        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(exchanges.idleConnections()).isEqualTo(1);
    }

    @Test
    void connectionCloseAndHttp10AnswersAreNotReused() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n1",
            "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n2",
            "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n3",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n4");

        for (String expected : List.of("1", "2", "3", "4")) {
            assertThat(text(send(get(server.base(), "/" + expected), null))).isEqualTo(expected);
        }

        assertThat(server.connections.get()).as("a new one after the first two, the third kept").isEqualTo(3);
    }

    @Test
    void aReusedConnectionTheServerClosedIsReplacedAtOnce() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", "DROP",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");

        assertThat(text(send(get(server.base(), "/a"), null))).isEqualTo("1");
        assertThat(text(send(get(server.base(), "/b"), null))).isEqualTo("2");

        assertThat(server.requests).extracting(RawServer.Request::line)
            .containsExactly("GET /a HTTP/1.1", "GET /b HTTP/1.1", "GET /b HTTP/1.1");
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerFails() throws Exception {
        RawServer server = server("DROP");

        assertThatThrownBy(() -> send(get(server.base(), "/a"), null)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(EOFException.class).hasMessageContaining("without answering");
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void anAnswerCutShortFailsAndItsConnectionIsDropped() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345CLOSE",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12CLOSE");

        assertThatThrownBy(() -> send(get(server.base(), "/a"), null)).cause().isInstanceOf(EOFException.class)
            .hasMessageContaining("5 of 10");
        assertThatThrownBy(() -> send(get(server.base(), "/b"), null)).cause().isInstanceOf(EOFException.class);
        assertThat(exchanges.idleConnections()).isZero();
    }

    @Test
    void malformedAnswersAreRefused() throws Exception {
        // Each answer, and what the refusal says.
        String[][] cases = {
            {"HTP/1.1 200 OK\r\n\r\n", "status line 'HTP/1.1 200 OK'"},
            {"HTTP/1.1 2x0 OK\r\n\r\n", "status line"},
            {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "without a name"},
            {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "without a name"},
            {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "length '-1'"},
            {"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", "Content-Length"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "Transfer-Encoding"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Transfer-Encoding"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "length 'zz'"},
            {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "too large"},
            {"HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000) + "\r\n\r\n", "longer than"},
            {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "101"}};
        RawServer server = server(java.util.Arrays.stream(cases).map(pair -> pair[0]).toArray(String[]::new));

        for (String[] pair : cases) {
            CompletableFuture<HttpResponse<byte[]>> answer = exchanges.send(get(server.base(), "/x"), null);
            assertThatThrownBy(() -> answer.get(20, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class)
                .hasMessageContaining(pair[1]);
        }

        assertThat(server.connections.get()).as("no connection reused after a refused answer").isEqualTo(cases.length);
    }

    @Test
    void aTryThatOutlivesItsTimeoutFailsWithHttpTimeoutException() throws Exception {
        RawServer server = server("SILENT");
        HttpRequest request = HttpRequest.newBuilder(server.base().resolve("/slow")).timeout(Duration.ofMillis(300))
            .GET().build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> send(request, null)).cause().isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.closedByPeer.poll(10, TimeUnit.SECONDS)).as("the socket was closed").isTrue();
    }

    @Test
    void cancellingATryClosesItsSocket() throws Exception {
        RawServer server = server("SILENT");

        CompletableFuture<HttpResponse<byte[]>> answer = exchanges.send(get(server.base(), "/slow"), null);
        assertThat(server.requestSeen.poll(10, TimeUnit.SECONDS)).isNotNull();
        answer.cancel(true);

        assertThat(server.closedByPeer.poll(10, TimeUnit.SECONDS)).as("the socket was closed").isTrue();
        assertThat(answer).isCancelled();
    }

    @Test
    void aConnectionIsResentOnceOnlyAndThenTheFailureIsTheCallers() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", "DROP", "DROP");

        assertThat(text(send(get(server.base(), "/a"), null))).isEqualTo("1");
        assertThatThrownBy(() -> send(get(server.base(), "/b"), null)).cause().isInstanceOf(EOFException.class);

        assertThat(server.requests).hasSize(3);
    }

    @Test
    void anAnswerAServerSentOnAnIdleConnectionIsNotTakenForTheNextRequests() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1THEN408",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");

        assertThat(text(send(get(server.base(), "/a"), null))).isEqualTo("1");
        assertThat(server.idle408Sent.poll(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        HttpResponse<byte[]> second = send(get(server.base(), "/b"), null);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(text(second)).isEqualTo("2");
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aTryWaitingForAFreeConnectionTimesOutToo() throws Exception {
        RawServer server = server(1, "SILENT");
        CompletableFuture<HttpResponse<byte[]>> first = exchanges.send(get(server.base(), "/slow"), null);
        assertThat(server.requestSeen.poll(10, TimeUnit.SECONDS)).isNotNull();
        HttpRequest queued = HttpRequest.newBuilder(server.base().resolve("/queued")).timeout(Duration.ofMillis(200))
            .GET().build();

        assertThatThrownBy(() -> send(queued, null)).cause().isInstanceOf(HttpTimeoutException.class);

        assertThat(first).isNotDone();
        assertThat(server.requests).hasSize(1);

        first.cancel(true);
        assertThat(server.closedByPeer.poll(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        assertThat(server.requests).as("the try that timed out while it waited is never sent").hasSize(1);
    }

    @Test
    void triesOneAfterAnotherShareOneThreadAndTriesAtOnceEachHaveOne() throws Exception {
        String[] answers = new String[23];
        java.util.Arrays.fill(answers, 0, 20, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        java.util.Arrays.fill(answers, 20, 23, "SILENT");
        RawServer server = server(3, answers);
        for (int i = 0; i < 20; i++) {
            assertThat(text(send(get(server.base(), "/" + i), null))).isEqualTo("ok");
        }
        assertThat(exchanges.ioThreads()).as("one try at a time needs one thread").isEqualTo(1);
        assertThat(server.connections.get()).isEqualTo(1);
        server.requestSeen.clear();

        List<CompletableFuture<HttpResponse<byte[]>>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(exchanges.send(get(server.base(), "/slow" + i), null));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(server.requestSeen.poll(10, TimeUnit.SECONDS)).as("three tries in flight at once").isNotNull();
        }
        assertThat(exchanges.ioThreads()).isEqualTo(3);
        HttpRequest fourth = HttpRequest.newBuilder(server.base().resolve("/fourth")).timeout(Duration.ofMillis(300))
            .GET().build();
        assertThatThrownBy(() -> send(fourth, null)).cause().isInstanceOf(HttpTimeoutException.class);
        assertThat(exchanges.ioThreads()).as("no more than maxConnections").isEqualTo(3);
        slow.forEach(future -> future.cancel(true));
        assertThat(server.requests).hasSize(23);
    }

    @Test
    void answersAreCompletedOffTheIoThreads() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1");

        String thread = exchanges.send(get(server.base(), "/a"), null)
            .thenApply(response -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS);

        assertThat(thread).isNotEqualTo("test-io");
    }

    @Test
    void closingFailsATryInFlightAndClosesItsSocket() throws Exception {
        RawServer server = server("SILENT");
        CompletableFuture<HttpResponse<byte[]>> answer = exchanges.send(get(server.base(), "/slow"), null);
        assertThat(server.requestSeen.poll(10, TimeUnit.SECONDS)).isNotNull();

        exchanges.close();

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class);
        assertThat(server.closedByPeer.poll(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLargeBodyBothWays() throws Exception {
        byte[] big = new byte[3_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        RawServer server = server("ECHO");

        HttpResponse<byte[]> response = send(post(server.base(), "/echo", big), big);

        assertThat(response.body()).isEqualTo(big);
    }

    @Test
    void connectingToNothingFails() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server();

        assertThatThrownBy(() -> send(get(URI.create("http://127.0.0.1:" + port), "/a"), null)).cause()
            .isInstanceOf(IOException.class);
    }

    @Test
    void refusedOnceClosed() throws Exception {
        RawServer server = server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1");
        exchanges.close();

        assertThatThrownBy(() -> send(get(server.base(), "/a"), null)).cause().isInstanceOf(IOException.class)
            .hasMessageContaining("closed");
    }

    /**
     * Reads requests (head and Content-Length body) and writes the scripted answers in turn, one per request.
     * An answer ending in {@code CLOSE} is written without that word and the connection closed; {@code DROP}
     * closes the connection without writing; {@code SILENT} writes nothing and waits for the client to close;
     * {@code ECHO} answers with the request's body.
     */
    private static final class RawServer implements AutoCloseable {
        record Request(String line, List<String> headers, byte[] body) {
            String header(String name) {
                for (String header : headers) {
                    int colon = header.indexOf(':');
                    if (header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                        return header.substring(colon + 1).trim();
                    }
                }
                return null;
            }
        }

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        final BlockingQueue<Boolean> closedByPeer = new LinkedBlockingQueue<>();
        final BlockingQueue<Request> requestSeen = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> idle408Sent = new LinkedBlockingQueue<>();
        private final ServerSocket socket;
        private final List<String> answers;
        private final AtomicInteger next = new AtomicInteger();
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        RawServer(String... answers) throws IOException {
            this.answers = List.of(answers);
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "raw-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + port());
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.add(connection);
                    connections.incrementAndGet();
                    Thread serve = new Thread(() -> serve(connection), "raw-connection");
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                while (true) {
                    Request request = read(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    requestSeen.add(request);
                    String answer = answers.get(Math.min(next.getAndIncrement(), answers.size() - 1));
                    if (answer.equals("DROP")) {
                        return;
                    }
                    if (answer.equals("SILENT")) {
                        closedByPeer.add(in.read() < 0);
                        return;
                    }
                    if (answer.equals("ECHO")) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + request.body().length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                        out.write(request.body());
                        out.flush();
                        continue;
                    }
                    if (answer.endsWith("THEN408")) {
                        out.write(answer.substring(0, answer.length() - 7).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(50);
                        out.write("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        idle408Sent.add(true);
                        return;
                    }
                    boolean close = answer.endsWith("CLOSE");
                    out.write(answer.substring(0, answer.length() - (close ? 5 : 0)).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The client went away.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Request read(InputStream in) throws IOException {
            String line = line(in);
            if (line == null) {
                return null;
            }
            List<String> headers = new ArrayList<>();
            int length = 0;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                headers.add(header);
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            return new Request(line, headers, in.readNBytes(length));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
