package com.fanzfinance.server.payments;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

import com.fanzfinance.server.http.Problem;

import static com.fanzfinance.server.payments.schema.Tables.IDEMPOTENCY_KEYS;

/**
 * {@code Idempotency-Key} on creating POSTs: per tenant and route, the same key with the same body answers the
 * original object; with another body, 409 {@code idempotency-key-reused}. Claimed in the creating transaction.
 */
public final class Idempotency {
    private Idempotency() {
    }

    /** The object an earlier request with this key made, when the body is the same; 409 when it differs. */
    public static Optional<UUID> earlier(DSLContext tx, String tenant, String route, String key, String fingerprint) {
        if (key == null) {
            return Optional.empty();
        }
        var row = tx.selectFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.TENANT.eq(tenant), IDEMPOTENCY_KEYS.ROUTE.eq(route),
            IDEMPOTENCY_KEYS.IDEMPOTENCY_KEY.eq(key)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        if (!row.getRequestSha256().equals(fingerprint)) {
            throw new Problem(409, "idempotency-key-reused", "Conflict",
                "this Idempotency-Key was used with another body on " + route, null);
        }
        return Optional.of(row.getObjectId());
    }

    /** Claims the key for {@code objectId}; a concurrent claim makes the transaction fail and the caller retry. */
    public static void claim(DSLContext tx, String tenant, String route, String key, String fingerprint, UUID objectId) {
        if (key == null) {
            return;
        }
        tx.insertInto(IDEMPOTENCY_KEYS).set(IDEMPOTENCY_KEYS.TENANT, tenant).set(IDEMPOTENCY_KEYS.ROUTE, route)
            .set(IDEMPOTENCY_KEYS.IDEMPOTENCY_KEY, key).set(IDEMPOTENCY_KEYS.REQUEST_SHA256, fingerprint)
            .set(IDEMPOTENCY_KEYS.OBJECT_ID, objectId).set(IDEMPOTENCY_KEYS.CREATED, Instant.now().atOffset(java.time.ZoneOffset.UTC))
            .execute();
    }
}
