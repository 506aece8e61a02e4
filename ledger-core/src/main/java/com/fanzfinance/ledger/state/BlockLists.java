package com.fanzfinance.ledger.state;

/**
 * Many append-only lists of fixed-width entries (one list per account), stored as chains of fixed-size
 * blocks in one {@link PagedMemory}. Each block starts with the index of the block before it, so a list
 * is walked newest-first; a list is identified by its head, a long kept by its owner:
 * {@code blockIndex << 8 | entriesInHeadBlock}, with 0 meaning an empty list.
 *
 * <p>Only the head block of a list ever changes, and only past its current entry count, so everything a
 * head refers to is immutable. That is why a snapshot can keep the heads and a length instead of a copy.
 */
public final class BlockLists implements AutoCloseable {
    private static final int COUNT_BITS = 8;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final PagedMemory memory;
    private final int blockShift;
    private final int entryBytes;
    private final int entriesPerBlock;
    private long nextBlock = 1;

    /**
     * @param blockLongs longs per block, a power of two (the first holds the link)
     * @param entryLongs longs per entry
     */
    public BlockLists(PagedMemory memory, int blockLongs, int entryLongs) {
        if (Integer.bitCount(blockLongs) != 1 || entryLongs < 1 || entryLongs >= blockLongs) {
            throw new IllegalArgumentException("blockLongs must be a power of two above entryLongs");
        }
        this.memory = memory;
        this.blockShift = Integer.numberOfTrailingZeros(blockLongs * Long.BYTES);
        this.entryBytes = entryLongs * Long.BYTES;
        this.entriesPerBlock = Math.min((blockLongs - 1) / entryLongs, (int) COUNT_MASK);
    }

    /**
     * Reserves room for one more entry at the end of the list with this head and returns the new head.
     * Write the entry at {@link #newestEntry(long)} of the returned head.
     */
    public long append(long head) {
        if (head != 0 && count(head) < entriesPerBlock) {
            return head + 1;
        }
        long block = nextBlock++;
        long address = block << blockShift;
        memory.ensureCapacity(address + (1L << blockShift));
        memory.putLong(address, head == 0 ? 0 : block(head));
        if ((address & 4095) < (1L << blockShift)) {
            // The first block of an OS page: blocks are taken in sequence, so the pages ahead are next.
            memory.writingSequentiallyAt(address);
        }
        return (block << COUNT_BITS) | 1;
    }

    /** The address of the newest entry of the list with this head. */
    public long newestEntry(long head) {
        return entryAddress(block(head), count(head) - 1);
    }

    public long entryAddress(long block, int entryIndex) {
        return (block << blockShift) + Long.BYTES + (long) entryIndex * entryBytes;
    }

    public static long block(long head) {
        return head >>> COUNT_BITS;
    }

    public static int count(long head) {
        return (int) (head & COUNT_MASK);
    }

    /** The block before {@code block} in its list, 0 if none. */
    public long previousBlock(long block) {
        return memory.getLong(block << blockShift);
    }

    public int entriesPerBlock() {
        return entriesPerBlock;
    }

    public long getLong(long address) {
        return memory.getLong(address);
    }

    public void putLong(long address, long value) {
        memory.putLong(address, value);
    }

    /** Blocks allocated so far, plus one: the mark that {@link #truncate} returns to. */
    public long nextBlock() {
        return nextBlock;
    }

    /** Declares the blocks below {@code restoredNextBlock} valid and cuts the rest (recovery). */
    public void restore(long restoredNextBlock) {
        memory.truncate(restoredNextBlock << blockShift);
        memory.ensureCapacity(restoredNextBlock << blockShift);
        nextBlock = restoredNextBlock;
    }

    /** Forgets blocks allocated from {@code mark} on (rollback); their owners' heads are restored separately. */
    public void truncate(long mark) {
        assert mark >= 1 && mark <= nextBlock;
        nextBlock = mark;
    }

    public long usedBytes() {
        return nextBlock << blockShift;
    }

    public PagedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
