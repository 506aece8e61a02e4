package com.fanzfinance.server.payments.posting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * {@link LedgerPort} over the server's {@link LedgerEngine}: commands go through the journal like the HTTP
 * API's. Accounts are created scoped to their tenant (one 4-byte tenant number per account, then the scope of
 * that one tenant), as {@code LedgerRoutes} does for a tenant's key, so tenant quotas and id ownership hold for
 * payments as for everyone; transfers are unscoped, as the accounts they name were just checked.
 *
 * <p>Finding open holds has no index: {@link #read} pages through the hold account's credits of the hold code
 * (newest first, {@link AccountFilter#LIMIT_MAX} a page) back to the start of the window, on the engine's
 * business thread so that balances and holds are one consistent instant. The cost is one record per hold and
 * void on that creator's reserve account within the window (a hold lives at most 365 days); it holds up other
 * commands for that long, which is fine for creators with up to some ten thousand holds a year.
 */
public final class EngineLedgerPort implements LedgerPort {
    private final Ledger engine;

    public EngineLedgerPort(Ledger engine) {
        this.engine = engine;
    }

    @Override
    public List<CreateAccountStatus> createAccounts(int tenantNumber, List<PlannedAccount> accounts) {
        int count = accounts.size();
        UnsafeBuffer records = new UnsafeBuffer(new byte[count * 128]);
        UnsafeBuffer tenants = new UnsafeBuffer(new byte[(count + 1) * Integer.BYTES]);
        List<Integer> events = new ArrayList<>(count);
        List<byte[]> metadata = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Records.encode(accounts.get(i).toAccount(tenantNumber), records, i * 128);
            tenants.putInt(i * Integer.BYTES, tenantNumber);
            events.add(i);
            metadata.add(PaymentAccounts.metadata(accounts.get(i)));
        }
        tenants.putInt(count * Integer.BYTES, tenantNumber);
        UnsafeBuffer side = SideData.encode(events, metadata);
        UnsafeBuffer results = new UnsafeBuffer(new byte[count * ResultLayout.SIZE]);
        requireApplied(LedgerEngine.join(engine.submitAccounts(records, 0, count, tenants, 0, 1, side, 0,
            side.capacity(), results, 0)));
        List<CreateAccountStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            statuses.add(CreateAccountStatus.ofCode(status(results, i)));
        }
        return statuses;
    }

    @Override
    public List<CreateTransferStatus> createTransfers(List<Transfer> transfers) {
        int count = transfers.size();
        UnsafeBuffer records = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            Records.encode(transfers.get(i), records, i * 128);
        }
        UnsafeBuffer results = new UnsafeBuffer(new byte[count * ResultLayout.SIZE]);
        requireApplied(LedgerEngine.join(engine.submitTransfers(records, 0, count, null, 0, 0, results, 0)));
        List<CreateTransferStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            statuses.add(CreateTransferStatus.ofCode(status(results, i)));
        }
        return statuses;
    }

    @Override
    public List<Optional<Transfer>> lookupTransfers(List<Uint128> ids) {
        return engine.read(machine -> ids.stream().map(id -> Optional.ofNullable(machine.lookupTransfer(id))).toList());
    }

    @Override
    public Reading read(List<Uint128> accountIds, Uint128 holdAccountId, int holdCode, long holdWindowNanos) {
        long clock = engine.clockNanos();
        return engine.read(machine -> {
            long now = Math.max(clock, machine.lastTimestamp());
            Map<Uint128, Account> accounts = new HashMap<>();
            for (Uint128 id : accountIds) {
                Account account = machine.lookupAccount(id);
                if (account != null) {
                    accounts.put(id, account);
                }
            }
            return new Reading(now, accounts, openHolds(machine, holdAccountId, holdCode, Math.max(0, now - holdWindowNanos)));
        });
    }

    private static List<Transfer> openHolds(StateMachine machine, Uint128 accountId, int code, long since) {
        List<Transfer> open = new ArrayList<>();
        AccountFilter filter = new AccountFilter(accountId, Uint128.ZERO, 0, 0, code, since, 0, AccountFilter.LIMIT_MAX,
            false, true, true);
        while (true) {
            List<Transfer> page = machine.accountTransfers(filter);
            for (Transfer transfer : page) {
                if (transfer.has(TransferFlags.PENDING) && transfer.pendingStatus() == PendingStatus.PENDING) {
                    open.add(transfer);
                }
            }
            if (page.size() < AccountFilter.LIMIT_MAX) {
                return open;
            }
            long before = page.get(page.size() - 1).timestamp() - 1;
            if (before < Math.max(since, 1)) {
                return open;
            }
            filter = filter.withTimestamps(since, before);
        }
    }

    private static void requireApplied(CommandOutcome outcome) {
        if (outcome != CommandOutcome.APPLIED) {
            throw new LedgerCommandRefusedException(outcome);
        }
    }

    private static long status(UnsafeBuffer results, int index) {
        return results.getInt(index * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL;
    }
}
