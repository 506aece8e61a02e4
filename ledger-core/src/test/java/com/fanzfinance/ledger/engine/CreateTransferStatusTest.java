package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateTransferStatus.*;
import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static com.fanzfinance.ledger.testing.Fixtures.pending;
import static com.fanzfinance.ledger.testing.Fixtures.post;
import static com.fanzfinance.ledger.testing.Fixtures.raw;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static com.fanzfinance.ledger.testing.Fixtures.voidPending;
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
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.testing.TestLedger;

/**
 * Every create-transfer status, each produced by a scenario, and pairs of violations showing the
 * documented precedence. Each scenario runs on a fresh ledger holding:
 * accounts 1 and 2 (ledger 1), 3 (ledger 2), 4 ({@code debits_must_not_exceed_credits}),
 * 5 ({@code credits_must_not_exceed_debits}), 6 ({@code closed}), 7 and 8 (ledger 1).
 * The status checked is the last one of the scenario's last command.
 */
class CreateTransferStatusTest {
    private static final long MAX = Long.MAX_VALUE;
    private static final int LINKED = com.fanzfinance.ledger.command.TransferFlags.LINKED;
    private static final int PENDING = com.fanzfinance.ledger.command.TransferFlags.PENDING;
    private static final int POST = com.fanzfinance.ledger.command.TransferFlags.POST_PENDING_TRANSFER;
    private static final int VOID = com.fanzfinance.ledger.command.TransferFlags.VOID_PENDING_TRANSFER;
    private static final int BALANCING_DEBIT = com.fanzfinance.ledger.command.TransferFlags.BALANCING_DEBIT;
    private static final int CLOSING_DEBIT = com.fanzfinance.ledger.command.TransferFlags.CLOSING_DEBIT;
    private static final int IMPORTED = com.fanzfinance.ledger.command.TransferFlags.IMPORTED;

