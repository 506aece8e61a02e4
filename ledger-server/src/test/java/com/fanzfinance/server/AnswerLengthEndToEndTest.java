package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large answers go out with their length where nothing compresses them, and compressed (with the compressed
 * length or none) where the request accepts it; answers without a body never carry one. Against a real server
 * on a real port.
 */
class AnswerLengthEndToEndTest {
    private static final int TRANSFERS = 3_000;

    @TempDir
    Path data;

    @Test
    void aLargeAnswerCarriesItsLengthUnlessItIsCompressed() throws IOException {
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postJson("/v1/accounts", ADMIN_KEY,
                accounts(account(id(1, 1), 1, null), account(id(1, 2), 1, null))).status()).isEqualTo(200);

            TestServer.Response plain = server.send(jsonPost(server, batch(0)));
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.body().length).as("a full answer, larger than the server's output buffer")
                .isGreaterThan(200_000);
            assertThat(plain.header("Content-Length")).isEqualTo(Integer.toString(plain.body().length));
            assertThat(plain.raw().headers().firstValue("Transfer-Encoding")).isEmpty();
            assertResults(new ObjectMapper().readTree(plain.body()), 0, "created");

            TestServer.Response gzip = server.send(jsonPost(server, batch(TRANSFERS)).header("Accept-Encoding", "gzip"));
            assertThat(gzip.status()).isEqualTo(200);
            assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
            // a length, if the server knows one, is the compressed body's (never the plain answer's)
            gzip.raw().headers().firstValue("Content-Length")
                .ifPresent(length -> assertThat(length).isEqualTo(Integer.toString(gzip.body().length)));
            try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
                assertResults(new ObjectMapper().readTree(unzipped.readAllBytes()), TRANSFERS, "created");
            }

            // an answer without a body: no length either
            TestServer.Response key = server.postJson("/v1/admin/keys", ADMIN_KEY,
                "{\"name\":\"short-lived\",\"scopes\":[\"ledger:read\"],\"tenants\":[\"girlfanz\"]}");
            assertThat(key.status()).as(key.text()).isEqualTo(201);
            String created = key.json().path("id").asText();
            TestServer.Response revoked = server.delete("/v1/admin/keys/" + created, ADMIN_KEY);
            assertThat(revoked.status()).isEqualTo(204);
            assertThat(revoked.body()).isEmpty();
            assertThat(revoked.raw().headers().firstValue("Content-Length")).isEmpty();

            // a problem answer is whole too
            TestServer.Response missing = server.get("/v1/accounts/" + id(1, 9), ADMIN_KEY);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Length")).isEqualTo(Integer.toString(missing.body().length));
        }
    }

    private static HttpRequest.Builder jsonPost(TestServer server, String body) {
        return server.request("/v1/transfers", ADMIN_KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private static String batch(int from) {
        String[] items = new String[TRANSFERS];
        for (int i = 0; i < TRANSFERS; i++) {
            items[i] = transfer(id(2, from + i + 1), id(1, 1), id(1, 2), 1, 1);
        }
        return transfers(items);
    }

    /** Each result in order, with the id of the transfer it answers (on 2+ cores the body is parsed in two halves). */
    private static void assertResults(JsonNode answer, int from, String status) {
        JsonNode results = answer.path("results");
        assertThat(results.size()).isEqualTo(TRANSFERS);
        for (int i = 0; i < TRANSFERS; i++) {
            assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).path("id").asText()).isEqualTo(id(2, from + i + 1));
            assertThat(results.get(i).path("status").asText()).isEqualTo(status);
        }
    }
}
