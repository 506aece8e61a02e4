package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.testing.ReferenceLedger;
import com.fanzfinance.ledger.testing.ReferenceLedger.Event;
import com.fanzfinance.ledger.testing.TestLedger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random command streams run against the engine and against {@link ReferenceLedger}; after every command
 * the statuses, result timestamps, every account and transfer, and the global invariants must agree
 * (Σ debits_posted = Σ credits_posted and Σ debits_pending = Σ credits_pending per ledger). At the end,
 * every account's transfer list and balance history must match too.
 *
 * <p>Ids come from small ranges so that duplicates, resubmissions, posts of real pending transfers and
 * chains that touch the same accounts are common; amounts include the overflow edges.
 */
class StateMachinePropertiesTest {
    private static final int ACCOUNT_IDS = 11;
    private static final int TRANSFER_IDS = 60;
    /** Posts and voids with ids of their own (61-400), so a burned id does not block a pending transfer for good. */
    private static final int RESOLUTION_IDS = 400;
    private static final long MAX = Long.MAX_VALUE;

    /** One command of the generated stream. */
    sealed interface Command permits Accounts, Transfers, Tick {
        long advanceNanos();
    }

    record Accounts(long advanceNanos, List<Event> events) implements Command {
    }

    record Transfers(long advanceNanos, List<Event> events) implements Command {
    }

    record Tick(long advanceNanos) implements Command {
    }

    /** Every status the generated streams produced, so a generator that stops reaching the interesting cases fails. */
    private static final Set<Object> OBSERVED = ConcurrentHashMap.newKeySet();

