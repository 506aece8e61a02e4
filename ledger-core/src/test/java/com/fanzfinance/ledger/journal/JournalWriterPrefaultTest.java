package com.fanzfinance.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.state.Prefaulter;
import com.fanzfinance.ledger.testing.Smaps;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A writer that faults in the pages ahead of its appends writes exactly what it is given; in {@code WRITE} mode (the
 * event stream) the pages ahead are dirty, in {@code READ} mode (the journal) only what was written is — read from
 * {@code /proc/self/smaps} for the queue's file.
 */
class JournalWriterPrefaultTest {
    private static final int EXCERPTS = 6;
    private static final int EXCERPT_BYTES = 500_000;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Prefaulter.Mode.class)
    void excerptsAppendedWithThePagesAheadFaultedInReadBackExactly(Prefaulter.Mode mode) throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"), "Linux's madvise");
        Prefaulter prefaulter = Prefaulter.shared();
        assertThat(prefaulter.enabled()).as(String.valueOf(prefaulter.disabledBecause())).isTrue();
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        var random = new Random(11);
        byte[][] excerpts = new byte[EXCERPTS][];
        Path queueDirectory = directory.resolve(mode.name());
        try (var queue = JournalQueues.open(queueDirectory, JournalQueues.rollCycle("FAST_HOURLY"), null)) {
            long before = prefaulter.pagesRequested();
            long dirtyKb;
            try (var writer = new JournalWriter(queue, mode)) {
                for (int i = 0; i < excerpts.length; i++) {
                    excerpts[i] = new byte[EXCERPT_BYTES];
                    random.nextBytes(excerpts[i]);
                    writer.append(new UnsafeBuffer(excerpts[i]), 0, excerpts[i].length);
                }
                assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
                dirtyKb = Smaps.dirtyKbOfMappings(queueDirectory.toString());
            }
            long asked = prefaulter.pagesRequested() - before;
            long written = (long) EXCERPTS * EXCERPT_BYTES;
            assertThat(asked * org.agrona.UnsafeApi.pageSize()).as("a window ahead of the writer")
                .isGreaterThanOrEqualTo(Prefaulter.WINDOW_BYTES * 3 / 4);
            if (mode == Prefaulter.Mode.WRITE) {
                assertThat(dirtyKb * 1024).as("dirty: what was written and the pages ahead")
                    .isGreaterThanOrEqualTo(written + Prefaulter.WINDOW_BYTES / 2);
            } else {
                assertThat(dirtyKb * 1024).as("dirty: only what was written (and the queue's own headers)")
                    .isLessThan(written + Prefaulter.WINDOW_BYTES / 4);
            }
            ExcerptTailer tailer = queue.createTailer();
            for (byte[] excerpt : excerpts) {
                try (DocumentContext document = tailer.readingDocument()) {
                    assertThat(document.isPresent()).isTrue();
                    Bytes<?> bytes = document.wire().bytes();
                    byte[] read = new byte[(int) bytes.readRemaining()];
                    bytes.read(read);
                    assertThat(read).isEqualTo(excerpt);
                }
            }
            try (DocumentContext document = tailer.readingDocument()) {
                assertThat(document.isPresent()).isFalse();
            }
        }
    }
}
