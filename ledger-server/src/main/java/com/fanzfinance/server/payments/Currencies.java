package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fanzfinance.server.readmodel.ChartOfAccounts;

/**
 * The chart's currency registry by ISO code: the ledger each currency's accounts live in and its scale, and the
 * exact conversion between a processor's decimal and minor units.
 */
public final class Currencies {
    private final Map<String, ChartOfAccounts.Currency> byCode = new HashMap<>();

    public Currencies(ChartOfAccounts chart) {
        chart.currencies().values().forEach(currency -> byCode.put(currency.code(), currency));
    }

    public Optional<ChartOfAccounts.Currency> byCode(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    public boolean isKnown(String code) {
        return byCode.containsKey(code);
    }

    /** Minor units of {@code amount}, or empty when it has more fractional digits than the currency's scale. */
    public static Optional<Long> toMinor(BigDecimal amount, ChartOfAccounts.Currency currency) {
        BigDecimal scaled = amount.movePointRight(currency.scale());
        try {
            BigDecimal whole = scaled.stripTrailingZeros();
            if (whole.scale() > 0) {
                return Optional.empty();
            }
            return Optional.of(whole.longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The decimal of {@code minor} units, with exactly the currency's scale (e.g. 1999 USD → 19.99). */
    public static BigDecimal toDecimal(long minor, ChartOfAccounts.Currency currency) {
        return BigDecimal.valueOf(minor, currency.scale());
    }
}
