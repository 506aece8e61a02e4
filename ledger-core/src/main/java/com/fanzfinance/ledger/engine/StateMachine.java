package com.fanzfinance.ledger.engine;

import java.util.List;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountView;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.TransferView;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.AccountTransferLists;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.Tenants;
import com.fanzfinance.ledger.state.TransferIdIndex;

/**
 * The ledger's deterministic, single-threaded state machine: TigerBeetle's account and transfer
 * semantics over in-memory accounts and memory-mapped transfer stores.
 *
 * <p>Commands arrive with the timestamp the sequencer gave them (the engine never reads a clock): the
 * timestamp of the command's last event, strictly after the previous command's. Every command first
 * expires the pending transfers that are due. Bad input is a status in the results, never an exception;
 * an exception from here is a bug or a violated precondition (batch too large, time going backwards).
 *
 * <p>Only one thread may use an instance: the first thread that calls it (or the one given to
 * {@link #bindTo(Thread)}) owns it, and this is asserted on every call.
 */
public final class StateMachine implements AutoCloseable {
    private static final int TENANT_BYTES = Integer.BYTES;

    private final LedgerState state;
    private final LinkedChain chain;
    private final AccountCreation accountCreation;
    private final TransferCreation transferCreation;
    private final PendingExpiry expiry;
    private final AccountQueries queries;
    private final CreateBatch<CreateAccountStatus> accountBatch;
    private final CreateBatch<CreateTransferStatus> transferBatch;
    private final AccountView accountView = new AccountView();
    private final TransferView transferView = new TransferView();
    private final LedgerListener listener;
    private final TenantScopeCheck tenantScopeCheck;
    private final CommandScope scope = new CommandScope();
    /** Marks the offending event's result of a {@link CommandOutcome#TENANT_FORBIDDEN} command. */
    public static final int FORBIDDEN_MARK = 1;

    private int forbiddenEvent = -1;
    private Thread owner;
    private DirectBuffer tenants;
    private int tenantsOffset;

    public StateMachine(StateMachineConfig config) {
        this(config, LedgerListener.NONE);
    }

    public StateMachine(StateMachineConfig config, LedgerListener listener) {
        this(config, state -> listener);
    }

    /** @param listenerFactory makes the listener from the state it will observe (e.g. an {@link OutcomeRecorder}) */
    public StateMachine(StateMachineConfig config, java.util.function.Function<LedgerState, LedgerListener> listenerFactory) {
        if (BufferUtil.NATIVE_BYTE_ORDER != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the ledger's record layouts need a little-endian platform");
        }
        this.state = new LedgerState(config);
        LedgerListener listener = listenerFactory.apply(state);
        this.listener = listener;
        this.chain = new LinkedChain(state);
        AccountWriter writer = new AccountWriter(state, chain);
        this.accountCreation = new AccountCreation(state, listener);
        this.transferCreation = new TransferCreation(state, chain, writer, listener, scope);
        this.expiry = new PendingExpiry(state, writer, listener);
        this.queries = new AccountQueries(state);
        this.tenantScopeCheck = new TenantScopeCheck(state);
        this.accountBatch = new CreateBatch<>(new AccountKind(), chain, listener);
        this.transferBatch = new CreateBatch<>(new TransferKind(), chain, listener);
    }

    public LedgerListener listener() {
        return listener;
    }

    /** Makes {@code thread} the only one allowed to use this state machine. */
    public void bindTo(Thread thread) {
        owner = thread;
    }

    /**
     * Applies a batch of 128-byte account records for any tenant (an unscoped command); see
     * {@link #createAccounts(long, DirectBuffer, int, int, DirectBuffer, int, int, MutableDirectBuffer, int)}.
     */
    public CommandOutcome createAccounts(long timestamp, DirectBuffer events, int offset, int count,
                                         DirectBuffer tenants, int tenantsOffset,
                                         MutableDirectBuffer results, int resultsOffset) {
        return createAccounts(timestamp, events, offset, count, tenants, tenantsOffset, 0, results, resultsOffset);
    }

