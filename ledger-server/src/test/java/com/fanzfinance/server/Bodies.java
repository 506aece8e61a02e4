package com.fanzfinance.server;

import java.util.UUID;

/** Small JSON request bodies for the end-to-end tests, written out so the wire format is visible. */
public final class Bodies {
    private Bodies() {
    }

    /** A canonical UUID whose low 64 bits are {@code n} (and a fixed high half per {@code kind}). */
    public static String id(int kind, long n) {
        return new UUID(0x1000L + kind, n).toString();
    }

    public static String account(String id, int ledger, String tenant, String... flags) {
        return "{\"id\":\"" + id + "\",\"ledger\":" + ledger + ",\"code\":1" + flagList(flags)
            + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") + "}";
    }

    public static String transfer(String id, String debit, String credit, long amount, int ledger, String... flags) {
        return "{\"id\":\"" + id + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\"" + credit
            + "\",\"amount\":\"" + amount + "\",\"ledger\":" + ledger + ",\"code\":1" + flagList(flags) + "}";
    }

    public static String accounts(String... accounts) {
        return "{\"accounts\":[" + String.join(",", accounts) + "]}";
    }

    public static String transfers(String... transfers) {
        return "{\"transfers\":[" + String.join(",", transfers) + "]}";
    }

    private static String flagList(String... flags) {
        if (flags.length == 0) {
            return "";
        }
        return ",\"flags\":[\"" + String.join("\",\"", flags) + "\"]";
    }
}
