package com.fanzfinance.server.http;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * read; and a shorter batch read into a longer array is only its own records.
 */
class ReusedBinaryBodiesEndToEndTest {
    private static final Uint128 DEBIT = new Uint128(5, 1);
    private static final Uint128 CREDIT = new Uint128(5, 2);
    private static final int PER_BATCH = 50;

    @TempDir
    Path data;

    @Test
    void requestsThatTimedOutKeepTheirRecordsUntilTheLedgerHasThem() throws Exception {
        try (TestServer server = TestServer.start(data, Map.of("FANZ_REQUEST_TIMEOUT_MS", "200"))) {
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
            // The first batch holds the journal at its sync; the others wait in the ring, unread, while every request
            // times out — more of them than there are arrays, so a release at the timeout would hand a waiting
            // batch's array to a later request.
            int batches = LedgerRoutes.BINARY_BODY_ARRAYS + 2;
            long expected = 0;
            try {
                for (int b = 0; b < batches; b++) {
                    TestServer.Response timedOut = server.postBinary("/v1/transfers", ADMIN_KEY, transfers(b, PER_BATCH));
                    assertThat(timedOut.status()).as(timedOut.text()).isEqualTo(504);
                    expected += amount(b) * PER_BATCH;
                }
                assertThat(held.get()).as("the journal is held at the first batch's sync").isEqualTo(1);
            } finally {
                EngineTestHooks.beforeEachSync(server.server().engine(), null);
                release.countDown();
            }
            awaitDebits(server, expected);
            for (int b = 0; b < batches; b++) {
                for (int i : new int[] {0, PER_BATCH - 1}) {
                    TestServer.Response transfer = server.get("/v1/transfers/" + transferId(b, i).toUuidString(), ADMIN_KEY);
                    assertThat(transfer.status()).as("batch %d, transfer %d", b, i).isEqualTo(200);
                    assertThat(transfer.json().path("amount").asLong()).isEqualTo(amount(b));
                }
            }
            // Every array is back: a full round of batches goes through again, each answered in full.
            for (int b = batches; b < 2 * batches; b++) {
                TestServer.Response answered = server.postBinary("/v1/transfers", ADMIN_KEY, transfers(b, PER_BATCH));
                assertThat(answered.status()).as(answered.text()).isEqualTo(200);
                assertCreated(answered, PER_BATCH);
            }
        }
    }

    @Test
    void aShorterBatchInAReusedArrayIsOnlyItsOwnRecords() {
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postBinary("/v1/accounts", ADMIN_KEY, accounts()).status()).isEqualTo(200);
            // The same arrays come round again (one request at a time): a full batch, then ever shorter ones.
            int[] sizes = {8189, 1000, 10, 1, 999, 2};
            long expected = 0;
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < sizes.length; s++) {
                    int batch = round * sizes.length + s;
                    TestServer.Response answered = server.postBinary("/v1/transfers", ADMIN_KEY, transfers(batch, sizes[s]));
                    assertThat(answered.status()).as(answered.text()).isEqualTo(200);
                    assertCreated(answered, sizes[s]);
                    expected += amount(batch) * sizes[s];
                }
            }
            assertThat(server.get("/v1/accounts/" + DEBIT.toUuidString(), ADMIN_KEY).json().path("debits_posted").asLong())
                .isEqualTo(expected);
            // A body that is not whole records is refused whole, and the array it was read into serves the next one.
            TestServer.Response refused = server.postBinary("/v1/transfers", ADMIN_KEY, new byte[129]);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("type").asText()).endsWith("invalid-binary-batch");
            assertCreated(server.postBinary("/v1/transfers", ADMIN_KEY, transfers(1000, 3)), 3);
        }
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
