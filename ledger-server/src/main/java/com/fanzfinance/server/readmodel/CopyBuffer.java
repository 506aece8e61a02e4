package com.fanzfinance.server.readmodel;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY … FROM STDIN (FORMAT binary)}), built in one growable
 * byte array: the signature and header, then per row the field count and each field as a 32-bit length and
 * its bytes in network order (-1 for null), then the trailer. PostgreSQL then parses no text: no digits, no
 * UUID hex, no escapes — that parsing was a fifth to a third of the server process's time in a COPY
 * (measured on 1 M transfers: 26 s text, 20 s binary, all indexes live). Every field must be written with the
 * column's exact type ({@code int8}, {@code int4}, {@code int2}, {@code uuid}, {@code jsonb}); a row with the
 * wrong number of fields is refused here rather than by the server.
 */
final class CopyBuffer {
    /** "PGCOPY\n\377\r\n\0", then flags 0 and a header extension of 0 bytes. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int HEADER_BYTES = HEADER.length;
    /** The jsonb binary format's version byte, before the JSON text. */
    private static final byte JSONB_VERSION = 1;

    private final int columns;
    private byte[] bytes = new byte[1 << 16];
    /** Where sorted rows are put together before the two arrays swap places. */
    private byte[] spare = new byte[0];
    private int length;
    private int rows;
    private int fields = -1;
    /** Bytes per row while every row so far has had the same size; -1 before a whole row, -2 once sizes differ. */
    private int rowBytes = -1;
    private int rowStart;
    /** Reused by {@link #sortRows}: each row's key as two unsigned halves, and the row order being merged. */
    private long[] keyHigh = new long[0];
    private long[] keyLow = new long[0];
    private int[] order = new int[0];
    private int[] merging = new int[0];

    /** A buffer for rows of {@code columns} fields each. */
    CopyBuffer(int columns) {
        this.columns = columns;
        clear();
    }

    void clear() {
        System.arraycopy(HEADER, 0, bytes, 0, HEADER_BYTES);
        length = HEADER_BYTES;
        rows = 0;
        fields = -1;
        rowBytes = -1;
    }

    int rows() {
        return rows;
    }

