package com.fanzfinance.payouts.btc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.crypto.ECKey;

/** Deterministic regtest keys and funding transactions for the BTC tests. */
final class BtcTestKeys {
    static final BitcoinNetwork NET = BitcoinNetwork.REGTEST;

    private BtcTestKeys() {
    }

    /** A compressed key derived from {@code label} (so every run signs the same bytes). */
    static ECKey key(String label) {
        byte[] seed = Sha256Hash.hash(label.getBytes(StandardCharsets.UTF_8));
        return ECKey.fromPrivate(new BigInteger(1, seed), true);
    }

    static Address p2wpkh(ECKey key) {
        return key.toAddress(ScriptType.P2WPKH, NET);
    }

    /** A coinbase-like transaction paying {@code sat} to {@code to} in output 0. */
    static Transaction funding(Address to, long sat, String label) {
        Transaction tx = Transaction.coinbase(("fund " + label).getBytes(StandardCharsets.US_ASCII));
        tx.addOutput(Coin.valueOf(sat), to);
        return tx;
    }

    static Utxo utxo(Transaction funding, boolean confirmed) {
        return new Utxo(funding.getTxId().toString(), 0, funding.getOutput(0).getValue().value, confirmed);
    }

    static List<Transaction> fundings(Address to, long... sats) {
        java.util.ArrayList<Transaction> list = new java.util.ArrayList<>();
        for (int i = 0; i < sats.length; i++) {
            list.add(funding(to, sats[i], to + "#" + i));
        }
        return list;
    }
}
