package com.fanzfinance.server.http;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.engine.EngineTestHooks;
import com.fanzfinance.server.TestServer;

/**
 * Binary transfer batches are read into a few reused arrays. An array goes back only once the ledger has completed
 * its command — not when the request times out — so a later request never overwrites records the ledger has yet to
 * read; every array comes back; and a shorter batch read into a longer, used array is only its own records.
 */
class ReusedBinaryBodiesEndToEndTest {
    private static final Uint128 DEBIT = new Uint128(5, 1);
    private static final Uint128 CREDIT = new Uint128(5, 2);
    private static final int PER_BATCH = 50;

    @TempDir
    Path data;

    @Test
    void requestsThatTimedOutKeepTheirRecordsUntilTheLedgerHasThem() throws Exception {
        int arrays = LedgerRoutes.BINARY_BODY_ARRAYS;
        ExecutorService senders = Executors.newFixedThreadPool(arrays);
        try (TestServer server = TestServer.start(data, Map.of("FANZ_REQUEST_TIMEOUT_MS", "1000"))) {
            assertThat(server.postBinary("/v1/accounts", ADMIN_KEY, accounts()).status()).isEqualTo(200);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger held = new AtomicInteger();
            EngineTestHooks.beforeEachSync(server.server().engine(), () -> {
                held.incrementAndGet();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long expected = 0;
            int batch = 0;
            try {
                // Batch 0 holds the journal at its sync. The first wave takes every other array and waits in the ring,
                // unread by the journal, until its requests time out (504); then a second wave asks for arrays: had
                // the first wave's gone back at their timeouts, the second would overwrite records the ledger has
                // yet to read.
                Future<TestServer.Response> holder = senders.submit(() -> server.postBinary("/v1/transfers", ADMIN_KEY,
                    transfers(0, PER_BATCH)));
                expected += amount(batch++) * PER_BATCH;
                long heldBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (held.get() == 0 && System.nanoTime() < heldBy) {
                    Thread.sleep(5);
                }
                assertThat(held.get()).as("the journal is held at batch 0's sync").isEqualTo(1);
                List<Future<TestServer.Response>> firstWave = new ArrayList<>();
                for (int i = 1; i < arrays; i++, batch++) {
                    int b = batch;
                    firstWave.add(senders.submit(() -> server.postBinary("/v1/transfers", ADMIN_KEY, transfers(b, PER_BATCH))));
                    expected += amount(b) * PER_BATCH;
                }
                assertTimedOut(holder);
                for (Future<TestServer.Response> sent : firstWave) {
                    assertTimedOut(sent);
                }
                List<Future<TestServer.Response>> secondWave = new ArrayList<>();
                for (int i = 0; i < arrays; i++, batch++) {
                    int b = batch;
                    secondWave.add(senders.submit(() -> server.postBinary("/v1/transfers", ADMIN_KEY, transfers(b, PER_BATCH))));
                    expected += amount(b) * PER_BATCH;
                }
                for (Future<TestServer.Response> sent : secondWave) {
                    assertTimedOut(sent);
                }
                assertThat(held.get()).as("nothing passed the held sync").isEqualTo(1);
            } finally {
                EngineTestHooks.beforeEachSync(server.server().engine(), null);
                release.countDown();
            }
            awaitDebits(server, expected);
            for (int b = 0; b < batch; b++) {
                for (int i : new int[] {0, PER_BATCH - 1}) {
                    TestServer.Response transfer = server.get("/v1/transfers/" + transferId(b, i).toUuidString(), ADMIN_KEY);
                    assertThat(transfer.status()).as("batch %d, transfer %d", b, i).isEqualTo(200);
                    assertThat(transfer.json().path("amount").asLong()).isEqualTo(amount(b));
                }
            }
            awaitAllArraysFree(server);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aShorterBatchInAReusedArrayIsOnlyItsOwnRecords() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postBinary("/v1/accounts", ADMIN_KEY, accounts()).status()).isEqualTo(200);
            // First every array holds a batch of 1,000 records, so each shorter batch after lands in a used, longer one.
            int batch = 0;
            long expected = 0;
            for (int i = 0; i < LedgerRoutes.BINARY_BODY_ARRAYS; i++, batch++) {
                assertCreated(server.postBinary("/v1/transfers", ADMIN_KEY, transfers(batch, 1000)), 1000);
                expected += amount(batch) * 1000;
            }
            int[] sizes = {10, 1, 999, 2, 8189, 500};
            for (int round = 0; round < 2; round++) {
                for (int size : sizes) {
                    TestServer.Response answered = server.postBinary("/v1/transfers", ADMIN_KEY, transfers(batch, size));
                    assertThat(answered.status()).as(answered.text()).isEqualTo(200);
                    assertCreated(answered, size);
                    expected += amount(batch++) * size;
                }
            }
            assertThat(server.get("/v1/accounts/" + DEBIT.toUuidString(), ADMIN_KEY).json().path("debits_posted").asLong())
                .isEqualTo(expected);
            // A body that is not whole records is refused whole, and the array it was read into comes back.
            TestServer.Response refused = server.postBinary("/v1/transfers", ADMIN_KEY, new byte[129]);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("type").asText()).endsWith("invalid-binary-batch");
            assertCreated(server.postBinary("/v1/transfers", ADMIN_KEY, transfers(batch, 3)), 3);
            awaitAllArraysFree(server);
        }
    }

    private static void assertTimedOut(Future<TestServer.Response> sent) throws Exception {
        TestServer.Response response = sent.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.text()).isEqualTo(504);
    }

    /** Each array goes back right after its command completes, possibly just after the answer left. */
    private static void awaitAllArraysFree(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server().http().binaryBodyArraysFree() != LedgerRoutes.BINARY_BODY_ARRAYS
            && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.server().http().binaryBodyArraysFree()).as("every array given back")
            .isEqualTo(LedgerRoutes.BINARY_BODY_ARRAYS);
    }

    private static void assertCreated(TestServer.Response answered, int count) {
        assertThat(answered.body()).as("one 16-byte result per record sent").hasSize(count * 16);
        ByteBuffer results = ByteBuffer.wrap(answered.body()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            assertThat(CreateTransferStatus.ofCode(results.getInt(i * 16 + 8) & 0xFFFF_FFFFL))
                .as("record %d", i).isEqualTo(CreateTransferStatus.CREATED);
        }
    }

    private static void awaitDebits(TestServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long debits;
        do {
            debits = server.get("/v1/accounts/" + DEBIT.toUuidString(), ADMIN_KEY).json().path("debits_posted").asLong();
            if (debits == expected) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(debits).as("every timed-out batch applied as it was sent").isEqualTo(expected);
    }

    private static byte[] accounts() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[2 * 128]);
        List<Account> accounts = List.of(Account.of(DEBIT, 1, 1), Account.of(CREDIT, 1, 1));
        for (int i = 0; i < accounts.size(); i++) {
            Records.encode(accounts.get(i), buffer, i * 128);
        }
        return buffer.byteArray();
    }

    private static byte[] transfers(int batch, int count) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            Records.encode(Transfer.of(transferId(batch, i), DEBIT, CREDIT, amount(batch), 1, 1), buffer, i * 128);
        }
        return buffer.byteArray();
    }

    private static Uint128 transferId(int batch, int index) {
        return new Uint128(6, (long) batch * 10_000 + index + 1);
    }

    private static long amount(int batch) {
        return batch + 1;
    }
}
