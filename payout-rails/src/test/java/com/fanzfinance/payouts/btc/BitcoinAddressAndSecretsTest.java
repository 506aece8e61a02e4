package com.fanzfinance.payouts.btc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.btc.sim.EsploraSimulator;
import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStep;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address checks per network, the settings the driver refuses, and the signing key never showing anywhere. */
class BitcoinAddressAndSecretsTest {
    private static final UUID ACCOUNT = UUID.fromString("00000000-0000-0000-0000-00000000b7c1");

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
        // BIP-173 / BIP-350 examples, a well-known base58 address and ones made here from a key
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4, mainnet, ok",
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4, mainnet, ok",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0, mainnet, ok",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, mainnet, ok",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy, mainnet, ok",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5, mainnet, not a bitcoin address",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3, mainnet, not a bitcoin address",
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx, mainnet, not for mainnet",
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx, testnet, ok",
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx, signet, ok",
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx, regtest, not for regtest",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4, testnet, not for testnet",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, testnet, not for testnet",
        "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn, testnet, ok",
        "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn, regtest, ok",
        "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn, mainnet, not for mainnet",
        "hello, mainnet, not a bitcoin address",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4, moonnet, not a bitcoin network",
    })
    void addressesAreCheckedForTheirNetwork(String address, String network, String expected) {
        var problem = BitcoinRail.addressProblem(address, network);
        if (expected.equals("ok")) {
            assertThat(problem).isEmpty();
        } else {
            assertThat(problem).hasValueSatisfying(text -> assertThat(text).contains(expected));
        }
    }

    @Test
    void regtestBech32AddressesAreRegtestOnly() {
        String bcrt = BtcTestKeys.p2wpkh(BtcTestKeys.key("x")).toString();
        assertThat(bcrt).startsWith("bcrt1q");
        assertThat(BitcoinRail.addressProblem(bcrt, "regtest")).isEmpty();
        assertThat(BitcoinRail.addressProblem(bcrt, "testnet")).isPresent();
        assertThat(BitcoinRail.addressProblem(null, "regtest")).isPresent();
        assertThat(BitcoinRail.addressProblem("", "regtest")).isPresent();
    }

    @Test
    void missingOrBadSettingsAreNamed() {
        String wif = BtcTestKeys.key("hot wallet").getPrivateKeyAsWiF(BitcoinNetwork.REGTEST);
        Map<String, String> ok = Map.of("network", "regtest", "esplora_url", "http://127.0.0.1:1");
        assertThat(make(Map.of("network", "regtest"), wif)).hasMessageContaining("'esplora_url'");
        assertThat(make(Map.of("esplora_url", "http://127.0.0.1:1"), wif)).hasMessageContaining("'network'");
        assertThat(make(ok, null)).hasMessageContaining("'signing_key'");
        assertThat(make(with(ok, "network", "litecoin"), wif)).hasMessageContaining("'network'");
        assertThat(make(with(ok, "esplora_url", "ftp://x"), wif)).hasMessageContaining("'esplora_url'");
        assertThat(make(with(ok, "fee_rate_sat_vb", "0.5"), wif)).hasMessageContaining("'fee_rate_sat_vb'");
        assertThat(make(with(ok, "fee_rate_sat_vb", "cheap"), wif)).hasMessageContaining("'fee_rate_sat_vb'");
        assertThat(make(with(ok, "confirmations", "0"), wif)).hasMessageContaining("'confirmations'");
        assertThat(make(with(ok, "min_change_sat", "10"), wif)).hasMessageContaining("'min_change_sat'");
        assertThat(make(with(ok, "history_scan_pages", "0"), wif)).hasMessageContaining("'history_scan_pages'");
        assertThat(BitcoinRail.SETTINGS).containsExactly("network", "esplora_url", "fee_rate_sat_vb",
            "fee_target_blocks", "max_fee_rate_sat_vb", "confirmations", "min_change_sat", "history_scan_pages");
        assertThat(BitcoinRail.SECRETS).containsExactly("signing_key");
    }

    @Test
    void aWrongKeyIsRefusedWithoutQuotingIt() {
        ECKey key = BtcTestKeys.key("hot wallet");
        String mainnetWif = key.getPrivateKeyAsWiF(BitcoinNetwork.MAINNET);
        Map<String, String> settings = Map.of("network", "regtest", "esplora_url", "http://127.0.0.1:1");
        RailConfigurationException wrongNet = make(settings, mainnetWif);
        assertThat(wrongNet).hasMessageContaining("'signing_key'").hasNoCause();
        assertThat(wrongNet.getMessage()).doesNotContain(mainnetWif);
        String garbled = mainnetWif.substring(0, mainnetWif.length() - 1) + "x";
        RailConfigurationException bad = make(settings, garbled);
        assertThat(bad.getMessage()).doesNotContain(garbled).doesNotContain(garbled.substring(5, 30));
        assertThat(bad).hasNoCause();
        String uncompressed = ECKey.fromPrivate(key.getPrivKeyBytes(), false).getPrivateKeyAsWiF(BitcoinNetwork.REGTEST);
        assertThat(make(settings, uncompressed)).hasMessageContaining("uncompressed");
    }

    @Test
    void theSigningKeyNeverAppearsInStateStepsOrToString() throws Exception {
        ECKey key = BtcTestKeys.key("hot wallet");
        String wif = key.getPrivateKeyAsWiF(BitcoinNetwork.REGTEST);
        String privHex = HexFormat.of().formatHex(key.getPrivKeyBytes());
        List<String> seen = new ArrayList<>();
        try (EsploraSimulator sim = new EsploraSimulator()) {
            sim.fund(key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST), 1_000_000);
            RailAccount account = new RailAccount(ACCOUNT, "btc", Map.of("network", "regtest", "esplora_url",
                sim.baseUrl(), "fee_rate_sat_vb", "1.5", "confirmations", "1"), Map.of("signing_key", wif));
            BitcoinRail rail = new BitcoinRail(account, new JdkRailHttp(Duration.ofSeconds(2), Duration.ofMillis(300),
                1 << 20), Clock.systemUTC());
            seen.add(rail.toString());
            seen.add(account.toString());
            RailState state = new RailState(Map.of(), values -> seen.add(values.toString()));
            RailPayout payout = new RailPayout(UUID.randomUUID(), "brand", 50_000, "BTC", 8,
                Map.of("address", BtcTestKeys.p2wpkh(BtcTestKeys.key("payee")).toString()), null, null, Map.of());
            sim.delayNext("POST /tx", Duration.ofMillis(1000));
            for (int i = 0; i < 4; i++) {
                RailStep step = rail.advance(payout, state);
                seen.add(step.toString());
                seen.add(state.toString());
                sim.mine();
            }
            assertThat(seen.get(seen.size() - 2)).contains("SETTLED");
        }
        assertThat(seen).hasSizeGreaterThan(8).allSatisfy(text -> assertThat(text).doesNotContain(wif)
            .doesNotContainIgnoringCase(privHex));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static RailConfigurationException make(Map<String, String> settings, String wif) {
        Map<String, String> secrets = wif == null ? Map.of() : Map.of("signing_key", wif);
        RailAccount account = new RailAccount(ACCOUNT, "btc", settings, secrets);
        return (RailConfigurationException) org.assertj.core.api.Assertions.catchThrowable(
            () -> new BitcoinRail(account, request -> {
                throw new AssertionError("no call expected");
            }, Clock.systemUTC()));
    }
}
