package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The event stream's on-disk form of an outcome excerpt: the excerpt of {@link OutcomeLayout} (version 1,
 * "expanded": 208 bytes per outcome) with each outcome's 8-byte words that are zero left out.
 *
 * <p>A compact excerpt (version {@link #VERSION}) has the same 40-byte header — magic, command number,
 * timestamp, outcome count and side-data length where version 1 has them, so a reader of the header alone
 * needs neither form — then, for each outcome, a little-endian u32 mask and the words it names, in order:
 * bit {@code i} (0–25) set means word {@code i} of the 26-word outcome follows; bit 31 set means word 1 (when)
 * is not written because it equals word 17 (the record's timestamp, which an account's or a new transfer's
 * outcome always repeats). Every word not written is zero. The side data follows the last outcome, as is.
 *
 * <p>A transfer's record is mostly zero words (the high halves of small ids and amounts, an absent pending
 * id, user data and timeout), and so are the pending halves of most balances: a typical transfer's outcome
 * takes 90–130 bytes instead of 208. The form is a pure function of the expanded excerpt (the replicas of a
 * cluster write the same bytes), and {@link #expand} gives back the expanded excerpt byte for byte.
 */
public final class OutcomeCompaction {
    /** The header's version of a compact excerpt. */
    public static final int VERSION = 2;
    /** Word 1 of an outcome is left out because it equals word 17. */
    static final int WHEN_IS_TIMESTAMP = 1 << 31;
    private static final int WORDS = OutcomeLayout.OUTCOME_BYTES / Long.BYTES;
    private static final int WHEN_WORD = OutcomeLayout.WHEN / Long.BYTES;
    private static final int TIMESTAMP_WORD = (OutcomeLayout.RECORD + TransferLayout.TIMESTAMP) / Long.BYTES;
    private static final int VERSION_OFFSET = 4;

    static {
        if (OutcomeLayout.OUTCOME_BYTES % Long.BYTES != 0 || WORDS > 26
            || (OutcomeLayout.RECORD + AccountLayout.TIMESTAMP) / Long.BYTES != TIMESTAMP_WORD) {
            throw new ExceptionInInitializerError("the outcome layout no longer splits into the words this form assumes");
        }
    }

    private OutcomeCompaction() {
    }

    /** The most bytes {@link #compact} can write for an expanded excerpt of {@code expandedLength} bytes. */
    public static int compactLengthMax(int expandedLength) {
        int outcomes = Math.max(0, expandedLength - OutcomeLayout.HEADER_BYTES) / OutcomeLayout.OUTCOME_BYTES;
        return expandedLength + outcomes * Integer.BYTES;
    }

    /** True if the excerpt at {@code offset} is in the compact form (its header says version 2). */
    public static boolean isCompact(DirectBuffer buffer, int offset, int length) {
        return length >= OutcomeLayout.HEADER_BYTES && buffer.getInt(offset) == OutcomeLayout.MAGIC
            && (buffer.getShort(offset + VERSION_OFFSET) & 0xFFFF) == VERSION;
    }

    /** The command number in the header of the excerpt at {@code offset}, in either form. */
    public static long commandNumber(DirectBuffer buffer, int offset, int length) {
        if (length < OutcomeLayout.HEADER_BYTES || buffer.getInt(offset) != OutcomeLayout.MAGIC) {
            throw new IllegalArgumentException("not an outcome excerpt (" + length + " bytes)");
        }
        return buffer.getLong(offset + OutcomeLayout.COMMAND_NUMBER);
    }

    /**
     * Writes the compact form of the expanded excerpt {@code source[offset, offset + length)} into {@code target}
     * from {@code targetOffset}, which must have {@link #compactLengthMax} bytes of room (an expandable target is
     * grown to them, a fixed one too small is refused with {@link IndexOutOfBoundsException}); returns its length.
     */
    public static int compact(DirectBuffer source, int offset, int length, MutableDirectBuffer target, int targetOffset) {
        int count = checkedCount(source, offset, length, OutcomeLayout.VERSION);
        // Both ranges are checked once here (the excerpt inside the source, room in the target for the most this can
        // write); the outcomes' words are then read and written without Agrona's check per access.
        if (offset < 0 || length > source.capacity() - offset) {
            throw new IndexOutOfBoundsException("an excerpt of " + length + " bytes at " + offset
                + " does not fit a source of " + source.capacity() + " bytes");
        }
        long targetLimit = (long) targetOffset + compactLengthMax(length);
        if (targetOffset < 0 || targetLimit > Integer.MAX_VALUE) {
            throw new IndexOutOfBoundsException("no room at " + targetOffset + " for the " + compactLengthMax(length)
                + " bytes compacting may write");
        }
        target.checkLimit((int) targetLimit); // grows an expandable target; throws if a fixed one is too small
        int sideData = source.getInt(offset + OutcomeLayout.SIDE_DATA_LENGTH);
        target.putBytes(targetOffset, source, offset, OutcomeLayout.HEADER_BYTES);
        target.putShort(targetOffset + VERSION_OFFSET, (short) VERSION);
        byte[] sourceBase = source.byteArray();
        long from = source.addressOffset() + offset + OutcomeLayout.HEADER_BYTES;
        byte[] targetBase = target.byteArray();
        long targetAddress = target.addressOffset();
        int to = targetOffset + OutcomeLayout.HEADER_BYTES;
        for (int outcome = 0; outcome < count; outcome++) {
            int maskAt = to;
            to += Integer.BYTES;
            int mask = 0;
            long timestamp = UnsafeApi.getLong(sourceBase, from + TIMESTAMP_WORD * Long.BYTES);
            for (int word = 0; word < WORDS; word++) {
                long value = UnsafeApi.getLong(sourceBase, from + word * Long.BYTES);
                if (value == 0) {
                    continue;
                }
                if (word == WHEN_WORD && value == timestamp) {
                    mask |= WHEN_IS_TIMESTAMP;
                    continue;
                }
                mask |= 1 << word;
                UnsafeApi.putLong(targetBase, targetAddress + to, value);
                to += Long.BYTES;
            }
            UnsafeApi.putInt(targetBase, targetAddress + maskAt, mask);
            from += OutcomeLayout.OUTCOME_BYTES;
        }
        if (sideData > 0) {
            target.putBytes(to, source, offset + length - sideData, sideData);
        }
        return to + sideData - targetOffset;
    }

    /** The length of the expanded form of the compact excerpt at {@code offset} (from its header). */
    public static int expandedLength(DirectBuffer source, int offset, int length) {
        int count = checkedCount(source, offset, length, VERSION);
        long expanded = (long) OutcomeLayout.HEADER_BYTES + (long) count * OutcomeLayout.OUTCOME_BYTES
            + source.getInt(offset + OutcomeLayout.SIDE_DATA_LENGTH);
        if (expanded > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a compact outcome excerpt claims " + count + " outcomes");
        }
        return (int) expanded;
    }

    /**
     * Writes the expanded form (version 1, {@link OutcomeLayout}) of the compact excerpt
     * {@code source[offset, offset + length)} into {@code target}, growing it as needed; returns its length.
     * Throws if the excerpt's masks and words do not fill it exactly.
     */
    public static int expand(DirectBuffer source, int offset, int length, ExpandableArrayBuffer target) {
        int expandedLength = expandedLength(source, offset, length);
        int count = source.getInt(offset + OutcomeLayout.OUTCOME_COUNT);
        int sideData = source.getInt(offset + OutcomeLayout.SIDE_DATA_LENGTH);
        target.checkLimit(expandedLength);
        target.putBytes(0, source, offset, OutcomeLayout.HEADER_BYTES);
        target.putShort(VERSION_OFFSET, (short) OutcomeLayout.VERSION);
        int end = offset + length - sideData;
        int from = offset + OutcomeLayout.HEADER_BYTES;
        int to = OutcomeLayout.HEADER_BYTES;
        for (int outcome = 0; outcome < count; outcome++) {
            if (from + Integer.BYTES > end) {
                throw truncated(source, offset, outcome);
            }
            int mask = source.getInt(from);
            from += Integer.BYTES;
            if ((mask & ~(WHEN_IS_TIMESTAMP | ((1 << WORDS) - 1))) != 0
                || (mask & WHEN_IS_TIMESTAMP) != 0 && (mask & (1 << WHEN_WORD)) != 0) {
                throw new IllegalArgumentException("outcome " + outcome + " of compact excerpt of command "
                    + source.getLong(offset + OutcomeLayout.COMMAND_NUMBER) + " has an invalid mask 0x"
                    + Integer.toHexString(mask));
            }
            if (from + Integer.bitCount(mask & ~WHEN_IS_TIMESTAMP) * Long.BYTES > end) {
                throw truncated(source, offset, outcome);
            }
            for (int word = 0; word < WORDS; word++) {
                long value = 0;
                if ((mask & (1 << word)) != 0) {
                    value = source.getLong(from);
                    from += Long.BYTES;
                }
                target.putLong(to + word * Long.BYTES, value);
            }
            if ((mask & WHEN_IS_TIMESTAMP) != 0) {
                target.putLong(to + WHEN_WORD * Long.BYTES, target.getLong(to + TIMESTAMP_WORD * Long.BYTES));
            }
            to += OutcomeLayout.OUTCOME_BYTES;
        }
        if (from != end) {
            throw new IllegalArgumentException("compact excerpt of command "
                + source.getLong(offset + OutcomeLayout.COMMAND_NUMBER) + " has " + (end - from)
                + " bytes between its outcomes and its side data");
        }
        if (sideData > 0) {
            target.putBytes(to, source, from, sideData);
        }
        return expandedLength;
    }

    private static int checkedCount(DirectBuffer source, int offset, int length, int version) {
        if (length < OutcomeLayout.HEADER_BYTES || source.getInt(offset) != OutcomeLayout.MAGIC) {
            throw new IllegalArgumentException("not an outcome excerpt (" + length + " bytes)");
        }
        int found = source.getShort(offset + VERSION_OFFSET) & 0xFFFF;
        if (found != version) {
            throw new IllegalArgumentException("an outcome excerpt of version " + found + ", expected " + version);
        }
        int count = source.getInt(offset + OutcomeLayout.OUTCOME_COUNT);
        int sideData = source.getInt(offset + OutcomeLayout.SIDE_DATA_LENGTH);
        long minimum = (long) OutcomeLayout.HEADER_BYTES + (long) count * Integer.BYTES + sideData;
        long maximum = (long) OutcomeLayout.HEADER_BYTES + (long) count * OutcomeLayout.OUTCOME_BYTES + sideData;
        boolean fits = version == OutcomeLayout.VERSION ? length == maximum : length >= minimum && length <= maximum
            + (long) count * Integer.BYTES;
        if (count < 0 || sideData < 0 || !fits) {
            throw new IllegalArgumentException("outcome excerpt of " + length + " bytes (version " + version
                + ") cannot hold " + count + " outcomes and " + sideData + " bytes of side data");
        }
        return count;
    }

    private static IllegalArgumentException truncated(DirectBuffer source, int offset, int outcome) {
        return new IllegalArgumentException("compact excerpt of command "
            + source.getLong(offset + OutcomeLayout.COMMAND_NUMBER) + " ends inside outcome " + outcome);
    }
}
