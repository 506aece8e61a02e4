package com.fanzfinance.gateway.ccbill;

import java.util.Map;
import java.util.Optional;

/**
 * The ISO 4217 numeric codes CCBill uses for currencies ({@code accountingCurrencyCode}, FlexForms
 * {@code currencyCode}). CCBill settles in a handful of currencies, so a small table is enough; a code outside it
 * is treated as unreadable rather than guessed.
 */
final class CcbillCurrencies {

    private static final Map<Integer, String> ALPHA_BY_NUMERIC = Map.of(
            840, "USD", 978, "EUR", 826, "GBP", 124, "CAD", 36, "AUD",
            392, "JPY", 756, "CHF", 752, "SEK", 578, "NOK", 208, "DKK");

    private CcbillCurrencies() {
    }

    /** The alpha code for a numeric code such as {@code 840} or {@code 036}, when it is in the table. */
    static Optional<String> alpha(String numeric) {
        if (numeric == null || !numeric.matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(ALPHA_BY_NUMERIC.get(Integer.parseInt(numeric)));
    }

    /** The three-digit numeric code (e.g. {@code 036} for AUD) for an alpha code, when it is in the table. */
    static Optional<String> numeric(String alpha) {
        return ALPHA_BY_NUMERIC.entrySet().stream()
                .filter(entry -> entry.getValue().equals(alpha))
                .map(entry -> String.format("%03d", entry.getKey()))
                .findFirst();
    }
}
