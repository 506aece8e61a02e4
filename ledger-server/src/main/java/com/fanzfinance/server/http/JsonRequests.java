package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fasterxml.jackson.core.JsonToken;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * Parses the JSON bodies of the write endpoints straight into 128-byte records. Checks syntax, types,
 * ranges, flag names, sizes and limits and reports the first problem with its JSON pointer; leaves
 * semantics (zero ids, unknown accounts, balances) to the ledger, whose statuses say more. Missing fields
 * are zero. Unknown fields are refused: a misspelt field in a money request must not pass silently.
 */
final class JsonRequests {
    static final int EVENTS_MAX = StateMachineConfig.BATCH_EVENTS_MAX;
    private static final long LEDGER_MAX = Integer.MAX_VALUE;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    /**
     * Parsed records with their metadata (as side data) and, for accounts, the tenant each names. The JSON answer
     * reads each event's id from its record.
     */
    record Batch(UnsafeBuffer records, int count, UnsafeBuffer sideData, int sideDataLength, String[] tenants) {
    }

    /** Parsed journal entries, each with its metadata. */
    record Entries(List<JournalEntry> entries, List<byte[]> metadata) {
    }

    private JsonRequests() {
    }

    static Batch accounts(InputStream body) {
        return batch(body, ACCOUNTS, true);
    }

    static Batch transfers(InputStream body) {
        return batch(body, TRANSFERS, false);
    }

    /**
     * The transfers of a body read whole ({@code length} bytes of {@code body}): by {@link FastJsonTransfers} when it
     * can, else as {@link #transfers(InputStream)} reads them — the same batch, or the same problem, either way. A
     * large body's fast parse is shared with {@code helper} (one of its idle threads parses the second half; none:
     * {@code null}).
     */
    static Batch transfers(byte[] body, int length, Executor helper) {
        Batch fast = FastJsonTransfers.parse(body, length, helper, FastJsonTransfers.SPLIT_BYTES_MIN);
        return fast != null ? fast : transfers(new java.io.ByteArrayInputStream(body, 0, length));
    }

    private static Batch batch(InputStream body, String arrayName, boolean accounts) {
        try (JsonReader json = new JsonReader(body)) {
            BatchBuilder builder = new BatchBuilder(accounts);
            json.expect(JsonToken.START_OBJECT, "", "an object");
            boolean found = false;
            while (json.next("") == JsonToken.FIELD_NAME) {
                String field = json.fieldName();
                if (!field.equals(arrayName)) {
                    throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", "/" + field);
                }
                found = true;
                readArray(json, "/" + arrayName, builder);
            }
            if (!found) {
                throw Problem.invalidField("'" + arrayName + "' is required", "");
            }
            json.expectEnd();
            return builder.build();
        }
    }

    private static void readArray(JsonReader json, String pointer, BatchBuilder builder) {
        json.expect(JsonToken.START_ARRAY, pointer, "an array");
        int index = 0;
        while (json.next(pointer + "/" + index) != JsonToken.END_ARRAY) {
            String itemPointer = pointer + "/" + index;
            if (index >= EVENTS_MAX) {
                throw Problem.badRequest("batch-too-large", "a batch holds at most " + EVENTS_MAX + " events", itemPointer);
            }
            if (json.current() != JsonToken.START_OBJECT) {
                throw Problem.invalidField("an object expected, found " + JsonReader.describe(json.current()), itemPointer);
            }
            builder.read(json, itemPointer);
            index++;
        }
    }

    /** Accumulates records, tenants and metadata entries. */
    private static final class BatchBuilder {
        private final boolean accounts;
        private final ExpandableArrayBuffer records = new ExpandableArrayBuffer(16 * 128);
        private final List<String> tenants = new ArrayList<>();
        private final List<Integer> metadataEvents = new ArrayList<>();
        private final List<byte[]> metadata = new ArrayList<>();
        private final MetadataBudget budget = new MetadataBudget();
        private int count;

        /** The pointer of the field being read, as text only when a problem names it. */
        private final FieldPointer fieldPointer = new FieldPointer();

        BatchBuilder(boolean accounts) {
            this.accounts = accounts;
        }

