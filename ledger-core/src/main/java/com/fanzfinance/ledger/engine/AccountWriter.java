package com.fanzfinance.ledger.engine;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.AccountTransferLists;
import com.fanzfinance.ledger.state.LedgerState;

/**
 * The only way the engine changes an existing account: every write goes through here so that an open
 * linked chain can record the old value first.
 */
final class AccountWriter {
    private final AccountStore accounts;
    private final AccountTransferLists lists;
    private final LinkedChain chain;

    AccountWriter(LedgerState state, LinkedChain chain) {
        this.accounts = state.accounts();
        this.lists = state.accountTransferLists();
        this.chain = chain;
    }

    void set(int slot, int field, long value) {
        if (chain.isOpen()) {
            chain.recordAccountField(slot, field, accounts.get(slot, field));
        }
        accounts.set(slot, field, value);
    }

    /** Adds {@code amount} to a balance; callers have already ruled out overflow (asserted here). */
    void add(int slot, int field, long amount) {
        long before = accounts.get(slot, field);
        assert !Amounts.sumOverflows(amount, before) : "balance overflow slipped past the checks";
        set(slot, field, before + amount);
    }

    void subtract(int slot, int field, long amount) {
        long before = accounts.get(slot, field);
        assert before >= amount : "balance would go negative";
        set(slot, field, before - amount);
    }

    void setClosed(int slot, boolean closed) {
        long packed = accounts.get(slot, AccountStore.LEDGER_CODE_FLAGS);
        long bit = (long) AccountFlags.CLOSED << 48;
        set(slot, AccountStore.LEDGER_CODE_FLAGS, closed ? packed | bit : packed & ~bit);
    }

    /** Appends transfer {@code sequence} to the account's list, with its balances now if it keeps history. */
    void appendToTransferList(int slot, long sequence) {
        long head = accounts.get(slot, AccountStore.TRANSFER_LIST_HEAD);
        long newHead;
        if (AccountFlags.isSet(accounts.flags(slot), AccountFlags.HISTORY)) {
            newHead = lists.appendWithBalances(head, sequence,
                accounts.get(slot, AccountStore.DEBITS_PENDING), accounts.get(slot, AccountStore.DEBITS_POSTED),
                accounts.get(slot, AccountStore.CREDITS_PENDING), accounts.get(slot, AccountStore.CREDITS_POSTED));
        } else {
            newHead = lists.appendTransfer(head, sequence);
        }
        set(slot, AccountStore.TRANSFER_LIST_HEAD, newHead);
    }
}
