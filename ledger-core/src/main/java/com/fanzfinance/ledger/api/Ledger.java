package com.fanzfinance.ledger.api;

import java.util.List;
import java.util.Optional;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntries;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The ledger as a Java program embeds it: create accounts, transfers and journal entries; look them up;
 * query an account's transfers and balance history. Safe to call from any thread; calls are applied
 * one at a time, in the order they reach the ledger.
 *
 * <p>Per-event outcomes are statuses ({@link CreateAccountStatus}, {@link CreateTransferStatus}), never
 * exceptions. Exceptions mean a broken precondition: a batch over {@link #BATCH_EVENTS_MAX} events
 * ({@link IllegalArgumentException}), a ledger at its configured capacity ({@link LedgerFullException}),
 * or a closed ledger.
 */
public interface Ledger extends AutoCloseable {
    int BATCH_EVENTS_MAX = com.fanzfinance.ledger.config.StateMachineConfig.BATCH_EVENTS_MAX;

    List<CreateResult<CreateAccountStatus>> createAccounts(List<Account> accounts);

    List<CreateResult<CreateTransferStatus>> createTransfers(List<Transfer> transfers);

    /** Applies journal entries as linked chains of transfers; all legs of all entries form one batch. */
    default List<JournalEntryResult> createEntries(List<JournalEntry> entries) {
        JournalEntries expanded = JournalEntries.expand(entries);
        return expanded.results(createTransfers(expanded.transfers()));
    }

    Optional<Account> lookupAccount(Uint128 id);

    Optional<Transfer> lookupTransfer(Uint128 id);

    List<Transfer> accountTransfers(AccountFilter filter);

    List<AccountBalance> accountBalances(AccountFilter filter);

    @Override
    void close();
}
