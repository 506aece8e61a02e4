package com.fanzfinance.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one durable group commit costs the device, apart from the engine: writes {@code count} blocks of
 * {@code blockBytes} (a full binary batch is about 1 MiB) into a file in {@code directory} and fdatasyncs after
 * each, four ways — into a memory-mapped file that is still sparse (what the journal does today), with
 * {@code pwrite} at the end of the file, with {@code pwrite} over blocks already written once, and into a
 * memory-mapped file over blocks already written once — and prints the median and 90th percentile of the
 * write-and-sync of each. A pause between blocks keeps one sync from queueing behind the last.
 * {@code SyncProbe <directory> [count] [blockBytes] [rounds]}; the files are deleted afterwards.
 */
public final class SyncProbe {
    private static final long PAUSE_MILLIS = 10;

    private SyncProbe() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: SyncProbe <directory on the journal's file system> [count] [blockBytes] [rounds]");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int blockBytes = args.length > 2 ? Integer.parseInt(args[2]) : 1 << 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (count < 1 || blockBytes < 1 || rounds < 1 || (long) count * blockBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("count, blockBytes and rounds must be positive, count × blockBytes < 2 GiB");
        }
        byte[] block = new byte[blockBytes];
        new SplittableRandom(1).nextBytes(block);
        Path file = Files.createTempFile(directory, "sync-probe-", ".bin");
        try {
            for (int round = 1; round <= rounds; round++) {
                Files.deleteIfExists(file);
                print(round, "mmap, sparse file (the journal today)", mapped(file, block, count));
                Files.deleteIfExists(file);
                print(round, "pwrite, appending", written(file, block, count));
                print(round, "pwrite, over written blocks", written(file, block, count));
                print(round, "mmap, over written blocks", mapped(file, block, count));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long[] mapped(Path file, byte[] block, int count) throws IOException, InterruptedException {
        long[] nanos = new long[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) count * block.length);
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                map.put(i * block.length, block);
                channel.force(false);
                nanos[i] = System.nanoTime() - started;
                Thread.sleep(PAUSE_MILLIS);
            }
        }
        return nanos;
    }

    private static long[] written(Path file, byte[] block, int count) throws IOException, InterruptedException {
        long[] nanos = new long[count];
        ByteBuffer buffer = ByteBuffer.wrap(block);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                buffer.clear();
                long position = (long) i * block.length;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(false);
                nanos[i] = System.nanoTime() - started;
                Thread.sleep(PAUSE_MILLIS);
            }
        }
        return nanos;
    }

    private static void print(int round, String way, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "round %d  %-40s p50 %6.2f ms  p90 %6.2f ms%n", round, way,
            sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6);
    }
}
