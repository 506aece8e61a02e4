package com.fanzfinance.server.payments.posting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import com.fanzfinance.ledger.command.Uint128;

/**
 * RFC 9562 name-based UUIDs (version 5, SHA-1), which the JDK lacks ({@link UUID#nameUUIDFromBytes} is
 * version 3). Ledger ids derived this way are stable across processes and releases, and never 0 or all
 * ones (the version and variant bits are fixed), which the ledger reserves.
 */
public final class Uuid5 {
    private Uuid5() {
    }

    /** UUIDv5 of the UTF-8 bytes of {@code name} in {@code namespace}. */
    public static UUID of(UUID namespace, String name) {
        MessageDigest sha1 = sha1();
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
            .putLong(namespace.getLeastSignificantBits()).array());
        ByteBuffer hash = ByteBuffer.wrap(sha1.digest(name.getBytes(StandardCharsets.UTF_8)));
        long high = hash.getLong();
        long low = hash.getLong();
        high = (high & ~0xF000L) | 0x5000L;
        low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /** The ledger's 128-bit form of a UUID (its JSON text is the same UUID string). */
    public static Uint128 toUint128(UUID id) {
        return new Uint128(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID toUuid(Uint128 id) {
        return new UUID(id.high(), id.low());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
