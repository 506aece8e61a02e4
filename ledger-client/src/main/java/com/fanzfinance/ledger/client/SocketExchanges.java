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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSession;

/**
 * HTTP/1.1 over plain sockets for {@code http:} URLs: each try runs on one of the client's I/O threads, which
 * writes the request and reads the answer on a kept-alive connection with blocking calls — no selector thread and
 * no hand-off between the write and the read (the answer is then completed on the client's executor). On this
 * project's 2-core test machine a 1-transfer call's round trip was 0.8–1.1 ms (p50) this way against 1.8–2.1 ms
 * through the JDK's client, and 64 threads posting single transfers got 1.7–1.9× as far (docs/benchmarks.md).
 *
 * <p>What it speaks is what the ledger server answers: a status line, headers, and a body delimited by
 * {@code Content-Length}, by chunks, or by the end of the connection; 1xx answers are skipped. Limits: 64 KiB of
 * status line and headers, 200 header lines, 2 GiB − 1 of body. At most {@code maxConnections} tries run at once
 * (each on its own connection) and at most as many connections are kept idle per server; they are reused most
 * recently used first, and one idle longer than {@link #IDLE_MAX}, or with bytes waiting, is closed instead. A try on
 * a reused connection that fails before any byte of the answer arrives (the server had closed it while idle) is
 * made again at once, once, on a new connection; any other failure is the caller's to retry.
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
    /** A body declared longer than this is read in parts as it arrives, not into one array allocated up front. */
    private static final int WHOLE_BODY_BYTES = 8 * 1024 * 1024;
    /** A header name: an HTTP token (RFC 9110), no spaces. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final int connectTimeoutMillis;
    private final int maxConnections;
    private final Executor completions;
    private final ThreadPoolExecutor threads;
    private final ScheduledThreadPoolExecutor timeouts;
    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final Set<Try> running = ConcurrentHashMap.newKeySet();
    /** Tries handed to the I/O threads and not yet through them (queued or running). */
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param connectTimeout how long opening a connection may take
     * @param maxConnections how many tries may run at once (each on its own thread and connection); more wait
     * @param threadFactory  makes the I/O threads and the timeout thread (daemons)
     * @param completions    where each try's future is completed, so that what depends on it (parsing, the
     *                       callers' own callbacks) never holds an I/O thread
     */
    SocketExchanges(Duration connectTimeout, int maxConnections, ThreadFactory threadFactory, Executor completions) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        this.maxConnections = maxConnections;
        this.completions = completions;
        TryQueue queue = new TryQueue();
        // Threads never stop for being idle: a thread on its way out would still be counted free by TryQueue, and a
        // try queued for it could wait behind busy ones. There are never more than the most tries run at once.
        this.threads = new ThreadPoolExecutor(0, maxConnections, Long.MAX_VALUE, TimeUnit.NANOSECONDS, queue,
            threadFactory, (task, pool) -> {
                // Every thread is busy and no more may start: the try waits for one. Queued while close() drained
                // the queue, it is taken back and refused, not stranded.
                if (pool.isShutdown() || !queue.enqueue(task) || pool.isShutdown() && queue.remove(task)) {
                    throw new RejectedExecutionException("closed");
                }
            });
        this.timeouts = new ScheduledThreadPoolExecutor(1, threadFactory);
        this.timeouts.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts one try. Its timeout (the request's) counts from now, waiting for a free I/O thread included; when
     * it passes, the future fails with {@link HttpTimeoutException} and the try's socket, if any, is closed.
     */
    @Override
    public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, byte[] body) {
        Try attempt = new Try(request, body);
        try {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            long timeoutNanos = request.timeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
            if (timeoutNanos != Long.MAX_VALUE) {
                attempt.timer = timeouts.schedule(attempt::timeOut, timeoutNanos, TimeUnit.NANOSECONDS);
            }
            unfinished.incrementAndGet();
            try {
                threads.execute(attempt);
            } catch (Throwable e) {
                unfinished.decrementAndGet();
                throw e;
            }
        } catch (RejectedExecutionException e) {
            attempt.fail(new IOException("the client is closed"));
        } catch (RuntimeException | Error e) {
            // No thread could be started for it (out of memory, say): the try fails, nothing is left waiting.
            attempt.fail(e);
        }
        return attempt;
    }

    /**
     * Stops the threads and closes every connection, idle or in use: each try not yet decided fails with an
     * {@link IOException} (the ledger client closes this only once all its calls are decided).
     */
    @Override
    public void close() {
        closed = true;
        for (Runnable queued : threads.shutdownNow()) {
            ((Try) queued).fail(new IOException("the client is closed"));
        }
        timeouts.shutdownNow();
        for (Try attempt : running) {
            attempt.abandon();
        }
        for (ConcurrentLinkedDeque<Connection> connections : idle.values()) {
            closeAll(connections);
        }
    }

    /**
     * The I/O threads' queue. A try waits in it only while a thread is free for it, or when {@code maxConnections}
     * threads are already busy; otherwise the pool starts a thread for it. So the pool holds as many threads as
     * tries have run at once, not one per try up to {@code maxConnections} — which a pool whose core size is its
     * maximum would start even while one of its threads sat idle.
     */
    private final class TryQueue extends LinkedBlockingQueue<Runnable> {
        @Override
        public boolean offer(Runnable task) {
            int size = threads.getPoolSize();
            return (unfinished.get() <= size || size >= maxConnections) && super.offer(task);
        }

        boolean enqueue(Runnable task) {
            return super.offer(task);
        }
    }

    /** I/O threads alive now, for tests. */
    int ioThreads() {
        return threads.getPoolSize();
    }

    /** Idle connections held now, for tests. */
    int idleConnections() {
        return idle.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    /**
     * One try: a future completed (on {@code completions}) with the answer its I/O thread read. Cancelling it,
     * its timeout and closing the exchanges each close the socket in use, which ends a blocked write or read.
     */
    private final class Try extends CompletableFuture<HttpResponse<byte[]>> implements Runnable {
        private final HttpRequest request;
        private final byte[] body;
        /** The connection in use; whoever takes it out (the try when done, or an abandon) decides its fate. */
        private final AtomicReference<Connection> connection = new AtomicReference<>();
        private volatile ScheduledFuture<?> timer;
        private volatile boolean timedOut;

        Try(HttpRequest request, byte[] body) {
            this.request = request;
            this.body = body;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            abandon();
            return cancelled;
        }

        /** Fails the future at once, on the calling thread (nothing of the caller's runs on an I/O thread here). */
        void fail(Throwable failure) {
            stopTimer();
            completeExceptionally(failure);
        }

        void timeOut() {
            timedOut = true;
            abandon();
            finish(null, timeoutFailure());
        }

        private HttpTimeoutException timeoutFailure() {
            return new HttpTimeoutException("request timed out after " + request.timeout().orElseThrow());
        }

        /** Closes the connection in use, if any: a blocked write or read ends with an exception. */
        void abandon() {
            Connection current = connection.getAndSet(null);
            if (current != null) {
                current.close();
            }
        }

        private void stopTimer() {
            ScheduledFuture<?> scheduled = timer;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        @Override
        public void run() {
            if (isDone()) {
                unfinished.decrementAndGet();
                stopTimer();
                return;
            }
            running.add(this);
            HttpResponse<byte[]> response = null;
            Throwable failure = null;
            try {
                if (closed) {
                    throw new IOException("the client is closed");
                }
                response = exchange();
            } catch (Throwable e) {
                failure = timedOut ? timeoutFailure() : e;
            } finally {
                running.remove(this);
                stopTimer();
                // Before the answer is handed on: a caller's next try, sent as soon as it has it, finds this
                // thread counted free and waits for it rather than starting another.
                unfinished.decrementAndGet();
            }
            finish(response, failure);
        }

        /** Completes the future on {@code completions} (here if it takes no more work). */
        private void finish(HttpResponse<byte[]> response, Throwable failure) {
            Runnable completion = () -> {
                if (failure == null) {
                    complete(response);
                } else {
                    completeExceptionally(failure);
                }
            };
            try {
                completions.execute(completion);
            } catch (RejectedExecutionException e) {
                completion.run();
            }
        }

        private HttpResponse<byte[]> exchange() throws IOException {
            URI uri = request.uri();
            String origin = origin(uri);
            boolean resent = false;
            while (true) {
                Connection reused = takeIdle(origin);
                Connection current = reused != null ? reused : new Connection(uri);
                connection.set(current);
                if (isDone() || timedOut || closed) {
                    // Cancelled, timed out or closed while the connection was taken: abandon() may have missed it.
                    abandon();
                    throw new IOException("the try was abandoned");
                }
                try {
                    if (reused == null) {
                        current.connect(uri, connectTimeoutMillis);
                    }
                    current.write(request, body);
                    Answer answer = current.read(request.method());
                    if (connection.compareAndSet(current, null)) {
                        if (answer.reusable() && current.drained() && !closed) {
                            current.lastUsed = System.nanoTime();
                            giveBack(origin, current);
                        } else {
                            current.close();
                        }
                    }
                    return answer.response(request);
                } catch (Throwable e) {
                    abandon();
                    current.close();
                    if (reused != null && !resent && current.answerBytes == 0 && e instanceof IOException
                        && !isDone() && !timedOut && !closed) {
                        // The server had closed the idle connection (as servers do): the others idle as long are
                        // likely closed too. Once more, on a new connection; a second failure is the caller's.
                        resent = true;
                        ConcurrentLinkedDeque<Connection> connections = idle.get(origin);
                        if (connections != null) {
                            closeAll(connections);
                        }
                        continue;
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
            if (now - connection.lastUsed < IDLE_MAX.toNanos() && connection.quiet()) {
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
            closeAll(connections);
        }
    }

    private static void closeAll(ConcurrentLinkedDeque<Connection> connections) {
        for (Connection left = connections.pollFirst(); left != null; left = connections.pollFirst()) {
            left.close();
        }
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    private static String origin(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    /** The Host header: the URI's host (an IPv6 literal keeps its brackets) and its port, if it names one. */
    private static String hostHeader(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
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
        private OutputStream out;
        private InputStream in;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;
        private int limit;
        /** Bytes of the current answer read so far: 0 means the server sent nothing yet. */
        long answerBytes;
        long lastUsed;

        /** An unconnected socket for {@code uri}'s server, so that an abandon can close it while it connects. */
        Connection(URI uri) throws IOException {
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("plain sockets speak http: only, not " + uri.getScheme());
            }
            this.socket = new Socket();
            this.host = hostHeader(uri);
        }

        void connect(URI uri, int timeoutMillis) throws IOException {
            socket.setTcpNoDelay(true);
            try {
                socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), timeoutMillis);
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("connecting to " + uri.getHost() + ":" + port(uri) + " timed out");
            }
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /**
         * Whether an idle connection has nothing waiting to be read: a server that closes an idle connection may
         * first send an answer of its own (a 408), which must not be taken for the next request's.
         */
        boolean quiet() {
            try {
                return position == limit && in.available() == 0;
            } catch (IOException e) {
                return false;
            }
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
                    if (lines >= HEADER_LINES_MAX) {
                        throw new IOException("malformed answer: more than " + HEADER_LINES_MAX + " header lines");
                    }
                    String line = line(HEAD_BYTES_MAX - headBytes);
                    headBytes += line.length() + 2;
                    if (line.isEmpty()) {
                        break;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                        throw new IOException("malformed answer: header line without a name: " + printable(line));
                    }
                    headers.computeIfAbsent(line.substring(0, colon), key -> new ArrayList<>())
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
                    if (encodings.size() != 1 || !encodings.get(0).equalsIgnoreCase("chunked")) {
                        throw new IOException("unsupported answer: Transfer-Encoding " + encodings);
                    }
                    // With a Content-Length too, the chunks decide, and the connection is not trusted again.
                    return new Answer(status, httpHeaders, chunked(), !close && !headers.containsKey("Content-Length"));
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
            if (length <= WHOLE_BODY_BYTES) {
                return part(length);
            }
            Body body = new Body();
            for (int left = length; left > 0; left -= WHOLE_BODY_BYTES) {
                body.append(part(Math.min(left, WHOLE_BODY_BYTES)));
            }
            return body.bytes();
        }

        /** The next {@code length} bytes of the answer. */
        private byte[] part(int length) throws IOException {
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
