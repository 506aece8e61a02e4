package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.testing.TestLedger;

/**
 * get_account_transfers and get_account_balances with every filter: directions, inclusive timestamp
 * bounds, user data and code, limit, order, invalid filters. Account 1 takes part in 40 transfers
 * (more than two blocks of its list), alternately debited and credited.
 */
class AccountQueriesTest {
    private TestLedger ledger;
    private final List<Long> timestamps = new ArrayList<>();

    @BeforeEach
    void forty() {
        ledger = new TestLedger();
        ledger.accounts(account(1, AccountFlags.HISTORY), account(2), account(3));
        for (int i = 0; i < 40; i++) {
            Transfer t = i % 2 == 0 ? transfer(100 + i, 1, 2, i + 1) : transfer(100 + i, 3, 1, i + 1);
            ledger.transfers(t.withUserData(Uint128.of(i % 3), i % 4, i % 5));
            timestamps.add(ledger.lookupTransfer(100 + i).timestamp());
            ledger.advanceSeconds(1);
        }
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void allTransfersOldestFirstAndNewestFirst() {
        assertThat(ids(AccountFilter.of(id(1), 100))).containsExactlyElementsOf(range(0, 40));
        List<Long> reversed = new ArrayList<>(range(0, 40));
        java.util.Collections.reverse(reversed);
        assertThat(ids(AccountFilter.of(id(1), 100).withReversed(true))).containsExactlyElementsOf(reversed);
    }

    @Test
    void directionsSelectTheSide() {
        assertThat(ids(AccountFilter.of(id(1), 100).withDirections(true, false))).allMatch(i -> (i - 100) % 2 == 0)
            .hasSize(20);
        assertThat(ids(AccountFilter.of(id(1), 100).withDirections(false, true))).allMatch(i -> (i - 100) % 2 == 1)
            .hasSize(20);
    }

    @Test
    void timestampBoundsAreInclusive() {
        AccountFilter filter = AccountFilter.of(id(1), 100).withTimestamps(timestamps.get(5), timestamps.get(9));
        assertThat(ids(filter)).containsExactlyElementsOf(range(5, 10));
        assertThat(ids(filter.withReversed(true))).containsExactly(109L, 108L, 107L, 106L, 105L);
    }

    @Test
    void limitTakesTheFirstInTheChosenOrder() {
        assertThat(ids(AccountFilter.of(id(1), 3))).containsExactly(100L, 101L, 102L);
        assertThat(ids(AccountFilter.of(id(1), 3).withReversed(true))).containsExactly(139L, 138L, 137L);
        AccountFilter fromTen = AccountFilter.of(id(1), 2).withTimestamps(timestamps.get(10), 0);
        assertThat(ids(fromTen)).containsExactly(110L, 111L);
    }

    @Test
    void userDataAndCodeFiltersAreAnded() {
        AccountFilter filter = AccountFilter.of(id(1), 100).withUserDataAndCode(Uint128.of(1), 1, 0, 0);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 3 == 1 && i % 4 == 1) {
                expected.add(100L + i);
            }
        }
        assertThat(ids(filter)).containsExactlyElementsOf(expected).isNotEmpty();
        assertThat(ids(AccountFilter.of(id(1), 100).withUserDataAndCode(Uint128.ZERO, 0, 0, 2))).isEmpty();
    }

    @Test
    void invalidFiltersMatchNothing() {
        assertThat(ids(AccountFilter.of(id(1), 0))).isEmpty();
        assertThat(ids(AccountFilter.of(id(1), 100).withDirections(false, false))).isEmpty();
        assertThat(ids(AccountFilter.of(id(1), 100).withTimestamps(timestamps.get(9), timestamps.get(5)))).isEmpty();
        assertThat(ids(AccountFilter.of(Uint128.ZERO, 100))).isEmpty();
        assertThat(ids(AccountFilter.of(Uint128.MAX, 100))).isEmpty();
        assertThat(ids(AccountFilter.of(id(99), 100))).isEmpty();
    }

    @Test
    void balancesFollowTheSameFilters() {
        var balances = ledger.accountBalances(AccountFilter.of(id(1), 100).withTimestamps(timestamps.get(2), timestamps.get(3)));
        assertThat(balances).hasSize(2);
        assertThat(balances.get(0).timestamp()).isEqualTo(timestamps.get(2));
        assertThat(balances.get(0).debitsPosted()).isEqualTo(1 + 3);
        assertThat(balances.get(1).creditsPosted()).isEqualTo(2 + 4);
        assertThat(ledger.accountBalances(AccountFilter.of(id(2), 100))).as("account without history").isEmpty();
    }

    private List<Long> ids(AccountFilter filter) {
        return ledger.accountTransfers(filter).stream().map(t -> t.id().low()).toList();
    }

    private static List<Long> range(int from, int to) {
        List<Long> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(100L + i);
        }
        return ids;
    }
}
