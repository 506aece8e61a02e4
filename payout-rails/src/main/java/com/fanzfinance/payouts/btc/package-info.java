/**
 * BTC payouts: {@link com.fanzfinance.payouts.btc.BitcoinRail}, the {@code btc} rail driver, pays from one hot wallet
 * key's P2WPKH address through an Esplora REST endpoint; {@link com.fanzfinance.payouts.btc.PayoutTransactions} selects
 * coins, computes the exact fee and change and signs with bitcoinj 0.17. Amounts are satoshis ({@code long}); fee rates
 * are {@link com.fanzfinance.payouts.btc.FeeRate} in 0.001 sat/vB, never floating point.
 */
package com.fanzfinance.payouts.btc;
