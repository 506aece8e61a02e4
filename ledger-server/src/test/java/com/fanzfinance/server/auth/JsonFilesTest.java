package com.fanzfinance.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's small files are owner-only from the first byte, temporary files included. */
class JsonFilesTest {
    @Test
    void theTemporaryFileIsOwnerOnlyBeforeAnythingIsWrittenToIt(@TempDir Path directory) throws IOException {
        Path temporary = directory.resolve("keys.json.tmp");
        // A temporary file left by a crash, readable by everyone: its permissions must not be reused.
        Files.writeString(temporary, "stale");
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        try (FileChannel channel = JsonFiles.createOwnerOnly(temporary)) {
            assertThat(channel.size()).isZero();
            assertThat(mode(temporary)).isEqualTo("rw-------");
        }
        Path fresh = directory.resolve("tenants.json.tmp");
        try (FileChannel channel = JsonFiles.createOwnerOnly(fresh)) {
            assertThat(channel.size()).isZero();
            assertThat(mode(fresh)).isEqualTo("rw-------");
        }
    }

    @Test
    void everyFileWrittenIsOwnerOnly(@TempDir Path directory) throws IOException {
        Path tenants = directory.resolve("tenants.json");
        JsonFiles.writeAtomically(tenants, "{\"tenants\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(mode(tenants)).isEqualTo("rw-------");
        assertThat(Files.readString(tenants)).isEqualTo("{\"tenants\":[]}");
        assertThat(directory.resolve("tenants.json.tmp")).doesNotExist();
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
