package com.fanzfinance.server.payments.payouts;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.server.payments.posting.Chains;
import com.fanzfinance.server.payments.posting.LedgerPort;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.payments.posting.PlannedAccount;
import com.fanzfinance.server.payments.posting.Uuid5;

/**
 * The ledger side of a payout (PAYMENTS-API §6): a hold, then its post, its void, or after settlement its
 * reversal. Every transfer id derives from the payout id and the step, so doing a step again (after a crash, or
 * by two callers at once) meets the transfers the first time made and changes nothing.
 *
 * <p>Legs, each with {@code user_data_128} = the payout id:
 * <ul>
 *   <li>hold (201, pending, no timeout): Dr creator_payable, Cr payouts_in_transit, the amount;</li>
 *   <li>fee hold (202, pending), when the fee is not 0: Dr creator_payable, Cr payout_fee_income when the creator
 *       pays it; Dr payout_rail_fees, Cr payouts_in_transit when the platform does;</li>
 *   <li>settle: both posted; fail, cancel, return before settlement: both voided;</li>
 *   <li>return after settlement (203): the amount Dr payouts_in_transit, Cr creator_payable, and the fee's legs
 *       mirrored, so the creator's payable is what it was before the payout.</li>
 * </ul>
 * The creator payable's {@code debits_must_not_exceed_credits} flag makes the hold itself the balance check: two
 * payouts racing for the same money cannot both be held.
 */
public final class PayoutLedger {
    public static final int HOLD_CODE = 201;
    public static final int FEE_CODE = 202;
    public static final int RETURN_CODE = 203;
    /** UUIDv5 namespace of payout transfer ids: UUIDv5(the ledger-account namespace, "payout-transfers"). */
    static final UUID TRANSFER_NAMESPACE = Uuid5.of(PaymentAccounts.NAMESPACE, "payout-transfers");

    /** Accounts remembered as made; past this many the memory starts over (the ledger answers {@code exists}). */
    static final int KNOWN_ACCOUNTS_MAX = 1_000_000;

    private final LedgerPort ledger;
    private final ToIntFunction<String> tenantNumbers;
    /**
     * Accounts this ledger side has seen made exactly as planned: ledger accounts never change, so a hold whose
     * accounts are all here skips the account command, one journal write fewer per payout.
     */
    private final java.util.Set<UUID> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param tenantNumbers the ledger's tenant number of a tenant slug */
    public PayoutLedger(LedgerPort ledger, ToIntFunction<String> tenantNumbers) {
        this.ledger = ledger;
        this.tenantNumbers = tenantNumbers;
    }

    /** What a payout is, as the ledger sees it. */
    public record Money(UUID payoutId, String tenant, int ledger, String creator, String rail, UUID railAccountId,
                        long amount, long fee, boolean creatorPaysFee) {
    }

    /** The answer to a step: done (now or before), or refused by the ledger with nothing applied. */
    public record Outcome(boolean done, CreateTransferStatus refusal, List<UUID> transferIds) {
        static Outcome done(List<UUID> ids) {
            return new Outcome(true, null, ids);
        }
    }

    /** Available for payout: credits_posted − debits_posted − debits_pending of the creator's payable (0 if none). */
    public long available(String tenant, int ledgerNumber, String creator) {
        Uint128 payable = Uuid5.toUint128(account(tenant, ledgerNumber, PaymentRole.CREATOR_PAYABLE, null, creator).id());
        Account account = ledger.read(List.of(payable), payable, HOLD_CODE, 0).accounts().get(payable);
        if (account == null) {
            return 0;
        }
        return Math.max(0, account.creditsPosted() - account.debitsPosted() - account.debitsPending());
    }

    /** Places the hold (and the fee's). Refused with {@code exceeds_credits} when the payable cannot cover it. */
    public Outcome hold(Money money) {
        List<PlannedAccount> accounts = accounts(money).stream().filter(account -> !known.contains(account.id())).toList();
        List<CreateAccountStatus> made = accounts.isEmpty() ? List.of()
            : ledger.createAccounts(tenantNumbers.applyAsInt(money.tenant()), accounts);
        for (int i = 0; i < made.size(); i++) {
            if (made.get(i) != CreateAccountStatus.CREATED && made.get(i) != CreateAccountStatus.EXISTS) {
                throw new AccountRefusedException(accounts.get(i), made.get(i));
            }
        }
        if (known.size() + accounts.size() > KNOWN_ACCOUNTS_MAX) {
            known.clear();
        }
        accounts.forEach(account -> known.add(account.id()));
        return submit(legs(money, Step.HOLD));
    }

