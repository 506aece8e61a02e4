package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.UUID;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.payouts.btc.sim.EsploraSimulator;
import com.fanzfinance.payouts.evm.chain.AnvilChain;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crypto payouts end to end through a real server on a real port with PostgreSQL.
 *
 * <p>A USDC payout on a real local EVM chain: anvil (npm {@code @foundry-rs/anvil}, installed by the build and started
 * here), with a 6-decimal ERC-20 the test deploys. The server signs and broadcasts the transfer from its hot wallet; the
 * server is stopped while the transaction waits to be mined and started again on the same data and database; the new
 * server finds the saved transaction, waits for the configured confirmations and settles the payout once. The payee's
 * balance is read back on chain.
 *
 * <p>A BTC payout through a local Esplora endpoint (payout-rails' simulator, which accepts a transaction only when
 * bitcoinj's script verification accepts every input): signed by the server's hot wallet, settled after the
 * configured confirmations, the payee's output exactly the amount. Earnings come from BTCPay checkouts priced in
 * the coin.
 */
class CryptoPayoutsEndToEndTest {
    private static final long USDC = 1_000_000L;
    private static final String HOT_WALLET_KEY = AnvilChain.DEV_KEYS.get(1);

    @TempDir
    Path data;
    private AnvilChain chain;
    private TestServer server;
    private Map<String, String> settings;
    private String payoutsKey;
    private String platformKey;
    private PayoutSteps steps;
    private String btcpay;
    private Greenfield greenfield;
    private static final SimulatedProcessor BTCPAY = SimulatedProcessors.btcpay();

    @BeforeEach
    void start() throws Exception {
        greenfield = new Greenfield();
        String schema = TestDatabase.freshSchema("usdc");
        settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PUBLIC_BASE_URL", "https://pay.example.test");
        settings.put("FANZ_RAIL_TIMEOUT_SECONDS", "5");
        server = TestServer.start(data, settings);
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}").status())
            .isIn(200, 201);
        platformKey = server.createKey("girlfanz-platform", "[\"payments:read\",\"payments:write\"]", "[\"girlfanz\"]");
        payoutsKey = server.createKey("girlfanz-payouts",
            "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\"]", "[\"girlfanz\"]");
        steps = new PayoutSteps(() -> server, payoutsKey, platformKey);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (chain != null) {
            chain.close();
        }
        greenfield.close();
    }

    @Test
    void aUsdcPayoutIsMinedConfirmedAndSettledOnceAcrossARestart() throws Exception {
        chain = AnvilChain.start(AnvilChain.defaultHome(), false);
        String token = chain.deploy(AnvilChain.TEST_USDC);
        String hotWallet = Credentials.create(HOT_WALLET_KEY).getAddress();
        chain.mint(token, hotWallet, BigInteger.valueOf(1_000 * USDC));
        chain.mine(1);
        String payeeAddress = Keys.toChecksumAddress(Keys.getAddress(Keys.createEcKeyPair().getPublicKey()));

        btcpayAccount();
        String account = created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"usdc_evm","name":"USDC on anvil","currencies":["USDC"],
             "settings":{"rpc_url":"%s","chain_id":"31337","token_contract":"%s","confirmations":"3",
                         "replace_after_seconds":"3600"},
             "secrets":{"signing_key":"%s"},"payout":{"minimum":"1000000","fee":"0"}}"""
            .formatted(chain.rpcUrl(), token, HOT_WALLET_KEY)));
        JsonNode shown = server.get("/v1/merchant-accounts/" + account, TestServer.ADMIN_KEY).json();
        assertThat(shown.toString()).doesNotContain(HOT_WALLET_KEY.substring(2));

        earn("c_usdc", "100.000000", "USDC");
        String payee = created(server.postJson("/v1/payees", payoutsKey, """
            {"tenant":"girlfanz","creator":"c_usdc","name":"Jane Doe","country":"PT","currency":"USDC","rail":"usdc_evm",
             "rail_details":{"address":"%s","chain_id":"31337"}}""".formatted(payeeAddress)));
        assertThat(server.putJson("/v1/payees/" + payee + "/compliance", payoutsKey,
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}").status()).isEqualTo(200);
        long availableBefore = available("c_usdc");
        assertThat(availableBefore).isGreaterThanOrEqualTo(25 * USDC);

        String payout = created(steps.payout(payee, "25000000", "USDC", "usdc-1"));

        // signed, saved and broadcast: the transaction waits in the pool (nothing mines yet)
        JsonNode sent = await(payout, node -> !node.path("rail_reference").isNull()
            && node.path("rail_progress").path("status").asText().equals("submitted"));
        String hash = sent.path("rail_reference").asText();
        assertThat(chain.pendingHashes()).containsExactly(hash);
        assertThat(sent.path("status").asText()).isEqualTo("submitted");

        // the server goes away between send and confirmation; the block comes while it is down
        server.close();
        server = null;
        chain.mine(1);
        assertThat(chain.balanceOf(token, payeeAddress)).isEqualTo(BigInteger.valueOf(25 * USDC));
        server = TestServer.start(data, settings);

        // one block deep of three: still submitted after the new server looked
        JsonNode shallow = await(payout, node -> node.path("rail_progress").path("note").asText().equals("mined, 1 of 3 confirmations"));
        assertThat(shallow.path("status").asText()).isEqualTo("submitted");
        chain.mine(2);
        JsonNode settled = await(payout, node -> node.path("status").asText().equals("settled"));
        assertThat(settled.path("rail_reference").asText()).isEqualTo(hash);

        // paid exactly once: on chain and in the ledger
        chain.mine(5);
        post("/v1/payouts/" + payout + "/check-rail");
        assertThat(chain.balanceOf(token, payeeAddress)).isEqualTo(BigInteger.valueOf(25 * USDC));
        assertThat(chain.balanceOf(token, hotWallet)).isEqualTo(BigInteger.valueOf(975 * USDC));
        assertThat(chain.web3j().ethGetTransactionCount(hotWallet, DefaultBlockParameterName.LATEST).send()
            .getTransactionCount()).isEqualTo(BigInteger.ONE);
        assertThat(chain.pendingHashes()).isEmpty();
        JsonNode again = getPayout(payout);
        assertThat(again.path("status").asText()).isEqualTo("settled");
        assertThat(again.path("transfer_ids")).hasSize(sent.path("transfer_ids").size() + 1);
        assertThat(again.path("history").findValuesAsText("status")).containsExactly("requested", "held", "submitted",
            "settled");
        assertThat(available("c_usdc")).isEqualTo(availableBefore - 25 * USDC);
    }

    @Test
    void aBtcPayoutIsSignedBroadcastAndSettledAfterItsConfirmations() throws Exception {
        try (EsploraSimulator esplora = new EsploraSimulator()) {
            ECKey hot = ECKey.fromPrivate(new BigInteger(1, Sha256Hash.hash("fanz test hot wallet".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))), true);
            Address hotAddress = hot.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST);
            esplora.fund(hotAddress, 3_000_000);
            esplora.fund(hotAddress, 500_000);
            Address payeeAddress = new ECKey().toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST);
            btcpayAccount();
            created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"btc","name":"BTC hot wallet","currencies":["BTC"],
                 "settings":{"network":"regtest","esplora_url":"%s","fee_rate_sat_vb":"2","confirmations":"2"},
                 "secrets":{"signing_key":"%s"},"payout":{"minimum":"10000","fee":"0"}}"""
                .formatted(esplora.baseUrl(), hot.getPrivateKeyAsWiF(BitcoinNetwork.REGTEST))));
            earn("c_btc", "0.01000000", "BTC");
            String payee = created(server.postJson("/v1/payees", payoutsKey, """
                {"tenant":"girlfanz","creator":"c_btc","name":"Jane Doe","country":"PT","currency":"BTC","rail":"btc",
                 "rail_details":{"address":"%s"}}""".formatted(payeeAddress)));
            assertThat(server.putJson("/v1/payees/" + payee + "/compliance", payoutsKey,
                "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}").status()).isEqualTo(200);
            long availableBefore = available("c_btc", "BTC");

            String payout = created(steps.payout(payee, "250000", "BTC", "btc-1"));
            JsonNode sent = await(payout, node -> !node.path("rail_reference").isNull()
                && node.path("rail_progress").path("status").asText().equals("submitted"));
            String txid = sent.path("rail_reference").asText();
            assertThat(esplora.inMempool(txid)).isTrue();
            esplora.mine(1);
            post("/v1/payouts/" + payout + "/check-rail");
            assertThat(getPayout(payout).path("status").asText()).isEqualTo("submitted");
            esplora.mine(1);
            JsonNode settled = await(payout, node -> node.path("status").asText().equals("settled"));
            assertThat(settled.path("rail_reference").asText()).isEqualTo(txid);
            assertThat(esplora.broadcasts(txid)).isGreaterThanOrEqualTo(1);

            // the payee's output is exactly the amount, once
            JsonNode utxos;
            try (java.io.InputStream in = java.net.URI.create(esplora.baseUrl() + "/address/" + payeeAddress + "/utxo")
                .toURL().openStream()) {
                utxos = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            }
            assertThat(utxos).hasSize(1);
            assertThat(utxos.get(0).path("value").asLong()).isEqualTo(250_000);
            assertThat(utxos.get(0).path("txid").asText()).isEqualTo(txid);
            assertThat(available("c_btc", "BTC")).isEqualTo(availableBefore - 250_000);
        }
    }

    private void btcpayAccount() {
        btcpay = created(server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"btcpay","name":"BTCPay","currencies":["USDC","BTC"],
             "fees":{"percent_bp":0,"fixed":"0","chargeback":"0","refund":"0"},
             "settings":{"server_url":"%s","store_id":"%s"},
             "secrets":{"webhook_secret":"%s","api_key":"btcpay-api-key"},"ip_allow_list":[]}"""
            .formatted(greenfield.baseUrl(), BTCPAY.account().settings().get("store_id"),
                BTCPAY.account().secrets().get("webhook_secret"))));
    }

    /** A BTCPay checkout priced in the coin, paid: the creator's share lands in the coin's ledger at its scale. */
    private void earn(String creator, String amount, String currency) {
        TestServer.Response checkout = server.postJson("/v1/checkouts", platformKey, """
            {"tenant":"girlfanz","creator":"%s","product":"ppv","amount":"%s","currency":"%s","processor":"btcpay"}"""
            .formatted(creator, new BigDecimal(amount).unscaledValue(), currency));
        assertThat(checkout.status()).as(checkout.text()).isEqualTo(201);
        String invoice = "BTCPAYINV" + greenfield.invoices.get();
        TestServer.Response answer = server.send(BTCPAY.sale(UUID.fromString(checkout.json().path("id").asText()), invoice,
            new BigDecimal(amount), currency).httpRequest(server.base().resolve("/hooks/btcpay/" + btcpay)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode posted = server.get("/v1/payment-events/" + answer.header("X-Payment-Event-Id"), platformKey).json();
        assertThat(posted.path("status").asText()).as(posted.toString()).isEqualTo("posted");
    }

    private long available(String creator) {
        return available(creator, "USDC");
    }

    private long available(String creator, String currency) {
        return steps.balance(creator, "available", currency);
    }

    private JsonNode await(String payout, java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
        return steps.awaitRail(payout, condition);
    }

    private JsonNode getPayout(String id) {
        return steps.get(id);
    }

    private void post(String path) {
        server.postJson(path, payoutsKey, "");
    }

    private static String created(TestServer.Response response) {
        return PayoutSteps.created(response);
    }
}
