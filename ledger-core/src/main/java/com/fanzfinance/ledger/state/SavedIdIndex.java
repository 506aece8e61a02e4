package com.fanzfinance.ledger.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * What a clean shutdown left of the transfer id index: which table file (its generation), what it held and its
 * checksum, in a small marker file beside the stores ({@value #MARKER}). A start that finds the marker claims it —
 * reads it and deletes it before anything is written — and {@link TransferIdIndex#rebuild} then keeps that table
 * instead of rebuilding it, if the stores were restored to the same transfer count and the table still has the
 * checksum it was saved with. So a table is only ever kept by the start right after the shutdown that saved it; a
 * start that dies after claiming it leaves no marker, and the next one rebuilds.
 *
 * @param generation    the table's file is {@code transfer-id-index-<generation>.store}
 * @param transferCount transfers in the store the table indexes (sequences 0 .. count-1)
 * @param capacity      the table's slots (a power of two)
 * @param count         its entries
 * @param salt          0 (locality-preserving placement) or the salt of the mixed placement
 * @param checksum      CRC-32C of the table's {@code capacity * 8} bytes
 * @param lastIdLow     the id of the last transfer in the store, a check that the store is the one indexed
 * @param lastIdHigh    its high half
 */
public record SavedIdIndex(int generation, long transferCount, long capacity, long count, long salt, long checksum,
                           long lastIdLow, long lastIdHigh) {
    /** The marker's name in the store directory. */
    public static final String MARKER = "transfer-id-index.saved";
    private static final long MAGIC = 0x46414E5A49445831L; // "FANZIDX1"
    private static final int VERSION = 1;
    private static final int BYTES = 8 + 4 + 4 + 8 * 7 + 8;

    /** The table file's name stem, as {@link MemoryFactory#create} takes it. */
    public String tableName() {
        return tableName(generation);
    }

    static String tableName(int generation) {
        return "transfer-id-index-" + generation;
    }

    /**
     * Reads and deletes the marker in {@code directory}, the deletion synced before this returns, so that nothing this
     * start writes into the table can ever be taken for the saved state. Null if there is none or it cannot be read
     * (a damaged marker is deleted too: the index is rebuilt, as without one).
     */
    public static SavedIdIndex claim(Path directory) {
        Path marker = directory.resolve(MARKER);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(marker);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        }
        try {
            Files.delete(marker);
            DurableFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + marker, e);
        }
        return parse(bytes);
    }

    /** The marker's content, or null if it is not a whole, intact marker of this version. */
    static SavedIdIndex parse(byte[] bytes) {
        if (bytes.length != BYTES) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, BYTES - 8);
        if (in.getLong(BYTES - 8) != crc.getValue() || in.getLong() != MAGIC || in.getInt() != VERSION) {
            return null;
        }
        int generation = in.getInt();
        SavedIdIndex saved = new SavedIdIndex(generation, in.getLong(), in.getLong(), in.getLong(), in.getLong(),
            in.getLong(), in.getLong(), in.getLong());
        if (generation < 0 || saved.capacity < 1 || Long.bitCount(saved.capacity) != 1 || saved.count < 0
            || saved.count > saved.capacity || saved.transferCount < saved.count) {
            return null;
        }
        return saved;
    }

    byte[] bytes() {
        ByteBuffer out = ByteBuffer.allocate(BYTES);
        out.putLong(MAGIC).putInt(VERSION).putInt(generation).putLong(transferCount).putLong(capacity).putLong(count)
            .putLong(salt).putLong(checksum).putLong(lastIdLow).putLong(lastIdHigh);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, BYTES - 8);
        out.putLong(crc.getValue());
        return out.array();
    }

    /**
     * Writes the marker into {@code directory}: to a temporary file, synced, then moved into place and the directory
     * synced. Call it only once the table it describes is synced to the device.
     */
    public void write(Path directory) {
        Path marker = directory.resolve(MARKER);
        Path temporary = directory.resolve(MARKER + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(bytes());
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            DurableFiles.moveIntoPlace(temporary, marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }
}
