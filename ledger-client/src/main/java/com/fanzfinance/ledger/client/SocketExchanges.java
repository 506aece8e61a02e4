package com.fanzfinance.ledger.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

/**
 * HTTP/1.1 over plain sockets for {@code http:} URLs: each try runs on one of the client's I/O threads, which
 * writes the request and reads the answer on a kept-alive connection with blocking calls — no selector thread and
 * no hand-off between the write, the read and the completion. On this project's 2-core test machine a small
 * request's round trip was about 0.6 ms this way against 1.0–1.2 ms through the JDK's client (docs/benchmarks.md).
 *
 * <p>What it speaks is what the ledger server answers: a status line, headers, and a body delimited by
 * {@code Content-Length}, by chunks, or by the end of the connection; 1xx answers are skipped. Limits: 64 KiB of
 * status line and headers, 200 header lines, 2 GiB − 1 of body. Connections are reused most recently used first,
 * at most {@code maxConnections} are open or idle per client, and one idle longer than {@link #IDLE_MAX} is closed
 * instead of reused. A try on a reused connection that fails before any byte of the answer arrives (the server
 * had closed it while idle) is made again at once on a new connection; any other failure is the caller's to retry.
 *
 * <p>A try's timeout (the request's) and its cancellation both close its socket, which ends a blocked write or
 * read; the try then fails with {@link HttpTimeoutException} or is dropped.
 */
