package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.JsonBytes.*;
import static com.fanzfinance.ledger.client.WireFormat.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.DirectBuffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import com.fanzfinance.ledger.client.RecordJson;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.server.readmodel.Projector;

/**
 * Writes the JSON of the API's responses: 64-bit values as decimal strings, 128-bit values as UUIDs,
 * flags as names, statuses by their snake_case names, metadata as the object it was.
 */
final class JsonResponses {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonResponses() {
    }

    /** A read account or transfer together with what the response adds to it. */
    record AccountView(Account account, String tenant, byte[] metadata) {
    }

    record TransferView(Transfer transfer, byte[] metadata) {
    }

    /**
     * {@code {"results":[{"index":0,"id":"…","status":"created","timestamp":"…"},…]}}: the answer to a batch, one
     * object per event, each id read from its record in {@code records} (accounts and transfers alike hold it in
     * their first 16 bytes). Written byte by byte (the same bytes Jackson writes for these values: a full batch's
     * answer is 8,189 objects, and Jackson's generator took 4 ms of it per batch) into an array of exactly the
     * answer's length, measured first. With {@code failuresOnly}, only the events not {@code created} (each with
     * its index), in event order.
     */
    static byte[] createResults(DirectBuffer results, DirectBuffer records, int count, boolean accounts,
                                boolean failuresOnly) {
        byte[][] statuses = new byte[count][];
        long length = RESULTS_OPEN.length + 2L;
        long lastCode = -1;
        byte[] status = null;
        int written = 0;
        for (int i = 0; i < count; i++) {
            if (failuresOnly && isCreated(results, i)) {
                continue;
            }
            long code = results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL;
            if (code != lastCode || status == null) {
                String name = accounts ? CreateAccountStatus.ofCode(code).wireName()
                    : CreateTransferStatus.ofCode(code).wireName();
                status = plain(name);
                lastCode = code;
            }
            statuses[i] = status;
            length += (written++ > 0 ? 1 : 0) + RESULT_FIXED_BYTES + unsignedLength(i) + status.length
                + unsignedLength(results.getLong(i * ResultLayout.SIZE));
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("an answer of " + length + " bytes");
        }
        byte[] out = new byte[(int) length];
        int at = put(out, 0, RESULTS_OPEN);
        boolean first = true;
        for (int i = 0; i < count; i++) {
            if (statuses[i] == null) {
                continue;
            }
            if (!first) {
                out[at++] = ',';
            }
            first = false;
            at = put(out, at, RESULT_INDEX);
            at = putUnsigned(out, at, i);
            at = put(out, at, RESULT_ID);
            int record = i * RECORD_BYTES;
            at = putUuid(out, at, records.getLong(record + 8), records.getLong(record));
            at = put(out, at, RESULT_STATUS);
            at = put(out, at, statuses[i]);
            at = put(out, at, RESULT_TIMESTAMP);
            at = putUnsigned(out, at, results.getLong(i * ResultLayout.SIZE));
            out[at++] = '"';
            out[at++] = '}';
        }
        out[at++] = ']';
        out[at++] = '}';
        if (at != out.length) {
            throw new IllegalStateException("answer measured at " + out.length + " bytes, written " + at);
        }
        return out;
    }

    /** Whether event {@code i}'s result is {@code created} (one code for accounts and transfers). */
    static boolean isCreated(DirectBuffer results, int i) {
        return (results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL)
            == CreateTransferStatus.CREATED.code();
    }

    private static final byte[] RESULTS_OPEN = ascii("{\"" + RESULTS + "\":[");
    private static final byte[] RESULT_INDEX = ascii("{\"" + INDEX + "\":");
    private static final byte[] RESULT_ID = ascii(",\"" + ID + "\":\"");
    private static final byte[] RESULT_STATUS = ascii("\",\"" + STATUS + "\":\"");
    private static final byte[] RESULT_TIMESTAMP = ascii("\",\"" + TIMESTAMP + "\":\"");
    /** A result's bytes but its index, status name and timestamp digits: the keys, quotes, a UUID and braces. */
    private static final int RESULT_FIXED_BYTES = RESULT_INDEX.length + RESULT_ID.length + UUID_BYTES
        + RESULT_STATUS.length + RESULT_TIMESTAMP.length + 2;
    /** Accounts' and transfers' records alike, each beginning with its id (low 64 bits, then high). */
    private static final int RECORD_BYTES = TransferLayout.SIZE;

    static {
        if (AccountLayout.SIZE != TransferLayout.SIZE || AccountLayout.ID != 0 || TransferLayout.ID != 0) {
            throw new IllegalStateException("accounts' and transfers' records differ in size or where their ids are");
        }
    }

