package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void nearestRankPercentilesOfOneToOneHundred() {
        LatencyRecorder recorder = new LatencyRecorder(100);
        for (long value = 100; value >= 1; value--) {
            recorder.record(value);
        }
        long[] sorted = recorder.sorted();
        for (int percentile : LatencyRecorder.PERCENTILES) {
            assertThat(LatencyRecorder.percentile(sorted, percentile)).isEqualTo(percentile);
        }
    }

    @Test
    void smallAndUnevenArrays() {
        long[] sorted = {10, 20, 30, 40};
        assertThat(LatencyRecorder.percentile(sorted, 1)).isEqualTo(10);
        assertThat(LatencyRecorder.percentile(sorted, 25)).isEqualTo(10);
        assertThat(LatencyRecorder.percentile(sorted, 26)).isEqualTo(20);
        assertThat(LatencyRecorder.percentile(sorted, 50)).isEqualTo(20);
        assertThat(LatencyRecorder.percentile(sorted, 51)).isEqualTo(30);
        assertThat(LatencyRecorder.percentile(sorted, 99)).isEqualTo(40);
        assertThat(LatencyRecorder.percentile(sorted, 100)).isEqualTo(40);
        assertThat(LatencyRecorder.percentile(new long[] {7}, 1)).isEqualTo(7);
        assertThat(LatencyRecorder.percentile(new long[] {7}, 100)).isEqualTo(7);
    }

    @Test
    void mergesAndGrowsPastItsCapacity() {
        LatencyRecorder one = new LatencyRecorder(1);
        LatencyRecorder two = new LatencyRecorder(1);
        for (int i = 0; i < 40; i++) {
            one.record(i);
            two.record(100 + i);
        }
        LatencyRecorder merged = LatencyRecorder.merge(List.of(one, two));
        assertThat(merged.count()).isEqualTo(80);
        assertThat(merged.sorted()[0]).isZero();
        assertThat(LatencyRecorder.percentile(merged.sorted(), 100)).isEqualTo(139);
        assertThat(LatencyRecorder.percentile(merged.sorted(), 50)).isEqualTo(39);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> LatencyRecorder.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyRecorder.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsResidentMemoryFromProcStatus() throws Exception {
        ServerMemory parsed = ServerMemory.parse("Name:\tjava\nVmHWM:\t  2097152 kB\nVmRSS:\t  1048576 kB\n");
        assertThat(parsed.line()).isEqualTo("server rss = 1024 MiB (peak 2048 MiB)");
        ServerMemory own = ServerMemory.of(ProcessHandle.current().pid());
        assertThat(own.residentKib()).isPositive();
        assertThat(own.peakResidentKib()).isGreaterThanOrEqualTo(own.residentKib());
    }
}
