package com.fanzfinance.ledger.state;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.IoUtil;

/**
 * Writes the dirty pages of memory-mapped files to the device a slice at a time ({@code msync} of
 * {@link #SLICE_BYTES}), resting after each slice as long as the slice took: the device is busy with them at most
 * about half the time, and a sync that arrives meanwhile — the journal's group commit — waits behind one slice
 * instead of all of them.
 *
 * <p>Why: a snapshot makes the mapped stores and the event stream durable, which is everything they took since the
 * previous snapshot (hundreds of MiB under full load: the kernel writes nothing back by itself until its dirty
 * thresholds, gigabytes on a large machine). In one {@code msync}/{@code fdatasync} that is a burst which every
 * journal {@code fdatasync} queues behind: with a 300 MiB file flushed at once, a concurrent 1 MiB journal sync
 * took 270–280 ms; flushed in 4 MiB slices with equal rests, at most 10–12 ms (the flush itself 0.6–0.8 s instead
 * of 0.27). Only a writer that nobody waits for should pace itself: the automatic snapshot, off the business thread.
 */
public final class PacedWriteBack {
    /** How much one {@code msync} writes at most. */
    static final int SLICE_BYTES = 4 << 20;
    /** The longest rest after a slice (a slice that took longer than this rests only this long). */
    static final long REST_NANOS_MAX = TimeUnit.MILLISECONDS.toNanos(50);
    /** A slice quicker than this (nothing dirty in it) is not followed by a rest. */
    static final long REST_NANOS_MIN = TimeUnit.MICROSECONDS.toNanos(200);
    /** How much of a file is mapped at once to write it back. */
    private static final long WINDOW_BYTES = 256L << 20;

    private PacedWriteBack() {
    }

    /** Writes back {@code buffer}'s dirty pages, paced; returns when they are on the device. */
    public static void force(MappedByteBuffer buffer) {
        int capacity = buffer.capacity();
        for (int at = 0; at < capacity; at += SLICE_BYTES) {
            long started = System.nanoTime();
            buffer.force(at, Math.min(SLICE_BYTES, capacity - at));
            rest(System.nanoTime() - started);
        }
    }

    /**
     * Writes back the dirty pages of {@code channel}'s file (opened for reading and writing), paced, through
     * temporary mappings, then {@code fdatasync}s it for what is left (its size, if it grew meanwhile, and any
     * page dirtied since its slice was written).
     */
    public static void force(FileChannel channel) throws IOException {
        force(channel, WINDOW_BYTES);
    }

    static void force(FileChannel channel, long windowBytes) throws IOException {
        long size = channel.size();
        for (long at = 0; at < size; at += windowBytes) {
            MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_WRITE, at, Math.min(windowBytes, size - at));
            try {
                force(window);
            } finally {
                IoUtil.unmap(window);
            }
        }
        channel.force(false);
    }

    private static void rest(long sliceNanos) {
        long rest = restNanos(sliceNanos);
        if (rest > 0) {
            LockSupport.parkNanos(rest);
        }
    }

    /** The rest after a slice that took {@code sliceNanos}: as long, within the bounds. */
    static long restNanos(long sliceNanos) {
        return sliceNanos < REST_NANOS_MIN ? 0 : Math.min(sliceNanos, REST_NANOS_MAX);
    }
}
