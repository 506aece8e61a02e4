package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine recovers on a thread of its own ({@code ledger-recovery}) while the server's keys are read and its
 * HTTP server starts: a start that fails elsewhere meanwhile must still close the engine it opened and unlock the
 * data directory, and a ledger recovered that way is the ledger that was written.
 */
class ServerStartTest {
    @TempDir
    Path data;

    @Test
    void aRestartWithMappedStoresServesWhatWasWritten() {
        String debit = id(80, 1);
        String credit = id(80, 2);
        try (TestServer server = TestServer.start(data, Map.of("FANZ_MAPPED_STORES", "true"))) {
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(debit, 1, null), account(credit, 1, null)));
            for (int batch = 0; batch < 20; batch++) {
                String[] items = new String[100];
                for (int i = 0; i < items.length; i++) {
                    items[i] = transfer(id(81, batch * 1_000L + i), debit, credit, 3, 1);
                }
                assertThat(server.postJson("/v1/transfers", ADMIN_KEY, transfers(items)).status()).isEqualTo(200);
            }
        }
        try (TestServer server = TestServer.start(data, Map.of("FANZ_MAPPED_STORES", "true"))) {
            assertThat(server.get("/ready", null).status()).isEqualTo(200);
            assertThat(server.get("/v1/accounts/" + debit, ADMIN_KEY).json().path("debits_posted").asText())
                .isEqualTo("6000");
            assertThat(status(server.postJson("/v1/transfers", ADMIN_KEY,
                transfers(transfer(id(81, 19_099), debit, credit, 3, 1))))).isEqualTo("exists");
        }
    }

    /** The recovery's own failure is what the start throws, and the directory is left unlocked. */
    @Test
    void aRecoveryThatFailsFailsTheStartWithItsOwnErrorAndUnlocksTheDirectory() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(83, 1), 1, null)));
        }
        Path journal = data.resolve("journal");
        Path aside = data.resolve("journal-aside");
        Files.move(journal, aside);
        Files.writeString(journal, "not a directory");
        Set<Thread> before = liveThreads("ledger-");
        assertThatThrownBy(() -> TestServer.start(data))
            .satisfies(e -> assertThat(e.getMessage()).as("the recovery's error, not another one")
                .doesNotContain("Self-suppression").contains("journal"));
        assertThat(threadsLeftBeside(before)).isEmpty();
        Files.delete(journal);
        Files.move(aside, journal);
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.get("/v1/accounts/" + id(83, 1), ADMIN_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void aStartWhoseHttpPortIsTakenClosesTheEngineItOpenedAndUnlocksTheDirectory() throws Exception {
        String debit = id(82, 1);
        try (TestServer server = TestServer.start(data)) {
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(debit, 1, null), account(id(82, 2), 1, null)));
        }
        Set<Thread> before = liveThreads("ledger-");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(data, Map.of("FANZ_HTTP_PORT",
                String.valueOf(taken.getLocalPort()))))
                .isInstanceOf(RuntimeException.class);
        }
        assertThat(threadsLeftBeside(before)).as("the engine's threads (and the one that opened it) are gone")
            .isEmpty();
        assertThat(Files.exists(data.resolve("journal"))).isTrue();
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.get("/v1/accounts/" + debit, ADMIN_KEY).status()).isEqualTo(200);
        }
    }

    private static String status(TestServer.Response response) {
        return response.json().path("results").get(0).path("status").asText();
    }

    /**
     * The engine's threads started since {@code before} that are still alive after up to 10 s: a closed engine's
     * end at once or nearly (its ticker is shut down without a wait); a leaked engine's never do.
     */
    private static Set<Thread> threadsLeftBeside(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Set<Thread> left = liveThreads("ledger-");
            left.removeAll(before);
            if (left.isEmpty() || System.nanoTime() - deadline > 0) {
                return left;
            }
            Thread.sleep(20);
        }
    }

    private static Set<Thread> liveThreads(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && thread.getName().startsWith(namePrefix))
            .collect(Collectors.toSet());
    }
}