    /**
     * Applies a batch of 128-byte account records and writes one 16-byte result per event.
     *
     * @param timestamp     the timestamp of the last event; must exceed {@link #lastTimestamp()} by at
     *                      least {@code count}
     * @param tenants       {@code count} 4-byte tenant numbers, one per event, followed by the
     *                      {@code scopeCount} tenants the command may touch; or {@code null} for tenant 0
     * @param scopeCount    0 for an unscoped command; otherwise every account must be created in a tenant of
     *                      the scope, no id may belong to an account outside it, and the scope's tenant
     *                      quotas apply
     * @return {@link CommandOutcome#APPLIED}, or, with nothing applied, {@link CommandOutcome#LEDGER_FULL},
     *         {@link CommandOutcome#TENANT_FORBIDDEN} or {@link CommandOutcome#TENANT_QUOTA_EXCEEDED} (the
     *         offending event's result marked, see {@link #forbiddenEventIn})
     */
    public CommandOutcome createAccounts(long timestamp, DirectBuffer events, int offset, int count,
                                         DirectBuffer tenants, int tenantsOffset, int scopeCount,
                                         MutableDirectBuffer results, int resultsOffset) {
        beginCommand(timestamp, count);
        if (state.accounts().count() + (long) count > state.limits().accountsMax()) {
            return CommandOutcome.LEDGER_FULL;
        }
        scope.set(tenants, tenantsOffset + count * TENANT_BYTES, scopeCount);
        CommandOutcome refused = scope.isScoped() ? refuseAccounts(events, offset, count, tenants, tenantsOffset) : null;
        if (refused != null) {
            markForbidden(results, resultsOffset, count, forbiddenEvent);
            return refused;
        }
        advance(timestamp, count);
        this.tenants = tenants;
        this.tenantsOffset = tenantsOffset;
        accountBatch.execute(timestamp, events, offset, count, results, resultsOffset);
        countAccounts(count, results, resultsOffset);
        return CommandOutcome.APPLIED;
    }

    /** Applies a batch of 128-byte transfer records; see {@link #createAccounts} for the contract. */
    public CommandOutcome createTransfers(long timestamp, DirectBuffer events, int offset, int count,
                                          MutableDirectBuffer results, int resultsOffset) {
        return createTransfers(timestamp, events, offset, count, null, 0, 0, results, resultsOffset);
    }

    /**
     * Applies a batch of transfers that may only touch accounts of the {@code tenantCount} tenants (4-byte
     * ids) in {@code tenantScope}; with no scope (count 0) any account. If any transfer touches an existing
     * account outside the scope, nothing is applied: {@link CommandOutcome#TENANT_FORBIDDEN}.
     */
    public CommandOutcome createTransfers(long timestamp, DirectBuffer events, int offset, int count,
                                          DirectBuffer tenantScope, int tenantScopeOffset, int tenantCount,
                                          MutableDirectBuffer results, int resultsOffset) {
        beginCommand(timestamp, count);
        long transfersBefore = state.transfers().count();
        long failedBefore = state.failedTransferIds().count();
        if (transfersBefore + failedBefore + count > state.limits().transfersMax()) {
            return CommandOutcome.LEDGER_FULL;
        }
        scope.set(tenantScope, tenantScopeOffset, tenantCount);
        CommandOutcome refused = scope.isScoped() ? refuseTransfers(events, offset, count) : null;
        if (refused != null) {
            markForbidden(results, resultsOffset, count, forbiddenEvent);
            return refused;
        }
        advance(timestamp, count);
        transferBatch.execute(timestamp, events, offset, count, results, resultsOffset);
        if (scope.isScoped()) {
            Tenants tenantState = state.tenants();
            tenantState.addTransfers(scope.owner(), state.transfers().count() - transfersBefore);
            tenantState.addFailedIds(scope.owner(), state.failedTransferIds().count() - failedBefore);
        }
        return CommandOutcome.APPLIED;
    }