    @AfterContainer
    static void generatorsReachTheInterestingStatuses() {
        assertThat(OBSERVED).as("statuses produced by the generated streams").contains(
            CreateAccountStatus.CREATED, CreateAccountStatus.EXISTS, CreateAccountStatus.LINKED_EVENT_FAILED,
            CreateTransferStatus.CREATED, CreateTransferStatus.EXISTS, CreateTransferStatus.LINKED_EVENT_FAILED,
            CreateTransferStatus.LINKED_EVENT_CHAIN_OPEN, CreateTransferStatus.ID_ALREADY_FAILED,
            CreateTransferStatus.EXCEEDS_CREDITS, CreateTransferStatus.EXCEEDS_DEBITS,
            CreateTransferStatus.PENDING_TRANSFER_ALREADY_POSTED, CreateTransferStatus.PENDING_TRANSFER_ALREADY_VOIDED,
            CreateTransferStatus.PENDING_TRANSFER_EXPIRED, CreateTransferStatus.EXCEEDS_PENDING_TRANSFER_AMOUNT,
            CreateTransferStatus.DEBIT_ACCOUNT_ALREADY_CLOSED, CreateTransferStatus.OVERFLOWS_DEBITS_POSTED,
            CreateTransferStatus.EXISTS_WITH_DIFFERENT_AMOUNT, CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED)
    void engineAgreesWithTheReference(@ForAll("commandStreams") List<Command> commands) {
        ReferenceLedger reference = new ReferenceLedger();
        try (TestLedger engine = new TestLedger()) {
            for (Command command : commands) {
                engine.advanceNanos(command.advanceNanos());
                apply(command, engine, reference);
                compareState(engine, reference);
            }
            compareQueries(engine, reference);
        }
    }

    private static void apply(Command command, TestLedger engine, ReferenceLedger reference) {
        if (command instanceof Tick) {
            long timestamp = engine.nextCommandTimestamp(1);
            engine.tick();
            reference.expire(timestamp);
            return;
        }
        List<Event> events = command instanceof Accounts a ? a.events() : ((Transfers) command).events();
        long timestamp = engine.nextCommandTimestamp(events.size());
        List<Event> placed = placeImportedTimestamps(events, timestamp);
        List<ReferenceLedger.Result<?>> expected = new ArrayList<>();
        List<?> actual;
        if (command instanceof Accounts) {
            encodeAccounts(placed, engine.eventBuffer());
            actual = engine.applyAccountRecords(placed.size());
            expected.addAll(reference.createAccounts(timestamp, placed));
        } else {
            encodeTransfers(placed, engine.eventBuffer());
            actual = engine.applyTransferRecords(placed.size());
            expected.addAll(reference.createTransfers(timestamp, placed));
        }
        long[] timestamps = engine.lastResultTimestamps();
        for (int i = 0; i < placed.size(); i++) {
            assertThat(actual.get(i)).as("status of event %d in %s", i, placed).isEqualTo(expected.get(i).status());
            OBSERVED.add(actual.get(i));

            assertThat(timestamps[i]).as("timestamp of event %d (%s)", i, actual.get(i))
                .isEqualTo(expected.get(i).timestamp());
        }
    }

    /** Imported events were generated with an offset before the batch timestamp; make it absolute. */
    private static List<Event> placeImportedTimestamps(List<Event> events, long batchTimestamp) {
        List<Event> placed = new ArrayList<>();
        for (Event e : events) {
            boolean imported = (e.flags() & (e.balances() == null ? TransferFlags.IMPORTED : AccountFlags.IMPORTED)) != 0;
            long timestamp = imported && e.timestamp() > 0 ? batchTimestamp - e.timestamp() : e.timestamp();
            placed.add(new Event(e.id(), e.debit(), e.credit(), e.amount(), e.pendingId(), e.userData128(), e.userData64(),
                e.userData32(), e.timeout(), e.ledger(), e.code(), e.flags(), timestamp, e.balances(), e.reserved()));
        }
        return placed;
    }

    private static void compareState(TestLedger engine, ReferenceLedger reference) {
        Map<Integer, BigInteger[]> sums = new HashMap<>();
        for (int id = 1; id <= ACCOUNT_IDS; id++) {
            Account actual = engine.lookupAccount(id);
            ReferenceLedger.Acct expected = reference.accounts().get(Uint128.of(id));
            assertThat(actual == null).as("account %d exists", id).isEqualTo(expected == null);
            if (actual != null) {
                assertThat(new long[] {actual.debitsPending(), actual.debitsPosted(), actual.creditsPending(),
                    actual.creditsPosted()}).as("balances of account %d", id).containsExactly(expected.balances());
                assertThat(actual.flags()).as("flags of account %d", id).isEqualTo(expected.flags());
                assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
                BigInteger[] sum = sums.computeIfAbsent(actual.ledger(), k -> new BigInteger[] {
                    BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
                long[] balances = expected.balances();
                for (int k = 0; k < 4; k++) {
                    sum[k] = sum[k].add(BigInteger.valueOf(balances[k]));
                }
            }
        }
        for (BigInteger[] sum : sums.values()) {
            assertThat(sum[0]).as("Σ debits_pending = Σ credits_pending").isEqualTo(sum[2]);
            assertThat(sum[1]).as("Σ debits_posted = Σ credits_posted").isEqualTo(sum[3]);
        }
        for (int id = 1; id <= RESOLUTION_IDS; id++) {
            Transfer actual = engine.lookupTransfer(id);
            ReferenceLedger.Xfer expected = reference.transfers().get(Uint128.of(id));
            assertThat(actual == null).as("transfer %d exists", id).isEqualTo(expected == null);
            if (actual != null) {
                assertThat(actual.amount()).as("amount of transfer %d", id).isEqualTo(expected.amount());
                assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
                assertThat(actual.debitAccountId()).isEqualTo(expected.debit());
                assertThat(actual.creditAccountId()).isEqualTo(expected.credit());
                assertThat(actual.userData128()).isEqualTo(expected.userData128());
                assertThat(actual.userData64()).isEqualTo(expected.userData64());
                assertThat(actual.userData32()).isEqualTo(expected.userData32());
                assertThat(actual.ledger()).isEqualTo(expected.ledger());
                assertThat(actual.code()).isEqualTo(expected.code());
                assertThat(actual.pendingStatus()).as("pending status of %d", id)
                    .isEqualTo(reference.pendingStatus(Uint128.of(id)));
            }
        }
    }

    private static void compareQueries(TestLedger engine, ReferenceLedger reference) {
        for (int id = 1; id <= ACCOUNT_IDS; id++) {
            Uint128 accountId = Uint128.of(id);
            ReferenceLedger.Acct expected = reference.accounts().get(accountId);
            if (expected == null) {
                continue;
            }
            List<Long> expectedTimestamps = reference.transfers().values().stream()
                .filter(t -> t.debit().equals(accountId) || t.credit().equals(accountId))
                .map(ReferenceLedger.Xfer::timestamp).sorted().toList();
            List<Long> actual = engine.accountTransfers(AccountFilter.of(accountId, 8189)).stream()
                .map(Transfer::timestamp).toList();
            assertThat(actual).as("transfers of account %d", id).isEqualTo(expectedTimestamps);
            List<Long> reversed = engine.accountTransfers(AccountFilter.of(accountId, 8189).withReversed(true)).stream()
                .map(Transfer::timestamp).toList();
            List<Long> expectedReversed = new ArrayList<>(expectedTimestamps);
            java.util.Collections.reverse(expectedReversed);
            assertThat(reversed).isEqualTo(expectedReversed);
            List<AccountBalance> history = engine.accountBalances(AccountFilter.of(accountId, 8189));
            assertThat(history.size()).as("history of account %d", id).isEqualTo(expected.history().size());
            for (int i = 0; i < history.size(); i++) {
                AccountBalance balance = history.get(i);
                assertThat(new long[] {balance.timestamp(), balance.debitsPending(), balance.debitsPosted(),
                    balance.creditsPending(), balance.creditsPosted()}).containsExactly(expected.history().get(i));
            }
        }
    }

    // ---- generators ------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Command>> commandStreams() {
        Arbitrary<Command> command = Arbitraries.frequencyOf(
            Tuple.of(2, accountCommands()),
            Tuple.of(6, transferCommands()),
            Tuple.of(1, importedTransferCommands()),
            Tuple.of(1, advances().map(Tick::new)));
        return Combinators.combine(standardAccounts(), command.list().ofMinSize(1).ofMaxSize(25))
            .as((first, rest) -> {
                List<Command> all = new ArrayList<>();
                all.add(first);
                all.addAll(rest);
                return all;
            });
    }

    /** Accounts 1-9 on ledger 1 (7 and 8 with limits, 9 with history) created first, in one or two batches. */
    private static Arbitrary<Command> standardAccounts() {
        return Arbitraries.integers().between(0, 9).map(split -> {
            List<Event> events = new ArrayList<>();
            for (int id = 1; id <= 9; id++) {
                int flags = switch (id) {
                    case 7 -> AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
                    case 8 -> AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS | AccountFlags.HISTORY;
                    case 9 -> AccountFlags.HISTORY;
                    default -> 0;
                };
                events.add(accountEvent(id, 1, 1, flags | (id == split ? AccountFlags.LINKED : 0), 0, 0));
            }
            return new Accounts(0, events);
        });
    }

    private static Arbitrary<Long> advances() {
        return Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just(0L)),
            Tuple.of(3, Arbitraries.longs().between(1, 1_000)),
            Tuple.of(2, Arbitraries.longs().between(1, 5).map(s -> s * 1_000_000_000L)),
            Tuple.of(1, Arbitraries.longs().between(1, 4_000_000_000L)));
    }

