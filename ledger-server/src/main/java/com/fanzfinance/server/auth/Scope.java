package com.fanzfinance.server.auth;

import java.util.Locale;

/** What an API key may do. {@link #ADMIN} may do everything, in every tenant. */
public enum Scope {
    LEDGER_WRITE("ledger:write"),
    LEDGER_READ("ledger:read"),
    FINANCE_READ("finance:read"),
    PAYMENTS_READ("payments:read"),
    PAYMENTS_WRITE("payments:write"),
    EVENTS_READ("events:read"),
    ADMIN("admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The scope with this name ({@code ledger:write}, …), or null. */
    public static Scope ofWireName(String name) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        return null;
    }
}
