package com.fanzfinance.ledger.state;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;

/**
 * Growable memory addressed by a 64-bit byte address and split into fixed-size pages that never move
 * once allocated.
 *
 * <p>Pages are either heap {@code byte[]}s ({@link #inMemory}) or mappings of one file
 * ({@link #mapped}), which is what lets a billion transfer records be a matter of disk rather than heap:
 * the operating system pages them in and out. Large heap pages are humongous objects that the garbage
 * collector never copies.
 *
 * <p>Reads and writes go straight through {@code Unsafe} on (page base, offset) pairs: one array load
 * and the access itself, which is what the hot path can afford. They are not bounds-checked (asserted
 * under {@code -ea}); callers must {@link #ensureCapacity} before touching an address. Nothing here
 * allocates except {@link #ensureCapacity}, for a mapped memory written in sequence a small request to the
 * {@link Prefaulter} per mebibyte written ({@link #writingSequentiallyAt}), and for one written anywhere a
 * cursor and a request per mapping, once ({@link #populateInBackground}).
 *
 * <p>Not thread-safe: owned by the business-logic thread, like every store in this package; a replaced table is
 * handed over whole to {@link StoreReleaser}'s thread to be closed there.
 */
public final class PagedMemory implements AutoCloseable {
    private static final int INITIAL_PAGE_SLOTS = 16;
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private final int pageShift;
    private final int pageSizeBytes;
    private final long pageMask;
    private final Path file;
    private final FileChannel channel;
    /** The object each page lives in (a byte[]), or null for mapped pages. */
    private Object[] bases = new Object[INITIAL_PAGE_SLOTS];
    /** The offset of each page within its base object, or its absolute address when mapped. */
    private long[] offsets = new long[INITIAL_PAGE_SLOTS];
    private MappedByteBuffer[] mappings;
    private long[][] heap;
    private int pageCount;
    /** The page count a paced {@link #force(boolean)} last saw (the snapshot writer's thread only). */
    private int pacedFrom;
    /** For a mapped memory written in sequence (see {@link #writingSequentiallyAt}); null otherwise. */
    private Prefaulter.Cursor prefault;
    /** For a mapped memory written anywhere, one per page (see {@link #populateInBackground}); null otherwise. */
    private Prefaulter.Cursor[] wholePages;

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

    /** Memory on the Java heap, in {@code byte[]} pages of {@code 2^pageShift} bytes. */
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

    public Path file() {
        return file;
    }

    /**
     * Tells a mapped memory that its owner writes it in sequence and is about to write at {@code address}
     * (allocated): the pages ahead are faulted in on a background thread ({@link Prefaulter}). A no-op for
     * heap memory. Call it once per OS page written, not per write.
     */
    public void writingSequentiallyAt(long address) {
        if (file == null || !Prefaulter.shared().enabled()) {
            return;
        }
        int page = (int) (address >>> pageShift);
        if (page >= pageCount) {
            return;
        }
        if (prefault == null) {
            prefault = Prefaulter.shared().cursor(Prefaulter.Mode.WRITE);
        }
        long base = offsets[page];
        prefault.at(base + (address & pageMask), base + pageSizeBytes);
    }

    /**
     * Tells a mapped memory that its owner writes its first {@code bytes} anywhere (a hash table): they are faulted
     * in on a background thread ({@link Prefaulter}), so that the owner's first accesses do not each stop on a page
     * fault. A no-op for heap memory, and after the first call. Call it after {@link #ensureCapacity}.
     */
    public void populateInBackground(Prefaulter.Mode mode, long bytes) {
        if (file == null || wholePages != null || !Prefaulter.shared().enabled()) {
            return;
        }
        int pages = (int) Math.min(pageCount, (bytes + pageSizeBytes - 1) >>> pageShift);
        wholePages = new Prefaulter.Cursor[pages];
        for (int i = 0; i < pages; i++) {
            wholePages[i] = Prefaulter.shared().cursor(mode);
            // all() stops at the mapping's end: only the last page asked for is cut short by bytes
            wholePages[i].all(offsets[i], offsets[i] + bytes - ((long) i << pageShift), offsets[i] + pageSizeBytes);
        }
    }

    /** Where page {@code index} starts in memory, for a mapped memory (tests: its mapping in /proc/self/smaps). */
    long pageAddress(int index) {
        return offsets[index];
    }

    /** Makes every address below {@code bytes} readable and writable. Allocates pages (or grows the file). */
    public void ensureCapacity(long bytes) {
        while (capacityBytes() < bytes) {
            addPage();
        }
    }

    public long getLong(long address) {
        if (heap != null) {
            return heap[(int) (address >>> pageShift)][(int) ((address & pageMask) >>> 3)];
        }
        int page = (int) (address >>> pageShift);
        return UnsafeApi.getLong(null, offsets[page] + (address & pageMask));
    }

    public void putLong(long address, long value) {
        if (heap != null) {
            heap[(int) (address >>> pageShift)][(int) ((address & pageMask) >>> 3)] = value;
            return;
        }
        int page = (int) (address >>> pageShift);
        UnsafeApi.putLong(null, offsets[page] + (address & pageMask), value);
    }

