package com.fanzfinance.payouts.evm;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link NonceStore} in memory: keeps the semantics within one process but forgets everything on exit, so it is for
 * tests and single runs only (the server's store is its database).
 */
public final class InMemoryNonceStore implements NonceStore {
    private final Map<String, Long> next = new HashMap<>();
    private final Map<String, Long> given = new HashMap<>();

    @Override
    public synchronized long reserve(String wallet, long chainPendingCount, java.util.UUID payoutId) {
        if (chainPendingCount < 0) {
            throw new IllegalArgumentException("a transaction count is not negative");
        }
        Long earlier = given.get(wallet + "/" + payoutId);
        if (earlier != null) {
            return earlier;
        }
        long nonce = Math.max(chainPendingCount, next.getOrDefault(wallet, 0L));
        next.put(wallet, nonce + 1);
        given.put(wallet + "/" + payoutId, nonce);
        return nonce;
    }
}
