package com.fanzfinance.ledger.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Syncs a Chronicle queue's files from any thread: every cycle file and the directory. Used before a
 * snapshot is declared valid, so the event stream on disk reaches at least as far as the snapshot.
 */
public final class QueueSync {
    private QueueSync() {
    }

    public static void syncDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".cq4"))::iterator) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    channel.force(false);
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