        void read(JsonReader json, String pointer) {
            int offset = count * 128;
            records.checkLimit(offset + 128);
            records.setMemory(offset, 128, (byte) 0);
            String[] tenant = {null};
            byte[][] meta = {null};
            while (json.next(pointer) == JsonToken.FIELD_NAME) {
                String field = json.fieldName();
                fieldPointer.set(pointer, field);
                if (field.equals(METADATA)) {
                    String metadataPointer = fieldPointer.toString();
                    meta[0] = json.object(metadataPointer);
                    if (meta[0] != null) {
                        budget.add(meta[0].length, metadataPointer);
                    }
                } else if (accounts && field.equals(TENANT)) {
                    tenant[0] = tenantSlug(json, fieldPointer.toString());
                } else if (accounts) {
                    readAccountField(json, field, fieldPointer, offset);
                } else {
                    readTransferField(json, field, fieldPointer, offset);
                }
            }
            tenants.add(tenant[0]);
            if (meta[0] != null) {
                metadataEvents.add(count);
                metadata.add(meta[0]);
            }
            count++;
        }

        private void readAccountField(JsonReader json, String field, CharSequence pointer, int offset) {
            switch (field) {
                case ID -> Records.putId(records, offset + AccountLayout.ID, json.uuid(pointer));
                case DEBITS_PENDING -> records.putLong(offset + AccountLayout.DEBITS_PENDING, json.unsigned64(pointer, JsonReader.I63_MAX));
                case DEBITS_POSTED -> records.putLong(offset + AccountLayout.DEBITS_POSTED, json.unsigned64(pointer, JsonReader.I63_MAX));
                case CREDITS_PENDING -> records.putLong(offset + AccountLayout.CREDITS_PENDING, json.unsigned64(pointer, JsonReader.I63_MAX));
                case CREDITS_POSTED -> records.putLong(offset + AccountLayout.CREDITS_POSTED, json.unsigned64(pointer, JsonReader.I63_MAX));
                case USER_DATA_128 -> Records.putId(records, offset + AccountLayout.USER_DATA_128, json.uuid(pointer));
                case USER_DATA_64 -> records.putLong(offset + AccountLayout.USER_DATA_64, json.unsigned64(pointer, JsonReader.U64_MAX));
                case USER_DATA_32 -> records.putInt(offset + AccountLayout.USER_DATA_32, (int) json.integer(pointer, 0, U32_MAX));
                case LEDGER -> records.putInt(offset + AccountLayout.LEDGER, (int) json.integer(pointer, 0, LEDGER_MAX));
                case CODE -> records.putShort(offset + AccountLayout.CODE, (short) json.integer(pointer, 0, 0xFFFF));
                case FLAGS -> records.putShort(offset + AccountLayout.FLAGS, (short) flags(json, pointer.toString(), true));
                case TIMESTAMP -> records.putLong(offset + AccountLayout.TIMESTAMP, json.unsigned64(pointer, JsonReader.I63_MAX));
                default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", pointer.toString());
            }
        }

        private void readTransferField(JsonReader json, String field, CharSequence pointer, int offset) {
            switch (field) {
                case ID -> Records.putId(records, offset + TransferLayout.ID, json.uuid(pointer));
                case DEBIT_ACCOUNT_ID -> Records.putId(records, offset + TransferLayout.DEBIT_ACCOUNT_ID, json.uuid(pointer));
                case CREDIT_ACCOUNT_ID -> Records.putId(records, offset + TransferLayout.CREDIT_ACCOUNT_ID, json.uuid(pointer));
                case AMOUNT -> records.putLong(offset + TransferLayout.AMOUNT, json.unsigned64(pointer, JsonReader.I63_MAX));
                case PENDING_ID -> Records.putId(records, offset + TransferLayout.PENDING_ID, json.uuid(pointer));
                case USER_DATA_128 -> Records.putId(records, offset + TransferLayout.USER_DATA_128, json.uuid(pointer));
                case USER_DATA_64 -> records.putLong(offset + TransferLayout.USER_DATA_64, json.unsigned64(pointer, JsonReader.U64_MAX));
                case USER_DATA_32 -> records.putInt(offset + TransferLayout.USER_DATA_32, (int) json.integer(pointer, 0, U32_MAX));
                case TIMEOUT -> records.putInt(offset + TransferLayout.TIMEOUT, (int) json.integer(pointer, 0, U32_MAX));
                case LEDGER -> records.putInt(offset + TransferLayout.LEDGER, (int) json.integer(pointer, 0, LEDGER_MAX));
                case CODE -> records.putShort(offset + TransferLayout.CODE, (short) json.integer(pointer, 0, 0xFFFF));
                case FLAGS -> records.putShort(offset + TransferLayout.FLAGS, (short) flags(json, pointer.toString(), false));
                case TIMESTAMP -> records.putLong(offset + TransferLayout.TIMESTAMP, json.unsigned64(pointer, JsonReader.I63_MAX));
                default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", pointer.toString());
            }
        }

