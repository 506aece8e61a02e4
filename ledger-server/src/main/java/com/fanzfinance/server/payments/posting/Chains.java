package com.fanzfinance.server.payments.posting;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;

/**
 * Linked chains of transfers whose ids derive from what they record, so that submitting one again (after a crash,
 * or by two callers at once) meets the transfers the first submission made and changes nothing.
 */
public final class Chains {
    private Chains() {
    }

    /** The answer to a submission: done (now or before), or refused by the ledger with nothing applied. */
    public record Outcome(boolean done, CreateTransferStatus refusal, List<UUID> transferIds) {
    }

    /** The legs with {@code linked} set on all but the last: one all-or-nothing chain. */
    public static List<Transfer> linked(List<Transfer> legs) {
        List<Transfer> chain = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            Transfer leg = legs.get(i);
            int flags = i < legs.size() - 1 ? leg.flags() | com.fanzfinance.ledger.command.TransferFlags.LINKED : leg.flags();
            chain.add(new Transfer(leg.id(), leg.debitAccountId(), leg.creditAccountId(), leg.amount(), leg.pendingId(),
                leg.userData128(), leg.userData64(), leg.userData32(), leg.timeout(), leg.ledger(), leg.code(), flags, 0,
                PendingStatus.NONE));
        }
        return chain;
    }

    /**
     * Submits the chain; when not every leg is created now, it is done if every leg is already in the ledger
     * (an earlier submission made it), else refused with the first leg's own status.
     */
    public static Outcome submit(LedgerPort ledger, List<Transfer> chain) {
        List<CreateTransferStatus> statuses = ledger.createTransfers(chain);
        List<UUID> ids = chain.stream().map(transfer -> Uuid5.toUuid(transfer.id())).toList();
        if (statuses.stream().allMatch(status -> status == CreateTransferStatus.CREATED)) {
            return new Outcome(true, null, ids);
        }
        List<Optional<Transfer>> recorded = ledger.lookupTransfers(chain.stream().map(Transfer::id).toList());
        if (recorded.stream().allMatch(Optional::isPresent)) {
            return new Outcome(true, null, ids);
        }
        CreateTransferStatus first = statuses.stream().filter(status -> status != CreateTransferStatus.CREATED
            && status != CreateTransferStatus.LINKED_EVENT_FAILED).findFirst().orElse(statuses.get(0));
        return new Outcome(false, first, ids);
    }
}
