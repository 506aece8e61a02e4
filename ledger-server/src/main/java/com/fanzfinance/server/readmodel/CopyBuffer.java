package com.fanzfinance.server.readmodel;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * Rows in PostgreSQL's COPY text format, built in one growable byte array: fields separated by tabs,
 * rows by newlines, {@code \N} for null, and backslash, tab, newline and carriage return escaped in text.
 * Numbers and UUIDs are written digit by digit, without intermediate strings.
 */
final class CopyBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[1 << 16];
    private int length;
    private int rows;
    private boolean rowStarted;

    void clear() {
        length = 0;
        rows = 0;
        rowStarted = false;
    }

    int rows() {
        return rows;
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes, 0, length);
    }

    CopyBuffer number(long value) {
        separate();
        if (value == Long.MIN_VALUE) {
            put(LONG_MIN);
            return this;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        reverse(start, length - 1);
        return this;
    }

    /** A 128-bit value stored little-endian at {@code offset} (low 8 bytes first), as a canonical UUID. */
    CopyBuffer uuid(DirectBuffer buffer, int offset) {
        return uuid(buffer.getLong(offset + 8), buffer.getLong(offset));
    }

    CopyBuffer uuid(long high, long low) {
        separate();
        ensure(36);
        hex(high >>> 32, 8);
        bytes[length++] = '-';
        hex(high >>> 16, 4);
        bytes[length++] = '-';
        hex(high, 4);
        bytes[length++] = '-';
        hex(low >>> 48, 4);
        bytes[length++] = '-';
        hex(low, 12);
        return this;
    }

    /** UTF-8 JSON text (or null), escaped for COPY. */
    CopyBuffer text(byte[] utf8) {
        separate();
        if (utf8 == null) {
            ensure(2);
            bytes[length++] = '\\';
            bytes[length++] = 'N';
            return this;
        }
        ensure(utf8.length * 2);
        for (byte b : utf8) {
            switch (b) {
                case '\\' -> escape('\\');
                case '\t' -> escape('t');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                default -> bytes[length++] = b;
            }
        }
        return this;
    }

    void endRow() {
        ensure(1);
        bytes[length++] = '\n';
        rows++;
        rowStarted = false;
    }

    private void escape(char c) {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
    }

    private void hex(long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += digits;
    }

    private void separate() {
        if (rowStarted) {
            ensure(1);
            bytes[length++] = '\t';
        }
        rowStarted = true;
    }

    private void put(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
    }

    private void reverse(int from, int to) {
        while (from < to) {
            byte swap = bytes[from];
            bytes[from++] = bytes[to];
            bytes[to--] = swap;
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
