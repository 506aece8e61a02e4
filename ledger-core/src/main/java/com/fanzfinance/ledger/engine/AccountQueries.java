package com.fanzfinance.ledger.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.AccountTransferLists;
import com.fanzfinance.ledger.state.BlockLists;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * The queries the engine answers from its own state: lookups by id and an account's transfers and
 * balance history. Queries allocate their results (they are not the hot path) and never change state.
 *
 * <p>Cost: a newest-first query reads the entries newer than {@code timestamp_max} plus the result; an
 * oldest-first one also walks the account's list back to {@code timestamp_min} (15 transfers per block
 * read) before reading forward. Statements over long periods belong to the read model.
 */
final class AccountQueries {
    private final AccountStore accounts;
    private final TransferStore transfers;
    private final TransferIdIndex transferIds;
    private final AccountTransferLists lists;
    private final LedgerState state;

    AccountQueries(LedgerState state) {
        this.state = state;
        this.accounts = state.accounts();
        this.transfers = state.transfers();
        this.transferIds = state.transferIds();
        this.lists = state.accountTransferLists();
    }

    Account lookupAccount(Uint128 id) {
        int slot = accounts.find(id.low(), id.high());
        return slot < 0 ? null : account(slot);
    }

    Transfer lookupTransfer(Uint128 id) {
        long sequence = transferIds.find(id.low(), id.high());
        return sequence == TransferIdIndex.NOT_FOUND ? null : transfer(sequence);
    }

    Account account(int slot) {
        return new Account(new Uint128(accounts.get(slot, AccountStore.ID_HIGH), accounts.get(slot, AccountStore.ID_LOW)),
            accounts.get(slot, AccountStore.DEBITS_PENDING), accounts.get(slot, AccountStore.DEBITS_POSTED),
            accounts.get(slot, AccountStore.CREDITS_PENDING), accounts.get(slot, AccountStore.CREDITS_POSTED),
            new Uint128(accounts.get(slot, AccountStore.USER_DATA_128_HIGH), accounts.get(slot, AccountStore.USER_DATA_128_LOW)),
            accounts.get(slot, AccountStore.USER_DATA_64), accounts.userData32(slot), accounts.ledger(slot),
            accounts.code(slot), accounts.flags(slot), accounts.get(slot, AccountStore.TIMESTAMP), accounts.tenant(slot));
    }

    Transfer transfer(long sequence) {
        return new Transfer(id128(sequence, TransferLayout.ID), id128(sequence, TransferLayout.DEBIT_ACCOUNT_ID),
            id128(sequence, TransferLayout.CREDIT_ACCOUNT_ID), transfers.amount(sequence),
            id128(sequence, TransferLayout.PENDING_ID), id128(sequence, TransferLayout.USER_DATA_128),
            transfers.getLong(sequence, TransferLayout.USER_DATA_64), transfers.userData32(sequence),
            transfers.timeoutSeconds(sequence), transfers.ledger(sequence), transfers.code(sequence),
            transfers.flags(sequence), transfers.timestamp(sequence), pendingStatus(sequence));
    }

    List<Transfer> accountTransfers(AccountFilter filter) {
        List<Transfer> result = new ArrayList<>();
        int slot = filter.isValid() ? accounts.find(filter.accountId().low(), filter.accountId().high()) : -1;
        if (slot >= 0) {
            scan(filter, slot, (store, address, sequence) -> result.add(transfer(sequence)));
        }
        return result;
    }

    List<AccountBalance> accountBalances(AccountFilter filter) {
        List<AccountBalance> result = new ArrayList<>();
        int slot = filter.isValid() ? accounts.find(filter.accountId().low(), filter.accountId().high()) : -1;
        if (slot >= 0 && AccountFlags.isSet(accounts.flags(slot), AccountFlags.HISTORY)) {
            scan(filter, slot, (store, address, sequence) -> result.add(new AccountBalance(transfers.timestamp(sequence),
                store.getLong(address + 8), store.getLong(address + 16), store.getLong(address + 24),
                store.getLong(address + 32))));
        }
        return result;
    }

    /** Receives each matching list entry (the entry's address in its store and the transfer's sequence). */
    private interface EntryVisitor {
        void visit(BlockLists store, long entryAddress, long sequence);
    }

