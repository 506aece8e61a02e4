package com.fanzfinance.payouts.btc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An unspent output of the hot wallet as the Esplora endpoint lists it.
 *
 * @param txid      the funding transaction's id (64 lower-case hex digits, display order)
 * @param vout      the output's index in that transaction
 * @param valueSat  its value in satoshis
 * @param confirmed whether the funding transaction is in a block (only confirmed outputs are spent)
 */
public record Utxo(String txid, int vout, long valueSat, boolean confirmed) {
    private static final Pattern TXID = Pattern.compile("[0-9a-f]{64}");

    public Utxo {
        Objects.requireNonNull(txid, "txid");
        if (!TXID.matcher(txid).matches()) {
            throw new IllegalArgumentException("a txid is 64 lower-case hex digits");
        }
        if (vout < 0) {
            throw new IllegalArgumentException("vout must not be negative");
        }
        if (valueSat <= 0 || valueSat > 21_000_000L * 100_000_000L) {
            throw new IllegalArgumentException("a UTXO's value is 1 sat to 21M BTC");
        }
    }

    /** {@code txid:vout}, as the state lists the inputs used. */
    public String outpoint() {
        return txid + ":" + vout;
    }
}
