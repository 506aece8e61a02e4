package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.pending;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.ledger.journal.JournalCorruptException;
import com.fanzfinance.ledger.journal.JournalVerifier;
import com.fanzfinance.ledger.journal.OutcomeStream;

/** The durable engine with real files: restart, snapshots, journal rolls, torn and tampered journals, events. */
class LedgerEngineTest {
    private static final byte[] BATCH_MAGIC = {0x46, 0x5A, 0x4A, 0x31};

    @TempDir
    Path data;

    @Test
    void everythingAcknowledgedSurvivesARestart() {
        byte[] hash;
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 20);
            hash = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().commandsReplayed()).isEqualTo(21);
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
            assertThat(ledger.lookupAccount(Uint128.of(2)).orElseThrow().creditsPosted()).isEqualTo(expectedCredits(20));
            assertThat(ledger.createTransfers(List.of(transfer(1_000, 1, 2, 1))).get(0).status())
                .isEqualTo(CreateTransferStatus.EXISTS);
        }
    }

    @Test
    void aCleanShutdownSavesTheTransferIdIndexAndOnlyTheNextStartKeepsIt() {
        Path marker = config().storeDirectory().resolve(com.fanzfinance.ledger.state.SavedIdIndex.MARKER);
        byte[] hash;
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 20);
            hash = ledger.engine().stateHash();
        } // close(): the final snapshot, then the index saved
        assertThat(marker).exists();
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().transferIdIndexKept()).isTrue();
            assertThat(ledger.engine().recovery().warnings()).isEmpty();
            assertThat(marker).as("claimed by this start").doesNotExist();
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
            for (int i = 0; i < 20; i++) {
                assertThat(ledger.createTransfers(List.of(transfer(1_000 + i, 1, 2, i + 1))).get(0).status())
                    .as("transfer %d again", 1_000 + i).isEqualTo(CreateTransferStatus.EXISTS);
            }
            load(ledger, 20, 25);
            hash = ledger.engine().stateHash();
            ledger.engine().close(false); // no final snapshot: nothing saved
        }
        assertThat(marker).doesNotExist();
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().transferIdIndexKept()).isFalse();
            assertThat(ledger.engine().recovery().warnings()).isEmpty();
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
            assertThat(ledger.createTransfers(List.of(transfer(1_024, 1, 2, 25))).get(0).status())
                .isEqualTo(CreateTransferStatus.EXISTS);
            assertThat(ledger.createTransfers(List.of(transfer(1_025, 1, 2, 26))).get(0).status())
                .isEqualTo(CreateTransferStatus.CREATED);
        }
    }

    @Test
    void aSavedIndexIsNotKeptByAStartThatRestoresOtherTransfers() throws IOException {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 10);
        }
        deleteTree(config().snapshotDirectory()); // the whole journal is replayed: the stores start empty
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().transferIdIndexKept()).isFalse();
            assertThat(ledger.engine().recovery().warnings()).singleElement().asString()
                .contains("transfer id index saved at the last shutdown was not kept")
                .contains("it indexes 10 transfers, the stores hold 0");
            for (int i = 0; i < 10; i++) {
                assertThat(ledger.createTransfers(List.of(transfer(1_000 + i, 1, 2, i + 1))).get(0).status())
                    .isEqualTo(CreateTransferStatus.EXISTS);
            }
        }
    }

    @Test
    void snapshotPlusTailGivesTheSameStateAsAFullReplay() throws IOException {
        byte[] live;
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 10);
            assertThat(LedgerEngine.join(ledger.engine().snapshot())).exists();
            load(ledger, 10, 20);
            live = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        byte[] fromSnapshot;
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().snapshotUsed()).isTrue();
            assertThat(ledger.engine().recovery().commandsReplayed()).isEqualTo(10);
            fromSnapshot = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        deleteTree(config().snapshotDirectory());
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().snapshotUsed()).isFalse();
            assertThat(ledger.engine().stateHash()).isEqualTo(fromSnapshot).isEqualTo(live);
        }
    }

    @Test
    void snapshotsWithHeapStoresCarryTheStoresThemselves() {
        EngineConfig heap = config().withStateMachine(StateMachineConfig.inMemory(), false);
        byte[] live;
        try (DurableLedger ledger = DurableLedger.open(heap)) {
            load(ledger, 0, 15);
            live = ledger.engine().stateHash();
        }
        try (DurableLedger ledger = DurableLedger.open(heap)) {
            assertThat(ledger.engine().recovery().snapshotUsed()).isTrue();
            assertThat(ledger.engine().recovery().commandsReplayed()).isZero();
            assertThat(ledger.engine().stateHash()).isEqualTo(live);
            assertThat(ledger.accountTransfers(AccountFilter.of(Uint128.of(1), 8189))).hasSize(15);
        }
    }

    @Test
    void periodicSnapshotsArePrunedToTheConfiguredCount() throws InterruptedException {
        EngineConfig small = config().withSnapshots(1 << 20, 2);
        try (DurableLedger ledger = DurableLedger.open(small)) {
            ledger.createAccounts(List.of(account(1), account(2)));
            // About one snapshot per two rounds (1 MiB of journal each), unless pacing (a capture waits for 100
            // times its last pause of running, and none is taken while one is being written) skips one when the
            // rounds go fast: write until three were taken, letting each write finish.
            EngineHealth health = ledger.engine().health();
            for (int round = 0; round < 60 && health.snapshotsWritten() < 3; round++) {
                List<Transfer> batch = new ArrayList<>();
                for (int i = 0; i < 8189; i++) {
                    batch.add(transfer(round * 10_000L + i + 1, 1, 2, 1));
                }
                ledger.createTransfers(batch);
                for (int wait = 0; wait < 1000 && health.snapshotsBeingWritten() > 0; wait++) {
                    Thread.sleep(10);
                }
            }
            assertThat(ledger.engine().health().snapshotsWritten()).isEqualTo(3);
        }
        assertThat(snapshotFiles(small)).hasSize(2);
    }

    @Test
    void commandsThatOverflowAJournalBatchKeepTheirNumbers() {
        byte[] hash;
        try (DurableLedger ledger = DurableLedger.open(config())) {
            ledger.createAccounts(List.of(account(1), account(2)));
            List<CompletableFuture<CommandOutcome>> submitted = new ArrayList<>();
            for (int command = 0; command < 20; command++) {
                org.agrona.concurrent.UnsafeBuffer records = new org.agrona.concurrent.UnsafeBuffer(new byte[8189 * 128]);
                for (int i = 0; i < 8189; i++) {
                    com.fanzfinance.ledger.command.Records.encode(transfer(command * 10_000L + i + 1, 1, 2, 1), records,
                        i * 128);
                }
                submitted.add(ledger.engine().submitTransfers(records, 0, 8189, null, 0, 0,
                    new org.agrona.concurrent.UnsafeBuffer(new byte[8189 * 16]), 0));
            }
            submitted.forEach(LedgerEngine::join);
            hash = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        JournalVerifier.Report report = JournalVerifier.verify(config().journalDirectory(), 16 << 20);
        assertThat(report.commands()).isEqualTo(21);
        assertThat(report.batches()).as("some batches held several commands").isLessThan(21);
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
        }
    }

    @Test
    void replayCrossesJournalRolls() throws Exception {
        EngineConfig rolling = config().withJournalRollCycle("TEST_SECONDLY");
        byte[] hash;
        try (DurableLedger ledger = DurableLedger.open(rolling)) {
            for (int second = 0; second < 3; second++) {
                load(ledger, second * 5, second * 5 + 5);
                Thread.sleep(1_100);
            }
            hash = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        try (Stream<Path> files = Files.list(rolling.journalDirectory())) {
            assertThat(files.filter(p -> p.toString().endsWith(".cq4")).count()).isGreaterThanOrEqualTo(3);
        }
        try (DurableLedger ledger = DurableLedger.open(rolling)) {
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
        }
    }

    @Test
    void aTornLastBatchIsCutAndTheJournalGoesOn() throws IOException {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 5);
            ledger.createTransfers(List.of(transfer(9_999, 1, 2, 7)));
            ledger.engine().close(false);
        }
        damageBatch(lastBatchOffset(), 109);
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().tornIndexCut()).isNotNegative();
            assertThat(ledger.engine().recovery().warnings()).anyMatch(w -> w.contains("torn"));
            assertThat(ledger.lookupTransfer(Uint128.of(9_999))).isEmpty();
            assertThat(ledger.lookupTransfer(Uint128.of(1_004))).isPresent();
            ledger.createTransfers(List.of(transfer(9_999, 1, 2, 8)));
            ledger.engine().close(false);
        }
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(ledger.engine().recovery().warnings()).isEmpty();
            assertThat(ledger.lookupTransfer(Uint128.of(9_999)).orElseThrow().amount()).isEqualTo(8);
        }
        assertThat(JournalVerifier.verify(config().journalDirectory(), 16 << 20).tornIndex()).isNegative();
    }

    @Test
    void aChangedByteInsideTheJournalStopsRecoveryAndNamesThePosition() throws IOException {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 6);
            ledger.engine().close(false);
        }
        List<Long> batches = batchOffsets();
        damageBatch(batches.get(2), 200);
        assertThatThrownBy(() -> DurableLedger.open(config())).isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("cycle").hasMessageContaining("sequence 2").hasMessageContaining("CRC");
        assertThatThrownBy(() -> JournalVerifier.verify(config().journalDirectory(), 16 << 20))
            .isInstanceOf(JournalCorruptException.class);
    }

    @Test
    void aRewrittenBatchWithAValidChecksumBreaksTheChain() throws IOException {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 6);
            ledger.engine().close(false);
        }
        long offset = batchOffsets().get(3);
        damageBatch(offset, 72 + 32 + 48);
        fixCrc(offset);
        assertThatThrownBy(() -> DurableLedger.open(config())).isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("CHAIN_MISMATCH");
    }

    @Test
    void verifyReportsTheHeadHashThatRecoveryEndsOn() {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 8);
            ledger.engine().close(false);
        }
        JournalVerifier.Report report = JournalVerifier.verify(config().journalDirectory(), 16 << 20);
        assertThat(report.commands()).isEqualTo(9);
        assertThat(report.batches()).isEqualTo(9);
        try (DurableLedger ledger = DurableLedger.open(config())) {
            assertThat(com.fanzfinance.ledger.journal.HashChain.hex(ledger.engine().recovery().end().chainHead()))
                .isEqualTo(report.headHash());
        }
    }

    @Test
    void theEventStreamHoldsEveryOutcomeOnceEvenAcrossRecovery() {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            load(ledger, 0, 4);
            ledger.createTransfers(List.of(transfer(5_000, 1, 2, 3), transfer(5_001, 1, 99, 3)));
            ledger.engine().close(false);
        }
        deleteTree(config().snapshotDirectory());
        try (DurableLedger ledger = DurableLedger.open(config())) {
            ledger.createTransfers(List.of(transfer(5_002, 2, 1, 4)));
        }
        List<long[]> excerpts = readEvents(config());
        assertThat(excerpts).extracting(e -> e[0]).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(excerpts.get(0)[1]).as("accounts created").isEqualTo(3);
        assertThat(excerpts.get(5)[1]).as("only the transfer that was created").isEqualTo(1);
        assertThat(excerpts.get(6)[2]).as("credit balance of account 1 after 5002").isEqualTo(4);
    }

    @Test
    void pendingTransfersExpireThroughTheTicker() throws InterruptedException {
        try (DurableLedger ledger = DurableLedger.open(config())) {
            ledger.createAccounts(List.of(account(1), account(2)));
            ledger.createTransfers(List.of(pending(7, 1, 2, 10, 1)));
            long deadline = System.currentTimeMillis() + 10_000;
            while (ledger.lookupTransfer(Uint128.of(7)).orElseThrow().pendingStatus() != PendingStatus.EXPIRED
                && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ledger.lookupTransfer(Uint128.of(7)).orElseThrow().pendingStatus()).isEqualTo(PendingStatus.EXPIRED);
            assertThat(ledger.lookupAccount(Uint128.of(1)).orElseThrow().debitsPending()).isZero();
        }
    }

    @Test
    void aFullRingRefusesWithBusyInsteadOfWaitingForever() throws Exception {
        EngineConfig tiny = config().withRing(16, 8 << 20).withTiming(60_000, 0);
        try (DurableLedger ledger = DurableLedger.open(tiny)) {
            CountDownLatch hold = new CountDownLatch(1);
            CompletableFuture<Object> stuck = ledger.engine().query(machine -> {
                awaitQuietly(hold);
                return null;
            });
            int busy = 0;
            List<CompletableFuture<CommandOutcome>> accepted = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                try {
                    accepted.add(ledger.engine().tick());
                } catch (LedgerBusyException e) {
                    busy++;
                }
            }
            hold.countDown();
            stuck.get();
            for (CompletableFuture<CommandOutcome> future : accepted) {
                assertThat(future.get()).isEqualTo(CommandOutcome.APPLIED);
            }
            assertThat(busy).isGreaterThan(0);
            assertThat(accepted).hasSizeLessThan(16);
        }
    }

    @Test
    void osDurabilityWorksTheSameWay() {
        EngineConfig os = config().withDurability(Durability.OS);
        byte[] hash;
        try (DurableLedger ledger = DurableLedger.open(os)) {
            load(ledger, 0, 10);
            hash = ledger.engine().stateHash();
            ledger.engine().close(false);
        }
        try (DurableLedger ledger = DurableLedger.open(os)) {
            assertThat(ledger.engine().stateHash()).isEqualTo(hash);
        }
    }

    @Test
    void configurationIsValidatedWithClearErrors() {
        assertThatThrownBy(() -> config().withRing(1000, 8 << 20)).hasMessageContaining("ringSize");
        assertThatThrownBy(() -> config().withJournalRollCycle("FORTNIGHTLY")).hasMessageContaining("roll cycle");
        assertThatThrownBy(() -> config().withSnapshots(1 << 20, 0)).hasMessageContaining("snapshotsKept");
        assertThatThrownBy(() -> config().withRing(1024, 1 << 20)).hasMessageContaining("largest command");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private EngineConfig config() {
        return EngineConfig.defaults(data).withTiming(50, 1000);
    }

    /** Accounts 1, 2, 3 (3 with history), then one transfer 1 → 2 per command, ids 1000 + i. */
    private static void load(DurableLedger ledger, int from, int to) {
        if (from == 0) {
            ledger.createAccounts(List.of(account(1), account(2), account(3).withFlags(
                com.fanzfinance.ledger.command.AccountFlags.HISTORY)));
        }
        for (int i = from; i < to; i++) {
            assertThat(ledger.createTransfers(List.of(transfer(1_000 + i, 1, 2, i + 1))).get(0).status())
                .isEqualTo(CreateTransferStatus.CREATED);
        }
    }

    private static long expectedCredits(int transfers) {
        return (long) transfers * (transfers + 1) / 2;
    }

    private Path journalFile() throws IOException {
        try (Stream<Path> files = Files.list(config().journalDirectory())) {
            return files.filter(p -> p.toString().endsWith(".cq4")).max(Comparator.naturalOrder()).orElseThrow();
        }
    }

    private List<Long> batchOffsets() throws IOException {
        byte[] bytes = Files.readAllBytes(journalFile());
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == BATCH_MAGIC[0] && bytes[i + 1] == BATCH_MAGIC[1] && bytes[i + 2] == BATCH_MAGIC[2]
                && bytes[i + 3] == BATCH_MAGIC[3]) {
                offsets.add((long) i);
            }
        }
        return offsets;
    }

    private long lastBatchOffset() throws IOException {
        List<Long> offsets = batchOffsets();
        return offsets.get(offsets.size() - 1);
    }

    private void damageBatch(long batchOffset, int byteInBatch) throws IOException {
        try (FileChannel channel = FileChannel.open(journalFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, batchOffset + byteInBatch);
            one.flip();
            byte flipped = (byte) (one.get(0) ^ 0x5A);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), batchOffset + byteInBatch);
        }
    }

    /** Recomputes a batch's CRC, as someone rewriting the journal by hand would. */
    private void fixCrc(long batchOffset) throws IOException {
        byte[] bytes = Files.readAllBytes(journalFile());
        ByteBuffer view = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int payloadLength = view.getInt((int) batchOffset + 28);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, (int) batchOffset, 32);
        crc.update(bytes, (int) batchOffset + 72, payloadLength);
        try (FileChannel channel = FileChannel.open(journalFile(), StandardOpenOption.WRITE)) {
            ByteBuffer value = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
            value.flip();
            channel.write(value, batchOffset + 32);
        }
    }

    /** (command number, outcome count, credits posted of the credit account in the last outcome) per excerpt. */
    private static List<long[]> readEvents(EngineConfig config) {
        List<long[]> excerpts = new ArrayList<>();
        try (OutcomeStream stream = OutcomeStream.open(config.eventsDirectory())) {
            stream.resumeAfter(-1, -1);
            while (stream.next()) {
                OutcomeExcerpt excerpt = stream.excerpt();
                int count = excerpt.outcomeCount();
                excerpts.add(new long[] {excerpt.commandNumber(), count,
                    excerpt.buffer().getLong(excerpt.creditBalancesOffset(count - 1) + 24)});
            }
        }
        return excerpts;
    }

    private static List<Path> snapshotFiles(EngineConfig config) {
        try (Stream<Path> files = Files.list(config.snapshotDirectory())) {
            return files.filter(p -> p.toString().endsWith(".snap")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
