package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Appending to, walking and rolling back the block-chained lists of {@link BlockLists}. */
class BlockListsTest {
    private static final int BLOCK_LONGS = 16;
    private static final int ENTRY_LONGS = 2;
    private static final int LISTS = 7;

    private final BlockLists lists = new BlockLists(PagedMemory.inMemory(12), BLOCK_LONGS, ENTRY_LONGS);

    @AfterEach
    void close() {
        lists.close();
    }

    @Test
    void entriesPerBlockIsWhatFitsAfterTheLink() {
        assertThat(lists.entriesPerBlock()).isEqualTo(7);
        try (BlockLists single = new BlockLists(PagedMemory.inMemory(12), 16, 1);
             BlockLists history = new BlockLists(PagedMemory.inMemory(12), 32, 5)) {
            assertThat(single.entriesPerBlock()).isEqualTo(15);
            assertThat(history.entriesPerBlock()).isEqualTo(6);
        }
    }

    @Test
    void entriesPerBlockIsCappedAtWhatTheHeadsCountBitsHold() {
        try (BlockLists wide = new BlockLists(PagedMemory.inMemory(16), 512, 1)) {
            assertThat(wide.entriesPerBlock()).isEqualTo(255);
            long head = 0;
            for (long value = 1; value <= 600; value++) {
                head = appendValue(wide, head, value, 1);
            }

            assertThat(walk(wide, head, 1)).containsExactlyElementsOf(reversed(values(1, 600, 1)));
        }
    }

    @Test
    void firstAppendStartsANewBlockWithOneEntryAndNoPredecessor() {
        long head = lists.append(0);

        assertThat(BlockLists.block(head)).isEqualTo(1);
        assertThat(BlockLists.count(head)).isEqualTo(1);
        assertThat(lists.previousBlock(BlockLists.block(head))).isZero();
        assertThat(lists.newestEntry(head)).isEqualTo(lists.entryAddress(1, 0));
        assertThat(lists.nextBlock()).isEqualTo(2);
    }

    @Test
    void appendsFillTheHeadBlockBeforeChainingANewOne() {
        long head = 0;
        for (int i = 0; i < lists.entriesPerBlock(); i++) {
            head = lists.append(head);
        }
        long firstBlock = BlockLists.block(head);
        assertThat(BlockLists.count(head)).isEqualTo(lists.entriesPerBlock());

        head = lists.append(head);

        assertThat(BlockLists.block(head)).isNotEqualTo(firstBlock);
        assertThat(BlockLists.count(head)).isEqualTo(1);
        assertThat(lists.previousBlock(BlockLists.block(head))).isEqualTo(firstBlock);
    }

    @Test
    void entriesLieInsideTheirBlockAfterItsLinkWithoutOverlapping() {
        long first = lists.entryAddress(1, 0);
        long last = lists.entryAddress(1, lists.entriesPerBlock() - 1);

        assertThat(lists.entryAddress(1, 1) - first).isEqualTo(ENTRY_LONGS * Long.BYTES);
        assertThat(last + ENTRY_LONGS * Long.BYTES).isLessThanOrEqualTo(lists.entryAddress(2, 0) - Long.BYTES);
        assertThat(first).isGreaterThan(1L * BLOCK_LONGS * Long.BYTES);
    }

    @Test
    void interleavedListsEachWalkBackExactlyWhatWasAppendedNewestFirst() {
        Random random = new Random(1);
        long[] heads = new long[LISTS];
        List<List<long[]>> appended = emptyLists();
        for (int i = 0; i < 3_000; i++) {
            int list = random.nextInt(LISTS);
            long[] entry = {random.nextLong(), i};
            heads[list] = appendEntry(lists, heads[list], entry);
            appended.get(list).add(entry);
        }

        for (int list = 0; list < LISTS; list++) {
            assertThat(walk(lists, heads[list], ENTRY_LONGS)).as("list %d", list)
                .containsExactlyElementsOf(reversed(appended.get(list)));
        }
    }

    @Test
    void anEmptyListWalksToNothing() {
        lists.append(0);

        assertThat(walk(lists, 0, ENTRY_LONGS)).isEmpty();
    }

