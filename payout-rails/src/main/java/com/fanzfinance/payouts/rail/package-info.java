/**
 * The payout rail SPI for rails driven by API calls (Paxum, Wise, ERC-20 tokens, bitcoin).
 *
 * <p>A {@link com.fanzfinance.payouts.rail.PayoutRail} moves one {@link com.fanzfinance.payouts.rail.RailPayout} as a
 * resumable state machine: the server calls {@code advance} with the payout's
 * {@link com.fanzfinance.payouts.rail.RailState}, persists the state whenever the driver saves it, and calls again at
 * the returned step's {@code checkAgainIn} until the {@link com.fanzfinance.payouts.rail.RailStatus} is final. HTTP
 * rails talk through a {@link com.fanzfinance.payouts.rail.RailHttp} (the server's honours
 * {@code FANZ_PROVIDER_CALLS}); a {@link com.fanzfinance.payouts.rail.RailCallException} says whether a request that
 * got no answer may have reached the rail, which is what decides between "send again" and "find out first".
 */
package com.fanzfinance.payouts.rail;