    /**
     * Puts the rows in the order of the 16-byte field that starts {@code keyOffset} bytes into each row (byte by
     * byte, as PostgreSQL orders a uuid; rows that tie keep their order). Only for rows that are all the same
     * size (no nulls, no variable-length fields). What the table holds does not depend on the order: this is so
     * that a B-tree led by that field is filled in key order, one leaf after the next, instead of at random.
     */
    void sortRows(int keyOffset) {
        requireRowComplete();
        noteRowSize();
        if (rows < 2) {
            return;
        }
        if (rowBytes < 0 || keyOffset < 0 || keyOffset + 16 > rowBytes) {
            throw new IllegalStateException("rows of differing sizes, or a key outside them, cannot be sorted");
        }
        if (keyHigh.length < rows) {
            int size = Math.max(rows, Math.min(keyHigh.length * 2, Integer.MAX_VALUE / 2));
            keyHigh = new long[size];
            keyLow = new long[size];
            order = new int[size];
            merging = new int[size];
        }
        for (int row = 0; row < rows; row++) {
            int at = HEADER_BYTES + row * rowBytes + keyOffset;
            keyHigh[row] = getLong(at);
            keyLow[row] = getLong(at + 8);
        }
        int[] sortedOrder = stableOrder(keyHigh, keyLow, rows, order, merging);
        if (spare.length < bytes.length) {
            spare = new byte[bytes.length];
        }
        System.arraycopy(bytes, 0, spare, 0, HEADER_BYTES);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(bytes, HEADER_BYTES + sortedOrder[i] * rowBytes, spare, HEADER_BYTES + i * rowBytes, rowBytes);
        }
        byte[] sorted = spare;
        spare = bytes;
        bytes = sorted;
    }

    /** Rows sorted by insertion in runs of this many before the merges. */
    private static final int INSERTION_RUN = 32;

    /**
     * The rows {@code 0 … n-1} in the order of their keys ({@code high}, then {@code low}, each unsigned), rows that
     * tie in the order of their numbers: a bottom-up merge sort over {@code int}s, in {@code order} and {@code
     * merging} (each at least {@code n} long), returning whichever of the two holds the result. It replaced
     * {@code Arrays.sort} of boxed row numbers with a comparator: the same order, without the boxes, and without
     * the JDK's shared TimSort, whose compiled code the live projector kept sending back to the JIT (its profile
     * mixes every caller in the process).
     */
    static int[] stableOrder(long[] high, long[] low, int n, int[] order, int[] merging) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int start = 0; start < n; start += INSERTION_RUN) {
            int end = Math.min(start + INSERTION_RUN, n);
            for (int i = start + 1; i < end; i++) {
                int row = order[i];
                int j = i - 1;
                while (j >= start && after(high, low, order[j], row)) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = row;
            }
        }
        int[] from = order;
        int[] to = merging;
        for (int width = INSERTION_RUN; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + (width << 1), n);
                if (mid == hi || !after(high, low, from[mid - 1], from[mid])) {
                    System.arraycopy(from, lo, to, lo, hi - lo);
                    continue;
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // Only a strictly later left row yields to the right one: ties keep their order.
                    to[k++] = after(high, low, from[i], from[j]) ? from[j++] : from[i++];
                }
                System.arraycopy(from, i, to, k, mid - i);
                System.arraycopy(from, j, to, k + mid - i, hi - j);
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }

    /** Whether row {@code a}'s key comes strictly after row {@code b}'s. */
    private static boolean after(long[] high, long[] low, int a, int b) {
        int byHigh = Long.compareUnsigned(high[a], high[b]);
        return byHigh > 0 || byHigh == 0 && Long.compareUnsigned(low[a], low[b]) > 0;
    }

    /** The whole COPY stream: header, rows, trailer. */
    InputStream stream() {
        requireRowComplete();
        ensure(2);
        // The trailer (a field count of -1) goes after the rows without counting as content, so rows can follow.
        bytes[length] = (byte) 0xFF;
        bytes[length + 1] = (byte) 0xFF;
        return new ByteArrayInputStream(bytes, 0, length + 2);
    }

    /** Starts a row. */
    CopyBuffer row() {
        requireRowComplete();
        noteRowSize();
        ensure(2);
        rowStart = length;
        putShort(columns);
        rows++;
        fields = 0;
        return this;
    }

    CopyBuffer int8(long value) {
        field(8);
        putLong(value);
        return this;
    }

    CopyBuffer int4(int value) {
        field(4);
        putInt(value);
        return this;
    }

    CopyBuffer int2(int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("not a smallint: " + value);
        }
        field(2);
        putShort(value);
        return this;
    }

    /** A 128-bit value stored little-endian at {@code offset} (low 8 bytes first), as a UUID. */
    CopyBuffer uuid(DirectBuffer buffer, int offset) {
        field(16);
        putLong(buffer.getLong(offset + 8));
        putLong(buffer.getLong(offset));
        return this;
    }

    /** UTF-8 JSON text as jsonb (the server checks it), or null. */
    CopyBuffer jsonb(byte[] utf8) {
        if (utf8 == null) {
            field(-1);
            return this;
        }
        field(1 + utf8.length);
        bytes[length++] = JSONB_VERSION;
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    /** Counts a field of {@code size} bytes (-1: null) and writes its length; room is made for the bytes too. */
    private void field(int size) {
        if (fields < 0 || fields == columns) {
            throw new IllegalStateException(fields < 0 ? "a field before row()" : "more than " + columns + " fields in a row");
        }
        fields++;
        ensure(4 + Math.max(size, 0));
        putInt(size);
    }

    /** Folds the row just completed (if any) into {@link #rowBytes}. */
    private void noteRowSize() {
        if (fields != columns || rowBytes == -2) {
            return;
        }
        int size = length - rowStart;
        if (rowBytes == -1) {
            rowBytes = size;
        } else if (rowBytes != size) {
            rowBytes = -2;
        }
        fields = -1;
    }

    private long getLong(int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    private void requireRowComplete() {
        if (fields >= 0 && fields != columns) {
            throw new IllegalStateException("a row of " + fields + " fields where the table takes " + columns);
        }
    }

    private void putShort(int value) {
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void putInt(int value) {
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
