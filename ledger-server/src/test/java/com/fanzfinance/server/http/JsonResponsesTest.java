package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The answer to a batch, written byte by byte, is byte for byte what Jackson's generator writes for the same
 * values (the way it was written before), for every status, index and timestamp width.
 */
class JsonResponsesTest {
    @Property(tries = 200)
    void batchAnswersAreJacksonsBytes(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        boolean accounts = random.nextBoolean();
        boolean failuresOnly = random.nextBoolean();
        int count = random.nextInt(4) == 0 ? 0 : random.nextInt(300) + 1;
        UnsafeBuffer results = new UnsafeBuffer(new byte[Math.max(count, 1) * ResultLayout.SIZE]);
        Uint128[] ids = new Uint128[count];
        Enum<?>[] statuses = accounts ? CreateAccountStatus.values() : CreateTransferStatus.values();
        for (int i = 0; i < count; i++) {
            Enum<?> status = random.nextBoolean() ? statuses[0] : statuses[random.nextInt(statuses.length)];
            int code = accounts ? ((CreateAccountStatus) status).codeBits() : ((CreateTransferStatus) status).codeBits();
            results.putInt(i * ResultLayout.SIZE + ResultLayout.STATUS, code);
            long timestamp = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextLong(); // negative half: past 2^63 as unsigned
                case 2 -> random.nextInt(1000);
                default -> random.nextLong() & Long.MAX_VALUE;
            };
            results.putLong(i * ResultLayout.SIZE, timestamp);
            ids[i] = random.nextInt(5) == 0 ? Uint128.ZERO : new Uint128(random.nextLong(), random.nextLong());
        }
        byte[] written = JsonResponses.createResults(results, records(ids, random), count, accounts, failuresOnly);
        assertThat(new String(written, StandardCharsets.UTF_8))
            .isEqualTo(new String(jackson(results, ids, count, accounts, failuresOnly), StandardCharsets.UTF_8));
    }

    @Test
    void aFullBatchIsValidJsonWithEveryResult() throws IOException {
        int count = JsonRequests.EVENTS_MAX;
        UnsafeBuffer results = new UnsafeBuffer(new byte[count * ResultLayout.SIZE]);
        Uint128[] ids = new Uint128[count];
        for (int i = 0; i < count; i++) {
            results.putInt(i * ResultLayout.SIZE + ResultLayout.STATUS, CreateTransferStatus.CREATED.codeBits());
            results.putLong(i * ResultLayout.SIZE, -1L);
            ids[i] = new Uint128(-1L, -1L);
        }
        JsonNode answer = new ObjectMapper().readTree(JsonResponses.createResults(results, records(ids, new Random(1)), count,
            false, false));
        assertThat(answer.get("results")).hasSize(count);
        JsonNode last = answer.get("results").get(count - 1);
        assertThat(last.get("index").asInt()).isEqualTo(count - 1);
        assertThat(last.get("id").asText()).isEqualTo("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertThat(last.get("status").asText()).isEqualTo("created");
        assertThat(last.get("timestamp").asText()).isEqualTo("18446744073709551615");
    }

    /** Records (random bytes, as a record's other fields would be) with each id in its place. */
    private static UnsafeBuffer records(Uint128[] ids, Random random) {
        byte[] bytes = new byte[Math.max(ids.length, 1) * TransferLayout.SIZE];
        random.nextBytes(bytes);
        UnsafeBuffer records = new UnsafeBuffer(bytes);
        for (int i = 0; i < ids.length; i++) {
            Records.putId(records, i * TransferLayout.SIZE + TransferLayout.ID, ids[i]);
        }
        return records;
    }

    /**
     * The answer as Jackson's generator wrote it before it was written byte by byte; with {@code failuresOnly},
     * without the events that were created.
     */
    private static byte[] jackson(UnsafeBuffer results, Uint128[] ids, int count, boolean accounts, boolean failuresOnly)
        throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (int i = 0; i < count; i++) {
                long code = results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL;
                String status = accounts ? CreateAccountStatus.ofCode(code).wireName()
                    : CreateTransferStatus.ofCode(code).wireName();
                if (failuresOnly && "created".equals(status)) {
                    continue;
                }
                json.writeStartObject();
                json.writeNumberField("index", i);
                json.writeStringField("id", ids[i].toUuidString());
                json.writeStringField("status", status);
                json.writeStringField("timestamp", Long.toUnsignedString(results.getLong(i * ResultLayout.SIZE)));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }
}
