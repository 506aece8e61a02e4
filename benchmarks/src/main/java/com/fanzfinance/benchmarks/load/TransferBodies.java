package com.fanzfinance.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.agrona.concurrent.UnsafeBuffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import com.fanzfinance.ledger.client.RecordJson;
import com.fanzfinance.ledger.client.WireFormat;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * Builds the request body of a transfer batch with the encoders the server and client share
 * ({@link Records} for the 128-byte records, {@link RecordJson} for JSON fields), so the generator sends
 * exactly what a real client sends. Allocates a {@code Transfer} per event and the body: it runs on the
 * batch-builder thread, off the timing path. One per thread.
 */
final class TransferBodies {
    private static final JsonFactory JSON = new JsonFactory();

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(count * 560 + 32);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart(WireFormat.TRANSFERS);
            for (int i = 0; i < count; i++) {
                workload.draw(firstTransfer + i, random, draw);
                json.writeStartObject();
                RecordJson.writeTransferFields(json, workload.transfer(draw));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a transfer batch", e);
        }
        return bytes.toByteArray();
    }
}
