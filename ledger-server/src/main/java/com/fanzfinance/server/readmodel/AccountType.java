package com.fanzfinance.server.readmodel;

import java.util.Locale;

/** Where an account sits in the financial statements; its normal balance follows from it. */
public enum AccountType {
    ASSET(true),
    LIABILITY(false),
    EQUITY(false),
    REVENUE(false),
    EXPENSE(true),
    /** A code no range of the chart covers: reported, never silently folded into another type. */
    UNCLASSIFIED(true);

    private final boolean debitNormal;

    AccountType(boolean debitNormal) {
        this.debitNormal = debitNormal;
    }

    /** Assets and expenses grow with debits; liabilities, equity and revenue with credits. */
    public boolean isDebitNormal() {
        return debitNormal;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The hledger top-level account of this type. */
    public String hledgerRoot() {
        return switch (this) {
            case ASSET -> "assets";
            case LIABILITY -> "liabilities";
            case EQUITY -> "equity";
            case REVENUE -> "revenues";
            case EXPENSE -> "expenses";
            case UNCLASSIFIED -> "unclassified";
        };
    }

    static AccountType ofWireName(String name) {
        for (AccountType type : values()) {
            if (type != UNCLASSIFIED && type.wireName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
