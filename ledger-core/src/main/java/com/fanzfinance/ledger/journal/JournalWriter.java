package com.fanzfinance.ledger.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.OutcomeCompaction;
import com.fanzfinance.ledger.state.Prefaulter;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends whole excerpts (journal batches, cut markers, outcome events) to one Chronicle queue, and
 * syncs them. Chronicle binds an appender to the first thread that uses it, so one writer belongs to
 * one thread: create it on that thread.
 *
 * <p>{@link #sync()} fdatasyncs the current cycle file (which flushes its memory-mapped pages) and,
 * when a new cycle file has appeared, syncs the previous one and the directory: Chronicle's own sync
 * covers only the current 64 MiB chunk and never the directory.
 */
public final class JournalWriter implements AutoCloseable {
    private final ExcerptAppender appender;
    /** Null unless the pages ahead of the appends are faulted in on a background thread. */
    private final Prefaulter.Cursor prefault;
    private File syncedFile;
    private FileChannel syncedChannel;
    /** Where {@link #appendOutcomes} compacts an excerpt; empty until first needed, then grown to the largest met. */
    private final UnsafeBuffer compacted = new UnsafeBuffer(new byte[0]);

    public JournalWriter(SingleChronicleQueue queue) {
        this.appender = queue.createAppender();
        this.prefault = null;
    }

    /**
     * A writer whose appends are preceded by the pages ahead of them being faulted in on a background thread
     * ({@link Prefaulter}), in this mode: {@link Prefaulter.Mode#READ} for a queue synced after every append
     * (the journal), {@link Prefaulter.Mode#WRITE} for one that is not (the event stream).
     */
    public JournalWriter(SingleChronicleQueue queue, Prefaulter.Mode prefault) {
        this.appender = queue.createAppender();
        this.prefault = Prefaulter.shared().cursor(java.util.Objects.requireNonNull(prefault, "prefault"));
    }

    /** Appends {@code length} bytes of {@code source} from {@code offset} as one excerpt; returns its index. */
    public long append(DirectBuffer source, int offset, int length) {
        DocumentContext document = appender.writingDocument();
        try {
            Bytes<?> bytes = document.wire().bytes();
            byte[] array = source.byteArray();
            if (array != null) {
                bytes.write(array, source.wrapAdjustment() + offset, length);
            } else {
                bytes.unsafeWrite(source.addressOffset() + offset, length);
            }
            if (prefault != null) {
                prefaultAhead(bytes);
            }
        } catch (RuntimeException | Error e) {
            document.rollbackOnClose();
            throw e;
        } finally {
            document.close();
        }
        return appender.lastIndexAppended();
    }

    /**
     * Appends an expanded outcome excerpt ({@link com.fanzfinance.ledger.command.OutcomeLayout}) in the event
     * stream's compact form ({@link OutcomeCompaction}); returns its index.
     */
    public long appendOutcomes(DirectBuffer source, int offset, int length) {
        int room = OutcomeCompaction.compactLengthMax(length);
        if (compacted.capacity() < room) {
            compacted.wrap(new byte[Math.max(room, 1 << 20)]);
        }
        int compactLength = OutcomeCompaction.compact(source, offset, length, compacted, 0);
        return append(compacted, 0, compactLength);
    }

    private void prefaultAhead(Bytes<?> bytes) {
        if (!Prefaulter.shared().enabled() || !(bytes.bytesStore() instanceof MappedBytesStore store)) {
            return;
        }
        long position = bytes.writePosition();
        if (store.inside(position)) {
            long address = store.addressForWrite(position);
            prefault.at(address, address + (store.safeLimit() - position));
        }
    }

    public long lastIndexAppended() {
        return appender.lastIndexAppended();
    }

    /** Makes everything appended so far durable on the storage device. */
    public void sync() {
        File current = appender.currentFile();
        if (current == null) {
            return;
        }
        try {
            if (!current.equals(syncedFile)) {
                switchFile(current);
            }
            syncedChannel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync journal file " + current, e);
        }
    }

    @Override
    public void close() {
        if (prefault != null) {
            prefault.forget();
        }
        try {
            if (syncedChannel != null) {
                syncedChannel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            appender.close();
        }
    }

    private void switchFile(File current) throws IOException {
        if (syncedChannel != null) {
            syncedChannel.force(false);
            syncedChannel.close();
        }
        try (FileChannel directory = FileChannel.open(current.getParentFile().toPath(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        syncedChannel = FileChannel.open(current.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        syncedFile = current;
    }
}
