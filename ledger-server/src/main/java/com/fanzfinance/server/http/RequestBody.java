package com.fanzfinance.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.javalin.http.Context;

/**
 * A request body read at most once and never past the configured cap: a declared length above it is
 * refused before reading, and a body that grows past it while streaming (chunked) is refused when it does.
 * Either way the answer is 413 and nothing is applied.
 */
final class RequestBody {
    private final Context ctx;
    private final long maxBytes;

    RequestBody(Context ctx, long maxBytes) {
        this.ctx = ctx;
        this.maxBytes = maxBytes;
    }

    /** The body as a stream that fails with 413 past the cap. */
    InputStream stream() {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared);
        }
        return new Capped(ctx.bodyInputStream(), maxBytes);
    }

    /** The whole body; a body over the cap fails with 413. */
    byte[] bytes() {
        long cap = maxBytes;
        long declared = ctx.req().getContentLengthLong();
        if (declared > cap) {
            throw tooLarge(declared, cap);
        }
        try (InputStream in = new Capped(ctx.bodyInputStream(), cap)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private Problem tooLarge(long size) {
        return tooLarge(size, maxBytes);
    }

    private static Problem tooLarge(long size, long cap) {
        return Problem.tooLarge("the body has " + (size < 0 ? "more than " + cap : size) + " bytes; at most " + cap
            + " are accepted");
    }

    /** Counts what is read and fails once the count passes the cap. */
    private static final class Capped extends FilterInputStream {
        private final long cap;
        private long read;

        Capped(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > cap) {
                throw tooLarge(-1, cap);
            }
        }
    }
}
