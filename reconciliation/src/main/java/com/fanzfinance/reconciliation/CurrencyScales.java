package com.fanzfinance.reconciliation;

/**
 * The number of decimal places of each currency the ledger knows (USD 2, JPY 0, USDC 6 …), given to the
 * importers by their caller so that they turn decimal amounts into exact minor units.
 */
@FunctionalInterface
public interface CurrencyScales {
    /** @return the scale of {@code code} (upper case), or {@code -1} when the currency is not known */
    int scaleOf(String code);
}
