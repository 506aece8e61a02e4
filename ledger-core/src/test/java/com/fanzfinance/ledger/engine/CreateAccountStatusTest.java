package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateAccountStatus.CODE_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREATED;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREDITS_PENDING_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREDITS_POSTED_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.DEBITS_PENDING_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.DEBITS_POSTED_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_CODE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_FLAGS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_LEDGER;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_128;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_32;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_64;
import static com.fanzfinance.ledger.command.CreateAccountStatus.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateAccountStatus.ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_EXPECTED;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_NOT_EXPECTED;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.LEDGER_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.LINKED_EVENT_CHAIN_OPEN;
import static com.fanzfinance.ledger.command.CreateAccountStatus.LINKED_EVENT_FAILED;
import static com.fanzfinance.ledger.command.CreateAccountStatus.RESERVED_FIELD;
import static com.fanzfinance.ledger.command.CreateAccountStatus.RESERVED_FLAG;
import static com.fanzfinance.ledger.command.CreateAccountStatus.TIMESTAMP_MUST_BE_ZERO;
import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.testing.Fixtures;
import com.fanzfinance.ledger.testing.TestLedger;

/**
 * Every create-account status, each produced by a scenario, plus pairs of violations that show the
 * documented precedence (the earlier status wins). Each scenario runs on a fresh ledger; the last
 * status of the last command is the one checked.
 */
class CreateAccountStatusTest {
    private static final int LINKED = AccountFlags.LINKED;
    private static final int IMPORTED = AccountFlags.IMPORTED;