    static byte[] entryResults(List<JournalEntryResult> results) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(RESULTS);
            for (JournalEntryResult result : results) {
                json.writeStartObject();
                json.writeNumberField(INDEX, result.index());
                json.writeStringField(ID, result.id().toUuidString());
                json.writeStringField(STATUS, result.status().wireName());
                json.writeStringField(TIMESTAMP, Long.toUnsignedString(result.timestamp()));
                if (result.failedPosting() >= 0) {
                    json.writeNumberField(FAILED_POSTING, result.failedPosting());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    static byte[] account(AccountView view) {
        return write(json -> writeAccount(json, view));
    }

    static byte[] transfer(TransferView view) {
        return write(json -> writeTransfer(json, view));
    }

    static byte[] transfers(List<TransferView> transfers, String next) {
        return transfers(transfers, next, null, 0);
    }

    /** A filtered account listing, with the read-model position its ids came from. */
    static byte[] accounts(List<AccountView> accounts, String next, Projector.Position position, long lag) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("accounts");
            for (AccountView view : accounts) {
                writeAccount(json, view);
            }
            json.writeEndArray();
            writeNext(json, next);
            if (position != null) {
                writePosition(json, position, lag);
            }
            json.writeEndObject();
        });
    }

    /** A transfer listing; a filtered one (position not null) also says the read-model position its ids came from. */
    static byte[] transfers(List<TransferView> transfers, String next, Projector.Position position, long lag) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(TRANSFERS);
            for (TransferView view : transfers) {
                writeTransfer(json, view);
            }
            json.writeEndArray();
            writeNext(json, next);
            if (position != null) {
                writePosition(json, position, lag);
            }
            json.writeEndObject();
        });
    }

    /** {@code "position": {"command", "timestamp", "lag_commands"}}: what a read-model answer reflects. */
    static void writePosition(JsonGenerator json, Projector.Position position, long lag) throws IOException {
        json.writeObjectFieldStart("position");
        json.writeStringField("command", Long.toString(position.command()));
        json.writeStringField("timestamp", Long.toString(position.timestamp()));
        json.writeNumberField("lag_commands", lag);
        json.writeEndObject();
    }

    static byte[] balances(List<AccountBalance> balances, String next) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(BALANCES);
            for (AccountBalance balance : balances) {
                json.writeStartObject();
                json.writeStringField(TIMESTAMP, Long.toUnsignedString(balance.timestamp()));
                json.writeStringField(DEBITS_PENDING, Long.toString(balance.debitsPending()));
                json.writeStringField(DEBITS_POSTED, Long.toString(balance.debitsPosted()));
                json.writeStringField(CREDITS_PENDING, Long.toString(balance.creditsPending()));
                json.writeStringField(CREDITS_POSTED, Long.toString(balance.creditsPosted()));
                json.writeEndObject();
            }
            json.writeEndArray();
            writeNext(json, next);
            json.writeEndObject();
        });
    }

    static byte[] problem(Problem problem, String instance, String requestId) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", PROBLEM_TYPE_BASE + problem.type());
            json.writeStringField("title", problem.title());
            json.writeNumberField("status", problem.status());
            json.writeStringField("detail", problem.getMessage());
            if (problem.pointer() != null) {
                json.writeStringField("pointer", problem.pointer());
            }
            if (instance != null) {
                json.writeStringField("instance", instance);
            }
            if (requestId != null) {
                json.writeStringField("request_id", requestId);
            }
            for (java.util.Map.Entry<String, Object> extension : problem.extensions().entrySet()) {
                writeExtension(json, extension.getKey(), extension.getValue());
            }
            json.writeEndObject();
        });
    }

    private static void writeExtension(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof java.util.Collection<?> items) {
            json.writeArrayFieldStart(name);
            for (Object item : items) {
                json.writeString(String.valueOf(item));
            }
            json.writeEndArray();
        } else if (value instanceof Number number) {
            json.writeNumberField(name, number.longValue());
        } else {
            json.writeStringField(name, String.valueOf(value));
        }
    }

    /** Writes an arbitrary structure with a callback (admin responses, health). */
    static byte[] write(JsonWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }

    private static void writeAccount(JsonGenerator json, AccountView view) throws IOException {
        json.writeStartObject();
        RecordJson.writeAccountFields(json, view.account());
        if (view.tenant() != null) {
            json.writeStringField(TENANT, view.tenant());
        }
        RecordJson.writeMetadata(json, metadataText(view.metadata()));
        json.writeEndObject();
    }

    private static void writeTransfer(JsonGenerator json, TransferView view) throws IOException {
        Transfer transfer = view.transfer();
        json.writeStartObject();
        RecordJson.writeTransferFields(json, transfer);
        if (transfer.pendingStatus() != PendingStatus.NONE) {
            json.writeStringField(PENDING_STATUS, transfer.pendingStatus().wireName());
        }
        RecordJson.writeMetadata(json, metadataText(view.metadata()));
        json.writeEndObject();
    }

    /** Stored metadata is the compact UTF-8 JSON object the request carried. */
    private static String metadataText(byte[] metadata) {
        return metadata == null ? null : new String(metadata, StandardCharsets.UTF_8);
    }

    private static void writeNext(JsonGenerator json, String next) throws IOException {
        if (next == null) {
            json.writeNullField(NEXT);
        } else {
            json.writeStringField(NEXT, next);
        }
    }
}
