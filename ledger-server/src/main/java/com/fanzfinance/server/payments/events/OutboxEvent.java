package com.fanzfinance.server.payments.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One sequenced outbox event: what a CloudEvents envelope carries (see {@link EventJson}). {@code dataJson}
 * is the object as its {@code GET} returns it, already checked to be one JSON value.
 */
public record OutboxEvent(long sequence, UUID id, String tenant, String type, String subject, Instant time,
                          String dataJson) {
    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(dataJson, "dataJson");
    }

    /** The CloudEvents {@code source}: {@code fanzfinance/{tenant}}. */
    public String source() {
        return "fanzfinance/" + tenant;
    }
}
