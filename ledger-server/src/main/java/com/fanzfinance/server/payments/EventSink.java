package com.fanzfinance.server.payments;

import org.jooq.DSLContext;

/**
 * Where changes to payments objects are announced: the durable outbox, written in the same transaction as the
 * change ({@code tx}), so an event exists exactly when its change does.
 */
@FunctionalInterface
public interface EventSink {
    /** Records event {@code type} about object {@code subject} of {@code tenant}, with {@code dataJson} as its data. */
    void append(DSLContext tx, String tenant, String type, String subject, String dataJson);

    EventSink NONE = (tx, tenant, type, subject, dataJson) -> { };
}