    private void scan(AccountFilter filter, int slot, EntryVisitor visitor) {
        BlockLists store = lists.store(AccountFlags.isSet(accounts.flags(slot), AccountFlags.HISTORY));
        long head = accounts.get(slot, AccountStore.TRANSFER_LIST_HEAD);
        long minimum = filter.timestampMin() == 0 ? 1 : filter.timestampMin();
        long maximum = filter.timestampMax() == 0 ? Long.MAX_VALUE : filter.timestampMax();
        int limit = Math.min(filter.limit(), AccountFilter.LIMIT_MAX);
        EntryMatcher matcher = new EntryMatcher(filter, accounts.get(slot, AccountStore.ID_LOW),
            accounts.get(slot, AccountStore.ID_HIGH), minimum, maximum);
        if (filter.reversed()) {
            scanNewestFirst(store, head, matcher, limit, visitor);
        } else {
            scanOldestFirst(store, head, matcher, limit, visitor);
        }
    }

    private void scanNewestFirst(BlockLists store, long head, EntryMatcher matcher, int limit, EntryVisitor visitor) {
        int found = 0;
        long block = BlockLists.block(head);
        int count = BlockLists.count(head);
        while (block != 0 && found < limit) {
            for (int entry = count - 1; entry >= 0 && found < limit; entry--) {
                long address = store.entryAddress(block, entry);
                long sequence = store.getLong(address);
                long timestamp = transfers.timestamp(sequence);
                if (timestamp < matcher.minimum) {
                    return;
                }
                if (matcher.matches(sequence, timestamp)) {
                    visitor.visit(store, address, sequence);
                    found++;
                }
            }
            block = store.previousBlock(block);
            count = store.entriesPerBlock();
        }
    }

    private void scanOldestFirst(BlockLists store, long head, EntryMatcher matcher, int limit, EntryVisitor visitor) {
        long[] blocks = blocksBackToMinimum(store, head, matcher.minimum);
        int found = 0;
        for (int i = blocks.length - 1; i >= 0 && found < limit; i--) {
            long block = blocks[i];
            int count = i == 0 ? BlockLists.count(head) : store.entriesPerBlock();
            for (int entry = 0; entry < count && found < limit; entry++) {
                long address = store.entryAddress(block, entry);
                long sequence = store.getLong(address);
                long timestamp = transfers.timestamp(sequence);
                if (timestamp > matcher.maximum) {
                    return;
                }
                if (matcher.matches(sequence, timestamp)) {
                    visitor.visit(store, address, sequence);
                    found++;
                }
            }
        }
    }

    /** The blocks from the head back to the first one that starts before {@code minimum}, newest first. */
    private long[] blocksBackToMinimum(BlockLists store, long head, long minimum) {
        long[] blocks = new long[16];
        int size = 0;
        long block = BlockLists.block(head);
        while (block != 0) {
            if (size == blocks.length) {
                blocks = Arrays.copyOf(blocks, size * 2);
            }
            blocks[size++] = block;
            if (transfers.timestamp(store.getLong(store.entryAddress(block, 0))) < minimum) {
                break;
            }
            block = store.previousBlock(block);
        }
        return Arrays.copyOf(blocks, size);
    }

    private PendingStatus pendingStatus(long sequence) {
        return state.pendingTransfers().status(sequence);
    }

    private Uint128 id128(long sequence, int fieldOffset) {
        return new Uint128(transfers.getLong(sequence, fieldOffset + 8), transfers.getLong(sequence, fieldOffset));
    }

    /** The filter's predicates over one transfer on the queried account. */
    private final class EntryMatcher {
        private final AccountFilter filter;
        private final long accountIdLow;
        private final long accountIdHigh;
        private final long minimum;
        private final long maximum;

        EntryMatcher(AccountFilter filter, long accountIdLow, long accountIdHigh, long minimum, long maximum) {
            this.filter = filter;
            this.accountIdLow = accountIdLow;
            this.accountIdHigh = accountIdHigh;
            this.minimum = minimum;
            this.maximum = maximum;
        }

        boolean matches(long sequence, long timestamp) {
            if (timestamp < minimum || timestamp > maximum) {
                return false;
            }
            boolean debit = transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID) == accountIdLow
                && transfers.getLong(sequence, TransferLayout.DEBIT_ACCOUNT_ID + 8) == accountIdHigh;
            if (debit ? !filter.debits() : !filter.credits()) {
                return false;
            }
            return matchesUserDataAndCode(sequence);
        }

        private boolean matchesUserDataAndCode(long sequence) {
            Uint128 userData128 = filter.userData128();
            if (!userData128.isZero() && (transfers.getLong(sequence, TransferLayout.USER_DATA_128) != userData128.low()
                || transfers.getLong(sequence, TransferLayout.USER_DATA_128 + 8) != userData128.high())) {
                return false;
            }
            if (filter.userData64() != 0 && transfers.getLong(sequence, TransferLayout.USER_DATA_64) != filter.userData64()) {
                return false;
            }
            if (filter.userData32() != 0 && transfers.userData32(sequence) != filter.userData32()) {
                return false;
            }
            return filter.code() == 0 || transfers.code(sequence) == filter.code();
        }
    }
}
