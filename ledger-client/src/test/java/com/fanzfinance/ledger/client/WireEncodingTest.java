package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/** What the client writes on the wire for every field, and how it reads every field back. */
class WireEncodingTest {
    private static final String KEY = "fzk_unit_test_key";
    private static final Uint128 ID = Uint128.of(0x0123_4567_89ab_cdefL, 0x1122_3344_5566_7788L);
    private static final Uint128 DEBIT = Uint128.of(1, 2);
    private static final Uint128 CREDIT = Uint128.of(3, 4);
    private static final Uint128 PENDING = Uint128.of(5, 6);
    private static final Uint128 USER_DATA = Uint128.MAX;

    private FakeLedgerServer server;
    private LedgerClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(FakeLedgerServer.Responder responder, boolean binaryTransfers) {
        server = FakeLedgerServer.start(responder);
        client = LedgerClient.builder(server.base(), KEY).binaryTransfers(binaryTransfers).maxAttempts(1).build();
    }

    private static Transfer everyTransferField() {
        return new Transfer(ID, DEBIT, CREDIT, Long.MAX_VALUE, PENDING, USER_DATA, -1L, -1, -1, Integer.MAX_VALUE, 65535,
            TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT | TransferFlags.IMPORTED, 123_456_789L, PendingStatus.NONE);
    }

