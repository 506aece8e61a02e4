package com.fanzfinance.ledger.api;

import java.util.List;
import java.util.Optional;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.engine.LedgerEngine;

/**
 * The ledger embedded with its journal: every create call returns only once its command is durable (under
 * the configured durability) and applied; a restart recovers everything acknowledged. Typed calls over
 * {@link LedgerEngine}; use the engine directly for allocation-free batches.
 */
public final class DurableLedger implements Ledger {
    private final LedgerEngine engine;

    private DurableLedger(LedgerEngine engine) {
        this.engine = engine;
    }

    /** Opens (recovering) the ledger whose data lives under the config's data directory. */
    public static DurableLedger open(EngineConfig config) {
        return new DurableLedger(LedgerEngine.open(config));
    }

    public LedgerEngine engine() {
        return engine;
    }

    @Override
    public List<CreateResult<CreateAccountStatus>> createAccounts(List<Account> accounts) {
        Batches.requireBatchSize(accounts.size());
        UnsafeBuffer records = new UnsafeBuffer(new byte[accounts.size() * 128]);
        UnsafeBuffer tenants = new UnsafeBuffer(new byte[accounts.size() * Integer.BYTES]);
        UnsafeBuffer results = new UnsafeBuffer(new byte[accounts.size() * 16]);
        Batches.encodeAccounts(accounts, records, tenants);
        Batches.requireApplied(LedgerEngine.join(engine.submitAccounts(records, 0, accounts.size(), tenants, 0, null, 0, 0,
            results, 0)));
        return Batches.accountResults(results, accounts.size());
    }

    @Override
    public List<CreateResult<CreateTransferStatus>> createTransfers(List<Transfer> transfers) {
        Batches.requireBatchSize(transfers.size());
        UnsafeBuffer records = new UnsafeBuffer(new byte[transfers.size() * 128]);
        UnsafeBuffer results = new UnsafeBuffer(new byte[transfers.size() * 16]);
        Batches.encodeTransfers(transfers, records);
        Batches.requireApplied(LedgerEngine.join(engine.submitTransfers(records, 0, transfers.size(), null, 0, 0, results,
            0)));
        return Batches.transferResults(results, transfers.size());
    }

    @Override
    public Optional<Account> lookupAccount(Uint128 id) {
        return Optional.ofNullable(engine.read(machine -> machine.lookupAccount(id)));
    }

    @Override
    public Optional<Transfer> lookupTransfer(Uint128 id) {
        return Optional.ofNullable(engine.read(machine -> machine.lookupTransfer(id)));
    }

    @Override
    public List<Transfer> accountTransfers(AccountFilter filter) {
        return engine.read(machine -> machine.accountTransfers(filter));
    }

    @Override
    public List<AccountBalance> accountBalances(AccountFilter filter) {
        return engine.read(machine -> machine.accountBalances(filter));
    }

    @Override
    public void close() {
        engine.close();
    }
}
