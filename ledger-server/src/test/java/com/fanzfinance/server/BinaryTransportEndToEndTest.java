package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The binary transport (128-byte records in, 16-byte results out) gives the same statuses as JSON for
 * the same batch: two fresh servers get identical accounts and then the same transfer batch, one as
 * JSON, one as binary records.
 */
class BinaryTransportEndToEndTest {
    private static final Uint128 A = new Uint128(7, 1);
    private static final Uint128 B = new Uint128(7, 2);
    private static final Uint128 OTHER_LEDGER = new Uint128(7, 3);
    private static final Uint128 LIMITED = new Uint128(7, 4);
    private static final Uint128 MISSING = new Uint128(7, 99);

    static List<Account> accounts() {
        return List.of(
            Account.of(A, 1, 1),
            Account.of(B, 1, 1).withFlags(AccountFlags.HISTORY),
            Account.of(OTHER_LEDGER, 2, 1),
            Account.of(LIMITED, 1, 1).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
            Account.of(A, 1, 1),                       // exists
            Account.of(new Uint128(7, 5), 0, 1),       // ledger_must_not_be_zero
            Account.of(Uint128.ZERO, 1, 1),            // id_must_not_be_zero
            Account.of(new Uint128(7, 6), 1, 1).withFlags(AccountFlags.LINKED),
            Account.of(new Uint128(7, 7), 1, 0));      // code_must_not_be_zero fails the chain
    }

    static List<Transfer> transfers() {
        List<Transfer> batch = new ArrayList<>();
        batch.add(Transfer.of(id(1), A, B, 100, 1, 1));
        batch.add(Transfer.of(id(2), A, A, 1, 1, 1));
        batch.add(Transfer.of(id(3), A, OTHER_LEDGER, 1, 1, 1));
        batch.add(Transfer.of(id(4), LIMITED, B, 5, 1, 1));
        batch.add(Transfer.of(id(5), A, B, 1, 1, 1).withFlags(TransferFlags.LINKED));
        batch.add(Transfer.of(id(6), LIMITED, B, 5, 1, 1));
        batch.add(Transfer.of(Uint128.ZERO, A, B, 1, 1, 1));
        batch.add(Transfer.of(id(1), A, B, 100, 1, 1));
        batch.add(Transfer.of(id(1), A, B, 101, 1, 1));
        batch.add(Transfer.of(id(7), A, B, 50, 1, 1).withFlags(TransferFlags.PENDING).withTimeout(3600));
        batch.add(Transfer.resolving(id(8), id(7), 20, true));
        batch.add(Transfer.resolving(id(9), id(7), 0, false));
        batch.add(Transfer.of(id(10), MISSING, B, 1, 1, 1));
        batch.add(Transfer.of(id(11), A, B, 0, 1, 1));
        batch.add(Transfer.of(id(12), A, B, 1, 1, 1).withTimeout(5));
        batch.add(Transfer.of(id(13), A, B, 1, 0, 1));
        batch.add(Transfer.of(id(14), A, B, 1, 1, 0));
        batch.add(Transfer.of(id(15), LIMITED, B, 1000, 1, 1).withFlags(TransferFlags.BALANCING_DEBIT));
        batch.add(Transfer.resolving(id(16), id(99), 1, true));
        batch.add(Transfer.of(id(10), A, B, 1, 1, 1));
        batch.add(Transfer.of(id(17), A, B, Long.MAX_VALUE, 1, 1));
        batch.add(Transfer.of(id(18), B, A, Long.MAX_VALUE, 1, 1));
        batch.add(Transfer.of(id(19), A, B, 1, 1, 1).withFlags(TransferFlags.PENDING | TransferFlags.POST_PENDING_TRANSFER));
        batch.add(Transfer.of(id(20), A, B, 1, 1, 1).withFlags(TransferFlags.LINKED));
        return batch;
    }

    private static Uint128 id(long n) {
        return new Uint128(8, n);
    }

