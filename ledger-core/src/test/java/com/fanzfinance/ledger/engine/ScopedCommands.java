package com.fanzfinance.ledger.engine;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;

/** Submits account and transfer batches with a tenant scope, the way the server does for a tenant's key. */
final class ScopedCommands {
    private ScopedCommands() {
    }

    /** What a command decided: its outcome and its results. */
    record Decided(CommandOutcome outcome, UnsafeBuffer results, int count) {
        CreateTransferStatus transferStatus(int event) {
            return CreateTransferStatus.ofCode(results.getInt(event * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL);
        }

        CreateAccountStatus accountStatus(int event) {
            return CreateAccountStatus.ofCode(results.getInt(event * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL);
        }

        int markedEvent() {
            return StateMachine.forbiddenEventIn(results, 0, count);
        }
    }

    /** Accounts in the tenants they carry, by a caller allowed {@code scope} (empty: any tenant). */
    static Decided accounts(LedgerEngine engine, int[] scope, Account... accounts) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[accounts.length * 128]);
        UnsafeBuffer tenants = new UnsafeBuffer(new byte[(accounts.length + scope.length) * 4]);
        for (int i = 0; i < accounts.length; i++) {
            Records.encode(accounts[i], records, i * 128);
            tenants.putInt(i * 4, accounts[i].tenant());
        }
        for (int i = 0; i < scope.length; i++) {
            tenants.putInt((accounts.length + i) * 4, scope[i]);
        }
        UnsafeBuffer results = new UnsafeBuffer(new byte[accounts.length * 16]);
        CommandOutcome outcome = LedgerEngine.join(engine.submitAccounts(records, 0, accounts.length, tenants, 0,
            scope.length, null, 0, 0, results, 0));
        return new Decided(outcome, results, accounts.length);
    }

    /** Transfers by a caller allowed {@code scope} (empty: any tenant). */
    static Decided transfers(LedgerEngine engine, int[] scope, Transfer... transfers) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[transfers.length * 128]);
        for (int i = 0; i < transfers.length; i++) {
            Records.encode(transfers[i], records, i * 128);
        }
        UnsafeBuffer tenants = new UnsafeBuffer(new byte[Math.max(4, scope.length * 4)]);
        for (int i = 0; i < scope.length; i++) {
            tenants.putInt(i * 4, scope[i]);
        }
        UnsafeBuffer results = new UnsafeBuffer(new byte[transfers.length * 16]);
        CommandOutcome outcome = LedgerEngine.join(engine.submitTransfers(records, 0, transfers.length, tenants, 0,
            scope.length, null, 0, 0, results, 0));
        return new Decided(outcome, results, transfers.length);
    }

    static int[] scope(int... tenants) {
        return tenants;
    }
}
