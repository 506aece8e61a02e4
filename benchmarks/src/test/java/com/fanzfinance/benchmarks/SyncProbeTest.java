package com.fanzfinance.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync probe's report (docs/benchmarks.md quotes it): four ways per round, and no file left behind. */
class SyncProbeTest {
    @TempDir
    Path directory;

    @Test
    void reportsEachWayOfEachRoundAndCleansUp() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SyncProbe.main(new String[] {directory.toString(), "4", "8192", "2"});
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines).hasSize(8);
        assertThat(lines[0]).startsWith("round 1  mmap, sparse file (the journal today)").contains(" p50 ").contains(" p90 ");
        assertThat(lines[2]).startsWith("round 1  pwrite, over written blocks");
        assertThat(lines[7]).startsWith("round 2  mmap, over written blocks").matches(".* p90 +[0-9]+\\.[0-9]{2} ms");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void refusesSizesThatDoNotFitOneMapping() {
        assertThatThrownBy(() -> SyncProbe.main(new String[] {directory.toString(), "4096", "1048576"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 GiB");
    }
}
