package com.fanzfinance.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

import com.fanzfinance.ledger.client.EncodedTransfers;
import com.fanzfinance.ledger.client.NewTransfer;
import com.fanzfinance.ledger.command.Transfer;

/**
 * Encodes a transfer batch ahead with the ledger client's {@link EncodedTransfers} (128-byte records or JSON), so
 * the generator sends exactly what a real client sends. Allocates a {@code Transfer} per event and the body: it
 * runs on the batch-builder thread, off the timing path. One per thread.
 */
final class TransferBodies {
    private final Workload workload;
    private final IndexRandom random;
    private final TransferDraw draw = new TransferDraw();

    TransferBodies(Workload workload) {
        this.workload = workload;
        this.random = workload.newRandom();
    }

    EncodedTransfers binary(long firstTransfer, int count) {
        List<Transfer> transfers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workload.draw(firstTransfer + i, random, draw);
            transfers.add(workload.transfer(draw));
        }
        return EncodedTransfers.binary(transfers);
    }

    EncodedTransfers json(long firstTransfer, int count) {
        List<NewTransfer> transfers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workload.draw(firstTransfer + i, random, draw);
            transfers.add(NewTransfer.of(workload.transfer(draw)));
        }
        return EncodedTransfers.json(transfers);
    }
}