    private record Case(String name, CreateAccountStatus expected, Function<TestLedger, List<CreateAccountStatus>> run) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("plain account", CREATED, ledger -> ledger.accounts(account(1))));
        cases.add(new Case("chain member before a failure", LINKED_EVENT_FAILED,
            ledger -> ledger.accounts(account(1, LINKED), Account.of(id(3), 0, 1)).subList(0, 1)));
        cases.add(new Case("chain member after a failure", LINKED_EVENT_FAILED,
            ledger -> ledger.accounts(Account.of(id(1), 0, 1).withFlags(LINKED), account(2))));
        cases.add(new Case("last event linked", LINKED_EVENT_CHAIN_OPEN, ledger -> ledger.accounts(account(1, LINKED))));
        cases.add(new Case("plain event in an imported batch", IMPORTED_EVENT_EXPECTED,
            ledger -> ledger.accounts(imported(ledger, 1, 10), account(2))));
        cases.add(new Case("imported event in a plain batch", IMPORTED_EVENT_NOT_EXPECTED,
            ledger -> ledger.accounts(account(1), imported(ledger, 2, 10))));
        cases.add(new Case("timestamp on a plain event", TIMESTAMP_MUST_BE_ZERO,
            ledger -> ledger.accounts(account(1).withTimestamp(5))));
        cases.add(new Case("imported timestamp zero", IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE,
            ledger -> ledger.accounts(account(1, IMPORTED))));
        cases.add(new Case("imported timestamp above 2^63-1", IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE,
            ledger -> ledger.accounts(account(1, IMPORTED).withTimestamp(-1))));
        cases.add(new Case("imported timestamp at the batch timestamp", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE,
            ledger -> ledger.accounts(account(1, IMPORTED).withTimestamp(ledger.nextCommandTimestamp(1)))));
        cases.add(new Case("reserved field set", RESERVED_FIELD, ledger -> rawWithReserved(ledger, account(1), 7)));
        cases.add(new Case("unknown flag bit", RESERVED_FLAG, ledger -> ledger.accounts(account(1, 1 << 6))));
        cases.add(new Case("id zero", ID_MUST_NOT_BE_ZERO, ledger -> ledger.accounts(account(0))));
        cases.add(new Case("id int max", ID_MUST_NOT_BE_INT_MAX,
            ledger -> ledger.accounts(Account.of(Uint128.MAX, 1, 1))));
        cases.add(exists("flags", EXISTS_WITH_DIFFERENT_FLAGS, account(1, AccountFlags.HISTORY)));
        cases.add(exists("user_data_128", EXISTS_WITH_DIFFERENT_USER_DATA_128, account(1).withUserData(id(9), 0, 0)));
        cases.add(exists("user_data_64", EXISTS_WITH_DIFFERENT_USER_DATA_64, account(1).withUserData(Uint128.ZERO, 9, 0)));
        cases.add(exists("user_data_32", EXISTS_WITH_DIFFERENT_USER_DATA_32, account(1).withUserData(Uint128.ZERO, 0, 9)));
        cases.add(exists("ledger", EXISTS_WITH_DIFFERENT_LEDGER, Account.of(id(1), 2, 1)));
        cases.add(exists("code", EXISTS_WITH_DIFFERENT_CODE, Account.of(id(1), 1, 2)));
        cases.add(exists("nothing", EXISTS, account(1)));
        cases.add(new Case("both limit flags", FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger -> ledger.accounts(account(1,
            AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS))));
        cases.add(new Case("debits pending", DEBITS_PENDING_MUST_BE_ZERO, ledger -> ledger.accounts(balances(1, 1, 0, 0, 0))));
        cases.add(new Case("debits posted", DEBITS_POSTED_MUST_BE_ZERO, ledger -> ledger.accounts(balances(1, 0, 1, 0, 0))));
        cases.add(new Case("credits pending", CREDITS_PENDING_MUST_BE_ZERO, ledger -> ledger.accounts(balances(1, 0, 0, 1, 0))));
        cases.add(new Case("credits posted", CREDITS_POSTED_MUST_BE_ZERO, ledger -> ledger.accounts(balances(1, 0, 0, 0, 1))));
        cases.add(new Case("ledger zero", LEDGER_MUST_NOT_BE_ZERO, ledger -> ledger.accounts(Account.of(id(1), 0, 1))));
        cases.add(new Case("code zero", CODE_MUST_NOT_BE_ZERO, ledger -> ledger.accounts(Account.of(id(1), 1, 0))));
        cases.add(new Case("imported before the newest account", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS, ledger -> {
            ledger.accounts(account(1));
            return ledger.accounts(imported(ledger, 2, 0).withTimestamp(ledger.nowNs() - 1));
        }));
        cases.add(new Case("imported at an existing transfer's timestamp", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS, ledger -> {
            ledger.accounts(account(1), account(2));
            ledger.advanceSeconds(1);
            assertThat(ledger.transfers(Fixtures.transfer(7, 1, 2, 5))).containsExactly(CreateTransferStatus.CREATED);
            ledger.advanceSeconds(1);
            return ledger.accounts(account(3, IMPORTED).withTimestamp(ledger.lookupTransfer(7).timestamp()));
        }));
        cases.add(new Case("imported accounts in increasing order", CREATED, ledger -> {
            List<CreateAccountStatus> statuses = ledger.accounts(imported(ledger, 1, 100), imported(ledger, 2, 50));
            assertThat(statuses).containsOnly(CREATED);
            assertThat(ledger.lookupAccount(2).timestamp()).isEqualTo(ledger.nowNs() - 50);
            return statuses;
        }));
        return cases;
    }

    private static List<Case> precedence() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("chain open before imported mismatch", LINKED_EVENT_CHAIN_OPEN,
            ledger -> ledger.accounts(account(1), account(2, LINKED | IMPORTED))));
        cases.add(new Case("imported mismatch before timestamp", IMPORTED_EVENT_EXPECTED,
            ledger -> ledger.accounts(imported(ledger, 1, 10), account(2).withTimestamp(3))));
        cases.add(new Case("timestamp before reserved field", TIMESTAMP_MUST_BE_ZERO,
            ledger -> rawWithReserved(ledger, account(1).withTimestamp(3), 1)));
        cases.add(new Case("reserved field before reserved flag", RESERVED_FIELD,
            ledger -> rawWithReserved(ledger, account(1, 1 << 9), 1)));
        cases.add(new Case("reserved flag before id zero", RESERVED_FLAG, ledger -> ledger.accounts(account(0, 1 << 9))));
        cases.add(new Case("id before exists", ID_MUST_NOT_BE_ZERO, ledger -> ledger.accounts(account(0), account(0))));
        cases.add(new Case("exists before field checks", EXISTS, ledger -> {
            ledger.accounts(account(1));
            return ledger.accounts(balances(1, 5, 5, 5, 5));
        }));
        cases.add(new Case("exists_with_different_flags before user data", EXISTS_WITH_DIFFERENT_FLAGS, ledger -> {
            ledger.accounts(account(1));
            return ledger.accounts(account(1, AccountFlags.HISTORY).withUserData(id(5), 5, 5));
        }));
        cases.add(new Case("mutually exclusive before balances", FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger -> ledger.accounts(
            balances(1, 1, 1, 1, 1).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS
                | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS))));
        cases.add(new Case("balances before ledger", DEBITS_POSTED_MUST_BE_ZERO,
            ledger -> ledger.accounts(new Account(id(1), 0, 1, 0, 1, Uint128.ZERO, 0, 0, 0, 0, 0, 0, 0))));
        cases.add(new Case("ledger before code", LEDGER_MUST_NOT_BE_ZERO, ledger -> ledger.accounts(Account.of(id(1), 0, 0))));
        cases.add(new Case("code before regress", CODE_MUST_NOT_BE_ZERO, ledger -> {
            ledger.accounts(account(5));
            return ledger.accounts(Account.of(id(1), 1, 0).withFlags(IMPORTED).withTimestamp(1));
        }));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyStatusHasAScenario() {
        return cases().stream().map(CreateAccountStatusTest::dynamicTest);
    }

    @TestFactory
    Stream<DynamicTest> earlierStatusesWin() {
        return precedence().stream().map(CreateAccountStatusTest::dynamicTest);
    }

    @Test
    void scenariosCoverEveryStatus() {
        Set<CreateAccountStatus> covered = EnumSet.noneOf(CreateAccountStatus.class);
        cases().forEach(c -> covered.add(c.expected()));
        assertThat(covered).containsExactlyInAnyOrder(CreateAccountStatus.values());
    }

    @Test
    void failedChainLeavesNoTrace() {
        try (TestLedger ledger = new TestLedger()) {
            byte[] before = ledger.stateHash();
            List<CreateAccountStatus> statuses = ledger.accounts(account(1, LINKED), account(2, LINKED),
                Account.of(id(3), 0, 1));
            assertThat(statuses).containsExactly(LINKED_EVENT_FAILED, LINKED_EVENT_FAILED, LEDGER_MUST_NOT_BE_ZERO);
            assertThat(ledger.lookupAccount(1)).isNull();
            assertThat(ledger.lookupAccount(2)).isNull();
            assertThat(ledger.accounts(account(1))).containsExactly(CREATED);
            assertThat(before).isNotEqualTo(ledger.stateHash());
        }
    }

    @Test
    void existsInsideAChainBreaksItAndReportsTheRolledBackTimestamp() {
        try (TestLedger ledger = new TestLedger()) {
            List<CreateAccountStatus> statuses = ledger.accounts(account(1, LINKED), account(1, LINKED), account(2));
            long[] timestamps = ledger.lastResultTimestamps();
            assertThat(statuses).containsExactly(LINKED_EVENT_FAILED, EXISTS, LINKED_EVENT_FAILED);
            assertThat(timestamps[1]).isEqualTo(timestamps[0]);
            assertThat(timestamps[2]).isEqualTo(timestamps[0] + 2);
            assertThat(ledger.lookupAccount(1)).isNull();
        }
    }

    @Test
    void resultTimestampsAreTheSlotsOfTheBatch() {
        try (TestLedger ledger = new TestLedger()) {
            long commandTimestamp = ledger.nextCommandTimestamp(3);
            ledger.accounts(account(1), account(0), account(3));
            assertThat(ledger.lastResultTimestamps())
                .containsExactly(commandTimestamp - 2, commandTimestamp - 1, commandTimestamp);
            assertThat(ledger.lookupAccount(3).timestamp()).isEqualTo(commandTimestamp);
        }
    }

    @Test
    void tenantIsStored() {
        try (TestLedger ledger = new TestLedger()) {
            ledger.accounts(account(1).withTenant(42));
            assertThat(ledger.lookupAccount(1).tenant()).isEqualTo(42);
        }
    }

    private static DynamicTest dynamicTest(Case c) {
        return DynamicTest.dynamicTest(c.expected().wireName() + ": " + c.name(), () -> {
            try (TestLedger ledger = new TestLedger()) {
                List<CreateAccountStatus> statuses = c.run().apply(ledger);
                assertThat(statuses.get(statuses.size() - 1)).isEqualTo(c.expected());
            }
        });
    }

    private static Case exists(String field, CreateAccountStatus expected, Account resubmitted) {
        return new Case("resubmitted with different " + field, expected, ledger -> {
            assertThat(ledger.accounts(account(1))).containsExactly(CREATED);
            return ledger.accounts(resubmitted);
        });
    }

    private static Account imported(TestLedger ledger, long id, long nanosBeforeNow) {
        return account(id, IMPORTED).withTimestamp(ledger.nowNs() - nanosBeforeNow);
    }

    private static Account balances(long id, long debitsPending, long debitsPosted, long creditsPending,
                                    long creditsPosted) {
        return new Account(id(id), debitsPending, debitsPosted, creditsPending, creditsPosted, Uint128.ZERO, 0, 0, 1, 1, 0,
            0, 0);
    }

    private static List<CreateAccountStatus> rawWithReserved(TestLedger ledger, Account account, int reserved) {
        Records.encode(account, ledger.eventBuffer(), 0);
        ledger.eventBuffer().putInt(AccountLayout.RESERVED, reserved);
        return ledger.applyAccountRecords(1);
    }
}
