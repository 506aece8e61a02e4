package com.fanzfinance.platform.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as the platform services write it: lower-case hex of the digest, of bytes or of a string's UTF-8
 * bytes (service key secrets, audit entries, 2257 record contents, purchase requests, media content). One place,
 * so every stored or compared hash has the same form.
 */
public final class Hashes {
    private Hashes() {
    }

    /** A fresh SHA-256 digest, for content hashed as it streams by. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Lower-case hex of {@code digest}. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static String sha256Hex(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
