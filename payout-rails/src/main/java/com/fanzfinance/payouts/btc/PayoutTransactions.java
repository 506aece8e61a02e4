package com.fanzfinance.payouts.btc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutPoint;
import org.bitcoinj.core.TransactionWitness;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.crypto.TransactionSignature;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;

/**
 * Builds and signs one payout transaction from the hot wallet's P2WPKH outputs: coin selection, exact fee, change,
 * BIP-143 signatures and opt-in RBF.
 *
 * <p><b>Coin selection</b> (deterministic): only confirmed outputs; sorted by value, largest first (ties by txid, then
 * vout), at most {@link #MAX_INPUTS} of them; the fewest of the largest that pay amount + fee. For each prefix of that list, first with a change output:
 * if the change left after the exact fee is at least {@code minChangeSat} the transaction has change; else without
 * change: if the inputs pay amount + the (smaller) exact fee, the whole remainder is the fee (change below dust goes
 * to the miner) — checked to be below {@code minChangeSat} plus the omitted change output's own fee, else refused
 * ({@link FeeExcessException}); else one more input is taken.
 *
 * <p><b>Fee</b>: ceil(vsize × rate) of the final signed transaction. A signature's length can differ by a byte when the
 * change value (and so the signed hash) changes, so the transaction is re-signed until the fee it pays is the fee its
 * own vsize asks for. Should the lengths keep flipping for 8 rounds (in practice not seen), the cheapest version that
 * pays at least its own ceil(vsize × rate) is taken: then the fee is over the exact one by less than a vbyte per input.
 *
 * <p>Outputs: 0 pays the payee, 1 (if any) is the change, then (if a tag is given) a zero-value {@code OP_RETURN} output
 * carrying the tag. Version 2, lock time 0, every input's nSequence {@code 0xfffffffd} (BIP-125 replaceable, no
 * relative lock).
 */
public final class PayoutTransactions {
    /** nSequence that signals BIP-125 replaceability. */
    public static final long RBF_SEQUENCE = 0xFFFF_FFFDL;
    /** The change output's dust limit: a P2WPKH output under 294 sat is not relayed at the default dust fee. */
    public static final long DEFAULT_MIN_CHANGE_SAT = 294;
    /**
     * At most this many inputs (the largest ones): about 45,000 hex characters signed, inside a rail state's value
     * limit and far inside the standard transaction weight.
     */
    public static final int MAX_INPUTS = 150;
    private static final int MAX_RESIGNS = 8;
    /** A P2WPKH output's size: 8 value + 1 script length + 22 script bytes. */
    static final int P2WPKH_OUTPUT_VBYTES = 31;

    /**
     * Thrown instead of building a transaction without change whose fee would exceed its exact fee by {@code
     * minChangeSat} or more (plus the omitted change output's own fee): that remainder should have been change, and
     * sending it to the miners is refused.
     */
    public static final class FeeExcessException extends IllegalStateException {
        FeeExcessException(String message) {
            super(message);
        }
    }

    private PayoutTransactions() {
    }

    /** The dust limit of an output paying {@code address} (546 P2PKH/P2SH, 294 P2WPKH, 330 P2WSH/P2TR). */
    public static long dustLimit(Address address) {
        ScriptType type = address.getOutputScriptType();
        return switch (type) {
            case P2PKH, P2SH -> 546;
            case P2WPKH -> 294;
            default -> 330;
        };
    }

    /**
     * Selects inputs, computes fee and change, and signs.
     *
     * @param utxos         the hot wallet's outputs (unconfirmed ones are ignored); all pay {@code key}'s P2WPKH address
     * @param to            the payee
     * @param amountSat     what the payee receives
     * @param rate          the fee rate
     * @param changeAddress where change goes (the hot wallet)
     * @param key           the hot wallet key
     * @param minChangeSat  smallest change output made; less goes to the fee
     * @throws InsufficientFundsException when the confirmed outputs cannot pay amount + fee
     */
    public static BuiltTransaction build(List<Utxo> utxos, Address to, long amountSat, FeeRate rate, Address changeAddress,
                                         ECKey key, long minChangeSat) throws InsufficientFundsException {
        return build(utxos, to, amountSat, rate, changeAddress, key, minChangeSat, null);
    }