    private record Case(String name, CreateTransferStatus expected,
                        Function<TestLedger, List<CreateTransferStatus>> run) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        addBatchLevelCases(cases);
        addIdentityAndExistsCases(cases);
        addFieldCases(cases);
        addAccountCases(cases);
        addPendingCases(cases);
        addImportedCases(cases);
        addAmountCases(cases);
        return cases;
    }

    private static void addBatchLevelCases(List<Case> cases) {
        cases.add(new Case("plain transfer", CREATED, ledger -> ledger.transfers(transfer(10, 1, 2, 5))));
        cases.add(new Case("chain member before a failure", LINKED_EVENT_FAILED,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(LINKED), transfer(11, 1, 99, 5)).subList(0, 1)));
        cases.add(new Case("chain member after a failure", LINKED_EVENT_FAILED,
            ledger -> ledger.transfers(transfer(10, 1, 99, 5).withFlags(LINKED), transfer(11, 1, 2, 5))));
        cases.add(new Case("last event linked", LINKED_EVENT_CHAIN_OPEN,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(LINKED))));
        cases.add(new Case("plain event in an imported batch", IMPORTED_EVENT_EXPECTED,
            ledger -> ledger.transfers(imported(ledger, transfer(10, 1, 2, 5), 10), transfer(11, 1, 2, 5))));
        cases.add(new Case("imported event in a plain batch", IMPORTED_EVENT_NOT_EXPECTED,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5), imported(ledger, transfer(11, 1, 2, 5), 10))));
        cases.add(new Case("timestamp on a plain event", TIMESTAMP_MUST_BE_ZERO,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withTimestamp(1))));
        cases.add(new Case("imported timestamp zero", IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(IMPORTED))));
        cases.add(new Case("imported timestamp at the batch timestamp", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(IMPORTED)
                .withTimestamp(ledger.nextCommandTimestamp(1)))));
    }

    private static void addIdentityAndExistsCases(List<Case> cases) {
        cases.add(new Case("unknown flag bit", RESERVED_FLAG, ledger -> ledger.transfers(transfer(10, 1, 2, 5)
            .withFlags(1 << 9))));
        cases.add(new Case("id zero", ID_MUST_NOT_BE_ZERO, ledger -> ledger.transfers(transfer(0, 1, 2, 5))));
        cases.add(new Case("id int max", ID_MUST_NOT_BE_INT_MAX, ledger -> ledger.transfers(
            Transfer.of(Uint128.MAX, id(1), id(2), 5, 1, 1))));
        Transfer original = transfer(10, 1, 2, 5).withUserData(id(3), 4, 5);
        cases.add(exists("flags", EXISTS_WITH_DIFFERENT_FLAGS, original, original.withFlags(PENDING)));
        cases.add(new Case("resubmitted post of another pending transfer", EXISTS_WITH_DIFFERENT_PENDING_ID, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 0), pending(21, 1, 2, 5, 0), post(22, 20, MAX));
            return ledger.transfers(post(22, 21, MAX));
        }));
        cases.add(new Case("resubmitted pending with another timeout", EXISTS_WITH_DIFFERENT_TIMEOUT, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 10));
            return ledger.transfers(pending(20, 1, 2, 5, 20));
        }));
        cases.add(exists("debit account", EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID, original,
            transfer(10, 7, 2, 5).withUserData(id(3), 4, 5)));
        cases.add(exists("credit account", EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID, original,
            transfer(10, 1, 7, 5).withUserData(id(3), 4, 5)));
        cases.add(exists("amount", EXISTS_WITH_DIFFERENT_AMOUNT, original, transfer(10, 1, 2, 6).withUserData(id(3), 4, 5)));
        cases.add(exists("user_data_128", EXISTS_WITH_DIFFERENT_USER_DATA_128, original, original.withUserData(id(9), 4, 5)));
        cases.add(exists("user_data_64", EXISTS_WITH_DIFFERENT_USER_DATA_64, original, original.withUserData(id(3), 9, 5)));
        cases.add(exists("user_data_32", EXISTS_WITH_DIFFERENT_USER_DATA_32, original, original.withUserData(id(3), 4, 9)));
        cases.add(exists("ledger", EXISTS_WITH_DIFFERENT_LEDGER, original,
            Transfer.of(id(10), id(1), id(2), 5, 2, 1).withUserData(id(3), 4, 5)));
        cases.add(exists("code", EXISTS_WITH_DIFFERENT_CODE, original,
            Transfer.of(id(10), id(1), id(2), 5, 1, 2).withUserData(id(3), 4, 5)));
        cases.add(exists("nothing", EXISTS, original, original));
        cases.add(new Case("retry after a transient failure", ID_ALREADY_FAILED, ledger -> {
            assertThat(ledger.transfers(transfer(10, 1, 99, 5))).containsExactly(CREDIT_ACCOUNT_NOT_FOUND);
            return ledger.transfers(transfer(10, 1, 2, 5));
        }));
    }

    private static void addFieldCases(List<Case> cases) {
        cases.add(new Case("post and void", FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger -> ledger.transfers(
            raw(10, 0, 0, 0, 20, 0, 0, 0, POST | VOID, 0))));
        cases.add(new Case("post that is also pending", FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger -> ledger.transfers(
            raw(10, 0, 0, 0, 20, 0, 0, 0, POST | PENDING, 0))));
        cases.add(new Case("void that balances", FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger -> ledger.transfers(
            raw(10, 0, 0, 0, 20, 0, 0, 0, VOID | BALANCING_DEBIT, 0))));
        cases.add(new Case("debit account zero", DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(transfer(10, 0, 2, 5))));
        cases.add(new Case("debit account int max", DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX,
            ledger -> ledger.transfers(Transfer.of(id(10), Uint128.MAX, id(2), 5, 1, 1))));
        cases.add(new Case("credit account zero", CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(transfer(10, 1, 0, 5))));
        cases.add(new Case("credit account int max", CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX,
            ledger -> ledger.transfers(Transfer.of(id(10), id(1), Uint128.MAX, 5, 1, 1))));
        cases.add(new Case("same account twice", ACCOUNTS_MUST_BE_DIFFERENT,
            ledger -> ledger.transfers(transfer(10, 1, 1, 5))));
        cases.add(new Case("pending id on a single-phase transfer", PENDING_ID_MUST_BE_ZERO,
            ledger -> ledger.transfers(raw(10, 1, 2, 5, 20, 0, 1, 1, 0, 0))));
        cases.add(new Case("post without pending id", PENDING_ID_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(raw(10, 0, 0, 0, 0, 0, 0, 0, POST, 0))));
        cases.add(new Case("post of int max", PENDING_ID_MUST_NOT_BE_INT_MAX, ledger -> ledger.transfers(
            Transfer.resolving(id(10), Uint128.MAX, 0, true))));
        cases.add(new Case("post of itself", PENDING_ID_MUST_BE_DIFFERENT,
            ledger -> ledger.transfers(post(10, 10, MAX))));
        cases.add(new Case("timeout on a single-phase transfer", TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withTimeout(5))));
        cases.add(new Case("timeout on a post", TIMEOUT_RESERVED_FOR_PENDING_TRANSFER, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 0));
            return ledger.transfers(post(10, 20, MAX).withTimeout(5));
        }));
        cases.add(new Case("closing without pending", CLOSING_TRANSFER_MUST_BE_PENDING,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(CLOSING_DEBIT))));
        cases.add(new Case("ledger zero", LEDGER_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(Transfer.of(id(10), id(1), id(2), 5, 0, 1))));
        cases.add(new Case("code zero", CODE_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(Transfer.of(id(10), id(1), id(2), 5, 1, 0))));
    }

    private static void addAccountCases(List<Case> cases) {
        cases.add(new Case("unknown debit account", DEBIT_ACCOUNT_NOT_FOUND, ledger -> ledger.transfers(transfer(10, 99, 2, 5))));
        cases.add(new Case("unknown credit account", CREDIT_ACCOUNT_NOT_FOUND, ledger -> ledger.transfers(transfer(10, 1, 99, 5))));
        cases.add(new Case("accounts on two ledgers", ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER,
            ledger -> ledger.transfers(transfer(10, 1, 3, 5))));
        cases.add(new Case("transfer on another ledger", TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS,
            ledger -> ledger.transfers(Transfer.of(id(10), id(1), id(2), 5, 2, 1))));
        cases.add(new Case("debit account closed", DEBIT_ACCOUNT_ALREADY_CLOSED, ledger -> ledger.transfers(transfer(10, 6, 2, 5))));
        cases.add(new Case("credit account closed", CREDIT_ACCOUNT_ALREADY_CLOSED, ledger -> ledger.transfers(transfer(10, 1, 6, 5))));
        cases.add(new Case("post into a closed account", DEBIT_ACCOUNT_ALREADY_CLOSED, ledger -> {
            ledger.transfers(pending(20, 7, 2, 5, 0), pending(21, 7, 8, 1, 0).withFlags(PENDING | CLOSING_DEBIT));
            return ledger.transfers(post(10, 20, MAX));
        }));
        cases.add(new Case("void in a closed account is allowed", CREATED, ledger -> {
            ledger.transfers(pending(20, 7, 2, 5, 0), pending(21, 7, 8, 1, 0).withFlags(PENDING | CLOSING_DEBIT));
            return ledger.transfers(voidPending(10, 20));
        }));
        cases.add(new Case("exceeding credits", EXCEEDS_CREDITS, ledger -> ledger.transfers(transfer(10, 4, 2, 1))));
        cases.add(new Case("exceeding debits", EXCEEDS_DEBITS, ledger -> ledger.transfers(transfer(10, 1, 5, 1))));
    }

    private static void addPendingCases(List<Case> cases) {
        cases.add(new Case("post of an unknown transfer", PENDING_TRANSFER_NOT_FOUND, ledger -> ledger.transfers(post(10, 20, MAX))));
        cases.add(new Case("post of a failed id", PENDING_TRANSFER_NOT_FOUND, ledger -> {
            ledger.transfers(pending(20, 1, 99, 5, 0));
            return ledger.transfers(post(10, 20, MAX));
        }));
        cases.add(new Case("post of a single-phase transfer", PENDING_TRANSFER_NOT_PENDING, ledger -> {
            ledger.transfers(transfer(20, 1, 2, 5));
            return ledger.transfers(post(10, 20, MAX));
        }));
        cases.add(mismatch("debit account", PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID, raw(10, 7, 0, MAX, 20, 0, 0, 0, POST, 0)));
        cases.add(mismatch("credit account", PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID, raw(10, 0, 7, MAX, 20, 0, 0, 0, POST, 0)));
        cases.add(mismatch("ledger", PENDING_TRANSFER_HAS_DIFFERENT_LEDGER, raw(10, 0, 0, MAX, 20, 0, 2, 0, POST, 0)));
        cases.add(mismatch("code", PENDING_TRANSFER_HAS_DIFFERENT_CODE, raw(10, 0, 0, MAX, 20, 0, 0, 2, POST, 0)));
        cases.add(mismatch("amount above pending", EXCEEDS_PENDING_TRANSFER_AMOUNT, post(10, 20, 6)));
        cases.add(mismatch("void amount above pending", EXCEEDS_PENDING_TRANSFER_AMOUNT, Transfer.resolving(id(10), id(20), 6, false)));
        cases.add(mismatch("void of part", PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT, Transfer.resolving(id(10), id(20), 4, false)));
        cases.add(new Case("second post", PENDING_TRANSFER_ALREADY_POSTED, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 0), post(10, 20, 3));
            return ledger.transfers(post(11, 20, 2));
        }));
        cases.add(new Case("post after void", PENDING_TRANSFER_ALREADY_VOIDED, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 0), voidPending(10, 20));
            return ledger.transfers(post(11, 20, MAX));
        }));
        cases.add(new Case("post after expiry", PENDING_TRANSFER_EXPIRED, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 1));
            ledger.advanceSeconds(2);
            ledger.tick();
            return ledger.transfers(post(10, 20, MAX));
        }));
        cases.add(new Case("post after expiry time, before the pulse", PENDING_TRANSFER_EXPIRED, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 1));
            long pendingTimestamp = ledger.lookupTransfer(20).timestamp();
            ledger.advanceNanos(pendingTimestamp + 1_000_000_000L - ledger.nowNs());
            return ledger.transfers(transfer(11, 7, 8, 1), post(10, 20, MAX));
        }));
    }

    private static void addImportedCases(List<Case> cases) {
        cases.add(new Case("imported before the newest transfer", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS, ledger -> {
            ledger.transfers(transfer(20, 1, 2, 5));
            long before = ledger.lookupTransfer(20).timestamp() - 1;
            ledger.advanceSeconds(1);
            return ledger.transfers(transfer(10, 1, 2, 5).withFlags(IMPORTED).withTimestamp(before));
        }));
        cases.add(new Case("imported at an account's timestamp", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS, ledger -> {
            ledger.advanceSeconds(1);
            return ledger.transfers(transfer(10, 1, 2, 5).withFlags(IMPORTED).withTimestamp(ledger.lookupAccount(8).timestamp()));
        }));
        cases.add(new Case("imported post before its pending transfer", IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS, ledger -> {
            ledger.advanceSeconds(1);
            long first = ledger.nowNs() - 100;
            ledger.transfers(pending(20, 1, 2, 5, 0).withFlags(PENDING | IMPORTED).withTimestamp(first));
            ledger.advanceSeconds(1);
            return ledger.transfers(post(10, 20, MAX).withFlags(POST | IMPORTED).withTimestamp(first - 1));
        }));
        cases.add(new Case("imported before the debit account", IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT, ledger -> {
            long between = ledger.nowNs() + 500;
            ledger.advanceSeconds(1);
            ledger.accounts(account(30));
            ledger.advanceSeconds(1);
            return ledger.transfers(transfer(10, 30, 2, 5).withFlags(IMPORTED).withTimestamp(between));
        }));
        cases.add(new Case("imported before the credit account", IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT, ledger -> {
            long between = ledger.nowNs() + 500;
            ledger.advanceSeconds(1);
            ledger.accounts(account(30));
            ledger.advanceSeconds(1);
            return ledger.transfers(transfer(10, 1, 30, 5).withFlags(IMPORTED).withTimestamp(between));
        }));
        cases.add(new Case("imported pending with a timeout", IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO, ledger -> {
            ledger.advanceSeconds(1);
            return ledger.transfers(pending(10, 1, 2, 5, 5).withFlags(PENDING | IMPORTED).withTimestamp(ledger.nowNs() - 1));
        }));
    }

    private static void addAmountCases(List<Case> cases) {
        cases.add(new Case("pending debits at the limit", OVERFLOWS_DEBITS_PENDING, ledger -> {
            ledger.transfers(pending(20, 1, 2, MAX, 0));
            return ledger.transfers(pending(10, 1, 7, 1, 0));
        }));
        cases.add(new Case("pending credits at the limit", OVERFLOWS_CREDITS_PENDING, ledger -> {
            ledger.transfers(pending(20, 8, 2, MAX, 0));
            return ledger.transfers(pending(10, 1, 2, 1, 0));
        }));
        cases.add(new Case("posted debits at the limit", OVERFLOWS_DEBITS_POSTED, ledger -> {
            ledger.transfers(transfer(20, 1, 2, MAX));
            return ledger.transfers(transfer(10, 1, 7, 1));
        }));
        cases.add(new Case("posted credits at the limit", OVERFLOWS_CREDITS_POSTED, ledger -> {
            ledger.transfers(transfer(20, 8, 2, MAX));
            return ledger.transfers(transfer(10, 1, 2, 1));
        }));
        cases.add(new Case("debits pending plus posted past the limit", OVERFLOWS_DEBITS, ledger -> {
            ledger.transfers(pending(20, 1, 2, 1L << 62, 0));
            return ledger.transfers(transfer(10, 1, 7, 1L << 62));
        }));
        cases.add(new Case("credits pending plus posted past the limit", OVERFLOWS_CREDITS, ledger -> {
            ledger.transfers(pending(20, 1, 2, 1L << 62, 0));
            return ledger.transfers(transfer(10, 7, 2, 1L << 62));
        }));
        cases.add(new Case("amount above 2^63-1", OVERFLOWS_DEBITS_POSTED, ledger -> rawAmount(ledger, -1L, 0)));
        cases.add(new Case("amount above 2^64", OVERFLOWS_DEBITS_POSTED, ledger -> rawAmount(ledger, 5, 1)));
        cases.add(new Case("expiry past the end of time", OVERFLOWS_TIMEOUT, ledger -> {
            ledger.advanceNanos(MAX - ledger.nowNs() - 1_000_000_000L * 100);
            return ledger.transfers(pending(10, 1, 2, 5, 1000));
        }));
    }

    private static List<Case> precedence() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("reserved flag before id", RESERVED_FLAG, ledger -> ledger.transfers(transfer(0, 1, 2, 5)
            .withFlags(1 << 10))));
        cases.add(new Case("exists before field checks", EXISTS_WITH_DIFFERENT_LEDGER, ledger -> {
            ledger.transfers(transfer(10, 1, 2, 5));
            return ledger.transfers(Transfer.of(id(10), id(1), id(2), 5, 0, 1));
        }));
        cases.add(new Case("already failed ignores every other field", ID_ALREADY_FAILED, ledger -> {
            ledger.transfers(transfer(10, 4, 2, 5));
            return ledger.transfers(raw(10, 0, 0, 0, 0, 9, 0, 0, 0, 0));
        }));
        cases.add(new Case("mutually exclusive before pending id", FLAGS_ARE_MUTUALLY_EXCLUSIVE,
            ledger -> ledger.transfers(raw(10, 0, 0, 0, 0, 0, 0, 0, POST | VOID, 0))));
        cases.add(new Case("debit zero before credit zero", DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(transfer(10, 0, 0, 5))));
        cases.add(new Case("timeout before closing", TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
            ledger -> ledger.transfers(transfer(10, 1, 2, 5).withFlags(CLOSING_DEBIT).withTimeout(3))));
        cases.add(new Case("ledger before accounts", LEDGER_MUST_NOT_BE_ZERO,
            ledger -> ledger.transfers(Transfer.of(id(10), id(98), id(99), 5, 0, 1))));
        cases.add(new Case("debit not found before credit not found", DEBIT_ACCOUNT_NOT_FOUND,
            ledger -> ledger.transfers(transfer(10, 98, 99, 5))));
        cases.add(new Case("same ledger before transfer ledger", ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER,
            ledger -> ledger.transfers(Transfer.of(id(10), id(1), id(3), 5, 3, 1))));
        cases.add(new Case("closed before overflow", DEBIT_ACCOUNT_ALREADY_CLOSED,
            ledger -> ledger.transfers(transfer(10, 6, 2, MAX), transfer(11, 6, 2, MAX))));
        cases.add(new Case("overflow before exceeds", OVERFLOWS_DEBITS_POSTED, ledger -> {
            ledger.transfers(transfer(20, 2, 4, MAX), transfer(21, 4, 2, MAX));
            return ledger.transfers(transfer(10, 4, 7, 1));
        }));
        cases.add(new Case("exceeds credits before exceeds debits", EXCEEDS_CREDITS,
            ledger -> ledger.transfers(transfer(10, 4, 5, 1))));
        cases.add(new Case("pending not found before field mismatch", PENDING_TRANSFER_NOT_FOUND,
            ledger -> ledger.transfers(raw(10, 7, 7, 9, 20, 0, 9, 9, POST, 0))));
        cases.add(new Case("amount before already posted", EXCEEDS_PENDING_TRANSFER_AMOUNT, ledger -> {
            ledger.transfers(pending(20, 1, 2, 5, 0), post(11, 20, MAX));
            return ledger.transfers(post(10, 20, 6));
        }));
        cases.add(new Case("expired before closed", PENDING_TRANSFER_EXPIRED, ledger -> {
            ledger.transfers(pending(20, 7, 2, 5, 1), pending(21, 7, 8, 1, 0).withFlags(PENDING | CLOSING_DEBIT));
            ledger.advanceSeconds(2);
            return ledger.transfers(post(10, 20, MAX));
        }));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyStatusHasAScenario() {
        return cases().stream().map(CreateTransferStatusTest::dynamicTest);
    }

    @TestFactory
    Stream<DynamicTest> earlierStatusesWin() {
        return precedence().stream().map(CreateTransferStatusTest::dynamicTest);
    }

    @Test
    void scenariosCoverEveryStatus() {
        Set<CreateTransferStatus> covered = EnumSet.noneOf(CreateTransferStatus.class);
        cases().forEach(c -> covered.add(c.expected()));
        assertThat(EnumSet.complementOf(EnumSet.copyOf(covered))).isEmpty();
    }

    private static DynamicTest dynamicTest(Case c) {
        return DynamicTest.dynamicTest(c.expected().wireName() + ": " + c.name(), () -> {
            try (TestLedger ledger = withAccounts()) {
                List<CreateTransferStatus> statuses = c.run().apply(ledger);
                assertThat(statuses.get(statuses.size() - 1)).isEqualTo(c.expected());
            }
        });
    }

    static TestLedger withAccounts() {
        TestLedger ledger = new TestLedger();
        List<com.fanzfinance.ledger.command.CreateAccountStatus> statuses = ledger.accounts(account(1), account(2),
            Account.of(id(3), 2, 1), account(4, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
            account(5, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS), account(6, AccountFlags.CLOSED), account(7), account(8));
        assertThat(statuses).containsOnly(com.fanzfinance.ledger.command.CreateAccountStatus.CREATED);
        return ledger;
    }

    private static Case exists(String field, CreateTransferStatus expected, Transfer original, Transfer resubmitted) {
        return new Case("resubmitted with different " + field, expected, ledger -> {
            assertThat(ledger.transfers(original)).containsExactly(CREATED);
            return ledger.transfers(resubmitted);
        });
    }

    private static Case mismatch(String field, CreateTransferStatus expected, Transfer resolution) {
        return new Case("post or void with different " + field, expected, ledger -> {
            assertThat(ledger.transfers(pending(20, 1, 2, 5, 0))).containsExactly(CREATED);
            return ledger.transfers(resolution);
        });
    }

    private static Transfer imported(TestLedger ledger, Transfer transfer, long nanosBeforeNow) {
        return transfer.withFlags(transfer.flags() | IMPORTED).withTimestamp(ledger.nowNs() - nanosBeforeNow);
    }

    private static List<CreateTransferStatus> rawAmount(TestLedger ledger, long low, long high) {
        Records.encode(transfer(10, 1, 2, 0), ledger.eventBuffer(), 0);
        ledger.eventBuffer().putLong(TransferLayout.AMOUNT, low);
        ledger.eventBuffer().putLong(TransferLayout.AMOUNT + 8, high);
        return ledger.applyTransferRecords(1);
    }
}
