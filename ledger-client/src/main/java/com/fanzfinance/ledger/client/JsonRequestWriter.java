package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Writes the JSON bodies of the write endpoints. Every field of an event is written, zero or not, so a
 * body says exactly what the record says: 128-bit values as UUIDs, 64-bit values as decimal strings
 * (unsigned where the field is), 32-bit unsigned values as numbers, flags by name. Allocates the body.
 */
final class JsonRequestWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonRequestWriter() {
    }

    static byte[] accounts(List<NewAccount> accounts) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(ACCOUNTS);
            for (NewAccount account : accounts) {
                writeAccount(json, account);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** Written byte by byte by {@link JsonTransferBody}: the bytes of {@link #transfersWithJackson}. */
    static byte[] transfers(List<NewTransfer> transfers) {
        return JsonTransferBody.write(transfers);
    }

    /** {@link #transfers} through Jackson's generator: the reference its bytes are tested against. */
    static byte[] transfersWithJackson(List<NewTransfer> transfers) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(TRANSFERS);
            for (NewTransfer transfer : transfers) {
                writeTransfer(json, transfer);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    static byte[] entries(List<NewEntry> entries) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(ENTRIES);
            for (NewEntry entry : entries) {
                writeEntry(json, entry);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writeAccount(JsonGenerator json, NewAccount event) throws IOException {
        json.writeStartObject();
        RecordJson.writeAccountFields(json, event.account());
        if (event.tenant() != null) {
            json.writeStringField(TENANT, event.tenant());
        }
        RecordJson.writeMetadata(json, event.metadata());
        json.writeEndObject();
    }

    private static void writeTransfer(JsonGenerator json, NewTransfer event) throws IOException {
        json.writeStartObject();
        RecordJson.writeTransferFields(json, event.transfer());
        RecordJson.writeMetadata(json, event.metadata());
        json.writeEndObject();
    }

    private static void writeEntry(JsonGenerator json, NewEntry event) throws IOException {
        JournalEntry entry = event.entry();
        json.writeStartObject();
        writeUuid(json, ID, entry.id());
        json.writeNumberField(LEDGER, entry.ledger());
        json.writeNumberField(CODE, entry.code());
        json.writeArrayFieldStart(POSTINGS);
        for (Posting posting : entry.postings()) {
            json.writeStartObject();
            writeUuid(json, ACCOUNT_ID, posting.accountId());
            json.writeStringField(posting.debit() ? DEBIT : CREDIT, Long.toString(posting.amount()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeBooleanField(PENDING, entry.pending());
        json.writeNumberField(TIMEOUT, Integer.toUnsignedLong(entry.timeoutSeconds()));
        RecordJson.writeMetadata(json, event.metadata());
        json.writeEndObject();
    }

    private static void writeUuid(JsonGenerator json, String field, Uint128 value) throws IOException {
        json.writeStringField(field, value.toUuidString());
    }

    private static byte[] write(BodyWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a request body", e);
        }
        return bytes.toByteArray();
    }

    private interface BodyWriter {
        void write(JsonGenerator json) throws IOException;
    }
}
