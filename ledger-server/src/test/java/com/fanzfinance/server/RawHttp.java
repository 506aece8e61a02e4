package com.fanzfinance.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, for what a well-behaved client cannot do: declare a length and
 * send less, send a body in chunks while watching for an early answer, or hang up mid-request. Reads
 * have a generous timeout so that a server that never answers fails the test instead of hanging it.
 */
public final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private boolean chunked;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static RawHttp connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request line and headers (each {@code "Name: value"}), ending the header block. */
    public void head(String requestLine, String... headers) throws IOException {
        StringBuilder text = new StringBuilder(requestLine).append("\r\n").append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
            chunked |= header.equalsIgnoreCase("Transfer-Encoding: chunked");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** True when the head declared a chunked body. */
    public boolean chunked() {
        return chunked;
    }

    /** One chunk of a {@code Transfer-Encoding: chunked} body (an empty one ends it). */
    public void chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A response read off the socket. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Reads one response with a {@code Content-Length} body. */
    public Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Response(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }
}
