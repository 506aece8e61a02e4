package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paced write-back syncs every byte once, in slices that cover the whole length in order (up to the largest
 * mapping), leaves files exactly as they were and never grows them — every slice and window boundary, a tail
 * shorter than a slice, an empty file — and rests after a slice as long as it took, within bounds. (Whether the
 * pages reach the device is the kernel's {@code msync}; the snapshot and recovery tests run through this path.)
 */
class PacedWriteBackTest {
    @TempDir
    Path directory;

    @Test
    void aMappedBufferIsWrittenBackUnchangedAcrossSlicesAndATail() throws IOException {
        int length = 2 * PacedWriteBack.SLICE_BYTES + 12_345;
        byte[] content = randomBytes(length, 1);
        Path file = directory.resolve("store");
        try (FileChannel channel = open(file)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            try {
                mapped.put(content);
                PacedWriteBack.force(mapped);
            } finally {
                IoUtil.unmap(mapped);
            }
        }
        assertThat(Files.size(file)).isEqualTo(length);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aFileIsWrittenBackThroughWindowsWithoutGrowingOrChanging() throws IOException {
        long window = 1 << 20;
        for (int length : new int[] {0, 1, (int) window, 5 * (int) window + 777}) {
            byte[] content = randomBytes(length, length);
            Path file = directory.resolve("cycle-" + length);
            try (FileChannel channel = open(file)) {
                channel.write(ByteBuffer.wrap(content));
                PacedWriteBack.force(channel, window);
                assertThat(channel.size()).as("length %d", length).isEqualTo(length);
            }
            assertThat(Files.readAllBytes(file)).as("length %d", length).isEqualTo(content);
        }
    }

    @Test
    void theSlicesCoverTheWholeLengthOnceInOrder() {
        int slice = PacedWriteBack.SLICE_BYTES;
        for (int length : new int[] {0, 1, slice - 1, slice, slice + 1, 3 * slice + 4096, Integer.MAX_VALUE}) {
            List<long[]> slices = new ArrayList<>();
            PacedWriteBack.force(length, (at, part) -> slices.add(new long[] {at, part}));
            long next = 0;
            for (long[] each : slices) {
                assertThat(each[0]).as("length %d: each slice starts where the last ended", length).isEqualTo(next);
                assertThat(each[1]).as("length %d", length).isPositive().isLessThanOrEqualTo(slice);
                next += each[1];
            }
            assertThat(next).as("length %d: covered to the end, not past it", length).isEqualTo(length);
        }
    }

    @Test
    void aSliceIsFollowedByARestAsLongAsItTookWithinBounds() {
        long min = PacedWriteBack.REST_NANOS_MIN;
        long max = PacedWriteBack.REST_NANOS_MAX;
        assertThat(PacedWriteBack.restNanos(0)).as("a clean slice").isZero();
        assertThat(PacedWriteBack.restNanos(min - 1)).isZero();
        assertThat(PacedWriteBack.restNanos(min)).isEqualTo(min);
        assertThat(PacedWriteBack.restNanos(TimeUnit.MILLISECONDS.toNanos(7))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(PacedWriteBack.restNanos(max)).isEqualTo(max);
        assertThat(PacedWriteBack.restNanos(10 * max)).as("capped").isEqualTo(max);
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