    /**
     * As {@link #build(List, Address, long, FeeRate, Address, ECKey, long)}, with an {@code OP_RETURN} output carrying
     * {@code tag} (at most 80 bytes; null for none): the driver marks each payout's transaction with one so that it can
     * find it on chain when its saved state is lost.
     */
    public static BuiltTransaction build(List<Utxo> utxos, Address to, long amountSat, FeeRate rate, Address changeAddress,
                                         ECKey key, long minChangeSat, byte[] tag) throws InsufficientFundsException {
        if (tag != null && (tag.length == 0 || tag.length > 80)) {
            throw new IllegalArgumentException("a tag is 1-80 bytes");
        }
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(key, "key");
        if (changeAddress.getOutputScriptType() != ScriptType.P2WPKH) {
            throw new IllegalArgumentException("change goes to a P2WPKH address");
        }
        if (amountSat < dustLimit(to)) {
            throw new IllegalArgumentException(amountSat + " sat is below the " + dustLimit(to)
                + " sat dust limit of a " + to.getOutputScriptType() + " output");
        }
        List<Utxo> candidates = utxos.stream().filter(Utxo::confirmed)
            .sorted(Comparator.comparingLong(Utxo::valueSat).reversed().thenComparing(Utxo::txid)
                .thenComparingInt(Utxo::vout))
            .limit(MAX_INPUTS).toList();
        long sum = 0;
        long lastNeed = 0;
        for (int count = 1; count <= candidates.size(); count++) {
            List<Utxo> selected = candidates.subList(0, count);
            sum = Math.addExact(sum, selected.get(count - 1).valueSat());
            if (sum <= amountSat) {
                lastNeed = amountSat + 1;
                continue;
            }
            BuiltTransaction withChange = withChange(selected, sum, to, amountSat, rate, changeAddress, key, minChangeSat,
                tag);
            if (withChange != null) {
                return withChange;
            }
            Transaction noChange = sign(selected, to, amountSat, null, 0, key, tag);
            long fee = rate.feeFor(noChange.getVsize());
            lastNeed = amountSat + fee;
            if (sum - amountSat >= fee) {
                checkNoChangeExcess(sum - amountSat - fee, minChangeSat, rate, selected.size());
                return result(noChange, selected, amountSat, sum - amountSat, 0);
            }
        }
        long all = candidates.stream().mapToLong(Utxo::valueSat).sum();
        throw new InsufficientFundsException("the hot wallet's " + candidates.size() + " confirmed outputs hold " + all
            + " sat; paying " + amountSat + " sat at " + rate + " needs at least "
            + Math.max(lastNeed, amountSat + 1) + " sat");
    }

    /**
     * A transaction without change gives its inputs' remainder to the fee: allowed only when the part over the exact fee
     * ({@code excessSat}) is below {@code minChangeSat} plus what the omitted change output would itself have cost
     * (its 31 vB, and a quarter vB per input for signatures that may be a byte longer, rounded up, at {@code rate}).
     *
     * @throws FeeExcessException otherwise
     */
    static void checkNoChangeExcess(long excessSat, long minChangeSat, FeeRate rate, int inputs) {
        long tolerance = rate.feeFor(P2WPKH_OUTPUT_VBYTES + (inputs + 3) / 4 + 1);
        if (excessSat >= Math.addExact(minChangeSat, tolerance)) {
            throw new FeeExcessException("a transaction without change would give " + excessSat + " sat over its exact "
                + "fee to the miners (change is made from " + minChangeSat + " sat, tolerance " + tolerance
                + " sat); refused");
        }
    }

    private static BuiltTransaction withChange(List<Utxo> selected, long sum, Address to, long amountSat, FeeRate rate,
                                               Address changeAddress, ECKey key, long minChangeSat, byte[] tag) {
        long fee = 0;
        Transaction best = null;
        long bestFee = -1;
        for (int round = 0; round < MAX_RESIGNS; round++) {
            long change = sum - amountSat - fee;
            if (change < minChangeSat) {
                return null;
            }
            Transaction tx = sign(selected, to, amountSat, changeAddress, change, key, tag);
            long needed = rate.feeFor(tx.getVsize());
            if (needed == fee) {
                return result(tx, selected, amountSat, fee, change);
            }
            if (fee > needed && (best == null || fee < bestFee)) {
                best = tx;
                bestFee = fee;
            }
            fee = needed;
        }
        // Signature lengths kept flipping: take the cheapest version that pays at least its own rate.
        return best == null ? null : result(best, selected, amountSat, bestFee, sum - amountSat - bestFee);
    }

    private static Transaction sign(List<Utxo> selected, Address to, long amountSat, Address changeAddress, long change,
                                    ECKey key, byte[] tag) {
        Transaction tx = new Transaction();
        tx.setVersion(2);
        tx.setLockTime(0);
        tx.addOutput(Coin.valueOf(amountSat), to);
        if (changeAddress != null) {
            tx.addOutput(Coin.valueOf(change), changeAddress);
        }
        if (tag != null) {
            tx.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(tag));
        }
        for (Utxo utxo : selected) {
            TransactionOutPoint outPoint = new TransactionOutPoint(utxo.vout(), Sha256Hash.wrap(utxo.txid()));
            tx.addInput(new TransactionInput(tx, new byte[0], outPoint, Coin.valueOf(utxo.valueSat()))
                .withSequence(RBF_SEQUENCE));
        }
        Script scriptCode = ScriptBuilder.createP2PKHOutputScript(key);
        for (int i = 0; i < selected.size(); i++) {
            TransactionSignature signature = tx.calculateWitnessSignature(i, key, scriptCode,
                Coin.valueOf(selected.get(i).valueSat()), Transaction.SigHash.ALL, false);
            TransactionInput input = tx.getInput(i);
            tx.replaceInput(i, input.withScriptSig(ScriptBuilder.createEmpty())
                .withWitness(TransactionWitness.redeemP2WPKH(signature, key)));
        }
        return tx;
    }

    private static BuiltTransaction result(Transaction tx, List<Utxo> selected, long amountSat, long fee, long change) {
        return new BuiltTransaction(tx, tx.getTxId().toString(), HexFormat.of().formatHex(tx.serialize()), amountSat, fee,
            change, tx.getVsize(), new ArrayList<>(selected));
    }
}
