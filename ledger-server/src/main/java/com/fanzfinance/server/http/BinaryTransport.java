package com.fanzfinance.server.http;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * The binary batch transport: a body of N 128-byte little-endian TigerBeetle records, checked whole —
 * length a multiple of 128, at most 8,189 records, no 128-bit amount or balance above 2^63-1 — before
 * anything is submitted. The records go to the ledger as they are; no copy. Binary answers carry no ids,
 * so none are decoded ({@link JsonRequests.Batch#ids()} is null).
 */
final class BinaryTransport {
    static final int RECORD = 128;
    /** The longest valid body: a full batch of records. */
    static final int BODY_BYTES_MAX = RECORD * StateMachineConfig.BATCH_EVENTS_MAX;
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private BinaryTransport() {
    }

    static JsonRequests.Batch transfers(byte[] body) {
        return transfers(body, body.length);
    }

    /** Transfer records in the first {@code length} bytes of {@code body} (a reused array may be longer). */
    static JsonRequests.Batch transfers(byte[] body, int length) {
        int count = count(length);
        UnsafeBuffer records = new UnsafeBuffer(body, 0, length);
        for (int i = 0; i < count; i++) {
            int offset = i * RECORD;
            requireFits(records, offset + TransferLayout.AMOUNT, i, "amount");
            requireCommonRanges(records, offset + TransferLayout.LEDGER, offset + TransferLayout.TIMESTAMP, i);
        }
        return new JsonRequests.Batch(records, count, EMPTY, 0, new String[count]);
    }

    /** Account records, all in {@code tenant} (a slug, or null for the key's default). */
    static JsonRequests.Batch accounts(byte[] body, String tenant) {
        int count = count(body.length);
        UnsafeBuffer records = new UnsafeBuffer(body);
        for (int i = 0; i < count; i++) {
            int offset = i * RECORD;
            requireFits(records, offset + AccountLayout.DEBITS_PENDING, i, "debits_pending");
            requireFits(records, offset + AccountLayout.DEBITS_POSTED, i, "debits_posted");
            requireFits(records, offset + AccountLayout.CREDITS_PENDING, i, "credits_pending");
            requireFits(records, offset + AccountLayout.CREDITS_POSTED, i, "credits_posted");
            requireCommonRanges(records, offset + AccountLayout.LEDGER, offset + AccountLayout.TIMESTAMP, i);
        }
        String[] tenants = new String[count];
        java.util.Arrays.fill(tenants, tenant);
        return new JsonRequests.Batch(records, count, EMPTY, 0, tenants);
    }

    private static int count(int length) {
        if (length % RECORD != 0) {
            throw Problem.badRequest("invalid-binary-batch", "a binary batch is whole 128-byte records; the body has "
                + length + " bytes", "");
        }
        int count = length / RECORD;
        if (count > StateMachineConfig.BATCH_EVENTS_MAX) {
            throw Problem.badRequest("batch-too-large", "a batch holds at most " + StateMachineConfig.BATCH_EVENTS_MAX
                + " records, the body has " + count, "");
        }
        return count;
    }

    /** The ranges JSON enforces by type, so that an event ends the same whichever transport carries it. */
    private static void requireCommonRanges(UnsafeBuffer records, int ledgerOffset, int timestampOffset, int index) {
        if (records.getInt(ledgerOffset) < 0) {
            throw Problem.invalidField("ledger above " + Integer.MAX_VALUE, "/" + index + "/ledger");
        }
        if (records.getLong(timestampOffset) < 0) {
            throw Problem.invalidField("timestamp above " + Long.MAX_VALUE, "/" + index + "/timestamp");
        }
    }

    /** The field's JSON pointer ({@code /index/field}) is built only when it is refused: a batch has 8,189 records. */
    private static void requireFits(UnsafeBuffer records, int offset, int index, String field) {
        if (records.getLong(offset + 8) != 0 || records.getLong(offset) < 0) {
            throw Problem.invalidField("128-bit value above " + Long.MAX_VALUE, "/" + index + "/" + field);
        }
    }
}
