package com.fanzfinance.ledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.journal.JournalQueues;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.journal.OutcomeStream;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/** The event stream's compact outcome excerpts: byte for byte the expanded ones back, and never a wrong read. */
class OutcomeCompactionTest {
    private static final int WORDS = OutcomeLayout.OUTCOME_BYTES / Long.BYTES;

    @TempDir
    Path directory;

    @Test
    void everyExcerptExpandsBackToItsBytes() {
        Random random = new Random(20261206L);
        ExpandableArrayBuffer compact = new ExpandableArrayBuffer();
        ExpandableArrayBuffer expanded = new ExpandableArrayBuffer();
        for (int round = 0; round < 3_000; round++) {
            byte[] original = randomExcerpt(random, round % 10 == 0 ? 0 : random.nextInt(40), random.nextInt(4) == 0
                ? random.nextInt(300) : 0);
            UnsafeBuffer source = new UnsafeBuffer(original);
            compact.checkLimit(OutcomeCompaction.compactLengthMax(original.length));
            int compactLength = OutcomeCompaction.compact(source, 0, original.length, compact, 0);
            assertThat(compactLength).isLessThanOrEqualTo(OutcomeCompaction.compactLengthMax(original.length));
            assertThat(OutcomeCompaction.isCompact(compact, 0, compactLength)).isTrue();
            assertThat(OutcomeCompaction.isCompact(source, 0, original.length)).isFalse();
            assertThat(OutcomeCompaction.commandNumber(compact, 0, compactLength))
                .isEqualTo(source.getLong(OutcomeLayout.COMMAND_NUMBER));

            byte[] exact = Arrays.copyOf(compact.byteArray(), compactLength);
            assertThat(OutcomeCompaction.expandedLength(new UnsafeBuffer(exact), 0, compactLength)).isEqualTo(original.length);
            int expandedLength = OutcomeCompaction.expand(new UnsafeBuffer(exact), 0, compactLength, expanded);
            assertThat(Arrays.copyOf(expanded.byteArray(), expandedLength)).as("round %d", round).isEqualTo(original);

            ExpandableArrayBuffer again = new ExpandableArrayBuffer(8);
            again.checkLimit(7 + OutcomeCompaction.compactLengthMax(original.length));
            int againLength = OutcomeCompaction.compact(source, 0, original.length, again, 7);
            assertThat(Arrays.copyOfRange(again.byteArray(), 7, 7 + againLength)).as("a pure function").isEqualTo(exact);
        }
    }

    @Test
    void aTypicalTransferTakesItsNonZeroWordsAndAMask() {
        byte[] excerpt = new byte[OutcomeLayout.HEADER_BYTES + OutcomeLayout.OUTCOME_BYTES];
        UnsafeBuffer buffer = header(excerpt, 1, 0);
        int at = OutcomeLayout.HEADER_BYTES;
        buffer.putByte(at + OutcomeLayout.KIND, (byte) OutcomeLayout.TRANSFER_CREATED);
        buffer.putShort(at + OutcomeLayout.EVENT_INDEX, (short) 17);
        long timestamp = 1_765_000_000_000_000_000L;
        buffer.putLong(at + OutcomeLayout.WHEN, timestamp);
        int record = at + OutcomeLayout.RECORD;
        buffer.putLong(record + TransferLayout.ID, 1_000_017);
        buffer.putLong(record + TransferLayout.DEBIT_ACCOUNT_ID, 4_711);
        buffer.putLong(record + TransferLayout.CREDIT_ACCOUNT_ID, 815);
        buffer.putLong(record + TransferLayout.AMOUNT, 2_500);
        buffer.putInt(record + TransferLayout.LEDGER, 840);
        buffer.putShort(record + TransferLayout.CODE, (short) 1);
        buffer.putLong(record + TransferLayout.TIMESTAMP, timestamp);
        buffer.putLong(at + OutcomeLayout.DEBIT_BALANCES + 8, 90_000);
        buffer.putLong(at + OutcomeLayout.DEBIT_BALANCES + 24, 40_000);
        buffer.putLong(at + OutcomeLayout.CREDIT_BALANCES + 8, 12_000);
        buffer.putLong(at + OutcomeLayout.CREDIT_BALANCES + 24, 77_500);

        ExpandableArrayBuffer compact = new ExpandableArrayBuffer();
        int length = OutcomeCompaction.compact(buffer, 0, excerpt.length, compact, 0);
        // kind/status/index word, id, debit, credit, amount, ledger/code/flags, timestamp, four balances; "when" is
        // the record's timestamp, so it is not written either
        assertThat(length - OutcomeLayout.HEADER_BYTES).isEqualTo(Integer.BYTES + 11 * Long.BYTES).isLessThan(100);
        assertThat(compact.getInt(OutcomeLayout.HEADER_BYTES) & OutcomeCompaction.WHEN_IS_TIMESTAMP).isNotZero();
    }

