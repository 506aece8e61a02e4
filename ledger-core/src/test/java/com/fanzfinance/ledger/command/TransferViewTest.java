package com.fanzfinance.ledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link TransferView} checks a record's bounds once, when wrapped, and reads its fields without Agrona's check per
 * read: every field must read as Agrona's checked accessors read it, on every kind of buffer a record arrives in.
 */
class TransferViewTest {
    private static final int CAPACITY = 4 * TransferLayout.SIZE + 37;

    @Property(tries = 200)
    void everyFieldReadsAsTheCheckedBufferReadsIt(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int kind,
                                                  @ForAll @IntRange(min = 0, max = CAPACITY - TransferLayout.SIZE)
                                                  int offset) {
        MutableDirectBuffer buffer = buffer(kind);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CAPACITY; i++) {
            buffer.putByte(i, (byte) random.nextInt());
        }
        TransferView view = new TransferView().wrap(buffer, offset);

        assertThat(view.buffer()).isSameAs(buffer);
        assertThat(view.offset()).isEqualTo(offset);
        assertThat(view.idLow()).isEqualTo(buffer.getLong(offset + TransferLayout.ID));
        assertThat(view.idHigh()).isEqualTo(buffer.getLong(offset + TransferLayout.ID + 8));
        assertThat(view.debitAccountIdLow()).isEqualTo(buffer.getLong(offset + TransferLayout.DEBIT_ACCOUNT_ID));
        assertThat(view.debitAccountIdHigh()).isEqualTo(buffer.getLong(offset + TransferLayout.DEBIT_ACCOUNT_ID + 8));
        assertThat(view.creditAccountIdLow()).isEqualTo(buffer.getLong(offset + TransferLayout.CREDIT_ACCOUNT_ID));
        assertThat(view.creditAccountIdHigh()).isEqualTo(buffer.getLong(offset + TransferLayout.CREDIT_ACCOUNT_ID + 8));
        assertThat(view.amountLow()).isEqualTo(buffer.getLong(offset + TransferLayout.AMOUNT));
        assertThat(view.amountHigh()).isEqualTo(buffer.getLong(offset + TransferLayout.AMOUNT + 8));
        assertThat(view.pendingIdLow()).isEqualTo(buffer.getLong(offset + TransferLayout.PENDING_ID));
        assertThat(view.pendingIdHigh()).isEqualTo(buffer.getLong(offset + TransferLayout.PENDING_ID + 8));
        assertThat(view.userData128Low()).isEqualTo(buffer.getLong(offset + TransferLayout.USER_DATA_128));
        assertThat(view.userData128High()).isEqualTo(buffer.getLong(offset + TransferLayout.USER_DATA_128 + 8));
        assertThat(view.userData64()).isEqualTo(buffer.getLong(offset + TransferLayout.USER_DATA_64));
        assertThat(view.userData32()).isEqualTo(buffer.getInt(offset + TransferLayout.USER_DATA_32));
        assertThat(view.timeoutSeconds()).isEqualTo(buffer.getInt(offset + TransferLayout.TIMEOUT) & 0xFFFF_FFFFL);
        assertThat(view.ledger()).isEqualTo(buffer.getInt(offset + TransferLayout.LEDGER));
        assertThat(view.code()).isEqualTo(buffer.getShort(offset + TransferLayout.CODE) & 0xFFFF);
        assertThat(view.flags()).isEqualTo(buffer.getShort(offset + TransferLayout.FLAGS) & 0xFFFF);
        assertThat(view.timestamp()).isEqualTo(buffer.getLong(offset + TransferLayout.TIMESTAMP));
    }

    @Test
    void aRecordThatDoesNotFitItsBufferIsRefusedWhenWrapped() {
        for (int kind = 0; kind < 4; kind++) {
            DirectBuffer buffer = buffer(kind);
            TransferView view = new TransferView();
            assertThat(view.wrap(buffer, CAPACITY - TransferLayout.SIZE).offset()).isEqualTo(CAPACITY - TransferLayout.SIZE);
            for (int offset : new int[] {CAPACITY - TransferLayout.SIZE + 1, CAPACITY, -1, Integer.MIN_VALUE,
                Integer.MAX_VALUE}) {
                assertThatThrownBy(() -> view.wrap(buffer, offset)).as("offset %d", offset)
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("do not fit");
            }
        }
        assertThatThrownBy(() -> new TransferView().wrap(new UnsafeBuffer(new byte[TransferLayout.SIZE - 1]), 0))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aRunOfRecordsIsCheckedAsAWhole() {
        DirectBuffer buffer = new UnsafeBuffer(new byte[4 * TransferLayout.SIZE + 5]);
        TransferView.requireRecords(buffer, 0, 4);
        TransferView.requireRecords(buffer, 5, 4);
        TransferView.requireRecords(buffer, buffer.capacity(), 0);
        for (int[] bad : new int[][] {{6, 4}, {0, 5}, {-1, 1}, {0, -1}, {0, Integer.MAX_VALUE},
            {Integer.MAX_VALUE, 1}, {buffer.capacity() + 1, 0}}) {
            assertThatThrownBy(() -> TransferView.requireRecords(buffer, bad[0], bad[1]))
                .as("%d records at %d", bad[1], bad[0]).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /** A buffer of {@link #CAPACITY} bytes: a whole array, part of a larger array, direct memory, expandable. */
    private static MutableDirectBuffer buffer(int kind) {
        switch (kind) {
            case 0:
                return new UnsafeBuffer(new byte[CAPACITY]);
            case 1:
                return new UnsafeBuffer(new byte[CAPACITY + 64], 24, CAPACITY);
            case 2:
                return new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + 16), 8, CAPACITY);
            default:
                return new ExpandableArrayBuffer(CAPACITY);
        }
    }
}
