package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
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
        assertThat(statuses).isNotEmpty().allMatch(status -> status == 200 || status == 503);
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
}