    /**
     * Applies a {@code set_limits} command: from its timestamp on, commands are refused against these
     * limits. Never refused itself: lowering a limit below what the ledger holds only stops growth.
     */
    public CommandOutcome setLimits(long timestamp, DirectBuffer record, int recordOffset) {
        beginCommand(timestamp, 1);
        LedgerLimits limits = LedgerLimits.decode(record, recordOffset);
        if (limits == null) {
            throw new IllegalArgumentException("not a set_limits record");
        }
        advance(timestamp, 1);
        state.limits(limits);
        return CommandOutcome.APPLIED;
    }

    /**
     * Applies a {@code set_tenant} command: registers the tenant (the next free number unless the record
     * names one) or changes its quotas. The result's status is a {@link SetTenantStatus} code and its
     * reserved field the tenant's number.
     */
    public CommandOutcome setTenant(long timestamp, DirectBuffer record, int recordOffset, MutableDirectBuffer results,
                                    int resultsOffset) {
        beginCommand(timestamp, 1);
        TenantSettings settings = TenantSettings.decode(record, recordOffset);
        if (settings == null) {
            throw new IllegalArgumentException("not a set_tenant record");
        }
        advance(timestamp, 1);
        int[] number = new int[1];
        SetTenantStatus status = state.tenants().apply(settings, number);
        results.putLong(resultsOffset + ResultLayout.TIMESTAMP, timestamp);
        results.putInt(resultsOffset + ResultLayout.STATUS, status.code());
        results.putInt(resultsOffset + ResultLayout.RESERVED, number[0]);
        return CommandOutcome.APPLIED;
    }

    /** The registered tenants, by number. */
    public TenantSettings[] tenants() {
        assert onOwnerThread();
        return state.tenants().all();
    }

    /** What the tenant uses of its quotas. */
    public com.fanzfinance.ledger.command.TenantUsage tenantUsage(int tenant) {
        assert onOwnerThread();
        Tenants tenantState = state.tenants();
        return new com.fanzfinance.ledger.command.TenantUsage(tenantState.accounts(tenant), tenantState.transfers(tenant),
            tenantState.failedIds(tenant));
    }

    /** The limits in force. */
    public LedgerLimits limits() {
        return state.limits();
    }

    /** A scoped account command is refused if it creates outside its scope, over another tenant's id, or past a quota. */
    private CommandOutcome refuseAccounts(DirectBuffer events, int offset, int count, DirectBuffer tenantNumbers,
                                          int tenantNumbersOffset) {
        for (int i = 0; i < count; i++) {
            if (!scope.contains(tenantNumbers.getInt(tenantNumbersOffset + i * TENANT_BYTES))) {
                forbiddenEvent = i;
                return CommandOutcome.TENANT_FORBIDDEN;
            }
        }
        forbiddenEvent = tenantScopeCheck.firstAccountOutside(events, offset, count, scope);
        if (forbiddenEvent >= 0) {
            return CommandOutcome.TENANT_FORBIDDEN;
        }
        for (int s = 0; s < scope.count(); s++) {
            int tenant = scope.tenant(s);
            int first = -1;
            long adding = 0;
            for (int i = 0; i < count; i++) {
                if (tenantNumbers.getInt(tenantNumbersOffset + i * TENANT_BYTES) == tenant) {
                    first = first < 0 ? i : first;
                    adding++;
                }
            }
            if (adding > 0 && state.tenants().accounts(tenant) + adding > state.tenants().accountsMax(tenant, state.limits())) {
                forbiddenEvent = first;
                return CommandOutcome.TENANT_QUOTA_EXCEEDED;
            }
        }
        return null;
    }

