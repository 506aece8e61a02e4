package com.fanzfinance.payouts.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.evm.chain.AnvilChain;
import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailResponse;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/** {@link Erc20Rail} against a real local chain (anvil) with test tokens compiled from src/test/evm. */
class Erc20RailTest {
    private static final String HOT_KEY = AnvilChain.DEV_KEYS.get(1);
    private static final String PASSWORD = "correct horse battery staple 7";
    private static final long USDC_100 = 100_000_000L; // 100.000000 USDC

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final NonceStore nonces = new InMemoryNonceStore();
    private final JdkRailHttp http = JdkRailHttp.standard();
    /** Everything the driver showed: states, steps, toString, exception messages (for the secrets check). */
    private final List<String> shown = new ArrayList<>();
    private AnvilChain chain;
    private String token;
    private final String hot = AnvilChain.devAccount(1).getAddress().toLowerCase(Locale.ROOT);

    @AfterEach
    void stop() {
        if (chain != null) {
            chain.close();
        }
        String key = Numeric.cleanHexPrefix(HOT_KEY).toLowerCase(Locale.ROOT);
        for (String text : shown) {
            assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain(key).doesNotContain(PASSWORD.toLowerCase(Locale.ROOT));
        }
    }

    private void startChain(boolean automine, String contract, long mintUnits) {
        chain = AnvilChain.start(AnvilChain.defaultHome(), automine);
        token = chain.deploy(contract);
        if (mintUnits > 0) {
            chain.mint(token, hot, BigInteger.valueOf(mintUnits));
        }
    }

    private RailAccount account(Map<String, String> extraSettings, Map<String, String> secrets) {
        Map<String, String> settings = new HashMap<>(Map.of(
            Erc20Rail.RPC_URL, chain.rpcUrl(),
            Erc20Rail.CHAIN_ID, "31337",
            Erc20Rail.TOKEN_CONTRACT, token,
            Erc20Rail.CONFIRMATIONS, "3"));
        settings.putAll(extraSettings);
        return new RailAccount(UUID.fromString("00000000-0000-0000-0000-00000000e20e"), Erc20Rail.NAME, settings, secrets);
    }

