package com.fanzfinance.server.payments.events;

import java.util.List;

/**
 * One answer of the feed: events oldest first, and where the consumer resumes. {@code nextAfter} may pass
 * the last event returned when the filters left the rest out, so that a filtered consumer does not scan the
 * same events again; no event at or below it can appear later.
 */
public record EventPage(List<OutboxEvent> events, long nextAfter) {
    public EventPage {
        events = List.copyOf(events);
    }
}
