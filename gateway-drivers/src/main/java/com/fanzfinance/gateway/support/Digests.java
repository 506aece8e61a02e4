package com.fanzfinance.gateway.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes, MACs and a constant-time comparison of hex digests, for drivers. */
public final class Digests {

    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    public static String md5Hex(String text) {
        return hex("MD5", text);
    }

    public static String sha1Hex(String text) {
        return hex("SHA-1", text);
    }

    public static String sha256Hex(String text) {
        return hex("SHA-256", text);
    }

    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(digest("SHA-256", bytes));
    }

    public static String hmacSha512Hex(String key, byte[] message) {
        return hmacHex("HmacSHA512", key.getBytes(StandardCharsets.UTF_8), message);
    }

    public static String hmacSha256Hex(String key, byte[] message) {
        return hmacHex("HmacSHA256", key.getBytes(StandardCharsets.UTF_8), message);
    }

    public static String hmacMd5Hex(String key, byte[] message) {
        return hmacHex("HmacMD5", key.getBytes(StandardCharsets.UTF_8), message);
    }

    public static String hmacHex(String algorithm, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return HEX.formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /**
     * Whether two hex digests are equal, ignoring case, in time independent of where they differ. {@code null}
     * or a length difference is simply unequal.
     */
    public static boolean hexEquals(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        byte[] a = expected.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }

    /**
     * Whether two secrets (texts) are equal, in time that reveals neither their content nor their lengths: their
     * SHA-256 digests (always 32 bytes) are compared in constant time.
     */
    public static boolean textEquals(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest("SHA-256", expected.getBytes(StandardCharsets.UTF_8)),
                digest("SHA-256", presented.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hex(String algorithm, String text) {
        return HEX.formatHex(digest(algorithm, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
