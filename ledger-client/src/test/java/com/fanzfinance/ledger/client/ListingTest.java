package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/** Account filters as query strings, and paging through {@code next} cursors. */
class ListingTest {
    private static final Uint128 ACCOUNT = Uint128.of(0xA, 0xB);

    private FakeLedgerServer server;
    private LedgerClient client;

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void start(FakeLedgerServer.Responder responder) {
        server = FakeLedgerServer.start(responder);
        client = LedgerClient.builder(server.base(), "key").maxAttempts(1).build();
    }

    /** A page of transfers with the given amounts (ids follow the amounts) and cursor. */
    private static FakeLedgerServer.Reply page(String next, long... amounts) {
        String transfers = Arrays.stream(amounts).mapToObj(amount -> "{\"id\":\"" + Uint128.of(9, amount)
            + "\",\"debit_account_id\":\"" + ACCOUNT + "\",\"credit_account_id\":\"" + Uint128.of(1, 1)
            + "\",\"amount\":\"" + amount + "\",\"ledger\":1,\"code\":1,\"flags\":[],\"timestamp\":\"" + amount + "\"}")
            .collect(Collectors.joining(","));
        return FakeLedgerServer.Reply.json("{\"transfers\":[" + transfers + "],\"next\":"
            + (next == null ? "null" : "\"" + next + "\"") + "}");
    }

    @Test
    void everyFilterFieldBecomesAQueryParameter() {
        start(request -> page(null));
        AccountFilter filter = new AccountFilter(ACCOUNT, Uint128.of(1, 2), -1L, -1, 7, 10, 20, 50, true, false, true);

        client.accountTransfers(filter);

        FakeLedgerServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/accounts/" + ACCOUNT.toUuidString() + "/transfers");
        assertThat(request.query().split("&")).containsExactlyInAnyOrder("limit=50", "timestamp_min=10",
            "timestamp_max=20", "credits=false", "reversed=true", "user_data_128=" + Uint128.of(1, 2).toUuidString(),
            "user_data_64=18446744073709551615", "user_data_32=4294967295", "code=7");
    }

    @Test
    void zeroFieldsAreLeftOutAndTheLimitIsCapped() {
        start(request -> page(null));

        client.accountTransfers(AccountFilter.of(ACCOUNT, 100_000).withDirections(false, true));

        assertThat(server.requests().get(0).query()).isEqualTo("limit=8189&debits=false");
    }

    @Test
    void allAccountTransfersFollowsTheCursorsToTheLastPage() {
        start(request -> {
            String query = request.query();
            if (query.contains("cursor=2")) {
                return page("4", 3, 4);
            }
            if (query.contains("cursor=4")) {
                return page(null, 5);
            }
            return page("2", 1, 2);
        });

        List<Transfer> transfers = client.allAccountTransfers(AccountFilter.of(ACCOUNT, 2)).toList();

        assertThat(transfers).extracting(Transfer::amount).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(server.requests()).extracting(FakeLedgerServer.Request::query)
            .containsExactly("limit=2", "limit=2&cursor=2", "limit=2&cursor=4");
        Page<Transfer> second = client.accountTransfers(AccountFilter.of(ACCOUNT, 2), "2");
        assertThat(second.items()).extracting(Transfer::amount).containsExactly(3L, 4L);
        assertThat(second.next()).isEqualTo("4");
    }

    @Test
    void anInvalidFilterMatchesNothingWithoutAsking() {
        start(request -> page(null, 1));

        assertThat(client.accountTransfers(AccountFilter.of(ACCOUNT, 0)).items()).isEmpty();
        assertThat(client.accountTransfers(AccountFilter.of(Uint128.ZERO, 10)).items()).isEmpty();
        assertThat(client.accountBalances(AccountFilter.of(ACCOUNT, 10).withDirections(false, false)).items()).isEmpty();
        assertThat(client.accountTransfers(AccountFilter.of(ACCOUNT, 10).withTimestamps(5, 4)).hasNext()).isFalse();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void balancesCannotBeFilteredByUserDataOrCode() {
        start(request -> page(null));

        assertThatThrownBy(() -> client.accountBalances(AccountFilter.of(ACCOUNT, 10)
            .withUserDataAndCode(Uint128.ZERO, 0, 0, 3))).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aListingOfAnAccountThatIsNotThereIsAProblemNotAnEmptyPage() {
        start(request -> FakeLedgerServer.Reply.problem(404, "not-found", "no account", null));

        assertThatThrownBy(() -> client.accountTransfers(AccountFilter.of(ACCOUNT, 10)))
            .isInstanceOfSatisfying(LedgerProblemException.class, problem -> assertThat(problem.status()).isEqualTo(404));
    }
}
