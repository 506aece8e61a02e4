package com.fanzfinance.payouts.evm;

/**
 * Hands out the nonces of one hot wallet's transactions, so that two payouts never share a nonce and a restart never
 * reuses one.
 *
 * <p>Semantics every implementation keeps:
 * <ul>
 *   <li>{@link #reserve} returns {@code max(chainPendingCount, 1 + the highest nonce it ever returned for wallet)}
 *       (just {@code chainPendingCount} the first time): a nonce it returned once is never returned again, whatever
 *       {@code chainPendingCount} says later (a node that lost its mempool, a chain that went back).</li>
 *   <li>The reservation is durable when {@code reserve} returns (the server writes it in its database and commits), so a
 *       restart continues after it.</li>
 *   <li>Calls for one wallet are serialised (the server has one writer per hot wallet: its sweeper thread).</li>
 * </ul>
 * The driver reserves a nonce only to sign a payout's first transaction and saves the signed transaction in the
 * payout's state right after; its replacements reuse the same nonce without reserving. A crash between the reservation
 * and that save leaves a nonce no transaction uses, which holds back the wallet's later transactions until something is
 * sent with it; a server store should therefore reserve in the same database transaction it saves the payout state in,
 * or an operator fills the gap (a 0-value self-transfer on that nonce).
 */
public interface NonceStore {
    /**
     * Reserves the nonce for the wallet's next new transaction.
     *
     * @param wallet            the hot wallet, as {@code eip155:<chain id>:<0x address in lower case>} (one nonce sequence
     *                          per chain and address)
     * @param chainPendingCount the node's {@code eth_getTransactionCount(address, "pending")}
     * @return the nonce to sign with, never one returned before for this wallet
     */
    long reserve(String wallet, long chainPendingCount);
}
