package com.fanzfinance.server.payments.posting;

import static com.fanzfinance.server.payments.posting.PaymentRole.CHARGEBACK_EXPENSE;
import static com.fanzfinance.server.payments.posting.PaymentRole.CREATOR_PAYABLE;
import static com.fanzfinance.server.payments.posting.PaymentRole.CREATOR_RECEIVABLE;
import static com.fanzfinance.server.payments.posting.PaymentRole.CREATOR_RESERVE;
import static com.fanzfinance.server.payments.posting.PaymentRole.PLATFORM_FEES;
import static com.fanzfinance.server.payments.posting.PaymentRole.PROCESSOR_FEES;
import static com.fanzfinance.server.payments.posting.PaymentRole.PROCESSOR_RECEIVABLE;
import static com.fanzfinance.server.payments.posting.PaymentRole.REFERRAL_EXPENSE;
import static com.fanzfinance.server.payments.posting.PaymentRole.REFERRAL_PAYABLE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * Turns a money event into its ledger postings, by the templates of PAYMENTS-API §5. Pure: the same
 * request always gives the same plan (ids included), so planning again after a crash cannot post twice.
 *
 * <p>Each template's entry is carried out as two-account transfers, one per fact, which together move
 * exactly the template's amounts on every account. A sale of G with fee F, platform share P, creator share C
 * (of which {@code repay} goes to creator_receivable) and referral R is:
 * <pre>
 *   fee       Dr processor_fees        Cr processor_receivable   F
 *   creator   Dr processor_receivable  Cr creator_payable        C − repay
 *   repay     Dr processor_receivable  Cr creator_receivable     repay
 *   platform  Dr processor_receivable  Cr platform_fees          P
 *   referral  Dr referral_expense      Cr referral_payable       R
 *   reserve   Dr creator_payable       Cr creator_reserve        H   (pending, code 120, timeout reserve_days)
 * </pre>
 * so processor_receivable moves G − F net (a credit of F − G when the fee exceeds the gross, with no special
 * case). Legs of zero are left out; the ledger would take them, but they record nothing. All legs form one
 * linked chain: all or nothing.
 *
 * <p>Decisions the contract leaves open:
 * <ul>
 *   <li>H is capped at what this sale credits to creator_payable (C − repay): the hold must never draw on
 *       older money, or it could fail the chain;</li>
 *   <li>a reversal's referral leg takes back at most the referrer's available referral_payable (that account
 *       may not go negative); the platform bears what was already paid out;</li>
 *   <li>a chargeback charges the merchant account's {@code chargeback} fee, not also its {@code refund} fee;</li>
 *   <li>voids of reserve holds carry code 120 (the ledger requires a void's code to be the hold's) and
 *       release the whole hold, even where less would cover the shortfall;</li>
 *   <li>a chargeback reversal is split anew at the parent's shares (equal to the chargeback's split when it is
 *       of the same amount); its creator share repays creator_receivable first, like a sale's.</li>
 * </ul>
 */
public final class PostingPlanner {
    /** The code of reserve holds and of their voids. */
    public static final int RESERVE_CODE = 120;

    private PostingPlanner() {
    }

    public static PostingPlan plan(PostingRequest request) {
        Chain chain = new Chain(request);
        switch (request.kind()) {
            case SALE, REBILL -> charge(request, chain);
            case REFUND, CHARGEBACK -> refundOrChargeback(request, chain);
            case CHARGEBACK_REVERSAL -> chargebackReversal(request, chain);
            case VOID -> voidParent(request, chain);
            default -> throw new IllegalArgumentException(request.kind().wireName() + " has no posting template");
        }
        return chain.build();
    }

    private static void charge(PostingRequest request, Chain chain) {
        Shares shares = request.shares();
        long gross = request.amount();
        long platform = shares.platform(gross);
        long creator = gross - platform;
        long referral = request.referrer() == null ? 0 : shares.referral(gross);
        long repay = Math.min(creator, request.position().receivableDebitBalance());
        long hold = Math.min(shares.reserve(creator), creator - repay);
        chain.move("fee", PROCESSOR_FEES, PROCESSOR_RECEIVABLE, request.fees().processing(gross));
        chain.move("creator", PROCESSOR_RECEIVABLE, CREATOR_PAYABLE, creator - repay);
        chain.move("repay", PROCESSOR_RECEIVABLE, CREATOR_RECEIVABLE, repay);
        chain.move("platform", PROCESSOR_RECEIVABLE, PLATFORM_FEES, platform);
        chain.move("referral", REFERRAL_EXPENSE, REFERRAL_PAYABLE, referral);
        chain.hold("reserve", hold, shares.reserveTimeoutSeconds());
    }

