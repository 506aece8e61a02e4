package com.fanzfinance.ledger.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import com.fanzfinance.ledger.state.PacedWriteBack;

/**
 * Syncs a Chronicle queue's files from any thread: every cycle file and the directory (before a snapshot is
 * declared valid, so the event stream on disk reaches at least as far as the snapshot), or only the newest
 * cycle files and the directory (at recovery, where only they can hold what was never synced).
 */
public final class QueueSync {
    private QueueSync() {
    }

    public static void syncDirectory(Path directory) {
        sync(directory, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * As {@link #syncDirectory}, the cycle files modified since {@code modifiedSinceMillis} (wall clock; a margin of
     * {@link #MODIFIED_MARGIN_MILLIS} for coarse file times) written back a slice at a time with rests between
     * ({@link PacedWriteBack}): for a writer nobody waits for, so that the journal's syncs meanwhile do not queue
     * behind all of it. Older files, synced before and clean since, take one {@code fdatasync} each as in
     * {@link #syncDirectory}; a file whose time misleads is synced all the same, only not paced.
     */
    public static void syncDirectoryPaced(Path directory, long modifiedSinceMillis) {
        sync(directory, Integer.MAX_VALUE, modifiedSinceMillis - MODIFIED_MARGIN_MILLIS);
    }

    static final long MODIFIED_MARGIN_MILLIS = 2_000;

    /** Syncs the {@code newest} latest cycle files (their names sort in time order) and the directory. */
    public static void syncNewestCycles(Path directory, int newest) {
        sync(directory, newest, Long.MAX_VALUE);
    }

    /** Syncs the cycle files, pacing those modified at or after {@code pacedSinceMillis}, then the directory. */
    private static void sync(Path directory, int newest, long pacedSinceMillis) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> cycles = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            for (Path file : cycles.subList(Math.max(0, cycles.size() - newest), cycles.size())) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    if (pacedSinceMillis != Long.MAX_VALUE
                        && Files.getLastModifiedTime(file).toMillis() >= pacedSinceMillis) {
                        PacedWriteBack.force(channel);
                    } else {
                        channel.force(false);
                    }
                }
            }
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + directory, e);
        }
    }
}
