package com.fanzfinance.reconciliation.match;

/**
 * Walks the references in a byte range of reference text: the parts between {@code |}, trimmed as
 * {@link String#trim()} does, empty parts skipped. One reusable cursor, no object per part.
 */
final class ReferenceParts {
    private byte[] bytes;
    private int position;
    private int limit;
    /** The current part: {@code bytes[start, end)}. */
    int start;
    int end;

    void reset(byte[] b, int off, int len) {
        bytes = b;
        position = off;
        limit = off + len;
    }

    /** Advances to the next part; false when there is none. */
    boolean next() {
        byte[] b = bytes;
        while (position <= limit) {
            int q = position;
            while (q < limit && b[q] != '|') {
                q++;
            }
            int s = position;
            int e = q;
            position = q + 1;
            while (s < e && ByteArena.blank(b[s])) {
                s++;
            }
            while (e > s && ByteArena.blank(b[e - 1])) {
                e--;
            }
            if (e > s) {
                start = s;
                end = e;
                return true;
            }
        }
        return false;
    }

    int length() {
        return end - start;
    }

    /** The number of parts left (consumes them). */
    int count() {
        int n = 0;
        while (next()) {
            n++;
        }
        return n;
    }
}
