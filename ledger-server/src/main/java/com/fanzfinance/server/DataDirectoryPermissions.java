package com.fanzfinance.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data directory owner-only: it holds the journal, key hashes, the read model's database and
 * its password, none of which another local user may read. The directory is created 0700, or tightened
 * to it (and its files stripped of group and other permissions) if an older version or an operator left
 * it looser, with a warning naming what changed. Behind a 0700 directory, whatever the libraries create
 * inside it later (journal cycles, snapshots) is out of other users' reach whatever its own mode.
 */
public final class DataDirectoryPermissions {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryPermissions.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDirectoryPermissions() {
    }

    /** Creates the directory owner-only or makes it so; only warns where there are no POSIX permissions. */
    public static void secure(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            if (!Files.exists(directory)) {
                create(directory);
                return;
            }
            tighten(directory);
        } catch (UnsupportedOperationException e) {
            LOG.warn("the file system of {} has no POSIX permissions; restrict access to it by other means", directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the data directory " + directory + " owner-only", e);
        }
    }

    private static void create(Path directory) throws IOException {
        Files.createDirectories(directory.getParent());
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            tighten(directory); // made by someone else in between
        }
    }

    private static void tighten(Path directory) throws IOException {
        String before = PosixFilePermissions.toString(Files.getPosixFilePermissions(directory));
        boolean directoryWasOpen = withoutGroupAndOthers(directory);
        int files = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isRegularFile)) {
            for (Path entry : entries) {
                if (!Files.isSymbolicLink(entry) && withoutGroupAndOthers(entry)) {
                    files++;
                }
            }
        }
        // Files open to others inside an owner-only directory were never reachable: only the directory is news.
        if (directoryWasOpen) {
            LOG.warn("the data directory {} was {}, open to other users: tightened it to rwx------ ({} files in it"
                + " too)", directory, before, files);
        }
    }

    /** Removes group and other permissions; true if there were any. */
    private static boolean withoutGroupAndOthers(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (!permissions.removeAll(GROUP_AND_OTHERS)) {
            return false;
        }
        Files.setPosixFilePermissions(path, permissions);
        return true;
    }
}
