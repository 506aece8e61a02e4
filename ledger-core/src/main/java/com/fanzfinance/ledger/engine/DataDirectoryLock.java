package com.fanzfinance.ledger.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory ({@code <data>/.lock}): one writer per journal. Every entry point
 * that writes a data directory takes it — the engine (and so {@code DurableLedger} and the server), and
 * the offline commands — so that an embedding program can never append to a running server's journal.
 * The operating system releases it if the process dies, so a crash never leaves it stuck. Within one JVM
 * the lock is not re-entrant: a second open of the same directory is refused like another process's.
 */
public final class DataDirectoryLock implements AutoCloseable {
    private static final String FILE = ".lock";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another ledger in this one) holds the lock. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HeldException(Path directory) {
            super("the data directory " + directory + " is in use by another process (a running server, say) or by"
                + " another ledger in this process; stop it first, or use another directory");
        }
    }

    /** Takes the lock, or fails at once naming the directory if anyone holds it. */
    public static DataDirectoryLock acquire(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new HeldException(directory);
            }
            return new DataDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data directory " + directory, e);
        }
    }

    /** Whether this lock is held on {@code dataDirectory}. */
    public boolean covers(Path dataDirectory) {
        return lock.isValid() && directory.equals(dataDirectory.toAbsolutePath().normalize());
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // released by the operating system when the process exits anyway
        }
    }
}
