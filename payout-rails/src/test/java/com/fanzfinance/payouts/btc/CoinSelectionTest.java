package com.fanzfinance.payouts.btc;

import static com.fanzfinance.payouts.btc.BtcTestKeys.NET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;

/** Coin selection, change and fee rules of {@link PayoutTransactions#build}. */
class CoinSelectionTest {
    private final ECKey hot = BtcTestKeys.key("hot wallet");
    private final Address hotAddress = BtcTestKeys.p2wpkh(hot);
    private final Address payee = BtcTestKeys.p2wpkh(BtcTestKeys.key("payee"));

    // A P2WPKH 1-in-1-out transaction weighs 437 or 438 WU (71- or 72-byte signature): 110 vB either way; with a
    // second P2WPKH output 561 or 562 WU: 141 vB.
    private static final long ONE_OUT_VSIZE = 110;
    private static final long TWO_OUT_VSIZE = 141;

    private Utxo utxo(long sat, String label) {
        return BtcTestKeys.utxo(BtcTestKeys.funding(hotAddress, sat, label), true);
    }

    private BuiltTransaction build(List<Utxo> utxos, long amount, long satPerVb) throws InsufficientFundsException {
        return BitcoinRail.build(utxos, payee, amount, FeeRate.ofSatPerVb(satPerVb), hotAddress, hot, NET);
    }

    @Test
    void anExactMatchHasNoChangeAndTheExactFee() throws Exception {
        BuiltTransaction built = build(List.of(utxo(100_000 + 2 * ONE_OUT_VSIZE, "exact")), 100_000, 2);
        assertThat(built.vsize()).isEqualTo(ONE_OUT_VSIZE);
        assertThat(built.changeSat()).isZero();
        assertThat(built.tx().getOutputs()).hasSize(1);
        assertThat(built.feeSat()).isEqualTo(2 * ONE_OUT_VSIZE);
    }

    @Test
    void changeBelowDustGoesToTheFee() throws Exception {
        // With change the fee would be 2 × 141 = 282, leaving 293 sat: one under the P2WPKH dust limit.
        long value = 100_000 + 282 + 293;
        BuiltTransaction built = build(List.of(utxo(value, "dust")), 100_000, 2);
        assertThat(built.changeSat()).isZero();
        assertThat(built.tx().getOutputs()).hasSize(1);
        assertThat(built.feeSat()).isEqualTo(value - 100_000).isGreaterThan(2 * built.vsize());
    }

    @Test
    void changeAtTheDustLimitIsKept() throws Exception {
        long value = 100_000 + 2 * TWO_OUT_VSIZE + 294;
        BuiltTransaction built = build(List.of(utxo(value, "at dust")), 100_000, 2);
        assertThat(built.vsize()).isEqualTo(TWO_OUT_VSIZE);
        assertThat(built.changeSat()).isEqualTo(294);
        assertThat(built.feeSat()).isEqualTo(2 * TWO_OUT_VSIZE);
        assertThat(built.tx().getOutput(1).getValue().value).isEqualTo(294);
    }

    @Test
    void largestConfirmedFirstAndUnconfirmedNeverSpent() throws Exception {
        Utxo unconfirmed = BtcTestKeys.utxo(BtcTestKeys.funding(hotAddress, 10_000_000, "mempool"), false);
        Utxo small = utxo(30_000, "small");
        Utxo middle = utxo(80_000, "middle");
        Utxo large = utxo(90_000, "large");
        BuiltTransaction one = build(List.of(unconfirmed, small, middle, large), 50_000, 1);
        assertThat(one.inputs()).containsExactly(large);
        BuiltTransaction two = build(List.of(unconfirmed, small, middle, large), 150_000, 1);
        assertThat(two.inputs()).containsExactly(large, middle);
        assertThat(two.tx().getInput(0).getOutpoint().hash().toString()).isEqualTo(large.txid());
        // The same inputs in another order give the same transaction.
        assertThat(build(List.of(large, small, unconfirmed, middle), 150_000, 1).txid()).isEqualTo(two.txid());
    }

    @Test
    void insufficientConfirmedFundsSaySoClearly() {
        Utxo unconfirmed = BtcTestKeys.utxo(BtcTestKeys.funding(hotAddress, 10_000_000, "mempool"), false);
        assertThatThrownBy(() -> build(List.of(utxo(60_000, "a"), utxo(40_000, "b"), unconfirmed), 100_000, 1))
            .isInstanceOf(InsufficientFundsException.class)
            .hasMessageContaining("2 confirmed outputs hold 100000 sat")
            .hasMessageContaining("paying 100000 sat at 1 sat/vB");
        assertThatThrownBy(() -> build(List.of(), 100_000, 1)).isInstanceOf(InsufficientFundsException.class)
            .hasMessageContaining("0 confirmed outputs hold 0 sat");
    }

