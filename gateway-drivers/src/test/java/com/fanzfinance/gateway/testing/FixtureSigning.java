package com.fanzfinance.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hashes the simulated processors sign with, written on the JDK directly rather than on the drivers'
 * {@code support.Digests}, so that a fixture never agrees with a driver merely because both share a bug.
 */
final class FixtureSigning {

    private static final HexFormat HEX = HexFormat.of();

    private FixtureSigning() {
    }

    static String md5Hex(String text) {
        return digestHex("MD5", text);
    }

    static String sha256Hex(String text) {
        return digestHex("SHA-256", text);
    }

    static String hmacSha512Hex(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HEX.formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }

    private static String digestHex(String algorithm, String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
