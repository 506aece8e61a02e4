package com.fanzfinance.payouts.evm;

/**
 * Hands out the nonces of one hot wallet's transactions, so that two payouts never share a nonce and a restart never
 * reuses one.
 *
 * <p>Semantics every implementation keeps:
 * <ul>
 *   <li>{@link #reserve} returns {@code max(chainPendingCount, 1 + the highest nonce it ever returned for wallet)}
 *       (just {@code chainPendingCount} the first time): a nonce it returned once is never returned for another
 *       payout, whatever {@code chainPendingCount} says later (a node that lost its mempool, a chain that went
 *       back).</li>
 *   <li>A payout that asks again gets the nonce it was given: so a crash between the reservation and the save of the
 *       signed transaction loses no nonce (the restart signs with the same one).</li>
 *   <li>The reservation is durable when {@code reserve} returns (the server writes it in its database and commits), so a
 *       restart continues after it.</li>
 *   <li>Calls for one wallet are serialised (the server has one writer per hot wallet: its sweeper thread).</li>
 * </ul>
 * The driver reserves a nonce only to sign a payout's first transaction and saves the signed transaction in the
 * payout's state right after; its replacements reuse the same nonce without reserving. A payout that fails before it
 * ever signed (it cannot: the estimate comes before the reservation) would leave a gap that holds back the wallet's
 * later transactions until an operator fills it (a 0-value self-transfer on that nonce).
 */
public interface NonceStore {
    /**
     * Reserves the nonce for the wallet's next new transaction.
     *
     * @param wallet            the hot wallet, as {@code eip155:<chain id>:<0x address in lower case>} (one nonce sequence
     *                          per chain and address)
     * @param chainPendingCount the node's {@code eth_getTransactionCount(address, "pending")}
     * @param payoutId          the payout the nonce is for
     * @return the nonce this payout was given before, else one never returned before for this wallet
     */
    long reserve(String wallet, long chainPendingCount, java.util.UUID payoutId);
}
