package com.fanzfinance.ledger.state;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.IoUtil;

/**
 * Writes the dirty pages of memory-mapped files to the device a slice at a time ({@code msync} of
 * {@link #SLICE_BYTES}), resting after each slice as long as the slice took (up to {@link #REST_NANOS_MAX}): a sync
 * that arrives meanwhile — the journal's group commit — waits behind one slice instead of all of them.
 *
 * <p>Why: a snapshot makes the mapped stores and the event stream durable, which is everything they took since the
 * previous snapshot — hundreds of MiB under full load, nearly all of it still dirty in memory (the kernel writes
 * back on its own only pages dirty for longer than {@code vm.dirty_expire_centisecs}, 30 s by default, or past its
 * dirty thresholds, gigabytes on a large machine). In one {@code msync}/{@code fdatasync} that is a burst which every
 * journal {@code fdatasync} queues behind: with a 300 MiB file flushed at once, a concurrent 1 MiB journal sync took
 * 278–280 ms; flushed in 4 MiB slices with equal rests, 9.5–11.5 ms at most (the flush itself 0.6–0.8 s instead of
 * 0.27 s; docs/benchmarks.md, thirteenth session). Only a writer that nobody waits for should pace itself: the
 * automatic snapshot, off the business thread.
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
        force(buffer.capacity(), buffer::force);
    }

    /** Syncs {@code [0, length)} through {@code slices}, a slice at a time with its rest after it. */
    static void force(int length, SliceSync slices) {
        for (long at = 0; at < length; at += SLICE_BYTES) {
            long started = System.nanoTime();
            slices.sync((int) at, (int) Math.min(SLICE_BYTES, length - at));
            rest(System.nanoTime() - started);
        }
    }

    /**
     * Writes back the dirty pages of {@code channel}'s file (opened for reading and writing), paced, through
     * temporary mappings of the file as long as it is (never past its end: a file that shrinks meanwhile is not
     * grown back), then {@code fdatasync}s it for what is left — the part it grew by, any page dirtied after its
     * slice was written, the metadata.
     */
    public static void force(FileChannel channel) throws IOException {
        force(channel, WINDOW_BYTES);
    }

    static void force(FileChannel channel, long windowBytes) throws IOException {
        for (long at = 0, size = channel.size(); at < size; at += windowBytes, size = channel.size()) {
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

    /** Syncs {@code length} bytes from {@code at} ({@link MappedByteBuffer#force(int, int)}). */
    @FunctionalInterface
    interface SliceSync {
        void sync(int at, int length);
    }
}
