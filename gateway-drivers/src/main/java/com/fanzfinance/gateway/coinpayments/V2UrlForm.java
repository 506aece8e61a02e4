package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import java.util.Locale;
import java.util.Optional;

/**
 * Which text of the webhook's URL a v2 signature covers (unconfirmed: setting {@code v2_url_form}†):
 * {@code full}, the account's webhook URL with {@code ?query} when the request had one; {@code without_query}, the
 * webhook URL alone; {@code path}, the request path with {@code ?query}.
 */
enum V2UrlForm {
    FULL, WITHOUT_QUERY, PATH;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<V2UrlForm> fromWireName(String name) {
        for (V2UrlForm form : values()) {
            if (form.wireName().equals(name)) {
                return Optional.of(form);
            }
        }
        return Optional.empty();
    }

    String url(Notification notification, MerchantAccount account) {
        String query = notification.rawQuery().isEmpty() ? "" : "?" + notification.rawQuery();
        return switch (this) {
            case FULL -> account.webhookUrl() + query;
            case WITHOUT_QUERY -> account.webhookUrl();
            case PATH -> notification.path() + query;
        };
    }
}
