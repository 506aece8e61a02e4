package com.fanzfinance.payouts.paxum;

/**
 * A Paxum account balance as {@code balanceInquiry} reports it.
 *
 * @param accountId the Paxum account id
 * @param currency  the account's currency
 * @param amount    the balance in minor units (cents)
 */
public record PaxumBalance(String accountId, String currency, long amount) {
}
