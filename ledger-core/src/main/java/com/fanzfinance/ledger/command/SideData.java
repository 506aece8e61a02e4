package com.fanzfinance.ledger.command;

import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The side data a command carries besides its records: metadata (opaque bytes, a JSON object in the
 * HTTP API) for some of its events, journaled and projected, never used in decisions. Little-endian:
 * {@code u32 entry count}, then per entry {@code u32 event index, u32 length, bytes}, each entry padded
 * to a multiple of 4 bytes.
 */
public final class SideData {
    /** The most metadata one account or transfer may carry. */
    public static final int METADATA_MAX_BYTES = 4096;

    private SideData() {
    }

    /** Bytes an entry of {@code length} takes. */
    public static int entryBytes(int length) {
        return 8 + ((length + 3) & ~3);
    }

    /** Writes the entry count at {@code offset}; entries follow. */
    /**
     * Encodes {@code values.get(i)} for event {@code events.get(i)}, for each i, into a new buffer of
     * exactly the encoded length (empty when there are none).
     */
    public static UnsafeBuffer encode(List<Integer> events, List<byte[]> values) {
        if (events.size() != values.size()) {
            throw new IllegalArgumentException("one event index per value");
        }
        if (values.isEmpty()) {
            return new UnsafeBuffer(new byte[0]);
        }
        int length = Integer.BYTES;
        for (byte[] value : values) {
            length += entryBytes(value.length);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        int at = writeHeader(buffer, 0, values.size());
        for (int i = 0; i < values.size(); i++) {
            at = writeEntry(buffer, at, events.get(i), values.get(i));
        }
        return buffer;
    }

    public static int writeHeader(MutableDirectBuffer buffer, int offset, int entryCount) {
        buffer.putInt(offset, entryCount);
        return offset + 4;
    }

    /** Writes one entry at {@code offset} and returns the offset after it. */
    public static int writeEntry(MutableDirectBuffer buffer, int offset, int eventIndex, byte[] bytes) {
        buffer.putInt(offset, eventIndex);
        buffer.putInt(offset + 4, bytes.length);
        buffer.putBytes(offset + 8, bytes);
        int padded = (bytes.length + 3) & ~3;
        for (int i = bytes.length; i < padded; i++) {
            buffer.putByte(offset + 8 + i, (byte) 0);
        }
        return offset + 8 + padded;
    }

    /** Calls {@code visitor} for each entry; false if the side data is malformed (then nothing is visited). */
    public static boolean forEach(DirectBuffer buffer, int offset, int length, EntryVisitor visitor) {
        if (!isWellFormed(buffer, offset, length)) {
            return false;
        }
        int count = buffer.getInt(offset);
        int at = offset + 4;
        for (int i = 0; i < count; i++) {
            int entryLength = buffer.getInt(at + 4);
            visitor.visit(buffer.getInt(at), buffer, at + 8, entryLength);
            at += entryBytes(entryLength);
        }
        return true;
    }

    /** True for an empty side data or one whose entries fit exactly and stay within the limits. */
    public static boolean isWellFormed(DirectBuffer buffer, int offset, int length) {
        if (length == 0) {
            return true;
        }
        if (length < 4) {
            return false;
        }
        int count = buffer.getInt(offset);
        int at = offset + 4;
        int end = offset + length;
        for (int i = 0; i < count; i++) {
            if (at + 8 > end) {
                return false;
            }
            int entryLength = buffer.getInt(at + 4);
            if (buffer.getInt(at) < 0 || entryLength < 0 || entryLength > METADATA_MAX_BYTES
                || (long) at + entryBytes(entryLength) > end) {
                return false;
            }
            at += entryBytes(entryLength);
        }
        return count >= 0 && at == end;
    }

    /** Receives one metadata entry. */
    public interface EntryVisitor {
        void visit(int eventIndex, DirectBuffer buffer, int offset, int length);
    }
}