    @Test
    void aTransferInJsonCarriesEveryFieldInTheApiEncoding() {
        start(request -> Answers.transferResults(request, id -> CreateTransferStatus.CREATED), false);

        List<CreateResult<CreateTransferStatus>> results = client.createTransfersWithMetadata(
            List.of(NewTransfer.of(everyTransferField()).withMetadata("{ \"order\" : \"A-1\", \"lines\" : [1, 2] }")));

        FakeLedgerServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/transfers");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.header("X-Request-Id")).isNotBlank();
        JsonNode transfer = request.json().path("transfers").get(0);
        assertThat(fieldNames(transfer)).containsExactlyInAnyOrder("id", "debit_account_id", "credit_account_id", "amount",
            "pending_id", "user_data_128", "user_data_64", "user_data_32", "timeout", "ledger", "code", "flags",
            "timestamp", "metadata");
        assertThat(transfer.path("id").asText()).isEqualTo("01234567-89ab-cdef-1122-334455667788");
        assertThat(transfer.path("debit_account_id").asText()).isEqualTo("00000000-0000-0001-0000-000000000002");
        assertThat(transfer.path("credit_account_id").asText()).isEqualTo("00000000-0000-0003-0000-000000000004");
        assertThat(transfer.path("amount").isTextual()).isTrue();
        assertThat(transfer.path("amount").asText()).isEqualTo("9223372036854775807");
        assertThat(transfer.path("pending_id").asText()).isEqualTo("00000000-0000-0005-0000-000000000006");
        assertThat(transfer.path("user_data_128").asText()).isEqualTo("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertThat(transfer.path("user_data_64").asText()).isEqualTo("18446744073709551615");
        assertThat(transfer.path("user_data_32").isIntegralNumber()).isTrue();
        assertThat(transfer.path("user_data_32").asLong()).isEqualTo(4_294_967_295L);
        assertThat(transfer.path("timeout").asLong()).isEqualTo(4_294_967_295L);
        assertThat(transfer.path("ledger").asInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(transfer.path("code").asInt()).isEqualTo(65535);
        assertThat(texts(transfer.path("flags"))).containsExactly("pending", "balancing_debit", "imported");
        assertThat(transfer.path("timestamp").asText()).isEqualTo("123456789");
        assertThat(transfer.path("metadata").toString()).isEqualTo("{\"order\":\"A-1\",\"lines\":[1,2]}");
        assertThat(results).containsExactly(new CreateResult<>(0, CreateTransferStatus.CREATED, Answers.timestampOf(ID)));
    }

    @Test
    void anAccountInJsonCarriesEveryFieldWithItsTenantAndMetadata() {
        start(request -> Answers.accountResults(request, id -> CreateAccountStatus.EXISTS_WITH_DIFFERENT_CODE), true);
        Account account = new Account(ID, 1, 2, 3, 4, USER_DATA, Long.MIN_VALUE, Integer.MIN_VALUE, 7, 8,
            AccountFlags.LINKED | AccountFlags.HISTORY | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS, 99, 42);

        List<CreateResult<CreateAccountStatus>> results = client.createAccountsWithMetadata(
            List.of(NewAccount.of(account).inTenant("girlfanz").withMetadata("{\"creator\": 17}")));

        FakeLedgerServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/accounts");
        assertThat(request.header("Content-Type")).as("accounts always go as JSON").isEqualTo("application/json");
        JsonNode sent = request.json().path("accounts").get(0);
        assertThat(fieldNames(sent)).containsExactlyInAnyOrder("id", "ledger", "code", "flags", "user_data_128",
            "user_data_64", "user_data_32", "debits_pending", "debits_posted", "credits_pending", "credits_posted",
            "timestamp", "tenant", "metadata");
        assertThat(sent.path("id").asText()).isEqualTo(ID.toUuidString());
        assertThat(sent.path("ledger").asInt()).isEqualTo(7);
        assertThat(sent.path("code").asInt()).isEqualTo(8);
        assertThat(texts(sent.path("flags"))).containsExactly("linked", "credits_must_not_exceed_debits", "history");
        assertThat(sent.path("user_data_128").asText()).isEqualTo(USER_DATA.toUuidString());
        assertThat(sent.path("user_data_64").asText()).isEqualTo("9223372036854775808");
        assertThat(sent.path("user_data_32").asLong()).isEqualTo(2_147_483_648L);
        assertThat(List.of(sent.path("debits_pending").asText(), sent.path("debits_posted").asText(),
            sent.path("credits_pending").asText(), sent.path("credits_posted").asText())).containsExactly("1", "2", "3", "4");
        assertThat(sent.path("timestamp").asText()).isEqualTo("99");
        assertThat(sent.path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(sent.path("metadata").toString()).isEqualTo("{\"creator\":17}");
        assertThat(results).containsExactly(
            new CreateResult<>(0, CreateAccountStatus.EXISTS_WITH_DIFFERENT_CODE, Answers.timestampOf(ID)));
    }

    @Test
    void aJournalEntryCarriesItsPostingsPendingTimeoutAndMetadata() {
        start(request -> FakeLedgerServer.Reply.json("{\"results\":[{\"index\":0,\"id\":\"" + ID.toUuidString()
            + "\",\"status\":\"exceeds_credits\",\"timestamp\":\"77\",\"failed_posting\":2},{\"index\":1,\"id\":\""
            + DEBIT.toUuidString() + "\",\"status\":\"created\",\"timestamp\":\"78\"}]}"), true);
        JournalEntry sale = new JournalEntry(ID, 5, 9, List.of(Posting.debit(DEBIT, 1000), Posting.credit(CREDIT, 800),
            Posting.credit(PENDING, 200)), true, 3600);
        JournalEntry plain = JournalEntry.of(DEBIT, 5, 9, List.of(Posting.debit(CREDIT, 1), Posting.credit(PENDING, 1)));

        List<JournalEntryResult> results = client.createEntriesWithMetadata(List.of(
            NewEntry.of(sale).withMetadata("{\"sale\":\"S-9\"}"), NewEntry.of(plain)));

        JsonNode entries = server.requests().get(0).json().path("entries");
        JsonNode first = entries.get(0);
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("id", "ledger", "code", "postings", "pending", "timeout",
            "metadata");
        assertThat(first.path("ledger").asInt()).isEqualTo(5);
        assertThat(first.path("code").asInt()).isEqualTo(9);
        assertThat(first.path("pending").asBoolean()).isTrue();
        assertThat(first.path("timeout").asInt()).isEqualTo(3600);
        assertThat(first.path("metadata").toString()).isEqualTo("{\"sale\":\"S-9\"}");
        assertThat(first.path("postings").toString()).isEqualTo("[{\"account_id\":\"" + DEBIT.toUuidString()
            + "\",\"debit\":\"1000\"},{\"account_id\":\"" + CREDIT.toUuidString() + "\",\"credit\":\"800\"},"
            + "{\"account_id\":\"" + PENDING.toUuidString() + "\",\"credit\":\"200\"}]");
        assertThat(entries.get(1).has("metadata")).isFalse();
        assertThat(entries.get(1).path("pending").asBoolean()).isFalse();
        assertThat(results).containsExactly(
            new JournalEntryResult(0, ID, CreateTransferStatus.EXCEEDS_CREDITS, 77, 2),
            new JournalEntryResult(1, DEBIT, CreateTransferStatus.CREATED, 78, -1));
    }

    @Test
    void transfersWithoutMetadataGoAsBinaryRecordsAndTheirResultsAreDecoded() {
        start(request -> Answers.transferResults(request, id -> id.equals(ID) ? CreateTransferStatus.CREATED
            : CreateTransferStatus.EXCEEDS_CREDITS), true);
        Transfer other = Transfer.of(Uint128.of(9, 9), DEBIT, CREDIT, 5, 1, 1);

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(List.of(everyTransferField(), other));

        FakeLedgerServer.Request request = server.requests().get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(request.body()).hasSize(256);
        assertThat(request.binaryTransfers()).containsExactly(everyTransferField(), other);
        assertThat(results).containsExactly(
            new CreateResult<>(0, CreateTransferStatus.CREATED, Answers.timestampOf(ID)),
            new CreateResult<>(1, CreateTransferStatus.EXCEEDS_CREDITS, Answers.timestampOf(other.id())));
    }

    @Test
    void aBatchWithAnyMetadataGoesAsJson() {
        start(request -> Answers.transferResults(request, id -> CreateTransferStatus.CREATED), true);

        client.createTransfersWithMetadata(List.of(NewTransfer.of(Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1)),
            NewTransfer.of(Transfer.of(PENDING, DEBIT, CREDIT, 1, 1, 1)).withMetadata("{}")));

        FakeLedgerServer.Request request = server.requests().get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.json().path("transfers").get(0).has("metadata")).isFalse();
        assertThat(request.json().path("transfers").get(1).path("metadata").toString()).isEqualTo("{}");
    }

    @Test
    void aBatchEncodedAheadSendsWhatTheListCallsSendInEitherFormat() {
        start(request -> Answers.transferResults(request, id -> id.equals(ID) ? CreateTransferStatus.CREATED
            : CreateTransferStatus.EXCEEDS_CREDITS), true);
        Transfer other = Transfer.of(Uint128.of(9, 9), DEBIT, CREDIT, 5, 1, 1);
        List<CreateResult<CreateTransferStatus>> expected = List.of(
            new CreateResult<>(0, CreateTransferStatus.CREATED, Answers.timestampOf(ID)),
            new CreateResult<>(1, CreateTransferStatus.EXCEEDS_CREDITS, Answers.timestampOf(other.id())));
        List<NewTransfer> withMetadata = List.of(NewTransfer.of(everyTransferField()).withMetadata("{\"order\":\"A-1\"}"),
            NewTransfer.of(other));

        EncodedTransfers binary = EncodedTransfers.binary(List.of(everyTransferField(), other));
        EncodedTransfers json = EncodedTransfers.json(withMetadata);
        assertThat(binary.size()).isEqualTo(2);
        assertThat(binary.contentType()).isEqualTo("application/octet-stream");
        assertThat(binary.bodyLength()).isEqualTo(256);
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(client.createTransfers(binary)).isEqualTo(expected);
        assertThat(client.createTransfers(List.of(everyTransferField(), other))).isEqualTo(expected);
        assertThat(client.createTransfersAsync(json).join()).isEqualTo(expected);
        assertThat(client.createTransfersWithMetadata(withMetadata)).isEqualTo(expected);

        List<FakeLedgerServer.Request> requests = server.requests();
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(requests.get(0).header("Accept")).isEqualTo(requests.get(1).header("Accept"));
        assertThat(requests.get(0).body()).isEqualTo(requests.get(1).body());
        assertThat(requests.get(0).binaryTransfers()).containsExactly(everyTransferField(), other);
        assertThat(requests.get(2).header("Content-Type")).isEqualTo("application/json");
        assertThat(requests.get(2).body()).isEqualTo(requests.get(3).body());
        assertThat(requests.get(2).json().path("transfers").get(0).path("metadata").path("order").asText())
            .isEqualTo("A-1");
        assertThat(requests.get(0).header("X-Request-Id")).isNotEqualTo(requests.get(1).header("X-Request-Id"));
    }

    @Test
    void aBatchEncodedAheadIsCheckedWhenItIsEncoded() {
        Transfer valid = Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1);
        List<Transfer> tooMany = java.util.Collections.nCopies(LedgerClient.BATCH_EVENTS_MAX + 1, valid);
        assertThatThrownBy(() -> EncodedTransfers.binary(tooMany)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a batch holds at most 8189 transfers, got 8190");
        assertThatThrownBy(() -> EncodedTransfers.json(java.util.Collections.nCopies(8190, NewTransfer.of(valid))))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch holds at most 8189 transfers, got 8190");
        assertThatThrownBy(() -> EncodedTransfers.binary(List.of(valid.withFlags(1 << 12))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flag");
        assertThatThrownBy(() -> EncodedTransfers.json(List.of(NewTransfer.of(Transfer.of(ID, DEBIT, CREDIT, 1, -1, 1)))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ledger");
        assertThatThrownBy(() -> EncodedTransfers.binary(java.util.Arrays.asList(valid, null)))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EncodedTransfers.binary(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EncodedTransfers.binary(java.util.Arrays.asList(valid.withFlags(1 << 12), null)))
            .as("a null anywhere is refused before any event is checked, as the list calls refuse it")
            .isInstanceOf(NullPointerException.class);
        assertThat(EncodedTransfers.binary(java.util.Collections.nCopies(8189, valid)).bodyLength()).isEqualTo(8189 * 128);

        start(request -> FakeLedgerServer.Reply.json("{}"), true);
        assertThat(client.createTransfers(EncodedTransfers.binary(List.of()))).isEmpty();
        assertThat(client.createTransfersAsync(EncodedTransfers.json(List.of())).join()).isEmpty();
        assertThatThrownBy(() -> client.createTransfers((EncodedTransfers) null)).isInstanceOf(NullPointerException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aLookedUpAccountIsReadFieldByFieldIgnoringFieldsTheClientDoesNotKnow() {
        start(request -> FakeLedgerServer.Reply.json("{\"id\":\"" + ID.toUuidString() + "\",\"ledger\":2147483647,"
            + "\"code\":65535,\"flags\":[\"history\",\"closed\"],\"debits_pending\":\"1\",\"debits_posted\":2,"
            + "\"credits_pending\":\"9223372036854775807\",\"credits_posted\":\"4\",\"user_data_128\":\""
            + USER_DATA.toUuidString() + "\",\"user_data_64\":\"18446744073709551615\",\"user_data_32\":4294967295,"
            + "\"timestamp\":\"1700000000000000001\",\"tenant\":\"boyfanz\",\"metadata\":{\"a\": [true, null]},"
            + "\"added_later\":{\"x\":[1,2,{\"y\":\"z\"}]}}"), true);

        AccountDetails details = client.lookupAccountDetails(ID).orElseThrow();

        assertThat(server.requests().get(0).path()).isEqualTo("/v1/accounts/" + ID.toUuidString());
        assertThat(server.requests().get(0).method()).isEqualTo("GET");
        assertThat(details.account()).isEqualTo(new Account(ID, 1, 2, Long.MAX_VALUE, 4, USER_DATA, -1L, -1,
            Integer.MAX_VALUE, 65535, AccountFlags.HISTORY | AccountFlags.CLOSED, 1_700_000_000_000_000_001L, 0));
        assertThat(details.tenant()).isEqualTo("boyfanz");
        assertThat(details.metadata()).isEqualTo("{\"a\":[true,null]}");
        assertThat(client.lookupAccount(ID)).contains(details.account());
        assertThat(details).hasToString("AccountDetails[id=" + ID.toUuidString() + ", tenant=boyfanz, ledger=2147483647,"
            + " code=65535, flags=[history, closed], debitsPending=1, debitsPosted=2, creditsPending=9223372036854775807,"
            + " creditsPosted=4, userData128=" + USER_DATA.toUuidString() + ", userData64=18446744073709551615,"
            + " userData32=4294967295, timestamp=1700000000000000001, metadata={\"a\":[true,null]}]");
    }

    @Test
    void aLookedUpTransferHasItsPendingStatusAndMetadata() {
        start(request -> FakeLedgerServer.Reply.json("{\"id\":\"" + ID.toUuidString() + "\",\"debit_account_id\":\""
            + DEBIT.toUuidString() + "\",\"credit_account_id\":\"" + CREDIT.toUuidString() + "\",\"amount\":\"500\","
            + "\"pending_id\":\"00000000-0000-0000-0000-000000000000\",\"user_data_128\":\"" + USER_DATA.toUuidString()
            + "\",\"user_data_64\":\"7\",\"user_data_32\":8,\"timeout\":60,\"ledger\":3,\"code\":4,"
            + "\"flags\":[\"pending\"],\"timestamp\":\"99\",\"pending_status\":\"posted\",\"metadata\":{\"k\":\"v\"}}"),
            true);

        TransferDetails details = client.lookupTransferDetails(ID).orElseThrow();

        assertThat(server.requests().get(0).path()).isEqualTo("/v1/transfers/" + ID.toUuidString());
        assertThat(details.transfer()).isEqualTo(new Transfer(ID, DEBIT, CREDIT, 500, Uint128.ZERO, USER_DATA, 7, 8, 60, 3,
            4, TransferFlags.PENDING, 99, PendingStatus.POSTED));
        assertThat(details.metadata()).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void aLookupOfSomethingAbsentIsEmpty() {
        start(request -> FakeLedgerServer.Reply.problem(404, "not-found", "no account", null), true);

        assertThat(client.lookupAccount(ID)).isEmpty();
        assertThat(client.lookupTransferDetails(ID)).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void balancesAreReadWithTheirCursor() {
        start(request -> FakeLedgerServer.Reply.json("{\"balances\":[{\"timestamp\":\"10\",\"debits_pending\":\"1\","
            + "\"debits_posted\":\"2\",\"credits_pending\":\"3\",\"credits_posted\":\"4\"}],\"next\":\"10\"}"), true);

        Page<AccountBalance> page = client.accountBalances(AccountFilter.of(ID, 1));

        assertThat(page.items()).containsExactly(new AccountBalance(10, 1, 2, 3, 4));
        assertThat(page.next()).isEqualTo("10");
    }

    @Test
    void metadataMustBeOneJsonObjectWithoutDuplicateKeysOfAtMost4KiB() {
        Transfer transfer = Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1);
        assertThatThrownBy(() -> NewTransfer.of(transfer).withMetadata("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NewTransfer.of(transfer).withMetadata("{\"a\":1,\"a\":2}"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NewTransfer.of(transfer).withMetadata("{\"a\":1} {}"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NewTransfer.of(transfer).withMetadata("{\"a\":"))
            .isInstanceOf(IllegalArgumentException.class);
        String justFits = "{\"a\":\"" + "x".repeat(4096 - 8) + "\"}";
        assertThat(NewTransfer.of(transfer).withMetadata(justFits).metadata()).hasSize(4096);
        assertThatThrownBy(() -> NewTransfer.of(transfer).withMetadata("{\"a\":\"" + "x".repeat(4096 - 7) + "\"}"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4097 bytes");
        assertThatThrownBy(() -> NewAccount.of(Account.of(ID, 1, 1)).inTenant("Not A Slug"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesOneTransportCouldNotCarryLikeTheOtherAreRefusedBeforeSending() {
        start(request -> Answers.transferResults(request, id -> CreateTransferStatus.CREATED), true);

        assertThatThrownBy(() -> client.createTransfers(List.of(Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1).withFlags(1 << 12))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flag");
        assertThatThrownBy(() -> client.createTransfers(List.of(Transfer.of(ID, DEBIT, CREDIT, 1, -1, 1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ledger");
        assertThatThrownBy(() -> client.createAccounts(List.of(Account.of(ID, 1, 1).withTimestamp(-1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anAnswerWithTheWrongNumberOfResultsIsAnErrorNotAGuess() {
        start(request -> FakeLedgerServer.Reply.json("{\"results\":[]}"), false);

        assertThatThrownBy(() -> client.createTransfers(List.of(Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1))))
            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("1 results expected, 0 received");
    }

    @Test
    void anUnknownStatusIsAnErrorNotAGuess() {
        start(request -> FakeLedgerServer.Reply.json("{\"results\":[{\"index\":0,\"status\":\"brand_new_status\"}]}"), false);

        assertThatThrownBy(() -> client.createTransfers(List.of(Transfer.of(ID, DEBIT, CREDIT, 1, 1, 1))))
            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("brand_new_status");
    }

    @Test
    void anEmptyListNeedsNoRequest() {
        start(request -> FakeLedgerServer.Reply.json("{}"), true);

        assertThat(client.createTransfers(List.of())).isEmpty();
        assertThat(client.createAccounts(List.of())).isEmpty();
        assertThat(client.createEntries(List.of())).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