    private static void refundOrChargeback(PostingRequest request, Chain chain) {
        Split split = Split.of(request);
        CreatorPosition position = request.position();
        debitCreator(chain, split.creator, position.payableAvailable(), position.openHolds(),
            chain.account(PROCESSOR_RECEIVABLE));
        chain.move("platform", PLATFORM_FEES, PROCESSOR_RECEIVABLE, split.platform);
        chain.move("referral", REFERRAL_PAYABLE, REFERRAL_EXPENSE,
            Math.min(split.referral, position.referralPayableAvailable()));
        if (request.kind() == PaymentKind.REFUND) {
            chain.move("refund_fee", PROCESSOR_FEES, PROCESSOR_RECEIVABLE, request.fees().refund());
        } else {
            chain.move("chargeback_fee", CHARGEBACK_EXPENSE, PROCESSOR_RECEIVABLE, request.fees().chargeback());
        }
    }

    private static void chargebackReversal(PostingRequest request, Chain chain) {
        Split split = Split.of(request);
        long repay = Math.min(split.creator, request.position().receivableDebitBalance());
        chain.move("creator", PROCESSOR_RECEIVABLE, CREATOR_PAYABLE, split.creator - repay);
        chain.move("repay", PROCESSOR_RECEIVABLE, CREATOR_RECEIVABLE, repay);
        chain.move("platform", PROCESSOR_RECEIVABLE, PLATFORM_FEES, split.platform);
        chain.move("referral", REFERRAL_EXPENSE, REFERRAL_PAYABLE, split.referral);
    }

    /**
     * Every leg of the parent mirrored (debit and credit swapped, code 106), fee included; the parent's
     * reserve hold voided if still open; the creator's part through the shortfall rule.
     */
    private static void voidParent(PostingRequest request, Chain chain) {
        PostingPlan parent = request.parent().plan();
        if (!parent.kind().isCharge() || !parent.tenant().equals(request.tenant()) || parent.ledger() != request.ledger()) {
            throw new IllegalArgumentException("a void reverses a sale or rebill of the same tenant and ledger");
        }
        CreatorPosition position = request.position();
        long available = position.payableAvailable();
        List<Hold> otherHolds = new ArrayList<>(position.openHolds());
        for (PlannedTransfer leg : parent.transfers()) {
            if (leg.isPending()) {
                Hold own = otherHolds.stream().filter(hold -> hold.id().equals(leg.id())).findFirst().orElse(null);
                if (own != null) {
                    otherHolds.remove(own);
                    chain.voidHold(own);
                    available = Math.addExact(available, own.amount());
                }
            }
        }
        for (PlannedTransfer leg : parent.transfers()) {
            if (leg.isPending()) {
                continue;
            }
            PlannedAccount debit = parentAccount(parent, leg.creditAccountId());
            PlannedAccount credit = parentAccount(parent, leg.debitAccountId());
            if (debit.role() == CREATOR_PAYABLE) {
                if (!debit.id().equals(chain.account(CREATOR_PAYABLE).id())) {
                    throw new IllegalArgumentException("a void is for its parent's creator");
                }
                debitCreator(chain, leg.amount(), available, otherHolds, credit);
            } else if (debit.role() == REFERRAL_PAYABLE) {
                chain.move(leg.leg(), debit, credit, Math.min(leg.amount(), position.referralPayableAvailable()));
            } else {
                chain.move(leg.leg(), debit, credit, leg.amount());
            }
        }
    }

    /**
     * Takes {@code amount} of the creator's share back: from creator_payable as far as its available balance
     * goes, after voiding open reserve holds newest first while that is short; the rest from
     * creator_receivable. So a reversal never fails for lack of creator balance.
     */
    private static void debitCreator(Chain chain, long amount, long available, List<Hold> holdsNewestFirst,
                                     PlannedAccount credit) {
        long covered = available;
        for (Hold hold : holdsNewestFirst) {
            if (covered >= amount) {
                break;
            }
            chain.voidHold(hold);
            covered = Math.addExact(covered, hold.amount());
        }
        long fromPayable = Math.min(amount, covered);
        chain.move("creator", chain.account(CREATOR_PAYABLE), credit, fromPayable);
        chain.move("shortfall", chain.account(CREATOR_RECEIVABLE), credit, amount - fromPayable);
    }

