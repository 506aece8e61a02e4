package com.fanzfinance.server.http;

import java.util.concurrent.Semaphore;

import io.javalin.http.Context;

/**
 * Bounds how many listings that carry metadata are in flight at once. One page of
 * {@code /v1/accounts/{id}/transfers} may hold 8,189 transfers with 4 KiB of metadata each: some 32 MiB
 * copied out of the ledger on its own thread and about twice that as JSON. The page limit bounds one
 * request; this bounds their number, so that no burst of listings can exhaust the heap (an
 * OutOfMemoryError on the engine's thread stops the ledger). A listing over the bound is a 503
 * {@code ledger-busy} with {@code Retry-After: 1}; its permit is given back when the request ends, however
 * it ends (see {@link RequestLifecycle}).
 */
final class ListingGate {
    /** Listings in flight at once: at most about 1.5 GiB of pages in the worst case. */
    static final int IN_FLIGHT_MAX = 16;

    private final Semaphore permits = new Semaphore(IN_FLIGHT_MAX);

    /** Takes a permit for the request or refuses it. */
    void enter(Context ctx) {
        if (!permits.tryAcquire()) {
            throw new Problem(503, "ledger-busy", "Service unavailable", "more than " + IN_FLIGHT_MAX
                + " listings are being answered; retry shortly", null);
        }
        RequestLifecycle.onEnd(ctx, permits::release);
    }
}
