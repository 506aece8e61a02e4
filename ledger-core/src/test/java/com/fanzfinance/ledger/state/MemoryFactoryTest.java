package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page sizing and file placement of the {@link MemoryFactory} implementations. */
class MemoryFactoryTest {
    @TempDir
    Path directory;

    @Test
    void inMemoryPageShiftIsClampedBetween64KiBAnd32MiB() {
        assertThat(MemoryFactory.inMemoryPageShift(0)).isEqualTo(16);
        assertThat(MemoryFactory.inMemoryPageShift(1)).isEqualTo(16);
        assertThat(MemoryFactory.inMemoryPageShift(1L << 17)).isEqualTo(16);
        assertThat(MemoryFactory.inMemoryPageShift(1L << 40)).isEqualTo(25);
        assertThat(MemoryFactory.inMemoryPageShift(Long.MAX_VALUE)).isEqualTo(25);
    }

    @Test
    void inMemoryPageSizeIsBetweenAnEighthAndAQuarterOfTheExpectedSizeInsideTheClamp() {
        for (long expected = 1L << 19; expected < 1L << 28; expected = expected * 3 / 2) {
            long page = 1L << MemoryFactory.inMemoryPageShift(expected);

            assertThat(page * 8).as("page for %d", expected).isGreaterThan(expected);
            assertThat(page * 4).as("page for %d", expected).isLessThanOrEqualTo(expected);
        }
    }

    @Test
    void inMemoryFactoryGivesHeapMemorySizedByTheExpectedBytes() {
        try (PagedMemory memory = MemoryFactory.inMemory().create("anything", 1L << 24)) {
            assertThat(memory.isMapped()).isFalse();
            assertThat(memory.pageSizeBytes()).isEqualTo(1 << MemoryFactory.inMemoryPageShift(1L << 24));
        }
    }

    @Test
    void mappedFactoryGivesOneStoreFilePerNameUnderTheDirectory() {
        MemoryFactory factory = MemoryFactory.mappedUnder(directory);
        try (PagedMemory first = factory.create("transfers", 1024);
             PagedMemory second = factory.create("failed-transfer-ids", 1024)) {
            assertThat(first.isMapped()).isTrue();
            assertThat(first.file()).isEqualTo(directory.resolve("transfers.store"));
            assertThat(second.file()).isEqualTo(directory.resolve("failed-transfer-ids.store"));
            assertThat(first.pageSizeBytes()).isEqualTo(1 << MemoryFactory.MAPPED_PAGE_SHIFT);
        }
    }
}
