package com.fanzfinance.server.http;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A few reusable arrays into which JSON batch bodies are read whole for {@link FastJsonTransfers}. JSON bodies are
 * otherwise parsed as a stream, whose memory is bounded by the parser's limits rather than the body's size; so a
 * body is read whole only when it declares a length of at most {@link #BODY_BYTES_MAX} and one of these arrays is
 * free — a request that finds none streams as before. The memory this adds is at most {@code arrays} ×
 * {@link #BODY_BYTES_MAX}, kept once reached.
 */
final class JsonBodyBuffers {
    /**
     * The largest body read whole: a full batch of compact transfers with every field written is about 4 MB;
     * pretty-printed a little more.
     */
    static final int BODY_BYTES_MAX = 8 << 20;
    private final ArrayBlockingQueue<byte[]> free;

    JsonBodyBuffers(int arrays) {
        if (arrays < 1) {
            throw new IllegalArgumentException("at least one array, not " + arrays);
        }
        free = new ArrayBlockingQueue<>(arrays);
        for (int i = 0; i < arrays; i++) {
            free.add(new byte[0]);
        }
    }

    /**
     * A free array of at least {@code length} bytes, or null if {@code length} is negative (not declared) or above
     * {@link #BODY_BYTES_MAX}, or every array is in use. Give it back with {@link #release}.
     */
    byte[] take(long length) {
        if (length < 0 || length > BODY_BYTES_MAX) {
            return null;
        }
        byte[] array = free.poll();
        if (array == null) {
            return null;
        }
        // Grown to the next power of two (within the maximum), so that bodies of varying length settle quickly.
        return array.length >= length ? array
            : new byte[(int) Math.min(BODY_BYTES_MAX, Math.max(64 * 1024, Long.highestOneBit(length - 1) << 1))];
    }

    /** Returns an array {@link #take} gave. */
    void release(byte[] array) {
        if (!free.offer(array)) {
            throw new IllegalStateException("an array was released twice");
        }
    }
}
