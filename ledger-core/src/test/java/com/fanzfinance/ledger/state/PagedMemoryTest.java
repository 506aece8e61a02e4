package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads, writes, growth, truncation and persistence of heap and memory-mapped {@link PagedMemory}. */
class PagedMemoryTest {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    private static final int PAGES = 5;

    @TempDir
    Path directory;

    @Test
    void inMemoryReadsBackWhatWasWrittenAcrossPages() {
        try (PagedMemory memory = PagedMemory.inMemory(PAGE_SHIFT)) {
            assertThat(memory.isMapped()).isFalse();
            assertThat(memory.file()).isNull();
            fillAndVerify(memory);
        }
    }

    @Test
    void mappedReadsBackWhatWasWrittenAcrossPages() {
        try (PagedMemory memory = PagedMemory.mapped(directory.resolve("m.store"), PAGE_SHIFT)) {
            assertThat(memory.isMapped()).isTrue();
            assertThat(memory.file()).isEqualTo(directory.resolve("m.store"));
            fillAndVerify(memory);
        }
    }

    @Test
    void getIntReadsTheLowHalfAtTheLongsAddressAndTheHighHalfFourBytesOn() {
        try (PagedMemory heap = PagedMemory.inMemory(PAGE_SHIFT);
             PagedMemory mapped = PagedMemory.mapped(directory.resolve("i.store"), PAGE_SHIFT)) {
            for (PagedMemory memory : new PagedMemory[] {heap, mapped}) {
                memory.ensureCapacity(2L * PAGE_BYTES);
                long address = PAGE_BYTES + 64;
                memory.putLong(address, 0x8122_3344_5566_7788L);

                assertThat(memory.getInt(address)).isEqualTo(0x5566_7788);
                assertThat(memory.getInt(address + 4)).isEqualTo(0x8122_3344);
            }
        }
    }

    @Test
    void ensureCapacityGrowsInWholePagesAndNeverShrinks() {
        try (PagedMemory memory = PagedMemory.inMemory(PAGE_SHIFT)) {
            assertThat(memory.capacityBytes()).isZero();
            assertThat(memory.pageSizeBytes()).isEqualTo(PAGE_BYTES);

            memory.ensureCapacity(1);
            assertThat(memory.capacityBytes()).isEqualTo(PAGE_BYTES);

            memory.ensureCapacity(3L * PAGE_BYTES + 1);
            assertThat(memory.capacityBytes()).isEqualTo(4L * PAGE_BYTES);

            memory.ensureCapacity(PAGE_BYTES);
            assertThat(memory.capacityBytes()).isEqualTo(4L * PAGE_BYTES);
        }
    }

    @Test
    void growingPastTheInitialPageTableKeepsEarlierPages() {
        try (PagedMemory memory = PagedMemory.inMemory(PAGE_SHIFT)) {
            int pages = 40;
            memory.ensureCapacity(PAGE_BYTES);
            memory.putLong(8, 42);
            memory.ensureCapacity((long) pages * PAGE_BYTES);
            for (int page = 1; page < pages; page++) {
                memory.putLong((long) page * PAGE_BYTES + 8, page);
            }

            assertThat(memory.getLong(8)).isEqualTo(42);
            for (int page = 1; page < pages; page++) {
                assertThat(memory.getLong((long) page * PAGE_BYTES + 8)).isEqualTo(page);
            }
        }
    }