    private static PlannedAccount parentAccount(PostingPlan parent, UUID id) {
        return parent.account(id).orElseThrow(() -> new IllegalArgumentException("the parent plan lacks account " + id));
    }

    /** A reversal's A split at the parent's shares: P′ = rhe(A·S), C′ = A − P′, R′ = rhe(A·referral). */
    private record Split(long platform, long creator, long referral) {
        static Split of(PostingRequest request) {
            Shares shares = request.parent().shares();
            long amount = request.amount();
            long platform = shares.platform(amount);
            long referral = request.referrer() == null ? 0 : shares.referral(amount);
            return new Split(platform, amount - platform, referral);
        }
    }

    /** The plan being built: its accounts (each once, in first-use order) and legs (in posting order). */
    private static final class Chain {
        private final PostingRequest request;
        private final Map<UUID, PlannedAccount> accounts = new LinkedHashMap<>();
        private final List<PlannedTransfer> legs = new ArrayList<>();

        Chain(PostingRequest request) {
            this.request = request;
        }

        /** This event's account of {@code role}: the party is the merchant account, creator or referrer. */
        PlannedAccount account(PaymentRole role) {
            String party = switch (role) {
                case PROCESSOR_RECEIVABLE, PROCESSOR_FEES, CHARGEBACK_EXPENSE -> request.identity().merchantAccountId()
                    .toString();
                case CREATOR_PAYABLE, CREATOR_RECEIVABLE, CREATOR_RESERVE -> request.creator();
                case REFERRAL_PAYABLE -> request.referrer();
                case PLATFORM_FEES, REFERRAL_EXPENSE -> "";
                default -> throw new IllegalArgumentException(role.wireName() + " is not a role of payment events");
            };
            return PaymentAccounts.account(request.tenant(), request.ledger(), role, request.processor(), party);
        }

        void move(String leg, PaymentRole debit, PaymentRole credit, long amount) {
            if (amount > 0) {
                move(leg, account(debit), account(credit), amount);
            }
        }

        void move(String leg, PlannedAccount debit, PlannedAccount credit, long amount) {
            if (amount > 0) {
                add(leg, debit, credit, amount, null, 0, request.kind().code(), 0);
            }
        }

        /** The reserve hold: pending creator_payable → creator_reserve, released by the ledger on timeout. */
        void hold(String leg, long amount, int timeoutSeconds) {
            if (amount > 0) {
                add(leg, account(CREATOR_PAYABLE), account(CREATOR_RESERVE), amount, null, timeoutSeconds, RESERVE_CODE,
                    TransferFlags.PENDING);
            }
        }

        void voidHold(Hold hold) {
            add("void:" + hold.id(), account(CREATOR_PAYABLE), account(CREATOR_RESERVE), hold.amount(), hold.id(), 0,
                RESERVE_CODE, TransferFlags.VOID_PENDING_TRANSFER);
        }

        private void add(String leg, PlannedAccount debit, PlannedAccount credit, long amount, UUID pendingId,
                         int timeout, int code, int flags) {
            accounts.putIfAbsent(debit.id(), debit);
            accounts.putIfAbsent(credit.id(), credit);
            legs.add(new PlannedTransfer(leg, request.identity().transferId(leg), debit.id(), credit.id(), amount,
                pendingId, timeout, request.ledger(), code, flags, request.eventId()));
        }

        PostingPlan build() {
            List<PlannedTransfer> linked = new ArrayList<>(legs.size());
            for (int i = 0; i < legs.size(); i++) {
                PlannedTransfer leg = legs.get(i);
                linked.add(i < legs.size() - 1 ? leg.withFlags(leg.flags() | TransferFlags.LINKED) : leg);
            }
            return new PostingPlan(request.identity(), request.eventId(), request.kind(), request.tenant(),
                request.ledger(), List.copyOf(accounts.values()), linked);
        }
    }
}
