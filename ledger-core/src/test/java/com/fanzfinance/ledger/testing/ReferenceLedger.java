package com.fanzfinance.ledger.testing;

import static com.fanzfinance.ledger.command.CreateTransferStatus.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * A deliberately simple ledger written straight from the TigerBeetle rules, used as the oracle for
 * property tests: hash maps of mutable objects, {@link BigInteger} arithmetic for every limit check,
 * and a linked chain rolled back by restoring a deep copy taken when it opened. Slow and obviously
 * correct is the point; it shares no code with the engine.
 */
public final class ReferenceLedger {
    static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final long NS_PER_S = 1_000_000_000L;

    /** An account event or transfer event as submitted; amounts and balances as unsigned 128-bit values. */
    public record Event(Uint128 id, Uint128 debit, Uint128 credit, BigInteger amount, Uint128 pendingId,
                        Uint128 userData128, long userData64, int userData32, long timeout, int ledger, int code,
                        int flags, long timestamp, BigInteger[] balances, int reserved) {
    }

    public record Result<S>(S status, long timestamp) {
    }

    public static final class Acct {
        Uint128 id;
        int ledger;
        int code;
        int flags;
        Uint128 userData128;
        long userData64;
        int userData32;
        long timestamp;
        long debitsPending;
        long debitsPosted;
        long creditsPending;
        long creditsPosted;
        List<long[]> history = new ArrayList<>();

        Acct copy() {
            Acct c = new Acct();
            c.id = id;
            c.ledger = ledger;
            c.code = code;
            c.flags = flags;
            c.userData128 = userData128;
            c.userData64 = userData64;
            c.userData32 = userData32;
            c.timestamp = timestamp;
            c.debitsPending = debitsPending;
            c.debitsPosted = debitsPosted;
            c.creditsPending = creditsPending;
            c.creditsPosted = creditsPosted;
            c.history = new ArrayList<>(history);
            return c;
        }

        public long[] balances() {
            return new long[] {debitsPending, debitsPosted, creditsPending, creditsPosted};
        }

        public int flags() {
            return flags;
        }

        public long timestamp() {
            return timestamp;
        }

        public int ledger() {
            return ledger;
        }

        /** (timestamp, dp, dpo, cp, cpo) after every transfer, for history accounts. */
        public List<long[]> history() {
            return history;
        }
    }

    /** A transfer as recorded. */
    public record Xfer(Uint128 id, Uint128 debit, Uint128 credit, long amount, Uint128 pendingId, Uint128 userData128,
                       long userData64, int userData32, long timeout, int ledger, int code, int flags, long timestamp) {
    }

    private Map<Uint128, Acct> accounts = new LinkedHashMap<>();
    private Map<Uint128, Xfer> transfers = new LinkedHashMap<>();
    private Map<Uint128, PendingStatus> pendingStatus = new HashMap<>();
    private final Set<Uint128> failed = new HashSet<>();

    public Map<Uint128, Acct> accounts() {
        return accounts;
    }

    public Map<Uint128, Xfer> transfers() {
        return transfers;
    }

    public PendingStatus pendingStatus(Uint128 id) {
        return pendingStatus.getOrDefault(id, PendingStatus.NONE);
    }

    // ---- time ------------------------------------------------------------------------------------

    /** Releases every pending transfer whose expiry is at or before {@code now}, by expiry then creation. */
    public void expire(long now) {
        List<Xfer> due = new ArrayList<>();
        for (Xfer t : transfers.values()) {
            if (pendingStatus(t.id()) == PendingStatus.PENDING && t.timeout() > 0
                && t.timestamp() + t.timeout() * NS_PER_S <= now) {
                due.add(t);
            }
        }
        due.sort(Comparator.comparingLong((Xfer t) -> t.timestamp() + t.timeout() * NS_PER_S)
            .thenComparingLong(Xfer::timestamp));
        for (Xfer p : due) {
            Acct dr = accounts.get(p.debit());
            Acct cr = accounts.get(p.credit());
            dr.debitsPending -= p.amount();
            cr.creditsPending -= p.amount();
            if ((p.flags() & TransferFlags.CLOSING_DEBIT) != 0) {
                dr.flags &= ~AccountFlags.CLOSED;
            }
            if ((p.flags() & TransferFlags.CLOSING_CREDIT) != 0) {
                cr.flags &= ~AccountFlags.CLOSED;
            }
            pendingStatus.put(p.id(), PendingStatus.EXPIRED);
        }
    }

