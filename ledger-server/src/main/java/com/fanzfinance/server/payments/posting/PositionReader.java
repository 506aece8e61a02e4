package com.fanzfinance.server.payments.posting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Reads a {@link CreatorPosition} from the ledger for the planner: creator_payable's available balance,
 * creator_receivable's debit balance, the referrer's available referral_payable and the creator's open
 * reserve holds, all at one instant.
 *
 * <p>A hold due to expire within {@code expiryMargin} is left out of the open holds: a void planned for it
 * could meet it expired ({@code pending_transfer_expired}) and fail the chain. Its amount stays out of the
 * available balance until the ledger releases it, so a shortfall meanwhile takes a little more from
 * creator_receivable, which the creator's next sale repays.
 */
public final class PositionReader {
    public static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ofMinutes(5);
    /** Holds last at most {@link Shares#RESERVE_DAYS_MAX} days: older ones are expired, so the scan stops there. */
    private static final long HOLD_WINDOW_NANOS = Duration.ofDays(Shares.RESERVE_DAYS_MAX + 1L).toNanos();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LedgerPort ledger;
    private final long expiryMarginNanos;

    public PositionReader(LedgerPort ledger) {
        this(ledger, DEFAULT_EXPIRY_MARGIN);
    }

    public PositionReader(LedgerPort ledger, Duration expiryMargin) {
        this.ledger = ledger;
        this.expiryMarginNanos = expiryMargin.toNanos();
    }

    /** The position of {@code creator} (and {@code referrer}, may be null) in a tenant's currency ledger. */
    public CreatorPosition read(String tenant, int ledgerNumber, String creator, String referrer) {
        Uint128 payable = id(tenant, ledgerNumber, PaymentRole.CREATOR_PAYABLE, creator);
        Uint128 receivable = id(tenant, ledgerNumber, PaymentRole.CREATOR_RECEIVABLE, creator);
        Uint128 reserve = id(tenant, ledgerNumber, PaymentRole.CREATOR_RESERVE, creator);
        Uint128 referral = referrer == null ? null : id(tenant, ledgerNumber, PaymentRole.REFERRAL_PAYABLE, referrer);
        List<Uint128> accounts = referral == null ? List.of(payable, receivable) : List.of(payable, receivable, referral);
        LedgerPort.Reading reading = ledger.read(accounts, reserve, PostingPlanner.RESERVE_CODE, HOLD_WINDOW_NANOS);
        List<Hold> holds = new ArrayList<>();
        for (Transfer hold : reading.openHolds()) {
            long expiresAt = hold.timestamp() + (hold.timeout() & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
            boolean expiresSoon = hold.timeout() != 0 && expiresAt - reading.nowNanos() <= expiryMarginNanos;
            if (hold.debitAccountId().equals(payable) && !expiresSoon) {
                holds.add(new Hold(Uuid5.toUuid(hold.id()), hold.amount()));
            }
        }
        Account receivableAccount = reading.accounts().get(receivable);
        long owed = receivableAccount == null ? 0
            : Math.max(0, receivableAccount.debitsPosted() - receivableAccount.creditsPosted());
        return new CreatorPosition(available(reading.accounts().get(payable)), owed,
            referral == null ? 0 : available(reading.accounts().get(referral)), holds);
    }

    /** credits_posted − debits_posted − debits_pending (0 for an account not made yet). */
    private static long available(Account account) {
        if (account == null) {
            return 0;
        }
        return Math.max(0, account.creditsPosted() - account.debitsPosted() - account.debitsPending());
    }

    private static Uint128 id(String tenant, int ledgerNumber, PaymentRole role, String party) {
        return Uuid5.toUint128(PaymentAccounts.account(tenant, ledgerNumber, role, null, party).id());
    }
}
