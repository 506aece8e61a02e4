package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.client.EncodedTransfers;
import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.NewTransfer;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * {@code ?results=failures} on a real server: the answer holds exactly the events the full answer says were not
 * created — same indexes, same statuses — as JSON and as binary records (the event's index in the reserved field),
 * for accounts and transfers, and through {@code ledger-client}; an unknown value is a 400 and nothing is applied.
 */
class FailuresOnlyResultsEndToEndTest {
    /** (index, status) of every event the full answer does not call created, from a server given the batch in full. */
    private static List<String> failuresOfTheFullAnswer(List<String> statuses) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            if (!statuses.get(i).equals("created")) {
                failures.add(i + " " + statuses.get(i));
            }
        }
        return failures;
    }

    @Test
    void onlyTheFailuresComeBackWithTheirIndexesAsJsonAndBinary(@TempDir Path full, @TempDir Path json,
                                                                @TempDir Path binary) {
        List<String> fullAccounts;
        List<String> fullTransfers;
        try (TestServer server = TestServer.start(full)) {
            fullAccounts = BinaryTransportEndToEndTest.jsonStatuses(server.postJson("/v1/accounts?results=all", ADMIN_KEY,
                BinaryTransportEndToEndTest.accountsJson(BinaryTransportEndToEndTest.accounts())));
            fullTransfers = BinaryTransportEndToEndTest.jsonStatuses(server.postJson("/v1/transfers", ADMIN_KEY,
                BinaryTransportEndToEndTest.transfersJson(BinaryTransportEndToEndTest.transfers())));
        }
        assertThat(fullTransfers).contains("created").hasSizeGreaterThan(failuresOfTheFullAnswer(fullTransfers).size());

        try (TestServer server = TestServer.start(json)) {
            TestServer.Response accounts = server.postJson("/v1/accounts?results=failures", ADMIN_KEY,
                BinaryTransportEndToEndTest.accountsJson(BinaryTransportEndToEndTest.accounts()));
            assertThat(jsonFailures(accounts)).isEqualTo(failuresOfTheFullAnswer(fullAccounts));
            TestServer.Response transfers = server.postJson("/v1/transfers?results=failures", ADMIN_KEY,
                BinaryTransportEndToEndTest.transfersJson(BinaryTransportEndToEndTest.transfers()));
            assertThat(jsonFailures(transfers)).isEqualTo(failuresOfTheFullAnswer(fullTransfers));
            // each result names its event's id, as in the full answer
            transfers.json().path("results").forEach(result -> assertThat(result.path("id").asText()).isEqualTo(
                BinaryTransportEndToEndTest.transfers().get(result.path("index").asInt()).id().toUuidString()));
        }

        try (TestServer server = TestServer.start(binary)) {
            TestServer.Response accounts = server.postBinary("/v1/accounts?results=failures", ADMIN_KEY,
                BinaryTransportEndToEndTest.records(BinaryTransportEndToEndTest.accounts(), null));
            assertThat(binaryFailures(accounts, true)).isEqualTo(failuresOfTheFullAnswer(fullAccounts));
            TestServer.Response transfers = server.postBinary("/v1/transfers?results=failures", ADMIN_KEY,
                BinaryTransportEndToEndTest.records(null, BinaryTransportEndToEndTest.transfers()));
            assertThat(binaryFailures(transfers, false)).isEqualTo(failuresOfTheFullAnswer(fullTransfers));
        }
    }

    @Test
    void aBatchThatAllSucceedsAnswersEmptyAndABadValueIsRefusedBeforeAnythingIsApplied(@TempDir Path data) {
        try (TestServer server = TestServer.start(data);
             LedgerClient client = LedgerClient.builder(server.base(), ADMIN_KEY).build()) {
            assertThat(server.postJson("/v1/accounts", ADMIN_KEY,
                BinaryTransportEndToEndTest.accountsJson(BinaryTransportEndToEndTest.accounts())).status()).isEqualTo(200);
            Uint128 a = BinaryTransportEndToEndTest.accounts().get(0).id();
            Uint128 b = BinaryTransportEndToEndTest.accounts().get(1).id();

            for (String bad : List.of("?results=failure", "?results=", "?results=FAILURES", "?results=all&results=failures")) {
                String body = BinaryTransportEndToEndTest.transfersJson(List.of(Transfer.of(id(1), a, b, 5, 1, 1)));
                TestServer.Response refused = server.postJson("/v1/transfers" + bad, ADMIN_KEY, body);
                assertThat(refused.status()).as(bad).isEqualTo(400);
                assertThat(refused.json().path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/invalid-field");
                assertThat(refused.json().path("pointer").asText()).isEqualTo("?results");
                TestServer.Response binaryRefused = server.postBinary("/v1/transfers" + bad, ADMIN_KEY,
                    BinaryTransportEndToEndTest.records(null, List.of(Transfer.of(id(1), a, b, 5, 1, 1))));
                assertThat(binaryRefused.status()).as(bad).isEqualTo(400);
            }
            assertThat(server.get("/v1/transfers/" + id(1).toUuidString(), ADMIN_KEY).status()).isEqualTo(404);

            TestServer.Response allCreated = server.postBinary("/v1/transfers?results=failures", ADMIN_KEY,
                BinaryTransportEndToEndTest.records(null, List.of(Transfer.of(id(1), a, b, 5, 1, 1))));
            assertThat(allCreated.status()).isEqualTo(200);
            assertThat(allCreated.body()).isEmpty();
            assertThat(server.postJson("/v1/transfers?results=failures", ADMIN_KEY, BinaryTransportEndToEndTest
                .transfersJson(List.of(Transfer.of(id(2), a, b, 5, 1, 1)))).json().path("results")).isEmpty();

            // through the client, both encodings: created ones leave no result, the others keep their index
            List<Transfer> batch = List.of(Transfer.of(id(3), a, b, 1, 1, 1), Transfer.of(id(1), a, b, 5, 1, 1),
                Transfer.of(id(4), a, b, 1, 1, 1), Transfer.of(id(5), a, a, 1, 1, 1));
            List<CreateResult<CreateTransferStatus>> viaBinary = client.createTransfersFailuresOnly(
                EncodedTransfers.binary(batch));
            assertThat(viaBinary).extracting(CreateResult::index).containsExactly(1, 3);
            assertThat(viaBinary).extracting(CreateResult::status).containsExactly(CreateTransferStatus.EXISTS,
                CreateTransferStatus.ACCOUNTS_MUST_BE_DIFFERENT);
            assertThat(viaBinary.get(0).timestamp()).as("exists carries the transfer's timestamp").isPositive();
            List<Transfer> again = List.of(Transfer.of(id(6), a, b, 1, 1, 1), Transfer.of(id(3), a, b, 1, 1, 1));
            assertThat(client.createTransfersFailuresOnly(EncodedTransfers.json(again.stream().map(NewTransfer::of).toList())))
                .extracting(CreateResult::index, CreateResult::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1, CreateTransferStatus.EXISTS));
            assertThat(client.createTransfersFailuresOnly(EncodedTransfers.binary(List.of(Transfer.of(id(7), a, b, 1, 1, 1)))))
                .isEmpty();
            assertThat(client.lookupTransfer(id(7))).isPresent();
            assertThatThrownBy(() -> client.createTransfersFailuresOnly(null)).isInstanceOf(NullPointerException.class);
        }
    }

    private static Uint128 id(long n) {
        return new Uint128(0x3100, n);
    }

    private static List<String> jsonFailures(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> failures = new ArrayList<>();
        response.json().path("results").forEach(result -> failures.add(result.path("index").asInt() + " "
            + result.path("status").asText()));
        return failures;
    }

    private static List<String> binaryFailures(TestServer.Response response, boolean accounts) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/octet-stream");
        assertThat(response.body().length % 16).isZero();
        ByteBuffer results = ByteBuffer.wrap(response.body()).order(ByteOrder.LITTLE_ENDIAN);
        List<String> failures = new ArrayList<>();
        for (int at = 0; at < response.body().length; at += 16) {
            long code = results.getInt(at + 8) & 0xFFFF_FFFFL;
            String status = accounts ? CreateAccountStatus.ofCode(code).wireName() : CreateTransferStatus.ofCode(code).wireName();
            failures.add(results.getInt(at + 12) + " " + status);
        }
        return failures;
    }
}
