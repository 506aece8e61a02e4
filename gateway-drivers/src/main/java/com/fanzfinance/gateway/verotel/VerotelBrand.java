package com.fanzfinance.gateway.verotel;

import java.util.Locale;
import java.util.Optional;

/**
 * The white-label brands FlexPay runs under. A merchant contracts with one brand and its fans must pay on that
 * brand's host, so the account's {@code brand} setting picks the {@code /startorder} host.
 */
enum VerotelBrand {
    VEROTEL("secure.verotel.com"),
    CARDBILLING("secure.billing.creditcard"),
    BITSAFEPAY("secure.bitsafepay.com"),
    BILL("secure.bill.creditcard"),
    GAYCHARGE("secure.gaycharge.com"),
    YOURSAFEDIRECT("secure.yoursafedirect.com");

    private final String host;

    VerotelBrand(String host) {
        this.host = host;
    }

    /** The brand of a setting value such as {@code verotel} or {@code CardBilling}, compared without case. */
    static Optional<VerotelBrand> named(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (VerotelBrand brand : values()) {
            if (brand.name().equals(wanted)) {
                return Optional.of(brand);
            }
        }
        return Optional.empty();
    }

    /** Where a fan starts a purchase or subscription. */
    String startOrderUrl() {
        return "https://" + host + "/startorder";
    }
}
