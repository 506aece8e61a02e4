package com.fanzfinance.server.payments.posting;

import java.util.Objects;
import java.util.UUID;

import com.fanzfinance.gateway.PaymentKind;

/**
 * Everything {@link PostingPlanner} needs to plan one money event; build it with {@link #charge} or
 * {@link #reversal}.
 *
 * @param identity  the merchant account, dedupe key and plan version the transfer ids derive from; the merchant
 *                  account is also the party of the processor accounts
 * @param eventId   the payment event's id, carried by every transfer as {@code user_data_128}
 * @param tenant    the tenant's slug (account ids derive from it)
 * @param ledger    the currency's ledger (USD 840, …)
 * @param processor the processor's name ({@code ccbill} … {@code coinpayments})
 * @param creator   the creator id
 * @param referrer  the referrer id, or null; a reversal passes its parent's
 * @param kind      a money-moving kind
 * @param amount    the event's own amount in minor units, positive (a reversal's A; a void's equals the parent's gross)
 * @param fees      the merchant account's fees
 * @param shares    the shares in force, for a sale or rebill; null for reversals (they use the parent's)
 * @param parent    the parent sale, for reversals; null for a sale or rebill
 * @param position  the creator's balances and open holds, read just before planning
 */
public record PostingRequest(EventIdentity identity, UUID eventId, String tenant, int ledger, String processor,
                             String creator, String referrer, PaymentKind kind, long amount, Fees fees, Shares shares,
                             Parent parent, CreatorPosition position) {
    public PostingRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(position, "position");
        PaymentRole.processorNumber(processor);
        if (amount <= 0) {
            throw new IllegalArgumentException("an event's amount is positive, was " + amount);
        }
        if (!kind.movesMoney()) {
            throw new IllegalArgumentException(kind.wireName() + " moves no money");
        }
        if (kind.isCharge()) {
            if (shares == null || parent != null) {
                throw new IllegalArgumentException("a " + kind.wireName() + " takes shares and no parent");
            }
        } else {
            if (shares != null || parent == null) {
                throw new IllegalArgumentException("a " + kind.wireName() + " takes its parent (with its shares), not"
                    + " shares of its own");
            }
            if (amount > parent.gross()) {
                throw new IllegalArgumentException("a reversal never exceeds its parent's gross");
            }
            if (kind == PaymentKind.VOID && (amount != parent.gross() || parent.plan() == null)) {
                throw new IllegalArgumentException("a void is of the full gross and needs the parent's plan");
            }
        }
    }

    /** A sale or rebill of {@code gross} split at {@code shares}. */
    public static PostingRequest charge(EventIdentity identity, UUID eventId, String tenant, int ledger,
                                        String processor, String creator, String referrer, PaymentKind kind,
                                        long gross, Fees fees, Shares shares, CreatorPosition position) {
        return new PostingRequest(identity, eventId, tenant, ledger, processor, creator, referrer, kind, gross, fees,
            shares, null, position);
    }

    /** A refund, chargeback, chargeback reversal or void of {@code amount} of {@code parent}. */
    public static PostingRequest reversal(EventIdentity identity, UUID eventId, String tenant, int ledger,
                                          String processor, String creator, String referrer, PaymentKind kind,
                                          long amount, Fees fees, Parent parent, CreatorPosition position) {
        return new PostingRequest(identity, eventId, tenant, ledger, processor, creator, referrer, kind, amount, fees,
            null, parent, position);
    }

    /** The shares this event splits at: its own for a charge, its parent's for a reversal. */
    public Shares effectiveShares() {
        return shares != null ? shares : parent.shares();
    }
}
