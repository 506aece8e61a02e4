package com.fanzfinance.server.payments;

import java.util.List;
import java.util.UUID;

import com.fanzfinance.gateway.PaymentKind;

/**
 * What the intake needs from the posting templates: a plan for an event (written to the database before it is
 * posted) and the posting of a stored plan, which is idempotent because every transfer id derives from the event.
 */
public interface Posting {

    /** Everything a template needs about one money event. {@code parent} is null for a sale or rebill. */
    record Input(UUID eventId, UUID merchantAccountId, String dedupeKey, int version, String tenant, int ledger,
                 String processor, String creator, String referrer, PaymentKind kind, long gross,
                 MerchantAccounts.Fees fees, int platformBp, int referralBp, int reserveBp, int reserveDays, Parent parent) {
    }

    /** The charge a reversal reverses: its event, gross, shares and stored plan. */
    record Parent(UUID eventId, long gross, int platformBp, int referralBp, String referrer, String planJson) {
    }

    /** The plan for {@code input} as JSON; reads the balances the shortfall rule needs. */
    String plan(Input input);

    /** Posts a stored plan (accounts first, then the linked chain); a repeat answers the same transfers. */
    Outcome post(String tenant, String planJson);

    /** What posting did. */
    sealed interface Outcome {
        /** Every leg is in the ledger (now or before): the transfer ids in order. */
        record Posted(List<String> transferIds) implements Outcome {
        }

        /** The ledger refused the chain; nothing of it is applied. */
        record Refused(String detail, boolean balanceChanged) implements Outcome {
        }
    }

    /** The ledger cannot take commands now (busy, recovering, stopped): retry later. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
