package com.fanzfinance.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Folders and files only their owner can use (0700 and 0600), for what the embedded PostgreSQL keeps
 * under the data directory. On a file system without POSIX permissions the modes are left as they are.
 */
public final class OwnerOnlyFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code directory} (and its parents) if needed and makes it 0700. */
    public static void directory(Path directory) throws IOException {
        Files.createDirectories(directory);
        restrict(directory, DIRECTORY);
    }

    /** Creates {@code file} as 0600 from the start (never readable by others, even for an instant). */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /** Makes {@code file} 0600 (an existing file another tool may have loosened). */
    public static void file(Path file) throws IOException {
        restrict(file, FILE);
    }

    /** Takes write permission away from group and others on everything under {@code root}. */
    public static void removeGroupAndOtherWrite(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                if (permissions.remove(PosixFilePermission.GROUP_WRITE) | permissions.remove(PosixFilePermission.OTHERS_WRITE)) {
                    Files.setPosixFilePermissions(path, permissions);
                }
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system
        }
    }
}