    // ---- batches ---------------------------------------------------------------------------------

    public List<Result<CreateAccountStatus>> createAccounts(long batchTimestamp, List<Event> events) {
        expire(batchTimestamp - Math.max(events.size(), 1) + 1);
        return runBatch(batchTimestamp, events, AccountFlags.IMPORTED, new BatchKind<>(
            CreateAccountStatus.CREATED, CreateAccountStatus.EXISTS, CreateAccountStatus.LINKED_EVENT_FAILED,
            CreateAccountStatus.LINKED_EVENT_CHAIN_OPEN, CreateAccountStatus.IMPORTED_EVENT_EXPECTED,
            CreateAccountStatus.IMPORTED_EVENT_NOT_EXPECTED, CreateAccountStatus.TIMESTAMP_MUST_BE_ZERO,
            CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE,
            CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE), this::createAccount, s -> false);
    }

    public List<Result<CreateTransferStatus>> createTransfers(long batchTimestamp, List<Event> events) {
        expire(batchTimestamp - Math.max(events.size(), 1) + 1);
        return runBatch(batchTimestamp, events, TransferFlags.IMPORTED, new BatchKind<>(CREATED, EXISTS,
            LINKED_EVENT_FAILED, LINKED_EVENT_CHAIN_OPEN, IMPORTED_EVENT_EXPECTED, IMPORTED_EVENT_NOT_EXPECTED,
            TIMESTAMP_MUST_BE_ZERO, IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE, IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE),
            this::createTransfer, CreateTransferStatus::isTransient);
    }

    private record BatchKind<S>(S created, S exists, S linkedFailed, S chainOpen, S importedExpected,
                                S importedNotExpected, S timestampMustBeZero, S outOfRange, S mustNotAdvance) {
    }

    private interface Apply<S> {
        /** Returns the status and, through {@code objectTimestamp[0]}, the object's timestamp. */
        S apply(Event event, long timestamp, long[] objectTimestamp);
    }

    private interface Transient<S> {
        boolean test(S status);
    }