    @Test
    void truncateWithRestoredHeadsUndoesTheAppendsAndLaterAppendsReuseTheBlocks() {
        Random random = new Random(2);
        long[] heads = new long[LISTS];
        List<List<long[]>> appended = emptyLists();
        for (int i = 0; i < 500; i++) {
            int list = random.nextInt(LISTS);
            long[] entry = {i, -i};
            heads[list] = appendEntry(lists, heads[list], entry);
            appended.get(list).add(entry);
        }
        long mark = lists.nextBlock();
        long usedAtMark = lists.usedBytes();
        long[] savedHeads = heads.clone();

        for (int i = 0; i < 200; i++) {
            int list = random.nextInt(LISTS);
            heads[list] = appendEntry(lists, heads[list], new long[] {999_999, i});
        }
        assertThat(lists.nextBlock()).isGreaterThan(mark);
        lists.truncate(mark);
        heads = savedHeads.clone();

        assertThat(lists.nextBlock()).isEqualTo(mark);
        assertThat(lists.usedBytes()).isEqualTo(usedAtMark);
        for (int list = 0; list < LISTS; list++) {
            assertThat(walk(lists, heads[list], ENTRY_LONGS)).containsExactlyElementsOf(reversed(appended.get(list)));
        }

        long fresh = 0;
        for (int i = 0; i < lists.entriesPerBlock(); i++) {
            fresh = appendEntry(lists, fresh, new long[] {i, i});
        }
        assertThat(BlockLists.block(fresh)).isEqualTo(mark);
        assertThat(BlockLists.block(lists.append(fresh))).isEqualTo(mark + 1);
    }

    @Test
    void appendsAfterARollbackContinueTheRestoredListsCorrectly() {
        Random random = new Random(3);
        long[] heads = new long[LISTS];
        List<List<long[]>> appended = emptyLists();
        for (int i = 0; i < 300; i++) {
            int list = random.nextInt(LISTS);
            long[] entry = {i, 1};
            heads[list] = appendEntry(lists, heads[list], entry);
            appended.get(list).add(entry);
        }
        long mark = lists.nextBlock();
        long[] savedHeads = heads.clone();
        for (int i = 0; i < 300; i++) {
            int list = random.nextInt(LISTS);
            heads[list] = appendEntry(lists, heads[list], new long[] {-1, -1});
        }
        lists.truncate(mark);
        heads = savedHeads;

        for (int i = 0; i < 300; i++) {
            int list = random.nextInt(LISTS);
            long[] entry = {i, 2};
            heads[list] = appendEntry(lists, heads[list], entry);
            appended.get(list).add(entry);
        }

        for (int list = 0; list < LISTS; list++) {
            assertThat(walk(lists, heads[list], ENTRY_LONGS)).containsExactlyElementsOf(reversed(appended.get(list)));
        }
    }

    @Test
    void usedBytesCountsWholeBlocksIncludingTheUnusedBlockZero() {
        assertThat(lists.usedBytes()).isEqualTo(BLOCK_LONGS * Long.BYTES);

        lists.append(0);
        lists.append(0);

        assertThat(lists.usedBytes()).isEqualTo(3L * BLOCK_LONGS * Long.BYTES);
    }

    @Test
    void constructorRejectsBlockShapesThatCannotHoldAnEntry() {
        PagedMemory memory = PagedMemory.inMemory(12);
        assertThatIllegalArgumentException().isThrownBy(() -> new BlockLists(memory, 12, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new BlockLists(memory, 16, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new BlockLists(memory, 16, 16));
        memory.close();
    }

    /** Every entry of the list with this head, newest first, each as its {@code entryLongs} longs. */
    static List<long[]> walk(BlockLists lists, long head, int entryLongs) {
        List<long[]> entries = new ArrayList<>();
        long block = BlockLists.block(head);
        int count = BlockLists.count(head);
        while (block != 0) {
            for (int index = count - 1; index >= 0; index--) {
                long address = lists.entryAddress(block, index);
                long[] entry = new long[entryLongs];
                for (int i = 0; i < entryLongs; i++) {
                    entry[i] = lists.getLong(address + (long) i * Long.BYTES);
                }
                entries.add(entry);
            }
            block = lists.previousBlock(block);
            count = lists.entriesPerBlock();
        }
        return entries;
    }

    static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static long appendEntry(BlockLists lists, long head, long[] entry) {
        long newHead = lists.append(head);
        long address = lists.newestEntry(newHead);
        for (int i = 0; i < entry.length; i++) {
            lists.putLong(address + (long) i * Long.BYTES, entry[i]);
        }
        return newHead;
    }

    private static long appendValue(BlockLists lists, long head, long value, int entryLongs) {
        long[] entry = new long[entryLongs];
        entry[0] = value;
        return appendEntry(lists, head, entry);
    }

    private static List<long[]> values(long from, long to, int entryLongs) {
        List<long[]> values = new ArrayList<>();
        for (long value = from; value <= to; value++) {
            long[] entry = new long[entryLongs];
            entry[0] = value;
            values.add(entry);
        }
        return values;
    }

    private static List<List<long[]>> emptyLists() {
        List<List<long[]>> lists = new ArrayList<>();
        for (int i = 0; i < LISTS; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }
}
