package com.fanzfinance.ledger.journal;

import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The excerpt recovery appends after a torn last batch: it names the torn excerpt's queue index, so
 * later reads skip exactly that excerpt and nothing else. Layout: "FZJX" u32, version u16, reserved u16,
 * torn excerpt's index u64, batch number that resumes u64, CRC-32C of bytes 0..23 u32.
 */
public final class CutMarker {
    public static final int MAGIC = 0x584A_5A46; // "FZJX" little-endian
    public static final int LENGTH = 28;

    private CutMarker() {
    }

    public static int encode(UnsafeBuffer buffer, long tornIndex, long resumingBatch) {
        buffer.putInt(0, MAGIC);
        buffer.putShort(4, (short) 1);
        buffer.putShort(6, (short) 0);
        buffer.putLong(8, tornIndex);
        buffer.putLong(16, resumingBatch);
        buffer.putInt(24, crc(buffer));
        return LENGTH;
    }

    /** True if these bytes are an intact cut marker. */
    public static boolean isCutMarker(UnsafeBuffer buffer, int length) {
        return length == LENGTH && buffer.getInt(0) == MAGIC && buffer.getInt(24) == crc(buffer);
    }

    public static long tornIndex(UnsafeBuffer buffer) {
        return buffer.getLong(8);
    }

    public static long resumingBatch(UnsafeBuffer buffer) {
        return buffer.getLong(16);
    }

    private static int crc(UnsafeBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.byteArray(), buffer.wrapAdjustment(), 24);
        return (int) crc.getValue();
    }
}
