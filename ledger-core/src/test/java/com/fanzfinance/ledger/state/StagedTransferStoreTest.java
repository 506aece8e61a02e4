package com.fanzfinance.ledger.state;

import static com.fanzfinance.ledger.state.TransferStoreTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.TransferLayout;

/**
 * A mapped {@link TransferStore}'s staged appends: the newest records live in a reused buffer and reach the file a
 * stage at a time with {@code write(2)}; reads, amends, rollbacks across a stage, restores and snapshots' flushes must
 * give exactly what an unstaged store gives, and the file must hold every record once flushed or closed.
 */
class StagedTransferStoreTest {
    /** 64 KiB mapped pages: a 1 MiB stage spans sixteen, so a stage is never one page by accident. */
    private static final int PAGE_SHIFT = 16;
    private static final int STAGE = TransferStore.STAGE_RECORDS;

    @Test
    void mappedStoresStageTheirAppendsUnlessSwitchedOffAndHeapStoresNever(@TempDir Path dir) {
        try (TransferStore staged = new TransferStore(PagedMemory.mapped(dir.resolve("a"), PAGE_SHIFT), 10, true);
             TransferStore off = new TransferStore(PagedMemory.mapped(dir.resolve("b"), PAGE_SHIFT), 10, false);
             TransferStore heap = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 10, true)) {
            assertThat(staged.staged()).isTrue();
            assertThat(off.staged()).isFalse();
            assertThat(heap.staged()).isFalse();
        }
    }

    /** What is staged is not in the file until a flush (a snapshot's capture) or a full stage writes it there. */
    @Test
    void theFileHoldsStagedRecordsOnceFlushedAndEveryRecordOnceClosed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("transfers");
        int records = 2 * STAGE + 100;
        try (TransferStore store = new TransferStore(PagedMemory.mapped(file, PAGE_SHIFT), Long.MAX_VALUE, true)) {
            store.restore(0);
            for (int i = 0; i < records; i++) {
                store.append(record(i), 0);
            }
            assertFileHolds(file, 0, 2 * STAGE);
            assertThat(fileRecord(file, 2 * STAGE)).as("a staged record before the flush").containsOnly((byte) 0);

            store.flushStaged();
            assertFileHolds(file, 0, records);

            store.append(record(records), 0);
            store.amendNewest(TransferLayout.AMOUNT, 42);
        }
        TransferStore closed = new TransferStore(PagedMemory.mapped(dir.resolve("again"), PAGE_SHIFT), 10, true);
        closed.append(record(1), 0);
        closed.close();
        closed.close(); // as LedgerState may on a failure path: no write to a closed file, no freed buffer read
        UnsafeBuffer amended = record(records);
        amended.putLong(TransferLayout.AMOUNT, 42);
        assertThat(fileRecord(file, records)).isEqualTo(bytes(amended));
        assertFileHolds(file, 0, records);
    }

    /**
     * Random appends, amends of the newest record, rollbacks (some across a stage already written out), flushes and
     * restores of a reopened file: the staged mapped store reads exactly as a heap store given the same operations.
     */
    @Test
    void aStagedStoreReadsAsAnUnstagedOneThroughAppendsAmendsRollbacksAndRestores(@TempDir Path dir) {
        SplittableRandom random = new SplittableRandom(20261208);
        Path file = dir.resolve("transfers");
        TransferStore expected = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), Long.MAX_VALUE, false);
        TransferStore staged = new TransferStore(PagedMemory.mapped(file, PAGE_SHIFT), Long.MAX_VALUE, true);
        try {
            expected.restore(0);
            staged.restore(0);
            int next = 0;
            long flushedThrough = 0;
            int rollbacksAcrossAStage = 0;
            for (int step = 0; step < 400; step++) {
                int action = random.nextInt(10);
                if (action < 6) {
                    int count = random.nextInt(1, 700);
                    for (int i = 0; i < count; i++) {
                        UnsafeBuffer source = record(next++);
                        expected.append(source, 0);
                        staged.append(source, 0);
                    }
                } else if (action == 6 && expected.count() > 0) {
                    long amount = random.nextLong();
                    expected.amendNewest(TransferLayout.AMOUNT, amount);
                    staged.amendNewest(TransferLayout.AMOUNT, amount);
                } else if (action == 7 && expected.count() > flushedThrough) {
                    // a linked chain rolled back: never below what a snapshot has counted
                    long to = Math.max(flushedThrough, expected.count() - random.nextInt(1, 1_500));
                    if (to < (expected.count() - 1) / STAGE * STAGE) {
                        rollbacksAcrossAStage++;
                    }
                    expected.truncate(to);
                    staged.truncate(to);
                } else if (action == 8) {
                    staged.flushStaged();
                    flushedThrough = staged.count();
                } else if (action == 9 && flushedThrough > 0) {
                    // a crash and a restart from the last snapshot: what was appended after it is lost
                    staged.close();
                    staged = new TransferStore(PagedMemory.mapped(file, PAGE_SHIFT), Long.MAX_VALUE, true);
                    staged.restore(flushedThrough);
                    expected.truncate(flushedThrough);
                }
                assertThat(staged.count()).isEqualTo(expected.count());
                assertSameRecords(expected, staged, random);
            }
            assertThat(expected.count()).as("the run crossed several stages").isGreaterThan(4L * STAGE);
            assertThat(rollbacksAcrossAStage).as("rollbacks across a written stage").isPositive();
            for (long sequence = 0; sequence < expected.count(); sequence++) {
                assertSameRecord(expected, staged, sequence);
            }
        } finally {
            expected.close();
            staged.close();
        }
    }

    /** A restore puts the stage at the restored count and reads the part of it already written back from the file. */
    @Test
    void aRestoreReadsTheStagesFirstRecordsBackFromTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("transfers");
        int written = STAGE + 300;
        try (TransferStore store = new TransferStore(PagedMemory.mapped(file, PAGE_SHIFT), Long.MAX_VALUE, true)) {
            store.restore(0);
            for (int i = 0; i < written; i++) {
                store.append(record(i), 0);
            }
        }
        try (TransferStore store = new TransferStore(PagedMemory.mapped(file, PAGE_SHIFT), Long.MAX_VALUE, true)) {
            store.restore(written - 100);
            for (int i = 0; i < 200; i++) {
                store.append(record(100_000 + i), 0);
            }
            for (int i = 0; i < written - 100; i++) {
                assertThat(store.idLow(i)).as("record %d", i).isEqualTo(record(i).getLong(TransferLayout.ID));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(store.getLong(written - 100 + i, TransferLayout.ID))
                    .isEqualTo(record(100_000 + i).getLong(TransferLayout.ID));
            }
            store.flushStaged();
            assertThat(fileRecord(file, STAGE + 5)).isEqualTo(bytes(record(STAGE + 5)));
            assertThat(fileRecord(file, written - 100)).isEqualTo(bytes(record(100_000)));
        }
    }

    private static void assertSameRecords(TransferStore expected, TransferStore staged, SplittableRandom random) {
        long count = expected.count();
        if (count == 0) {
            return;
        }
        assertSameRecord(expected, staged, count - 1);
        for (int i = 0; i < 8; i++) {
            assertSameRecord(expected, staged, random.nextLong(count));
        }
    }

    private static void assertSameRecord(TransferStore expected, TransferStore staged, long sequence) {
        UnsafeBuffer want = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
        UnsafeBuffer got = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
        expected.copyTo(sequence, want, 0);
        staged.copyTo(sequence, got, 0);
        assertThat(bytes(got)).as("record %d", sequence).isEqualTo(bytes(want));
        assertThat(staged.flags(sequence)).isEqualTo(expected.flags(sequence));
        assertThat(staged.userData32(sequence)).isEqualTo(expected.userData32(sequence));
    }

    private static void assertFileHolds(Path file, int from, int to) throws IOException {
        for (int i = from; i < to; i += 97) {
            assertThat(fileRecord(file, i)).as("record %d in the file", i).isEqualTo(bytes(record(i)));
        }
        assertThat(fileRecord(file, to - 1)).as("record %d in the file", to - 1).isEqualTo(bytes(record(to - 1)));
    }

    /** Record {@code sequence} as the file holds it, read with a channel of its own (not through any mapping). */
    private static byte[] fileRecord(Path file, long sequence) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(TransferLayout.SIZE);
            channel.read(buffer, sequence * TransferLayout.SIZE);
            return buffer.array();
        }
    }

    private static byte[] bytes(UnsafeBuffer buffer) {
        byte[] copy = new byte[TransferLayout.SIZE];
        buffer.getBytes(0, copy);
        return copy;
    }
}