    private static Arbitrary<Command> accountCommands() {
        Arbitrary<Event> account = Combinators.combine(
            Arbitraries.integers().between(0, ACCOUNT_IDS),
            Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(1)), Tuple.of(2, Arbitraries.just(2)),
                Tuple.of(1, Arbitraries.just(0))),
            Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(1)), Tuple.of(1, Arbitraries.of(0, 2))),
            accountFlags(),
            Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs().between(1, 3))),
            Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(0, 4)))
        ).as((id, ledger, code, flags, userData, oddity) -> accountEvent(id, ledger, code, flags, userData, oddity));
        return Combinators.combine(advances(), account.list().ofMinSize(0).ofMaxSize(8))
            .as(Accounts::new);
    }

    private static Event accountEvent(int id, int ledger, int code, int flags, long userData, int oddity) {
        BigInteger[] balances = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
        int reserved = 0;
        long timestamp = (flags & AccountFlags.IMPORTED) != 0 ? 1 + userData * 7 : 0;
        if (oddity >= 1 && oddity <= 4) {
            balances[oddity - 1] = BigInteger.ONE;
        }
        if (oddity == 0 && userData == 3) {
            reserved = 1;
        }
        return new Event(Uint128.of(id), null, null, null, null, Uint128.of(userData), userData, (int) userData, 0,
            ledger, code, flags, timestamp, balances, reserved);
    }

    private static Arbitrary<Integer> accountFlags() {
        return Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(AccountFlags.LINKED)),
            Tuple.of(2, Arbitraries.just(AccountFlags.HISTORY)),
            Tuple.of(2, Arbitraries.just(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)),
            Tuple.of(2, Arbitraries.just(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)),
            Tuple.of(1, Arbitraries.integers().between(0, 0x3F)),
            Tuple.of(1, Arbitraries.just(AccountFlags.IMPORTED)),
            Tuple.of(1, Arbitraries.just(AccountFlags.CLOSED)),
            Tuple.of(1, Arbitraries.just(1 << 7)));
    }

    private static Arbitrary<Command> transferCommands() {
        Arbitrary<Event> random = Combinators.combine(
            Arbitraries.integers().between(0, TRANSFER_IDS),
            Arbitraries.integers().between(0, ACCOUNT_IDS),
            Arbitraries.integers().between(0, ACCOUNT_IDS),
            amounts(),
            Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, TRANSFER_IDS))),
            Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)), Tuple.of(2, Arbitraries.longs().between(1, 3))),
            transferFlags(),
            Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(1)), Tuple.of(1, Arbitraries.of(0, 2)))
        ).as((id, debit, credit, amount, pendingId, timeout, flags, ledgerAndCode) -> transferEvent(id, debit, credit,
            amount, pendingId, timeout, flags, ledgerAndCode));
        Arbitrary<Event> templated = Combinators.combine(
            Arbitraries.integers().between(1, TRANSFER_IDS),
            Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(-1)), Tuple.of(2, Arbitraries.integers().between(0, 5))),
            Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)), Tuple.of(1, Arbitraries.just(TransferFlags.LINKED)))
        ).as(StateMachinePropertiesTest::templatedTransfer);
        Arbitrary<Event> resolution = Combinators.combine(
            Arbitraries.integers().between(TRANSFER_IDS + 1, RESOLUTION_IDS),
            Arbitraries.integers().between(1, TRANSFER_IDS / 8 - 1).map(k -> 8 * k),
            Arbitraries.of(TransferFlags.POST_PENDING_TRANSFER, TransferFlags.VOID_PENDING_TRANSFER),
            Arbitraries.of(0L, 1L, 3L, 50L, MAX)
        ).as((id, pendingId, flag, amount) -> new Event(Uint128.of(id), Uint128.ZERO, Uint128.ZERO,
            BigInteger.valueOf(flag == TransferFlags.VOID_PENDING_TRANSFER && amount == MAX ? 0 : amount),
            Uint128.of(pendingId), Uint128.ZERO, 0, 0, 0, 0, 0, flag, 0, null, 0));
        Arbitrary<Event> transfer = Arbitraries.frequencyOf(Tuple.of(6, templated), Tuple.of(4, resolution),
            Tuple.of(3, random));
        return Combinators.combine(advances(), transfer.list().ofMinSize(0).ofMaxSize(12)).as(Transfers::new);
    }

    /**
     * An imported batch of templated single-phase transfers whose timestamps lie just before the batch's,
     * mostly increasing, sometimes not (regress), sometimes colliding with an existing timestamp.
     */
    private static Arbitrary<Command> importedTransferCommands() {
        Arbitrary<Event> imported = Combinators.combine(
            Arbitraries.integers().between(1, TRANSFER_IDS / 8 - 1).map(k -> 8 * k + 1),
            Arbitraries.longs().between(1, 40)
        ).as((id, offset) -> {
            Event template = templatedTransfer(id, -1, 0);
            return new Event(template.id(), template.debit(), template.credit(), template.amount(), template.pendingId(),
                template.userData128(), 0, 0, 0, 1, 1, TransferFlags.IMPORTED, offset, null, 0);
        });
        return Combinators.combine(advances(), imported.list().ofMinSize(1).ofMaxSize(5)).as(Transfers::new);
    }

    /**
     * A transfer whose fields follow from its id, so that the same id usually comes back identical
     * (exists) and posts and voids name real pending transfers: ids ≡ 0 (mod 8) are pending, 2 and 6 post
     * or void the pending transfer two ids below, 3 posts or voids the one three below, 4 is a closing pending
     * transfer, 5 and 7 balance. {@code mutation} ≥ 0 changes one field, for the exists_with_different_* cases.
     */
    private static Event templatedTransfer(int id, int mutation, int linked) {
        int debit = 1 + id % 6;
        int credit = 1 + (id / 6 + debit) % 9;
        if (credit == debit) {
            credit = debit % 9 + 1;
        }
        long amount = 1 + (id * 7L) % 13;
        long timeout = new long[] {0, 1, 4}[(id / 8) % 3];
        int pendingId = 0;
        int flags;
        switch (id % 8) {
            case 0 -> flags = TransferFlags.PENDING;
            case 2 -> {
                flags = TransferFlags.POST_PENDING_TRANSFER;
                pendingId = id - 2;
                amount = id % 3 == 0 ? MAX : amount % 5;
            }
            case 3 -> {
                flags = id % 3 == 0 ? TransferFlags.POST_PENDING_TRANSFER : TransferFlags.VOID_PENDING_TRANSFER;
                pendingId = id - 3;
                amount = flags == TransferFlags.VOID_PENDING_TRANSFER ? 0 : MAX;
            }
            case 4 -> flags = TransferFlags.PENDING | (id % 3 == 0 ? TransferFlags.CLOSING_CREDIT : TransferFlags.CLOSING_DEBIT);
            case 5 -> flags = TransferFlags.BALANCING_DEBIT;
            case 6 -> {
                flags = id % 3 == 0 ? TransferFlags.VOID_PENDING_TRANSFER : TransferFlags.POST_PENDING_TRANSFER;
                pendingId = id - 2;
                amount = flags == TransferFlags.VOID_PENDING_TRANSFER ? 0 : MAX;
            }
            case 7 -> flags = TransferFlags.BALANCING_CREDIT | (id % 3 == 0 ? TransferFlags.PENDING : 0);
            default -> flags = 0;
        }
        boolean resolution = pendingId != 0;
        if (!TransferFlags.isSet(flags, TransferFlags.PENDING)) {
            timeout = 0;
        }
        switch (mutation) {
            case 0 -> amount = amount == MAX ? MAX - 1 : amount + 1;
            case 1 -> debit = debit % 9 + 1;
            case 2 -> timeout = timeout + 1;
            case 3 -> flags = flags ^ TransferFlags.PENDING;
            case 4 -> pendingId = pendingId == 0 ? 0 : pendingId - 8;
            case 5 -> amount = id % 2 == 0 ? MAX : 0;
            default -> {
            }
        }
        return new Event(Uint128.of(id), Uint128.of(resolution ? 0 : debit), Uint128.of(resolution ? 0 : credit),
            BigInteger.valueOf(amount), Uint128.of(Math.max(pendingId, 0)), Uint128.ZERO, 0, 0, timeout,
            resolution ? 0 : 1, resolution ? 0 : 1, flags | linked, 0, null, 0);
    }

    private static Event transferEvent(int id, int debit, int credit, BigInteger amount, int pendingId, long timeout,
                                       int flags, int ledgerAndCode) {
        boolean resolution = (flags & (TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER)) != 0;
        int debitId = resolution && debit % 3 != 0 ? 0 : debit;
        int creditId = resolution && credit % 3 != 0 ? 0 : credit;
        int ledger = resolution && ledgerAndCode == 1 ? 0 : ledgerAndCode;
        int code = resolution && ledgerAndCode == 1 ? 0 : Math.min(ledgerAndCode, 1) + (id % 7 == 0 ? 1 : 0);
        long timestamp = (flags & TransferFlags.IMPORTED) != 0 ? 1 + id % 5 : 0;
        long userData = id % 4 == 0 ? id : 0;
        return new Event(Uint128.of(id), Uint128.of(debitId), Uint128.of(creditId), amount, Uint128.of(pendingId),
            Uint128.of(userData), userData, (int) userData, timeout, ledger, code, flags, timestamp, null, 0);
    }

    private static Arbitrary<BigInteger> amounts() {
        return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.longs().between(0, 20).map(BigInteger::valueOf)),
            Tuple.of(4, Arbitraries.of(MAX, MAX - 1, 1L << 62, (1L << 62) + 1).map(BigInteger::valueOf)),
            Tuple.of(1, Arbitraries.longs().between(0, MAX).map(BigInteger::valueOf)),
            Tuple.of(1, Arbitraries.of(BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(64).add(BigInteger.TWO),
                BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))));
    }

    private static Arbitrary<Integer> transferFlags() {
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(0)),
            Tuple.of(5, Arbitraries.just(TransferFlags.PENDING)),
            Tuple.of(4, Arbitraries.just(TransferFlags.POST_PENDING_TRANSFER)),
            Tuple.of(3, Arbitraries.just(TransferFlags.VOID_PENDING_TRANSFER)),
            Tuple.of(2, Arbitraries.just(TransferFlags.BALANCING_DEBIT)),
            Tuple.of(2, Arbitraries.just(TransferFlags.BALANCING_CREDIT)),
            Tuple.of(1, Arbitraries.just(TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT
                | TransferFlags.PENDING)),
            Tuple.of(2, Arbitraries.just(TransferFlags.PENDING | TransferFlags.CLOSING_DEBIT)),
            Tuple.of(2, Arbitraries.just(TransferFlags.PENDING | TransferFlags.CLOSING_CREDIT)),
            Tuple.of(1, Arbitraries.integers().between(0, 0x1FF)),
            Tuple.of(1, Arbitraries.just(TransferFlags.IMPORTED)),
            Tuple.of(1, Arbitraries.just(TransferFlags.PENDING | TransferFlags.IMPORTED)),
            Tuple.of(1, Arbitraries.just(1 << 12)));
        Arbitrary<Integer> linked = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)),
            Tuple.of(1, Arbitraries.just(TransferFlags.LINKED)));
        return Combinators.combine(kind, linked).as((k, l) -> k | l);
    }

    // ---- encoding (raw, so out-of-range values reach the engine) --------------------------------

    private static void encodeAccounts(List<Event> events, UnsafeBuffer buffer) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            int offset = i * AccountLayout.SIZE;
            buffer.setMemory(offset, AccountLayout.SIZE, (byte) 0);
            putId(buffer, offset + AccountLayout.ID, e.id());
            for (int k = 0; k < 4; k++) {
                buffer.putLong(offset + AccountLayout.DEBITS_PENDING + 16 * k, e.balances()[k].longValue());
            }
            putId(buffer, offset + AccountLayout.USER_DATA_128, e.userData128());
            buffer.putLong(offset + AccountLayout.USER_DATA_64, e.userData64());
            buffer.putInt(offset + AccountLayout.USER_DATA_32, e.userData32());
            buffer.putInt(offset + AccountLayout.RESERVED, e.reserved());
            buffer.putInt(offset + AccountLayout.LEDGER, e.ledger());
            buffer.putShort(offset + AccountLayout.CODE, (short) e.code());
            buffer.putShort(offset + AccountLayout.FLAGS, (short) e.flags());
            buffer.putLong(offset + AccountLayout.TIMESTAMP, e.timestamp());
        }
    }

    private static void encodeTransfers(List<Event> events, UnsafeBuffer buffer) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            int offset = i * TransferLayout.SIZE;
            putId(buffer, offset + TransferLayout.ID, e.id());
            putId(buffer, offset + TransferLayout.DEBIT_ACCOUNT_ID, e.debit());
            putId(buffer, offset + TransferLayout.CREDIT_ACCOUNT_ID, e.credit());
            buffer.putLong(offset + TransferLayout.AMOUNT, e.amount().longValue());
            buffer.putLong(offset + TransferLayout.AMOUNT + 8, e.amount().shiftRight(64).longValue());
            putId(buffer, offset + TransferLayout.PENDING_ID, e.pendingId());
            putId(buffer, offset + TransferLayout.USER_DATA_128, e.userData128());
            buffer.putLong(offset + TransferLayout.USER_DATA_64, e.userData64());
            buffer.putInt(offset + TransferLayout.USER_DATA_32, e.userData32());
            buffer.putInt(offset + TransferLayout.TIMEOUT, (int) e.timeout());
            buffer.putInt(offset + TransferLayout.LEDGER, e.ledger());
            buffer.putShort(offset + TransferLayout.CODE, (short) e.code());
            buffer.putShort(offset + TransferLayout.FLAGS, (short) e.flags());
            buffer.putLong(offset + TransferLayout.TIMESTAMP, e.timestamp());
        }
    }

    private static void putId(UnsafeBuffer buffer, int offset, Uint128 id) {
        buffer.putLong(offset, id.low());
        buffer.putLong(offset + 8, id.high());
    }
}
