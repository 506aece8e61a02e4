package com.fanzfinance.payouts.rail;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One payout as its rail sees it.
 *
 * @param id          the payout's id: every id a driver sends to the rail derives from it
 * @param tenant      the brand paying
 * @param amount      what the payee receives, in minor units of {@code currency} (cents; for a token its own smallest
 *                    unit at {@code scale}, e.g. 6 for USDC; satoshis for BTC)
 * @param currency    the currency code as the ledger has it ({@code USD}, {@code USDC}, {@code BTC})
 * @param scale       the currency's number of decimals
 * @param destination the payee's checked rail details (Paxum {@code email}; Wise {@code type}, … ; an address)
 * @param payeeName   the payee's name, may be null
 * @param payeeEmail  the payee's email, may be null
 * @param payeeMemo   what the driver remembered about this payee at this rail account from earlier payouts (the
 *                    {@link RailState#PAYEE_PREFIX} keys of their states, prefix removed: a Wise recipient id), else empty
 * @param created     when the payout was requested, or null when unknown: nothing was sent for it before then, so a
 *                    driver searching a rail's history for it (after a lost state) need not look further back
 */
public record RailPayout(UUID id, String tenant, long amount, String currency, int scale, Map<String, String> destination,
                         String payeeName, String payeeEmail, Map<String, String> payeeMemo, java.time.Instant created) {

    /** A payout whose request time is not known (the history searches look back as far as their limits allow). */
    public RailPayout(UUID id, String tenant, long amount, String currency, int scale, Map<String, String> destination,
                      String payeeName, String payeeEmail, Map<String, String> payeeMemo) {
        this(id, tenant, amount, currency, scale, destination, payeeName, payeeEmail, payeeMemo, null);
    }

    public RailPayout {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        if (amount <= 0) {
            throw new IllegalArgumentException("a payout's amount is positive");
        }
        if (scale < 0 || scale > 18) {
            throw new IllegalArgumentException("scale must be 0-18");
        }
        destination = Map.copyOf(destination);
        payeeMemo = payeeMemo == null ? Map.of() : Map.copyOf(payeeMemo);
    }

    /** The amount as a decimal with exactly {@code scale} digits ({@code 5000} at scale 2 → {@code 50.00}). */
    public BigDecimal decimal() {
        return BigDecimal.valueOf(amount, scale);
    }

    /** The payout id without dashes (32 hex digits): the reference sent where a rail allows one. */
    public String compactId() {
        return id.toString().replace("-", "");
    }
}
