package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of bad input is a 400 (or 413/415) problem naming the field, and nothing from such a
 * request is applied: each bad request carries a valid first transfer, which must not exist afterwards.
 */
class BadInputEndToEndTest {
    @TempDir
    static Path data;
    static TestServer server;
    static final String DEBIT = id(30, 1);
    static final String CREDIT = id(30, 2);
    static final AtomicLong IDS = new AtomicLong(1000);

    @BeforeAll
    static void start() {
        server = TestServer.start(data, Map.of("FANZ_MAX_BODY_BYTES", Integer.toString(6 << 20)));
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(DEBIT, 1, "bad"), account(CREDIT, 1, "bad")))
            .status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A body of a valid transfer followed by {@code second} (raw JSON text), and the valid transfer's id. */
    private static String[] withValidFirst(String second) {
        String valid = id(30, IDS.incrementAndGet());
        return new String[] {"{\"transfers\":[" + transfer(valid, DEBIT, CREDIT, 1, 1) + "," + second + "]}", valid};
    }

    static Stream<Arguments> badTransfers() {
        String ok = "\"id\":\"" + id(31, 1) + "\",\"debit_account_id\":\"" + DEBIT + "\",\"credit_account_id\":\"" + CREDIT
            + "\",\"ledger\":1,\"code\":1";
        String bigMetadata = "{\"note\":\"" + "x".repeat(5000) + "\"}";
        return Stream.of(
            Arguments.of("wrong type", "{" + ok + ",\"amount\":true}", "invalid-field", "/transfers/1/amount"),
            Arguments.of("ledger as a string", "{" + ok.replace("\"ledger\":1", "\"ledger\":\"1\"") + ",\"amount\":1}",
                "invalid-field", "/transfers/1/ledger"),
            Arguments.of("unknown flag", "{" + ok + ",\"amount\":1,\"flags\":[\"turbo\"]}", "invalid-field",
                "/transfers/1/flags/0"),
            Arguments.of("flags not an array", "{" + ok + ",\"amount\":1,\"flags\":\"linked\"}", "invalid-field",
                "/transfers/1/flags"),
            Arguments.of("unknown field", "{" + ok + ",\"amount\":1,\"ammount\":1}", "unknown-field",
                "/transfers/1/ammount"),
            Arguments.of("bad uuid", "{" + ok.replace(id(31, 1), "1234") + ",\"amount\":1}", "invalid-field",
                "/transfers/1/id"),
            Arguments.of("uuid as a number", "{" + ok + ",\"amount\":1,\"pending_id\":7}", "invalid-field",
                "/transfers/1/pending_id"),
            Arguments.of("negative amount", "{" + ok + ",\"amount\":-5}", "invalid-field", "/transfers/1/amount"),
            Arguments.of("negative amount as string", "{" + ok + ",\"amount\":\"-5\"}", "invalid-field",
                "/transfers/1/amount"),
            Arguments.of("amount past 2^63-1", "{" + ok + ",\"amount\":\"9223372036854775808\"}", "invalid-field",
                "/transfers/1/amount"),
            Arguments.of("amount as a huge number", "{" + ok + ",\"amount\":99999999999999999999999}", "invalid-field",
                "/transfers/1/amount"),
            Arguments.of("fractional amount", "{" + ok + ",\"amount\":1.0}", "invalid-field", "/transfers/1/amount"),
            Arguments.of("amount in exponent form", "{" + ok + ",\"amount\":1e3}", "invalid-field", "/transfers/1/amount"),
            Arguments.of("user_data_64 past 2^64-1", "{" + ok + ",\"amount\":1,\"user_data_64\":\"18446744073709551616\"}",
                "invalid-field", "/transfers/1/user_data_64"),
            Arguments.of("user_data_32 past 2^32-1", "{" + ok + ",\"amount\":1,\"user_data_32\":4294967296}",
                "invalid-field", "/transfers/1/user_data_32"),
            Arguments.of("code past 65535", "{" + ok.replace("\"code\":1", "\"code\":65536") + ",\"amount\":1}",
                "invalid-field", "/transfers/1/code"),
            Arguments.of("ledger past 2^31-1", "{" + ok.replace("\"ledger\":1", "\"ledger\":2147483648") + ",\"amount\":1}",
                "invalid-field", "/transfers/1/ledger"),
            Arguments.of("negative timeout", "{" + ok + ",\"amount\":1,\"timeout\":-1}", "invalid-field",
                "/transfers/1/timeout"),
            Arguments.of("duplicate field", "{" + ok + ",\"amount\":1,\"amount\":2}", "malformed-json", null),
            Arguments.of("metadata over 4 KiB", "{" + ok + ",\"amount\":1,\"metadata\":" + bigMetadata + "}",
                "invalid-field", "/transfers/1/metadata"),
            Arguments.of("metadata not an object", "{" + ok + ",\"amount\":1,\"metadata\":[1]}", "invalid-field",
                "/transfers/1/metadata"),
            Arguments.of("event not an object", "42", "invalid-field", "/transfers/1"),
            Arguments.of("amount of thousands of digits", "{" + ok + ",\"amount\":" + "9".repeat(5000) + "}",
                "invalid-field", "/transfers/1/amount"),
            Arguments.of("fractional amount of thousands of digits", "{" + ok + ",\"amount\":1." + "0".repeat(5000) + "}",
                "invalid-field", "/transfers/1/amount"),
            Arguments.of("upper-case uuid", "{" + ok.replace(id(31, 1), id(31, 1).toUpperCase(java.util.Locale.ROOT))
                + ",\"amount\":1}", "invalid-field", "/transfers/1/id"),
            Arguments.of("uuid with a sign", "{" + ok.replace(DEBIT, "+" + DEBIT.substring(1)) + ",\"amount\":1}",
                "invalid-field", "/transfers/1/debit_account_id"),
            Arguments.of("uuid with a sign inside", "{" + ok + ",\"amount\":1,\"user_data_128\":\""
                + "00000000-0000-0000-0000--00000000001\"}", "invalid-field", "/transfers/1/user_data_128"),
            Arguments.of("uuid without hyphens", "{" + ok.replace(CREDIT, CREDIT.replace("-", "") + "0000") + ",\"amount\":1}",
                "invalid-field", "/transfers/1/credit_account_id"),
            Arguments.of("uuid with wrong group lengths", "{" + ok + ",\"amount\":1,\"pending_id\":\""
                + "0000000-00000-0000-0000-000000000001\"}", "invalid-field", "/transfers/1/pending_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTransfers")
    void badTransferFieldsAre400sNamingTheFieldAndApplyNothing(String what, String second, String type, String pointer) {
        String[] body = withValidFirst(second);
        TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY, body[0]);
        assertProblem(response, 400, type);
        if (pointer != null) {
            assertThat(response.json().path("pointer").asText()).isEqualTo(pointer);
        }
        assertNotApplied(body[1]);
    }

    static Stream<Arguments> malformedBodies() {
        String valid = transfer(id(32, 1), DEBIT, CREDIT, 1, 1);
        return Stream.of(
            Arguments.of("truncated", "{\"transfers\":[" + valid + ",", "malformed-json"),
            Arguments.of("not JSON", "transfers=1", "malformed-json"),
            Arguments.of("trailing content", "{\"transfers\":[" + valid + "]} {}", "malformed-json"),
            Arguments.of("an array at the root", "[" + valid + "]", "invalid-field"),
            Arguments.of("no transfers member", "{}", "invalid-field"),
            Arguments.of("transfers not an array", "{\"transfers\":" + valid + "}", "invalid-field"),
            Arguments.of("unknown top-level field", "{\"transfers\":[" + valid + "],\"dry_run\":true}", "unknown-field"),
            Arguments.of("empty body", "", "malformed-json"),
            Arguments.of("invalid escape", "{\"transfers\":[" + valid + ",{\"id\":\"\\uZZZZ\"}]}", "malformed-json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodiesAre400sAndApplyNothing(String what, String body, String type) {
        assertProblem(server.postJson("/v1/transfers", ADMIN_KEY, body), 400, type);
        assertNotApplied(id(32, 1));
    }

    @Test
    void batchesOverTheLimitAreRefusedWhole() {
        StringBuilder body = new StringBuilder("{\"transfers\":[");
        for (int i = 0; i < 8190; i++) {
            body.append(i == 0 ? "" : ",").append(transfer(id(33, i + 1), DEBIT, CREDIT, 1, 1));
        }
        TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY, body.append("]}").toString());
        assertProblem(response, 400, "batch-too-large");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/transfers/8189");
        assertNotApplied(id(33, 1));

        byte[] records = new byte[8190 * 128];
        ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1);
        // A binary body is capped at the largest valid batch, so one more record is a 413 before it is read.
        assertRefusedBeforeRead("/v1/transfers", "application/octet-stream", records);
        assertRefusedBeforeRead("/v1/accounts", "application/octet-stream", records);
    }

    /**
     * Sends a whole body that the server refuses by its declared length alone. The server answers 413 from the
     * headers, before reading a byte (so that nobody can make it read a body it would refuse; RequestLimitsEndToEndTest
     * shows the answer arriving before any body is sent), and closes the connection. A client that is still sending
     * may then find the connection reset under its unsent bytes before it reads the answer — TCP's behaviour, which
     * no server can prevent without reading the body — so either outcome passes here, but an answer must be the 413.
     */
    private void assertRefusedBeforeRead(String path, String contentType, byte[] body) {
        TestServer.Response response;
        try {
            response = server.send(server.request(path, ADMIN_KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        } catch (java.io.UncheckedIOException resetWhileSending) {
            return;
        }
        assertProblem(response, 413, "body-too-large");
    }

    @Test
    void oversizedBodiesAre413AndApplyNothing() {
        String valid = id(34, 1);
        String padding = "{\"transfers\":[" + transfer(valid, DEBIT, CREDIT, 1, 1) + "],\"pad\":\"" + "x".repeat(7 << 20)
            + "\"}";
        assertRefusedBeforeRead("/v1/transfers", "application/json", padding.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // Without a declared length (chunked), the cap still holds. The server answers and closes the
        // connection without reading the rest, so a client still writing may see the reset instead of the
        // answer; either way nothing is applied.
        try {
            TestServer.Response chunked = server.send(server.request("/v1/transfers", ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                    padding.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
            assertThat(chunked.status()).isIn(400, 413);
        } catch (java.io.UncheckedIOException connectionClosedWhileSending) {
            // the server closed the connection at the cap before the client finished sending
        }
        assertNotApplied(valid);
    }

    @Test
    void binaryBatchesAreCheckedWhole() {
        assertProblem(server.postBinary("/v1/transfers", ADMIN_KEY, new byte[200]), 400, "invalid-binary-batch");
        byte[] two = new byte[256];
        ByteBuffer records = ByteBuffer.wrap(two).order(ByteOrder.LITTLE_ENDIAN);
        java.util.UUID first = java.util.UUID.fromString(id(35, 1));
        records.putLong(0, first.getLeastSignificantBits()).putLong(8, first.getMostSignificantBits());
        records.putLong(128 + 48 + 8, 1); // the second record's amount (bytes 48..63) has a high 64-bit half
        TestServer.Response response = server.postBinary("/v1/transfers", ADMIN_KEY, two);
        assertProblem(response, 400, "invalid-field");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/1/amount");
        assertNotApplied(id(35, 1));
        byte[] ledger = new byte[128];
        ByteBuffer.wrap(ledger).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 9).putInt(112, 0x8000_0000);
        TestServer.Response badLedger = server.postBinary("/v1/transfers", ADMIN_KEY, ledger);
        assertProblem(badLedger, 400, "invalid-field");
        assertThat(badLedger.json().path("pointer").asText()).isEqualTo("/0/ledger");
        byte[] timestamp = new byte[128];
        ByteBuffer.wrap(timestamp).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 9).putLong(120, -1L);
        assertProblem(server.postBinary("/v1/transfers", ADMIN_KEY, timestamp), 400, "invalid-field");
        byte[] account = new byte[128];
        ByteBuffer.wrap(account).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5).putLong(16, -1L);
        assertProblem(server.postBinary("/v1/accounts", ADMIN_KEY, account), 400, "invalid-field");
    }

    @Test
    void badAccountsAndEntriesAre400s() {
        assertProblem(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(36, 1), 1, "bad"),
            account(id(36, 2), 1, "Not A Slug"))), 400, "invalid-field");
        assertProblem(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + id(36, 3)
            + "\",\"ledger\":1,\"code\":1,\"debits_posted\":-1}]}"), 400, "invalid-field");
        assertProblem(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + id(36, 3)
            + "\",\"ledger\":1,\"code\":1,\"flags\":[\"pending\"]}]}"), 400, "invalid-field");
        assertNotApplied(id(36, 1));
        String entry = "{\"entries\":[{\"id\":\"" + id(36, 10) + "\",\"ledger\":1,\"code\":1,\"postings\":[%s]}]}";
        String both = "{\"account_id\":\"" + DEBIT + "\",\"debit\":1,\"credit\":1},{\"account_id\":\"" + CREDIT
            + "\",\"credit\":1}";
        TestServer.Response response = server.postJson("/v1/entries", ADMIN_KEY, String.format(entry, both));
        assertProblem(response, 400, "invalid-field");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/entries/0/postings/0");
        String zero = "{\"account_id\":\"" + DEBIT + "\",\"debit\":0},{\"account_id\":\"" + CREDIT + "\",\"credit\":0}";
        assertProblem(server.postJson("/v1/entries", ADMIN_KEY, String.format(entry, zero)), 400, "invalid-field");
        assertProblem(server.postJson("/v1/entries", ADMIN_KEY, "{\"entries\":[{\"id\":\"" + id(36, 11)
            + "\",\"ledger\":1,\"code\":1}]}"), 400, "invalid-field");
        assertNotApplied(id(36, 10));
    }

    @Test
    void metadataThatPassesTheJournalsSideDataLimitIsRefusedWholeNamingTheLimit() {
        String note = ",\"metadata\":{\"note\":\"" + "x".repeat(4000) + "\"}";
        StringBuilder body = new StringBuilder("{\"transfers\":[");
        for (int i = 0; i < 1100; i++) {
            String transfer = transfer(id(38, i + 1), DEBIT, CREDIT, 1, 1);
            body.append(i == 0 ? "" : ",").append(transfer, 0, transfer.length() - 1).append(note).append('}');
        }
        TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY, body.append("]}").toString());
        assertProblem(response, 400, "batch-too-large");
        assertThat(response.json().path("detail").asText()).contains("4194304");
        assertThat(response.json().path("pointer").asText()).matches("/transfers/10[0-9][0-9]/metadata");
        assertNotApplied(id(38, 1));

        StringBuilder entries = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < 1100; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id(39, i + 1))
                .append("\",\"ledger\":1,\"code\":1,\"postings\":[{\"account_id\":\"").append(DEBIT)
                .append("\",\"debit\":1},{\"account_id\":\"").append(CREDIT).append("\",\"credit\":1}]").append(note)
                .append('}');
        }
        TestServer.Response entriesResponse = server.postJson("/v1/entries", ADMIN_KEY, entries.append("]}").toString());
        assertProblem(entriesResponse, 400, "batch-too-large");
        assertThat(entriesResponse.json().path("detail").asText()).contains("4194304");
        assertNotApplied(id(39, 1));
    }

    @Test
    void amountsOfThousandsOfDigitsInEntriesAre400s() {
        String entry = "{\"entries\":[{\"id\":\"" + id(36, 20) + "\",\"ledger\":1,\"code\":1,\"postings\":["
            + "{\"account_id\":\"" + DEBIT + "\",\"debit\":" + "9".repeat(3000) + "},{\"account_id\":\"" + CREDIT
            + "\",\"credit\":1}]}]}";
        TestServer.Response response = server.postJson("/v1/entries", ADMIN_KEY, entry);
        assertProblem(response, 400, "invalid-field");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/entries/0/postings/0/debit");
    }

    @Test
    void nonCanonicalUuidsAreRefusedInPathsAndQueries() {
        String upper = DEBIT.toUpperCase(java.util.Locale.ROOT);
        String signed = "+" + DEBIT.substring(1);
        for (String path : new String[] {"/v1/accounts/" + upper, "/v1/accounts/" + signed, "/v1/transfers/" + upper,
            "/v1/accounts/" + upper + "/transfers", "/v1/accounts/" + upper + "/balances",
            "/v1/accounts/" + DEBIT.replace("-", "")}) {
            TestServer.Response response = server.get(path, ADMIN_KEY);
            assertProblem(response, 400, "invalid-field");
            assertThat(response.json().path("pointer").asText()).as(path).isEqualTo("/id");
        }
        TestServer.Response query = server.get("/v1/accounts/" + DEBIT + "/transfers?user_data_128=" + upper, ADMIN_KEY);
        assertProblem(query, 400, "invalid-field");
        assertThat(query.json().path("pointer").asText()).isEqualTo("?user_data_128");
        assertThat(server.get("/v1/accounts/" + DEBIT, ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void mediaTypesAreMatchedExactly() {
        for (String type : new String[] {"application/jsonfoo", "application/json-patch+json", "application/json2",
            "application/jsonx; charset=utf-8", "text/json", "application/octet-streamx", "application/octet-stream-ish"}) {
            String[] body = withValidFirst(transfer(id(37, IDS.incrementAndGet()), DEBIT, CREDIT, 1, 1));
            TestServer.Response response = server.send(server.request("/v1/transfers", ADMIN_KEY).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body[0])));
            assertProblem(response, 415, "unsupported-media-type");
            assertNotApplied(body[1]);
        }
        for (String type : new String[] {"application/json", "application/json; charset=utf-8", "Application/JSON",
            "application/json ;charset=UTF-8"}) {
            String[] body = withValidFirst(transfer(id(37, IDS.incrementAndGet()), DEBIT, CREDIT, 1, 1));
            TestServer.Response response = server.send(server.request("/v1/transfers", ADMIN_KEY).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body[0])));
            assertThat(response.status()).as(type + ": " + response.text()).isEqualTo(200);
        }
        byte[] record = new byte[128];
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putLong(0, IDS.incrementAndGet()).putLong(8, 0x1040)
            .putInt(112, 1).putShort(116, (short) 1);
        TestServer.Response binary = server.send(server.request("/v1/accounts", ADMIN_KEY)
            .header("Content-Type", "application/octet-stream; x=1").POST(HttpRequest.BodyPublishers.ofByteArray(record)));
        assertThat(binary.status()).as(binary.text()).isEqualTo(200);
        assertThat(binary.contentType()).isEqualTo("application/octet-stream");
        // A charset Java does not know (the fuzz test found these were 500s): the media type decides, the body
        // is read as the JSON it is (or refused as such), never an internal error.
        for (String type : new String[] {"application/json; charset=nope", "application/json; charset=\"",
            "text/plain; charset=nope"}) {
            String[] body = withValidFirst(transfer(id(37, IDS.incrementAndGet()), DEBIT, CREDIT, 1, 1));
            TestServer.Response response = server.send(server.request("/v1/transfers", ADMIN_KEY).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body[0])));
            assertThat(response.status()).as(type + ": " + response.text()).isIn(200, 415);
        }
        TestServer.Response oddBinary = server.send(server.request("/v1/accounts", ADMIN_KEY)
            .header("Content-Type", "application/octet-stream; charset=binary").POST(HttpRequest.BodyPublishers.ofByteArray(
                ByteBuffer.wrap(new byte[128]).order(ByteOrder.LITTLE_ENDIAN).putLong(0, IDS.incrementAndGet())
                    .putLong(8, 0x1040).putInt(112, 1).putShort(116, (short) 1).array())));
        assertThat(oddBinary.status()).as(oddBinary.text()).isEqualTo(200);
    }

    @Test
    void badQueryParametersAndPathIdsAre400s() {
        String base = "/v1/accounts/" + DEBIT + "/transfers?";
        for (String query : new String[] {"limit=0", "limit=abc", "limit=8190", "limit=-1", "reversed=yes", "colour=red",
            "timestamp_min=5&timestamp_max=4", "debits=false&credits=false", "limit=1&limit=2", "cursor=x",
            "user_data_128=nope", "code=70000"}) {
            TestServer.Response response = server.get(base + query, ADMIN_KEY);
            assertThat(response.status()).as(query + ": " + response.text()).isEqualTo(400);
            assertThat(response.json().path("pointer").asText()).as(query).startsWith("?");
        }
        assertProblem(server.get("/v1/accounts/not-a-uuid", ADMIN_KEY), 400, "invalid-field");
        assertProblem(server.get("/v1/transfers/00000000-0000-0000-0000-00000000000G", ADMIN_KEY), 400, "invalid-field");
    }

    @Test
    void unknownRoutesAre404WrongMethods405AndWrongMediaTypes415() {
        assertProblem(server.get("/v1/nowhere", ADMIN_KEY), 404, "no-route");
        assertProblem(server.get("/nowhere", null), 404, "no-route");
        assertProblem(server.delete("/v1/transfers", ADMIN_KEY), 405, "method-not-allowed");
        assertProblem(server.send(server.request("/v1/accounts", ADMIN_KEY).PUT(HttpRequest.BodyPublishers.noBody())), 405,
            "method-not-allowed");
        String[] body = withValidFirst(transfer(id(37, 1), DEBIT, CREDIT, 1, 1));
        assertProblem(server.send(server.request("/v1/transfers", ADMIN_KEY).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body[0]))), 415, "unsupported-media-type");
        assertProblem(server.postBinary("/v1/entries", ADMIN_KEY, new byte[128]), 415, "unsupported-media-type");
        assertNotApplied(body[1]);
    }

    private static void assertProblem(TestServer.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/" + type);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("detail").asText()).isNotBlank();
    }

    private static void assertNotApplied(String transferId) {
        assertThat(server.get("/v1/transfers/" + transferId, ADMIN_KEY).status()).as("transfer " + transferId).isEqualTo(404);
    }
}