    /** A scoped transfer command is refused if it touches another tenant's objects or could pass its owner's quota. */
    private CommandOutcome refuseTransfers(DirectBuffer events, int offset, int count) {
        forbiddenEvent = tenantScopeCheck.firstTransferOutside(events, offset, count, scope);
        if (forbiddenEvent >= 0) {
            return CommandOutcome.TENANT_FORBIDDEN;
        }
        int owner = scope.owner();
        Tenants tenantState = state.tenants();
        if (tenantState.transfers(owner) + tenantState.failedIds(owner) + count
            > tenantState.transfersMax(owner, state.limits())) {
            forbiddenEvent = 0;
            return CommandOutcome.TENANT_QUOTA_EXCEEDED;
        }
        return null;
    }

    /** Every account created counts for its tenant's quota, whoever created it; its number is never reused. */
    private void countAccounts(int count, DirectBuffer results, int resultsOffset) {
        int created = CreateAccountStatus.CREATED.codeBits();
        for (int i = 0; i < count; i++) {
            if (results.getInt(resultsOffset + i * ResultLayout.SIZE + ResultLayout.STATUS) == created) {
                int tenant = tenants == null ? 0 : tenants.getInt(tenantsOffset + i * TENANT_BYTES);
                state.tenants().addAccounts(tenant, 1);
                state.tenants().noteNumber(tenant);
            }
        }
    }

    /**
     * Stores the metadata entries of {@code sideData} ({@link SideData}) with the objects the events they
     * name created in the command just applied: {@code firstCreated} is the account count (or transfer
     * count) before it, and the k-th event whose result is {@code created} made object {@code firstCreated + k}.
     * Entries for events that created nothing are dropped. Malformed side data stores nothing.
     */
    public void attachMetadata(boolean accounts, long firstCreated, DirectBuffer results, int resultsOffset, int count,
                               DirectBuffer sideData, int sideDataOffset, int sideDataLength) {
        assert onOwnerThread();
        if (sideDataLength == 0) {
            return;
        }
        long[] createdAs = new long[count];
        long next = firstCreated;
        int createdCode = accounts ? CreateAccountStatus.CREATED.codeBits() : CreateTransferStatus.CREATED.codeBits();
        for (int i = 0; i < count; i++) {
            boolean created = results.getInt(resultsOffset + i * ResultLayout.SIZE + ResultLayout.STATUS) == createdCode;
            createdAs[i] = created ? next++ : -1;
        }
        SideData.forEach(sideData, sideDataOffset, sideDataLength, (eventIndex, buffer, offset, length) -> {
            if (eventIndex < count && createdAs[eventIndex] >= 0) {
                if (accounts) {
                    state.metadata().putAccount((int) createdAs[eventIndex], buffer, offset, length);
                } else {
                    state.metadata().putTransfer(createdAs[eventIndex], buffer, offset, length);
                }
            }
        });
    }

    /** The metadata stored with this account, or null. */
    public byte[] accountMetadata(Uint128 id) {
        assert onOwnerThread();
        int slot = state.accounts().find(id.low(), id.high());
        return slot < 0 ? null : state.metadata().account(slot);
    }

    /** The metadata stored with this transfer, or null. */
    public byte[] transferMetadata(Uint128 id) {
        assert onOwnerThread();
        long sequence = state.transferIds().find(id.low(), id.high());
        if (sequence == com.fanzfinance.ledger.state.TransferIdIndex.NOT_FOUND) {
            return null;
        }
        return state.metadata().transfer(sequence);
    }

    /**
     * Zeroes the results of a refused command and marks the offending event's result with
     * {@link ResultLayout#RESERVED} = {@link #FORBIDDEN_MARK}, so the caller can name it without another read.
     */
    private static void markForbidden(MutableDirectBuffer results, int resultsOffset, int count, int event) {
        results.setMemory(resultsOffset, count * ResultLayout.SIZE, (byte) 0);
        results.putInt(resultsOffset + event * ResultLayout.SIZE + ResultLayout.RESERVED, FORBIDDEN_MARK);
    }

