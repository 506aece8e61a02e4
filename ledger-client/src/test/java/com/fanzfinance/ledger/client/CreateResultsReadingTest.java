package com.fanzfinance.ledger.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The fast readings of a batch's JSON results — byte by byte ({@link ExactCreateResults}) and streamed
 * ({@link JsonResponseReader#createResultsStreamed}) — against the tree reading they stand in for: wherever a
 * fast reading answers, the tree reading gives the same results (never an error), over the answers the server
 * writes and those answers mutated byte by byte.
 */
class CreateResultsReadingTest {
    private static final CreateTransferStatus[] STATUSES = CreateTransferStatus.values();

    @Test
    void theServersAnswersAreReadAsAStreamAndAsATreeAlike() {
        SplittableRandom random = new SplittableRandom(20261206);
        for (int run = 0; run < 300; run++) {
            int count = random.nextInt(0, 40);
            byte[] body = answer(random, count);
            List<CreateResult<CreateTransferStatus>> streamed = streamed(body, count);
            assertThat(streamed).as(new String(body, UTF_8)).isNotNull();
            assertThat(streamed).isEqualTo(tree(body, count));
            assertThat(exact(body, count)).as(new String(body, UTF_8)).isEqualTo(streamed);
        }
    }

    @Test
    void aFullBatchIsReadAlike() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] body = answer(random, LedgerClient.BATCH_EVENTS_MAX);
        List<CreateResult<CreateTransferStatus>> streamed = streamed(body, LedgerClient.BATCH_EVENTS_MAX);
        assertThat(streamed).hasSize(LedgerClient.BATCH_EVENTS_MAX).isEqualTo(tree(body, LedgerClient.BATCH_EVENTS_MAX));
        assertThat(exact(body, LedgerClient.BATCH_EVENTS_MAX)).isEqualTo(streamed);
        assertThat(JsonResponseReader.createResults(body, LedgerClient.BATCH_EVENTS_MAX, CreateTransferStatus::ofWireName))
            .isEqualTo(streamed);
    }

    @Test
    void mutatedAnswersAreNeverReadDifferentlyNorWhereTheTreeRefuses() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] alphabet = "{}[],:\"0123456789-+.eE \\u tnfalsrindexstatustimestampid".getBytes(UTF_8);
        int streamedAnswers = 0;
        int exactAnswers = 0;
        for (int run = 0; run < 3000; run++) {
            int count = random.nextInt(1, 6);
            byte[] body = answer(random, count);
            byte[] mutated = switch (random.nextInt(4)) {
                case 0 -> Arrays.copyOf(body, random.nextInt(body.length));
                case 1 -> changed(body, random.nextInt(body.length), alphabet[random.nextInt(alphabet.length)]);
                case 2 -> removed(body, random.nextInt(body.length));
                default -> inserted(body, random.nextInt(body.length + 1), alphabet[random.nextInt(alphabet.length)]);
            };
            int expected = random.nextInt(8) == 0 ? count + random.nextInt(-1, 2) : count;
            List<CreateResult<CreateTransferStatus>> streamed = streamed(mutated, Math.max(0, expected));
            if (streamed != null) {
                streamedAnswers++;
                assertThat(tree(mutated, Math.max(0, expected))).as(new String(mutated, UTF_8)).isEqualTo(streamed);
            }
            List<CreateResult<CreateTransferStatus>> exact = exact(mutated, Math.max(0, expected));
            if (exact != null) {
                exactAnswers++;
                assertThat(tree(mutated, Math.max(0, expected))).as(new String(mutated, UTF_8)).isEqualTo(exact);
            }
        }
        assertThat(streamedAnswers).as("mutations that leave a valid answer are still read as a stream").isPositive();
        assertThat(exactAnswers).as("mutations that leave the server's layout are still read byte by byte").isPositive();
    }

    @Test
    void everyByteValueAtEveryPlaceOfAnAnswerIsReadByteByByteAsTheTreeReadsItOrLeftToIt() {
        SplittableRandom random = new SplittableRandom(11);
        for (int count : new int[] {1, 2, 11}) {
            byte[] body = answer(random, count);
            assertThat(exact(body, count)).isEqualTo(tree(body, count)).isNotNull();
            int read = 0;
            for (int at = 0; at < body.length; at++) {
                for (int value = 0; value < 256; value++) {
                    if (count == 11 && value % 7 != 0) {
                        continue; // the longer answer: a seventh of the values everywhere, to stay quick
                    }
                    byte[] mutated = changed(body, at, (byte) value);
                    List<CreateResult<CreateTransferStatus>> exact = exact(mutated, count);
                    if (exact != null) {
                        read++;
                        assertThat(exact).as("byte %d at %d of %s", value, at, new String(body, UTF_8))
                            .isEqualTo(tree(mutated, count)).isNotNull();
                    }
                }
            }
            assertThat(read).as("changes within ids, statuses and timestamps are still read").isGreaterThan(body.length / 8);
        }
    }

    @Test
    void whatTheBytesDeclineIsLeftToTheOtherReadings() {
        String one = "{\"index\":0,\"id\":\"00000000-0000-0001-0000-00000000000a\",\"status\":\"created\",\"timestamp\":\"17\"}";
        List<CreateResult<CreateTransferStatus>> created = List.of(new CreateResult<>(0, CreateTransferStatus.CREATED, 17));
        assertThat(exact(("{\"results\":[" + one + "]}").getBytes(UTF_8), 1)).isEqualTo(created);
        for (String body : List.of(
            "{\"results\":[" + one + "]} ",
            "{ \"results\":[" + one + "]}",
            "{\"results\":[" + one.replace("0a\"", "0A\"") + "]}",
            "{\"results\":[" + one.replace("\"id\":\"00000000-", "\"id\":\"0000000-") + "]}",
            "{\"results\":[" + one.replace("created", "cre\\u0061ted") + "]}",
            "{\"results\":[" + one.replace("\"17\"", "\"0017\"").replace(":0,", ":0 ,") + "]}",
            "{\"results\":[" + one.replace(",\"id\":\"00000000-0000-0001-0000-00000000000a\"", "") + "]}")) {
            byte[] bytes = body.getBytes(UTF_8);
            assertThat(exact(bytes, 1)).as(body).isNull();
            assertThat(JsonResponseReader.createResults(bytes, 1, CreateTransferStatus::ofWireName)).as(body)
                .isEqualTo(created);
        }
        // Leading zeros in a timestamp are digits the tree reads too; in an index they are not JSON.
        assertThat(exact(("{\"results\":[" + one.replace("\"17\"", "\"0017\"") + "]}").getBytes(UTF_8), 1))
            .isEqualTo(created);
        assertThat(exact(("{\"results\":[" + one.replace(":0,", ":00,") + "]}").getBytes(UTF_8), 1)).isNull();
        // 2^64 - 1 is the tree's to read; 2^64 and 21 digits its to refuse.
        for (String timestamp : List.of("18446744073709551615", "18446744073709551616", "000000000000000000017")) {
            assertThat(exact(("{\"results\":[" + one.replace("\"17\"", "\"" + timestamp + "\"") + "]}").getBytes(UTF_8), 1))
                .as(timestamp).isNull();
        }
        // An unknown status, or one of another kind, is left to the tree (which refuses or reads it with its names).
        assertThat(exact(("{\"results\":[" + one.replace("created", "brand_new") + "]}").getBytes(UTF_8), 1)).isNull();
        assertThat(ExactCreateResults.read(("{\"results\":[" + one.replace("created", "exists") + "]}").getBytes(UTF_8), 1,
            CreateAccountStatus::ofWireName)).containsExactly(new CreateResult<>(0, CreateAccountStatus.EXISTS, 17));
        // Fewer or more results than events.
        assertThat(exact(("{\"results\":[" + one + "]}").getBytes(UTF_8), 2)).isNull();
        assertThat(exact(("{\"results\":[" + one + "," + one.replace(":0,", ":1,") + "]}").getBytes(UTF_8), 1)).isNull();
        assertThat(exact("{\"results\":[]}".getBytes(UTF_8), 0)).isEmpty();
    }

    private static List<CreateResult<CreateTransferStatus>> exact(byte[] body, int count) {
        return ExactCreateResults.read(body, count, CreateTransferStatus::ofWireName);
    }

    @Test
    void whatTheStreamDeclinesIsTheTreesToAnswerOrRefuse() {
        String one = "{\"index\":0,\"id\":\"00000000-0000-0001-0000-000000000002\",\"status\":\"created\",\"timestamp\":\"17\"}";
        // Read by the tree, not the stream: the same results.
        for (String body : List.of(
            "{\"results\":[{\"index\":0,\"status\":\"created\",\"timestamp\":17}]}",
            "{\"results\":[{\"status\":\"created\",\"timestamp\":\"17\",\"extra\":[1,{}]}]}",
            "{\"results\":[{\"status\":\"exists\",\"status\":\"created\",\"timestamp\":\"17\"}]}",
            "{\"took\":\"1ms\",\"results\":[" + one + "]}",
            "{\"results\":[" + one + "]} trailing",
            "{\"results\":[{\"id\":{},\"status\":\"created\",\"timestamp\":\"0017\"}]}")) {
            byte[] bytes = body.getBytes(UTF_8);
            assertThat(streamed(bytes, 1)).as(body).isNull();
            assertThat(JsonResponseReader.createResults(bytes, 1, CreateTransferStatus::ofWireName)).as(body)
                .containsExactly(new CreateResult<>(0, CreateTransferStatus.CREATED, 17));
        }
        // The largest unsigned 64-bit timestamp, declined by the stream, is the tree's.
        byte[] largest = "{\"results\":[{\"status\":\"created\",\"timestamp\":\"18446744073709551615\"}]}".getBytes(UTF_8);
        assertThat(streamed(largest, 1)).isNull();
        assertThat(tree(largest, 1)).containsExactly(new CreateResult<>(0, CreateTransferStatus.CREATED, -1L));
        // Refused by the tree, with its message.
        assertRefused("{\"results\":[{\"index\":1,\"status\":\"created\"}]}", 1, "result 0 has index 1");
        assertRefused("{\"results\":[{\"status\":\"brand_new\"}]}", 1, "unknown status 'brand_new'");
        assertRefused("{\"results\":[{\"status\":\"created\",\"timestamp\":\"18446744073709551616\"}]}", 1, "out of range");
        assertRefused("{\"results\":[{\"status\":\"created\",\"timestamp\":\"1e3\"}]}", 1, "not a decimal number");
        assertRefused("{\"results\":[" + one + "," + one.replace(":0,", ":1,") + "]}", 1, "1 results expected, 2 received");
        assertRefused("{\"results\":[" + one + "]", 1, "malformed JSON");
        // An id that is not valid UTF-8 (a lone surrogate, a stray byte) is refused as the tree refuses it.
        for (byte[] bad : List.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF})) {
            byte[] body = concat("{\"results\":[{\"index\":0,\"id\":\"".getBytes(UTF_8), bad,
                "\",\"status\":\"created\",\"timestamp\":\"1\"}]}".getBytes(UTF_8));
            assertThat(streamed(body, 1)).isNull();
            assertThatThrownBy(() -> JsonResponseReader.createResults(body, 1, CreateTransferStatus::ofWireName))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("UTF-8");
        }
        // Another kind's statuses are read with its own names.
        assertThat(JsonResponseReader.createResults(("{\"results\":[" + one.replace("created", "exists") + "]}").getBytes(UTF_8),
            1, CreateAccountStatus::ofWireName)).containsExactly(new CreateResult<>(0, CreateAccountStatus.EXISTS, 17));
    }

    private static void assertRefused(String body, int count, String message) {
        assertThatThrownBy(() -> JsonResponseReader.createResults(body.getBytes(UTF_8), count, CreateTransferStatus::ofWireName))
            .as(body).isInstanceOf(UncheckedIOException.class).hasMessageContaining(message);
    }

    private static List<CreateResult<CreateTransferStatus>> streamed(byte[] body, int count) {
        return JsonResponseReader.createResultsStreamed(body, count, CreateTransferStatus::ofWireName);
    }

    /** The tree reading alone, or null where it refuses. */
    private static List<CreateResult<CreateTransferStatus>> tree(byte[] body, int count) {
        try {
            return JsonResponseReader.createResultsFromTree(body, count, CreateTransferStatus::ofWireName);
        } catch (UncheckedIOException refused) {
            return null;
        }
    }

    /** An answer in the server's own layout (as JsonResponses writes it): index, id, status, timestamp. */
    private static byte[] answer(SplittableRandom random, int count) {
        StringBuilder body = new StringBuilder("{\"results\":[");
        for (int i = 0; i < count; i++) {
            long timestamp = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextLong(1, 1000);
                case 2 -> random.nextLong() >>> 1;
                default -> -2 - random.nextInt(5);
            };
            body.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"id\":\"")
                .append(Uint128.of(random.nextLong(), random.nextLong()).toUuidString()).append("\",\"status\":\"")
                .append(STATUSES[random.nextInt(STATUSES.length)].wireName()).append("\",\"timestamp\":\"")
                .append(Long.toUnsignedString(timestamp)).append("\"}");
        }
        return body.append("]}").toString().getBytes(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] changed(byte[] body, int at, byte value) {
        byte[] copy = body.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] removed(byte[] body, int at) {
        byte[] copy = new byte[body.length - 1];
        System.arraycopy(body, 0, copy, 0, at);
        System.arraycopy(body, at + 1, copy, at, body.length - at - 1);
        return copy;
    }

    private static byte[] inserted(byte[] body, int at, byte value) {
        byte[] copy = new byte[body.length + 1];
        System.arraycopy(body, 0, copy, 0, at);
        copy[at] = value;
        System.arraycopy(body, at, copy, at + 1, body.length - at);
        return copy;
    }
}
