package com.fanzfinance.server.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;

/** A rebuild's pending transfers: only pending ones are noted, closing ones with their accounts, each resolved once. */
class PendingTransfersTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
    private final PendingTransfers pendings = new PendingTransfers();

    @Test
    void notesPendingTransfersOnlyAndForgetsEachWhenResolved() {
        created(1, 0, 100);
        created(2, TransferFlags.PENDING, 200);
        created(3, TransferFlags.PENDING | TransferFlags.CLOSING_CREDIT, 300);
        assertThat(pendings.size()).isEqualTo(2);
        assertThat(pendings.resolve(new Uint128(0, 1))).as("not pending").isNull();

        PendingTransfers.Open plain = pendings.resolve(new Uint128(0, 2));
        assertThat(plain.timestamp()).isEqualTo(200);
        assertThat(plain.debitAccountId()).as("closes nothing").isNull();
        assertThat(pendings.resolve(new Uint128(0, 2))).as("resolved once").isNull();

        PendingTransfers.Open closing = pendings.resolve(new Uint128(0, 3));
        assertThat(closing.timestamp()).isEqualTo(300);
        assertThat(closing.flags() & TransferFlags.CLOSING_CREDIT).isNotZero();
        assertThat(closing.debitAccountId()).isEqualTo(new Uint128(7, 1));
        assertThat(closing.creditAccountId()).isEqualTo(new Uint128(7, 2));
        assertThat(pendings.size()).isZero();
    }

    private void created(long id, int flags, long timestamp) {
        Records.encode(new Transfer(new Uint128(0, id), new Uint128(7, 1), new Uint128(7, 2), 5, Uint128.ZERO,
            Uint128.ZERO, 0, 0, 0, 1, 1, flags, timestamp, PendingStatus.NONE), buffer, 0);
        pendings.created(buffer, 0);
    }
}
