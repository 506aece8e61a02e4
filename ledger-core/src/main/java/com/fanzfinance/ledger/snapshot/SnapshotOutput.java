package com.fanzfinance.ledger.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

import com.fanzfinance.ledger.state.PagedMemory;

/** Little-endian sequential writes to a file through a 1 MiB buffer, with a running CRC-32C. */
final class SnapshotOutput implements AutoCloseable {
    private static final int CHUNK_BYTES = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final byte[] copy = new byte[CHUNK_BYTES];

    SnapshotOutput(FileChannel channel) {
        this.channel = channel;
    }

    void writeLong(long value) throws IOException {
        ensureRoom(Long.BYTES);
        chunk.putLong(value);
    }

    void writeInt(int value) throws IOException {
        ensureRoom(Integer.BYTES);
        chunk.putInt(value);
    }

    void writeBytes(byte[] bytes) throws IOException {
        for (int done = 0; done < bytes.length; ) {
            ensureRoom(1);
            int length = Math.min(bytes.length - done, chunk.remaining());
            chunk.put(bytes, done, length);
            done += length;
        }
    }

    void writeLongs(long[] values, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            writeLong(values[i]);
        }
    }

    /** Streams {@code length} bytes of a store, from address 0. */
    /**
     * Writes the first {@code length} bytes of {@code memory}. Bytes past its allocated pages were never
     * written (a list store counts its unused block 0, say) and are written as the zeros they stand for.
     */
    void writeMemory(PagedMemory memory, long length) throws IOException {
        long allocated = memory.capacityBytes();
        for (long done = 0; done < length; ) {
            int part = (int) Math.min(CHUNK_BYTES, length - done);
            long readable = Math.max(0, Math.min(part, allocated - done));
            if (readable > 0) {
                memory.copyOut(done, copy, 0, (int) readable);
            }
            java.util.Arrays.fill(copy, (int) readable, part, (byte) 0);
            flush();
            crc.update(copy, 0, part);
            writeFully(ByteBuffer.wrap(copy, 0, part));
            done += part;
        }
    }

    /** The CRC of everything written so far. */
    int crc() throws IOException {
        flush();
        return (int) crc.getValue();
    }

    void flush() throws IOException {
        chunk.flip();
        crc.update(chunk.array(), 0, chunk.limit());
        writeFully(chunk);
        chunk.clear();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void ensureRoom(int bytes) throws IOException {
        if (chunk.remaining() < bytes) {
            flush();
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
