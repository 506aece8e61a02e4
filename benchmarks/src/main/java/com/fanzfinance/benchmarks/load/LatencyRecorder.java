package com.fanzfinance.benchmarks.load;

import java.util.Arrays;
import java.util.Objects;

/**
 * Latencies in nanoseconds in a primitive array sized up front (doubled, rarely, if a client takes more
 * than its expected share), and exact nearest-rank percentiles computed by sorting a copy. One per
 * thread; {@link #merge} combines them after the run.
 */
public final class LatencyRecorder {
    /** The percentiles TigerBeetle's benchmark prints. */
    public static final int[] PERCENTILES = {1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 100};

    private long[] nanos;
    /** When each latency began (nanoseconds from the run's start), if recorded: {@link #record(long, long)}. */
    private long[] sent;
    private int count;

    public LatencyRecorder(int capacity) {
        this.nanos = new long[Math.max(capacity, 16)];
    }

    public void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, Math.multiplyExact(nanos.length, 2));
            if (sent != null) {
                sent = Arrays.copyOf(sent, nanos.length);
            }
        }
        nanos[count++] = latencyNanos;
    }

    /** Records a latency and when it began ({@code sentNanos} from the run's start), for a latency log. */
    public void record(long sentNanos, long latencyNanos) {
        if (sent == null) {
            sent = new long[nanos.length];
        }
        int at = count;
        record(latencyNanos);
        sent[at] = sentNanos;
    }

    /** The {@code i}-th latency recorded, in nanoseconds. */
    public long latency(int i) {
        return nanos[Objects.checkIndex(i, count)];
    }

    /** When the {@code i}-th latency began, as given to {@link #record(long, long)} (0 if it was not). */
    public long sentAt(int i) {
        Objects.checkIndex(i, count);
        return sent == null ? 0 : sent[i];
    }

    public int count() {
        return count;
    }

    public static LatencyRecorder merge(Iterable<LatencyRecorder> recorders) {
        int total = 0;
        for (LatencyRecorder recorder : recorders) {
            total += recorder.count;
        }
        LatencyRecorder merged = new LatencyRecorder(total);
        for (LatencyRecorder recorder : recorders) {
            System.arraycopy(recorder.nanos, 0, merged.nanos, merged.count, recorder.count);
            merged.count += recorder.count;
        }
        return merged;
    }

    /** The sorted latencies; allocates a copy. */
    public long[] sorted() {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value with at least {@code percentile}%
     * of the values at or below it ({@code 100} is the maximum).
     */
    public static long percentile(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (percentile < 1 || percentile > 100) {
            throw new IllegalArgumentException("a percentile is 1..100, was " + percentile);
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
