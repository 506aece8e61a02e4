package com.fanzfinance.server.auth;

import java.util.Locale;

/** What an API key may do. {@link #ADMIN} may do everything, in every tenant. */
public enum Scope {
    LEDGER_WRITE("ledger:write"),
    LEDGER_READ("ledger:read"),
    FINANCE_READ("finance:read"),
    FINANCE_WRITE("finance:write"),
    PAYMENTS_READ("payments:read"),
    PAYMENTS_WRITE("payments:write"),
    /** Replays payment events of the key's tenants. */
    PAYMENTS_ADMIN("payments:admin"),
    EVENTS_READ("events:read"),
    PAYOUTS_READ("payouts:read"),
    PAYOUTS_WRITE("payouts:write"),
    PAYOUTS_ADMIN("payouts:admin"),
    COMPLIANCE_WRITE("compliance:write"),
    ADMIN("admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Every scope's name, comma-separated, in declaration order. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Scope::wireName).toList());
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