    @Test
    void binaryAndJsonGiveTheSameStatusesForTheSameBatch(@TempDir Path jsonData, @TempDir Path binaryData) {
        List<String> jsonAccounts;
        List<String> jsonTransfers;
        try (TestServer server = TestServer.start(jsonData)) {
            jsonAccounts = jsonStatuses(server.postJson("/v1/accounts", ADMIN_KEY, accountsJson(accounts())));
            jsonTransfers = jsonStatuses(server.postJson("/v1/transfers", ADMIN_KEY, transfersJson(transfers())));
        }
        List<String> binaryAccounts = new ArrayList<>();
        List<String> binaryTransfers = new ArrayList<>();
        try (TestServer server = TestServer.start(binaryData)) {
            TestServer.Response accounts = server.postBinary("/v1/accounts", ADMIN_KEY, records(accounts(), null));
            assertThat(accounts.status()).isEqualTo(200);
            assertThat(accounts.contentType()).isEqualTo("application/octet-stream");
            ByteBuffer results = ByteBuffer.wrap(accounts.body()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(accounts.body()).hasSize(16 * accounts().size());
            for (int i = 0; i < accounts().size(); i++) {
                binaryAccounts.add(CreateAccountStatus.ofCode(results.getInt(i * 16 + 8) & 0xFFFF_FFFFL).wireName());
                assertThat(results.getInt(i * 16 + 12)).isZero();
            }
            TestServer.Response transfers = server.postBinary("/v1/transfers", ADMIN_KEY, records(null, transfers()));
            assertThat(transfers.status()).isEqualTo(200);
            results = ByteBuffer.wrap(transfers.body()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < transfers().size(); i++) {
                binaryTransfers.add(CreateTransferStatus.ofCode(results.getInt(i * 16 + 8) & 0xFFFF_FFFFL).wireName());
                if (binaryTransfers.get(i).equals("created")) {
                    assertThat(results.getLong(i * 16)).isPositive();
                }
            }
            // The binary-created pending transfer reads back the same as over JSON.
            assertThat(server.get("/v1/transfers/" + id(7).toUuidString(), ADMIN_KEY).json().path("pending_status")
                .asText()).isEqualTo("posted");
        }
        assertThat(binaryAccounts).isEqualTo(jsonAccounts);
        assertThat(binaryTransfers).isEqualTo(jsonTransfers);
        // The batch really exercises many statuses, not one repeated.
        assertThat(jsonTransfers).contains("created", "accounts_must_be_different", "accounts_must_have_the_same_ledger",
            "exceeds_credits", "linked_event_failed", "id_must_not_be_zero", "exists", "exists_with_different_amount",
            "debit_account_not_found", "timeout_reserved_for_pending_transfer", "ledger_must_not_be_zero",
            "code_must_not_be_zero", "pending_transfer_not_found", "id_already_failed", "overflows_debits_posted",
            "linked_event_chain_open", "flags_are_mutually_exclusive", "pending_transfer_already_posted");
        assertThat(jsonAccounts).contains("created", "exists", "ledger_must_not_be_zero", "id_must_not_be_zero",
            "linked_event_failed", "code_must_not_be_zero");
    }

    static List<String> jsonStatuses(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> statuses = new ArrayList<>();
        response.json().path("results").forEach(result -> statuses.add(result.path("status").asText()));
        return statuses;
    }

    static byte[] records(List<Account> accounts, List<Transfer> transfers) {
        int count = accounts != null ? accounts.size() : transfers.size();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            if (accounts != null) {
                Records.encode(accounts.get(i), buffer, i * 128);
            } else {
                Records.encode(transfers.get(i), buffer, i * 128);
            }
        }
        return buffer.byteArray();
    }

    static String accountsJson(List<Account> accounts) {
        List<String> items = new ArrayList<>();
        for (Account account : accounts) {
            items.add("{\"id\":\"" + account.id().toUuidString() + "\",\"ledger\":" + account.ledger() + ",\"code\":"
                + account.code() + ",\"flags\":" + names(AccountFlags.namesOf(account.flags())) + "}");
        }
        return "{\"accounts\":[" + String.join(",", items) + "]}";
    }

    static String transfersJson(List<Transfer> transfers) {
        List<String> items = new ArrayList<>();
        for (Transfer t : transfers) {
            assertThat(t.pendingStatus()).isEqualTo(PendingStatus.NONE);
            items.add("{\"id\":\"" + t.id().toUuidString() + "\",\"debit_account_id\":\"" + t.debitAccountId().toUuidString()
                + "\",\"credit_account_id\":\"" + t.creditAccountId().toUuidString() + "\",\"amount\":\"" + t.amount()
                + "\",\"pending_id\":\"" + t.pendingId().toUuidString() + "\",\"timeout\":" + Integer.toUnsignedLong(t.timeout())
                + ",\"ledger\":" + t.ledger() + ",\"code\":" + t.code() + ",\"flags\":" + names(TransferFlags.namesOf(t.flags()))
                + "}");
        }
        return "{\"transfers\":[" + String.join(",", items) + "]}";
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "[]" : "[\"" + String.join("\",\"", names) + "\"]";
    }

    @Test
    void uuidOrderMatchesTheRecordLayout() {
        Uint128 value = new Uint128(0x0102030405060708L, 0x090A0B0C0D0E0F10L);
        assertThat(UUID.fromString(value.toUuidString())).isEqualTo(new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L));
    }
}
