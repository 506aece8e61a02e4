package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * The JSON fields of an account or a transfer record, written the one way the API uses in both
 * directions: 128-bit values as UUIDs, 64-bit values as decimal strings (user data and timestamps
 * unsigned), flags as names. The client writes requests with it, the server responses; each adds the
 * members only its side has (tenant, metadata, pending status) around these.
 */
public final class RecordJson {
    private RecordJson() {
    }

    /** Every field of the account record, into the object being written. */
    public static void writeAccountFields(JsonGenerator json, Account account) throws IOException {
        json.writeStringField(ID, account.id().toUuidString());
        json.writeNumberField(LEDGER, account.ledger());
        json.writeNumberField(CODE, account.code());
        writeFlags(json, AccountFlags.namesOf(account.flags()));
        json.writeStringField(DEBITS_PENDING, Long.toString(account.debitsPending()));
        json.writeStringField(DEBITS_POSTED, Long.toString(account.debitsPosted()));
        json.writeStringField(CREDITS_PENDING, Long.toString(account.creditsPending()));
        json.writeStringField(CREDITS_POSTED, Long.toString(account.creditsPosted()));
        json.writeStringField(USER_DATA_128, account.userData128().toUuidString());
        json.writeStringField(USER_DATA_64, Long.toUnsignedString(account.userData64()));
        json.writeNumberField(USER_DATA_32, Integer.toUnsignedLong(account.userData32()));
        json.writeStringField(TIMESTAMP, Long.toUnsignedString(account.timestamp()));
    }

    /** Every field of the transfer record, into the object being written. */
    public static void writeTransferFields(JsonGenerator json, Transfer transfer) throws IOException {
        json.writeStringField(ID, transfer.id().toUuidString());
        json.writeStringField(DEBIT_ACCOUNT_ID, transfer.debitAccountId().toUuidString());
        json.writeStringField(CREDIT_ACCOUNT_ID, transfer.creditAccountId().toUuidString());
        json.writeStringField(AMOUNT, Long.toString(transfer.amount()));
        json.writeStringField(PENDING_ID, transfer.pendingId().toUuidString());
        json.writeStringField(USER_DATA_128, transfer.userData128().toUuidString());
        json.writeStringField(USER_DATA_64, Long.toUnsignedString(transfer.userData64()));
        json.writeNumberField(USER_DATA_32, Integer.toUnsignedLong(transfer.userData32()));
        json.writeNumberField(TIMEOUT, Integer.toUnsignedLong(transfer.timeout()));
        json.writeNumberField(LEDGER, transfer.ledger());
        json.writeNumberField(CODE, transfer.code());
        writeFlags(json, TransferFlags.namesOf(transfer.flags()));
        json.writeStringField(TIMESTAMP, Long.toUnsignedString(transfer.timestamp()));
    }

    /** {@code "metadata": <the object>} when there is one; the text must already be one compact JSON object. */
    public static void writeMetadata(JsonGenerator json, String metadata) throws IOException {
        if (metadata != null) {
            json.writeFieldName(METADATA);
            json.writeRawValue(metadata);
        }
    }

    private static void writeFlags(JsonGenerator json, List<String> names) throws IOException {
        json.writeArrayFieldStart(FLAGS);
        for (String name : names) {
            json.writeString(name);
        }
        json.writeEndArray();
    }
}
