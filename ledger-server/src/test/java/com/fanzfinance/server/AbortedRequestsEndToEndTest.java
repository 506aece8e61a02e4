package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A client that hangs up mid-body, or before reading its answer, still ends its request: the access
 * log has a line for it (499 when no answer could be sent), and it no longer counts as in flight, so a
 * graceful stop afterwards does not wait out its drain timeout for requests that will never finish.
 */
class AbortedRequestsEndToEndTest {
    @Test
    void abortedRequestsReachTheAccessLogAndDoNotHoldUpTheDrain(@TempDir Path data) throws Exception {
        String debit = id(90, 1);
        String credit = id(90, 2);
        try (LoggerEvents access = LoggerEvents.of("fanz.access", "DEBUG");
             LoggerEvents server = LoggerEvents.of("com.fanzfinance.server.http.LedgerHttpServer", "WARN")) {
            TestServer running = TestServer.start(data);
            try {
                assertThat(running.postJson("/v1/accounts", ADMIN_KEY, accounts(account(debit, 1, null),
                    account(credit, 1, null))).status()).isEqualTo(200);
                hangUpMidBody(running, "abort-json", "application/json", "{\"transfers\":[");
                hangUpMidBody(running, "abort-binary", "application/octet-stream", "x".repeat(64));
                hangUpBeforeTheAnswer(running, "abort-answer",
                    transfers(transfer(id(91, 1), debit, credit, 1, 1)));
                postTransfersWithMetadata(running, debit, credit, 2000);
                hangUpBeforeALargeAnswer(running, "abort-large-answer", "/v1/accounts/" + debit + "/transfers?limit=8189");

                assertThat(awaitAccessLine(access, "abort-json")).isEqualTo(499);
                assertThat(awaitAccessLine(access, "abort-binary")).isEqualTo(499);
                assertThat(awaitAccessLine(access, "abort-answer")).isIn(200, 499);
                assertThat(awaitAccessLine(access, "abort-large-answer")).isIn(200, 499);
            } finally {
                running.close();
            }
            assertThat(server.events()).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("still in flight"));
        }
    }

    private static void hangUpMidBody(TestServer server, String requestId, String contentType, String part)
        throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("POST /v1/" + (contentType.contains("json") ? "transfers" : "accounts") + " HTTP/1.1",
                "Authorization: Bearer " + ADMIN_KEY, "Content-Type: " + contentType, "Content-Length: 100000",
                "X-Request-Id: " + requestId);
            http.write(part.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void hangUpBeforeTheAnswer(TestServer server, String requestId, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("POST /v1/transfers HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY,
                "Content-Type: application/json", "Content-Length: " + bytes.length, "X-Request-Id: " + requestId);
            http.write(bytes);
        }
    }

    /** Transfers whose listing is several MiB, more than the sockets between client and server hold. */
    private static void postTransfersWithMetadata(TestServer server, String debit, String credit, int count) {
        String metadata = ",\"metadata\":{\"note\":\"" + "n".repeat(2000) + "\"}}";
        StringBuilder body = new StringBuilder("{\"transfers\":[");
        for (int i = 0; i < count; i++) {
            String transfer = transfer(id(92, i + 1), debit, credit, 1, 1);
            body.append(i == 0 ? "" : ",").append(transfer, 0, transfer.length() - 1).append(metadata);
        }
        assertThat(server.postJson("/v1/transfers", ADMIN_KEY, body.append("]}").toString()).status()).isEqualTo(200);
    }

    private static void hangUpBeforeALargeAnswer(TestServer server, String requestId, String path) throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.head("GET " + path + " HTTP/1.1", "Authorization: Bearer " + ADMIN_KEY, "X-Request-Id: " + requestId);
        }
    }

    /** The status of the access-log line of {@code requestId}, once there is one (fails if none comes). */
    private static int awaitAccessLine(LoggerEvents access, String requestId) throws InterruptedException {
        for (int attempt = 0; attempt < 400; attempt++) {
            Optional<Integer> status = statusOf(access.events(), requestId);
            if (status.isPresent()) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no access-log line for request " + requestId);
    }

    private static Optional<Integer> statusOf(List<ILoggingEvent> events, String requestId) {
        return events.stream().filter(event -> requestId.equals(LoggerEvents.value(event, "request_id")))
            .map(event -> LoggerEvents.value(event, "status")).filter(Objects::nonNull)
            .map(status -> ((Number) status).intValue()).findFirst();
    }

}
