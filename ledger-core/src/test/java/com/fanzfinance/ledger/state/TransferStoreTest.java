package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.TransferLayout;

/** Appending, amending, reading, copying and truncating 128-byte records in a {@link TransferStore}. */
class TransferStoreTest {
    /** 64 KiB pages: 512 records each, so a few thousand records span several pages. */
    private static final int PAGE_SHIFT = 16;
    private static final int RECORDS_PER_PAGE = (1 << PAGE_SHIFT) / TransferLayout.SIZE;
    private static final int RECORDS = 3 * RECORDS_PER_PAGE + 17;

    @Test
    void appendReturnsConsecutiveSequencesAndEveryFieldReadsBackAcrossPages() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 1_000_000)) {
            for (int i = 0; i < RECORDS; i++) {
                assertThat(store.append(record(i), 0)).isEqualTo(i);
            }

            assertThat(store.count()).isEqualTo(RECORDS);
            assertThat(store.memory().capacityBytes()).isEqualTo(4L << PAGE_SHIFT);
            for (int i = 0; i < RECORDS; i++) {
                assertRecord(store, i, i);
            }
        }
    }

    @Test
    void appendReadsTheRecordAtTheGivenOffsetOfTheSource() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 10)) {
            UnsafeBuffer source = new UnsafeBuffer(new byte[3 * TransferLayout.SIZE]);
            source.putBytes(TransferLayout.SIZE, record(5), 0, TransferLayout.SIZE);

            store.append(source, TransferLayout.SIZE);

            assertRecord(store, 0, 5);
        }
    }

    /**
     * A record is read where the buffer says it is (part of an array, direct memory), in heap and mapped stores, and
     * a record beyond its buffer is refused without being counted — a guard for any later unchecked copy.
     */
    @Test
    void appendReadsFromAnyBufferAndRefusesARecordBeyondIt(@TempDir Path dir) {
        byte[] bytes = new byte[2 * TransferLayout.SIZE + 40];
        record(7).getBytes(0, bytes, 24 + TransferLayout.SIZE, TransferLayout.SIZE);
        ByteBuffer direct = ByteBuffer.allocateDirect(2 * TransferLayout.SIZE + 40);
        record(8).getBytes(0, direct, 16 + TransferLayout.SIZE, TransferLayout.SIZE);
        try (TransferStore heap = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 10);
             TransferStore mapped = new TransferStore(PagedMemory.mapped(dir.resolve("transfers"), PAGE_SHIFT), 10)) {
            for (TransferStore store : List.of(heap, mapped)) {
                store.append(new UnsafeBuffer(bytes, 24, 2 * TransferLayout.SIZE), TransferLayout.SIZE);
                store.append(new UnsafeBuffer(direct, 16, 2 * TransferLayout.SIZE), TransferLayout.SIZE);
                assertRecord(store, 0, 7);
                assertRecord(store, 1, 8);
                UnsafeBuffer cut = new UnsafeBuffer(bytes, 24, 2 * TransferLayout.SIZE - 1);
                for (int offset : new int[] {TransferLayout.SIZE, -1, Integer.MAX_VALUE}) {
                    assertThatThrownBy(() -> store.append(cut, offset)).as("offset %d", offset)
                        .isInstanceOf(IndexOutOfBoundsException.class);
                }
                assertThat(store.count()).isEqualTo(2);
            }
        }
    }

    @Test
    void amendNewestChangesOnlyTheNamedFieldOfTheNewestRecord() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 1_000_000)) {
            for (int i = 0; i <= RECORDS_PER_PAGE; i++) {
                store.append(record(i), 0);
            }

            store.amendNewest(TransferLayout.AMOUNT, 999);
            store.amendNewest(TransferLayout.TIMESTAMP, 123_456);

            long newest = RECORDS_PER_PAGE;
            assertThat(store.amount(newest)).isEqualTo(999);
            assertThat(store.timestamp(newest)).isEqualTo(123_456);
            assertThat(store.idLow(newest)).isEqualTo(idLow(RECORDS_PER_PAGE));
            assertThat(store.ledger(newest)).isEqualTo(ledger(RECORDS_PER_PAGE));
            assertRecord(store, newest - 1, RECORDS_PER_PAGE - 1);
        }
    }

    /** copyTo checks the target's room once and then writes unchecked: room is made or refused before writing. */
    @Test
    void copyToGrowsAnExpandableTargetAndRefusesAFixedOneWithoutRoom() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 10)) {
            store.append(record(3), 0);
            ExpandableArrayBuffer grown = new ExpandableArrayBuffer(16);
            store.copyTo(0, grown, 40);
            assertThat(grown.capacity()).isGreaterThanOrEqualTo(40 + TransferLayout.SIZE);
            for (int offset = 0; offset < TransferLayout.SIZE; offset++) {
                assertThat(grown.getByte(40 + offset)).isEqualTo(record(3).getByte(offset));
            }

            byte[] bytes = new byte[2 * TransferLayout.SIZE + 16];
            UnsafeBuffer fixed = new UnsafeBuffer(bytes, 8, 2 * TransferLayout.SIZE - 1);
            for (int offset : new int[] {TransferLayout.SIZE, -1, Integer.MAX_VALUE - 64}) {
                assertThatThrownBy(() -> store.copyTo(0, fixed, offset)).as("offset %d", offset)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            }
            assertThat(bytes).containsOnly((byte) 0);
            store.copyTo(0, fixed, TransferLayout.SIZE - 1);
            assertThat(bytes[8 + TransferLayout.SIZE - 1]).isEqualTo(record(3).getByte(0));
            assertThat(bytes[8 + 2 * TransferLayout.SIZE - 1]).isZero();
        }
    }

    @Test
    void copyToReproducesTheAppendedBytesExactly() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 1_000_000)) {
            for (int i = 0; i < RECORDS; i++) {
                store.append(record(i), 0);
            }
            UnsafeBuffer target = new UnsafeBuffer(new byte[2 * TransferLayout.SIZE]);

            for (int i : new int[] {0, RECORDS_PER_PAGE - 1, RECORDS_PER_PAGE, RECORDS - 1}) {
                store.copyTo(i, target, TransferLayout.SIZE);

                UnsafeBuffer expected = record(i);
                for (int offset = 0; offset < TransferLayout.SIZE; offset++) {
                    assertThat(target.getByte(TransferLayout.SIZE + offset))
                        .as("record %d byte %d", i, offset).isEqualTo(expected.getByte(offset));
                }
            }
            assertThat(target.getLong(0)).isZero();
        }
    }

    @Test
    void flagsAndCodeTakeAllSixteenBitsEach() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 10)) {
            UnsafeBuffer source = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
            source.putShort(TransferLayout.CODE, (short) 0xFFFF);
            source.putShort(TransferLayout.FLAGS, (short) 0x8001);
            source.putInt(TransferLayout.LEDGER, 0xFFFF_FFFF);
            source.putInt(TransferLayout.TIMEOUT, -7);
            source.putInt(TransferLayout.USER_DATA_32, Integer.MIN_VALUE);

            store.append(source, 0);

            assertThat(store.code(0)).isEqualTo(0xFFFF);
            assertThat(store.flags(0)).isEqualTo(0x8001);
            assertThat(store.ledger(0)).isEqualTo(0xFFFF_FFFF);
            assertThat(store.timeoutSeconds(0)).isEqualTo(-7);
            assertThat(store.userData32(0)).isEqualTo(Integer.MIN_VALUE);
        }
    }

    @Test
    void truncateForgetsTheNewestRecordsAndLaterAppendsReuseTheirSequences() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 1_000_000)) {
            for (int i = 0; i < RECORDS; i++) {
                store.append(record(i), 0);
            }
            int kept = RECORDS_PER_PAGE - 3;

            store.truncate(kept);

            assertThat(store.count()).isEqualTo(kept);
            for (int i = 0; i < 10; i++) {
                assertThat(store.append(record(10_000 + i), 0)).isEqualTo(kept + i);
            }
            assertThat(store.count()).isEqualTo(kept + 10);
            for (int i = 0; i < kept; i++) {
                assertRecord(store, i, i);
            }
            for (int i = 0; i < 10; i++) {
                assertRecord(store, kept + i, 10_000 + i);
            }
        }
    }

    @Test
    void isFullOnceTransfersMaxRecordsAreStored() {
        try (TransferStore store = new TransferStore(PagedMemory.inMemory(PAGE_SHIFT), 3)) {
            assertThat(store.transfersMax()).isEqualTo(3);
            store.append(record(0), 0);
            store.append(record(1), 0);
            assertThat(store.isFull()).isFalse();

            store.append(record(2), 0);

            assertThat(store.isFull()).isTrue();
            store.truncate(2);
            assertThat(store.isFull()).isFalse();
        }
    }

    /** A 128-byte record whose every field is derived from {@code i}. */
    static UnsafeBuffer record(int i) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
        buffer.putLong(TransferLayout.ID, idLow(i));
        buffer.putLong(TransferLayout.ID + 8, idHigh(i));
        buffer.putLong(TransferLayout.DEBIT_ACCOUNT_ID, 1000L + i);
        buffer.putLong(TransferLayout.DEBIT_ACCOUNT_ID + 8, -i);
        buffer.putLong(TransferLayout.CREDIT_ACCOUNT_ID, 2000L + i);
        buffer.putLong(TransferLayout.CREDIT_ACCOUNT_ID + 8, 3L * i);
        buffer.putLong(TransferLayout.AMOUNT, amount(i));
        buffer.putLong(TransferLayout.AMOUNT + 8, i & 3);
        buffer.putLong(TransferLayout.PENDING_ID, 5L * i);
        buffer.putLong(TransferLayout.USER_DATA_128, 7L * i);
        buffer.putLong(TransferLayout.USER_DATA_128 + 8, 11L * i);
        buffer.putLong(TransferLayout.USER_DATA_64, 13L * i);
        buffer.putInt(TransferLayout.USER_DATA_32, 17 * i);
        buffer.putInt(TransferLayout.TIMEOUT, i % 600);
        buffer.putInt(TransferLayout.LEDGER, ledger(i));
        buffer.putShort(TransferLayout.CODE, (short) code(i));
        buffer.putShort(TransferLayout.FLAGS, (short) flags(i));
        buffer.putLong(TransferLayout.TIMESTAMP, timestamp(i));
        return buffer;
    }

    private static long idLow(int i) {
        return IdHash.hash(i, 1);
    }

    private static long idHigh(int i) {
        return IdHash.hash(i, 2);
    }

    private static long amount(int i) {
        return 100L * i + 1;
    }

    private static int ledger(int i) {
        return 0x8000_0000 | i;
    }

    private static int code(int i) {
        return (i * 31) & 0xFFFF;
    }

    private static int flags(int i) {
        return (0xFFFF - i) & 0xFFFF;
    }

    private static long timestamp(int i) {
        return 1_000_000_000L + i;
    }

    private static void assertRecord(TransferStore store, long sequence, int i) {
        assertThat(store.idLow(sequence)).as("id low of %d", sequence).isEqualTo(idLow(i));
        assertThat(store.idHigh(sequence)).as("id high of %d", sequence).isEqualTo(idHigh(i));
        assertThat(store.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID)).isEqualTo(1000L + i);
        assertThat(store.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID + 8)).isEqualTo(-i);
        assertThat(store.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID)).isEqualTo(2000L + i);
        assertThat(store.getLong(sequence, TransferLayout.CREDIT_ACCOUNT_ID + 8)).isEqualTo(3L * i);
        assertThat(store.amount(sequence)).isEqualTo(amount(i));
        assertThat(store.getLong(sequence, TransferLayout.AMOUNT + 8)).isEqualTo(i & 3);
        assertThat(store.getLong(sequence, TransferLayout.PENDING_ID)).isEqualTo(5L * i);
        assertThat(store.getLong(sequence, TransferLayout.USER_DATA_128)).isEqualTo(7L * i);
        assertThat(store.getLong(sequence, TransferLayout.USER_DATA_128 + 8)).isEqualTo(11L * i);
        assertThat(store.getLong(sequence, TransferLayout.USER_DATA_64)).isEqualTo(13L * i);
        assertThat(store.userData32(sequence)).isEqualTo(17 * i);
        assertThat(store.getInt(sequence, TransferLayout.USER_DATA_32)).isEqualTo(17 * i);
        assertThat(store.timeoutSeconds(sequence)).isEqualTo(i % 600);
        assertThat(store.ledger(sequence)).isEqualTo(ledger(i));
        assertThat(store.code(sequence)).isEqualTo(code(i));
        assertThat(store.flags(sequence)).isEqualTo(flags(i));
        assertThat(store.timestamp(sequence)).as("timestamp of %d", sequence).isEqualTo(timestamp(i));
    }
}
