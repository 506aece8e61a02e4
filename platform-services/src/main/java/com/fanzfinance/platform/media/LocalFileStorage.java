package com.fanzfinance.platform.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fanzfinance.embedded.OwnerOnlyFiles;

/**
 * {@link AssetStorage} on the local file system: {@code <root>/<first two hex digits>/<sha256>}, directories
 * readable only by the service's user (700) and files too (600), both by {@link OwnerOnlyFiles} — the one
 * place the platform sets owner-only modes (left as they are on a file system without POSIX permissions).
 * A file appears only whole: it is written
 * elsewhere and moved into place atomically (copied into a temporary name beside its final one first when
 * it comes from another file system). Uploads are staged in {@code <root>/tmp}, on the same file system.
 */
public final class LocalFileStorage implements AssetStorage {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public LocalFileStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        OwnerOnlyFiles.directory(this.root);
        OwnerOnlyFiles.directory(staging());
    }

    /** The folder everything is kept under (for its file system's free space). */
    public Path root() {
        return root;
    }

    /** Where uploads are written while they arrive (the same file system as the store). */
    public Path staging() {
        return root.resolve("tmp");
    }

    /** A new empty file in {@link #staging()}, readable only by the service's user. */
    public Path newStagingFile() throws IOException {
        Path file = staging().resolve("upload-" + UUID.randomUUID() + ".part");
        OwnerOnlyFiles.createFile(file);
        return file;
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
        OwnerOnlyFiles.directory(target.getParent());
        OwnerOnlyFiles.file(temp);
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
}
