package com.fanzfinance.payouts.btc;

import java.util.List;
import java.util.Objects;
import org.bitcoinj.core.Transaction;

/**
 * A signed payout transaction and the numbers it was built from.
 *
 * @param tx         the signed transaction (segwit serialization)
 * @param txid       its id, 64 hex digits
 * @param rawHex     its serialization with witnesses, as broadcast
 * @param amountSat  what output 0 pays the payee
 * @param feeSat     inputs − outputs
 * @param changeSat  the change output's value (output 1), 0 when there is none
 * @param vsize      the signed transaction's virtual size
 * @param inputs     the UTXOs it spends, in input order
 */
public record BuiltTransaction(Transaction tx, String txid, String rawHex, long amountSat, long feeSat, long changeSat,
                               int vsize, List<Utxo> inputs) {

    public BuiltTransaction {
        Objects.requireNonNull(tx, "tx");
        inputs = List.copyOf(inputs);
    }

    /** The inputs as {@code txid:vout} joined with commas. */
    public String inputList() {
        return String.join(",", inputs.stream().map(Utxo::outpoint).toList());
    }
}
