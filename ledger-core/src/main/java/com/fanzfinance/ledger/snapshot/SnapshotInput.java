package com.fanzfinance.ledger.snapshot;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

import com.fanzfinance.ledger.state.PagedMemory;

/** Reads what {@link SnapshotOutput} wrote; {@link #checksumOf} verifies a whole file first. */
final class SnapshotInput {
    private static final int CHUNK_BYTES = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] copy = new byte[CHUNK_BYTES];

    SnapshotInput(FileChannel channel) {
        this.channel = channel;
        chunk.limit(0);
    }

    /** CRC-32C of the first {@code length} bytes of the file. */
    static int checksumOf(FileChannel channel, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(CHUNK_BYTES, length - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException("snapshot ends early");
            }
            buffer.flip();
            crc.update(buffer);
            position += read;
        }
        return (int) crc.getValue();
    }

    long readLong() throws IOException {
        require(Long.BYTES);
        return chunk.getLong();
    }

    int readInt() throws IOException {
        require(Integer.BYTES);
        return chunk.getInt();
    }

    byte[] readBytes(int length) throws IOException {
        byte[] bytes = new byte[length];
        for (int done = 0; done < length; ) {
            require(1);
            int part = Math.min(length - done, chunk.remaining());
            chunk.get(bytes, done, part);
            done += part;
        }
        return bytes;
    }

    long[] readLongs(int count) throws IOException {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = readLong();
        }
        return values;
    }

    /** Reads {@code length} bytes into a store from address 0 (the store must already be that large). */
    void readMemory(PagedMemory memory, long length) throws IOException {
        for (long done = 0; done < length; ) {
            int part = (int) Math.min(CHUNK_BYTES, length - done);
            int filled = 0;
            while (filled < part) {
                require(1);
                int take = Math.min(part - filled, chunk.remaining());
                chunk.get(copy, filled, take);
                filled += take;
            }
            memory.copyIn(done, copy, 0, part);
            done += part;
        }
    }

    private void require(int bytes) throws IOException {
        if (chunk.remaining() >= bytes) {
            return;
        }
        chunk.compact();
        while (chunk.position() < bytes) {
            if (channel.read(chunk) < 0) {
                throw new EOFException("snapshot ends early");
            }
        }
        chunk.flip();
    }
}
