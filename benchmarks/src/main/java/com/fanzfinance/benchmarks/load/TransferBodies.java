package com.fanzfinance.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.client.JsonTransferBody;
import com.fanzfinance.ledger.client.NewTransfer;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * Builds the request body of a transfer batch with the encoders the server and client share
 * ({@link Records} for the 128-byte records, the ledger client's {@link JsonTransferBody} for JSON), so the
 * generator sends exactly what a real client sends. Allocates a {@code Transfer} per event and the body: it
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

    byte[] binary(long firstTransfer, int count) {
        byte[] body = new byte[count * TransferLayout.SIZE];
        UnsafeBuffer buffer = new UnsafeBuffer(body);
        for (int i = 0; i < count; i++) {
            workload.draw(firstTransfer + i, random, draw);
            Records.encode(workload.transfer(draw), buffer, i * TransferLayout.SIZE);
        }
        return body;
    }

    byte[] json(long firstTransfer, int count) {
        List<NewTransfer> transfers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workload.draw(firstTransfer + i, random, draw);
            transfers.add(NewTransfer.of(workload.transfer(draw)));
        }
        return JsonTransferBody.write(transfers);
    }
}
