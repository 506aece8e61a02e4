package com.fanzfinance.platform.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@link AssetStorage} on the local file system: {@code <root>/<first two hex digits>/<sha256>}, directories
 * readable only by the service's user (700) and files too (600). A file appears only whole: it is written
 * elsewhere and moved into place atomically (copied into a temporary name beside its final one first when
 * it comes from another file system). Uploads are staged in {@code <root>/tmp}, on the same file system.
 */
public final class LocalFileStorage implements AssetStorage {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final boolean posix;

    public LocalFileStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        this.posix = Files.getFileStore(this.root).supportsFileAttributeView("posix");
        createDirectory(this.root);
        createDirectory(staging());
    }

    /** Where uploads are written while they arrive (the same file system as the store). */
    public Path staging() {
        return root.resolve("tmp");
    }

    /** A new empty file in {@link #staging()}, readable only by the service's user. */
    public Path newStagingFile() throws IOException {
        return Files.createTempFile(staging(), "upload-", ".part", fileAttributes());
    }

    /** The path of {@code sha256}'s content. */
    public Path pathOf(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    @Override
    public void put(String sha256, Path temp) throws IOException {
        Path target = pathOf(sha256);
        if (Files.exists(target)) {
            Files.delete(temp);
            return;
        }
        createDirectory(target.getParent());
        if (posix) {
            Files.setPosixFilePermissions(temp, FILE);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Path beside = target.resolveSibling("." + sha256 + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.copy(temp, beside, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(beside, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(beside);
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(pathOf(sha256));
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(pathOf(sha256));
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(pathOf(sha256));
    }

    private void createDirectory(Path directory) throws IOException {
        try {
            Files.createDirectory(directory, directoryAttributes());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
        if (posix) {
            Files.setPosixFilePermissions(directory, DIRECTORY);
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private FileAttribute<?>[] directoryAttributes() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];
    }
}
