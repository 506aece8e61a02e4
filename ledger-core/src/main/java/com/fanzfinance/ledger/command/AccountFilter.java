package com.fanzfinance.ledger.command;

import java.util.Objects;

/**
 * The query of {@code get_account_transfers} and {@code get_account_balances}: the transfers on one
 * account, optionally only debits or credits, narrowed by user data and code (zero means any) and by an
 * inclusive timestamp range (zero means unbounded), oldest first unless {@code reversed}, at most
 * {@code limit} (capped at {@link #LIMIT_MAX}).
 *
 * <p>As in TigerBeetle, a filter that is invalid (zero or int-max account id, neither debits nor
 * credits, limit 0, min above max) matches nothing rather than failing.
 */
public record AccountFilter(Uint128 accountId, Uint128 userData128, long userData64, int userData32, int code,
                            long timestampMin, long timestampMax, int limit, boolean debits, boolean credits,
                            boolean reversed) {
    public static final int LIMIT_MAX = 8189;

    public AccountFilter {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userData128, "userData128");
    }

    /** Both directions, any time, oldest first, up to {@code limit}. */
    public static AccountFilter of(Uint128 accountId, int limit) {
        return new AccountFilter(accountId, Uint128.ZERO, 0, 0, 0, 0, 0, limit, true, true, false);
    }

    public AccountFilter withTimestamps(long min, long max) {
        return new AccountFilter(accountId, userData128, userData64, userData32, code, min, max, limit, debits, credits,
            reversed);
    }

    public AccountFilter withDirections(boolean newDebits, boolean newCredits) {
        return new AccountFilter(accountId, userData128, userData64, userData32, code, timestampMin, timestampMax, limit,
            newDebits, newCredits, reversed);
    }

    public AccountFilter withReversed(boolean newReversed) {
        return new AccountFilter(accountId, userData128, userData64, userData32, code, timestampMin, timestampMax, limit,
            debits, credits, newReversed);
    }

    public AccountFilter withUserDataAndCode(Uint128 newUserData128, long newUserData64, int newUserData32, int newCode) {
        return new AccountFilter(accountId, newUserData128, newUserData64, newUserData32, newCode, timestampMin,
            timestampMax, limit, debits, credits, reversed);
    }

    /** TigerBeetle's validity rule; an invalid filter matches nothing. */
    public boolean isValid() {
        return !accountId.isZero() && !accountId.equals(Uint128.MAX)
            && timestampMin >= 0 && timestampMax >= 0
            && (timestampMax == 0 || timestampMin <= timestampMax)
            && limit > 0 && (debits || credits);
    }
}
