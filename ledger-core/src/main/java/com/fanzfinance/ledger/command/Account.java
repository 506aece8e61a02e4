package com.fanzfinance.ledger.command;

import java.util.Objects;


/**
 * An account as created or as looked up. On creation the four balances and the timestamp must be zero
 * (unless {@code imported}, which supplies the timestamp); the ledger reports them on lookup.
 *
 * @param tenant the brand that owns the account (an id assigned by the service; 0 when unused)
 */
public record Account(Uint128 id, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted,
                      Uint128 userData128, long userData64, int userData32, int ledger, int code, int flags,
                      long timestamp, int tenant) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userData128, "userData128");
        requireUnsigned16("code", code);
        requireUnsigned16("flags", flags);
    }

    /** A new account with no user data, flags or tenant. */
    public static Account of(Uint128 id, int ledger, int code) {
        return new Account(id, 0, 0, 0, 0, Uint128.ZERO, 0, 0, ledger, code, 0, 0, 0);
    }

    public Account withFlags(int newFlags) {
        return new Account(id, debitsPending, debitsPosted, creditsPending, creditsPosted, userData128, userData64,
            userData32, ledger, code, newFlags, timestamp, tenant);
    }

    public Account withUserData(Uint128 newUserData128, long newUserData64, int newUserData32) {
        return new Account(id, debitsPending, debitsPosted, creditsPending, creditsPosted, newUserData128, newUserData64,
            newUserData32, ledger, code, flags, timestamp, tenant);
    }

    public Account withTimestamp(long newTimestamp) {
        return new Account(id, debitsPending, debitsPosted, creditsPending, creditsPosted, userData128, userData64,
            userData32, ledger, code, flags, newTimestamp, tenant);
    }

    public Account withTenant(int newTenant) {
        return new Account(id, debitsPending, debitsPosted, creditsPending, creditsPosted, userData128, userData64,
            userData32, ledger, code, flags, timestamp, newTenant);
    }

    public boolean has(int flag) {
        return AccountFlags.isSet(flags, flag);
    }

    static void requireUnsigned16(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be in 0..65535, was " + value);
        }
    }
}