    /**
     * The ledger refused to make an account a payout needs, as the payments chart defines it: another account holds
     * its id (made by hand with other flags or code, say). Nothing was held.
     */
    public static final class AccountRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AccountRefusedException(PlannedAccount account, CreateAccountStatus status) {
            super("the ledger refused the " + account.role().wireName() + " account " + account.id() + ": "
                + status.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Posts the hold: the payout is paid. */
    public Outcome settle(Money money) {
        return requireDone(submit(legs(money, Step.POST)), money, "settle");
    }

    /** Voids the hold: the payout failed, was cancelled or returned before settlement. */
    public Outcome release(Money money) {
        return requireDone(submit(legs(money, Step.VOID)), money, "release");
    }

    /** Reverses a settled payout: the money comes back to the creator's payable. */
    public Outcome reverse(Money money) {
        return requireDone(submit(legs(money, Step.RETURN)), money, "reverse");
    }

    /** The transfer ids of a step (what a payout shows in {@code transfer_ids}). */
    static UUID transferId(UUID payoutId, String leg) {
        return Uuid5.of(TRANSFER_NAMESPACE, payoutId + "/" + leg);
    }

    private enum Step { HOLD, POST, VOID, RETURN }

    private List<Transfer> legs(Money money, Step step) {
        Uint128 payable = id(money, PaymentRole.CREATOR_PAYABLE, null, money.creator());
        Uint128 inTransit = id(money, PaymentRole.PAYOUTS_IN_TRANSIT, money.rail(), money.railAccountId().toString());
        Uint128 feeDebit = money.creatorPaysFee() ? payable : id(money, PaymentRole.PAYOUT_RAIL_FEES, money.rail(),
            money.railAccountId().toString());
        Uint128 feeCredit = money.creatorPaysFee() ? id(money, PaymentRole.PAYOUT_FEE_INCOME, null, "") : inTransit;
        List<Transfer> legs = new ArrayList<>();
        legs.add(leg(money, step, "amount", payable, inTransit, money.amount(), HOLD_CODE));
        if (money.fee() > 0) {
            legs.add(leg(money, step, "fee", feeDebit, feeCredit, money.fee(), FEE_CODE));
        }
        return linked(legs);
    }

    private static Transfer leg(Money money, Step step, String part, Uint128 debit, Uint128 credit, long amount, int code) {
        Uint128 user = Uuid5.toUint128(money.payoutId());
        Uint128 holdId = Uuid5.toUint128(transferId(money.payoutId(), "hold-" + part));
        Uint128 id = Uuid5.toUint128(transferId(money.payoutId(), step.name().toLowerCase(java.util.Locale.ROOT) + "-" + part));
        return switch (step) {
            case HOLD -> transfer(holdId, debit, credit, amount, Uint128.ZERO, user, money.ledger(), code, TransferFlags.PENDING);
            case POST -> transfer(id, debit, credit, amount, holdId, user, money.ledger(), code,
                TransferFlags.POST_PENDING_TRANSFER);
            case VOID -> transfer(id, debit, credit, amount, holdId, user, money.ledger(), code,
                TransferFlags.VOID_PENDING_TRANSFER);
            case RETURN -> transfer(id, credit, debit, amount, Uint128.ZERO, user, money.ledger(), RETURN_CODE, 0);
        };
    }

    private static Transfer transfer(Uint128 id, Uint128 debit, Uint128 credit, long amount, Uint128 pendingId,
                                     Uint128 user, int ledgerNumber, int code, int flags) {
        return new Transfer(id, debit, credit, amount, pendingId, user, 0, 0, 0, ledgerNumber, code, flags, 0,
            PendingStatus.NONE);
    }

    private static List<Transfer> linked(List<Transfer> legs) {
        return Chains.linked(legs);
    }

    /**
     * Submits the chain; when not every leg is created now, it is done if every leg is already in the ledger
     * (an earlier try made it), else refused with the first leg's own status.
     */
    private Outcome submit(List<Transfer> chain) {
        Chains.Outcome outcome = Chains.submit(ledger, chain);
        return new Outcome(outcome.done(), outcome.refusal(), outcome.transferIds());
    }

    private static Outcome requireDone(Outcome outcome, Money money, String step) {
        if (!outcome.done()) {
            throw new IllegalStateException("the ledger refused to " + step + " payout " + money.payoutId() + ": "
                + outcome.refusal());
        }
        return outcome;
    }

    private static List<PlannedAccount> accounts(Money money) {
        String party = money.railAccountId().toString();
        List<PlannedAccount> accounts = new ArrayList<>();
        accounts.add(account(money.tenant(), money.ledger(), PaymentRole.CREATOR_PAYABLE, null, money.creator()));
        accounts.add(account(money.tenant(), money.ledger(), PaymentRole.PAYOUTS_IN_TRANSIT, money.rail(), party));
        if (money.fee() > 0) {
            accounts.add(money.creatorPaysFee()
                ? account(money.tenant(), money.ledger(), PaymentRole.PAYOUT_FEE_INCOME, null, "")
                : account(money.tenant(), money.ledger(), PaymentRole.PAYOUT_RAIL_FEES, money.rail(), party));
        }
        return accounts;
    }

    private static PlannedAccount account(String tenant, int ledgerNumber, PaymentRole role, String rail, String party) {
        return PaymentAccounts.account(tenant, ledgerNumber, role, rail, party);
    }

    private static Uint128 id(Money money, PaymentRole role, String rail, String party) {
        return Uuid5.toUint128(account(money.tenant(), money.ledger(), role, rail, party).id());
    }
}