    private <S> List<Result<S>> runBatch(long batchTimestamp, List<Event> events, int importedFlag, BatchKind<S> kind,
                                         Apply<S> apply, Transient<S> isTransient) {
        int n = events.size();
        List<Result<S>> results = new ArrayList<>();
        boolean batchImported = n > 0 && (events.get(0).flags() & importedFlag) != 0;
        Saved saved = null;
        int chainStart = -1;
        boolean chainBroken = false;
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            boolean linked = (event.flags() & 1) != 0;
            boolean imported = (event.flags() & importedFlag) != 0;
            if (linked && chainStart < 0) {
                chainStart = i;
                saved = save();
            }
            long slot = batchTimestamp - n + i + 1;
            long[] objectTimestamp = {slot};
            S status;
            if (linked && i == n - 1) {
                status = kind.chainOpen();
            } else if (chainBroken) {
                status = kind.linkedFailed();
                objectTimestamp[0] = imported ? event.timestamp() : slot;
            } else if (imported != batchImported) {
                status = imported ? kind.importedNotExpected() : kind.importedExpected();
            } else if (!imported && event.timestamp() != 0) {
                status = kind.timestampMustBeZero();
            } else if (imported && event.timestamp() <= 0) {
                status = kind.outOfRange();
            } else if (imported && event.timestamp() >= batchTimestamp) {
                status = kind.mustNotAdvance();
            } else {
                status = apply.apply(event, imported ? event.timestamp() : slot, objectTimestamp);
                if (status != kind.created() && status != kind.exists()) {
                    objectTimestamp[0] = slot;
                }
            }
            results.add(new Result<>(status, objectTimestamp[0]));
            if (status != kind.created() && chainStart >= 0 && !chainBroken) {
                chainBroken = true;
                restore(saved);
                for (int j = chainStart; j < i; j++) {
                    results.set(j, new Result<>(kind.linkedFailed(), results.get(j).timestamp()));
                }
            }
            if (isTransient.test(status)) {
                failed.add(event.id());
            }
            if (chainStart >= 0 && !linked) {
                chainStart = -1;
                chainBroken = false;
                saved = null;
            }
        }
        return results;
    }

    private record Saved(Map<Uint128, Acct> accounts, Map<Uint128, Xfer> transfers,
                         Map<Uint128, PendingStatus> pendingStatus) {
    }

    private Saved save() {
        Map<Uint128, Acct> accountsCopy = new LinkedHashMap<>();
        accounts.forEach((id, a) -> accountsCopy.put(id, a.copy()));
        return new Saved(accountsCopy, new LinkedHashMap<>(transfers), new HashMap<>(pendingStatus));
    }

    private void restore(Saved saved) {
        accounts = saved.accounts();
        transfers = saved.transfers();
        pendingStatus = saved.pendingStatus();
    }

    // ---- create_account --------------------------------------------------------------------------

    private CreateAccountStatus createAccount(Event a, long ts, long[] objectTimestamp) {
        if (a.reserved() != 0) {
            return CreateAccountStatus.RESERVED_FIELD;
        }
        if ((a.flags() & ~0x3F) != 0) {
            return CreateAccountStatus.RESERVED_FLAG;
        }
        if (a.id().isZero()) {
            return CreateAccountStatus.ID_MUST_NOT_BE_ZERO;
        }
        if (a.id().equals(Uint128.MAX)) {
            return CreateAccountStatus.ID_MUST_NOT_BE_INT_MAX;
        }
        Acct e = accounts.get(a.id());
        if (e != null) {
            objectTimestamp[0] = e.timestamp;
            if (a.flags() != e.flags) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (!a.userData128().equals(e.userData128)) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_128;
            }
            if (a.userData64() != e.userData64) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_64;
            }
            if (a.userData32() != e.userData32) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_32;
            }
            if (a.ledger() != e.ledger) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_LEDGER;
            }
            if (a.code() != e.code) {
                return CreateAccountStatus.EXISTS_WITH_DIFFERENT_CODE;
            }
            return CreateAccountStatus.EXISTS;
        }
        if ((a.flags() & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0
            && (a.flags() & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0) {
            return CreateAccountStatus.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        CreateAccountStatus[] balanceStatuses = {CreateAccountStatus.DEBITS_PENDING_MUST_BE_ZERO,
            CreateAccountStatus.DEBITS_POSTED_MUST_BE_ZERO, CreateAccountStatus.CREDITS_PENDING_MUST_BE_ZERO,
            CreateAccountStatus.CREDITS_POSTED_MUST_BE_ZERO};
        for (int k = 0; k < 4; k++) {
            if (a.balances()[k].signum() != 0) {
                return balanceStatuses[k];
            }
        }
        if (a.ledger() == 0) {
            return CreateAccountStatus.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (a.code() == 0) {
            return CreateAccountStatus.CODE_MUST_NOT_BE_ZERO;
        }
        if ((a.flags() & AccountFlags.IMPORTED) != 0) {
            boolean regress = accounts.values().stream().anyMatch(x -> ts <= x.timestamp)
                || transfers.values().stream().anyMatch(x -> x.timestamp() == ts);
            if (regress) {
                return CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
        }
        Acct created = new Acct();
        created.id = a.id();
        created.ledger = a.ledger();
        created.code = a.code();
        created.flags = a.flags();
        created.userData128 = a.userData128();
        created.userData64 = a.userData64();
        created.userData32 = a.userData32();
        created.timestamp = ts;
        accounts.put(a.id(), created);
        objectTimestamp[0] = ts;
        return CreateAccountStatus.CREATED;
    }

    // ---- create_transfer -------------------------------------------------------------------------

    private CreateTransferStatus createTransfer(Event t, long ts, long[] objectTimestamp) {
        if ((t.flags() & ~0x1FF) != 0) {
            return RESERVED_FLAG;
        }
        if (t.id().isZero()) {
            return ID_MUST_NOT_BE_ZERO;
        }
        if (t.id().equals(Uint128.MAX)) {
            return ID_MUST_NOT_BE_INT_MAX;
        }
        Xfer e = transfers.get(t.id());
        if (e != null) {
            objectTimestamp[0] = e.timestamp();
            return exists(t, e);
        }
        if (failed.contains(t.id())) {
            return ID_ALREADY_FAILED;
        }
        if (has(t, TransferFlags.POST_PENDING_TRANSFER) || has(t, TransferFlags.VOID_PENDING_TRANSFER)) {
            return postOrVoid(t, ts);
        }
        if (t.debit().isZero()) {
            return DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (t.debit().equals(Uint128.MAX)) {
            return DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (t.credit().isZero()) {
            return CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (t.credit().equals(Uint128.MAX)) {
            return CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (t.debit().equals(t.credit())) {
            return ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (!t.pendingId().isZero()) {
            return PENDING_ID_MUST_BE_ZERO;
        }
        if (!has(t, TransferFlags.PENDING)) {
            if (t.timeout() != 0) {
                return TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
            }
            if (has(t, TransferFlags.CLOSING_DEBIT) || has(t, TransferFlags.CLOSING_CREDIT)) {
                return CLOSING_TRANSFER_MUST_BE_PENDING;
            }
        }
        if (t.ledger() == 0) {
            return LEDGER_MUST_NOT_BE_ZERO;
        }
        if (t.code() == 0) {
            return CODE_MUST_NOT_BE_ZERO;
        }
        Acct dr = accounts.get(t.debit());
        if (dr == null) {
            return DEBIT_ACCOUNT_NOT_FOUND;
        }
        Acct cr = accounts.get(t.credit());
        if (cr == null) {
            return CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (dr.ledger != cr.ledger) {
            return ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
        }
        if (t.ledger() != dr.ledger) {
            return TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
        }
        if (has(t, TransferFlags.IMPORTED)) {
            if (transfers.values().stream().anyMatch(x -> ts <= x.timestamp())
                || accounts.values().stream().anyMatch(x -> x.timestamp == ts)) {
                return IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
            if (ts <= dr.timestamp) {
                return IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT;
            }
            if (ts <= cr.timestamp) {
                return IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT;
            }
            if (t.timeout() != 0) {
                return IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO;
            }
        }
        if ((dr.flags & AccountFlags.CLOSED) != 0) {
            return DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if ((cr.flags & AccountFlags.CLOSED) != 0) {
            return CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        BigInteger amount = t.amount();
        if (has(t, TransferFlags.BALANCING_DEBIT)) {
            BigInteger room = big(dr.creditsPosted).subtract(big(dr.debitsPosted).add(big(dr.debitsPending))).max(BigInteger.ZERO);
            amount = amount.min(room);
        }
        if (has(t, TransferFlags.BALANCING_CREDIT)) {
            BigInteger room = big(cr.debitsPosted).subtract(big(cr.creditsPosted).add(big(cr.creditsPending))).max(BigInteger.ZERO);
            amount = amount.min(room);
        }
        if (has(t, TransferFlags.PENDING)) {
            if (exceedsMax(amount, dr.debitsPending)) {
                return OVERFLOWS_DEBITS_PENDING;
            }
            if (exceedsMax(amount, cr.creditsPending)) {
                return OVERFLOWS_CREDITS_PENDING;
            }
        }
        if (exceedsMax(amount, dr.debitsPosted)) {
            return OVERFLOWS_DEBITS_POSTED;
        }
        if (exceedsMax(amount, cr.creditsPosted)) {
            return OVERFLOWS_CREDITS_POSTED;
        }
        if (amount.add(big(dr.debitsPending)).add(big(dr.debitsPosted)).compareTo(MAX) > 0) {
            return OVERFLOWS_DEBITS;
        }
        if (amount.add(big(cr.creditsPending)).add(big(cr.creditsPosted)).compareTo(MAX) > 0) {
            return OVERFLOWS_CREDITS;
        }
        if (big(ts).add(BigInteger.valueOf(t.timeout()).multiply(BigInteger.valueOf(NS_PER_S))).compareTo(MAX) > 0) {
            return OVERFLOWS_TIMEOUT;
        }
        if ((dr.flags & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0
            && amount.add(big(dr.debitsPending)).add(big(dr.debitsPosted)).compareTo(big(dr.creditsPosted)) > 0) {
            return EXCEEDS_CREDITS;
        }
        if ((cr.flags & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0
            && amount.add(big(cr.creditsPending)).add(big(cr.creditsPosted)).compareTo(big(cr.debitsPosted)) > 0) {
            return EXCEEDS_DEBITS;
        }
        long moved = amount.longValueExact();
        Xfer recorded = new Xfer(t.id(), t.debit(), t.credit(), moved, t.pendingId(), t.userData128(), t.userData64(),
            t.userData32(), t.timeout(), t.ledger(), t.code(), t.flags(), ts);
        transfers.put(t.id(), recorded);
        if (has(t, TransferFlags.PENDING)) {
            dr.debitsPending += moved;
            cr.creditsPending += moved;
            pendingStatus.put(t.id(), PendingStatus.PENDING);
        } else {
            dr.debitsPosted += moved;
            cr.creditsPosted += moved;
        }
        if (has(t, TransferFlags.CLOSING_DEBIT)) {
            dr.flags |= AccountFlags.CLOSED;
        }
        if (has(t, TransferFlags.CLOSING_CREDIT)) {
            cr.flags |= AccountFlags.CLOSED;
        }
        recordHistory(dr, ts);
        recordHistory(cr, ts);
        objectTimestamp[0] = ts;
        return CREATED;
    }

    private CreateTransferStatus postOrVoid(Event t, long ts) {
        boolean post = has(t, TransferFlags.POST_PENDING_TRANSFER);
        boolean isVoid = has(t, TransferFlags.VOID_PENDING_TRANSFER);
        if (post && isVoid) {
            return FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        int others = TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT
            | TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT;
        if ((t.flags() & others) != 0) {
            return FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (t.pendingId().isZero()) {
            return PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (t.pendingId().equals(Uint128.MAX)) {
            return PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (t.pendingId().equals(t.id())) {
            return PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (t.timeout() != 0) {
            return TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        Xfer p = transfers.get(t.pendingId());
        if (p == null) {
            return PENDING_TRANSFER_NOT_FOUND;
        }
        if ((p.flags() & TransferFlags.PENDING) == 0) {
            return PENDING_TRANSFER_NOT_PENDING;
        }
        if (!t.debit().isZero() && !t.debit().equals(p.debit())) {
            return PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!t.credit().isZero() && !t.credit().equals(p.credit())) {
            return PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (t.ledger() != 0 && t.ledger() != p.ledger()) {
            return PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
        }
        if (t.code() != 0 && t.code() != p.code()) {
            return PENDING_TRANSFER_HAS_DIFFERENT_CODE;
        }
        BigInteger full = isVoid ? BigInteger.ZERO : MAX;
        BigInteger amount = t.amount().equals(full) ? big(p.amount()) : t.amount();
        if (amount.compareTo(big(p.amount())) > 0) {
            return EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (isVoid && amount.compareTo(big(p.amount())) < 0) {
            return PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        PendingStatus status = pendingStatus(p.id());
        if (status == PendingStatus.POSTED) {
            return PENDING_TRANSFER_ALREADY_POSTED;
        }
        if (status == PendingStatus.VOIDED) {
            return PENDING_TRANSFER_ALREADY_VOIDED;
        }
        if (status == PendingStatus.EXPIRED) {
            return PENDING_TRANSFER_EXPIRED;
        }
        if (p.timeout() > 0 && p.timestamp() + p.timeout() * NS_PER_S <= ts) {
            return PENDING_TRANSFER_EXPIRED;
        }
        if (has(t, TransferFlags.IMPORTED) && (transfers.values().stream().anyMatch(x -> ts <= x.timestamp())
            || accounts.values().stream().anyMatch(x -> x.timestamp == ts))) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }
        Acct dr = accounts.get(p.debit());
        Acct cr = accounts.get(p.credit());
        if (!isVoid && (dr.flags & AccountFlags.CLOSED) != 0) {
            return DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (!isVoid && (cr.flags & AccountFlags.CLOSED) != 0) {
            return CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        long moved = amount.longValueExact();
        transfers.put(t.id(), new Xfer(t.id(), p.debit(), p.credit(), moved, t.pendingId(),
            t.userData128().isZero() ? p.userData128() : t.userData128(),
            t.userData64() == 0 ? p.userData64() : t.userData64(), t.userData32() == 0 ? p.userData32() : t.userData32(),
            0, p.ledger(), p.code(), t.flags(), ts));
        pendingStatus.put(p.id(), isVoid ? PendingStatus.VOIDED : PendingStatus.POSTED);
        dr.debitsPending -= p.amount();
        cr.creditsPending -= p.amount();
        if (isVoid) {
            if ((p.flags() & TransferFlags.CLOSING_DEBIT) != 0) {
                dr.flags &= ~AccountFlags.CLOSED;
            }
            if ((p.flags() & TransferFlags.CLOSING_CREDIT) != 0) {
                cr.flags &= ~AccountFlags.CLOSED;
            }
        } else {
            dr.debitsPosted += moved;
            cr.creditsPosted += moved;
        }
        recordHistory(dr, ts);
        recordHistory(cr, ts);
        return CREATED;
    }

    private CreateTransferStatus exists(Event t, Xfer e) {
        if (t.flags() != e.flags()) {
            return EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (!t.pendingId().equals(e.pendingId())) {
            return EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (t.timeout() != e.timeout()) {
            return EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        boolean resolution = has(t, TransferFlags.POST_PENDING_TRANSFER) || has(t, TransferFlags.VOID_PENDING_TRANSFER);
        if (!resolution) {
            if (!t.debit().equals(e.debit())) {
                return EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
            }
            if (!t.credit().equals(e.credit())) {
                return EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
            }
            boolean balancing = has(t, TransferFlags.BALANCING_DEBIT) || has(t, TransferFlags.BALANCING_CREDIT);
            if (balancing ? t.amount().compareTo(big(e.amount())) < 0 : !t.amount().equals(big(e.amount()))) {
                return EXISTS_WITH_DIFFERENT_AMOUNT;
            }
            if (!t.userData128().equals(e.userData128())) {
                return EXISTS_WITH_DIFFERENT_USER_DATA_128;
            }
            if (t.userData64() != e.userData64()) {
                return EXISTS_WITH_DIFFERENT_USER_DATA_64;
            }
            if (t.userData32() != e.userData32()) {
                return EXISTS_WITH_DIFFERENT_USER_DATA_32;
            }
            if (t.ledger() != e.ledger()) {
                return EXISTS_WITH_DIFFERENT_LEDGER;
            }
            if (t.code() != e.code()) {
                return EXISTS_WITH_DIFFERENT_CODE;
            }
            return EXISTS;
        }
        Xfer p = transfers.get(t.pendingId());
        if (!t.debit().isZero() && !t.debit().equals(e.debit())) {
            return EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!t.credit().isZero() && !t.credit().equals(e.credit())) {
            return EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        BigInteger full = has(t, TransferFlags.VOID_PENDING_TRANSFER) ? BigInteger.ZERO : MAX;
        boolean sameAmount = t.amount().equals(full) ? e.amount() == p.amount() : t.amount().equals(big(e.amount()));
        if (!sameAmount) {
            return EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        Uint128 expected128 = t.userData128().isZero() ? p.userData128() : t.userData128();
        if (!expected128.equals(e.userData128())) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        long expected64 = t.userData64() == 0 ? p.userData64() : t.userData64();
        if (expected64 != e.userData64()) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        int expected32 = t.userData32() == 0 ? p.userData32() : t.userData32();
        if (expected32 != e.userData32()) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (t.ledger() != 0 && t.ledger() != e.ledger()) {
            return EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (t.code() != 0 && t.code() != e.code()) {
            return EXISTS_WITH_DIFFERENT_CODE;
        }
        return EXISTS;
    }

    private static void recordHistory(Acct account, long ts) {
        if ((account.flags & AccountFlags.HISTORY) != 0) {
            account.history.add(new long[] {ts, account.debitsPending, account.debitsPosted, account.creditsPending,
                account.creditsPosted});
        }
    }

    private static boolean exceedsMax(BigInteger amount, long balance) {
        return amount.add(big(balance)).compareTo(MAX) > 0;
    }

    private static boolean has(Event t, int flag) {
        return (t.flags() & flag) != 0;
    }

    static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }

    /** The unsigned 128-bit value of two longs. */
    public static BigInteger unsigned128(long low, long high) {
        BigInteger lowPart = BigInteger.valueOf(low).and(TWO_64.subtract(BigInteger.ONE));
        BigInteger highPart = BigInteger.valueOf(high).and(TWO_64.subtract(BigInteger.ONE));
        return highPart.shiftLeft(64).or(lowPart);
    }
}
