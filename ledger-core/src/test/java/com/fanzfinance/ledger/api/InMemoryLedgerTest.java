package com.fanzfinance.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.StateMachineConfig;

/** The embedding API end to end: typed calls in, statuses and records out, from several threads. */
class InMemoryLedgerTest {
    private static final Uint128 RECEIVABLE = Uint128.of(1100);
    private static final Uint128 CREATOR = Uint128.of(2100);
    private static final Uint128 FEES = Uint128.of(4100);
    private static final Uint128 REFERRAL = Uint128.of(5200);

    @Test
    void createsAccountsAndTransfersAndLooksThemUp() {
        try (InMemoryLedger ledger = new InMemoryLedger(StateMachineConfig.inMemory())) {
            List<CreateResult<CreateAccountStatus>> accounts = ledger.createAccounts(List.of(
                Account.of(RECEIVABLE, 1, 1100).withTenant(3), Account.of(CREATOR, 1, 2100)));
            assertThat(accounts).extracting(CreateResult::status).containsOnly(CreateAccountStatus.CREATED);
            List<CreateResult<CreateTransferStatus>> transfers = ledger.createTransfers(List.of(
                Transfer.of(Uint128.of(1), RECEIVABLE, CREATOR, 999, 1, 1)));
            assertThat(transfers.get(0).status()).isEqualTo(CreateTransferStatus.CREATED);
            assertThat(transfers.get(0).timestamp()).isGreaterThan(accounts.get(1).timestamp());
            assertThat(ledger.lookupAccount(RECEIVABLE)).get().extracting(Account::debitsPosted, Account::tenant)
                .containsExactly(999L, 3);
            assertThat(ledger.lookupTransfer(Uint128.of(1))).get().extracting(Transfer::amount).isEqualTo(999L);
            assertThat(ledger.lookupTransfer(Uint128.of(2))).isEmpty();
            assertThat(ledger.accountTransfers(AccountFilter.of(CREATOR, 10))).hasSize(1);
        }
    }

    @Test
    void aSaleSplitIsOneAtomicEntry() {
        try (InMemoryLedger ledger = withChart()) {
            JournalEntry sale = JournalEntry.of(Uint128.of(77), 1, 10, List.of(
                Posting.debit(RECEIVABLE, 10_000), Posting.credit(CREATOR, 8_000), Posting.credit(FEES, 1_500),
                Posting.credit(REFERRAL, 500)));
            List<JournalEntryResult> results = ledger.createEntries(List.of(sale));
            assertThat(results.get(0).status()).isEqualTo(CreateTransferStatus.CREATED);
            assertThat(ledger.lookupAccount(RECEIVABLE).orElseThrow().debitsPosted()).isEqualTo(10_000);
            assertThat(ledger.lookupAccount(CREATOR).orElseThrow().creditsPosted()).isEqualTo(8_000);
            assertThat(ledger.lookupAccount(FEES).orElseThrow().creditsPosted()).isEqualTo(1_500);
            assertThat(ledger.lookupAccount(REFERRAL).orElseThrow().creditsPosted()).isEqualTo(500);
            assertThat(ledger.accountTransfers(AccountFilter.of(RECEIVABLE, 10)))
                .allMatch(t -> t.userData128().equals(Uint128.of(77))).hasSize(3);
            assertThat(ledger.createEntries(List.of(sale)).get(0).status()).isEqualTo(CreateTransferStatus.EXISTS);
            assertThat(ledger.lookupAccount(RECEIVABLE).orElseThrow().debitsPosted()).isEqualTo(10_000);
        }
    }

    @Test
    void aFailingLegFailsTheWholeEntryAndNamesThePosting() {
        try (InMemoryLedger ledger = withChart()) {
            ledger.createAccounts(List.of(Account.of(Uint128.of(9), 1, 2100)
                .withFlags(com.fanzfinance.ledger.command.AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)));
            JournalEntry entry = JournalEntry.of(Uint128.of(78), 1, 10, List.of(
                Posting.debit(RECEIVABLE, 100), Posting.credit(CREATOR, 60), Posting.credit(Uint128.of(9), 40)));
            JournalEntryResult result = ledger.createEntries(List.of(entry)).get(0);
            assertThat(result.status()).isEqualTo(CreateTransferStatus.EXCEEDS_DEBITS);
            assertThat(result.failedPosting()).isEqualTo(2);
            assertThat(ledger.lookupAccount(CREATOR).orElseThrow().creditsPosted()).isZero();
            assertThat(ledger.lookupTransfer(Uint128.of(78))).isEmpty();
        }
    }

    @Test
    void unbalancedEntriesAreRefusedBeforeReachingTheLedger() {
        assertThatThrownBy(() -> JournalEntry.of(Uint128.of(1), 1, 1, List.of(Posting.debit(RECEIVABLE, 10),
            Posting.credit(CREATOR, 9)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("balance");
        assertThatThrownBy(() -> Posting.debit(RECEIVABLE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallersAreSerialisedAndNothingIsLost() throws InterruptedException {
        try (InMemoryLedger ledger = withChart()) {
            AtomicLong nextId = new AtomicLong(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        ledger.createTransfers(List.of(Transfer.of(Uint128.of(nextId.getAndIncrement()), RECEIVABLE,
                            CREATOR, 1, 1, 1)));
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(ledger.lookupAccount(CREATOR).orElseThrow().creditsPosted()).isEqualTo(1000);
        }
    }

    @Test
    void aBatchOverTheLimitIsRefusedWhole() {
        try (InMemoryLedger ledger = withChart()) {
            List<Transfer> tooMany = new ArrayList<>();
            for (int i = 1; i <= Ledger.BATCH_EVENTS_MAX + 1; i++) {
                tooMany.add(Transfer.of(Uint128.of(i), RECEIVABLE, CREATOR, 1, 1, 1));
            }
            assertThatThrownBy(() -> ledger.createTransfers(tooMany)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.lookupAccount(CREATOR).orElseThrow().creditsPosted()).isZero();
        }
    }

    @Test
    void aFullLedgerRefusesTheCommandAndAppliesNothing() {
        try (InMemoryLedger ledger = new InMemoryLedger(StateMachineConfig.inMemory().withLimits(2, 10))) {
            ledger.createAccounts(List.of(Account.of(RECEIVABLE, 1, 1)));
            assertThatThrownBy(() -> ledger.createAccounts(List.of(Account.of(CREATOR, 1, 1), Account.of(FEES, 1, 1))))
                .isInstanceOf(LedgerFullException.class);
            assertThat(ledger.lookupAccount(CREATOR)).isEmpty();
        }
    }

    private static InMemoryLedger withChart() {
        InMemoryLedger ledger = new InMemoryLedger(StateMachineConfig.inMemory());
        ledger.createAccounts(List.of(Account.of(RECEIVABLE, 1, 1100), Account.of(CREATOR, 1, 2100),
            Account.of(FEES, 1, 4100), Account.of(REFERRAL, 1, 5200)));
        return ledger;
    }
}
