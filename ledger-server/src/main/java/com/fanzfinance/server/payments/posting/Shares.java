package com.fanzfinance.server.payments.posting;

/**
 * A revenue split in force for an event (PAYMENTS-API §5 revenue shares): the platform's share of gross,
 * the referrer's commission (paid out of the platform's share, so at most it), and the part of the
 * creator's share held in reserve for {@code reserveDays}. Reversals use their parent's shares.
 *
 * <p>A reserve needs a period: with {@code reserveDays} 0 nothing is held, whatever {@code reserveBp}
 * says, because a hold without a timeout would never be released.
 */
public record Shares(int platformBp, int referralBp, int reserveBp, int reserveDays) {
    public static final int RESERVE_DAYS_MAX = 365;
    private static final int SECONDS_PER_DAY = 86_400;

    public Shares {
        BasisPoints.requireBp("platformBp", platformBp);
        BasisPoints.requireBp("referralBp", referralBp);
        BasisPoints.requireBp("reserveBp", reserveBp);
        if (referralBp > platformBp) {
            throw new IllegalArgumentException("referralBp must not exceed platformBp (it is paid out of it)");
        }
        if (reserveDays < 0 || reserveDays > RESERVE_DAYS_MAX) {
            throw new IllegalArgumentException("reserveDays must be 0.." + RESERVE_DAYS_MAX + ", was " + reserveDays);
        }
    }

    /** P = rhe(G · platformBp). */
    public long platform(long gross) {
        return BasisPoints.rhe(gross, platformBp);
    }

    /** R = rhe(G · referralBp); at most {@link #platform} because rhe is monotone in bp. */
    public long referral(long gross) {
        return BasisPoints.rhe(gross, referralBp);
    }

    /** H = rhe(C · reserveBp), or 0 without a reserve period. */
    public long reserve(long creatorShare) {
        return reserveDays == 0 ? 0 : BasisPoints.rhe(creatorShare, reserveBp);
    }

    /** The reserve hold's ledger timeout: reserveDays × 86400 seconds. */
    public int reserveTimeoutSeconds() {
        return reserveDays * SECONDS_PER_DAY;
    }
}
