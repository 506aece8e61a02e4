package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import com.fanzfinance.ledger.client.RecordJson;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The fast path for JSON transfer batches gives exactly the general parser's batch or declines: it takes what the
 * ledger's own client writes, and on bodies of every shape — valid, refused, malformed, mutated byte by byte — it
 * never answers where the general parser refuses, nor answers differently where it accepts.
 */
class FastJsonTransfersTest {
    private static final JsonFactory JSON = new JsonFactory();
    /** A helper thread as the server has them: takes a half only while idle, else refuses. */
    private static final ThreadPoolExecutor HELPER = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "test-parse-helper");
            thread.setDaemon(true);
            return thread;
        });
    private static final String TRANSFER = "{\"id\":\"00000000-0000-0000-0000-000000000001\","
        + "\"debit_account_id\":\"00000000-0000-0000-0000-000000000002\","
        + "\"credit_account_id\":\"00000000-0000-0000-0000-000000000003\",\"amount\":\"7\",\"ledger\":1,\"code\":1}";

    @Property(tries = 300)
    void takesWhatTheLedgerClientWrites(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        List<Transfer> transfers = randomTransfers(random, random.nextInt(40) + 1);
        byte[] body = clientBody(transfers, random.nextBoolean());
        JsonRequests.Batch fast = FastJsonTransfers.parse(body, body.length);
        assertThat(fast).as("the fast path takes the client's body").isNotNull();
        assertSame(fast, general(body));
        for (int i = 0; i < transfers.size(); i++) {
            assertThat(fast.records().getLong(i * 128 + TransferLayout.USER_DATA_64)).isEqualTo(transfers.get(i).userData64());
            assertThat(Records.id(fast.records(), i * 128)).isEqualTo(transfers.get(i).id());
        }
    }

    /**
     * Bodies built from pieces that each path treats alike or not, then often mutated: the fast path's answer, when
     * it gives one, is the general parser's, and it gives none where the general parser refuses.
     */
    @Property(tries = 3000)
    void neverAnswersOtherwiseThanTheGeneralParser(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] body = randomBody(random);
        if (random.nextInt(4) == 0) {
            body = mutate(body, random);
        }
        JsonRequests.Batch general = general(body);
        JsonRequests.Batch fast = FastJsonTransfers.parse(body, body.length);
        Statistics.label("general parser").collect(general == null ? "refused" : "accepted");
        Statistics.label("fast path").collect(fast == null ? "declined" : "answered");
        // Not vacuous: the bodies are a fair share of each kind.
        Statistics.label("general parser").coverage(coverage -> coverage.check("accepted").percentage(p -> p > 20));
        Statistics.label("fast path").coverage(coverage -> {
            coverage.check("answered").percentage(p -> p > 15);
            coverage.check("declined").percentage(p -> p > 20);
        });
        if (fast != null) {
            assertThat(general).as("the general parser accepts what the fast path answered: %s",
                new String(body, StandardCharsets.UTF_8)).isNotNull();
            assertSame(fast, general);
        }
    }

    /**
     * A body cut in two halves parsed at once gives exactly the single pass's batch, or declines where it declines,
     * whoever parses the second half: a helper thread alongside this one (or this thread, after the first half, if
     * the helper has not begun it), a helper thread before the first half is begun, this thread before the first
     * half (a helper that runs what it is given at once) — or nobody, the helper refusing and this thread parsing
     * the body in one pass.
     */
    @Property(tries = 3000)
    void aSplitParseIsTheSinglePass(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] body = random.nextInt(5) == 0 ? clientBody(randomTransfers(random, 2 + random.nextInt(30)),
            random.nextBoolean()) : randomBody(random);
        if (random.nextInt(3) == 0) {
            body = mutate(body, random);
        }
        JsonRequests.Batch single = FastJsonTransfers.parse(body, body.length);
        int[] handedOff = new int[1];
        Executor[] helpers = {HELPER, FastJsonTransfersTest::onTheHelperAndWait, runnable -> {
            throw new RejectedExecutionException("busy");
        }, Runnable::run};
        for (int h = 0; h < helpers.length; h++) {
            Executor helper = helpers[h];
            int splitBytesMin = random.nextInt(body.length / 2 + 1);
            JsonRequests.Batch split = FastJsonTransfers.parse(body, body.length, runnable -> {
                handedOff[0]++;
                helper.execute(runnable);
            }, splitBytesMin);
            String where = "helper " + h + ", split from " + splitBytesMin + " bytes: " + new String(body, StandardCharsets.UTF_8);
            if (single == null) {
                assertThat(split).as("declined in one pass, %s", where).isNull();
            } else {
                assertThat(split).as("answered in one pass, %s", where).isNotNull();
                assertSame(split, single);
            }
        }
        Statistics.label("split").collect(handedOff[0] > 0 ? "split" : "not split");
        Statistics.label("one pass").collect(single == null ? "declined" : "answered");
        Statistics.label("split").coverage(coverage -> coverage.check("split").percentage(p -> p > 30));
        Statistics.label("one pass").coverage(coverage -> coverage.check("answered").percentage(p -> p > 15));
    }

    /** A full batch as the ledger client writes it, parsed in halves on two threads: the same batch as one pass. */
    @Test
    void aFullClientBatchSplitOnTwoThreadsIsTheSinglePass() throws IOException {
        Random random = new Random(7);
        byte[] body = clientBody(randomTransfers(random, JsonRequests.EVENTS_MAX), false);
        assertThat(body.length).isGreaterThan(FastJsonTransfers.SPLIT_BYTES_MIN);
        String[] ranOn = new String[1];
        JsonRequests.Batch split = FastJsonTransfers.parse(body, body.length, runnable -> onTheHelperAndWait(() -> {
            ranOn[0] = Thread.currentThread().getName();
            runnable.run();
        }), FastJsonTransfers.SPLIT_BYTES_MIN);
        assertThat(ranOn[0]).as("the second half parsed by the helper").isEqualTo("test-parse-helper-waited");
        assertThat(split).isNotNull();
        assertThat(split.count()).isEqualTo(JsonRequests.EVENTS_MAX);
        assertSame(split, FastJsonTransfers.parse(body, body.length));
        assertSame(split, general(body));
        // the two halves at once (which thread takes the second is up to the scheduler)
        assertSame(FastJsonTransfers.parse(body, body.length, HELPER, FastJsonTransfers.SPLIT_BYTES_MIN), split);
        // one more than the limit, the extra transfer in the second half: declined, as in one pass
        byte[] over = clientBody(randomTransfers(random, JsonRequests.EVENTS_MAX + 1), false);
        assertThat(FastJsonTransfers.parse(over, over.length, HELPER, 0)).isNull();
    }

    /** A helper thread that queues what it is given (never refuses), for {@link #onTheHelperAndWait}. */
    private static final java.util.concurrent.ExecutorService WAITED_HELPER = java.util.concurrent.Executors
        .newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-parse-helper-waited");
            thread.setDaemon(true);
            return thread;
        });

    /** Runs {@code task} on a helper thread and returns once it is done: the helper always takes the half first. */
    private static void onTheHelperAndWait(Runnable task) {
        try {
            WAITED_HELPER.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every value of every pool in every field, alone in an otherwise valid transfer: the fast path agrees. */
    @Test
    void agreesOnEveryValueInEveryField() {
        List<String> values = new ArrayList<>();
        for (String[] pool : new String[][] {UUIDS, U64, INTS, FLAGS, METADATA}) {
            values.addAll(List.of(pool));
        }
        int answered = 0;
        int refused = 0;
        for (String key : KEYS) {
            for (String value : values) {
                String transfer = TRANSFER.contains("\"" + key + "\":")
                    ? TRANSFER.replaceFirst("\"" + key + "\":(\"[^\"]*\"|[0-9]+)", "\"" + key + "\":" + java.util.regex.Matcher.quoteReplacement(value))
                    : TRANSFER.substring(0, TRANSFER.length() - 1) + ",\"" + key + "\":" + value + "}";
                byte[] body = ("{\"transfers\":[" + transfer + "]}").getBytes(StandardCharsets.UTF_8);
                JsonRequests.Batch general = general(body);
                JsonRequests.Batch fast = FastJsonTransfers.parse(body, body.length);
                if (fast != null) {
                    assertThat(general).as("the general parser accepts %s", transfer).isNotNull();
                    assertSame(fast, general);
                    answered++;
                }
                refused += general == null ? 1 : 0;
            }
        }
        assertThat(answered).as("answered").isGreaterThan(100);
        assertThat(refused).as("refused").isGreaterThan(300);
    }

    /**
     * Every byte value at every position of a UUID, in every id field: the digits are read eight and four at a
     * time with byte-wise range tests on one long, so each position and each byte around the ranges' edges
     * ({@code / 0 9 : ` a f g}, upper case, bytes at and above 0x80) must decline or agree exactly.
     */
    @Test
    void agreesOnEveryByteAtEveryPositionOfAnId() {
        String good = "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b7";
        int answered = 0;
        int declined = 0;
        for (String key : new String[] {"id", "debit_account_id", "credit_account_id", "pending_id", "user_data_128"}) {
            for (int position = 0; position < good.length(); position++) {
                for (int value = 0; value < 256; value++) {
                    byte[] uuid = good.getBytes(StandardCharsets.ISO_8859_1);
                    uuid[position] = (byte) value;
                    String pair = "\"" + key + "\":\"" + new String(uuid, StandardCharsets.ISO_8859_1) + "\"";
                    String transfer = TRANSFER.contains("\"" + key + "\":")
                        ? TRANSFER.replaceFirst("\"" + key + "\":(\"[^\"]*\"|[0-9]+)", java.util.regex.Matcher.quoteReplacement(pair))
                        : TRANSFER.substring(0, TRANSFER.length() - 1) + "," + pair + "}";
                    byte[] body = ("{\"transfers\":[" + transfer + "]}").getBytes(StandardCharsets.ISO_8859_1);
                    JsonRequests.Batch general = general(body);
                    JsonRequests.Batch fast = FastJsonTransfers.parse(body, body.length);
                    if (fast == null) {
                        declined++;
                        continue;
                    }
                    assertThat(general).as("the general parser accepts %s", transfer).isNotNull();
                    assertSame(fast, general);
                    answered++;
                }
            }
        }
        // Per key: 32 digit positions x 16 lower-case digits, and the 4 dashes left as they are; nothing else.
        assertThat(answered).isEqualTo(5 * (32 * 16 + 4));
        assertThat(declined).isEqualTo(5 * 36 * 256 - answered);
    }

    /**
     * Every byte value in place of each key's closing quote and of the byte before it, each key first and in the
     * order clients write them: the fast path guesses the next key and compares it whole, so a longer, shorter or
     * unterminated key must decline or agree exactly.
     */
    @Test
    void agreesOnEveryByteAroundTheEndOfEveryKey() {
        String all = "\"id\":\"00000000-0000-0000-0000-000000000001\",\"debit_account_id\":\"00000000-0000-0000-0000-000000000002\","
            + "\"credit_account_id\":\"00000000-0000-0000-0000-000000000003\",\"amount\":\"7\",\"pending_id\":null,"
            + "\"user_data_128\":null,\"user_data_64\":\"5\",\"user_data_32\":3,\"timeout\":0,\"ledger\":1,\"code\":1,"
            + "\"flags\":[],\"timestamp\":\"0\",\"metadata\":null";
        int answered = 0;
        int declined = 0;
        for (String key : KEYS) {
            int closing = all.indexOf("\"" + key + "\":") + key.length() + 1;
            for (int at : new int[] {closing, closing - 1}) {
                for (int value = 0; value < 256; value++) {
                    byte[] pairs = all.getBytes(StandardCharsets.ISO_8859_1);
                    pairs[at] = (byte) value;
                    byte[] body = ("{\"transfers\":[{" + new String(pairs, StandardCharsets.ISO_8859_1) + "},{" + all + "}]}")
                        .getBytes(StandardCharsets.ISO_8859_1);
                    JsonRequests.Batch general = general(body);
                    JsonRequests.Batch fast = FastJsonTransfers.parse(body, body.length);
                    if (fast == null) {
                        declined++;
                        continue;
                    }
                    assertThat(general).as("the general parser accepts %s", new String(body, StandardCharsets.ISO_8859_1))
                        .isNotNull();
                    assertSame(fast, general);
                    answered++;
                }
            }
        }
        assertThat(answered).as("only the byte as it was").isEqualTo(2 * KEYS.length);
        assertThat(declined).isEqualTo(2 * KEYS.length * 256 - answered);
    }

    /** Keys in another order than clients write them, or missing: the same batch as the general parser's. */
    @Property(tries = 300)
    void agreesWhateverTheOrderOfTheKeys(@ForAll long seed) {
        Random random = new Random(seed);
        List<String> pairs = new ArrayList<>(List.of("\"id\":\"00000000-0000-0000-0000-00000000abcd\"",
            "\"debit_account_id\":\"00000000-0000-0000-0000-000000000001\"",
            "\"credit_account_id\":\"00000000-0000-0000-0000-000000000002\"", "\"amount\":\"17\"",
            "\"pending_id\":null", "\"user_data_128\":\"0123abcd-ef45-6789-a0b1-c2d3e4f5a6b7\"",
            "\"user_data_64\":\"18446744073709551615\"", "\"user_data_32\":4294967295", "\"timeout\":0",
            "\"ledger\":1", "\"code\":65535", "\"flags\":[\"pending\"]", "\"timestamp\":\"0\"", "\"metadata\":null"));
        StringBuilder body = new StringBuilder("{\"transfers\":[");
        for (int t = 0; t < 1 + random.nextInt(4); t++) {
            java.util.Collections.shuffle(pairs, random);
            List<String> kept = pairs.subList(0, 1 + random.nextInt(pairs.size()));
            body.append(t == 0 ? "" : ",").append('{').append(String.join(",", kept)).append('}');
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        JsonRequests.Batch general = general(bytes);
        JsonRequests.Batch fast = FastJsonTransfers.parse(bytes, bytes.length);
        assertThat(fast).isNotNull();
        assertThat(general).isNotNull();
        assertSame(fast, general);
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] body = ("{\"transfers\":[" + TRANSFER + "]}   trailing bytes past the length").getBytes(StandardCharsets.UTF_8);
        int length = ("{\"transfers\":[" + TRANSFER + "]}").length();
        JsonRequests.Batch fast = FastJsonTransfers.parse(body, length);
        assertThat(fast).isNotNull();
        assertThat(fast.count()).isEqualTo(1);
        assertThat(FastJsonTransfers.parse(body, body.length)).isNull();
    }

    @Test
    void takesWhitespaceEmptyObjectsAndNullsAsTheGeneralParserDoes() {
        String body = " \r\n{ \"transfers\" :\t[ {} , { \"id\" : null , \"flags\" : [ \"linked\" , \"pending\" ] ,"
            + " \"metadata\" : null , \"amount\" : 0 , \"user_data_64\" : \"18446744073709551615\" , \"timeout\" : 4294967295 ,"
            + " \"ledger\" : 2147483647 , \"code\" : 65535 , \"timestamp\" : 9223372036854775807 } ] } \n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        JsonRequests.Batch fast = FastJsonTransfers.parse(bytes, bytes.length);
        assertThat(fast).isNotNull();
        assertSame(fast, general(bytes));
        assertThat(fast.records().getShort(128 + TransferLayout.FLAGS)).isEqualTo((short) (TransferFlags.LINKED | TransferFlags.PENDING));
        assertThat(fast.records().getLong(128 + TransferLayout.USER_DATA_64)).isEqualTo(-1L);
        assertThat(fast.records().getInt(128 + TransferLayout.TIMEOUT)).isEqualTo(-1);
        assertThat(fast.records().getShort(128 + TransferLayout.CODE)).isEqualTo((short) 0xFFFF);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"transfers\":[{T,\"metadata\":{\"order\":1}}]}", // metadata objects are the general parser's
        "{\"transfers\":[{T,\"amount\":\"8\"}]}", // a key twice
        "{\"transfers\":[{T,\"amonut\":1}]}", // an unknown key
        "{\"transfers\":[{T,\"\\u0063ode\":1}]}", // an escape in a key
        "{\"transfers\":[{T,\"user_data_32\":1.0}]}", // a fraction
        "{\"transfers\":[{T,\"user_data_32\":-0}]}", // a sign
        "{\"transfers\":[{T,\"user_data_32\":01}]}", // a leading zero
        "{\"transfers\":[{T,\"user_data_32\":4294967296}]}", // out of range
        "{\"transfers\":[{T,\"user_data_64\":\"18446744073709551616\"}]}", // past 2^64 - 1
        "{\"transfers\":[{T,\"user_data_64\":\"000000000000000000001\"}]}", // 21 digits
        "{\"transfers\":[{T,\"timestamp\":\"9223372036854775808\"}]}", // past 2^63 - 1
        "{\"transfers\":[{T,\"user_data_128\":\"00000000-0000-0000-0000-00000000000A\"}]}", // upper case
        "{\"transfers\":[{T,\"flags\":[\"linked\",\"lnked\"]}]}", // an unknown flag
        "{\"transfers\":[{T}],\"transfers\":[]}", // the array twice
        "{\"transfers\":[{T},]}", // a trailing comma
        "{\"transfers\":[{T}]}x", // bytes after the value
        "{\"transfers\":[{T}]", // truncated
        "\uFEFF{\"transfers\":[{T}]}", // a byte-order mark
    })
    void declinesWhatItLeavesToTheGeneralParser(String template) {
        byte[] body = template.replace("{T", TRANSFER.substring(0, TRANSFER.length() - 1)).getBytes(StandardCharsets.UTF_8);
        assertThat(FastJsonTransfers.parse(body, body.length)).isNull();
    }

    @Test
    void declinesABatchAboveTheLimit() {
        StringBuilder body = new StringBuilder("{\"transfers\":[");
        for (int i = 0; i <= JsonRequests.EVENTS_MAX; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        byte[] over = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(FastJsonTransfers.parse(over, over.length)).isNull();
        byte[] limit = ("{\"transfers\":[" + "{},".repeat(JsonRequests.EVENTS_MAX - 1) + "{}]}").getBytes(StandardCharsets.UTF_8);
        JsonRequests.Batch batch = FastJsonTransfers.parse(limit, limit.length);
        assertThat(batch).isNotNull();
        assertThat(batch.count()).isEqualTo(JsonRequests.EVENTS_MAX);
        assertSame(batch, general(limit));
    }

    @Test
    void theByteArrayEntryFallsBackToTheGeneralParserWithItsProblem() {
        byte[] body = ("{\"transfers\":[" + TRANSFER.replace("\"code\":1", "\"code\":65536") + "]}").getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonRequests.transfers(body, body.length, null))
            .isInstanceOfSatisfying(Problem.class, problem -> {
                assertThat(problem.pointer()).isEqualTo("/transfers/0/code");
                assertThat(problem.getMessage()).contains("must be in 0..65535, was 65536");
            });
        byte[] withMetadata = ("{\"transfers\":[" + TRANSFER.replace("}", ",\"metadata\":{\"a\":1}}") + "]}")
            .getBytes(StandardCharsets.UTF_8);
        JsonRequests.Batch batch = JsonRequests.transfers(withMetadata, withMetadata.length, null);
        assertThat(new String(batch.sideData().byteArray(), 0, batch.sideDataLength(), StandardCharsets.UTF_8))
            .contains("{\"a\":1}");
    }

    private static JsonRequests.Batch general(byte[] body) {
        try {
            return JsonRequests.transfers(new ByteArrayInputStream(body));
        } catch (Problem refused) {
            return null;
        }
    }

    private static void assertSame(JsonRequests.Batch fast, JsonRequests.Batch general) {
        assertThat(fast.count()).isEqualTo(general.count());
        assertThat(bytes(fast.records(), fast.count() * 128)).isEqualTo(bytes(general.records(), general.count() * 128));
        assertThat(bytes(fast.sideData(), fast.sideDataLength())).isEqualTo(bytes(general.sideData(), general.sideDataLength()));
        assertThat(fast.tenants()).isEqualTo(general.tenants());
    }

    private static byte[] bytes(org.agrona.DirectBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] clientBody(List<Transfer> transfers, boolean pretty) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            json.writeStartObject();
            json.writeArrayFieldStart("transfers");
            for (Transfer transfer : transfers) {
                json.writeStartObject();
                RecordJson.writeTransferFields(json, transfer);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static List<Transfer> randomTransfers(Random random, int count) {
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            transfers.add(new Transfer(uuid(random), uuid(random), uuid(random), random.nextLong() & Long.MAX_VALUE,
                random.nextInt(4) == 0 ? Uint128.ZERO : uuid(random), uuid(random), random.nextLong(), random.nextInt(),
                random.nextInt(), random.nextInt() & Integer.MAX_VALUE, random.nextInt(0x10000),
                random.nextInt(TransferFlags.ALL + 1), random.nextLong() & Long.MAX_VALUE, PendingStatus.NONE));
        }
        return transfers;
    }

    private static Uint128 uuid(Random random) {
        return new Uint128(random.nextLong(), random.nextLong());
    }

    /** JSON's whitespace, then two characters that are not. */
    private static final String[] WHITESPACE = {" ", "\n", "\r\n  ", "\t", "\u00a0", "\f"};
    // Each pool begins with values every field of its kind takes (VALID of them), then values that some or all
    // refuse; a value is drawn from the valid ones five times in six.
    private static final int VALID = 3;
    private static final String[] UUIDS = {"null", "\"00000000-0000-0000-0000-000000000000\"",
        "\"0123abcd-ef01-2345-6789-abcdef012345\"", "\"0123ABCD-ef01-2345-6789-abcdef012345\"",
        "\"0123abcd-ef01-2345-6789-abcdef01234\"", "\"0123abcd-ef01-2345-6789-abcdef0123456\"",
        "\"0123abcdef01-2345-6789-abcdef012345-\"", "\"\\u0030123abcd-ef01-2345-6789-abcdef012345\"", "5", "true",
        "\"g123abcd-ef01-2345-6789-abcdef012345\"", "[]"};
    private static final String[] U64 = {"0", "\"007\"", "9223372036854775807", "\"9223372036854775807\"", "7",
        "00", "01", "-1", "-0", "1.5", "1e3", "1E3", "\"\"", "\"12a\"", "9223372036854775808", "18446744073709551615",
        "18446744073709551616", "\"9223372036854775808\"", "\"18446744073709551615\"", "\"18446744073709551616\"",
        "\"99999999999999999999\"", "123456789012345678901", "\"000000000000000000001\"", "null", "true", "\" 1\""};
    private static final String[] INTS = {"0", "1", "65535", "65536", "2147483647", "2147483648", "4294967295",
        "4294967296", "42949672950", "01", "-0", "-1", "1.0", "1e2", "\"5\"", "null", "99999999999"};
    private static final String[] FLAGS = {"[]", "[\"linked\",\"linked\"]", "[ \"pending\" , \"imported\" ]",
        "[\"closing_credit\"]", "[\"unknown\"]", "[1]", "[\"li\\u006eked\"]", "\"linked\"", "null",
        "[\"linked\",]", "[,]", "[\"LINKED\"]"};
    private static final String[] METADATA = {"null", "{}", "{\"a\":1}", "[]", "\"x\""};
    private static final String[] KEYS = {"id", "debit_account_id", "credit_account_id", "amount", "pending_id",
        "user_data_128", "user_data_64", "user_data_32", "timeout", "ledger", "code", "flags", "timestamp", "metadata"};

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Where a body departs from what every field takes: at each chance one time in {@code oneIn}, at most
     * {@code left} times — none (a clean body), exactly one (so that each departure alone is tried), or many.
     */
    private static final class Anomalies {
        private final int oneIn;
        private int left;

        Anomalies(int oneIn, int left) {
            this.oneIn = oneIn;
            this.left = left;
        }

        boolean next(Random random) {
            if (left > 0 && random.nextInt(oneIn) == 0) {
                left--;
                return true;
            }
            return false;
        }
    }

    /** A value from the pool: one of the valid ones, or any where an anomaly falls. */
    private static String draw(Random random, String[] values, Anomalies anomalies) {
        return values[random.nextInt(anomalies.next(random) ? values.length : VALID)];
    }

    private static String ws(Random random, Anomalies anomalies) {
        if (random.nextInt(10) < 8) {
            return "";
        }
        return WHITESPACE[random.nextInt(anomalies.next(random) ? WHITESPACE.length : 4)];
    }

    private static byte[] randomBody(Random random) {
        Anomalies anomalies = switch (random.nextInt(3)) {
            case 0 -> new Anomalies(1, 0);
            case 1 -> new Anomalies(6, 1);
            default -> new Anomalies(8, Integer.MAX_VALUE);
        };
        StringBuilder body = new StringBuilder();
        body.append(ws(random, anomalies)).append('{').append(ws(random, anomalies));
        body.append(anomalies.next(random) ? "\"transfer\"" : "\"transfers\"");
        body.append(ws(random, anomalies)).append(':').append(ws(random, anomalies)).append('[').append(ws(random, anomalies));
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                body.append(ws(random, anomalies)).append(',').append(ws(random, anomalies));
            }
            body.append(randomTransfer(random, anomalies));
        }
        body.append(ws(random, anomalies)).append(']').append(ws(random, anomalies));
        if (anomalies.next(random)) {
            body.append(",\"transfers\":[]");
        }
        body.append('}').append(ws(random, anomalies));
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String randomTransfer(Random random, Anomalies anomalies) {
        List<String> keys = new ArrayList<>();
        for (String key : KEYS) {
            if (random.nextInt(3) > 0) {
                keys.add(key);
            }
        }
        if (anomalies.next(random) && !keys.isEmpty()) {
            keys.add(keys.get(random.nextInt(keys.size())));
        }
        if (anomalies.next(random)) {
            keys.add("unknown_field");
        }
        Collections.shuffle(keys, random);
        StringBuilder transfer = new StringBuilder("{").append(ws(random, anomalies));
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (i > 0) {
                transfer.append(ws(random, anomalies)).append(',').append(ws(random, anomalies));
            }
            String name = anomalies.next(random) ? "\\u00" + Integer.toHexString(key.charAt(0)) + key.substring(1) : key;
            transfer.append('"').append(name).append('"').append(ws(random, anomalies)).append(':').append(ws(random, anomalies));
            transfer.append(value(random, key, anomalies));
        }
        return transfer.append(ws(random, anomalies)).append('}').toString();
    }

    private static String value(Random random, String key, Anomalies anomalies) {
        if (anomalies.next(random)) {
            return pick(random, U64);
        }
        return switch (key) {
            case "id", "debit_account_id", "credit_account_id", "pending_id", "user_data_128" -> draw(random, UUIDS, anomalies);
            case "amount", "user_data_64", "timestamp" -> draw(random, U64, anomalies);
            case "user_data_32", "timeout", "ledger", "code" -> draw(random, INTS, anomalies);
            case "flags" -> draw(random, FLAGS, anomalies);
            case "metadata" -> draw(random, METADATA, anomalies);
            default -> "1";
        };
    }

    private static final byte[] MUTATIONS = "{}[],:\"0159af -\\\nnulx.e\u0000".getBytes(StandardCharsets.ISO_8859_1);

    private static byte[] mutate(byte[] body, Random random) {
        if (body.length == 0) {
            return body;
        }
        int at = random.nextInt(body.length);
        byte[] mutated;
        switch (random.nextInt(4)) {
            case 0 -> mutated = java.util.Arrays.copyOf(body, at); // truncated
            case 1 -> {
                mutated = body.clone();
                mutated[at] = random.nextInt(8) == 0 ? (byte) (0x80 | random.nextInt(0x80)) : MUTATIONS[random.nextInt(MUTATIONS.length)];
            }
            case 2 -> { // a byte removed
                mutated = new byte[body.length - 1];
                System.arraycopy(body, 0, mutated, 0, at);
                System.arraycopy(body, at + 1, mutated, at, body.length - at - 1);
            }
            default -> { // a byte inserted
                mutated = new byte[body.length + 1];
                System.arraycopy(body, 0, mutated, 0, at);
                mutated[at] = MUTATIONS[random.nextInt(MUTATIONS.length)];
                System.arraycopy(body, at, mutated, at + 1, body.length - at);
            }
        }
        return mutated;
    }
}
