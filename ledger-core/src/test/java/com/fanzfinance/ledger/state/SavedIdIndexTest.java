package com.fanzfinance.ledger.state;

import static com.fanzfinance.ledger.state.TransferIdIndex.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The transfer id index saved at a clean shutdown ({@link SavedIdIndex}, {@link TransferIdIndex#saveForRestart}):
 * kept by the next start only if it still indexes exactly the stored transfers, rebuilt otherwise — and either way
 * the index answers as one rebuilt from the store would.
 */
class SavedIdIndexTest {
    private static final long SMALL_EXPECTED = 16;

    private final TransferStore transfers = new TransferStore(PagedMemory.inMemory(16), Long.MAX_VALUE);
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
    private final List<long[]> stored = new ArrayList<>();
    private TransferIdIndex index;

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        if (index != null) {
            index.close();
        }
        transfers.close();
    }

    @Test
    void aTableSavedAtShutdownIsKeptByTheNextStartAndGoesOnGrowing() throws IOException {
        open(null);
        addRandom(30_000, new Random(1)); // doubles several times on the way
        long capacity = index.capacity();
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        index = null;

        SavedIdIndex saved = SavedIdIndex.claim(directory);
        assertThat(saved).isNotNull();
        assertThat(directory.resolve(SavedIdIndex.MARKER)).as("claimed: deleted before anything is written")
            .doesNotExist();
        assertThat(SavedIdIndex.claim(directory)).as("a second start finds nothing to keep").isNull();
        assertThat(saved.transferCount()).isEqualTo(30_000);
        assertThat(saved.count()).isEqualTo(30_000);
        assertThat(saved.capacity()).isEqualTo(capacity);

        open(saved);
        index.rebuild();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.KEPT);
        assertThat(index.savedRejection()).isNull();
        assertThat(index.count()).isEqualTo(30_000);
        assertThat(index.capacity()).isEqualTo(capacity);
        assertAllStoredFound();
        assertAbsentNotFound(new Random(2));

        addRandom(60_000, new Random(3)); // past another doubling of the kept table
        assertThat(index.capacity()).isGreaterThan(capacity);
        assertAllStoredFound();
        index.awaitReleased();
        assertThat(tableFiles()).as("the kept table was moved out of and deleted; one table left").hasSize(1);
    }

    @Test
    void aSavedTableIsNotKeptWhenTheStoreHoldsOtherTransfers() throws IOException {
        open(null);
        addRandom(5_000, new Random(4));
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        // A transfer applied after the final snapshot (or a start that restored an older snapshot): the counts differ.
        append(12345, 678);

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.REBUILT);
        assertThat(index.savedRejection()).isEqualTo("it indexes 5000 transfers, the stores hold 5001");
        assertAllStoredFound();
        index.awaitReleased();
        assertThat(tableFiles()).as("the saved table's file deleted").hasSize(1);
    }

    @Test
    void aSavedTableWithAChangedByteIsRebuilt() throws IOException {
        open(null);
        addRandom(5_000, new Random(5));
        assertThat(index.saveForRestart(directory)).isNull();
        index.awaitReleased();
        Path table = tableFiles().get(0);
        index.close();
        try (FileChannel file = FileChannel.open(table, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer word = ByteBuffer.allocate(8);
            long at = 0;
            while (true) { // the first taken slot: its reference made to point elsewhere
                word.clear();
                file.read(word, at);
                if (word.getLong(0) != 0) {
                    break;
                }
                at += 8;
            }
            word.putLong(0, word.getLong(0) ^ 1).clear();
            file.write(word, at);
        }

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.REBUILT);
        assertThat(index.savedRejection()).isEqualTo("its checksum does not hold");
        assertAllStoredFound();
    }

    @Test
    void aTableThatDoesNotIndexTheStoreAsItsMarkerSaysIsRebuilt() throws IOException {
        open(null);
        addRandom(5_000, new Random(6));
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        SavedIdIndex saved = SavedIdIndex.claim(directory);
        // The same bytes read in another placement: the checksum holds, the entries' probes do not.
        new SavedIdIndex(saved.generation(), saved.transferCount(), saved.capacity(), saved.count(), 0x5A17L,
            saved.checksum(), saved.lastIdLow(), saved.lastIdHigh()).write(directory);

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.REBUILT);
        assertThat(index.savedRejection()).contains("out of its transfer's probe");
        assertThat(index.isMixed()).as("the rebuilt table's own placement").isFalse();
        assertAllStoredFound();
        assertAbsentNotFound(new Random(7));
    }

    @Test
    void aTableSavedForAnotherStoreOfTheSameCountIsRebuilt() throws IOException {
        open(null);
        addRandom(5_000, new Random(8));
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        SavedIdIndex saved = SavedIdIndex.claim(directory);
        new SavedIdIndex(saved.generation(), saved.transferCount(), saved.capacity(), saved.count(), saved.salt(),
            saved.checksum(), saved.lastIdLow() + 1, saved.lastIdHigh()).write(directory);

        reopen();
        assertThat(index.savedRejection()).isEqualTo("the last stored transfer is not the one it indexed");
        assertAllStoredFound();
    }

    @Test
    void aDamagedOrMissingMarkerMeansARebuild() throws IOException {
        Files.write(directory.resolve(SavedIdIndex.MARKER), new byte[] {1, 2, 3});
        assertThat(SavedIdIndex.claim(directory)).isNull();
        assertThat(directory.resolve(SavedIdIndex.MARKER)).as("deleted all the same").doesNotExist();

        open(null);
        addRandom(1_000, new Random(9));
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        byte[] marker = Files.readAllBytes(directory.resolve(SavedIdIndex.MARKER));
        for (int i = 0; i < marker.length; i++) {
            byte[] flipped = marker.clone();
            flipped[i] ^= 0x10;
            assertThat(SavedIdIndex.parse(flipped)).as("byte %d changed", i).isNull();
        }
        assertThat(SavedIdIndex.parse(marker)).isNotNull();
        Files.delete(tableFiles().get(0));

        reopen();
        assertThat(index.savedRejection()).isEqualTo("its file is missing or short");
        assertAllStoredFound();
    }

    @Test
    void aSaveDuringAMoveFinishesItFirstAndTheKeptTableHoldsEveryId() throws IOException {
        open(null);
        Random random = new Random(11);
        long capacity = index.capacity();
        while (index.capacity() == capacity) {
            addRandom(1, random);
        }
        assertThat(index.isGrowing()).isTrue();
        assertThat(index.saveForRestart(directory)).isNull();
        assertThat(index.isGrowing()).as("the move finished by the save").isFalse();
        index.close();

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.KEPT);
        assertAllStoredFound();
    }

    @Test
    void aTableInMixedPlacementIsKeptWithItsSaltAndSavedAgainByTheNextCleanStop() throws IOException {
        open(null);
        for (long k = 1; k <= 20_000; k++) { // ids that pile up in one slot: the table switches to mixed placement
            index.insertTransfer(append(k << 40, 0), k << 40, 0);
        }
        assertThat(index.isMixed()).isTrue();
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.KEPT);
        assertThat(index.isMixed()).isTrue();
        assertAllStoredFound();
        addRandom(3_000, new Random(12));
        assertThat(index.saveForRestart(directory)).as("the kept table saved again").isNull();
        index.close();

        reopen();
        assertThat(index.restoration()).isEqualTo(TransferIdIndex.Restoration.KEPT);
        assertAllStoredFound();
        assertAbsentNotFound(new Random(13));
        index.awaitReleased();
        assertThat(tableFiles()).hasSize(1);
    }

    @Test
    void aTableWithoutExactlyOneTakenSlotPerTransferIsNotSaved() throws IOException {
        List<PagedMemory> tables = new ArrayList<>();
        MemoryFactory mapped = MemoryFactory.mappedUnder(directory);
        index = new TransferIdIndex((name, bytes) -> {
            PagedMemory memory = mapped.create(name, bytes);
            tables.add(memory);
            return memory;
        }, transfers, SMALL_EXPECTED, null);
        addRandom(5_000, new Random(14));
        PagedMemory table = tables.get(tables.size() - 1);
        long free = 0;
        while (table.getLong(free) != 0) {
            free += 8;
        }
        table.putLong(free, 1L << 40 | 1); // an entry no insert made

        assertThat(index.saveForRestart(directory)).isEqualTo("it holds 5000 entries in 5001 slots for 5000 transfers");
        assertThat(directory.resolve(SavedIdIndex.MARKER)).doesNotExist();
    }

    @Test
    void aMarkerWhoseEntriesAreNotTheTransfersOrATableBelowTheConfiguredSizeMeansARebuild() throws IOException {
        open(null);
        addRandom(2_000, new Random(15));
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();
        SavedIdIndex saved = SavedIdIndex.claim(directory);
        new SavedIdIndex(saved.generation(), saved.transferCount(), saved.capacity(), saved.count() - 1, saved.salt(),
            saved.checksum(), saved.lastIdLow(), saved.lastIdHigh()).write(directory);
        reopen();
        assertThat(index.savedRejection()).isEqualTo("it holds 1999 entries for 2000 transfers");
        assertThat(index.saveForRestart(directory)).isNull();
        index.close();

        // Started with a larger expected size than the table saved: a rebuild makes the larger table asked for.
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, 1 << 16, SavedIdIndex.claim(directory));
        index.rebuild();
        assertThat(index.savedRejection()).startsWith("its size (").endsWith("slots) is outside 131072 .. 2^40");
        assertThat(index.capacity()).isEqualTo(1 << 17);
        assertAllStoredFound();
    }

    @Test
    void heapTablesAreNotSaved() {
        index = new TransferIdIndex(MemoryFactory.inMemory(), transfers, SMALL_EXPECTED);
        addRandom(100, new Random(10));
        assertThat(index.saveForRestart(directory)).isEqualTo("the index is in process memory");
        assertThat(directory.resolve(SavedIdIndex.MARKER)).doesNotExist();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A start after the stop: the marker claimed, the index opened with it and restored. */
    private void reopen() {
        open(SavedIdIndex.claim(directory));
        index.rebuild();
    }

    private void open(SavedIdIndex saved) {
        index = new TransferIdIndex(MemoryFactory.mappedUnder(directory), transfers, SMALL_EXPECTED, saved);
    }

    private void addRandom(int count, Random random) {
        for (int i = 0; i < count; i++) {
            long low = random.nextLong();
            long high = random.nextLong();
            if (index.find(low, high) == NOT_FOUND) {
                index.insertTransfer(append(low, high), low, high);
            }
        }
    }

    private long append(long low, long high) {
        record.putLong(TransferLayout.ID, low);
        record.putLong(TransferLayout.ID + 8, high);
        stored.add(new long[] {low, high});
        return transfers.append(record, 0);
    }

    private void assertAllStoredFound() {
        for (int sequence = 0; sequence < stored.size(); sequence++) {
            long[] id = stored.get(sequence);
            assertThat(index.find(id[0], id[1])).as("transfer %d", sequence).isEqualTo(sequence);
        }
    }

    private void assertAbsentNotFound(Random random) {
        for (int i = 0; i < 10_000; i++) {
            assertThat(index.find(random.nextLong(), random.nextLong())).isEqualTo(NOT_FOUND);
        }
    }

    private List<Path> tableFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().startsWith("transfer-id-index-")).toList();
        }
    }
}
