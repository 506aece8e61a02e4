package com.fanzfinance.ledger.client;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items, in the order the listing was asked for
 * @param next  the cursor of the following page, or null when this page is the last; pass it back to the
 *              same listing with the same filter to continue after the last item of this page
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return next != null;
    }
}
