package com.fanzfinance.platform.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fanzfinance.embedded.OwnerOnlyFiles;
import com.fanzfinance.platform.PlatformSettings;

/**
 * The key that seals the identity service's secrets at rest (the signing keys' private parts): AES-256-GCM
 * with a random 96-bit nonce per seal and the sealed item's id as associated data, so a sealed value moved
 * to another row does not open. The key is {@code FANZ_PLATFORM_SECRETS_KEY} (Base64 of 32 bytes) or else
 * {@code <data>/identity-secrets.key}, generated on first start (file 0600 in a 0700 directory, where the file
 * system has POSIX permissions, and an existing file made 0600 again before it is read; written whole under a temporary name first, so an instance starting alongside
 * never reads it half written, and never overwriting a key another instance put there first). It is never
 * logged; losing it makes the stored signing keys unusable (new ones are then made and old tokens expire).
 */
final class SecretsKey {
    static final String SETTING = "FANZ_PLATFORM_SECRETS_KEY";
    static final String FILE_NAME = "identity-secrets.key";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretsKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(SETTING + " must be the Base64 of exactly 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        Arrays.fill(key, (byte) 0);
    }

    /** The key from the settings, or from (or newly into) the data directory's key file. */
    static SecretsKey load(PlatformSettings settings) {
        String configured = settings.get(SETTING, null);
        if (configured != null) {
            return new SecretsKey(decode(configured, SETTING));
        }
        Path directory = settings.dataDirectory();
        Path file = directory.resolve(FILE_NAME);
        try {
            OwnerOnlyFiles.directory(directory);
            if (Files.exists(file)) {
                return read(file);
            }
            byte[] fresh = new byte[KEY_BYTES];
            RANDOM.nextBytes(fresh);
            byte[] encoded = Base64.getEncoder().encode(fresh);
            Path temporary = directory.resolve(FILE_NAME + "." + UUID.randomUUID() + ".new");
            try {
                OwnerOnlyFiles.createFile(temporary);
                Files.write(temporary, encoded, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                if (!publish(temporary, file)) {
                    Arrays.fill(fresh, (byte) 0);
                    return read(file);
                }
            } finally {
                Arrays.fill(encoded, (byte) 0);
                Files.deleteIfExists(temporary);
            }
            return new SecretsKey(fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the identity secrets key in " + directory, e);
        }
    }

    /**
     * Puts the complete {@code temporary} file in place as {@code file} in one step, so no other instance ever
     * reads it half written: as a hard link, which fails if another instance put its key there first (false:
     * read theirs), or, where the file system has no hard links, by an atomic rename.
     */
    private static boolean publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /** The key in {@code file}, which is first made 0600 (another tool may have loosened it). */
    private static SecretsKey read(Path file) throws IOException {
        OwnerOnlyFiles.file(file);
        return new SecretsKey(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
    }

    /** {@code plain} sealed for the item {@code id}: nonce ‖ ciphertext ‖ tag. */
    byte[] seal(byte[] plain, String id) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain bytes of what {@link #seal} made for {@code id}; an {@link IllegalStateException} if they do not open. */
    byte[] open(byte[] sealed, String id) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed value of " + id + " is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the sealed value of " + id + " does not open with this secrets key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not Base64 (of 32 bytes)");
        }
    }

    @Override
    public String toString() {
        return "SecretsKey[AES-256]";
    }
}
