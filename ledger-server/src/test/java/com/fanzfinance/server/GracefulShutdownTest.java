package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server under load: every request gets an answer that is either a success or a clean
 * refusal (503 while draining, or no connection once it stopped) — never a 500 — and afterwards
 * everything acknowledged is there, restored from the final snapshot with nothing to replay.
 */
class GracefulShutdownTest {
    @Test
    void drainsAnswersAndSnapshotsOnClose(@TempDir Path data) throws Exception {
        String debit = id(60, 1);
        String credit = id(60, 2);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> oddAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong ids = new AtomicLong();
        TestServer server = TestServer.start(data);
        server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(debit, 1, null), account(credit, 1, null)));
        CountDownLatch running = new CountDownLatch(4);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread client = new Thread(() -> {
                boolean counted = false;
                while (true) {
                    List<String> batch = new ArrayList<>();
                    String[] items = new String[50];
                    for (int i = 0; i < items.length; i++) {
                        String transferId = id(61, ids.incrementAndGet());
                        batch.add(transferId);
                        items[i] = transfer(transferId, debit, credit, 1, 1);
                    }
                    TestServer.Response response;
                    try {
                        response = server.postJson("/v1/transfers", ADMIN_KEY, transfers(items));
                    } catch (UncheckedIOException e) {
                        return; // the listener has stopped
                    }
                    statuses.add(response.status());
                    if (response.status() != 200 && response.status() != 503) {
                        oddAnswers.add(response.status() + " " + response.text());
                    }
                    if (response.status() == 200) {
                        acknowledged.addAll(batch);
                    } else {
                        return;
                    }
                    if (!counted) {
                        running.countDown();
                        counted = true;
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        running.await();
        server.close();
        for (Thread client : clients) {
            client.join(30_000);
        }
        assertThat(statuses).as(oddAnswers.toString()).isNotEmpty().allMatch(status -> status == 200 || status == 503);
        try (TestServer restarted = TestServer.start(data)) {
            assertThat(restarted.server().engine().recovery().snapshotUsed()).isTrue();
            assertThat(restarted.server().engine().recovery().commandsReplayed()).isZero();
            for (String transferId : acknowledged) {
                assertThat(restarted.get("/v1/transfers/" + transferId, ADMIN_KEY).status()).isEqualTo(200);
            }
            assertThat(restarted.get("/v1/accounts/" + debit, ADMIN_KEY).json().path("debits_posted").asLong())
                .isGreaterThanOrEqualTo(acknowledged.size());
        }
    }

    /**
     * A request whose head is still arriving when the server closes its listener is cut short by the server, not by
     * its client: Jetty's own answer to such a request is a 500 (an {@code EofException}). While the server stops it
     * must be the same clean refusal as any other request then — a 503 problem saying so — or no answer at all.
     */
    @Test
    void aRequestCutShortByTheStopIsRefusedAsUnavailableNotAnInternalError(@TempDir Path data) throws Exception {
        TestServer server = TestServer.start(data);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // one whole request first: the connection is then certainly taken and read by the server
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200 ");
            out.write(("POST /v1/transfers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // the server reads the half of the head that came
            server.close();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!answer.isEmpty()) {
                assertThat(answer).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Content-Type: application/problem+json")
                    .containsIgnoringCase("Retry-After: 1").containsIgnoringCase("Connection: close")
                    .contains("problems/unavailable\"").contains("shutting down");
            }
        }
    }

    /** One answer's head and its body of {@code Content-Length} bytes, as text. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the answer ended in its head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        assertThat(length.find()).as(text).isTrue();
        return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1);
    }
}
