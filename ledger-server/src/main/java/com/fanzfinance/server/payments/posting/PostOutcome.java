package com.fanzfinance.server.payments.posting;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/** What posting a plan came to: every leg is in the ledger, or none is and the ledger said why. */
public sealed interface PostOutcome permits PostOutcome.Posted, PostOutcome.Refused {
    /**
     * Every leg is in the ledger, as planned.
     *
     * @param transferIds   the plan's transfer ids, in order (the event's {@code transfer_ids})
     * @param alreadyPosted true if an earlier post of the same plan had put them there (a retry)
     */
    record Posted(List<UUID> transferIds, boolean alreadyPosted) implements PostOutcome {
        public Posted {
            transferIds = List.copyOf(transferIds);
        }
    }

    /**
     * Nothing of the plan was posted. Either an account could not be made ({@code accounts} lists those, and
     * {@code legs} is empty), or the chain failed ({@code legs} has every leg's status: the one that failed
     * and {@code linked_event_failed} for the others).
     */
    record Refused(List<AccountRefusal> accounts, List<LegStatus> legs) implements PostOutcome {
        /** Statuses that depend on balances or holds that may have moved since the plan was made. */
        private static final Set<CreateTransferStatus> STALE = EnumSet.of(CreateTransferStatus.EXCEEDS_CREDITS,
            CreateTransferStatus.EXCEEDS_DEBITS, CreateTransferStatus.ID_ALREADY_FAILED,
            CreateTransferStatus.PENDING_TRANSFER_EXPIRED, CreateTransferStatus.PENDING_TRANSFER_ALREADY_VOIDED,
            CreateTransferStatus.PENDING_TRANSFER_ALREADY_POSTED, CreateTransferStatus.PENDING_TRANSFER_NOT_FOUND);

        public Refused {
            accounts = List.copyOf(accounts);
            legs = List.copyOf(legs);
        }

        /**
         * True if planning again from a fresh {@link CreatorPosition}, with {@link EventIdentity#nextVersion()},
         * may succeed: the plan lost a race with another posting for the creator (or a hold expired meanwhile).
         */
        public boolean replannable() {
            return accounts.isEmpty() && legs.stream().anyMatch(leg -> STALE.contains(leg.status()));
        }
    }

    record LegStatus(String leg, UUID transferId, CreateTransferStatus status) {
    }

    record AccountRefusal(UUID accountId, PaymentRole role, String party, CreateAccountStatus status) {
    }
}