    /**
     * Copies {@code lengthBytes} (a multiple of 8) from {@code source} to {@code address}; the range must
     * lie within one page (records whose size divides the page size never straddle pages).
     */
    public void copyFrom(long address, DirectBuffer source, int sourceOffset, int lengthBytes) {
        int page = (int) (address >>> pageShift);
        if (heap != null) {
            long[] target = heap[page];
            int index = (int) ((address & pageMask) >>> 3);
            for (int i = 0; i < lengthBytes; i += Long.BYTES) {
                target[index++] = source.getLong(sourceOffset + i);
            }
            return;
        }
        long target = offsets[page] + (address & pageMask);
        for (int i = 0; i < lengthBytes; i += Long.BYTES) {
            UnsafeApi.putLong(null, target + i, source.getLong(sourceOffset + i));
        }
    }

    /** Copies {@code length} bytes from {@code address} into {@code target} (any alignment, across pages). */
    public void copyOut(long address, byte[] target, int targetOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            int page = (int) (at >>> pageShift);
            int chunk = (int) Math.min(length - done, pageSizeBytes - (at & pageMask));
            UnsafeApi.copyMemory(bases[page], offsets[page] + (at & pageMask), target,
                BYTE_ARRAY_BASE + targetOffset + done, chunk);
            done += chunk;
        }
    }

    /** Copies {@code length} bytes from {@code source} to {@code address}; the range must be allocated. */
    public void copyIn(long address, byte[] source, int sourceOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            int page = (int) (at >>> pageShift);
            int chunk = (int) Math.min(length - done, pageSizeBytes - (at & pageMask));
            UnsafeApi.copyMemory(source, BYTE_ARRAY_BASE + sourceOffset + done, bases[page],
                offsets[page] + (at & pageMask), chunk);
            done += chunk;
        }
    }

    public int getInt(long address) {
        long word = getLong(address & ~7L);
        return (int) (word >>> ((address & 4) << 3));
    }

    /** Zeroes everything from {@code fromBytes} to the end of the allocated pages. */
    public void zeroFrom(long fromBytes) {
        zeroRange(fromBytes, capacityBytes());
    }

    /** Zeroes the bytes from {@code fromBytes} up to {@code toBytes}, which must be allocated. */
    private void zeroRange(long fromBytes, long toBytes) {
        long address = fromBytes;
        while (address < toBytes) {
            int page = (int) (address >>> pageShift);
            long inPage = address & pageMask;
            long length = Math.min(pageSizeBytes - inPage, toBytes - address);
            UnsafeApi.setMemory(bases[page], offsets[page] + inPage, length, (byte) 0);
            address += length;
        }
    }

    /**
     * CRC-32C of the first {@code lengthBytes} of a mapped memory, which must be allocated (a saved index's check; heap
     * memory is never saved).
     */
    public long checksum(long lengthBytes) {
        if (mappings == null) {
            throw new IllegalStateException("a checksum is taken of mapped memory only");
        }
        if (lengthBytes < 0 || lengthBytes > capacityBytes()) {
            throw new IllegalArgumentException("checksum of " + lengthBytes + " bytes of " + capacityBytes());
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (long address = 0; address < lengthBytes; address += pageSizeBytes) {
            int length = (int) Math.min(pageSizeBytes, lengthBytes - address);
            crc.update(mappings[(int) (address >>> pageShift)].duplicate().clear().limit(length));
        }
        return crc.getValue();
    }

    /** How many of the first {@code lengthBytes} (a multiple of 8, allocated) are in non-zero 8-byte words. */
    public long countNonZeroLongs(long lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > capacityBytes() || (lengthBytes & 7) != 0) {
            throw new IllegalArgumentException("count over " + lengthBytes + " bytes of " + capacityBytes());
        }
        long taken = 0;
        long address = 0;
        while (address < lengthBytes) {
            int page = (int) (address >>> pageShift);
            long end = Math.min((long) (page + 1) << pageShift, lengthBytes);
            Object base = bases[page];
            long at = offsets[page] + (address & pageMask);
            for (long limit = at + (end - address); at < limit; at += Long.BYTES) {
                if (UnsafeApi.getLong(base, at) != 0) {
                    taken++;
                }
            }
            address = end;
        }
        return taken;
    }

    /**
     * Writes {@code source}'s remaining bytes into the file at {@code address} with {@code write(2)}, not through the
     * mapping (mapped memory only; the range must be allocated). The page cache is shared, so the mapping reads what
     * was written. See {@link TransferStore}'s staged appends for why.
     */
    public void writeToFile(long address, ByteBuffer source) {
        requireFileRange(address, source.remaining());
        try {
            long at = address;
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " at " + address, e);
        }
    }

    /** Reads {@code target.remaining()} bytes of the file at {@code address} with {@code read(2)} (mapped memory only). */
    public void readFromFile(long address, ByteBuffer target) {
        requireFileRange(address, target.remaining());
        try {
            long at = address;
            while (target.hasRemaining()) {
                int read = channel.read(target, at);
                if (read < 0) {
                    throw new IOException("end of file at " + at);
                }
                at += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " at " + address, e);
        }
    }

    private void requireFileRange(long address, int length) {
        if (channel == null) {
            throw new IllegalStateException("heap memory has no file");
        }
        if (address < 0 || address + length > capacityBytes()) {
            throw new IllegalArgumentException("bytes " + address + ".." + (address + length) + " are not allocated ("
                + capacityBytes() + ")");
        }
    }

    /** Flushes mapped pages to the storage device (msync); a no-op for heap pages. */
    public void force() {
        force(false);
    }

    /**
     * As {@link #force()}; {@code paced}: a slice at a time with rests between ({@link PacedWriteBack}) — the pages
     * from the last one a previous paced call saw onwards (where an append-mostly store took what is new since),
     * while the pages before it, written back then and mostly clean since, take one {@code msync} each. Called by
     * the snapshot writer while the business thread may add pages: it syncs the pages that were there when the
     * snapshot was captured (the executor's hand-over publishes them) and any later ones it happens to see.
     */
    public void force(boolean paced) {
        MappedByteBuffer[] pages = mappings;
        if (pages == null) {
            return;
        }
        int count = Math.min(pageCount, pages.length);
        for (int i = 0; i < count; i++) {
            MappedByteBuffer page = pages[i];
            if (page == null) {
                continue;
            }
            if (paced && i >= pacedFrom - 1) {
                PacedWriteBack.force(page);
            } else {
                page.force();
            }
        }
        if (paced) {
            pacedFrom = count;
        }
    }

    /**
     * Drops the pages at and above the one holding {@code lengthBytes} and zeroes the tail of the
     * remaining last page, so the memory reads exactly as if nothing had been written past
     * {@code lengthBytes}. Used by recovery to cut a store back to a snapshot.
     *
     * <p>A mapped memory's file is cut at the first OS page boundary at or after {@code lengthBytes} and grown back
     * to the kept pages' length: the kernel drops the page-cache pages past the cut, and the hole reads as zeros.
     * Only the rest of the OS page holding the cut is zeroed here. (Writing zeros over the rest of a 128 MiB page
     * took 0.36 s of a restart and dirtied those pages for write-back.) Nothing may touch the pages past the cut
     * meanwhile: only the owning thread does, and the prefaulter's {@code madvise} fails there instead.
     */
    public void truncate(long lengthBytes) {
        int keepPages = (int) ((lengthBytes + pageSizeBytes - 1) >>> pageShift);
        for (int i = keepPages; i < pageCount; i++) {
            releasePage(i);
        }
        pageCount = Math.min(pageCount, keepPages);
        if (channel == null) {
            zeroFrom(lengthBytes);
            return;
        }
        long capacity = capacityBytes();
        long osPage = UnsafeApi.pageSize();
        long cut = Math.min(capacity, (lengthBytes + osPage - 1) / osPage * osPage);
        zeroRange(lengthBytes, cut);
        try {
            channel.truncate(cut);
            if (cut < capacity) {
                // Grown back without allocating a block (ftruncate): the rest is a hole, so a full disk cannot fail it.
                try (RandomAccessFile grow = new RandomAccessFile(file.toFile(), "rw")) {
                    grow.setLength(capacity);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate " + file, e);
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
        if (pageCount == bases.length) {
            bases = Arrays.copyOf(bases, pageCount * 2);
            offsets = Arrays.copyOf(offsets, pageCount * 2);
            if (mappings != null) {
                mappings = Arrays.copyOf(mappings, pageCount * 2);
            }
        }
        if (file == null) {
            if (heap == null || heap.length < bases.length) {
                heap = heap == null ? new long[bases.length][] : Arrays.copyOf(heap, bases.length);
            }
            heap[pageCount] = new long[pageSizeBytes >>> 3];
            bases[pageCount] = heap[pageCount];
            offsets[pageCount] = LONG_ARRAY_BASE;
        } else {
            MappedByteBuffer mapping = mapPage(pageCount);
            mappings[pageCount] = mapping;
            bases[pageCount] = null;
            offsets[pageCount] = BufferUtil.address(mapping);
        }
        pageCount++;
    }

    private MappedByteBuffer mapPage(int index) {
        try {
            return channel.map(FileChannel.MapMode.READ_WRITE, (long) index << pageShift, pageSizeBytes);
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
        if (prefault != null) {
            prefault.forget(); // before the unmapping: no step for it runs after this
        }
        if (wholePages != null && index < wholePages.length && wholePages[index] != null) {
            wholePages[index].forget();
            wholePages[index] = null;
        }
        if (mappings != null && mappings[index] != null) {
            IoUtil.unmap(mappings[index]);
            mappings[index] = null;
        }
        bases[index] = null;
        offsets[index] = 0;
        if (heap != null) {
            heap[index] = null;
        }
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
