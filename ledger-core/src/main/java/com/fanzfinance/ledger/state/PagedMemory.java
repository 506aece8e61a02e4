package com.fanzfinance.ledger.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Growable memory addressed by a 64-bit byte address and split into fixed-size pages that never move
 * once allocated, so flyweights can keep pointing into them while the memory grows.
 *
 * <p>Pages live either in process memory outside the Java heap ({@link #inMemory}) or in one memory-mapped file
 * ({@link #mapped}), which is what lets a billion transfer records be a matter of disk rather than heap:
 * the operating system pages them in and out. Callers must {@link #ensureCapacity} before writing past
 * the current end; reads and writes themselves never allocate.
 *
 * <p>Not thread-safe: owned by the business-logic thread, like every store in this package.
 */
public final class PagedMemory implements AutoCloseable {
    private static final int INITIAL_PAGE_SLOTS = 16;

    private final int pageShift;
    private final int pageSizeBytes;
    private final int pageMask;
    private final Path file;
    private final FileChannel channel;
    private UnsafeBuffer[] pages = new UnsafeBuffer[INITIAL_PAGE_SLOTS];
    private MappedByteBuffer[] mappings;
    private int pageCount;

    private PagedMemory(int pageShift, Path file) {
        if (pageShift < 12 || pageShift > 30) {
            throw new IllegalArgumentException("pageShift must be in 12..30, was " + pageShift);
        }
        this.pageShift = pageShift;
        this.pageSizeBytes = 1 << pageShift;
        this.pageMask = pageSizeBytes - 1;
        this.file = file;
        this.channel = file == null ? null : openChannel(file);
        this.mappings = file == null ? null : new MappedByteBuffer[INITIAL_PAGE_SLOTS];
    }

    /** Memory in the process (direct buffers, counted against {@code -XX:MaxDirectMemorySize}), in pages of {@code 2^pageShift} bytes. */
    public static PagedMemory inMemory(int pageShift) {
        return new PagedMemory(pageShift, null);
    }

    /**
     * Memory mapped from {@code file} (created if missing). Existing content is mapped as it is, so a
     * store can be reopened; {@link #truncate} cuts it back to a known length.
     */
    public static PagedMemory mapped(Path file, int pageShift) {
        PagedMemory memory = new PagedMemory(pageShift, file);
        memory.mapExistingContent();
        return memory;
    }

    public long capacityBytes() {
        return (long) pageCount << pageShift;
    }

    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    public boolean isMapped() {
        return file != null;
    }

    /** Makes every address below {@code bytes} readable and writable. Allocates pages (or grows the file). */
    public void ensureCapacity(long bytes) {
        while (capacityBytes() < bytes) {
            addPage();
        }
    }

    public long getLong(long address) {
        return pages[(int) (address >>> pageShift)].getLong((int) address & pageMask);
    }

    public void putLong(long address, long value) {
        pages[(int) (address >>> pageShift)].putLong((int) address & pageMask, value);
    }

    public int getInt(long address) {
        return pages[(int) (address >>> pageShift)].getInt((int) address & pageMask);
    }

    /** The page holding {@code address}; records never straddle pages when their size divides the page size. */
    public UnsafeBuffer pageOf(long address) {
        return pages[(int) (address >>> pageShift)];
    }

    public int offsetInPage(long address) {
        return (int) address & pageMask;
    }

    /** Zeroes {@code length} bytes from {@code address}; the range must lie within one page. */
    public void zero(long address, int length) {
        pageOf(address).setMemory(offsetInPage(address), length, (byte) 0);
    }

    /** Zeroes everything from {@code fromBytes} to the end of the allocated pages. */
    public void zeroFrom(long fromBytes) {
        long address = fromBytes;
        long end = capacityBytes();
        while (address < end) {
            int inPage = offsetInPage(address);
            int length = pageSizeBytes - inPage;
            pageOf(address).setMemory(inPage, length, (byte) 0);
            address += length;
        }
    }

    /** Flushes mapped pages to the storage device (msync); a no-op for in-process memory. */
    public void force() {
        if (mappings == null) {
            return;
        }
        for (int i = 0; i < pageCount; i++) {
            mappings[i].force();
        }
    }

    /**
     * Drops the pages at and above the one holding {@code lengthBytes} and zeroes the tail of the
     * remaining last page, so the memory reads exactly as if nothing had been written past
     * {@code lengthBytes}. Used by recovery to cut a store back to a snapshot.
     */
    public void truncate(long lengthBytes) {
        int keepPages = (int) ((lengthBytes + pageSizeBytes - 1) >>> pageShift);
        for (int i = keepPages; i < pageCount; i++) {
            releasePage(i);
        }
        pageCount = Math.min(pageCount, keepPages);
        zeroFrom(lengthBytes);
        if (channel != null) {
            try {
                channel.truncate(capacityBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate " + file, e);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < pageCount; i++) {
            releasePage(i);
        }
        pageCount = 0;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
        }
    }

    /** Closes this memory and deletes its file, if it has one (a store replaced by a bigger one). */
    public void closeAndDelete() {
        close();
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }

    private void addPage() {
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
            if (mappings != null) {
                mappings = Arrays.copyOf(mappings, mappings.length * 2);
            }
        }
        pages[pageCount] = file == null ? memoryPage() : mapPage(pageCount);
        pageCount++;
    }

    private UnsafeBuffer memoryPage() {
        return new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(pageSizeBytes));
    }

    private UnsafeBuffer mapPage(int index) {
        try {
            MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, (long) index << pageShift, pageSizeBytes);
            mappings[index] = mapping;
            return new UnsafeBuffer(mapping);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map page " + index + " of " + file, e);
        }
    }

    private void mapExistingContent() {
        try {
            long size = channel.size();
            long pagesNeeded = (size + pageSizeBytes - 1) >>> pageShift;
            for (int i = 0; i < pagesNeeded; i++) {
                addPage();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot size " + file, e);
        }
    }

    private void releasePage(int index) {
        if (mappings != null && mappings[index] != null) {
            IoUtil.unmap(mappings[index]);
            mappings[index] = null;
        } else if (pages[index] != null && pages[index].byteBuffer() != null) {
            BufferUtil.free(pages[index].byteBuffer());
        }
        pages[index] = null;
    }

    private static FileChannel openChannel(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }
}
