package com.fanzfinance.payouts.btc;

import static com.fanzfinance.payouts.btc.BtcTestKeys.NET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.Coin;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.core.TransactionWitness;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.crypto.internal.CryptoUtils;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;
import org.bitcoinj.script.ScriptException;
import org.bitcoinj.script.ScriptPattern;
import org.junit.jupiter.api.Test;

/**
 * THE proof: a payout transaction built and signed by {@link BitcoinRail#build} is accepted by bitcoinj's own script
 * verification with regtest parameters, and pays exactly the computed amount, change and fee.
 */
class PayoutTransactionProofTest {
    private final ECKey hot = BtcTestKeys.key("hot wallet");
    private final Address hotAddress = BtcTestKeys.p2wpkh(hot);
    private final Address payee = BtcTestKeys.p2wpkh(BtcTestKeys.key("payee"));

    @Test
    void aTwoInputTransactionWithChangeVerifiesAndPaysExactly() throws Exception {
        List<Transaction> fundings = BtcTestKeys.fundings(hotAddress, 70_000, 60_000, 5_000);
        List<Utxo> utxos = fundings.stream().map(tx -> BtcTestKeys.utxo(tx, true)).toList();
        FeeRate rate = FeeRate.ofSatPerVb(new java.math.BigDecimal("3.7"));

        BuiltTransaction built = BitcoinRail.build(utxos, payee, 100_000, rate, hotAddress, hot, NET);

        // The broadcast bytes, read back, are what is checked.
        Transaction tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(built.rawHex())));
        assertThat(tx.getTxId().toString()).isEqualTo(built.txid());
        Map<String, TransactionOutput> spent = fundings.stream().collect(Collectors.toMap(
            f -> f.getTxId() + ":0", f -> f.getOutput(0), (a, b) -> a));
        assertThat(tx.getInputs()).hasSize(2);
        long in = 0;
        for (int i = 0; i < tx.getInputs().size(); i++) {
            TransactionInput input = tx.getInput(i);
            TransactionOutput prev = spent.get(input.getOutpoint().hash() + ":" + input.getOutpoint().index());
            assertThat(prev).isNotNull();
            verifyInput(tx, i, prev);
            assertThat(input.getSequenceNumber()).isEqualTo(0xFFFF_FFFDL);
            in += prev.getValue().value;
        }
        Transaction.verify(org.bitcoinj.base.BitcoinNetwork.REGTEST, tx);
        assertThat(tx.isOptInFullRBF()).isTrue();

        long out = tx.getOutputs().stream().mapToLong(o -> o.getValue().value).sum();
        assertThat(in).isEqualTo(130_000);
        assertThat(in - out).isEqualTo(built.feeSat());
        assertThat(tx.getVsize()).isEqualTo(built.vsize()).isEqualTo(independentVsize(tx));
        // ceil(vsize × 3.7) without the code under test's helper: vsize × 37 / 10 rounded up.
        assertThat(built.feeSat()).isEqualTo((built.vsize() * 37L + 9) / 10);
        assertThat(tx.getOutput(0).getValue()).isEqualTo(Coin.valueOf(100_000));
        assertThat(tx.getOutput(0).getScriptPubKey().getToAddress(NET)).isEqualTo(payee);
        assertThat(tx.getOutputs()).hasSize(2);
        assertThat(tx.getOutput(1).getScriptPubKey().getToAddress(NET)).isEqualTo(hotAddress);
        assertThat(tx.getOutput(1).getValue().value).isEqualTo(built.changeSat())
            .isEqualTo(130_000 - 100_000 - built.feeSat());
        assertThat(built.inputs()).extracting(Utxo::valueSat).containsExactly(70_000L, 60_000L);
    }

    @Test
    void verificationRejectsATamperedTransaction() throws Exception {
        Transaction funding = BtcTestKeys.funding(hotAddress, 500_000, "tamper");
        BuiltTransaction built = BitcoinRail.build(List.of(BtcTestKeys.utxo(funding, true)), payee, 100_000,
            FeeRate.ofSatPerVb(2), hotAddress, hot, NET);
        Transaction tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(built.rawHex())));
        verifyInput(tx, 0, funding.getOutput(0));

        // More to the payee than was signed: the signature no longer holds.
        Transaction tampered = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(built.rawHex())));
        tampered.replaceOutput(0, new TransactionOutput(tampered, Coin.valueOf(100_001),
            ScriptBuilder.createOutputScript(payee).program()));
        assertThatThrownBy(() -> verifyInput(tampered, 0, funding.getOutput(0))).isInstanceOf(ScriptException.class);
        // The right signature claimed against a wrong input value (BIP-143 commits to it) fails too.
        TransactionOutput wrongValue = new TransactionOutput(funding, Coin.valueOf(500_001),
            funding.getOutput(0).getScriptBytes());
        assertThatThrownBy(() -> verifyInput(tx, 0, wrongValue)).isInstanceOf(ScriptException.class);
    }

    /** bitcoinj's verification for one input, plus the witness key's hash against the P2WPKH program. */
    static void verifyInput(Transaction tx, int index, TransactionOutput prev) {
        TransactionInput input = tx.getInput(index);
        TransactionWitness witness = input.getWitness();
        Script scriptPubKey = prev.getScriptPubKey();
        assertThat(ScriptPattern.isP2WPKH(scriptPubKey)).isTrue();
        assertThat(input.getScriptBytes()).isEmpty();
        assertThat(witness.getPushCount()).isEqualTo(2);
        assertThat(Arrays.equals(CryptoUtils.sha256hash160(witness.getPush(1)),
            ScriptPattern.extractHashFromP2WH(scriptPubKey))).isTrue();
        input.getScriptSig().correctlySpends(tx, index, witness, prev.getValue(), scriptPubKey, Script.ALL_VERIFY_FLAGS);
    }

    /** vsize from the BIP-141 definition: weight = 3 × stripped size + total size, vsize = ceil(weight / 4). */
    static int independentVsize(Transaction tx) {
        int total = tx.serialize().length;
        int witnessBytes = 2; // marker and flag
        for (TransactionInput input : tx.getInputs()) {
            TransactionWitness witness = input.getWitness();
            witnessBytes += 1; // push count < 253
            for (int i = 0; i < witness.getPushCount(); i++) {
                witnessBytes += 1 + witness.getPush(i).length; // each push < 253 bytes
            }
        }
        int stripped = total - witnessBytes;
        int weight = 3 * stripped + total;
        return (weight + 3) / 4;
    }
}
