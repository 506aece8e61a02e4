package com.fanzfinance.server.payments.events;

/**
 * A long poll refused because the limit of readers waiting at once is reached; the HTTP layer answers 429 and
 * the consumer retries (or polls without waiting).
 */
public final class TooManyWaitersException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TooManyWaitersException(int limit) {
        super("too many readers waiting for events (limit " + limit + "); retry later");
    }
}