final class SocketExchanges implements Exchanges {
    /** An idle connection older than this is not reused (servers close idle connections: Jetty after 30 s). */
    static final Duration IDLE_MAX = Duration.ofSeconds(20);
    private static final int HEAD_BYTES_MAX = 64 * 1024;
    private static final int HEADER_LINES_MAX = 200;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final int connectTimeoutMillis;
    private final int maxConnections;
    private final ThreadPoolExecutor threads;
    private final ScheduledThreadPoolExecutor timeouts;
    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param connectTimeout how long opening a connection may take
     * @param maxConnections how many tries may run at once (each on its own thread and connection); more wait
     * @param threadFactory  makes the I/O threads and the timeout thread (daemons)
     */
    SocketExchanges(Duration connectTimeout, int maxConnections, ThreadFactory threadFactory) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        this.maxConnections = maxConnections;
        this.threads = new ThreadPoolExecutor(maxConnections, maxConnections, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), threadFactory);
        this.threads.allowCoreThreadTimeOut(true);
        this.timeouts = new ScheduledThreadPoolExecutor(1, threadFactory);
        this.timeouts.setRemoveOnCancelPolicy(true);
    }

    @Override
    public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, byte[] body) {
        Try attempt = new Try(request, body);
        if (closed) {
            attempt.completeExceptionally(new IOException("the client is closed"));
            return attempt;
        }
        try {
            threads.execute(attempt);
        } catch (RejectedExecutionException e) {
            attempt.completeExceptionally(new IOException("the client is closed", e));
        }
        return attempt;
    }

    /** Closes the idle connections and stops the threads; tries still running end as their sockets close. */
    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
        timeouts.shutdownNow();
        for (ConcurrentLinkedDeque<Connection> connections : idle.values()) {
            for (Connection connection = connections.pollFirst(); connection != null; connection = connections.pollFirst()) {
                connection.close();
            }
        }
    }

    /** Idle connections held now, for tests. */
    int idleConnections() {
        return idle.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    /** One try: a future that its own I/O thread completes; cancelling it closes the socket in use. */
    private final class Try extends CompletableFuture<HttpResponse<byte[]>> implements Runnable {
        private final HttpRequest request;
        private final byte[] body;
        private volatile Connection connection;
        private volatile boolean timedOut;

        Try(HttpRequest request, byte[] body) {
            this.request = request;
            this.body = body;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Connection current = connection;
            if (current != null) {
                current.close();
            }
            return cancelled;
        }

        @Override
        public void run() {
            if (isDone()) {
                return;
            }
            long timeoutNanos = request.timeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
            ScheduledFuture<?> timer = timeoutNanos == Long.MAX_VALUE ? null
                : timeouts.schedule(this::timeOut, timeoutNanos, TimeUnit.NANOSECONDS);
            try {
                complete(exchange());
            } catch (IOException | RuntimeException e) {
                if (timedOut) {
                    completeExceptionally(new HttpTimeoutException("request timed out"));
                } else {
                    completeExceptionally(e);
                }
            } finally {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
        }

        private void timeOut() {
            timedOut = true;
            Connection current = connection;
            if (current != null) {
                current.close();
            }
        }

        private HttpResponse<byte[]> exchange() throws IOException {
            URI uri = request.uri();
            String origin = origin(uri);
            while (true) {
                Connection reused = takeIdle(origin);
                Connection current = reused != null ? reused : open(uri);
                connection = current;
                if (isDone() || timedOut) {
                    // Cancelled or timed out while the connection was taken or opened.
                    current.close();
                    throw new IOException("the try was abandoned");
                }
                try {
                    current.write(request, body);
                    Answer answer = current.read(request.method());
                    connection = null;
                    if (answer.reusable() && current.drained() && !closed) {
                        current.lastUsed = System.nanoTime();
                        giveBack(origin, current);
                    } else {
                        current.close();
                    }
                    return answer.response(request);
                } catch (IOException | RuntimeException e) {
                    current.close();
                    connection = null;
                    if (reused != null && current.answerBytes == 0 && !timedOut && !isDone()
                        && (e instanceof IOException) && !(e instanceof SocketTimeoutException)) {
                        continue; // The server had closed the idle connection: once more, on a new one.
                    }
                    throw e;
                }
            }
        }
    }

    private Connection takeIdle(String origin) {
        ConcurrentLinkedDeque<Connection> connections = idle.get(origin);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection connection = connections.pollLast(); connection != null; connection = connections.pollLast()) {
            if (now - connection.lastUsed < IDLE_MAX.toNanos()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void giveBack(String origin, Connection connection) {
        ConcurrentLinkedDeque<Connection> connections = idle.computeIfAbsent(origin, key -> new ConcurrentLinkedDeque<>());
        connections.offerLast(connection);
        // More idle than could ever run at once: close the oldest.
        while (connections.size() > maxConnections) {
            Connection oldest = connections.pollFirst();
            if (oldest == null) {
                break;
            }
            oldest.close();
        }
        if (closed) {
            for (Connection left = connections.pollFirst(); left != null; left = connections.pollFirst()) {
                left.close();
            }
        }
    }

    private Connection open(URI uri) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("plain sockets speak http: only, not " + uri.getScheme());
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), connectTimeoutMillis);
            return new Connection(socket, hostHeader(uri));
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new HttpConnectTimeoutException("connecting to " + uri.getHost() + ":" + port(uri) + " timed out");
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    private static String origin(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    private static String hostHeader(URI uri) {
        String host = uri.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }

    /** A complete answer, and whether its connection may carry another request. */
    record Answer(int status, HttpHeaders headers, byte[] body, boolean reusable) {
        HttpResponse<byte[]> response(HttpRequest request) {
            return new Response(status, headers, body, request);
        }
    }

    private record Response(int statusCode, HttpHeaders headers, byte[] body, HttpRequest request)
        implements HttpResponse<byte[]> {
        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** One kept-alive connection: its socket, and a buffer for reading answers. */
    static final class Connection {
        private final Socket socket;
        private final String host;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;
        private int limit;
        /** Bytes of the current answer read so far: 0 means the server sent nothing yet. */
        long answerBytes;
        long lastUsed;

        Connection(Socket socket, String host) throws IOException {
            this.socket = socket;
            this.host = host;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        /** Whether nothing is left in the buffer after an answer (anything more would be out of step). */
        boolean drained() {
            return position == limit;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing: nothing left to do with it.
            }
        }

        /** Writes the request: its line, Host, its headers, Content-Length when there is a body or a method that has one. */
        void write(HttpRequest request, byte[] body) throws IOException {
            answerBytes = 0;
            URI uri = request.uri();
            String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                target += "?" + uri.getRawQuery();
            }
            StringBuilder head = new StringBuilder(256);
            head.append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\n");
            for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
                String name = header.getKey();
                if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Transfer-Encoding")) {
                    continue;
                }
                for (String value : header.getValue()) {
                    head.append(name).append(": ").append(value).append("\r\n");
                }
            }
            String method = request.method();
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (body != null && headBytes.length + body.length <= BUFFER_BYTES) {
                // One write, one segment, for a small request.
                byte[] whole = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
                System.arraycopy(body, 0, whole, headBytes.length, body.length);
                out.write(whole);
            } else {
                out.write(headBytes);
                if (body != null && body.length > 0) {
                    out.write(body);
                }
            }
            out.flush();
        }

        /** Reads one final answer (skipping 1xx ones) to a request with {@code method}. */
        Answer read(String method) throws IOException {
            while (true) {
                String statusLine = line(HEAD_BYTES_MAX);
                int status = statusCode(statusLine);
                boolean http11 = statusLine.startsWith("HTTP/1.1 ");
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                int headBytes = statusLine.length();
                for (int lines = 0; ; lines++) {
                    if (lines > HEADER_LINES_MAX) {
                        throw new IOException("malformed answer: more than " + HEADER_LINES_MAX + " header lines");
                    }
                    String line = line(HEAD_BYTES_MAX - headBytes);
                    headBytes += line.length() + 2;
                    if (line.isEmpty()) {
                        break;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed answer: header line without a name: " + printable(line));
                    }
                    headers.computeIfAbsent(line.substring(0, colon).trim(), key -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
                }
                if (status >= 100 && status < 200) {
                    if (status == 101) {
                        throw new IOException("unexpected answer: 101 Switching Protocols");
                    }
                    continue;
                }
                HttpHeaders httpHeaders = HttpHeaders.of(headers, (name, value) -> true);
                boolean close = hasToken(headers.get("Connection"), "close") || !http11
                    && !hasToken(headers.get("Connection"), "keep-alive");
                if (method.equals("HEAD") || status == 204 || status == 304) {
                    return new Answer(status, httpHeaders, new byte[0], !close);
                }
                List<String> encodings = headers.get("Transfer-Encoding");
                if (encodings != null) {
                    if (!hasToken(encodings, "chunked")) {
                        throw new IOException("unsupported answer: Transfer-Encoding " + encodings);
                    }
                    return new Answer(status, httpHeaders, chunked(), !close);
                }
                List<String> lengths = headers.get("Content-Length");
                if (lengths != null) {
                    return new Answer(status, httpHeaders, exactly(contentLength(lengths)), !close);
                }
                return new Answer(status, httpHeaders, untilEnd(), false);
            }
        }

        private static int statusCode(String line) throws IOException {
            if (!(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) || line.length() < 12
                || (line.length() > 12 && line.charAt(12) != ' ')) {
                throw new IOException("malformed answer: status line " + printable(line));
            }
            int status = 0;
            for (int i = 9; i < 12; i++) {
                char c = line.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IOException("malformed answer: status line " + printable(line));
                }
                status = status * 10 + (c - '0');
            }
            if (status < 100) {
                throw new IOException("malformed answer: status " + status);
            }
            return status;
        }

        private static int contentLength(List<String> values) throws IOException {
            long length = -1;
            for (String value : values) {
                for (String part : value.split(",", -1)) {
                    long one = parseLength(part.trim(), 10);
                    if (length != -1 && one != length) {
                        throw new IOException("malformed answer: Content-Length " + values);
                    }
                    length = one;
                }
            }
            return checkedLength(length);
        }

        /** A length in digits of {@code radix} (no sign), at most 16 of them. */
        private static long parseLength(String digits, int radix) throws IOException {
            if (digits.isEmpty() || digits.length() > 16 || Character.digit(digits.charAt(0), radix) < 0) {
                throw new IOException("malformed answer: length " + printable(digits));
            }
            try {
                return Long.parseLong(digits, radix);
            } catch (NumberFormatException e) {
                throw new IOException("malformed answer: length " + printable(digits), e);
            }
        }

        private static int checkedLength(long length) throws IOException {
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("answer too large: " + length + " bytes");
            }
            return (int) length;
        }

        private byte[] exactly(int length) throws IOException {
            byte[] body = new byte[length];
            int filled = Math.min(length, limit - position);
            System.arraycopy(buffer, position, body, 0, filled);
            position += filled;
            while (filled < length) {
                int read = in.read(body, filled, length - filled);
                if (read < 0) {
                    throw new EOFException("the answer ended after " + filled + " of " + length + " bytes");
                }
                answerBytes += read;
                filled += read;
            }
            return body;
        }

        private byte[] chunked() throws IOException {
            Body body = new Body();
            while (true) {
                String sizeLine = line(1024);
                int extension = sizeLine.indexOf(';');
                String digits = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
                int size = checkedLength(parseLength(digits, 16));
                if (size == 0) {
                    break;
                }
                if ((long) body.length + size > Integer.MAX_VALUE - 8) {
                    throw new IOException("answer too large: over " + (Integer.MAX_VALUE - 8) + " bytes");
                }
                body.append(exactly(size));
                if (!line(2).isEmpty()) {
                    throw new IOException("malformed answer: a chunk does not end with CRLF");
                }
            }
            // Trailers, if any, up to the empty line.
            int trailerBytes = 0;
            for (String line = line(HEAD_BYTES_MAX); !line.isEmpty(); line = line(HEAD_BYTES_MAX - trailerBytes)) {
                trailerBytes += line.length() + 2;
            }
            return body.bytes();
        }

        private byte[] untilEnd() throws IOException {
            Body body = new Body();
            body.append(java.util.Arrays.copyOfRange(buffer, position, limit));
            position = limit;
            byte[] chunk = new byte[BUFFER_BYTES];
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                answerBytes += read;
                if ((long) body.length + read > Integer.MAX_VALUE - 8) {
                    throw new IOException("answer too large: over " + (Integer.MAX_VALUE - 8) + " bytes");
                }
                body.append(java.util.Arrays.copyOf(chunk, read));
            }
            return body.bytes();
        }

        /** A line ending in CRLF (or LF), without it; at most {@code max} bytes. */
        private String line(int max) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (position == limit) {
                    fill();
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= max) {
                    throw new IOException("malformed answer: a line of the head is longer than " + max + " bytes");
                }
                line.append((char) (b & 0xFF));
            }
        }

        private void fill() throws IOException {
            int read = in.read(buffer, 0, buffer.length);
            if (read < 0) {
                throw new EOFException(answerBytes == 0 ? "the server closed the connection without answering"
                    : "the answer ended early");
            }
            answerBytes += read;
            position = 0;
            limit = read;
        }

        private static boolean hasToken(List<String> values, String token) {
            if (values == null) {
                return false;
            }
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String printable(String text) {
            String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
            return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
        }
    }

    /** A body growing by whole arrays. */
    private static final class Body {
        private final List<byte[]> parts = new ArrayList<>();
        private int length;

        void append(byte[] part) {
            parts.add(part);
            length += part.length;
        }

        byte[] bytes() {
            if (parts.size() == 1) {
                return parts.get(0);
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }
    }
}
