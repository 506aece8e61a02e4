package com.fanzfinance.server.http;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A few reusable arrays into which request bodies are read whole, instead of a fresh array per request (a full
 * batch is about a megabyte binary and four JSON: allocating and zeroing one cost the request thread about 0.8 ms
 * of a binary batch's time, page faults included). A body is read into one only when it declares a length of at
 * most {@code bytesMax} and one is free; a request that finds none falls back to its own allocation (or, for
 * JSON, to streaming). The memory this adds is at most {@code arrays} × {@code bytesMax}, kept once reached.
 *
 * <p>Whoever takes an array gives it back once nothing reads it any more: JSON bodies right after parsing,
 * binary records once the ledger has completed the command (its stages read the records until then — after an
 * HTTP timeout too).
 */
final class BodyBuffers {
    /**
     * The largest JSON body read whole: a full batch of compact transfers with every field written is about 4 MB;
     * pretty-printed a little more.
     */
    static final int JSON_BYTES_MAX = 8 << 20;
    private static final int GROWN_BYTES_MIN = 64 * 1024;

    private final ArrayBlockingQueue<byte[]> free;
    private final int bytesMax;

    BodyBuffers(int arrays, int bytesMax) {
        if (arrays < 1) {
            throw new IllegalArgumentException("at least one array, not " + arrays);
        }
        if (bytesMax < 1) {
            throw new IllegalArgumentException("arrays of at least one byte, not " + bytesMax);
        }
        this.bytesMax = bytesMax;
        free = new ArrayBlockingQueue<>(arrays);
        for (int i = 0; i < arrays; i++) {
            free.add(new byte[0]);
        }
    }

    /**
     * A free array of at least {@code length} bytes, or null if {@code length} is negative (not declared) or above
     * {@code bytesMax}, or every array is in use. Give it back with {@link #release}.
     */
    byte[] take(long length) {
        if (length < 0 || length > bytesMax) {
            return null;
        }
        byte[] array = free.poll();
        if (array == null) {
            return null;
        }
        // Grown to the next power of two (within the maximum), so that bodies of varying length settle quickly.
        return array.length >= length ? array
            : new byte[(int) Math.min(bytesMax, Math.max(GROWN_BYTES_MIN, Long.highestOneBit(Math.max(1, length - 1)) << 1))];
    }

    /** Arrays free now. */
    int free() {
        return free.size();
    }

    /** Returns an array {@link #take} gave. */
    void release(byte[] array) {
        if (!free.offer(array)) {
            throw new IllegalStateException("an array was released twice");
        }
    }
}