    /** The index of the event marked by a {@link CommandOutcome#TENANT_FORBIDDEN} command in its results, or -1. */
    public static int forbiddenEventIn(DirectBuffer results, int resultsOffset, int count) {
        for (int i = 0; i < count; i++) {
            if (results.getInt(resultsOffset + i * ResultLayout.SIZE + ResultLayout.RESERVED) == FORBIDDEN_MARK) {
                return i;
            }
        }
        return -1;
    }

    /** The event that made the last command {@link CommandOutcome#TENANT_FORBIDDEN}. */
    public int forbiddenEvent() {
        return forbiddenEvent;
    }

    /** Carries time without other work: expires the pending transfers due at {@code timestamp}. */
    public int tick(long timestamp) {
        beginCommand(timestamp, 1);
        state.lastTimestamp(timestamp);
        return expiry.expireDue(timestamp);
    }

    public Account lookupAccount(Uint128 id) {
        assert onOwnerThread();
        return queries.lookupAccount(id);
    }

    public Transfer lookupTransfer(Uint128 id) {
        assert onOwnerThread();
        return queries.lookupTransfer(id);
    }

    public List<Transfer> accountTransfers(AccountFilter filter) {
        assert onOwnerThread();
        return queries.accountTransfers(filter);
    }

    public List<AccountBalance> accountBalances(AccountFilter filter) {
        assert onOwnerThread();
        return queries.accountBalances(filter);
    }

    /** The account in {@code slot} (slots are dense, 0 … accountCount-1, in creation order). */
    public Account accountAt(int slot) {
        assert onOwnerThread();
        return queries.account(slot);
    }

    /** The transfer with sequence number {@code sequence} (0 … transferCount-1, in timestamp order). */
    public Transfer transferAt(long sequence) {
        assert onOwnerThread();
        return queries.transfer(sequence);
    }

    public int accountCount() {
        return state.accounts().count();
    }

    public long transferCount() {
        return state.transfers().count();
    }

    public long lastTimestamp() {
        return state.lastTimestamp();
    }

    /** SHA-256 of the logical state; identical for identical command streams on any JVM. Reads every store. */
    public byte[] stateHash() {
        assert onOwnerThread();
        return StateHash.of(state);
    }

    /** The state itself, for snapshots and memory accounting. Only the owner thread may touch it. */
    public LedgerState state() {
        return state;
    }

    @Override
    public void close() {
        state.close();
    }

    /**
     * Closes the state, saving its transfer id index for the next start ({@link LedgerState#close(boolean)}); null if
     * it was saved, else why not.
     */
    public String closeKeepingIndex() {
        return state.close(true);
    }

    private void beginCommand(long timestamp, int count) {
        assert onOwnerThread();
        if (count < 0 || count > StateMachineConfig.BATCH_EVENTS_MAX) {
            throw new IllegalArgumentException("a batch holds 0.." + StateMachineConfig.BATCH_EVENTS_MAX
                + " events, got " + count);
        }
        if (timestamp - Math.max(count, 1) < state.lastTimestamp()) {
            throw new IllegalArgumentException("timestamp " + timestamp + " for " + count
                + " events does not move past the last timestamp " + state.lastTimestamp());
        }
    }

    /** Records the command's time and releases the pending transfers that expired before its first event. */
    private void advance(long timestamp, int count) {
        expiry.expireDue(timestamp - Math.max(count, 1) + 1);
        state.lastTimestamp(timestamp);
    }

    /** Consumes what the prefetch loops load, so the JIT cannot drop the loads. */
    @SuppressWarnings("unused")
    private long prefetchSink;
    /**
     * The debit and credit account slots the last prefetch resolved for events {@code prefetchFrom … prefetchTo-1}
     * (-1: not resolved), hints for {@link TransferCreation}.
     */
    private final int[] prefetchSlots = new int[2 * CreateBatch.PREFETCH_GROUP];
    private int prefetchFrom;
    private int prefetchTo;

