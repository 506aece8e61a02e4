package com.fanzfinance.platform.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where the bytes of assets live, addressed by their SHA-256 (lowercase hex): each distinct content is
 * stored once however many assets share it. Kept small so that an S3-compatible store can stand in for the
 * {@link LocalFileStorage}. The caller guarantees that the content it puts has that SHA-256.
 */
public interface AssetStorage {
    /** Stores the file {@code temp} (which this call takes over: it is moved or deleted) as {@code sha256}; a no-op besides when already stored. */
    void put(String sha256, Path temp) throws IOException;

    /** The stored content of {@code sha256}; {@link java.nio.file.NoSuchFileException} when there is none. */
    InputStream open(String sha256) throws IOException;

    boolean exists(String sha256) throws IOException;

    /** Removes the content of {@code sha256} (nothing when there is none). */
    void delete(String sha256) throws IOException;
}
