package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

import com.fanzfinance.ledger.command.AccountFilter;

/**
 * An {@link AccountFilter} as the query string of the listing endpoints. Zero fields mean "any" and are
 * left out; the limit is capped at {@link AccountFilter#LIMIT_MAX}. The balances listing takes no user
 * data or code, so a filter that sets them is refused rather than silently widened.
 */
final class ListingQuery {
    private ListingQuery() {
    }

    static String transfers(AccountFilter filter, String cursor) {
        StringJoiner query = common(filter, cursor);
        if (!filter.userData128().isZero()) {
            query.add(USER_DATA_128 + "=" + filter.userData128().toUuidString());
        }
        if (filter.userData64() != 0) {
            query.add(USER_DATA_64 + "=" + Long.toUnsignedString(filter.userData64()));
        }
        if (filter.userData32() != 0) {
            query.add(USER_DATA_32 + "=" + Integer.toUnsignedString(filter.userData32()));
        }
        if (filter.code() != 0) {
            query.add(CODE + "=" + filter.code());
        }
        return query.toString();
    }

    static String balances(AccountFilter filter, String cursor) {
        if (!filter.userData128().isZero() || filter.userData64() != 0 || filter.userData32() != 0 || filter.code() != 0) {
            throw new IllegalArgumentException("the balances listing cannot filter by user data or code");
        }
        return common(filter, cursor).toString();
    }

    private static StringJoiner common(AccountFilter filter, String cursor) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.add(LIMIT + "=" + Math.min(filter.limit(), AccountFilter.LIMIT_MAX));
        if (filter.timestampMin() != 0) {
            query.add(TIMESTAMP_MIN + "=" + filter.timestampMin());
        }
        if (filter.timestampMax() != 0) {
            query.add(TIMESTAMP_MAX + "=" + filter.timestampMax());
        }
        if (!filter.debits()) {
            query.add(DEBITS + "=false");
        }
        if (!filter.credits()) {
            query.add(CREDITS + "=false");
        }
        if (filter.reversed()) {
            query.add(REVERSED + "=true");
        }
        if (cursor != null) {
            query.add(CURSOR + "=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return query;
    }
}
