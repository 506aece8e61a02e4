package com.fanzfinance.payouts.rail;

/**
 * An API payout rail (Paxum, Wise, an ERC-20 token on an EVM chain, bitcoin): the driver the server calls to move one
 * payout's money, as a resumable state machine.
 *
 * <p>The server calls {@link #advance} for a held payout, and again after {@link RailStep#checkAgainIn()} for as long as
 * the step is not final ({@link RailStatus#isFinal()}), also after a restart. Each call continues from what
 * {@link RailState} holds. The rules every driver keeps:
 * <ul>
 *   <li><b>Save before sending.</b> Before any request that may move money the driver puts into the state what makes a
 *       repeat harmless (Wise's {@code customerTransactionId}, Paxum's reference and "a transfer was sent", the signed raw
 *       transaction and its hash) and calls {@link RailState#save()}; only then does it send.</li>
 *   <li><b>Never retry blind.</b> After a timeout or a broken connection the driver answers {@link RailStatus#UNKNOWN}; the
 *       next call first finds out what happened (Paxum's history, Wise's transfer by id, the transaction's receipt) and
 *       only sends again when the rail shows the first attempt did not and cannot happen.</li>
 *   <li><b>Deterministic ids.</b> Ids sent to a rail derive from the payout id, so a lost state still cannot double pay.</li>
 *   <li><b>No secrets out.</b> Keys, tokens and passwords never appear in the state, a step, an exception message or a
 *       log line.</li>
 * </ul>
 * Drivers throw nothing for a rail's refusal or an unreachable rail: those are steps. An exception means a bug or a
 * configuration the driver cannot work with ({@link RailConfigurationException}).
 */
public interface PayoutRail {
    /** The rail's name as merchant accounts spell it: {@code paxum wise usdc_evm btc}. */
    String name();

    /**
     * Moves the payout as far as it can go now.
     *
     * @param payout what to pay, to whom
     * @param state  what this driver kept about the payout (empty the first time); changed in place and saved through
     *               {@link RailState#save()} before anything that may move money
     * @return where the payout stands
     */
    RailStep advance(RailPayout payout, RailState state);
}