    @Test
    void theWhenWordRoundTripsInEveryCombinationAndFromAnyOffset() {
        long[][] whenAndTimestamp = {{0, 0}, {0, 77}, {77, 0}, {77, 77}, {-5, -5}, {-5, 5}, {Long.MIN_VALUE, Long.MIN_VALUE}};
        ExpandableArrayBuffer expanded = new ExpandableArrayBuffer();
        for (long[] pair : whenAndTimestamp) {
            byte[] original = new byte[OutcomeLayout.HEADER_BYTES + OutcomeLayout.OUTCOME_BYTES + 3];
            UnsafeBuffer buffer = header(original, 1, 3);
            int at = OutcomeLayout.HEADER_BYTES;
            buffer.putLong(at + OutcomeLayout.WHEN, pair[0]);
            buffer.putLong(at + OutcomeLayout.RECORD + TransferLayout.TIMESTAMP, pair[1]);
            buffer.putLong(at + OutcomeLayout.CREDIT_BALANCES + 24, -1L);
            original[original.length - 1] = 9;
            // compacted into the middle of a larger array, expanded from there
            ExpandableArrayBuffer compact = new ExpandableArrayBuffer();
            int length = OutcomeCompaction.compact(buffer, 0, original.length, compact, 13);
            boolean omitted = pair[0] != 0 && pair[0] == pair[1];
            assertThat(compact.getInt(13 + OutcomeLayout.HEADER_BYTES) & OutcomeCompaction.WHEN_IS_TIMESTAMP)
                .as("when %d, timestamp %d", pair[0], pair[1]).isEqualTo(omitted ? OutcomeCompaction.WHEN_IS_TIMESTAMP : 0);
            int expandedLength = OutcomeCompaction.expand(compact, 13, length, expanded);
            assertThat(Arrays.copyOf(expanded.byteArray(), expandedLength)).as("when %d, timestamp %d", pair[0], pair[1])
                .isEqualTo(original);
        }
    }

