package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Small files of the data directory replaced atomically and durably: write a temporary file, sync it,
 * rename, sync the directory. Every file is owner-only (0600) from the moment it exists — the temporary
 * one is created so, never loosened or tightened later — because these files hold key hashes and tenants.
 */
final class JsonFiles {
    private static final Set<StandardOpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private JsonFiles() {
    }

    /** Replaces {@code target} with {@code content}, owner-only. */
    static void writeAtomically(Path target, byte[] content) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (FileChannel channel = createOwnerOnly(temporary)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel directory = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * A new, empty file that only its owner can read or write, open for writing. A file of that name
     * (a temporary file left by a crash) is removed first, so its permissions are never inherited.
     */
    static FileChannel createOwnerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            return FileChannel.open(file, NEW_FILE, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, NEW_FILE); // not a POSIX file system: no permissions to set
        }
    }
}
