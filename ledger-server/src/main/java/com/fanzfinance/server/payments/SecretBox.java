package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts merchant secrets at rest with AES-256-GCM, under a key the server keeps outside the database:
 * {@code FANZ_SECRETS_KEY}, or else {@code <data>/secrets.key} (generated once, mode 600). Each sealed value is
 * {@code version(1) ‖ nonce(12) ‖ ciphertext+tag}; the merchant account id is the associated data, so a sealed
 * value copied onto another account does not open.
 */
public final class SecretBox {
    static final String KEY_FILE = "secrets.key";
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secrets key is 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of {@code configuredKey} (Base64) or of the key file under {@code dataDirectory}, made if missing. */
    public static SecretBox open(String configuredKey, Path dataDirectory) {
        if (configuredKey != null) {
            return new SecretBox(Base64.getDecoder().decode(configuredKey));
        }
        Path file = dataDirectory.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temporary = dataDirectory.resolve(KEY_FILE + ".new");
                Files.deleteIfExists(temporary);
                try {
                    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(temporary);
                }
                Files.write(temporary, (Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return new SecretBox(Base64.getDecoder().decode(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a Base64 256-bit key", e);
        }
    }

    /** Encrypts {@code plain} bound to {@code context} (the merchant account id). */
    public byte[] seal(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts what {@link #seal} made for the same context; fails when the key or context differ. */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("not a sealed secret of this server");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("merchant secrets do not open with this server's secrets key"
                + " (FANZ_SECRETS_KEY or <data>/secrets.key changed?)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
