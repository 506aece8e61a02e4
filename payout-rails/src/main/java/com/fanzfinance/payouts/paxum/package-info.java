/**
 * The Paxum payout rail: {@link com.fanzfinance.payouts.paxum.PaxumRail} pays Paxum users through the legacy Payment
 * API ({@code transferFunds}, MD5 {@code key}) and, since that API has no idempotency key, reconciles an unclear
 * transfer through the Payment API 2.0.0 transaction list (HMAC-SHA256 signed) before it ever sends again.
 */
package com.fanzfinance.payouts.paxum;