    @Test
    void aDecimalRateRoundsUp() throws Exception {
        FeeRate rate = FeeRate.ofSatPerVb(new BigDecimal("1.0001"));
        assertThat(rate.milliSatPerVb()).isEqualTo(1001);
        assertThat(rate.feeFor(141)).isEqualTo(142); // 141.141 → 142
        assertThat(FeeRate.ofSatPerVb(new BigDecimal("2.5")).feeFor(141)).isEqualTo(353); // 352.5 → 353
        assertThat(FeeRate.ofSatPerVb(2).feeFor(141)).isEqualTo(282);
    }

    @Test
    void payingBelowTheRecipientsDustLimitIsRefused() {
        Address legacy = BtcTestKeys.key("legacy payee").toAddress(ScriptType.P2PKH, NET);
        assertThat(PayoutTransactions.dustLimit(legacy)).isEqualTo(546);
        assertThatThrownBy(() -> BitcoinRail.build(List.of(utxo(100_000, "x")), legacy, 545, FeeRate.ofSatPerVb(1),
            hotAddress, hot, NET)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dust");
    }

    /** Whatever the wallet holds: in − out = fee ≥ ceil(vsize × rate), exact when there is change, and it verifies. */
    @Property(tries = 40)
    void invariantsHoldForAnyWallet(@ForAll @Size(min = 1, max = 6) List<@LongRange(min = 300, max = 3_000_000) Long> values,
                                    @ForAll @LongRange(min = 546, max = 5_000_000) long amount,
                                    @ForAll @IntRange(min = 1000, max = 60_000) int milliRate) {
        List<Utxo> utxos = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            utxos.add(utxo(values.get(i), "p" + i + "/" + values.get(i)));
        }
        FeeRate rate = new FeeRate(milliRate);
        BuiltTransaction built;
        try {
            built = BitcoinRail.build(utxos, payee, amount, rate, hotAddress, hot, NET);
        } catch (InsufficientFundsException e) {
            long total = values.stream().mapToLong(Long::longValue).sum();
            // Even the whole wallet spent without change cannot pay amount plus the fee of a 1-input transaction.
            assertThat(total).isLessThan(amount + rate.feeFor(ONE_OUT_VSIZE + 68L * (values.size() - 1)) + 1);
            return;
        }
        Transaction tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(built.rawHex())));
        long in = built.inputs().stream().mapToLong(Utxo::valueSat).sum();
        long out = tx.getOutputs().stream().mapToLong(o -> o.getValue().value).sum();
        assertThat(in - out).isEqualTo(built.feeSat());
        assertThat(tx.getOutput(0).getValue().value).isEqualTo(amount);
        long exact = rate.feeFor(PayoutTransactionProofTest.independentVsize(tx));
        int inputs = tx.getInputs().size();
        assertThat(built.feeSat()).isGreaterThanOrEqualTo(exact);
        if (built.changeSat() > 0) {
            assertThat(built.changeSat()).isGreaterThanOrEqualTo(294);
            // Exact, unless re-signing kept flipping a signature's length (then the cheapest that pays its own rate:
            // at most a vbyte per input over).
            assertThat(built.feeSat() - exact).isLessThanOrEqualTo(built.feeSat() == exact ? 0 : rate.feeFor(inputs));
        } else {
            // The change would have been under 294 sat; each signature may be a byte longer in the change version.
            assertThat(built.feeSat() - exact).isLessThan(294 + rate.feeFor(31 + inputs));
        }
        for (int i = 0; i < tx.getInputs().size(); i++) {
            Utxo used = built.inputs().get(i);
            Transaction funding = BtcTestKeys.funding(hotAddress, used.valueSat(),
                "p" + values.indexOf(used.valueSat()) + "/" + used.valueSat());
            PayoutTransactionProofTest.verifyInput(tx, i, funding.getOutput(0));
        }
    }

    @Test
    void aRemainderGoesToTheFeeOnlyWhenItIsBelowTheChangeThreshold() {
        FeeRate rate = FeeRate.ofSatPerVb(2);
        long tolerance = rate.feeFor(31 + 1 + 1); // one input: the change output's 31 vB, a signature byte, rounding
        PayoutTransactions.checkNoChangeExcess(0, 294, rate, 1);
        PayoutTransactions.checkNoChangeExcess(294 + tolerance - 1, 294, rate, 1);
        assertThatThrownBy(() -> PayoutTransactions.checkNoChangeExcess(294 + tolerance, 294, rate, 1))
            .isInstanceOf(PayoutTransactions.FeeExcessException.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> PayoutTransactions.checkNoChangeExcess(50_000, 294, rate, 3))
            .isInstanceOf(PayoutTransactions.FeeExcessException.class);
    }
}
