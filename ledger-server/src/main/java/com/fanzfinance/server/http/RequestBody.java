package com.fanzfinance.server.http;

import java.io.IOException;
import java.io.InputStream;

import io.javalin.http.Context;

/**
 * A request body read at most once and never past its cap (the largest valid body of its kind, within
 * {@code FANZ_MAX_BODY_BYTES}, see {@link BodyLimits}): a declared length above the cap is refused before
 * a byte is read, and a body that grows past it while streaming (chunked) is refused when it does.
 * Either way the answer is 413 and nothing is applied. A body that cannot be read because the client
 * hung up (or stalled past the idle timeout) ends the request as 499, which only the access log sees.
 */
final class RequestBody {
    /** Status of a request whose client went away before its body was read (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    private final Context ctx;
    private final long capBytes;
    private final boolean binary;

    RequestBody(Context ctx, long capBytes, boolean binary) {
        this.ctx = ctx;
        this.capBytes = capBytes;
        this.binary = binary;
    }

    /** True when the body is binary records ({@code application/octet-stream}), false for JSON. */
    boolean isBinary() {
        return binary;
    }

    /** 413 now if the declared length is above the cap; called before anything else looks at the request. */
    void requireDeclaredLengthWithinCap() {
        long declared = declaredLength();
        if (declared > capBytes) {
            throw tooLarge(declared, capBytes);
        }
    }

    /** The body as a stream that fails with 413 past the cap. */
    InputStream stream() {
        requireDeclaredLengthWithinCap();
        return new CappedInputStream(input(), capBytes);
    }

    /** The whole body; a body over the cap fails with 413. Allocates at most the cap. */
    byte[] bytes() {
        long declared = declaredLength();
        return read(in -> declared >= 0 ? exactly(in, (int) declared) : in.readAllBytes());
    }

    /** The length the request declares, or -1 if it declares none (chunked). */
    long declaredLength() {
        return ctx.req().getContentLengthLong();
    }

    /**
     * Reads the whole body, of the {@link #declaredLength} (at most {@code into.length} bytes), into the start of
     * {@code into} and returns its length; 413 above the cap, 499 if the body ends early.
     */
    int readInto(byte[] into) {
        long declared = declaredLength();
        return read(in -> {
            if (declared < 0 || declared > into.length) {
                throw new IllegalArgumentException("a declared length of " + declared + " does not fit " + into.length
                    + " bytes");
            }
            requireWhole(in.readNBytes(into, 0, (int) declared), declared);
            return (int) declared;
        });
    }

    /** Runs {@code read} on the body, refused with 413 first if it declares more than the cap; a failed read is 499. */
    private <T> T read(BodyRead<T> read) {
        requireDeclaredLengthWithinCap();
        try (InputStream in = new CappedInputStream(input(), capBytes)) {
            return read.from(in);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Reads something of the body. */
    @FunctionalInterface
    private interface BodyRead<T> {
        T from(InputStream in) throws IOException;
    }

    /** The problem for a body that could not be read: the client is gone (or stalled), nobody will see it. */
    static Problem unreadable(IOException e) {
        return new Problem(CLIENT_CLOSED, "client-closed", "Client closed request",
            "the request body could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", null);
    }

    private InputStream input() {
        return ctx.bodyInputStream();
    }

    /**
     * Reads straight into one array of the declared length ({@code readNBytes(int)} would gather 16 KiB chunks
     * and copy them into a new array: a second copy of every megabyte batch, measured at a fifth of the request
     * threads' time on the binary path) — for bodies up to {@link #UP_FRONT_BYTES_MAX}. A body shorter than declared
     * is an error; a longer one is not read past the declared length (the server's HTTP parser refuses it).
     */
    private static byte[] exactly(InputStream in, int declared) throws IOException {
        byte[] bytes;
        int read;
        if (declared > UP_FRONT_BYTES_MAX) {
            // A large upload's array grows with what arrives: a client that declares much and sends little
            // does not pin all of it.
            bytes = in.readNBytes(declared);
            read = bytes.length;
        } else {
            bytes = new byte[declared];
            read = in.readNBytes(bytes, 0, declared);
        }
        requireWhole(read, declared);
        return bytes;
    }

    /** A body shorter than it declared is a failed read (the client went away mid-body). */
    private static void requireWhole(int read, long declared) throws IOException {
        if (read < declared) {
            throw new IOException("the body ended after " + read + " of " + declared + " declared bytes");
        }
    }

    /** The largest declared body read into an array allocated before it arrives (a full batch is about 1 MiB). */
    private static final int UP_FRONT_BYTES_MAX = 2 << 20;

    static Problem tooLarge(long size, long cap) {
        return Problem.tooLarge("the body has " + (size < 0 ? "more than " + cap : size) + " bytes; at most " + cap
            + " are accepted here");
    }
}
