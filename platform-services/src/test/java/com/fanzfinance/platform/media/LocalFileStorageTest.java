package com.fanzfinance.platform.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local storage keeps its folders and files to the service's user, through the shared OwnerOnlyFiles. */
class LocalFileStorageTest {
    @TempDir
    Path data;

    @Test
    void foldersAndFilesAreOwnerOnlyEvenWhenTheyWereLoosened() throws Exception {
        Path root = data.resolve("media");
        Files.createDirectories(root.resolve("tmp"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxr-x"));
        LocalFileStorage storage = new LocalFileStorage(root);
        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(storage.staging())).isEqualTo("rwx------");

        Path staged = storage.newStagingFile();
        assertThat(staged.getParent()).isEqualTo(storage.staging());
        assertThat(mode(staged)).isEqualTo("rw-------");
        Files.writeString(staged, "bytes");
        Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-r--r--"));
        String sha256 = "ab" + "0".repeat(62);
        storage.put(sha256, staged);
        assertThat(mode(storage.pathOf(sha256))).isEqualTo("rw-------");
        assertThat(mode(storage.pathOf(sha256).getParent())).isEqualTo("rwx------");
        assertThat(staged).doesNotExist();
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
