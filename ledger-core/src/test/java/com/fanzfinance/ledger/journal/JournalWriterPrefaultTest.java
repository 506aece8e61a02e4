package com.fanzfinance.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.state.Prefaulter;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/** A writer that faults in the pages ahead of its appends (the event stream's) writes exactly what it is given. */
class JournalWriterPrefaultTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Prefaulter.Mode.class)
    void excerptsAppendedWithThePagesAheadFaultedInReadBackExactlyAndThePagesWereAskedFor(Prefaulter.Mode mode) {
        var random = new Random(11);
        byte[][] excerpts = new byte[40][];
        for (int i = 0; i < excerpts.length; i++) {
            excerpts[i] = new byte[1 + random.nextInt(700_000)];
            random.nextBytes(excerpts[i]);
        }
        long before = Prefaulter.shared().pagesRequested();
        try (var queue = JournalQueues.open(directory.resolve(mode.name()), JournalQueues.rollCycle("FAST_HOURLY"), null)) {
            try (var writer = new JournalWriter(queue, mode)) {
                for (byte[] excerpt : excerpts) {
                    writer.append(new UnsafeBuffer(excerpt), 0, excerpt.length);
                }
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
        assertThat(Prefaulter.shared().enabled()).as(String.valueOf(Prefaulter.shared().disabledBecause())).isTrue();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Prefaulter.shared().pagesRequested() == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(Prefaulter.shared().pagesRequested()).isGreaterThan(before);
    }
}
