package com.fanzfinance.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A request body stream that never reads more than one byte past its cap: it fails with a 413 problem
 * once the count passes the cap, and turns a failed read (the client hung up or stalled) into the 499
 * problem of {@link RequestBody#unreadable}. {@link #readAllBytes()} grows its buffer only as far as
 * the cap.
 */
final class CappedInputStream extends FilterInputStream {
    private final long cap;
    private long read;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int n;
        try {
            n = super.read(buffer, offset, (int) Math.min(length, cap - read + 1));
        } catch (IOException e) {
            throw RequestBody.unreadable(e);
        }
        if (n > 0) {
            read += n;
            if (read > cap) {
                throw RequestBody.tooLarge(-1, cap);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        return Math.max(read(buffer, 0, buffer.length), 0);
    }

    @Override
    public byte[] readAllBytes() {
        byte[] bytes = new byte[(int) Math.min(cap + 1, 64 * 1024)];
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(cap + 1, (long) bytes.length * 2));
            }
            int n = read(bytes, length, bytes.length - length);
            if (n < 0) {
                return Arrays.copyOf(bytes, length);
            }
            length += n;
        }
    }
}
