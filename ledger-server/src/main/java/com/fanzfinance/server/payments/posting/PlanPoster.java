package com.fanzfinance.server.payments.posting;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Posts a {@link PostingPlan}: makes its accounts (one that exists is fine; one that exists with other
 * flags, code or ledger refuses the plan), then submits its chain as one batch.
 *
 * <p>Idempotent: posting a plan again, after a crash or on a processor's retry, meets the transfers the first
 * post made. The ledger then answers {@code exists} for the first leg and {@code linked_event_failed} for the
 * rest (a chain stops at its first non-created leg), so the poster looks every leg up and answers
 * {@link PostOutcome.Posted} with {@code alreadyPosted} if each is there exactly as planned.
 *
 * <p>A {@link PostOutcome.Refused} plan posted nothing. The server must not plan the event again with the same
 * version; if {@link PostOutcome.Refused#replannable()}, it may plan it with the next version from a fresh
 * position, store that plan, and post it. Because a stored plan is always posted again before any replanning,
 * at most one version of an event's plan can ever be in the ledger.
 */
public final class PlanPoster {
    /** Accounts remembered as made; past this many the memory starts over (the ledger answers {@code exists}). */
    static final int KNOWN_ACCOUNTS_MAX = 1_000_000;

    private final LedgerPort ledger;
    /**
     * Accounts this poster has seen made (or found) exactly as planned: ledger accounts never change, so a plan
     * whose accounts are all here skips the account command, one journal write fewer per event.
     */
    private final java.util.Set<Known> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An account made for a tenant: another tenant's plan naming it still goes through the ledger's checks. */
    private record Known(int tenantNumber, java.util.UUID account) {
    }

    public PlanPoster(LedgerPort ledger) {
        this.ledger = ledger;
    }

    /** Posts {@code plan} for the tenant whose ledger number is {@code tenantNumber}. */
    public PostOutcome post(int tenantNumber, PostingPlan plan) {
        if (plan.transfers().isEmpty()) {
            return new PostOutcome.Posted(List.of(), false);
        }
        List<PlannedAccount> unknown = plan.accounts().stream().filter(account -> !known.contains(new Known(tenantNumber, account.id()))).toList();
        List<CreateAccountStatus> accountStatuses = unknown.isEmpty() ? List.of() : ledger.createAccounts(tenantNumber, unknown);
        List<PostOutcome.AccountRefusal> refusals = new ArrayList<>();
        for (int i = 0; i < accountStatuses.size(); i++) {
            CreateAccountStatus status = accountStatuses.get(i);
            PlannedAccount account = unknown.get(i);
            if (status != CreateAccountStatus.CREATED && status != CreateAccountStatus.EXISTS) {
                refusals.add(new PostOutcome.AccountRefusal(account.id(), account.role(), account.party(), status));
            } else {
                if (known.size() >= KNOWN_ACCOUNTS_MAX) {
                    known.clear();
                }
                known.add(new Known(tenantNumber, account.id()));
            }
        }
        if (!refusals.isEmpty()) {
            return new PostOutcome.Refused(refusals, List.of());
        }
        List<Transfer> transfers = plan.transfers().stream().map(PlannedTransfer::toTransfer).toList();
        List<CreateTransferStatus> statuses = ledger.createTransfers(transfers);
        if (statuses.stream().allMatch(status -> status == CreateTransferStatus.CREATED)) {
            return new PostOutcome.Posted(plan.transferIds(), false);
        }
        if (allRecordedAsPlanned(plan, transfers)) {
            return new PostOutcome.Posted(plan.transferIds(), true);
        }
        List<PostOutcome.LegStatus> legs = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            PlannedTransfer leg = plan.transfers().get(i);
            legs.add(new PostOutcome.LegStatus(leg.leg(), leg.id(), statuses.get(i)));
        }
        return new PostOutcome.Refused(List.of(), legs);
    }

    private boolean allRecordedAsPlanned(PostingPlan plan, List<Transfer> transfers) {
        List<Uint128> ids = transfers.stream().map(Transfer::id).toList();
        List<Optional<Transfer>> recorded = ledger.lookupTransfers(ids);
        for (int i = 0; i < ids.size(); i++) {
            if (recorded.get(i).isEmpty() || !plan.transfers().get(i).matches(recorded.get(i).get())) {
                return false;
            }
        }
        return true;
    }
}