    private Erc20Rail driver(Map<String, String> extraSettings) {
        Erc20Rail rail = new Erc20Rail(account(extraSettings, Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY)), http, clock,
            nonces);
        shown.add(rail.toString());
        return rail;
    }

    private Erc20Rail driver() {
        return driver(Map.of());
    }

    private static RailPayout payout(long amount, String payee) {
        return new RailPayout(UUID.randomUUID(), "brand-a", amount, "USDC", 6,
            Map.of("address", payee, "chain_id", "31337"), "Payee", null, Map.of());
    }

    /** A server's payout row: the values of the last save. */
    private static final class Saved implements RailState.Store {
        Map<String, String> values = Map.of();

        @Override
        public void save(Map<String, String> values) {
            this.values = Map.copyOf(values);
        }

        RailState restart() {
            return new RailState(values, this);
        }
    }

    private RailStep advance(Erc20Rail rail, RailPayout payout, RailState state) {
        RailStep step = rail.advance(payout, state);
        shown.add(step.toString());
        shown.add(state.toString());
        return step;
    }

    private BigInteger balance(String address) {
        return chain.balanceOf(token, address);
    }

    private long sentCount() throws Exception {
        return chain.web3j().ethGetTransactionCount(hot, DefaultBlockParameterName.LATEST).send().getTransactionCount()
            .longValueExact();
    }

    @Test
    void usdcPayoutIsSubmittedUntilConfirmedThenSettledAndTheBalanceIsReadBackOnChain() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b01";
        Erc20Rail rail = driver();
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailState state = saved.restart();

        RailStep sent = advance(rail, payout, state);
        assertThat(sent.status()).isEqualTo(RailStatus.SUBMITTED);
        String hash = sent.reference();
        assertThat(hash).matches("0x[0-9a-f]{64}");
        assertThat(saved.values).containsEntry("evm.tx.0.hash", hash).containsKey("evm.tx.0.raw")
            .containsEntry("evm.nonce", "0").containsEntry("evm.units", "100000000");
        assertThat(chain.pendingHashes()).containsExactly(hash);
        chain.mine(1);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(rail.tokenBalance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(rail.tokenDecimals()).isEqualTo(6);

        RailStep oneDeep = advance(rail, payout, state); // mined in its block: 1 of 3
        assertThat(oneDeep.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(oneDeep.reason()).contains("1 of 3");
        chain.mine(1);
        assertThat(advance(rail, payout, state).status()).isEqualTo(RailStatus.SUBMITTED);
        chain.mine(1);
        RailStep settled = advance(rail, payout, state);
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(hash);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(balance(hot)).isEqualTo(BigInteger.valueOf(1_000_000_000L - USDC_100));
    }

    @Test
    void aFreshDriverFromTheSavedStateAfterBroadcastSettlesTheSameTransactionOnce() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b02";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailStep sent = advance(driver(), payout, saved.restart());
        assertThat(sent.status()).isEqualTo(RailStatus.SUBMITTED);

        RailStep step = null;
        for (int i = 0; i < 4; i++) { // a restart at every call
            step = advance(driver(), payout, saved.restart());
            if (step.status().isFinal()) {
                break;
            }
            chain.mine(1);
        }
        assertThat(step.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(step.reference()).isEqualTo(sent.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void aCrashBetweenTheNonceReservationAndTheSaveLeavesNoGap() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b04";
        RailPayout payout = payout(USDC_100, payee);
        RailState.Store dying = values -> {
            throw new IllegalStateException("the process died before the commit");
        };
        assertThatThrownBy(() -> driver().advance(payout, new RailState(Map.of(), dying))).hasMessageContaining("died");
        assertThat(sentCount()).isZero();

        // the restart finds nothing saved: the payout reserves again and gets the same nonce, so nothing is held back
        Saved saved = new Saved();
        RailStep resumed = advance(driver(), payout, saved.restart());
        assertThat(resumed.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(saved.values.get("evm.nonce")).isEqualTo("0");
        RailPayout next = payout(USDC_100, "0x00000000000000000000000000000000000b0b05");
        Saved nextSaved = new Saved();
        assertThat(advance(driver(), next, nextSaved.restart()).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(nextSaved.values.get("evm.nonce")).isEqualTo("1");
        chain.mine(3);
        assertThat(advance(driver(), payout, saved.restart()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(advance(driver(), next, nextSaved.restart()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
    }

    @Test
    void aCrashAfterTheSaveButBeforeTheBroadcastIsResumedWithTheSavedRawTransaction() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b03";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailState.Store crashing = values -> {
            saved.save(values);
            throw new IllegalStateException("the process died after the commit");
        };
        assertThatThrownBy(() -> driver().advance(payout, new RailState(Map.of(), crashing)))
            .hasMessageContaining("died");
        String savedHash = saved.values.get("evm.tx.0.hash");
        assertThat(savedHash).isNotNull();
        assertThat(sentCount()).isZero();
        assertThat(balance(payee)).isZero();

        RailStep resumed = advance(driver(), payout, saved.restart());
        assertThat(resumed.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(resumed.reference()).isEqualTo(savedHash);
        chain.mine(1);
        assertThat(chain.web3j().ethGetTransactionReceipt(savedHash).send().getTransactionReceipt()).isPresent();
        chain.mine(2);
        RailStep settled = advance(driver(), payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(savedHash);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void twoPayoutsGetDistinctNoncesAndBothSettle() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payeeA = "0x00000000000000000000000000000000000b0b0a";
        String payeeB = "0x00000000000000000000000000000000000b0b0b";
        Erc20Rail rail = driver();
        RailPayout a = payout(USDC_100, payeeA);
        RailPayout b = payout(2_500_000L, payeeB);
        Saved savedA = new Saved();
        Saved savedB = new Saved();
        RailStep sentA = advance(rail, a, savedA.restart());
        RailStep sentB = advance(driver(), b, savedB.restart()); // another driver instance, the same nonce store
        assertThat(savedA.values.get("evm.nonce")).isEqualTo("0");
        assertThat(savedB.values.get("evm.nonce")).isEqualTo("1");
        assertThat(chain.pendingHashes()).contains(sentA.reference(), sentB.reference());
        chain.mine(3);
        assertThat(advance(rail, a, savedA.restart()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(advance(rail, b, savedB.restart()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(balance(payeeA)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(balance(payeeB)).isEqualTo(BigInteger.valueOf(2_500_000L));
        assertThat(sentCount()).isEqualTo(2);
    }

    @Test
    void aStuckTransactionIsReplacedOnTheSameNonceWithHigherFeesAndPaysOnce() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b04";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        Erc20Rail rail = driver();
        RailStep first = advance(rail, payout, saved.restart());
        assertThat(first.status()).isEqualTo(RailStatus.SUBMITTED);

        clock.advance(Duration.ofSeconds(299));
        RailStep waiting = advance(rail, payout, saved.restart());
        assertThat(waiting.reference()).isEqualTo(first.reference());
        assertThat(saved.values).doesNotContainKey("evm.tx.1.raw");

        clock.advance(Duration.ofSeconds(1));
        RailStep replaced = advance(driver(), payout, saved.restart());
        assertThat(replaced.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(replaced.reference()).isNotEqualTo(first.reference());
        assertThat(saved.values.get("evm.hashes")).isEqualTo(first.reference() + "," + replaced.reference());
        String[] oldFees = saved.values.get("evm.tx.0.fees").split("/");
        String[] newFees = saved.values.get("evm.tx.1.fees").split("/");
        for (int i = 0; i < 2; i++) {
            assertThat(new BigInteger(newFees[i]).multiply(BigInteger.TEN))
                .isGreaterThanOrEqualTo(new BigInteger(oldFees[i]).multiply(BigInteger.valueOf(11)));
        }
        assertThat(chain.pendingHashes()).containsExactly(replaced.reference());

        chain.mine(1);
        RailStep mined = advance(rail, payout, saved.restart());
        assertThat(mined.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(mined.reference()).isEqualTo(replaced.reference());
        assertThat(chain.web3j().ethGetTransactionReceipt(first.reference()).send().getTransactionReceipt()).isEmpty();
        chain.mine(2);
        RailStep settled = advance(rail, payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(replaced.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void aReorganisationSendsThePayoutBackToSubmittedAndItSettlesOnce() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b05";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        Erc20Rail rail = driver();
        String before = chain.snapshot();
        RailStep sent = advance(rail, payout, saved.restart());
        chain.mine(2);
        RailStep deep = advance(rail, payout, saved.restart());
        assertThat(deep.reason()).contains("2 of 3");
        assertThat(saved.values).containsEntry("evm.mined_hash", sent.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));

        chain.revert(before); // the blocks with the transfer are gone
        chain.mine(3); // another branch, longer than the old one, without the transfer
        assertThat(balance(payee)).isZero();
        assertThat(chain.web3j().ethGetTransactionReceipt(sent.reference()).send().getTransactionReceipt()).isEmpty();

        RailStep back = advance(driver(), payout, saved.restart());
        assertThat(back.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(back.reason()).contains("reorganisation");
        assertThat(saved.values).doesNotContainKey("evm.mined_hash");
        assertThat(chain.pendingHashes()).containsExactly(sent.reference()); // the saved raw transaction again

        chain.mine(3);
        RailStep settled = advance(driver(), payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(sent.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void aTransferThatRevertsOnChainFailsOnceConfirmedAndMovesNothing() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000L); // 1 USDC, the payout asks 100
        String payee = "0x00000000000000000000000000000000000b0b06";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        Erc20Rail rail = driver(Map.of(Erc20Rail.GAS_LIMIT, "100000")); // no estimate: the transaction goes out
        RailStep sent = advance(rail, payout, saved.restart());
        assertThat(sent.status()).isEqualTo(RailStatus.SUBMITTED);
        chain.mine(1);
        RailStep mined = advance(rail, payout, saved.restart());
        assertThat(mined.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(mined.reason()).contains("reverted");
        chain.mine(2);
        RailStep failed = advance(rail, payout, saved.restart());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(failed.code()).isEqualTo("reverted");
        assertThat(failed.reference()).isEqualTo(sent.reference());
        assertThat(balance(payee)).isZero();
        assertThat(balance(hot)).isEqualTo(BigInteger.valueOf(1_000_000L));
        assertThat(sentCount()).isEqualTo(1); // the nonce is used
    }

    @Test
    void aTransferThatWouldRevertFailsAtTheEstimateWithoutUsingANonce() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 0);
        Saved saved = new Saved();
        RailStep failed = advance(driver(), payout(USDC_100, "0x00000000000000000000000000000000000b0b07"),
            saved.restart());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(failed.code()).isEqualTo("would_revert");
        assertThat(saved.values).isEmpty();
        assertThat(sentCount()).isZero();
    }

    @Test
    void aUsdtLikeTokenWhoseTransferReturnsNothingSettles() throws Exception {
        startChain(false, AnvilChain.TEST_TETHER, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b08";
        RailPayout payout = new RailPayout(UUID.randomUUID(), "brand-a", 12_345_678L, "USDT", 6,
            Map.of("address", payee, "chain_id", "31337"), null, null, Map.of());
        Saved saved = new Saved();
        Erc20Rail rail = driver();
        RailStep sent = advance(rail, payout, saved.restart());
        chain.mine(3);
        RailStep settled = advance(rail, payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(sent.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(12_345_678L));
    }

    @Test
    void theKeyCanComeFromAKeystoreFile(@TempDir Path dir) throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        Credentials hotKey = Credentials.create(HOT_KEY);
        String file = WalletUtils.generateWalletFile(PASSWORD, hotKey.getEcKeyPair(), dir.toFile(), false);
        String path = new File(dir.toFile(), file).getPath();
        Erc20Rail rail = new Erc20Rail(account(Map.of(Erc20Rail.KEYSTORE_FILE, path),
            Map.of(Erc20Rail.KEYSTORE_PASSWORD, PASSWORD)), http, clock, nonces);
        shown.add(rail.toString());
        assertThat(rail.hotWallet()).isEqualTo(hot);
        String payee = "0x00000000000000000000000000000000000b0b09";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        advance(rail, payout, saved.restart());
        chain.mine(3);
        assertThat(advance(rail, payout, saved.restart()).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));

        assertThatThrownBy(() -> new Erc20Rail(account(Map.of(Erc20Rail.KEYSTORE_FILE, path),
            Map.of(Erc20Rail.KEYSTORE_PASSWORD, PASSWORD + "x")), http, clock, nonces))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("keystore_password")
            .satisfies(e -> shown.add(e.getMessage()));
    }

    @Test
    void secretsStayOutOfStateStepsMessagesAndToString() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        Erc20Rail rail = driver();
        RailPayout payout = payout(USDC_100, "0x00000000000000000000000000000000000b0b0c");
        Saved saved = new Saved();
        advance(rail, payout, saved.restart());
        chain.mine(3);
        assertThat(advance(rail, payout, saved.restart()).status()).isEqualTo(RailStatus.SETTLED);
        shown.add(saved.values.toString());
        // Bad keys and both ways at once: the messages name the secret, never show it.
        String badKey = "0x" + "zz".repeat(32);
        for (Map<String, String> secrets : List.of(Map.of(Erc20Rail.SIGNING_KEY, badKey),
            Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY, Erc20Rail.KEYSTORE_PASSWORD, PASSWORD))) {
            Map<String, String> settings = secrets.containsKey(Erc20Rail.KEYSTORE_PASSWORD)
                ? Map.of(Erc20Rail.KEYSTORE_FILE, "/nonexistent/keystore.json") : Map.of();
            assertThatThrownBy(() -> new Erc20Rail(account(settings, secrets), http, clock, nonces))
                .isInstanceOf(RailConfigurationException.class).hasMessageContaining("signing_key")
                .satisfies(e -> {
                    shown.add(e.getMessage());
                    assertThat(e.getMessage()).doesNotContain(badKey.substring(2));
                    assertThat(e.getCause()).isNull();
                });
        }
        assertThat(shown).anySatisfy(text -> assertThat(text).contains(rail.hotWallet()));
        // stop() checks every text collected for the key and the password
    }

    @Test
    void destinationsAndAmountsAreCheckedBeforeAnythingIsSent() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        Erc20Rail rail = driver();
        String payee = "0x00000000000000000000000000000000000b0b0d";
        RailStep wrongChain = advance(rail, new RailPayout(UUID.randomUUID(), "b", 1, "USDC", 6,
            Map.of("address", payee, "chain_id", "1"), null, null, Map.of()), RailState.inMemory());
        assertThat(wrongChain.code()).isEqualTo("destination_chain");
        RailStep badChecksum = advance(rail, payout(1, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".replace('A', 'a')),
            RailState.inMemory());
        assertThat(badChecksum.status()).isEqualTo(RailStatus.FAILED);
        assertThat(badChecksum.code()).isEqualTo("destination_address");
        RailStep tooFine = advance(rail, new RailPayout(UUID.randomUUID(), "b", 123, "USDC", 8,
            Map.of("address", payee, "chain_id", "31337"), null, null, Map.of()), RailState.inMemory());
        assertThat(tooFine.code()).isEqualTo("amount_not_representable");
        RailStep euro = advance(rail, new RailPayout(UUID.randomUUID(), "b", 100, "EUR", 2,
            Map.of("address", payee, "chain_id", "31337"), null, null, Map.of()), RailState.inMemory());
        assertThat(euro.code()).isEqualTo("currency");
        assertThat(sentCount()).isZero();

        // 8-decimal ledger amounts that are whole token units pay the exact integer.
        Saved saved = new Saved();
        advance(rail, new RailPayout(UUID.randomUUID(), "b", 12_300, "USDC", 8,
            Map.of("address", payee, "chain_id", "31337"), null, null, Map.of()), saved.restart());
        assertThat(saved.values).containsEntry("evm.units", "123");
        chain.mine(1);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(123));
    }

    @Test
    void addressProblemsAndTokenUnits() {
        assertThat(Erc20Rail.addressProblem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).isEmpty(); // EIP-55 sample
        assertThat(Erc20Rail.addressProblem("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")).isEmpty();
        assertThat(Erc20Rail.addressProblem("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")).isEmpty();
        assertThat(Erc20Rail.addressProblem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")).isPresent();
        assertThat(Erc20Rail.addressProblem("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae")).isPresent();
        assertThat(Erc20Rail.addressProblem("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00")).isPresent();
        assertThat(Erc20Rail.addressProblem("0x" + "0".repeat(40))).isPresent();
        assertThat(Erc20Rail.addressProblem(null)).isPresent();
        assertThat(Erc20Rail.tokenUnits(5, 2, 6)).contains(BigInteger.valueOf(50_000));
        assertThat(Erc20Rail.tokenUnits(1_000_000, 6, 18)).contains(new BigInteger("1000000000000000000"));
        assertThat(Erc20Rail.tokenUnits(1_200, 8, 6)).contains(BigInteger.valueOf(12));
        assertThat(Erc20Rail.tokenUnits(1_201, 8, 6)).isEmpty();
    }

    @Test
    void missingSettingsAreNamed() {
        RailAccount noUrl = new RailAccount(UUID.randomUUID(), Erc20Rail.NAME, Map.of(Erc20Rail.CHAIN_ID, "1",
            Erc20Rail.TOKEN_CONTRACT, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), Map.of(Erc20Rail.SIGNING_KEY,
            HOT_KEY));
        assertThatThrownBy(() -> new Erc20Rail(noUrl, http, clock, nonces)).isInstanceOf(RailConfigurationException.class)
            .hasMessageContaining("rpc_url");
        RailAccount noKey = new RailAccount(UUID.randomUUID(), Erc20Rail.NAME, Map.of(Erc20Rail.RPC_URL,
            "http://127.0.0.1:1", Erc20Rail.CHAIN_ID, "1", Erc20Rail.TOKEN_CONTRACT,
            "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), Map.of());
        assertThatThrownBy(() -> new Erc20Rail(noKey, http, clock, nonces)).isInstanceOf(RailConfigurationException.class)
            .hasMessageContaining("signing_key").hasMessageContaining("keystore_file");
        assertThat(Erc20Rail.SETTINGS).contains("rpc_url", "chain_id", "token_contract", "confirmations");
        assertThat(Erc20Rail.SECRETS).containsExactly("keystore_password", "signing_key");
    }

    @Test
    void anUnreachableNodeBeforeSigningIsPreparingAndNothingIsSaved() {
        int deadPort;
        try (var socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RailAccount account = new RailAccount(UUID.randomUUID(), Erc20Rail.NAME, Map.of(Erc20Rail.RPC_URL,
            "http://127.0.0.1:" + deadPort, Erc20Rail.CHAIN_ID, "31337", Erc20Rail.TOKEN_CONTRACT,
            "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY));
        Saved saved = new Saved();
        RailStep step = advance(new Erc20Rail(account, http, clock, nonces),
            payout(1, "0x00000000000000000000000000000000000b0b0e"), saved.restart());
        assertThat(step.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(saved.values).isEmpty();
    }

    @Test
    void aBroadcastWhoseAnswerIsLostIsUnknownAndTheNextCallFindsTheSameTransaction() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b0f";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailHttp losesBroadcastAnswer = request -> {
            RailResponse answer = http.send(request);
            if (new String(request.body(), StandardCharsets.UTF_8).contains("eth_sendRawTransaction")) {
                throw new RailCallException("the node did not answer in 30 s", true, null);
            }
            return answer;
        };
        RailStep lost = advance(new Erc20Rail(account(Map.of(), Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY)),
            losesBroadcastAnswer, clock, nonces), payout, saved.restart());
        assertThat(lost.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(lost.reference()).isEqualTo(saved.values.get("evm.tx.0.hash"));

        chain.mine(3);
        RailStep settled = advance(driver(), payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(lost.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void nodeCallsGoThroughTheRailHttpSoSwitchedOffCallsSendNothing() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        List<String> methods = new ArrayList<>();
        RailHttp off = request -> {
            methods.add(new String(request.body(), StandardCharsets.UTF_8));
            throw new RailCallException("provider calls are switched off", false, null);
        };
        Saved saved = new Saved();
        RailStep step = advance(new Erc20Rail(account(Map.of(), Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY)), off, clock,
            nonces), payout(USDC_100, "0x00000000000000000000000000000000000b0b10"), saved.restart());
        assertThat(step.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(step.reason()).contains("switched off");
        assertThat(methods).hasSize(1).allSatisfy(body -> assertThat(body).contains("\"jsonrpc\""));
        assertThat(saved.values).isEmpty();
        assertThat(sentCount()).isZero();
    }

    @Test
    void aNonceUsedByAnotherTransactionFailsThePayoutOnceThatIsConfirmed() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b11";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailState.Store crashing = values -> {
            saved.save(values);
            throw new IllegalStateException("the process died after the commit");
        };
        assertThatThrownBy(() -> driver().advance(payout, new RailState(Map.of(), crashing)));
        // Meanwhile someone else spends nonce 0 of the hot wallet (anvil keeps its dev accounts unlocked).
        chain.web3j().ethSendTransaction(org.web3j.protocol.core.methods.request.Transaction.createEtherTransaction(
            hot, BigInteger.ZERO, null, BigInteger.valueOf(21_000), hot, BigInteger.ZERO)).send();
        chain.mine(1);
        assertThat(sentCount()).isEqualTo(1);

        RailStep shallow = advance(driver(), payout, saved.restart());
        assertThat(shallow.status()).isEqualTo(RailStatus.SUBMITTED); // 1 block deep: wait, it may still reorganise
        chain.mine(2);
        RailStep failed = advance(driver(), payout, saved.restart());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(failed.code()).isEqualTo("nonce_taken");
        assertThat(balance(payee)).isZero();
    }

    @Test
    void noReplacementIsSignedAboveTheFeeCeiling() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        RailPayout payout = payout(USDC_100, "0x00000000000000000000000000000000000b0b12");
        Saved saved = new Saved();
        RailStep first = advance(driver(), payout, saved.restart());
        String firstMaxFee = saved.values.get("evm.tx.0.fees").split("/")[1];
        clock.advance(Duration.ofSeconds(600));
        // The ceiling is now what the first transaction offers: a 10 % raise would pass it.
        RailStep capped = advance(driver(Map.of(Erc20Rail.MAX_FEE_CAP_WEI, firstMaxFee)), payout, saved.restart());
        assertThat(capped.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(capped.reference()).isEqualTo(first.reference());
        assertThat(capped.reason()).contains("max_fee_cap_wei");
        assertThat(saved.values).doesNotContainKey("evm.tx.1.raw");
        assertThat(chain.pendingHashes()).containsExactly(first.reference());
    }

    @Test
    void theNonceStoreNeverHandsOutANonceTwiceAndGivesAPayoutItsOwnAgain() {
        InMemoryNonceStore store = new InMemoryNonceStore();
        java.util.UUID[] payouts = new java.util.UUID[6];
        for (int i = 0; i < payouts.length; i++) {
            payouts[i] = java.util.UUID.randomUUID();
        }
        assertThat(store.reserve("eip155:1:0xa", 5, payouts[0])).isEqualTo(5);
        assertThat(store.reserve("eip155:1:0xa", 5, payouts[1])).isEqualTo(6); // the chain has not seen nonce 5 yet
        assertThat(store.reserve("eip155:1:0xa", 2, payouts[2])).isEqualTo(7); // a node that went back
        assertThat(store.reserve("eip155:1:0xa", 20, payouts[3])).isEqualTo(20); // sent elsewhere meanwhile
        assertThat(store.reserve("eip155:8453:0xa", 0, payouts[4])).isZero(); // another chain, its own sequence
        // a payout asking again (a crash before its signed transaction was saved) gets its own nonce back
        assertThat(store.reserve("eip155:1:0xa", 21, payouts[1])).isEqualTo(6);
        assertThat(store.reserve("eip155:1:0xa", 21, payouts[5])).isEqualTo(21);
    }

    /**
     * The node's answers to {@code methods} replaced by "nothing" (a null result; an empty list for eth_getLogs): a
     * lagging or pruned RPC that has not indexed what the chain holds.
     */
    private RailHttp hiding(String... methods) {
        return request -> {
            String body = new String(request.body(), StandardCharsets.UTF_8);
            RailResponse answer = http.send(request);
            for (String method : methods) {
                if (body.contains("\"" + method + "\"")) {
                    java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
                    assertThat(id.find()).isTrue();
                    return RailResponse.of(200, "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":"
                        + (method.equals("eth_getLogs") ? "[]" : "null") + "}");
                }
            }
            return answer;
        };
    }

    private Erc20Rail driverVia(RailHttp via) {
        Erc20Rail rail = new Erc20Rail(account(Map.of(), Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY)), via, clock, nonces);
        shown.add(rail.toString());
        return rail;
    }

    @Test
    void aMinedTransferWhoseReceiptTheNodeDoesNotServeSettlesThroughItsNonceAndNeverFails() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b13";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailHttp noReceipts = hiding("eth_getTransactionReceipt");
        RailStep sent = advance(driverVia(noReceipts), payout, saved.restart());
        assertThat(sent.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(saved.values).containsKey("evm.first_block");
        chain.mine(1);
        assertThat(advance(driverVia(noReceipts), payout, saved.restart()).status()).isEqualTo(RailStatus.SUBMITTED);
        chain.mine(2); // the nonce is now used 3 deep, and the node still shows no receipt
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));

        RailStep step = advance(driverVia(noReceipts), payout, saved.restart());
        assertThat(step.status()).isNotEqualTo(RailStatus.FAILED).isEqualTo(RailStatus.SETTLED);
        assertThat(step.reference()).isEqualTo(sent.reference());
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
        assertThat(sentCount()).isEqualTo(1);
    }

    @Test
    void aMinedTransferWhoseReceiptAndLogsTheNodeDoesNotServeIsUnknownNeverFailed() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b14";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailHttp blind = hiding("eth_getTransactionReceipt", "eth_getLogs");
        RailStep sent = advance(driverVia(blind), payout, saved.restart());
        chain.mine(5);
        RailStep step = advance(driverVia(blind), payout, saved.restart());
        assertThat(step.status()).isNotEqualTo(RailStatus.FAILED).isEqualTo(RailStatus.UNKNOWN);
        assertThat(step.reference()).isEqualTo(sent.reference());
        assertThat(step.reason()).contains("a person must look");
        // a node that answers fully settles it: the money did move
        RailStep settled = advance(driver(), payout, saved.restart());
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
    }

    @Test
    void aNonceUsedByAnotherTransactionIsUnknownWhenTheSameAmountReachedThePayeeAnyway() throws Exception {
        startChain(false, AnvilChain.TEST_USDC, 1_000_000_000L);
        String payee = "0x00000000000000000000000000000000000b0b15";
        RailPayout payout = payout(USDC_100, payee);
        Saved saved = new Saved();
        RailState.Store crashing = values -> {
            saved.save(values);
            throw new IllegalStateException("the process died after the commit");
        };
        assertThatThrownBy(() -> driver().advance(payout, new RailState(Map.of(), crashing)));
        // Someone else uses nonce 0 (an ether self-transfer), then pays the payee exactly this amount by hand (nonce 1).
        chain.web3j().ethSendTransaction(org.web3j.protocol.core.methods.request.Transaction.createEtherTransaction(
            hot, BigInteger.ZERO, null, BigInteger.valueOf(21_000), hot, BigInteger.ZERO)).send();
        chain.mine(1);
        String data = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("transfer",
            List.of(new org.web3j.abi.datatypes.Address(payee), new org.web3j.abi.datatypes.generated.Uint256(USDC_100)),
            List.of()));
        chain.web3j().ethSendTransaction(org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(
            hot, BigInteger.ONE, null, BigInteger.valueOf(100_000), token, data)).send();
        chain.mine(3);
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));

        RailStep step = advance(driver(), payout, saved.restart());
        assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(step.reason()).contains("moved exactly " + USDC_100 + " units to the payee");
        assertThat(balance(payee)).isEqualTo(BigInteger.valueOf(USDC_100));
    }

    @Test
    void theTokensSymbolMustBeThePayoutsCurrencyBeforeAnythingIsSent() throws Exception {
        startChain(false, AnvilChain.TEST_TETHER, 1_000_000_000L);
        Erc20Rail rail = driver();
        assertThat(rail.tokenSymbol()).isEqualTo("USDT");
        Saved saved = new Saved();
        RailStep usdcFromTether = advance(rail, payout(USDC_100, "0x00000000000000000000000000000000000b0b16"),
            saved.restart());
        assertThat(usdcFromTether.status()).isEqualTo(RailStatus.FAILED);
        assertThat(usdcFromTether.code()).isEqualTo("currency");
        assertThat(saved.values).isEmpty();
        assertThat(sentCount()).isZero();
        // the case of the currency code does not matter
        Saved lower = new Saved();
        RailStep usdt = advance(rail, new RailPayout(UUID.randomUUID(), "b", 1_000_000, "usdt", 6,
            Map.of("address", "0x00000000000000000000000000000000000b0b16", "chain_id", "31337"), null, null, Map.of()),
            lower.restart());
        assertThat(usdt.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(Erc20Rail.decodeSymbol("0x" + "55534443" + "0".repeat(56))).contains("USDC"); // a bytes32 symbol
        assertThat(Erc20Rail.decodeSymbol("0x")).isEmpty();
    }

    @Test
    void anApiKeyInTheNodeUrlIsNeverShown() {
        String url = "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef?apikey=topsecretvalue";
        RailAccount account = new RailAccount(UUID.randomUUID(), Erc20Rail.NAME, Map.of(Erc20Rail.RPC_URL, url,
            Erc20Rail.CHAIN_ID, "31337", Erc20Rail.TOKEN_CONTRACT, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
            Map.of(Erc20Rail.SIGNING_KEY, HOT_KEY));
        RailHttp quoting = request -> {
            throw new RailCallException("the rail URL is not usable: " + request.url(), false, null);
        };
        Erc20Rail rail = new Erc20Rail(account, quoting, clock, nonces);
        RailStep step = rail.advance(payout(1, "0x00000000000000000000000000000000000b0b17"), RailState.inMemory());
        assertThat(step.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(step.reason()).contains("the rail URL is not usable: https://mainnet.infura.io");
        assertThat(rail.toString()).contains("https://mainnet.infura.io");
        assertThat(new RailHttpService(url, quoting).toString()).isEqualTo("RailHttpService[https://mainnet.infura.io]");
        for (String text : List.of(rail.toString(), step.toString(), new RailHttpService(url, quoting).toString())) {
            assertThat(text).doesNotContain("0123456789abcdef0123456789abcdef").doesNotContain("topsecretvalue")
                .doesNotContain("/v3");
        }
    }

    /** A clock the test moves (the "stuck" rule), never the wall clock. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
