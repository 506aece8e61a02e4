package com.fanzfinance.server.payments.payouts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fanzfinance.payouts.evm.NonceStore;

import static com.fanzfinance.server.payments.schema.Tables.RAIL_NONCES;
import static com.fanzfinance.server.payments.schema.Tables.RAIL_NONCE_RESERVATIONS;

/**
 * The EVM hot wallets' nonces in the payments database (see {@link NonceStore}): each reservation is committed before
 * it is returned, under the wallet's row lock, together with the payout it is for.
 */
final class RailNonces implements NonceStore {
    private final DSLContext dsl;

    RailNonces(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public long reserve(String wallet, long chainPendingCount, UUID payoutId) {
        if (chainPendingCount < 0) {
            throw new IllegalArgumentException("a transaction count is not negative");
        }
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            tx.insertInto(RAIL_NONCES).set(RAIL_NONCES.WALLET, wallet).set(RAIL_NONCES.NEXT_NONCE, 0L)
                .set(RAIL_NONCES.UPDATED, now).onConflictDoNothing().execute();
            long next = tx.select(RAIL_NONCES.NEXT_NONCE).from(RAIL_NONCES).where(RAIL_NONCES.WALLET.eq(wallet))
                .forUpdate().fetchOne(RAIL_NONCES.NEXT_NONCE);
            Long earlier = tx.select(RAIL_NONCE_RESERVATIONS.NONCE).from(RAIL_NONCE_RESERVATIONS)
                .where(RAIL_NONCE_RESERVATIONS.WALLET.eq(wallet), RAIL_NONCE_RESERVATIONS.PAYOUT_ID.eq(payoutId))
                .fetchOne(RAIL_NONCE_RESERVATIONS.NONCE);
            if (earlier != null) {
                return earlier;
            }
            long nonce = Math.max(chainPendingCount, next);
            tx.update(RAIL_NONCES).set(RAIL_NONCES.NEXT_NONCE, nonce + 1).set(RAIL_NONCES.UPDATED, now)
                .where(RAIL_NONCES.WALLET.eq(wallet)).execute();
            tx.insertInto(RAIL_NONCE_RESERVATIONS).set(RAIL_NONCE_RESERVATIONS.WALLET, wallet)
                .set(RAIL_NONCE_RESERVATIONS.PAYOUT_ID, payoutId).set(RAIL_NONCE_RESERVATIONS.NONCE, nonce)
                .set(RAIL_NONCE_RESERVATIONS.RESERVED, now).execute();
            return nonce;
        });
    }
}
