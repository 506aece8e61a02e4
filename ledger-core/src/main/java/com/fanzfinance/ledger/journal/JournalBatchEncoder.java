package com.fanzfinance.ledger.journal;

import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds one journal batch (see {@link JournalFormat}) in a buffer sized once at start-up: commands are
 * appended until the next would not fit, then {@link #finish} seals the batch with its CRC and chain
 * hash. Used by the journaler thread only; no allocation per command or batch.
 */
public final class JournalBatchEncoder {
    private final UnsafeBuffer buffer;
    private final byte[] array;
    private final CRC32C crc = new CRC32C();
    private final byte[] hash = new byte[JournalFormat.HASH_BYTES];
    private int length;
    private int commandCount;

    /** @param batchBytesMax the largest batch; must hold the largest single command */
    public JournalBatchEncoder(int batchBytesMax) {
        if (batchBytesMax < JournalFormat.HEADER_BYTES + JournalFormat.COMMAND_HEADER_BYTES) {
            throw new IllegalArgumentException("batchBytesMax too small: " + batchBytesMax);
        }
        this.array = new byte[batchBytesMax];
        this.buffer = new UnsafeBuffer(array);
    }

    public void begin(long batchNumber, long firstCommand) {
        buffer.setMemory(0, JournalFormat.HEADER_BYTES, (byte) 0);
        buffer.putInt(JournalFormat.MAGIC_OFFSET, JournalFormat.MAGIC);
        buffer.putShort(JournalFormat.VERSION_OFFSET, (short) JournalFormat.VERSION);
        buffer.putLong(JournalFormat.BATCH_NUMBER_OFFSET, batchNumber);
        buffer.putLong(JournalFormat.FIRST_COMMAND_OFFSET, firstCommand);
        length = JournalFormat.HEADER_BYTES;
        commandCount = 0;
    }

    public int commandCount() {
        return commandCount;
    }

    public boolean isEmpty() {
        return commandCount == 0;
    }

    /** True if a command of these sizes fits in the rest of this batch. */
    public boolean fits(int eventsLength, int tenantsLength, int sideDataLength) {
        return (long) length + JournalFormat.commandBytes(eventsLength, tenantsLength, sideDataLength) <= array.length;
    }

    /** True if a command of these sizes could fit in an empty batch. */
    public boolean fitsEmpty(int eventsLength, int tenantsLength, int sideDataLength) {
        return (long) JournalFormat.HEADER_BYTES + JournalFormat.commandBytes(eventsLength, tenantsLength, sideDataLength)
            <= array.length;
    }

    /** Appends a command; the caller checked {@link #fits}. */
    public void append(CommandType type, long timestamp, int eventCount, DirectBuffer events, int eventsOffset,
                       int eventsLength, DirectBuffer tenants, int tenantsOffset, int tenantsLength,
                       DirectBuffer sideData, int sideDataOffset, int sideDataLength) {
        assert fits(eventsLength, tenantsLength, sideDataLength);
        int start = length;
        buffer.setMemory(start, JournalFormat.COMMAND_HEADER_BYTES, (byte) 0);
        buffer.putByte(start + JournalFormat.COMMAND_TYPE_OFFSET, (byte) type.code());
        buffer.putInt(start + JournalFormat.COMMAND_EVENT_COUNT_OFFSET, eventCount);
        buffer.putLong(start + JournalFormat.COMMAND_TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(start + JournalFormat.COMMAND_EVENTS_LENGTH_OFFSET, eventsLength);
        buffer.putInt(start + JournalFormat.COMMAND_TENANTS_LENGTH_OFFSET, tenantsLength);
        buffer.putInt(start + JournalFormat.COMMAND_SIDE_DATA_LENGTH_OFFSET, sideDataLength);
        int at = start + JournalFormat.COMMAND_HEADER_BYTES;
        at = copy(events, eventsOffset, eventsLength, at);
        at = copy(tenants, tenantsOffset, tenantsLength, at);
        at = copy(sideData, sideDataOffset, sideDataLength, at);
        int end = start + JournalFormat.commandBytes(eventsLength, tenantsLength, sideDataLength);
        buffer.setMemory(at, end - at, (byte) 0);
        length = end;
        commandCount++;
    }

    /** Seals the batch (CRC, then the chain link) and returns its length in bytes. */
    public int finish(HashChain chain) {
        int payloadLength = length - JournalFormat.HEADER_BYTES;
        buffer.putInt(JournalFormat.COMMAND_COUNT_OFFSET, commandCount);
        buffer.putInt(JournalFormat.PAYLOAD_LENGTH_OFFSET, payloadLength);
        buffer.putInt(JournalFormat.CRC_OFFSET, crcOf(buffer, 0, payloadLength, crc));
        chain.link(buffer, 0, payloadLength, hash, 0);
        buffer.putBytes(JournalFormat.CHAIN_HASH_OFFSET, hash);
        return length;
    }

    public UnsafeBuffer buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    /** CRC-32C of header bytes 0..31 and the payload of the batch at {@code offset}. */
    static int crcOf(DirectBuffer batch, int offset, int payloadLength, CRC32C crc) {
        byte[] array = batch.byteArray();
        if (array == null) {
            throw new IllegalArgumentException("journal batches are checked in heap buffers");
        }
        crc.reset();
        int base = (int) (batch.addressOffset() - org.agrona.BufferUtil.ARRAY_BASE_OFFSET) + offset;
        crc.update(array, base, JournalFormat.CRC_OFFSET);
        crc.update(array, base + JournalFormat.HEADER_BYTES, payloadLength);
        return (int) crc.getValue();
    }

    private int copy(DirectBuffer source, int sourceOffset, int sourceLength, int at) {
        if (sourceLength > 0) {
            buffer.putBytes(at, source, sourceOffset, sourceLength);
        }
        return at + sourceLength;
    }
}
