package com.fanzfinance.server.payments.posting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * What the payments spine asks of the ledger: make a tenant's accounts, post transfers, and read balances
 * and open holds. A seam so that posting can be tested against a real ledger and the server can pass its
 * engine.
 *
 * <p>Methods throw {@link LedgerCommandRefusedException} when the ledger refuses a whole command (full, tenant
 * quota, an id owned by another tenant); the engine's own exceptions (busy, failed) pass through.
 */
public interface LedgerPort {
    /**
     * Creates the accounts in tenant {@code tenantNumber}, scoped to it (its quota applies, and an id held by
     * another tenant's account refuses the command), each with its {role, party} metadata.
     *
     * @return one status per account, in order
     */
    List<CreateAccountStatus> createAccounts(int tenantNumber, List<PlannedAccount> accounts);

    /** Submits the transfers as one batch. @return one status per transfer, in order */
    List<CreateTransferStatus> createTransfers(List<Transfer> transfers);

    /** Looks the transfers up, in order; empty where there is none. */
    List<Optional<Transfer>> lookupTransfers(List<Uint128> ids);

    /**
     * Reads, at one instant, the accounts named (those that exist) and the open holds on {@code holdAccountId}:
     * its pending credits of code {@code holdCode} neither posted, voided nor expired, created within the last
     * {@code holdWindowNanos}, newest first.
     */
    Reading read(List<Uint128> accountIds, Uint128 holdAccountId, int holdCode, long holdWindowNanos);

    /**
     * @param nowNanos the ledger's time of the reading (its clock, never before its last timestamp)
     */
    record Reading(long nowNanos, Map<Uint128, Account> accounts, List<Transfer> openHolds) {
        public Reading {
            accounts = Map.copyOf(accounts);
            openHolds = List.copyOf(openHolds);
        }
    }
}
