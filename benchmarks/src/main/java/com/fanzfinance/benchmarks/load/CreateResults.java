package com.fanzfinance.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import com.fanzfinance.ledger.client.WireFormat;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;

/**
 * Checks a batch's answer: exactly one result per transfer, every one {@code created}. Any other status
 * fails the run with the transfer's index and status, as TigerBeetle's benchmark panics on any result.
 */
final class CreateResults {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CREATED = (int) CreateTransferStatus.CREATED.code();

    private CreateResults() {
    }

    static void requireAllCreatedBinary(byte[] body, long firstTransfer, int count) {
        if (body.length != count * ResultLayout.SIZE) {
            throw new LoadFailure(count + " results (" + count * ResultLayout.SIZE + " bytes) expected, "
                + body.length + " bytes received");
        }
        ByteBuffer results = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int code = results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS);
            if (code != CREATED) {
                CreateTransferStatus status = CreateTransferStatus.ofCode(Integer.toUnsignedLong(code));
                throw notCreated(firstTransfer + i, status == null ? "code " + Integer.toUnsignedString(code)
                    : status.wireName());
            }
        }
    }

    static void requireAllCreatedJson(byte[] body, long firstTransfer, int count) {
        int seen = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && WireFormat.STATUS.equals(parser.currentName())) {
                    String status = parser.nextTextValue();
                    if (!"created".equals(status)) {
                        throw notCreated(firstTransfer + seen, status);
                    }
                    seen++;
                }
            }
        } catch (IOException e) {
            throw new LoadFailure("the answer to a transfer batch is not JSON: " + e.getMessage(), e);
        }
        if (seen != count) {
            throw new LoadFailure(count + " results expected, " + seen + " received");
        }
    }

    private static LoadFailure notCreated(long transferIndex, String status) {
        return new LoadFailure("transfer " + transferIndex + " was not created: " + status);
    }
}
