/**
 * The Wise payout rail: {@link com.fanzfinance.payouts.wise.WiseRail} (recipient, quote, transfer with a
 * {@code customerTransactionId} derived from the payout id, funding from the balance, following the transfer) and
 * {@link com.fanzfinance.payouts.wise.WiseWebhooks} (the signature check, events, and their meaning for a payout).
 */
package com.fanzfinance.payouts.wise;
