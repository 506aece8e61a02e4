package com.fanzfinance.payouts.btc;

import static com.fanzfinance.payouts.btc.BtcTestKeys.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.payouts.btc.sim.EsploraSimulator;
import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bitcoinj.base.Address;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against the Esplora simulator on a loopback port: broadcast, confirmations, restarts, faults, reorgs. */
class BitcoinRailTest {
    static final UUID ACCOUNT = UUID.fromString("00000000-0000-0000-0000-00000000b7c0");
    final ECKey hot = BtcTestKeys.key("hot wallet");
    final String wif = hot.getPrivateKeyAsWiF(NET);
    final Address hotAddress = BtcTestKeys.p2wpkh(hot);
    final Address payee = BtcTestKeys.p2wpkh(BtcTestKeys.key("payee"));
    final RailHttp http = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20);
    EsploraSimulator sim;
    /** Every value set the driver saved, in order (what a restarted server would load: the last one). */
    final List<Map<String, String>> saves = new ArrayList<>();
    final List<RailStep> steps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = new EsploraSimulator();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    Map<String, String> settings(String... extra) {
        Map<String, String> settings = new HashMap<>(Map.of("network", "regtest", "esplora_url", sim.baseUrl(),
            "fee_rate_sat_vb", "2", "confirmations", "3"));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                settings.remove(extra[i]);
            } else {
                settings.put(extra[i], extra[i + 1]);
            }
        }
        return settings;
    }

    BitcoinRail rail(RailHttp with, String... extra) {
        return new BitcoinRail(new RailAccount(ACCOUNT, "btc", settings(extra), Map.of("signing_key", wif)), with,
            Clock.systemUTC());
    }

    BitcoinRail rail(String... extra) {
        return rail(http, extra);
    }

    RailPayout payout(long sat, String address) {
        return new RailPayout(UUID.fromString("7b0c6f7e-1d2a-4c55-9a51-0f4e2d9b6a11"), "brand", sat, "BTC", 8,
            Map.of("address", address), "Payee", null, Map.of());
    }

    RailPayout payout() {
        return payout(100_000, payee.toString());
    }

    /** A state as the server keeps it: each save recorded. */
    RailState state(Map<String, String> values) {
        return new RailState(values, saved -> saves.add(Map.copyOf(saved)));
    }

    /** A fresh driver given the last saved values: what a restarted server does. */
    RailStep restartAndAdvance(RailPayout payout) {
        RailState state = state(saves.isEmpty() ? Map.of() : saves.get(saves.size() - 1));
        return record(rail().advance(payout, state));
    }

    RailStep record(RailStep step) {
        steps.add(step);
        return step;
    }

    Map<String, String> lastSave() {
        return saves.get(saves.size() - 1);
    }

    @Test
    void broadcastsThenSettlesAfterThreeConfirmations() {
        sim.fund(hotAddress, 1_000_000);
        RailState state = state(Map.of());
        BitcoinRail rail = rail();

        RailStep first = record(rail.advance(payout(), state));
        assertThat(first.status()).isEqualTo(RailStatus.SUBMITTED);
        String txid = first.reference();
        assertThat(sim.inMempool(txid)).isTrue();
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        // Saved before it was sent: the raw transaction, its id, fee, change and inputs.
        Map<String, String> beforeSend = saves.get(0);
        assertThat(beforeSend).containsEntry("phase", "signed").containsEntry("txid", txid)
            .containsKeys("raw_tx", "fee_sat", "change_sat", "inputs", "vsize");
        Transaction tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(beforeSend.get("raw_tx"))));
        assertThat(tx.getTxId().toString()).isEqualTo(txid);
        long fee = Long.parseLong(beforeSend.get("fee_sat"));
        long change = Long.parseLong(beforeSend.get("change_sat"));
        assertThat(1_000_000 - 100_000 - change).isEqualTo(fee);
        assertThat(fee).isEqualTo(2L * tx.getVsize());
        assertThat(tx.getOutput(1).getValue().value).isEqualTo(change);
        // Output 2 tags the transaction with the payout (found again should the state be lost).
        assertThat(tx.getOutputs()).hasSize(3);
        assertThat(tx.getOutput(2).getValue().value).isZero();
        assertThat(tx.getOutput(2).getScriptPubKey().program()).isEqualTo(
            org.bitcoinj.script.ScriptBuilder.createOpReturnScript(BitcoinRail.tag(payout())).program());
        assertThat(lastSave()).containsEntry("phase", "sent");

        assertThat(record(rail.advance(payout(), state)).status()).isEqualTo(RailStatus.SUBMITTED);
        sim.mine();
        RailStep one = record(rail.advance(payout(), state));
        assertThat(one.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(one.reason()).contains("1 of 3");
        sim.mine();
        assertThat(record(rail.advance(payout(), state)).reason()).contains("2 of 3");
        sim.mine();
        RailStep settled = record(rail.advance(payout(), state));
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(txid);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(utxoValues(payee)).containsExactly(100_000L);
        assertThat(utxoValues(hotAddress)).containsExactly(change);
    }

    @Test
    void aRestartAfterTheSaveBroadcastsTheSameTransactionOnce() {
        sim.fund(hotAddress, 1_000_000);
        // The server dies right after committing the first save: nothing was sent.
        RailState dying = new RailState(Map.of(), saved -> {
            saves.add(Map.copyOf(saved));
            throw new IllegalStateException("the process died after the commit");
        });
        try {
            rail().advance(payout(), dying);
        } catch (IllegalStateException expected) {
            // as planned
        }
        assertThat(saves).hasSize(1);
        String txid = saves.get(0).get("txid");
        assertThat(sim.broadcasts(txid)).isZero();

        RailStep afterRestart = restartAndAdvance(payout());
        assertThat(afterRestart.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(afterRestart.reference()).isEqualTo(txid);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(sim.inMempool(txid)).isTrue();

        // Later restarts follow the same transaction and never send it again.
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SUBMITTED);
        sim.mine(3);
        RailStep settled = restartAndAdvance(payout());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(txid);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(utxoValues(payee)).containsExactly(100_000L);
    }

    @Test
    void aTimedOutBroadcastIsUnknownAndTheStatusLookupFindsIt() {
        sim.fund(hotAddress, 1_000_000);
        RailHttp impatient = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofMillis(300), 1 << 20);
        sim.delayNext("POST /tx", Duration.ofMillis(1500));
        RailStep first = record(rail(impatient).advance(payout(), state(Map.of())));
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        String txid = first.reference();
        assertThat(lastSave()).containsEntry("phase", "unsure");
        assertThat(sim.inMempool(txid)).isTrue(); // the node took it; the answer was lost

        RailStep next = restartAndAdvance(payout());
        assertThat(next.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.broadcasts(txid)).isEqualTo(1); // looked up, not sent again
        assertThat(sim.requests()).contains("GET /tx/" + txid + "/status");
        sim.mine(3);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
    }

    @Test
    void aBroadcastTheNodeNeverGotIsSentAgainAfterTheLookup() {
        sim.fund(hotAddress, 1_000_000);
        sim.failNext("POST /tx", 503, "upstream node unavailable");
        RailStep first = record(rail().advance(payout(), state(Map.of())));
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        String txid = first.reference();
        assertThat(sim.inMempool(txid)).isFalse();

        RailStep next = restartAndAdvance(payout());
        assertThat(next.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.inMempool(txid)).isTrue();
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(lastSave().get("raw_tx")).isEqualTo(saves.get(0).get("raw_tx"));
    }

    @Test
    void aDroppedConnectionIsUnknownAndAnAlreadyKnownAnswerCountsAsSent() {
        sim.fund(hotAddress, 1_000_000);
        sim.dropNext("POST /tx");
        RailStep first = record(rail().advance(payout(), state(Map.of())));
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        String txid = first.reference();
        sim.mine();
        // The status lookup fails too, so the driver cannot tell yet; it does not send.
        sim.failNext("GET /tx/status", 502, "bad gateway");
        RailStep unsure = restartAndAdvance(payout());
        assertThat(unsure.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(restartAndAdvance(payout()).reason()).contains("1 of 3");
        sim.mine(2);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
    }

    @Test
    void aReorgBringsItBackToSubmittedThenItSettles() {
        sim.fund(hotAddress, 1_000_000);
        RailStep first = record(rail().advance(payout(), state(Map.of())));
        String txid = first.reference();
        sim.mine(2);
        assertThat(restartAndAdvance(payout()).reason()).contains("2 of 3");
        // The block holding it is dropped; the transaction returns to the mempool.
        sim.reorg(true);
        sim.reorg(true);
        assertThat(sim.inMempool(txid)).isTrue();
        RailStep back = restartAndAdvance(payout());
        assertThat(back.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(back.reason()).contains("mempool");
        sim.mine(3);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
    }

    @Test
    void aReorgThatLosesTheTransactionRebroadcastsTheSameBytes() {
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        sim.mine(1);
        assertThat(restartAndAdvance(payout()).reason()).contains("1 of 3");
        sim.reorg(false); // its block is gone and no node remembers it
        assertThat(sim.inMempool(txid)).isFalse();
        assertThat(sim.confirmedAt(txid)).isEmpty();
        RailStep again = restartAndAdvance(payout());
        assertThat(again.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(again.reason()).contains("re-broadcast");
        assertThat(sim.broadcasts(txid)).isEqualTo(2);
        assertThat(sim.inMempool(txid)).isTrue();
        sim.mine(3);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
    }

    @Test
    void aBlockThatIsNoLongerCanonicalIsNotSettled() {
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        sim.mine(3);
        // The status still names the old block while the chain at that height has another one.
        sim.failNext("GET /block-height", 200, "ab".repeat(32));
        RailStep step = restartAndAdvance(payout());
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(step.reason()).contains("no longer the canonical block");
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
    }

    @Test
    void anInputSpentByAnotherDeeplyConfirmedTransactionFailsThePayout() throws Exception {
        String funding = sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        // Another spend of the same coin is refused while ours is in the mempool …
        Address other = BtcTestKeys.p2wpkh(BtcTestKeys.key("someone else"));
        Transaction conflict = BitcoinRail.build(List.of(new Utxo(funding, 0, 1_000_000, true)), other, 500_000,
            FeeRate.ofSatPerVb(5), hotAddress, hot, NET).tx();
        assertThat(sim.accept(conflict)).contains("txn-mempool-conflict");
        // … but once ours is evicted, the other one gets in and is mined.
        assertThat(sim.evict(txid)).isTrue();
        assertThat(sim.accept(conflict)).isEmpty();
        sim.mine();
        RailStep waiting = restartAndAdvance(payout());
        assertThat(waiting.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(waiting.reason()).contains("spent by " + conflict.getTxId());
        sim.mine(2);
        RailStep failed = restartAndAdvance(payout());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(failed.code()).isEqualTo("double_spent");
        assertThat(failed.reason()).contains(conflict.getTxId().toString()).contains("can never confirm");
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
    }

    @Test
    void insufficientFundsFailBeforeAnythingIsSaved() {
        sim.fund(hotAddress, 50_000);
        RailStep step = record(rail().advance(payout(), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("insufficient_funds");
        assertThat(step.reason()).contains("1 confirmed outputs hold 50000 sat").contains(hotAddress.toString());
        assertThat(saves).isEmpty();
        assertThat(sim.requests()).noneMatch(line -> line.startsWith("POST"));
    }

    @Test
    void unconfirmedFundsAreNotSpent() {
        sim.fund(hotAddress, 1_000_000);
        String first = record(rail().advance(payout(), state(Map.of()))).reference();
        // The change of the first payout is unconfirmed: a second payout cannot use it yet.
        saves.clear();
        RailPayout second = new RailPayout(UUID.randomUUID(), "brand", 100_000, "BTC", 8,
            Map.of("address", payee.toString()), null, null, Map.of());
        RailStep blocked = record(rail().advance(second, state(Map.of())));
        assertThat(blocked.code()).isEqualTo("insufficient_funds");
        sim.mine();
        RailStep later = record(rail().advance(second, state(Map.of())));
        assertThat(later.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(lastSave().get("inputs")).startsWith(first + ":1");
    }

    @Test
    void theEstimatorIsUsedAtTheTargetAndCapped() {
        sim.fund(hotAddress, 1_000_000);
        sim.feeEstimates(Map.of(1, new BigDecimal("20.5"), 3, new BigDecimal("12.25"), 6, new BigDecimal("5.137"),
            144, new BigDecimal("1.01")));
        record(rail("fee_rate_sat_vb", null).advance(payout(), state(Map.of())));
        Map<String, String> saved = saves.get(0);
        assertThat(saved).containsEntry("fee_rate", "5.137");
        long vsize = Long.parseLong(saved.get("vsize"));
        assertThat(Long.parseLong(saved.get("fee_sat"))).isEqualTo((vsize * 5137 + 999) / 1000);

        saves.clear();
        sim.mine();
        RailPayout second = new RailPayout(UUID.randomUUID(), "brand", 100_000, "BTC", 8,
            Map.of("address", payee.toString()), null, null, Map.of());
        record(rail("fee_rate_sat_vb", null, "fee_target_blocks", "2", "max_fee_rate_sat_vb", "15").advance(second,
            state(Map.of())));
        assertThat(saves.get(0)).containsEntry("fee_rate", "15"); // target 2 → the 1-block estimate 20.5, capped at 15
    }

    @Test
    void aBadDestinationFailsWithoutCallingTheNode() {
        sim.fund(hotAddress, 1_000_000);
        String testnetAddress = BtcTestKeys.key("payee").toAddress(org.bitcoinj.base.ScriptType.P2WPKH,
            org.bitcoinj.base.BitcoinNetwork.TESTNET).toString();
        RailStep step = record(rail().advance(payout(100_000, testnetAddress), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("address");
        assertThat(step.reason()).contains("not for regtest");
        RailStep dust = record(rail().advance(payout(200, payee.toString()), state(Map.of())));
        assertThat(dust.code()).isEqualTo("dust");
        assertThat(saves).isEmpty();
    }

    @Test
    void aBroadcastThatSurelyDidNotArriveIsStillPreparingAndIsSentNextTime() {
        sim.fund(hotAddress, 1_000_000);
        boolean[] refuseOnce = {true};
        RailHttp refusingPost = request -> {
            if (request.method().equals("POST") && refuseOnce[0]) {
                refuseOnce[0] = false;
                throw new com.fanzfinance.payouts.rail.RailCallException("connection refused", false, null);
            }
            return http.send(request);
        };
        RailStep first = record(rail(refusingPost).advance(payout(), state(Map.of())));
        assertThat(first.status()).isEqualTo(RailStatus.PREPARING);
        String txid = lastSave().get("txid");
        assertThat(sim.broadcasts(txid)).isZero();
        RailStep next = restartAndAdvance(payout());
        assertThat(next.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(next.reference()).isEqualTo(txid);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
    }

    @Test
    void aFirstBroadcastTheNodeRefusesFailsThePayout() {
        sim.fund(hotAddress, 1_000_000);
        sim.failNext("POST /tx", 400,
            "sendrawtransaction RPC error: {\"code\":-26,\"message\":\"min relay fee not met\"}");
        RailStep step = record(rail().advance(payout(), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("rejected");
        assertThat(step.reason()).contains("min relay fee not met");
        assertThat(sim.inMempool(step.reference())).isFalse();
        // The signed bytes are gone from the saved state: nothing can broadcast them later.
        assertThat(lastSave()).doesNotContainKey("raw_tx").containsEntry("txid", step.reference())
            .containsEntry("phase", "refused");
        assertThat(sim.broadcasts(step.reference())).isZero();
        RailStep again = restartAndAdvance(payout());
        assertThat(again.status()).isEqualTo(RailStatus.FAILED);
        assertThat(again.code()).isEqualTo("rejected");
        assertThat(sim.broadcasts(step.reference())).isZero();
        assertThat(sim.requests()).filteredOn(line -> line.startsWith("POST /tx")).hasSize(1);
    }

    @Test
    void aRefusalIsNotAFailureWhenTheNodeKnowsTheTransactionFromAnUnsavedAttempt() {
        sim.fund(hotAddress, 1_000_000);
        RailState dying = new RailState(Map.of(), saved -> {
            saves.add(Map.copyOf(saved));
            throw new IllegalStateException("the process died after the commit");
        });
        try {
            rail().advance(payout(), dying);
        } catch (IllegalStateException expected) {
            // as planned
        }
        // The dead process's broadcast had in fact reached the node (its outcome was never saved) …
        Transaction tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(saves.get(0).get("raw_tx"))));
        assertThat(sim.accept(tx)).isEmpty();
        // … and now the node refuses the repeat for another reason: the driver looks before it fails anything.
        sim.failNext("POST /tx", 400,
            "sendrawtransaction RPC error: {\"code\":-26,\"message\":\"mempool min fee not met\"}");
        RailStep step = restartAndAdvance(payout());
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(step.reference()).isEqualTo(tx.getTxId().toString());
        sim.mine(3);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
    }

    @Test
    void aLostStateFindsThePayoutsTransactionInsteadOfPayingAgain() {
        sim.fund(hotAddress, 1_000_000);
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        assertThat(sim.inMempool(txid)).isTrue();

        // The server lost the payout's state: it starts again from nothing.
        RailStep found = record(rail().advance(payout(), state(Map.of())));
        assertThat(found.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(found.reference()).isEqualTo(txid);
        assertThat(found.reason()).contains("found this payout's transaction");
        assertThat(lastSave()).containsEntry("txid", txid).containsEntry("phase", "sent");
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        sim.mine(3);
        assertThat(restartAndAdvance(payout()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(utxoValues(payee)).containsExactly(100_000L);
    }

    @Test
    void aLostStateFindsAnOlderConfirmedTransactionPagesBack() {
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        sim.mine();
        for (int i = 0; i < 30; i++) {
            sim.fund(hotAddress, 10_000 + i); // 30 newer transactions: ours is on the second page of 25
        }
        RailStep found = record(rail().advance(payout(), state(Map.of())));
        assertThat(found.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(found.reference()).isEqualTo(txid);
        assertThat(sim.requests()).anyMatch(line -> line.contains("/txs/chain/"));
        assertThat(utxoValues(payee)).containsExactly(100_000L);
    }

    @Test
    void aLostStateFindsItsTransactionBeyondFourPagesOfHistory() {
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        sim.mine();
        for (int i = 0; i < 110; i++) {
            sim.fund(hotAddress, 10_000 + i); // 110 newer transactions: ours is on the fifth page of 25
        }
        RailStep found = record(rail().advance(payout(), state(Map.of())));
        assertThat(found.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(found.reference()).isEqualTo(txid);
        assertThat(sim.broadcasts(txid)).isEqualTo(1);
        assertThat(utxoValues(payee)).containsExactly(100_000L);
    }

    @Test
    void aPayoutRequestedAfterTheHistoryBeganScansOnlyBackToItsRequest() {
        for (int i = 0; i < 80; i++) {
            sim.fund(hotAddress, 10_000 + i); // four pages of older history
        }
        sim.fund(hotAddress, 1_000_000);
        // the simulator's block times are 1_700_000_000 + 600 × height; the payout was requested well after them all
        java.time.Instant requested = java.time.Instant.ofEpochSecond(1_700_000_000L + 600L * (sim.tipHeight() + 300));
        RailPayout recent = new RailPayout(UUID.randomUUID(), "brand", 50_000, "BTC", 8, Map.of("address",
            payee.toString()), null, null, Map.of(), requested);
        long scansBefore = sim.requests().stream().filter(line -> line.contains("/txs")).count();
        RailStep step = record(rail("history_scan_pages", "2").advance(recent, state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.requests()).filteredOn(line -> line.contains("/txs")).hasSize((int) scansBefore + 1);
        // the same payout without a request time cannot stop early: two pages are not the whole history
        RailPayout unknownAge = new RailPayout(UUID.randomUUID(), "brand", 50_000, "BTC", 8, Map.of("address",
            payee.toString()), null, null, Map.of());
        assertThat(record(rail("history_scan_pages", "2").advance(unknownAge, state(Map.of()))).status())
            .isEqualTo(RailStatus.UNKNOWN);
    }

    @Test
    void aHistoryLongerThanTheScanLimitIsUnknownAndNothingIsSent() {
        sim.fund(hotAddress, 1_000_000);
        String txid = record(rail().advance(payout(), state(Map.of()))).reference();
        sim.mine();
        for (int i = 0; i < 60; i++) {
            sim.fund(hotAddress, 10_000 + i); // ours is on the third page; the limit is two pages
        }
        saves.clear();
        long scansBefore = sim.requests().stream().filter(line -> line.contains("/txs")).count();
        RailStep step = record(rail("history_scan_pages", "2").advance(payout(), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(step.reason()).contains("history_scan_pages").contains("a person must look");
        assertThat(saves).isEmpty();
        assertThat(sim.requests()).filteredOn(line -> line.startsWith("POST /tx")).hasSize(1);
        assertThat(sim.requests()).filteredOn(line -> line.contains("/txs")).hasSize((int) scansBefore + 2);
        // a payout whose history ends inside the limit is paid as usual
        RailPayout other = new RailPayout(UUID.randomUUID(), "brand", 50_000, "BTC", 8, Map.of("address",
            payee.toString()), null, null, Map.of());
        assertThat(record(rail().advance(other, state(Map.of()))).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(txid).isNotNull();
    }

    @Test
    void twoPayoutsBuiltBeforeTheIndexSeesTheFirstSpendDoNotShareAnInput() {
        sim.fund(hotAddress, 1_000_000);
        sim.fund(hotAddress, 600_000);
        sim.utxoIndexLagsMempool(true);
        RailStep first = record(rail().advance(payout(), state(Map.of())));
        assertThat(first.status()).isEqualTo(RailStatus.SUBMITTED);
        String firstInputs = lastSave().get("inputs");
        // /utxo still lists the output the first payout spends in the mempool
        assertThat(utxoValues(hotAddress)).contains(1_000_000L);

        RailPayout second = new RailPayout(UUID.fromString("3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b"), "brand", 200_000,
            "BTC", 8, Map.of("address", payee.toString()), null, null, Map.of());
        saves.clear();
        RailStep next = record(rail().advance(second, state(Map.of())));
        assertThat(next.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(lastSave().get("inputs")).doesNotContain(firstInputs.split(":")[0]);
        assertThat(sim.inMempool(first.reference())).isTrue();
        assertThat(sim.inMempool(next.reference())).isTrue();
        sim.mine(3);
        assertThat(utxoValues(payee)).containsExactlyInAnyOrder(100_000L, 200_000L);
    }

    @Test
    void anApiKeyInTheEsploraUrlIsNeverShown() {
        String url = "https://btc.example-provider.io/v2/0123456789abcdef0123456789abcdef/api";
        RailHttp quoting = request -> {
            throw new com.fanzfinance.payouts.rail.RailCallException("could not reach " + request.url(), false, null);
        };
        BitcoinRail rail = rail(quoting, "esplora_url", url);
        RailStep step = record(rail.advance(payout(), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(step.reason()).contains("https://btc.example-provider.io");
        assertThat(rail.toString()).contains("via https://btc.example-provider.io]");
        for (String text : List.of(rail.toString(), step.toString())) {
            assertThat(text).doesNotContain("0123456789abcdef0123456789abcdef").doesNotContain("/v2");
        }
    }

    @Test
    void theNodeBeingDownBeforeSigningIsPreparing() {
        sim.failNext("GET /address/utxo", 503, "down");
        RailStep step = record(rail().advance(payout(), state(Map.of())));
        assertThat(step.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(saves).isEmpty();
    }

    List<Long> utxoValues(Address address) {
        try {
            String json = http.send(RailRequest.get(sim.baseUrl() + "/address/" + address + "/utxo", Map.of(),
                java.util.Set.of())).text();
            List<Long> values = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
                .forEach(node -> values.add(node.get("value").asLong()));
            return values;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
