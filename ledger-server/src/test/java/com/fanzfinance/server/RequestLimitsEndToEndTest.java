package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No body is read further than the largest valid one of its kind, with the default
 * {@code FANZ_MAX_BODY_BYTES} (64 MiB): a binary batch above 8,189 records is refused from its declared
 * length alone, or as soon as a streamed one passes it; a metadata string of 60 MiB is refused as soon
 * as it passes the 4 KiB metadata limit; and a JSON body above the largest valid JSON batch is a 413.
 */
class RequestLimitsEndToEndTest {
    private static final int LARGEST_BINARY_BATCH = 8189 * 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(data);
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(97, 1), 1, null),
            account(id(97, 2), 1, null))).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBinaryBodyDeclaredLargerThanTheLargestBatchIsRefusedBeforeItIsSent() throws Exception {
        for (String path : new String[] {"/v1/accounts", "/v1/transfers"}) {
            try (RawHttp http = RawHttp.connect(server.port())) {
                http.head("POST " + path + " HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY,
                    "Content-Type: application/octet-stream", "Content-Length: " + (LARGEST_BINARY_BATCH + 128));
                RawHttp.Response response = http.read(); // not a byte of the body was sent
                assertThat(response.status()).as(response.body()).isEqualTo(413);
                assertThat(problem(response).path("type").asText()).endsWith("/body-too-large");
                assertThat(problem(response).path("detail").asText()).contains(Integer.toString(LARGEST_BINARY_BATCH));
            }
        }
    }

    @Test
    void aStreamedBinaryBodyIsCutOffWhenItPassesTheLargestBatch() throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("POST /v1/transfers HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY,
                "Content-Type: application/octet-stream", "Transfer-Encoding: chunked");
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> read(http));
            long sent = sendUntilAnswered(http, answer, new byte[64 * 1024], 64L << 20);
            RawHttp.Response response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(413);
            assertThat(problem(response).path("type").asText()).endsWith("/body-too-large");
            assertThat(sent).isLessThan(64L << 20);
        }
    }

    @Test
    void aSixtyMebibyteMetadataStringIsRefusedAtTheMetadataLimitNotTheBodyLimit() throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            // Streamed (chunked), so that no declared length lets the server refuse it before reading.
            http.head("POST /v1/accounts HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY, "Content-Type: application/json",
                "Transfer-Encoding: chunked");
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> read(http));
            http.chunk(("{\"accounts\":[{\"id\":\"" + id(97, 3) + "\",\"ledger\":1,\"code\":1,\"metadata\":{\"note\":\"")
                .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            long sent = sendUntilAnswered(http, answer, chunk, 60L << 20);
            RawHttp.Response response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(problem(response).path("type").asText()).endsWith("/invalid-field");
            assertThat(problem(response).path("pointer").asText()).isEqualTo("/accounts/0/metadata");
            assertThat(sent).isLessThan(24L << 20);
        }
        assertThat(server.get("/v1/accounts/" + id(97, 3), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void aJsonBatchBodyLargerThanTheLargestValidBatchIs413() throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("POST /v1/transfers HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY,
                "Content-Type: application/json", "Content-Length: " + (32L << 20));
            RawHttp.Response response = http.read();
            assertThat(response.status()).as(response.body()).isEqualTo(413);
            assertThat(problem(response).path("type").asText()).endsWith("/body-too-large");
        }
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("POST /v1/admin/keys HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY,
                "Content-Type: application/json", "Content-Length: " + (1L << 20));
            RawHttp.Response response = http.read();
            assertThat(response.status()).as(response.body()).isEqualTo(413);
        }
    }

    /** Writes {@code chunk} until the server answers (or {@code limit} bytes); returns the bytes written. */
    private static long sendUntilAnswered(RawHttp http, CompletableFuture<RawHttp.Response> answer, byte[] chunk,
                                          long limit) {
        long sent = 0;
        try {
            while (!answer.isDone() && sent + chunk.length <= limit) {
                if (isChunked(http)) {
                    http.chunk(chunk);
                } else {
                    http.write(chunk);
                }
                sent += chunk.length;
            }
        } catch (IOException e) {
            // the server answered and closed the connection while we were still sending: what we want
        }
        return sent;
    }

    private static boolean isChunked(RawHttp http) {
        return http.chunked();
    }

    private static RawHttp.Response read(RawHttp http) {
        try {
            return http.read();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode problem(RawHttp.Response response) throws IOException {
        return JSON.readTree(response.body());
    }
}