        Batch build() {
            UnsafeBuffer recordBuffer = new UnsafeBuffer(records.byteArray(), 0, Math.max(count * 128, 0));
            UnsafeBuffer side = SideData.encode(metadataEvents, metadata);
            return new Batch(recordBuffer, count, side, side.capacity(), tenants.toArray(String[]::new));
        }
    }

    static Entries entries(InputStream body) {
        try (JsonReader json = new JsonReader(body)) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            EntriesBuilder builder = new EntriesBuilder();
            boolean found = false;
            while (json.next("") == JsonToken.FIELD_NAME) {
                String field = json.fieldName();
                if (!field.equals(ENTRIES)) {
                    throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", "/" + field);
                }
                found = true;
                json.expect(JsonToken.START_ARRAY, "/" + ENTRIES, "an array");
                while (json.next("/" + ENTRIES + "/" + builder.size()) != JsonToken.END_ARRAY) {
                    String pointer = "/" + ENTRIES + "/" + builder.size();
                    if (json.current() != JsonToken.START_OBJECT) {
                        throw Problem.invalidField("an object expected", pointer);
                    }
                    byte[][] meta = {null};
                    builder.add(entry(json, pointer, meta), meta[0], pointer);
                }
            }
            if (!found) {
                throw Problem.invalidField("'" + ENTRIES + "' is required", "");
            }
            json.expectEnd();
            return new Entries(builder.entries, builder.metadata);
        }
    }

    /**
     * Collects entries, refusing the batch as soon as their transfers (a posting beyond an entry's first
     * makes one) would pass the batch limit or their metadata the journal's side-data limit.
     */
    private static final class EntriesBuilder {
        private final List<JournalEntry> entries = new ArrayList<>();
        private final List<byte[]> metadata = new ArrayList<>();
        private final MetadataBudget budget = new MetadataBudget();
        private int legs;

        int size() {
            return entries.size();
        }

        void add(JournalEntry entry, byte[] meta, String pointer) {
            legs += entry.postings().size() - 1;
            if (legs > EVENTS_MAX) {
                throw Problem.badRequest("batch-too-large", "the entries need more than " + EVENTS_MAX
                    + " transfers; a batch holds at most " + EVENTS_MAX, pointer);
            }
            if (meta != null) {
                budget.add(meta.length, pointer + "/" + METADATA);
            }
            entries.add(entry);
            metadata.add(meta);
        }
    }

    private static JournalEntry entry(JsonReader json, String pointer, byte[][] metadata) {
        Uint128 id = Uint128.ZERO;
        int ledger = 0;
        int code = 0;
        boolean pending = false;
        int timeout = 0;
        List<Posting> postings = null;
        while (json.next(pointer) == JsonToken.FIELD_NAME) {
            String field = json.fieldName();
            String fieldPointer = pointer + "/" + field;
            switch (field) {
                case ID -> id = json.uuid(fieldPointer);
                case LEDGER -> ledger = (int) json.integer(fieldPointer, 0, LEDGER_MAX);
                case CODE -> code = (int) json.integer(fieldPointer, 0, 0xFFFF);
                case PENDING -> pending = json.bool(fieldPointer);
                case TIMEOUT -> timeout = (int) json.integer(fieldPointer, 0, U32_MAX);
                case METADATA -> metadata[0] = json.object(fieldPointer);
                case POSTINGS -> postings = postings(json, fieldPointer);
                default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", fieldPointer);
            }
        }
        if (postings == null) {
            throw Problem.invalidField("'postings' is required", pointer);
        }
        try {
            return new JournalEntry(id, ledger, code, postings, pending, timeout);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField(e.getMessage(), pointer + "/" + POSTINGS);
        }
    }

    private static List<Posting> postings(JsonReader json, String pointer) {
        json.expect(JsonToken.START_ARRAY, pointer, "an array");
        List<Posting> postings = new ArrayList<>();
        while (json.next(pointer + "/" + postings.size()) != JsonToken.END_ARRAY) {
            String postingPointer = pointer + "/" + postings.size();
            if (postings.size() >= JournalEntry.POSTINGS_MAX) {
                throw Problem.invalidField("an entry has at most " + JournalEntry.POSTINGS_MAX + " postings", postingPointer);
            }
            if (json.current() != JsonToken.START_OBJECT) {
                throw Problem.invalidField("an object expected", postingPointer);
            }
            postings.add(posting(json, postingPointer));
        }
        return postings;
    }

    private static Posting posting(JsonReader json, String pointer) {
        Uint128 account = null;
        Long debit = null;
        Long credit = null;
        while (json.next(pointer) == JsonToken.FIELD_NAME) {
            String field = json.fieldName();
            String fieldPointer = pointer + "/" + field;
            switch (field) {
                case ACCOUNT_ID -> account = json.uuid(fieldPointer);
                case DEBIT -> debit = json.unsigned64(fieldPointer, JsonReader.I63_MAX);
                case CREDIT -> credit = json.unsigned64(fieldPointer, JsonReader.I63_MAX);
                default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", fieldPointer);
            }
        }
        if (account == null) {
            throw Problem.invalidField("'account_id' is required", pointer);
        }
        if ((debit == null) == (credit == null)) {
            throw Problem.invalidField("a posting has exactly one of 'debit' and 'credit'", pointer);
        }
        long amount = debit != null ? debit : credit;
        if (amount == 0) {
            throw Problem.invalidField("a posting's amount must be positive", pointer + "/" + (debit != null ? DEBIT : CREDIT));
        }
        return new Posting(account, debit != null, amount);
    }

    private static int flags(JsonReader json, String pointer, boolean account) {
        json.expect(JsonToken.START_ARRAY, pointer, "an array of flag names");
        int flags = 0;
        int index = 0;
        while (json.next(pointer + "/" + index) != JsonToken.END_ARRAY) {
            if (json.current() != JsonToken.VALUE_STRING) {
                throw Problem.invalidField("a flag name expected", pointer + "/" + index);
            }
            String name = json.text();
            int bit = account ? AccountFlags.bitOf(name) : TransferFlags.bitOf(name);
            if (bit == 0) {
                throw Problem.invalidField("unknown flag '" + name + "' (known: "
                    + String.join(", ", account ? AccountFlags.names() : TransferFlags.names()) + ")", pointer + "/" + index);
            }
            flags |= bit;
            index++;
        }
        return flags;
    }

    private static String tenantSlug(JsonReader json, String pointer) {
        String slug = json.string(pointer);
        if (!com.fanzfinance.server.auth.TenantRegistry.isValidSlug(slug)) {
            throw Problem.invalidField("not a tenant slug: '" + slug + "'", pointer);
        }
        return slug;
    }

    /**
     * {@code parent/field}, kept as its two parts: a batch reads some 90,000 fields, and building each one's
     * pointer as a string cost a tenth of the parse, for the one a problem may name.
     */
    private static final class FieldPointer implements CharSequence {
        private String parent;
        private String field;

        void set(String parentPointer, String fieldName) {
            this.parent = parentPointer;
            this.field = fieldName;
        }

        @Override
        public String toString() {
            return parent + "/" + field;
        }

        @Override
        public int length() {
            return parent.length() + 1 + field.length();
        }

        @Override
        public char charAt(int index) {
            return toString().charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().subSequence(start, end);
        }
    }
}
