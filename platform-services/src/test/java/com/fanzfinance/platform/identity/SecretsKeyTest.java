package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.embedded.OwnerOnlyFiles;
import com.fanzfinance.platform.PlatformSettings;

/**
 * The secrets key file: instances starting at the same moment on one data directory all end up with the one
 * key in the file, none reading it half written, and no temporary file is left behind; a key file another tool
 * loosened is made owner-only again.
 */
class SecretsKeyTest {
    private static final int INSTANCES = 8;

    @Test
    void anExistingKeyFileIsMadeOwnerOnlyBeforeItIsRead(@TempDir Path root) throws Exception {
        Path data = root.resolve("data");
        PlatformSettings settings = new PlatformSettings(Map.of("FANZ_PLATFORM_DATA", data.toString()));
        byte[] plain = "sealed before".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = SecretsKey.load(settings).seal(plain, "item");
        Path file = data.resolve(SecretsKey.FILE_NAME);
        assumeTrue(Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SecretsKey.load(settings).open(sealed, "item")).isEqualTo(plain);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OwnerOnlyFiles.FILE);
    }

    @Test
    void instancesStartingTogetherShareOneWholeKeyFile(@TempDir Path root) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int round = 0; round < 25; round++) {
                Path data = root.resolve("data-" + round);
                PlatformSettings settings = new PlatformSettings(Map.of("FANZ_PLATFORM_DATA", data.toString()));
                CyclicBarrier start = new CyclicBarrier(INSTANCES);
                List<Future<SecretsKey>> loading = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    loading.add(pool.submit(() -> {
                        start.await();
                        return SecretsKey.load(settings);
                    }));
                }
                byte[] plain = ("round " + round).getBytes(StandardCharsets.UTF_8);
                byte[] sealed = SecretsKey.load(settings).seal(plain, "item");
                for (Future<SecretsKey> key : loading) {
                    assertThat(key.get(30, TimeUnit.SECONDS).open(sealed, "item")).isEqualTo(plain);
                }
                try (Stream<Path> files = Files.list(data)) {
                    assertThat(files.map(file -> file.getFileName().toString())).containsExactly(SecretsKey.FILE_NAME);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
