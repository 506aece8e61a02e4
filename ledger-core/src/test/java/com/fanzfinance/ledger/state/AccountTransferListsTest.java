package com.fanzfinance.ledger.state;

import static com.fanzfinance.ledger.state.BlockListsTest.reversed;
import static com.fanzfinance.ledger.state.BlockListsTest.walk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain and balance-history per-account transfer lists of {@link AccountTransferLists}, including rollback. */
class AccountTransferListsTest {
    private static final int ACCOUNTS = 9;

    private final AccountTransferLists lists = new AccountTransferLists(MemoryFactory.inMemory(), 1024);
    private final BlockLists plain = lists.store(false);
    private final BlockLists history = lists.store(true);

    @AfterEach
    void close() {
        lists.close();
    }

    @Test
    void plainAndHistoryListsAreSeparateStores() {
        assertThat(plain).isNotSameAs(history);
        assertThat(plain.entriesPerBlock()).isEqualTo(15);
        assertThat(history.entriesPerBlock()).isEqualTo(6);

        lists.appendTransfer(0, 1);

        assertThat(lists.plainMark()).isEqualTo(2);
        assertThat(lists.historyMark()).isEqualTo(1);
    }

    @Test
    void interleavedPlainListsWalkBackTheirSequencesNewestFirst() {
        Random random = new Random(1);
        long[] heads = new long[ACCOUNTS];
        List<List<long[]>> appended = emptyLists();
        for (long sequence = 0; sequence < 2_000; sequence++) {
            int account = random.nextInt(ACCOUNTS);
            heads[account] = lists.appendTransfer(heads[account], sequence);
            appended.get(account).add(new long[] {sequence});
        }

        for (int account = 0; account < ACCOUNTS; account++) {
            assertThat(walk(plain, heads[account], 1)).as("account %d", account)
                .containsExactlyElementsOf(reversed(appended.get(account)));
        }
    }

    @Test
    void historyEntriesKeepTheSequenceAndAllFourBalances() {
        Random random = new Random(2);
        long[] heads = new long[ACCOUNTS];
        List<List<long[]>> appended = emptyLists();
        for (long sequence = 0; sequence < 2_000; sequence++) {
            int account = random.nextInt(ACCOUNTS);
            long[] entry = {sequence, random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
            heads[account] = lists.appendWithBalances(heads[account], entry[0], entry[1], entry[2], entry[3], entry[4]);
            appended.get(account).add(entry);
        }

        for (int account = 0; account < ACCOUNTS; account++) {
            assertThat(walk(history, heads[account], AccountTransferLists.HISTORY_ENTRY_LONGS)).as("account %d", account)
                .containsExactlyElementsOf(reversed(appended.get(account)));
        }
    }

    @Test
    void plainAndHistoryAppendsDoNotDisturbEachOther() {
        long plainHead = 0;
        long historyHead = 0;
        List<long[]> plainAppended = new ArrayList<>();
        List<long[]> historyAppended = new ArrayList<>();
        for (long sequence = 0; sequence < 100; sequence++) {
            if (sequence % 2 == 0) {
                plainHead = lists.appendTransfer(plainHead, sequence);
                plainAppended.add(new long[] {sequence});
            } else {
                historyHead = lists.appendWithBalances(historyHead, sequence, 1, 2, 3, 4);
                historyAppended.add(new long[] {sequence, 1, 2, 3, 4});
            }
        }

        assertThat(walk(plain, plainHead, 1)).containsExactlyElementsOf(reversed(plainAppended));
        assertThat(walk(history, historyHead, 5)).containsExactlyElementsOf(reversed(historyAppended));
    }

    @Test
    void truncateToMarksWithRestoredHeadsBehavesAsIfTheAppendsNeverHappened() {
        Random random = new Random(3);
        long[] plainHeads = new long[ACCOUNTS];
        long[] historyHeads = new long[ACCOUNTS];
        List<List<long[]>> plainAppended = emptyLists();
        List<List<long[]>> historyAppended = emptyLists();
        long sequence = 0;
        for (; sequence < 400; sequence++) {
            appendBoth(random, sequence, plainHeads, historyHeads, plainAppended, historyAppended);
        }
        long plainMark = lists.plainMark();
        long historyMark = lists.historyMark();
        long usedBytes = lists.usedBytes();
        long[] savedPlainHeads = plainHeads.clone();
        long[] savedHistoryHeads = historyHeads.clone();

        for (int i = 0; i < 300; i++) {
            int account = random.nextInt(ACCOUNTS);
            plainHeads[account] = lists.appendTransfer(plainHeads[account], -1);
            historyHeads[account] = lists.appendWithBalances(historyHeads[account], -1, -1, -1, -1, -1);
        }
        assertThat(lists.usedBytes()).isGreaterThan(usedBytes);
        lists.truncate(plainMark, historyMark);
        plainHeads = savedPlainHeads;
        historyHeads = savedHistoryHeads;

        assertThat(lists.plainMark()).isEqualTo(plainMark);
        assertThat(lists.historyMark()).isEqualTo(historyMark);
        assertThat(lists.usedBytes()).isEqualTo(usedBytes);
        for (; sequence < 800; sequence++) {
            appendBoth(random, sequence, plainHeads, historyHeads, plainAppended, historyAppended);
        }
        for (int account = 0; account < ACCOUNTS; account++) {
            assertThat(walk(plain, plainHeads[account], 1)).as("plain list of account %d", account)
                .containsExactlyElementsOf(reversed(plainAppended.get(account)));
            assertThat(walk(history, historyHeads[account], 5)).as("history of account %d", account)
                .containsExactlyElementsOf(reversed(historyAppended.get(account)));
        }
    }

    @Test
    void appendsAfterTruncateReuseTheForgottenBlocks() {
        long head = 0;
        for (long sequence = 0; sequence < 20; sequence++) {
            head = lists.appendTransfer(head, sequence);
        }
        long mark = lists.plainMark();
        long rolledBack = head;
        for (long sequence = 20; sequence < 100; sequence++) {
            rolledBack = lists.appendTransfer(rolledBack, sequence);
        }
        long blocksUsedBeyondMark = lists.plainMark() - mark;

        lists.truncate(mark, lists.historyMark());
        for (long sequence = 20; sequence < 100; sequence++) {
            head = lists.appendTransfer(head, sequence);
        }

        assertThat(blocksUsedBeyondMark).isPositive();
        assertThat(lists.plainMark() - mark).isEqualTo(blocksUsedBeyondMark);
        assertThat(head).isEqualTo(rolledBack);
    }

    private void appendBoth(Random random, long sequence, long[] plainHeads, long[] historyHeads,
                            List<List<long[]>> plainAppended, List<List<long[]>> historyAppended) {
        int account = random.nextInt(ACCOUNTS);
        plainHeads[account] = lists.appendTransfer(plainHeads[account], sequence);
        plainAppended.get(account).add(new long[] {sequence});
        int historyAccount = random.nextInt(ACCOUNTS);
        long[] entry = {sequence, sequence + 1, sequence + 2, sequence + 3, sequence + 4};
        historyHeads[historyAccount] = lists.appendWithBalances(historyHeads[historyAccount], entry[0], entry[1],
            entry[2], entry[3], entry[4]);
        historyAppended.get(historyAccount).add(entry);
    }

    private static List<List<long[]>> emptyLists() {
        List<List<long[]>> lists = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }
}
