package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateTransferStatus.CREATED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.CREDIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.DEBIT_ACCOUNT_ALREADY_CLOSED;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS;
import static com.fanzfinance.ledger.command.CreateTransferStatus.EXISTS_WITH_DIFFERENT_AMOUNT;
import static com.fanzfinance.ledger.command.CreateTransferStatus.PENDING_TRANSFER_EXPIRED;
import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.pending;
import static com.fanzfinance.ledger.testing.Fixtures.post;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static com.fanzfinance.ledger.testing.Fixtures.voidPending;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.testing.TestLedger;

/** Two-phase transfers, expiry, balancing and closing: what each does to balances and flags. */
class TwoPhaseAndBalancingTest {
    private static final long FULL = Long.MAX_VALUE;

    @Test
    void partialPostMovesThatAmountAndReleasesTheRest() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            assertThat(ledger.transfers(pending(10, 1, 2, 100, 0))).containsExactly(CREATED);
            assertBalances(ledger.lookupAccount(1), 100, 0, 0, 0);
            assertThat(ledger.transfers(post(11, 10, 60))).containsExactly(CREATED);
            assertBalances(ledger.lookupAccount(1), 0, 60, 0, 0);
            assertBalances(ledger.lookupAccount(2), 0, 0, 0, 60);
            assertThat(ledger.lookupTransfer(10).pendingStatus()).isEqualTo(PendingStatus.POSTED);
            assertThat(ledger.lookupTransfer(11).amount()).isEqualTo(60);
            assertThat(ledger.lookupTransfer(11).debitAccountId()).isEqualTo(ledger.lookupTransfer(10).debitAccountId());
        }
    }

    @Test
    void postOfMaxMeansTheFullAmountAndARetryIsExists() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 7, 0));
            assertThat(ledger.transfers(post(11, 10, FULL))).containsExactly(CREATED);
            assertThat(ledger.lookupTransfer(11).amount()).isEqualTo(7);
            assertThat(ledger.transfers(post(11, 10, FULL))).containsExactly(EXISTS);
            assertThat(ledger.transfers(post(11, 10, 7))).containsExactly(EXISTS);
            assertThat(ledger.transfers(post(11, 10, 6))).containsExactly(EXISTS_WITH_DIFFERENT_AMOUNT);
        }
    }

    @Test
    void voidReleasesTheReserveAndInheritsUserData() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 100, 0).withUserData(com.fanzfinance.ledger.command.Uint128.of(77), 5, 6));
            assertThat(ledger.transfers(voidPending(11, 10))).containsExactly(CREATED);
            assertBalances(ledger.lookupAccount(1), 0, 0, 0, 0);
            assertThat(ledger.lookupTransfer(10).pendingStatus()).isEqualTo(PendingStatus.VOIDED);
            assertThat(ledger.lookupTransfer(11).userData64()).isEqualTo(5);
            assertThat(ledger.lookupTransfer(11).userData32()).isEqualTo(6);
            assertThat(ledger.lookupTransfer(11).userData128().low()).isEqualTo(77);
        }
    }

    @Test
    void expiryReleasesTheReserveAtItsTimeAndNotBefore() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 100, 5));
            long expiresAt = ledger.lookupTransfer(10).timestamp() + 5_000_000_000L;
            ledger.advanceNanos(expiresAt - ledger.nowNs() - 10);
            assertThat(ledger.tick()).isZero();
            assertBalances(ledger.lookupAccount(1), 100, 0, 0, 0);
            ledger.advanceNanos(20);
            assertThat(ledger.tick()).isEqualTo(1);
            assertBalances(ledger.lookupAccount(1), 0, 0, 0, 0);
            assertBalances(ledger.lookupAccount(2), 0, 0, 0, 0);
            assertThat(ledger.lookupTransfer(10).pendingStatus()).isEqualTo(PendingStatus.EXPIRED);
            assertThat(ledger.transfers(post(11, 10, FULL))).containsExactly(PENDING_TRANSFER_EXPIRED);
        }
    }

    @Test
    void expiriesAreReleasedInOrderOfExpiryWhateverTheCreationOrder() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 1, 30), pending(11, 1, 2, 2, 10), pending(12, 1, 2, 4, 20));
            ledger.advanceSeconds(15);
            ledger.tick();
            assertBalances(ledger.lookupAccount(1), 5, 0, 0, 0);
            ledger.advanceSeconds(10);
            ledger.tick();
            assertBalances(ledger.lookupAccount(1), 1, 0, 0, 0);
        }
    }

    @Test
    void postedOrVoidedTransfersAreNotExpiredLater() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 100, 1), post(11, 10, 40));
            ledger.advanceSeconds(5);
            assertThat(ledger.tick()).isZero();
            assertBalances(ledger.lookupAccount(1), 0, 40, 0, 0);
            assertThat(ledger.lookupTransfer(10).pendingStatus()).isEqualTo(PendingStatus.POSTED);
        }
    }

    @Test
    void closingTransferClosesUntilVoided() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 0, 0).withFlags(TransferFlags.PENDING | TransferFlags.CLOSING_DEBIT));
            assertThat(ledger.lookupAccount(1).has(AccountFlags.CLOSED)).isTrue();
            assertThat(ledger.transfers(transfer(11, 1, 2, 5))).containsExactly(DEBIT_ACCOUNT_ALREADY_CLOSED);
            assertThat(ledger.transfers(transfer(12, 2, 1, 5))).containsExactly(CREDIT_ACCOUNT_ALREADY_CLOSED);
            assertThat(ledger.transfers(voidPending(13, 10))).containsExactly(CREATED);
            assertThat(ledger.lookupAccount(1).has(AccountFlags.CLOSED)).isFalse();
            assertThat(ledger.transfers(transfer(14, 1, 2, 5))).containsExactly(CREATED);
        }
    }

    @Test
    void expiryOfAClosingTransferReopensTheAccount() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(pending(10, 1, 2, 0, 1).withFlags(TransferFlags.PENDING | TransferFlags.CLOSING_CREDIT));
            assertThat(ledger.lookupAccount(2).has(AccountFlags.CLOSED)).isTrue();
            ledger.advanceSeconds(2);
            ledger.tick();
            assertThat(ledger.lookupAccount(2).has(AccountFlags.CLOSED)).isFalse();
        }
    }

    @Test
    void balancingDebitMovesAtMostTheAvailableCredit() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(transfer(10, 2, 3, 30));
            assertThat(ledger.transfers(transfer(11, 3, 2, 100).withFlags(TransferFlags.BALANCING_DEBIT)))
                .containsExactly(CREATED);
            assertThat(ledger.lookupTransfer(11).amount()).isEqualTo(30);
            assertBalances(ledger.lookupAccount(3), 0, 30, 0, 30);
            assertThat(ledger.transfers(transfer(12, 3, 2, 100).withFlags(TransferFlags.BALANCING_DEBIT)))
                .containsExactly(CREATED);
            assertThat(ledger.lookupTransfer(12).amount()).isZero();
            assertThat(ledger.transfers(transfer(11, 3, 2, 30).withFlags(TransferFlags.BALANCING_DEBIT)))
                .containsExactly(EXISTS);
            assertThat(ledger.transfers(transfer(11, 3, 2, 29).withFlags(TransferFlags.BALANCING_DEBIT)))
                .containsExactly(EXISTS_WITH_DIFFERENT_AMOUNT);
        }
    }

    @Test
    void pendingBalancingCountsEarlierReservations() {
        try (TestLedger ledger = ledgerWithAccounts()) {
            ledger.transfers(transfer(10, 2, 3, 10));
            int flags = TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT;
            ledger.transfers(pending(11, 3, 2, 3, 0).withFlags(flags), pending(12, 3, 2, 13, 0).withFlags(flags),
                pending(13, 3, 2, 13, 0).withFlags(flags));
            assertThat(ledger.lookupTransfer(11).amount()).isEqualTo(3);
            assertThat(ledger.lookupTransfer(12).amount()).isEqualTo(7);
            assertThat(ledger.lookupTransfer(13).amount()).isZero();
        }
    }

    @Test
    void historyRecordsBalancesAfterEveryTransferButNotExpiries() {
        try (TestLedger ledger = new TestLedger()) {
            ledger.accounts(account(1, AccountFlags.HISTORY), account(2));
            ledger.transfers(transfer(10, 1, 2, 10), transfer(11, 2, 1, 11), pending(12, 1, 2, 5, 1));
            ledger.advanceSeconds(2);
            ledger.tick();
            ledger.transfers(transfer(13, 1, 2, 12));
            var history = ledger.accountBalances(AccountFilter.of(account(1).id(), 100));
            assertThat(history).extracting(b -> b.debitsPosted() + "/" + b.creditsPosted() + "/" + b.debitsPending())
                .containsExactly("10/0/0", "10/11/0", "10/11/5", "22/11/0");
            assertThat(ledger.accountBalances(AccountFilter.of(account(2).id(), 100))).isEmpty();
        }
    }

    private static TestLedger ledgerWithAccounts() {
        TestLedger ledger = new TestLedger();
        ledger.accounts(account(1), account(2), account(3, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        return ledger;
    }

    private static void assertBalances(Account account, long debitsPending, long debitsPosted, long creditsPending,
                                       long creditsPosted) {
        assertThat(new long[] {account.debitsPending(), account.debitsPosted(), account.creditsPending(),
            account.creditsPosted()}).containsExactly(debitsPending, debitsPosted, creditsPending, creditsPosted);
    }
}