    @Test
    void aDamagedCompactExcerptIsRefusedNeverMisread() {
        Random random = new Random(7L);
        ExpandableArrayBuffer compact = new ExpandableArrayBuffer();
        ExpandableArrayBuffer expanded = new ExpandableArrayBuffer();
        for (int round = 0; round < 3_000; round++) {
            byte[] original = randomExcerpt(random, 1 + random.nextInt(12), random.nextInt(3) == 0 ? random.nextInt(40) : 0);
            int length = OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length, compact, 0);
            byte[] damaged = Arrays.copyOf(compact.byteArray(), length);
            switch (round % 4) {
                case 0 -> {
                    // a bit flipped anywhere after the header: a flipped value or side-data byte cannot be told from a
                    // real one here (the stream has no checksum of its own; it can be written again from the journal),
                    // but what comes out has the right shape or is refused
                    damaged[OutcomeLayout.HEADER_BYTES + random.nextInt(length - OutcomeLayout.HEADER_BYTES)] ^=
                        (byte) (1 << random.nextInt(8));
                    try {
                        assertThat(OutcomeCompaction.expand(new UnsafeBuffer(damaged), 0, length, expanded))
                            .isEqualTo(original.length);
                    } catch (IllegalArgumentException refused) {
                        assertThat(refused).hasMessageContaining("compact excerpt of command");
                    }
                }
                case 1 -> {
                    int cut = 1 + random.nextInt(Math.min(16, length - OutcomeLayout.HEADER_BYTES));
                    assertThatThrownBy(() -> OutcomeCompaction.expand(new UnsafeBuffer(damaged), 0, length - cut, expanded))
                        .as("round %d, %d bytes cut", round, cut).isInstanceOf(IllegalArgumentException.class);
                }
                case 2 -> {
                    // the last outcome's mask loses a word it has: one word is left over before the side data
                    UnsafeBuffer view = new UnsafeBuffer(damaged);
                    int maskAt = lastMaskAt(view);
                    int mask = view.getInt(maskAt);
                    int words = mask & ((1 << WORDS) - 1);
                    view.putInt(maskAt, mask & ~Integer.highestOneBit(words));
                    assertThatThrownBy(() -> OutcomeCompaction.expand(view, 0, length, expanded))
                        .as("round %d, mask 0x%x", round, mask).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("bytes between its outcomes and its side data");
                }
                default -> {
                    damaged[OutcomeLayout.HEADER_BYTES + 3] ^= (byte) (1 << (2 + random.nextInt(5)));
                    assertThatThrownBy(() -> OutcomeCompaction.expand(new UnsafeBuffer(damaged), 0, length, expanded))
                        .as("round %d, mask bits 26-30", round).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("invalid mask");
                }
            }
        }
    }

    /** Compacting reads and writes without a check per word, so the ranges are checked before it starts. */
    @Test
    void anExcerptBeyondItsSourceOrATargetWithoutRoomIsRefusedBeforeAnythingIsRead() {
        byte[] original = randomExcerpt(new Random(5L), 3, 17);
        int max = OutcomeCompaction.compactLengthMax(original.length);
        byte[] cut = Arrays.copyOf(original, original.length - 1);
        assertThatThrownBy(() -> OutcomeCompaction.compact(new UnsafeBuffer(cut), 0, original.length,
            new ExpandableArrayBuffer(), 0)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("does not fit a source");

        byte[] small = new byte[max + 3];
        assertThatThrownBy(() -> OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length,
            new UnsafeBuffer(small), 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(small).containsOnly((byte) 0);
        assertThatThrownBy(() -> OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length,
            new UnsafeBuffer(small), -1)).isInstanceOf(IndexOutOfBoundsException.class);
        int length = OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length, new UnsafeBuffer(small), 3);
        assertThat(length).isPositive().isLessThanOrEqualTo(max);

        ExpandableArrayBuffer grown = new ExpandableArrayBuffer(8);
        assertThat(OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length, grown, 5)).isEqualTo(length);
        assertThat(Arrays.copyOfRange(grown.byteArray(), 5, 5 + length)).isEqualTo(Arrays.copyOfRange(small, 3, 3 + length));
    }

    @Test
    void onlyTheExpandedFormCanBeWrappedAndOnlyTheExpandedFormCompacted() {
        byte[] original = randomExcerpt(new Random(3L), 2, 0);
        ExpandableArrayBuffer compact = new ExpandableArrayBuffer();
        int length = OutcomeCompaction.compact(new UnsafeBuffer(original), 0, original.length, compact, 0);
        assertThatThrownBy(() -> new OutcomeExcerpt().wrap(compact, 0, length))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> OutcomeCompaction.compact(compact, 0, length, new ExpandableArrayBuffer(), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> OutcomeCompaction.expand(new UnsafeBuffer(original), 0, original.length,
            new ExpandableArrayBuffer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 1");
    }

    @Test
    void aStreamHoldingBothFormsReadsAsExpandedExcerptsInOrder() {
        Random random = new Random(11L);
        List<byte[]> written = new ArrayList<>();
        Path events = directory.resolve("events");
        try (SingleChronicleQueue queue = JournalQueues.open(events, JournalQueues.rollCycle("FAST_HOURLY"), null);
             JournalWriter writer = new JournalWriter(queue)) {
            for (int command = 0; command < 200; command++) {
                byte[] excerpt = randomExcerpt(random, random.nextInt(30), random.nextInt(5) == 0 ? 64 : 0);
                new UnsafeBuffer(excerpt).putLong(OutcomeLayout.COMMAND_NUMBER, command);
                written.add(excerpt);
                // the first half as a server before the compact form wrote it, the rest as one now does
                if (command < 100) {
                    writer.append(new UnsafeBuffer(excerpt), 0, excerpt.length);
                } else {
                    writer.appendOutcomes(new UnsafeBuffer(excerpt), 0, excerpt.length);
                }
            }
        }
        try (OutcomeStream stream = OutcomeStream.open(events)) {
            assertThat(stream.lastCommand()).isEqualTo(199);
            stream.resumeAfter(-1, -1);
            for (byte[] expected : written) {
                assertThat(stream.next()).isTrue();
                OutcomeExcerpt excerpt = stream.excerpt();
                int length = excerpt.sideDataOffset() + excerpt.sideDataLength();
                byte[] read = new byte[length];
                excerpt.buffer().getBytes(0, read);
                assertThat(read).isEqualTo(expected);
            }
            assertThat(stream.next()).isFalse();
            stream.resumeAfter(150, -1);
            assertThat(stream.excerpt().commandNumber()).isEqualTo(150);
            long indexOf150 = stream.index();
            assertThat(stream.next()).isTrue();
            stream.resumeAfter(150, indexOf150);
            assertThat(stream.excerpt().commandNumber()).as("resumed at a compact excerpt's index").isEqualTo(150);
            assertThat(stream.excerpt().outcomeCount())
                .isEqualTo(new UnsafeBuffer(written.get(150)).getInt(OutcomeLayout.OUTCOME_COUNT));
            stream.resumeAfter(40, -1);
            long indexOf40 = stream.index();
            stream.resumeAfter(40, indexOf40);
            assertThat(stream.excerpt().commandNumber()).as("and at an expanded one's").isEqualTo(40);
            stream.resumeAfter(150, indexOf150);
            assertThat(stream.excerpt().outcomeCount())
                .isEqualTo(new UnsafeBuffer(written.get(150)).getInt(OutcomeLayout.OUTCOME_COUNT));
            assertThat(stream.next()).isTrue();
            assertThat(stream.excerpt().commandNumber()).isEqualTo(151);
        }
    }

    /** Where the last outcome's mask is in a compact excerpt. */
    private static int lastMaskAt(UnsafeBuffer compact) {
        int at = OutcomeLayout.HEADER_BYTES;
        int count = compact.getInt(OutcomeLayout.OUTCOME_COUNT);
        for (int outcome = 0; outcome < count - 1; outcome++) {
            at += Integer.BYTES + Long.BYTES * Integer.bitCount(compact.getInt(at) & ((1 << WORDS) - 1));
        }
        return at;
    }

    /** An expanded excerpt whose outcomes have many zero words, as real ones do, and "when" often the timestamp. */
    private static byte[] randomExcerpt(Random random, int count, int sideData) {
        byte[] excerpt = new byte[OutcomeLayout.HEADER_BYTES + count * OutcomeLayout.OUTCOME_BYTES + sideData];
        UnsafeBuffer buffer = header(excerpt, count, sideData);
        buffer.putLong(OutcomeLayout.COMMAND_NUMBER, random.nextLong() & Long.MAX_VALUE);
        buffer.putLong(OutcomeLayout.COMMAND_TIMESTAMP, random.nextLong());
        for (int outcome = 0; outcome < count; outcome++) {
            int at = OutcomeLayout.HEADER_BYTES + outcome * OutcomeLayout.OUTCOME_BYTES;
            int zeros = random.nextInt(4);
            for (int word = 0; word < WORDS; word++) {
                if (random.nextInt(4) >= zeros) {
                    buffer.putLong(at + word * Long.BYTES, random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000));
                }
            }
            int timestampAt = at + OutcomeLayout.RECORD + TransferLayout.TIMESTAMP;
            switch (random.nextInt(4)) {
                case 0, 1 -> buffer.putLong(at + OutcomeLayout.WHEN, buffer.getLong(timestampAt));
                case 2 -> buffer.putLong(at + OutcomeLayout.WHEN, buffer.getLong(timestampAt) + 1);
                default -> {
                }
            }
        }
        for (int i = 0; i < sideData; i++) {
            excerpt[excerpt.length - sideData + i] = (byte) random.nextInt();
        }
        return excerpt;
    }

    private static UnsafeBuffer header(byte[] excerpt, int count, int sideData) {
        UnsafeBuffer buffer = new UnsafeBuffer(excerpt);
        buffer.putInt(0, OutcomeLayout.MAGIC);
        buffer.putShort(4, (short) OutcomeLayout.VERSION);
        buffer.putInt(OutcomeLayout.OUTCOME_COUNT, count);
        buffer.putInt(OutcomeLayout.SIDE_DATA_LENGTH, sideData);
        return buffer;
    }
}
