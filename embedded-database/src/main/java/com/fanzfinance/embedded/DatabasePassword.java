package com.fanzfinance.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded PostgreSQL's superuser password: 256 random bits, made on first start and kept in an
 * owner-only file (0600) in the data directory, so that only the server's user can read it. Never logged.
 */
final class DatabasePassword {
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatabasePassword() {
    }

    /** The password in {@code file}, or a new one written there (mode 600) if the file does not exist. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            OwnerOnlyFiles.file(file);
            String password = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty; delete it and the embedded PostgreSQL under"
                    + " postgres/ to start over (the read model is projected again)");
            }
            return password;
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OwnerOnlyFiles.createFile(file);
        Files.writeString(file, password + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
            StandardOpenOption.SYNC);
        return password;
    }
}
