package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What {@link StoreReleaser} does when it cannot delete a table's file. */
class StoreReleaserTest {
    @TempDir
    Path directory;

    @Test
    @Timeout(30)
    void aReleaseThatCannotDeleteItsFileIsCountedAndFailsNoOne() throws Exception {
        Path file = directory.resolve("table.store");
        PagedMemory memory = PagedMemory.mapped(file, 12);
        memory.ensureCapacity(1 << 12);
        memory.putLong(0, 42);
        // A non-empty directory where the table's file was (the mapping outlives the file): deleting it fails.
        Files.delete(file);
        Files.createDirectory(file);
        Files.writeString(file.resolve("kept"), "x");
        long before = StoreReleaser.failedReleases();

        StoreReleaser.Releases releases = new StoreReleaser.Releases();
        releases.closeAndDelete(memory);
        releases.await(); // returns normally: the owner has no more use for the table

        assertThat(StoreReleaser.failedReleases()).as("failed releases").isEqualTo(before + 1);
        assertThat(file.resolve("kept")).exists();
    }
}
