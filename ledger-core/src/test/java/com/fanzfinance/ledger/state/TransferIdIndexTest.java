package com.fanzfinance.ledger.state;

import static com.fanzfinance.ledger.state.TransferIdIndex.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.testing.Smaps;

/** Insertion, lookup, removal, growth and clustering behaviour of the {@link TransferIdIndex}. */
class TransferIdIndexTest {
    private static final long SMALL_EXPECTED = 16;

    private final TransferStore transfers = new TransferStore(PagedMemory.inMemory(16), Long.MAX_VALUE);
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
    private TransferIdIndex index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, SMALL_EXPECTED);

    @TempDir
    Path directory;

    /** A 128-bit id; {@code reference} is what the index must answer for it. */
    private record Entry(long low, long high, long reference) {
    }

    @AfterEach
    void close() {
        index.close();
        transfers.close();
    }

    @Test
    void sequentialIdsAreFoundWithTheirSequenceWhileTheTableGrows() {
        long initialCapacity = index.capacity();
        List<Entry> entries = new ArrayList<>();
        for (long id = 1; id <= 30_000; id++) {
            entries.add(addTransfer(id, 0));
        }

        assertThat(index.capacity()).isGreaterThanOrEqualTo(initialCapacity * 8);
        assertThat(index.memoryBytes()).as("the table, and the one it grew from while entries move")
            .isEqualTo((index.capacity() + (index.isGrowing() ? index.capacity() / 2 : 0)) * 8);
        assertThat(index.count()).isEqualTo(30_000);
        assertAllFound(entries);
        for (long id = 30_001; id <= 31_000; id++) {
            assertThat(index.find(id, 0)).isEqualTo(NOT_FOUND);
            assertThat(index.find(id - 30_000, 1)).isEqualTo(NOT_FOUND);
        }
        assertThat(index.find(0, 0)).isEqualTo(NOT_FOUND);
    }

    @Test
    void randomIdsAreFoundWithTheirSequenceAndOthersAreNot() {
        Random random = new Random(1);
        List<Entry> entries = new ArrayList<>();
        Set<Entry> ids = new HashSet<>();
        while (entries.size() < 30_000) {
            long low = random.nextLong();
            long high = random.nextLong();
            if (ids.add(new Entry(low, high, 0))) {
                entries.add(addTransfer(low, high));
            }
        }

        assertThat(index.count()).isEqualTo(30_000);
        assertAllFound(entries);
        for (int i = 0; i < 10_000; i++) {
            long low = random.nextLong();
            long high = random.nextLong();
            if (!ids.contains(new Entry(low, high, 0))) {
                assertThat(index.find(low, high)).isEqualTo(NOT_FOUND);
            }
        }
    }

    @Test
    void idsSharingOneHalfAreToldApartByTheOther() {
        List<Entry> entries = new ArrayList<>();
        for (long other = 0; other < 2_000; other++) {
            entries.add(addTransfer(42, other + 1));
            entries.add(addTransfer(other + 1_000, 42));
        }

        assertAllFound(entries);
        assertThat(index.find(42, 2_001)).isEqualTo(NOT_FOUND);
        assertThat(index.find(999, 42)).isEqualTo(NOT_FOUND);
        assertThat(index.find(42, 0)).isEqualTo(NOT_FOUND);
    }

    @Test
    void removingInLifoOrderLeavesTheOlderEntriesAndFreesTheSequencesForReuse() {
        List<Entry> entries = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            entries.add(i % 2 == 0 ? addTransfer(i + 1, 0) : addTransfer(random.nextLong(), random.nextLong()));
        }
        int kept = 12_345;

        for (int i = entries.size() - 1; i >= kept; i--) {
            index.remove(entries.get(i).low(), entries.get(i).high());
        }
        transfers.truncate(kept);

        assertThat(index.count()).isEqualTo(kept);
        assertAllFound(entries.subList(0, kept));
        assertNoneFound(entries.subList(kept, entries.size()));

        List<Entry> replacements = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replacements.add(addTransfer(random.nextLong(), -1));
        }
        assertThat(replacements.get(0).reference()).isEqualTo(kept);
        assertAllFound(replacements);
        assertAllFound(entries.subList(0, kept));
        assertThat(index.count()).isEqualTo(kept + 100);
    }

    @Test
    void removingInArbitraryOrderLeavesEveryOtherEntryFindable() {
        List<Entry> entries = new ArrayList<>();
        Random random = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            switch (i % 3) {
                case 0 -> entries.add(addTransfer(i + 1, 7));
                case 1 -> entries.add(addTransfer(random.nextLong(), random.nextLong()));
                default -> entries.add(addTransfer(random.nextLong(), 0));
            }
        }
        List<Entry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, random);
        List<Entry> removed = shuffled.subList(0, 9_000);
        List<Entry> remaining = shuffled.subList(9_000, shuffled.size());

        for (Entry entry : removed) {
            index.remove(entry.low(), entry.high());
        }

        assertThat(index.count()).isEqualTo(11_000);
        assertAllFound(remaining);
        assertNoneFound(removed);
    }

    @Test
    void removingFromAClusterThatWrapsPastTheTableEndKeepsTheRestFindable() {
        long capacity = index.capacity();
        List<Entry> entries = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            entries.add(addTransfer(id, 0));
        }
        for (long j = 0; j < 10; j++) {
            entries.add(addTransfer(capacity - 3 + j * capacity, 0));
        }
        for (long id = 6; id <= 8; id++) {
            entries.add(addTransfer(id, 0));
        }
        List<Entry> order = new ArrayList<>(entries);
        Collections.shuffle(order, new Random(5));

        for (int i = 0; i < order.size(); i++) {
            index.remove(order.get(i).low(), order.get(i).high());

            assertThat(index.count()).isEqualTo(order.size() - i - 1L);
            assertNoneFound(order.subList(0, i + 1));
            assertAllFound(order.subList(i + 1, order.size()));
        }
    }

    @Test
    void removingAnIdThatIsNotIndexedThrows() {
        addTransfer(1, 1);

        assertThatIllegalStateException().isThrownBy(() -> index.remove(2, 1));
        assertThat(index.count()).isEqualTo(1);
    }

    @Test
    void aMissThatIsFollowedByItsInsertIsPlacedAsAProbeWouldPlaceIt() {
        List<Entry> entries = new ArrayList<>();
        for (long id = 1; id <= 5_000; id++) {
            assertThat(index.find(id * 3, id)).isEqualTo(NOT_FOUND);
            entries.add(addTransfer(id * 3, id));
        }

        assertAllFound(entries);
        assertThat(index.count()).isEqualTo(5_000);
    }

    @Test
    void aMissIsForgottenWhenAnotherIdTakesItsSlotBeforeItsInsert() {
        long capacity = index.capacity();
        // Sequential placement: ids 5 and 5 + capacity share one home slot.
        assertThat(index.find(5, 0)).isEqualTo(NOT_FOUND);
        Entry other = addTransfer(5 + capacity, 0);
        Entry first = addTransfer(5, 0);

        assertThat(index.find(5, 0)).isEqualTo(first.reference());
        assertThat(index.find(5 + capacity, 0)).isEqualTo(other.reference());
    }

    @Test
    void aMissIsForgottenWhenARemovalShiftsAnEntryIntoItsSlot() {
        long capacity = index.capacity();
        Entry head = addTransfer(9, 0);
        Entry shifted = addTransfer(9 + capacity, 0);
        // 9 + 2 * capacity would go after both; removing the head moves the second entry back one slot.
        assertThat(index.find(9 + 2 * capacity, 0)).isEqualTo(NOT_FOUND);
        index.remove(head.low(), head.high());
        Entry last = addTransfer(9 + 2 * capacity, 0);

        assertThat(index.find(shifted.low(), 0)).isEqualTo(shifted.reference());
        assertThat(index.find(last.low(), 0)).isEqualTo(last.reference());
        assertThat(index.find(head.low(), 0)).isEqualTo(NOT_FOUND);
        assertThat(index.count()).isEqualTo(2);
    }

    @Test
    void aMissIsForgottenWhenTheTableGrowsBeforeItsInsert() {
        long initialCapacity = index.capacity();
        long id = 1;
        while (index.capacity() == initialCapacity) {
            assertThat(index.find(id, 42)).isEqualTo(NOT_FOUND);
            addTransfer(id, 42);
            id++;
        }
        for (long each = 1; each < id; each++) {
            assertThat(index.find(each, 42)).isEqualTo(each - 1);
        }
    }

    @Test
    void anIdRemovedAndInsertedAgainIsFoundWithItsNewReference() {
        Entry first = addTransfer(77, 88);
        index.remove(77, 88);

        assertThat(index.find(77, 88)).isEqualTo(NOT_FOUND);
        Entry second = addTransfer(77, 88);

        assertThat(index.find(77, 88)).isEqualTo(second.reference()).isNotEqualTo(first.reference());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void idsThatPileUpInOneSlotSwitchToMixedPlacementAndStayFindable() {
        assertThat(index.isMixed()).isFalse();
        List<Entry> entries = new ArrayList<>();
        for (long k = 1; k <= 20_000; k++) {
            entries.add(addTransfer(k << 40, 0));
        }

        assertThat(index.isMixed()).isTrue();
        assertThat(index.count()).isEqualTo(20_000);
        assertAllFound(entries);
        for (long k = 20_001; k <= 21_000; k++) {
            assertThat(index.find(k << 40, 0)).isEqualTo(NOT_FOUND);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void mixedPlacementSupportsRemovalAndFurtherGrowth() {
        List<Entry> entries = new ArrayList<>();
        for (long k = 1; k <= 10_000; k++) {
            entries.add(addTransfer(k << 40, 0));
        }
        assertThat(index.isMixed()).isTrue();
        List<Entry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(6));
        for (Entry entry : shuffled.subList(0, 5_000)) {
            index.remove(entry.low(), entry.high());
        }
        List<Entry> more = new ArrayList<>();
        for (long id = 1; id <= 20_000; id++) {
            more.add(addTransfer(id, 3));
        }

        assertThat(index.count()).isEqualTo(25_000);
        assertNoneFound(shuffled.subList(0, 5_000));
        assertAllFound(shuffled.subList(5_000, shuffled.size()));
        assertAllFound(more);
    }

    @Test
    void whileTheTableGrowsIdsInTheOldTableMovedOrNotAndInTheNewOneAreAllFound() {
        Random random = new Random(11);
        List<Entry> before = new ArrayList<>();
        long initialCapacity = index.capacity();
        while (index.capacity() == initialCapacity) {
            before.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        assertThat(index.isGrowing()).as("the doubling insert starts the move; it does not finish it").isTrue();
        List<Entry> during = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            during.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        assertThat(index.isGrowing()).as("4,096 slots move over 256 inserts").isTrue();
        assertThat(index.memoryBytes()).isEqualTo((index.capacity() + initialCapacity) * 8);
        assertAllFound(before);
        assertAllFound(during);
        assertThat(index.find(random.nextLong(), random.nextLong())).isEqualTo(NOT_FOUND);

        List<Entry> after = new ArrayList<>();
        while (index.isGrowing()) {
            after.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        // The old table held every id before the doubling insert's own (which went into the new table).
        int oldEntries = before.size() - 1;
        assertThat(after.size() + during.size() + 1).as("inserts the move took: a sixteenth of the old table's entries")
            .isBetween(oldEntries / 16 - 4, oldEntries / 16 + 4);
        assertThat(index.memoryBytes()).isEqualTo(index.capacity() * 8);
        assertAllFound(before);
        assertAllFound(during);
        assertAllFound(after);
    }

    @Test
    void idsRemovedWhileTheTableGrowsStayGoneWhereverTheyWereAndCanComeBack() {
        List<Entry> before = new ArrayList<>();
        long initialCapacity = index.capacity();
        for (long id = 1; index.capacity() == initialCapacity; id++) {
            before.add(addTransfer(id * 0x9E3779B97F4A7C15L, id));
        }
        for (int i = 0; i < 100; i++) {
            addTransfer(-1 - i, 5); // moves some of the old table's entries (4,096 slots move over 256 inserts)
        }
        assertThat(index.isGrowing()).isTrue();
        long count = index.count();
        // Newest first, as a rollback does: the 100 from the new table, then old-table entries that moved or not.
        List<Entry> removed = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            index.remove(-1 - i, 5);
        }
        for (int i = before.size() - 1; i >= before.size() - 1_000; i--) {
            removed.add(before.get(i));
            index.remove(before.get(i).low(), before.get(i).high());
        }
        transfers.truncate(before.size() - 1_000);
        assertThat(index.count()).isEqualTo(count - 1_100);
        List<Entry> kept = before.subList(0, before.size() - 1_000);
        assertAllFound(kept);
        assertNoneFound(removed);
        assertThatIllegalStateException().isThrownBy(() -> index.remove(removed.get(0).low(), removed.get(0).high()));

        List<Entry> back = new ArrayList<>();
        for (Entry entry : removed.subList(0, 500)) {
            back.add(addTransfer(entry.low(), entry.high()));
        }
        List<Entry> more = new ArrayList<>();
        for (long id = 1; index.isGrowing(); id++) {
            more.add(addTransfer(id, 77));
        }
        assertAllFound(kept);
        assertAllFound(back);
        assertAllFound(more);
        assertNoneFound(removed.subList(500, removed.size()));
        assertThat(index.count()).isEqualTo(kept.size() + back.size() + more.size());
    }

    @Test
    void insertsAndRollbacksAcrossManyDoublingsAgreeWithAMap() {
        Random random = new Random(12);
        List<Entry> live = new ArrayList<>();
        java.util.Map<Entry, Long> model = new java.util.HashMap<>();
        for (int round = 0; round < 400; round++) {
            int inserts = 1 + random.nextInt(600);
            for (int i = 0; i < inserts; i++) {
                long low = random.nextInt(4) == 0 ? live.size() + 1L : random.nextLong();
                long high = random.nextInt(4) == 0 ? 0 : random.nextLong();
                Entry key = new Entry(low, high, 0);
                if (model.containsKey(key)) {
                    assertThat(index.find(low, high)).isEqualTo(model.get(key));
                    continue;
                }
                // As the engine does: a find that misses, then the insert (which may use where the find ended).
                assertThat(index.find(low, high)).isEqualTo(NOT_FOUND);
                Entry entry = addTransfer(low, high);
                live.add(entry);
                model.put(key, entry.reference());
            }
            int rolledBack = random.nextInt(3) == 0 ? random.nextInt(Math.min(live.size(), 400) + 1) : 0;
            for (int i = 0; i < rolledBack; i++) {
                Entry newest = live.remove(live.size() - 1);
                index.remove(newest.low(), newest.high());
                model.remove(new Entry(newest.low(), newest.high(), 0));
            }
            transfers.truncate(live.size());
            if (round % 40 == 0) {
                assertAllFound(live);
            }
        }
        assertHoldsExactly(live, model, random);
    }

    /** The index holds the live entries and nothing else: their count, each found, random other ids not found. */
    private void assertHoldsExactly(List<Entry> live, java.util.Map<Entry, Long> model, Random random) {
        assertThat(index.count()).isEqualTo(live.size()).isEqualTo(model.size());
        assertAllFound(live);
        for (int i = 0; i < 20_000; i++) {
            Entry absent = new Entry(random.nextLong(), random.nextLong(), 0);
            if (!model.containsKey(absent)) {
                assertThat(index.find(absent.low(), absent.high())).isEqualTo(NOT_FOUND);
            }
        }
    }

    @Test
    void aLongRunInTheOldTableCountsTowardsTheSwitchToMixedPlacement() {
        index.close();
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, 1 << 13); // 2^14 slots: a run of 11,468
        long capacity = index.capacity();
        List<Entry> entries = new ArrayList<>();
        for (long id = 0; index.capacity() == capacity; id++) {
            entries.add(addTransfer(id, 0)); // one run of occupied slots from slot 0, ending with the doubling insert
        }
        assertThat(index.isGrowing()).isTrue();
        // Free at its place in the new table (slot `capacity`), but at slot 0 of the old one: behind the whole run.
        assertThat(index.find(capacity, 0)).isEqualTo(NOT_FOUND);
        entries.add(addTransfer(capacity, 0));

        // The switch waits for the doubling's move to end (a few entries per insert), then moves the entries into
        // the mixed table the same way: nothing moves at once.
        assertThat(index.isMixed()).as("%d old slots probed for one id: switching once the move ends",
            entries.size() - 1).isFalse();
        assertThat(index.isGrowing()).isTrue();
        long id = 1;
        while (!index.isMixed()) {
            assertThat(index.isGrowing()).as("still moving, or moving into the mixed table").isTrue();
            entries.add(addTransfer(id++, 5));
        }
        assertThat(index.isGrowing()).as("moving into the mixed table").isTrue();
        assertAllFound(entries);
        while (index.isGrowing()) {
            entries.add(addTransfer(id++, 5));
        }
        assertAllFound(entries);
    }

    @Test
    void idsThatPileUpWhileTheTableGrowsSwitchToMixedPlacementAndStayFindable() {
        index.close();
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, 1 << 16); // 2^17 slots: a move of 8,192 inserts
        long capacity = index.capacity();
        Random random = new Random(13);
        List<Entry> entries = new ArrayList<>();
        while (index.capacity() == capacity) {
            entries.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        // Piled up while the doubling's entries move: the switch starts when that move ends, and the index keeps
        // moving (into the mixed table) from there, a few entries per insert.
        for (long k = 1; k <= 20_000 && !index.isMixed(); k++) {
            assertThat(index.isGrowing()).as("still moving at pile-up %d", k).isTrue();
            entries.add(addTransfer(k << 40, 0)); // all at one place in the locality-preserving placement
        }

        assertThat(index.isMixed()).isTrue();
        assertThat(index.isGrowing()).as("moving into the mixed table").isTrue();
        assertAllFound(entries);
        for (int i = 0; i < 1_000; i++) {
            entries.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        assertAllFound(entries);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sequentialIdsAfterRandomOnesSwitchToMixedPlacementAFewEntriesAtATimeAndAgreeWithAMap() {
        index.close();
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, 1 << 20); // 2^21 slots, never doubled here
        long capacity = index.capacity();
        Random random = new Random(14);
        List<Entry> live = new ArrayList<>();
        java.util.Map<Entry, Long> model = new java.util.HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            Entry entry = addTransfer(random.nextLong(), random.nextLong());
            live.add(entry);
            model.put(new Entry(entry.low(), entry.high(), 0), entry.reference());
        }
        // Sequential ids from 1 form one run; every random id inside it pushes the later ones a slot further, until
        // a probe passes the limit (about 4,096 random ids in the run: at 1.9% of the slots taken, ~215,000 ids).
        long next = 1;
        while (!index.isMixed()) {
            Entry entry = addTransfer(next++, 0);
            live.add(entry);
            model.put(new Entry(entry.low(), entry.high(), 0), entry.reference());
        }
        assertThat(index.capacity()).as("under 35% full: the same size").isEqualTo(capacity);
        assertThat(index.isGrowing()).as("the entries move a few at a time, not at once").isTrue();
        assertThat(index.memoryBytes()).isEqualTo(2 * capacity * Long.BYTES);

        // While they move: lookups of moved and unmoved entries, misses, inserts and rollbacks, as the engine does.
        int rounds = 0;
        while (index.isGrowing()) {
            rounds++;
            for (int i = 0; i < 500; i++) {
                boolean sequential = random.nextBoolean();
                long low = sequential ? next++ : random.nextLong();
                long high = sequential ? 0 : random.nextLong();
                assertThat(index.find(low, high)).isEqualTo(NOT_FOUND);
                Entry entry = addTransfer(low, high);
                live.add(entry);
                model.put(new Entry(low, high, 0), entry.reference());
            }
            int rolledBack = random.nextInt(3) == 0 ? random.nextInt(200) : 0;
            for (int i = 0; i < rolledBack; i++) {
                Entry newest = live.remove(live.size() - 1);
                index.remove(newest.low(), newest.high());
                model.remove(new Entry(newest.low(), newest.high(), 0));
            }
            transfers.truncate(live.size());
            for (int i = 0; i < 200; i++) {
                Entry probe = live.get(random.nextInt(live.size()));
                assertThat(index.find(probe.low(), probe.high())).isEqualTo(probe.reference());
            }
        }
        // A sixteenth of the ~255,000 entries in inserts, not of the 2^21 slots (262 rounds): the move looks through
        // empty slots without charging them.
        assertThat(rounds).as("rounds of 500 inserts the move took").isBetween(21, 99);
        assertHoldsExactly(live, model, random);
        assertThat(index.find(next + 1, 0)).isEqualTo(NOT_FOUND);
    }

    @Test
    void aMappedIndexClosedWhileItGrowsLeavesOnlyItsNewestTableFile() throws IOException {
        index.close();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, SMALL_EXPECTED);
        long capacity = index.capacity();
        for (long id = 1; index.capacity() == capacity; id++) {
            addTransfer(id * 7, 1);
        }
        assertThat(index.isGrowing()).isTrue();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.count()).as("the table being moved out of, and the new one").isEqualTo(2);
        }

        index.close();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .singleElement().asString().startsWith("transfer-id-index-").endsWith(".store");
        }
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, SMALL_EXPECTED); // for close() after the test
    }

    @Test
    void sequentialIdsDoNotSwitchToMixedPlacement() {
        List<Entry> entries = new ArrayList<>();
        for (long id = 1; id <= 100_000; id++) {
            entries.add(addTransfer(id, 0));
        }

        assertThat(index.isMixed()).isFalse();
        assertAllFound(entries);
    }

    @Test
    void mappedIndexKeepsOnlyTheNewestTableFileAfterGrowing() throws IOException {
        index.close();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, SMALL_EXPECTED);
        List<Entry> entries = new ArrayList<>();
        for (long id = 1; id <= 10_000; id++) {
            entries.add(addTransfer(id * 3, 9));
        }

        assertAllFound(entries);
        index.awaitReleased();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .singleElement().asString().startsWith("transfer-id-index-").endsWith(".store");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theTableMovedOutOfIsReleasedOnTheReleasersThreadAndCloseWaitsForIt() throws Exception {
        index.close();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, SMALL_EXPECTED);
        List<Entry> entries = new ArrayList<>();
        long capacity = index.capacity();
        long id = 1;
        while (index.capacity() == capacity) {
            entries.add(addTransfer(id++ * 5, 2));
        }
        // The releaser's thread held busy: the move's end must hand the old table over, not release it itself.
        CountDownLatch hold = new CountDownLatch(1);
        CompletableFuture<Void> busy = StoreReleaser.runOnReleaserThread(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Void> closing;
        try {
            while (index.isGrowing()) {
                entries.add(addTransfer(id++ * 5, 2));
            }
            assertAllFound(entries);
            try (Stream<Path> files = Files.list(directory)) {
                assertThat(files.count()).as("the old table's file, not deleted yet, and the new one").isEqualTo(2);
            }
            assertThat(index.memoryBytes()).as("the old table no longer counted").isEqualTo(index.capacity() * 8);

            closing = CompletableFuture.runAsync(index::close);
            Thread.sleep(200);
            assertThat(closing).as("close() waits for the release").isNotDone();
        } finally {
            hold.countDown(); // whatever happens: the releaser's thread is the process's
        }
        closing.get(30, TimeUnit.SECONDS);
        busy.get(30, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .singleElement().asString().startsWith("transfer-id-index-").endsWith(".store");
        }
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, SMALL_EXPECTED); // for close() after the test
    }

    @Test
    void aMappedTableIsFaultedInWhenAllocatedAndNoMoreOfItsFileThanTheTable() throws Exception {
        index.close();
        long before = Prefaulter.shared().pagesRequested();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, 100_000);
        assertThat(Prefaulter.shared().awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        // Known only once its thread has started (the first request): a kernel before 5.14 switches it off.
        org.junit.jupiter.api.Assumptions.assumeTrue(Prefaulter.shared().enabled(), "prefaulting works here (Linux 5.14+)");
        long tablePages = index.memoryBytes() / org.agrona.UnsafeApi.pageSize();
        assertThat(index.memoryBytes()).isEqualTo(1 << 20);
        assertThat(Prefaulter.shared().pagesRequested() - before).as("the 1 MiB table of a 128 MiB mapping")
            .isGreaterThanOrEqualTo(tablePages).isLessThan(tablePages * 4);
        List<Entry> entries = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            entries.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        assertAllFound(entries);
    }

    @Test
    void aTableInMixedPlacementIsFaultedInForWritingAndOneInOrderForReading() throws Exception {
        index.close();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, 100_000);
        assertThat(index.prefaultMode()).as("the first table").isEqualTo(Prefaulter.Mode.READ);
        List<Entry> entries = new ArrayList<>();
        for (long k = 1; !index.isMixed(); k++) {
            entries.add(addTransfer(k << 40, 0)); // all at slot 0: the run passes the probe limit
        }
        // The switching insert has allocated the mixed table (4,097 entries in 131,072 slots) and moved nothing yet.
        assertThat(index.prefaultMode()).as("the mixed table").isEqualTo(Prefaulter.Mode.WRITE);
        assertThat(Prefaulter.shared().awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        if (Prefaulter.shared().enabled()) { // Linux 5.14+: the pages really are faulted in for writing
            assertThat(Smaps.dirtyKbOfMappings(directory.resolve("transfer-id-index-1.store").toString()))
                .as("the mixed table, every page ready to write").isGreaterThanOrEqualTo(index.capacity() * 8 / 1024);
        }
        assertAllFound(entries);

        // Few entries in a large table: most of its pages would never be written.
        index.close();
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory.resolve("large")), transfers, 1 << 20);
        for (long k = 1; !index.isMixed(); k++) {
            addTransfer(k << 40, 0);
        }
        assertThat(index.prefaultMode()).as("4,097 entries in 2^21 slots").isEqualTo(Prefaulter.Mode.READ);
    }

    @Test
    void aDoublingOfRandomIdsIsFaultedInForWritingAndOneOfIdsInOrderForReading() {
        Random random = new Random(8);
        // Sequential ids of one client, of three clients' counters interleaved, and random ids.
        for (String ids : List.of("sequential", "interleaved", "random")) {
            index.close();
            index = new TransferIdIndex(MemoryFactory.mappedUnder(directory.resolve(ids)), transfers, 100_000);
            long capacity = index.capacity();
            List<Entry> entries = new ArrayList<>();
            for (long n = 0; index.capacity() == capacity; n++) {
                entries.add(switch (ids) {
                    case "sequential" -> addTransfer(n + 1, 0);
                    case "interleaved" -> addTransfer(1_000_000L * (n % 3) + n / 3, 0);
                    default -> addTransfer(random.nextLong(), random.nextLong());
                });
            }
            assertThat(index.prefaultMode()).as("the doubled table of %s ids", ids)
                .isEqualTo(ids.equals("random") ? Prefaulter.Mode.WRITE : Prefaulter.Mode.READ);
            assertThat(index.isMixed()).isFalse();
            assertAllFound(entries);
        }
        index.close();
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, 100_000);
        assertThat(index.prefaultMode()).as("heap memory is not faulted in").isNull();
    }

    @Test
    void aRebuildOfRandomIdsTakesATableFaultedInForWritingAndOneOfIdsInOrderKeepsTheTableItStartedWith()
        throws IOException {
        Random random = new Random(21);
        for (String ids : List.of("sequential", "interleaved", "random")) {
            index.close();
            transfers.truncate(0);
            Path under = directory.resolve(ids);
            List<Entry> entries = new ArrayList<>();
            for (long n = 0; n < 40_000; n++) {
                long low = switch (ids) {
                    case "sequential" -> n + 1;
                    case "interleaved" -> 1_000_000L * (n % 3) + n / 3;
                    default -> random.nextLong();
                };
                long high = ids.equals("random") ? random.nextLong() : 0;
                record.putLong(TransferLayout.ID, low);
                record.putLong(TransferLayout.ID + 8, high);
                entries.add(new Entry(low, high, transfers.append(record, 0)));
            }
            // As at a start: a fresh index sized for what is expected, rebuilt from the store.
            index = new TransferIdIndex(MemoryFactory.mappedUnder(under), transfers, 65_536);
            long capacity = index.capacity();

            index.rebuild(7_000); // random ids are sorted by region 7,000 at a time: six chunks

            assertThat(index.count()).isEqualTo(entries.size());
            assertThat(index.capacity()).isEqualTo(capacity);
            assertAllFound(entries);
            assertThat(index.find(-5, -5)).isEqualTo(NOT_FOUND);
            index.awaitReleased();
            try (Stream<Path> files = Files.list(under)) {
                List<String> names = files.map(path -> path.getFileName().toString()).toList();
                if (ids.equals("random")) {
                    assertThat(index.prefaultMode()).as("the rebuilt table of random ids")
                        .isEqualTo(Prefaulter.Mode.WRITE);
                    assertThat(names).as("a new table; the first one released")
                        .containsExactly("transfer-id-index-1.store");
                } else {
                    assertThat(index.prefaultMode()).as("the table of %s ids", ids).isEqualTo(Prefaulter.Mode.READ);
                    assertThat(names).as("the first table kept").containsExactly("transfer-id-index-0.store");
                }
            }
        }
    }

    @Test
    void aRebuildOfANonEmptyIndexAndOfIdsThatSwitchToMixedPlacementFindsEveryId() {
        index.close();
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, 1 << 16);
        Random random = new Random(22);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            entries.add(addTransfer(random.nextLong(), random.nextLong()));
        }
        // Ids that pile up at one slot: the rebuild passes the probe limit too, and switches while it rebuilds.
        for (long k = 1; !index.isMixed(); k++) {
            entries.add(addTransfer(k << 40, 0));
        }
        long count = index.count();

        index.rebuild();

        assertThat(index.count()).isEqualTo(count);
        // Sorted by region, the piled-up ids pass the probe limit; the rebuild starts again one by one and switches.
        assertThat(index.isMixed()).as("switched again while rebuilding").isTrue();
        assertAllFound(entries);
        assertThat(index.find(-5, -5)).isEqualTo(NOT_FOUND);
    }

    private Entry addTransfer(long low, long high) {
        record.putLong(TransferLayout.ID, low);
        record.putLong(TransferLayout.ID + 8, high);
        long sequence = transfers.append(record, 0);
        index.insertTransfer(sequence, low, high);
        return new Entry(low, high, sequence);
    }

    private void assertAllFound(List<Entry> entries) {
        for (Entry entry : entries) {
            assertThat(index.find(entry.low(), entry.high())).as("reference of %s", entry).isEqualTo(entry.reference());
        }
    }

    private void assertNoneFound(List<Entry> entries) {
        for (Entry entry : entries) {
            assertThat(index.find(entry.low(), entry.high())).as("reference of %s", entry).isEqualTo(NOT_FOUND);
        }
    }
}
