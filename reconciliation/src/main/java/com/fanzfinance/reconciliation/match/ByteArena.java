package com.fanzfinance.reconciliation.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text of a columnar store: UTF-8 bytes appended one after the other into one array that grows by doubling;
 * callers keep {@code int} offsets and lengths. ASCII text is copied without a temporary array.
 */
final class ByteArena {

    /** The largest array the JVM reliably allocates. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private byte[] bytes;
    private int size;

    ByteArena(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** The live array; valid until the next append (growth replaces it). */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    int capacity() {
        return bytes.length;
    }

    /** Forgets everything appended from {@code newSize} on (undoes a half-stored record). */
    void truncate(int newSize) {
        size = newSize;
    }

    /**
     * Appends {@code s} as UTF-8.
     *
     * @return the number of bytes appended
     * @throws IllegalStateException when the arena would outgrow {@link #MAX_BYTES}
     */
    int append(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int p = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return appendEncoded(s);
            }
            b[p++] = (byte) c;
        }
        size = p;
        return n;
    }

    /** Appends {@code len} bytes of {@code src} from {@code off}. */
    void append(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, size, len);
        size += len;
    }

    private int appendEncoded(String s) {
        byte[] enc = s.getBytes(StandardCharsets.UTF_8);
        ensure(enc.length);
        System.arraycopy(enc, 0, bytes, size, enc.length);
        size += enc.length;
        return enc.length;
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed <= bytes.length) {
            return;
        }
        if (needed > MAX_BYTES) {
            throw new IllegalStateException("more than " + MAX_BYTES + " bytes of text");
        }
        long grown = Math.max(needed, Math.min((long) bytes.length * 2, MAX_BYTES));
        bytes = Arrays.copyOf(bytes, (int) grown);
    }

    String string(int off, int len) {
        return new String(bytes, off, len, StandardCharsets.UTF_8);
    }

    /** ASCII lower case of one byte (other bytes, including UTF-8 sequences, unchanged). */
    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** Whether the byte is one {@link String#trim()} removes (every char up to U+0020 is one UTF-8 byte). */
    static boolean blank(byte b) {
        return (b & 0xff) <= 0x20;
    }
}