    private boolean onOwnerThread() {
        Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        }
        return owner == current;
    }

    private final class AccountKind implements CreateBatch.Kind<CreateAccountStatus> {
        @Override
        public int importedFlag() {
            return AccountFlags.IMPORTED;
        }

        @Override
        public void prefetch(DirectBuffer events, int offset, int from, int to) {
            // Account batches are rare and small; nothing to gain.
        }

        @Override
        public CreateAccountStatus apply(DirectBuffer events, int eventOffset, int eventIndex, long timestamp) {
            int tenant = tenants == null ? 0 : tenants.getInt(tenantsOffset + eventIndex * TENANT_BYTES);
            return accountCreation.create(accountView.wrap(events, eventOffset), tenant, timestamp);
        }

        @Override
        public long objectTimestamp() {
            return accountCreation.objectTimestamp();
        }

        @Override
        public boolean isCreated(CreateAccountStatus status) {
            return status == CreateAccountStatus.CREATED;
        }

        @Override
        public boolean isExists(CreateAccountStatus status) {
            return status == CreateAccountStatus.EXISTS;
        }

        @Override
        public boolean isTransient(CreateAccountStatus status) {
            return false;
        }

        @Override
        public void rememberFailure(DirectBuffer events, int eventOffset) {
            throw new IllegalStateException("accounts have no transient failures");
        }

        @Override
        public int code(CreateAccountStatus status) {
            return status.codeBits();
        }

        @Override
        public CreateAccountStatus linkedEventFailed() {
            return CreateAccountStatus.LINKED_EVENT_FAILED;
        }

        @Override
        public CreateAccountStatus linkedEventChainOpen() {
            return CreateAccountStatus.LINKED_EVENT_CHAIN_OPEN;
        }

        @Override
        public CreateAccountStatus importedEventExpected() {
            return CreateAccountStatus.IMPORTED_EVENT_EXPECTED;
        }

        @Override
        public CreateAccountStatus importedEventNotExpected() {
            return CreateAccountStatus.IMPORTED_EVENT_NOT_EXPECTED;
        }

        @Override
        public CreateAccountStatus timestampMustBeZero() {
            return CreateAccountStatus.TIMESTAMP_MUST_BE_ZERO;
        }

        @Override
        public CreateAccountStatus importedEventTimestampOutOfRange() {
            return CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE;
        }

        @Override
        public CreateAccountStatus importedEventTimestampMustNotAdvance() {
            return CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE;
        }
    }

    private final class TransferKind implements CreateBatch.Kind<CreateTransferStatus> {
        @Override
        public int importedFlag() {
            return TransferFlags.IMPORTED;
        }

        @Override
        public void prefetch(DirectBuffer events, int offset, int from, int to) {
            // Three passes, each of loads independent of one another, so that the misses of a pass are in
            // flight together (one pass would chain index entry -> account line -> list block per id). The
            // second pass also resolves each account's slot, which the transfer then uses as a hint.
            // The batch's records up to `to` are checked once here (no int product to wrap); their ids are then read
            // without Agrona's check per read.
            TransferView.requireRecords(events, offset, to);
            byte[] base = events.byteArray();
            long address = events.addressOffset() + offset;
            AccountStore accounts = state.accounts();
            TransferIdIndex ids = state.transferIds();
            int[] slots = prefetchSlots;
            long sink = 0;
            int n = 0;
            for (int i = from; i < to; i++) {
                long record = address + (long) i * TransferLayout.SIZE;
                sink += ids.touch(UnsafeApi.getLong(base, record + TransferLayout.ID),
                    UnsafeApi.getLong(base, record + TransferLayout.ID + 8));
                slots[n++] = accounts.homeEntry(UnsafeApi.getLong(base, record + TransferLayout.DEBIT_ACCOUNT_ID),
                    UnsafeApi.getLong(base, record + TransferLayout.DEBIT_ACCOUNT_ID + 8));
                slots[n++] = accounts.homeEntry(UnsafeApi.getLong(base, record + TransferLayout.CREDIT_ACCOUNT_ID),
                    UnsafeApi.getLong(base, record + TransferLayout.CREDIT_ACCOUNT_ID + 8));
            }
            for (int i = from, k = 0; i < to; i++, k += 2) {
                long record = address + (long) i * TransferLayout.SIZE;
                slots[k] = accounts.slotAt(slots[k], UnsafeApi.getLong(base, record + TransferLayout.DEBIT_ACCOUNT_ID),
                    UnsafeApi.getLong(base, record + TransferLayout.DEBIT_ACCOUNT_ID + 8));
                slots[k + 1] = accounts.slotAt(slots[k + 1],
                    UnsafeApi.getLong(base, record + TransferLayout.CREDIT_ACCOUNT_ID),
                    UnsafeApi.getLong(base, record + TransferLayout.CREDIT_ACCOUNT_ID + 8));
            }
            AccountTransferLists lists = state.accountTransferLists();
            for (int k = 0; k < n; k++) {
                sink += accounts.touchList(slots[k], lists);
            }
            prefetchFrom = from;
            prefetchTo = to;
            prefetchSink += sink;
        }

        @Override
        public CreateTransferStatus apply(DirectBuffer events, int eventOffset, int eventIndex, long timestamp) {
            int debitHint = -1;
            int creditHint = -1;
            if (eventIndex >= prefetchFrom && eventIndex < prefetchTo) {
                int k = (eventIndex - prefetchFrom) << 1;
                debitHint = prefetchSlots[k];
                creditHint = prefetchSlots[k + 1];
            }
            return transferCreation.create(transferView.wrap(events, eventOffset), timestamp, debitHint, creditHint);
        }

        @Override
        public long objectTimestamp() {
            return transferCreation.objectTimestamp();
        }

        @Override
        public boolean isCreated(CreateTransferStatus status) {
            return status == CreateTransferStatus.CREATED;
        }

        @Override
        public boolean isExists(CreateTransferStatus status) {
            return status == CreateTransferStatus.EXISTS;
        }

        @Override
        public boolean isTransient(CreateTransferStatus status) {
            return status.isTransient();
        }

        @Override
        public void rememberFailure(DirectBuffer events, int eventOffset) {
            long idLow = events.getLong(eventOffset + TransferLayout.ID);
            long idHigh = events.getLong(eventOffset + TransferLayout.ID + 8);
            long ordinal = state.failedTransferIds().append(idLow, idHigh, scope.owner());
            state.failedIdIndex().insert(ordinal);
        }

        @Override
        public int code(CreateTransferStatus status) {
            return status.codeBits();
        }

        @Override
        public CreateTransferStatus linkedEventFailed() {
            return CreateTransferStatus.LINKED_EVENT_FAILED;
        }

        @Override
        public CreateTransferStatus linkedEventChainOpen() {
            return CreateTransferStatus.LINKED_EVENT_CHAIN_OPEN;
        }

        @Override
        public CreateTransferStatus importedEventExpected() {
            return CreateTransferStatus.IMPORTED_EVENT_EXPECTED;
        }

        @Override
        public CreateTransferStatus importedEventNotExpected() {
            return CreateTransferStatus.IMPORTED_EVENT_NOT_EXPECTED;
        }

        @Override
        public CreateTransferStatus timestampMustBeZero() {
            return CreateTransferStatus.TIMESTAMP_MUST_BE_ZERO;
        }

        @Override
        public CreateTransferStatus importedEventTimestampOutOfRange() {
            return CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE;
        }

        @Override
        public CreateTransferStatus importedEventTimestampMustNotAdvance() {
            return CreateTransferStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE;
        }
    }
}