    @Test
    void mappedGrowthExtendsTheFile() throws IOException {
        Path file = directory.resolve("g.store");
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity(3L * PAGE_BYTES);

            assertThat(Files.size(file)).isEqualTo(3L * PAGE_BYTES);
        }
    }

    @Test
    void mappedMemoryReopenedFromTheSameFileSeesTheSameBytes() throws IOException {
        Path file = directory.resolve("r.store");
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            writePattern(memory);
            memory.force();
        }
        assertThat(Files.size(file)).isEqualTo((long) PAGES * PAGE_BYTES);

        try (PagedMemory reopened = PagedMemory.mapped(file, PAGE_SHIFT)) {
            assertThat(reopened.capacityBytes()).isEqualTo((long) PAGES * PAGE_BYTES);
            verifyPattern(reopened, (long) PAGES * PAGE_BYTES);
        }
    }

    @Test
    void inMemoryTruncateZeroesEverythingFromTheCutAndKeepsWhatIsBefore() {
        try (PagedMemory memory = PagedMemory.inMemory(PAGE_SHIFT)) {
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            writePattern(memory);
            long cut = 2L * PAGE_BYTES + 256;

            memory.truncate(cut);

            assertThat(memory.capacityBytes()).isEqualTo(3L * PAGE_BYTES);
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            verifyPattern(memory, cut);
            verifyZero(memory, cut, (long) PAGES * PAGE_BYTES);
        }
    }

    @Test
    void mappedTruncateShrinksTheFileZeroesFromTheCutAndKeepsWhatIsBefore() throws IOException {
        Path file = directory.resolve("t.store");
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            writePattern(memory);
            long cut = 2L * PAGE_BYTES + 256;

            memory.truncate(cut);

            assertThat(Files.size(file)).isEqualTo(3L * PAGE_BYTES);
            assertThat(memory.capacityBytes()).isEqualTo(3L * PAGE_BYTES);
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            verifyPattern(memory, cut);
            verifyZero(memory, cut, (long) PAGES * PAGE_BYTES);
        }
    }

    @Test
    void mappedTruncateOfLargePagesDropsThePagesAfterTheCutInsteadOfWritingZeros() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/smaps")), "Linux");
        int pageShift = 16; // 64 KiB pages: sixteen OS pages each
        long pageBytes = 1L << pageShift;
        Path file = directory.resolve("hole.store");
        long cut = 2 * pageBytes + 4100; // inside a long, inside an OS page
        try (PagedMemory memory = PagedMemory.mapped(file, pageShift)) {
            memory.ensureCapacity(4 * pageBytes);
            writePattern(memory);

            memory.truncate(cut);

            assertThat(memory.capacityBytes()).isEqualTo(3 * pageBytes);
            assertThat(Files.size(file)).isEqualTo(3 * pageBytes);
            // Every page was dirty; past the OS page holding the cut, the kernel dropped them, nothing wrote zeros.
            long osPage = org.agrona.UnsafeApi.pageSize();
            long keptKb = (cut + osPage - 1) / osPage * osPage / 1024;
            assertThat(com.fanzfinance.ledger.testing.Smaps.dirtyKbOfMappings(file.toString()))
                .as("dirty kB after the cut").isLessThanOrEqualTo(keptKb);
            long longAtCut = cut & ~7L;
            verifyPattern(memory, longAtCut);
            assertThat(memory.getLong(longAtCut)).as("the long holding the cut: its first 4 bytes kept")
                .isEqualTo(pattern(longAtCut) & 0xFFFF_FFFFL);
            verifyZero(memory, longAtCut + 8, 3 * pageBytes);
            memory.ensureCapacity(4 * pageBytes);
            verifyZero(memory, 3 * pageBytes, 4 * pageBytes);
        }
        try (PagedMemory reopened = PagedMemory.mapped(file, pageShift)) {
            assertThat(reopened.capacityBytes()).isEqualTo(4 * pageBytes);
            verifyPattern(reopened, cut & ~7L);
            verifyZero(reopened, (cut & ~7L) + 8, 4 * pageBytes);
        }
    }

    @Test
    void mappedTruncateToZeroEmptiesTheFile() throws IOException {
        Path file = directory.resolve("z.store");
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            writePattern(memory);

            memory.truncate(0);

            assertThat(Files.size(file)).isZero();
            assertThat(memory.capacityBytes()).isZero();
            memory.ensureCapacity(2L * PAGE_BYTES);
            verifyZero(memory, 0, 2L * PAGE_BYTES);
        }
    }

    @Test
    void truncatedMappedFileReopensWithOnlyTheKeptBytes() {
        Path file = directory.resolve("tr.store");
        long cut = PAGE_BYTES + 512;
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity((long) PAGES * PAGE_BYTES);
            writePattern(memory);
            memory.truncate(cut);
        }

        try (PagedMemory reopened = PagedMemory.mapped(file, PAGE_SHIFT)) {
            assertThat(reopened.capacityBytes()).isEqualTo(2L * PAGE_BYTES);
            verifyPattern(reopened, cut);
            verifyZero(reopened, cut, 2L * PAGE_BYTES);
        }
    }

    @Test
    void zeroFromClearsTheTailOfEveryPageButKeepsCapacityAndEarlierBytes() {
        try (PagedMemory heap = PagedMemory.inMemory(PAGE_SHIFT);
             PagedMemory mapped = PagedMemory.mapped(directory.resolve("zf.store"), PAGE_SHIFT)) {
            for (PagedMemory memory : new PagedMemory[] {heap, mapped}) {
                memory.ensureCapacity((long) PAGES * PAGE_BYTES);
                writePattern(memory);
                long from = PAGE_BYTES + 1000;

                memory.zeroFrom(from);

                assertThat(memory.capacityBytes()).isEqualTo((long) PAGES * PAGE_BYTES);
                verifyPattern(memory, from);
                verifyZero(memory, from, (long) PAGES * PAGE_BYTES);
            }
        }
    }

    @Test
    void zeroFromInTheMiddleOfALongClearsOnlyItsLaterBytes() {
        try (PagedMemory memory = PagedMemory.inMemory(PAGE_SHIFT)) {
            memory.ensureCapacity(PAGE_BYTES);
            memory.putLong(16, 0x1111_2222_3333_4444L);

            memory.zeroFrom(20);

            assertThat(memory.getLong(16)).isEqualTo(0x3333_4444L);
        }
    }

    @Test
    void closeAndDeleteRemovesTheFile() {
        Path file = directory.resolve("d.store");
        PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT);
        memory.ensureCapacity(2L * PAGE_BYTES);
        memory.putLong(8, 1);
        assertThat(file).exists();

        memory.closeAndDelete();

        assertThat(file).doesNotExist();
    }

    @Test
    void mappedCreatesMissingParentDirectories() {
        Path file = directory.resolve("a/b/c.store");
        try (PagedMemory memory = PagedMemory.mapped(file, PAGE_SHIFT)) {
            memory.ensureCapacity(1);
            assertThat(file).exists();
        }
    }

    @Test
    void pageShiftOutsideTheSupportedRangeIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> PagedMemory.inMemory(11));
        assertThatIllegalArgumentException().isThrownBy(() -> PagedMemory.inMemory(31));
    }

    private static void fillAndVerify(PagedMemory memory) {
        memory.ensureCapacity((long) PAGES * PAGE_BYTES);
        assertThat(memory.capacityBytes()).isEqualTo((long) PAGES * PAGE_BYTES);
        writePattern(memory);
        verifyPattern(memory, (long) PAGES * PAGE_BYTES);
    }

    private static long pattern(long address) {
        return IdHash.hash(address, 7) | 1;
    }

    private static void writePattern(PagedMemory memory) {
        for (long address = 0; address < memory.capacityBytes(); address += Long.BYTES) {
            memory.putLong(address, pattern(address));
        }
    }

    /** Every long wholly below {@code end} holds the pattern written by {@link #writePattern}. */
    private static void verifyPattern(PagedMemory memory, long end) {
        for (long address = 0; address + Long.BYTES <= end; address += Long.BYTES) {
            assertThat(memory.getLong(address)).as("long at %d", address).isEqualTo(pattern(address));
        }
    }

    private static void verifyZero(PagedMemory memory, long from, long end) {
        for (long address = from; address < end; address += Long.BYTES) {
            assertThat(memory.getLong(address)).as("long at %d", address).isZero();
        }
    }
}
