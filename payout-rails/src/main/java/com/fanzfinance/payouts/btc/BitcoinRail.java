package com.fanzfinance.payouts.btc;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailResponse;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.Network;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.exceptions.AddressFormatException;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.crypto.DumpedPrivateKey;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.script.ScriptBuilder;

/**
 * Pays BTC from one hot wallet key (its P2WPKH address) through an Esplora-compatible REST endpoint (Blockstream,
 * mempool.space, a self-hosted electrs), signing locally with bitcoinj.
 *
 * <p>The payout's amount is in satoshis (currency {@code BTC}, scale 8); its destination is {@code address}.
 * One {@link #advance} call goes as far as it can:
 * <ol>
 *   <li>no transaction yet: first look in the hot wallet's history (up to {@code history_scan_pages} pages; a longer
 *       history is UNKNOWN for a person) for a transaction carrying this payout's {@link #tag} (a lost state: take it
 *       over, never pay again); else read the hot wallet's UTXOs and the fee rate, {@link PayoutTransactions#build
 *       build} and sign (with the tag in an {@code OP_RETURN} output), check every selected input is unspent
 *       ({@code /tx/{txid}/outspend/{vout}}; spent ones are dropped and the coins selected again), and SAVE the raw
 *       transaction, txid, fee, change and inputs before anything is sent;</li>
 *   <li>broadcast {@code POST /tx}; a timeout is {@code UNKNOWN} and the next call asks {@code /tx/{txid}/status}
 *       before it sends the same raw transaction again; "already in the chain / mempool" is a success;</li>
 *   <li>{@code SUBMITTED} until the block holding the transaction is {@code confirmations} deep and still the canonical
 *       block at its height ({@code /block-height/{h}}): then {@code SETTLED}. A reorg that un-confirms it is back to
 *       {@code SUBMITTED}, and a transaction the endpoint no longer knows is broadcast again (same raw bytes);</li>
 *   <li>{@code FAILED} before anything was sent (bad address, no funds, the node refused a transaction nobody else
 *       ever saw: then the raw transaction is removed from the state, so nothing can send it later), or when an input is spent by another transaction that is itself {@code confirmations} deep: then
 *       ours can never confirm.</li>
 * </ol>
 * Only the raw transaction is ever re-sent, so a retry can never pay twice. State keys: {@code txid raw_tx fee_sat
 * change_sat vsize inputs fee_rate phase broadcasts adopted refusal}.
 */
public final class BitcoinRail implements PayoutRail {
    /** {@code mainnet}, {@code testnet}, {@code signet} or {@code regtest}: addresses and the WIF key must match it. */
    public static final String NETWORK = "network";
    /** The Esplora REST base URL, e.g. {@code https://blockstream.info/api} (no trailing slash needed). */
    public static final String ESPLORA_URL = "esplora_url";
    /** A fixed fee rate in sat/vB (a decimal is allowed); when empty the endpoint's estimate is used. */
    public static final String FEE_RATE = "fee_rate_sat_vb";
    /** The confirmation target for the estimate, in blocks; default 6. */
    public static final String FEE_TARGET = "fee_target_blocks";
    /** The highest estimated rate used, in sat/vB; default 200 (a higher estimate is capped). */
    public static final String MAX_FEE_RATE = "max_fee_rate_sat_vb";
    /** Blocks deep the payout's transaction must be before SETTLED; default 3. */
    public static final String CONFIRMATIONS = "confirmations";
    /** The smallest change output made, in sat; default 294 (P2WPKH dust); smaller change goes to the fee. */
    public static final String MIN_CHANGE = "min_change_sat";
    /**
     * Pages of the hot wallet's history (Esplora pages: the mempool, then 25 confirmed transactions each) searched for a
     * payout's tag when its state is empty; default 40. A history longer than that is not scanned to its end: the payout
     * is then UNKNOWN for a person rather than paid again blindly.
     */
    public static final String HISTORY_SCAN_PAGES = "history_scan_pages";
    /** Block times may lag the clock (a block need only be later than the median of the 11 before it): a day's margin. */
    private static final java.time.Duration BLOCK_TIME_MARGIN = java.time.Duration.ofDays(1);
    /** The hot wallet's private key in WIF (compressed); its P2WPKH address holds the funds and gets the change. */
    public static final String SIGNING_KEY = "signing_key";

    public static final List<String> SETTINGS = List.of(NETWORK, ESPLORA_URL, FEE_RATE, FEE_TARGET, MAX_FEE_RATE,
        CONFIRMATIONS, MIN_CHANGE, HISTORY_SCAN_PAGES);
    public static final List<String> SECRETS = List.of(SIGNING_KEY);

    static final String TXID = "txid";
    static final String RAW = "raw_tx";
    static final String FEE = "fee_sat";
    static final String CHANGE = "change_sat";
    static final String VSIZE = "vsize";
    static final String INPUTS = "inputs";
    static final String RATE = "fee_rate";
    static final String PHASE = "phase";
    static final String BROADCASTS = "broadcasts";
    /** Signed and saved, not known to have reached the node. */
    static final String SIGNED = "signed";
    /** A broadcast may have reached the node: find out first. */
    static final String UNSURE = "unsure";
    /** The node had it once (accepted, or answered that it knows it). */
    static final String SENT = "sent";
    /** The node refused the first broadcast and does not know the transaction: FAILED, the raw transaction removed. */
    static final String REFUSED = "refused";

    /** Esplora lists at most this many mempool transactions of an address; more cannot all be seen. */
    static final int MEMPOOL_PAGE = 50;
    /** Esplora's page of confirmed transactions. */
    static final int CHAIN_PAGE = 25;
    /** Rounds of coin selection that drop inputs the endpoint reports spent, before trying again later. */
    static final int MAX_RESELECTIONS = 20;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Duration BLOCKS = Duration.ofMinutes(2);
    private static final Duration LATER = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final RailAccount account;
    private final RailHttp http;
    private final BitcoinNetwork network;
    private final String baseUrl;
    private final FeeRate fixedRate;
    private final int feeTarget;
    private final FeeRate maxRate;
    private final int confirmations;
    private final long minChange;
    private final int historyScanPages;
    private final ECKey key;
    private final Address hotAddress;

    public BitcoinRail(RailAccount account, RailHttp http, Clock clock) {
        this.account = Objects.requireNonNull(account, "account");
        this.http = Objects.requireNonNull(http, "http");
        // The clock is part of the drivers' common constructor; this driver's timing comes from the chain's blocks.
        Objects.requireNonNull(clock, "clock");
        this.network = network(account.requiredSetting(NETWORK))
            .orElseThrow(() -> problem(NETWORK, "is not one of mainnet, testnet, signet, regtest"));
        String url = account.requiredSetting(ESPLORA_URL);
        try {
            URI uri = URI.create(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw problem(ESPLORA_URL, "is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw problem(ESPLORA_URL, "is not an http(s) URL");
        }
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.fixedRate = account.setting(FEE_RATE).map(value -> rate(FEE_RATE, value)).orElse(null);
        this.feeTarget = (int) number(FEE_TARGET, 6, 1, 1008);
        this.maxRate = rate(MAX_FEE_RATE, account.setting(MAX_FEE_RATE, "200"));
        this.confirmations = (int) number(CONFIRMATIONS, 3, 1, 1000);
        this.minChange = number(MIN_CHANGE, PayoutTransactions.DEFAULT_MIN_CHANGE_SAT, 294, 1_000_000);
        this.historyScanPages = (int) number(HISTORY_SCAN_PAGES, 40, 1, 10_000);
        this.key = key(account.requiredSecret(SIGNING_KEY));
        this.hotAddress = key.toAddress(ScriptType.P2WPKH, network);
    }

    @Override
    public String name() {
        return "btc";
    }

    /** The hot wallet's P2WPKH address (fund it; change returns to it). */
    public Address hotAddress() {
        return hotAddress;
    }

    /** The pure build step, for tests and tools: see {@link PayoutTransactions#build}. */
    public static BuiltTransaction build(List<Utxo> utxos, Address to, long amountSat, FeeRate feeRate,
                                         Address changeAddress, ECKey key, Network network)
        throws InsufficientFundsException {
        if (!(network instanceof BitcoinNetwork net) || !net.isValidAddress(to) || !net.isValidAddress(changeAddress)) {
            throw new IllegalArgumentException("the addresses are not for " + network);
        }
        return PayoutTransactions.build(utxos, to, amountSat, feeRate, changeAddress, key,
            PayoutTransactions.DEFAULT_MIN_CHANGE_SAT);
    }

    /**
     * Why {@code address} cannot receive on {@code network}, or empty when it can (base58 P2PKH/P2SH or bech32/bech32m
     * segwit, checksum and network checked by bitcoinj).
     */
    public static Optional<String> addressProblem(String address, String network) {
        Optional<BitcoinNetwork> net = network(network);
        if (net.isEmpty()) {
            return Optional.of("'" + network + "' is not a bitcoin network (mainnet, testnet, signet, regtest)");
        }
        try {
            parse(address, net.get());
            return Optional.empty();
        } catch (AddressFormatException.WrongNetwork e) {
            return Optional.of("the address is not for " + network);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a bitcoin address");
        }
    }

    static Address parse(String address, BitcoinNetwork network) {
        if (address == null || address.isBlank() || address.length() > 100) {
            throw new AddressFormatException("empty or too long");
        }
        String text = address.strip();
        Address parsed;
        boolean bech32 = text.toLowerCase(Locale.ROOT).startsWith(network.segwitAddressHrp() + "1")
            || text.matches("(?i)(bc|tb|bcrt)1.*");
        if (bech32) {
            parsed = SegwitAddress.fromBech32(text, network);
        } else {
            parsed = LegacyAddress.fromBase58(text, network);
        }
        if (!network.isValidAddress(parsed)) {
            throw new AddressFormatException.WrongNetwork(network.segwitAddressHrp());
        }
        ScriptBuilder.createOutputScript(parsed);
        return parsed;
    }

    @Override
    public RailStep advance(RailPayout payout, RailState state) {
        if (REFUSED.equals(state.get(PHASE))) {
            return refused(state.get(TXID), state.getOrDefault("refusal", "refused"));
        }
        if (!state.has(RAW)) {
            return prepare(payout, state);
        }
        String txid = state.get(TXID);
        String phase = state.getOrDefault(PHASE, SIGNED);
        if (SIGNED.equals(phase)) {
            return broadcast(state, txid, true);
        }
        if (UNSURE.equals(phase)) {
            Optional<RailStep> found = findOut(state, txid);
            if (found.isPresent()) {
                return found.get();
            }
            return broadcast(state, txid, true);
        }
        return follow(state, txid);
    }

    private RailStep prepare(RailPayout payout, RailState state) {
        if (!"BTC".equals(payout.currency()) || payout.scale() != 8) {
            return RailStep.failed(null, "currency", "the btc rail pays BTC at scale 8 (satoshis), not "
                + payout.currency() + " at scale " + payout.scale());
        }
        String destination = payout.destination().get("address");
        Optional<String> problem = addressProblem(destination, network.toString());
        if (problem.isPresent()) {
            return RailStep.failed(null, "address", "the payee's address: " + problem.get());
        }
        Address to = parse(destination, network);
        if (payout.amount() < PayoutTransactions.dustLimit(to)) {
            return RailStep.failed(null, "dust", payout.amount() + " sat is below the " + PayoutTransactions.dustLimit(to)
                + " sat dust limit for a " + to.getOutputScriptType() + " output");
        }
        byte[] tag = tag(payout);
        List<Utxo> utxos;
        FeeRate rate;
        try {
            Optional<RailStep> adopted = adoptTagged(payout, state, to, tag);
            if (adopted.isPresent()) {
                return adopted.get();
            }
            utxos = utxos();
            rate = fixedRate != null ? fixedRate : estimate();
        } catch (Unreadable e) {
            return RailStep.preparing("nothing sent yet: " + e.getMessage(), SOON);
        }
        BuiltTransaction built;
        try {
            built = buildWithUnspentInputs(utxos, to, payout.amount(), rate, tag);
        } catch (InsufficientFundsException e) {
            return RailStep.failed(null, "insufficient_funds", "hot wallet " + hotAddress + ": " + e.getMessage());
        } catch (Unreadable e) {
            return RailStep.preparing("nothing sent yet: " + e.getMessage(), SOON);
        } catch (PayoutTransactions.FeeExcessException e) {
            return RailStep.preparing("nothing sent: " + e.getMessage(), LATER);
        }
        if (built == null) {
            return RailStep.preparing("nothing sent yet: the endpoint keeps listing outputs that are already spent; "
                + "trying again later", SOON);
        }
        state.put(TXID, built.txid()).put(RAW, built.rawHex()).put(FEE, built.feeSat()).put(CHANGE, built.changeSat())
            .put(VSIZE, built.vsize()).put(INPUTS, built.inputList()).put(RATE, rate.satPerVb().toPlainString())
            .put(PHASE, SIGNED).put(BROADCASTS, 0);
        state.save();
        return broadcast(state, built.txid(), true);
    }

    /**
     * Builds the transaction, then asks {@code GET /tx/{txid}/outspend/{vout}} for each selected input: an index that
     * has not yet seen one of our own mempool spends still lists that output in {@code /utxo}, and two payouts must never
     * share an input. Spent (or unknown) inputs are dropped and the coins selected again. Null after
     * {@value #MAX_RESELECTIONS} rounds that each found a spent input.
     */
    private BuiltTransaction buildWithUnspentInputs(List<Utxo> utxos, Address to, long amount, FeeRate rate, byte[] tag)
        throws InsufficientFundsException, Unreadable {
        java.util.Set<String> dropped = new java.util.HashSet<>();
        java.util.Set<String> unspent = new java.util.HashSet<>();
        for (int round = 0; round < MAX_RESELECTIONS; round++) {
            List<Utxo> usable = utxos.stream().filter(utxo -> !dropped.contains(utxo.outpoint())).toList();
            BuiltTransaction built = PayoutTransactions.build(usable, to, amount, rate, hotAddress, key, minChange, tag);
            boolean clean = true;
            for (Utxo input : built.inputs()) {
                if (unspent.contains(input.outpoint())) {
                    continue;
                }
                if (isUnspent(input)) {
                    unspent.add(input.outpoint());
                } else {
                    dropped.add(input.outpoint());
                    clean = false;
                }
            }
            if (clean) {
                return built;
            }
        }
        return null;
    }

    /** Whether the endpoint says nothing spends {@code utxo} (not even in the mempool); an unknown output is not. */
    private boolean isUnspent(Utxo utxo) throws Unreadable {
        RailResponse response = get("/tx/" + utxo.txid() + "/outspend/" + utxo.vout());
        if (response.status() == 404) {
            return false;
        }
        JsonNode spend = json(response);
        if (!spend.path("spent").isBoolean()) {
            throw new Unreadable("the outspend of " + utxo.outpoint() + " is unreadable");
        }
        return !spend.path("spent").booleanValue();
    }

    private static RailStep refused(String txid, String why) {
        return RailStep.failed(txid, "rejected", why);
    }

    /**
     * Sends the saved raw transaction. {@code follow}: whether a "known / conflicting" answer goes on to read the
     * transaction's status (false when the caller is that status reading, so the two never call each other in a loop).
     */
    private RailStep broadcast(RailState state, String txid, boolean follow) {
        String phase = state.getOrDefault(PHASE, SIGNED);
        long reached = state.getLong(BROADCASTS, 0);
        RailResponse response;
        try {
            response = http.send(new RailRequest("POST", baseUrl + "/tx", Map.of("Content-Type", "text/plain"), Set.of(),
                state.get(RAW).getBytes(StandardCharsets.US_ASCII), false));
        } catch (RailCallException e) {
            String message = scrub(e.getMessage());
            if (SENT.equals(phase)) {
                return RailStep.submitted(txid, "could not re-broadcast " + txid + " (" + message
                    + "); tried again later", SOON);
            }
            if (e.mayHaveArrived() || UNSURE.equals(phase)) {
                state.put(PHASE, UNSURE).put(BROADCASTS, reached + (e.mayHaveArrived() ? 1 : 0));
                state.save();
                return RailStep.unknown(txid, "the broadcast of " + txid + " got no answer (" + message
                    + "); its status is looked up before it is sent again", SOON);
            }
            return RailStep.preparing("signed " + txid + " but could not reach the node: " + message, SOON);
        }
        state.put(BROADCASTS, reached + 1);
        String answer = shortText(response);
        if (response.isSuccess()) {
            if (!answer.equals(txid)) {
                state.put(PHASE, UNSURE);
                state.save();
                return RailStep.unknown(txid, "the node answered the broadcast of " + txid + " with '" + answer + "'",
                    SOON);
            }
            state.put(PHASE, SENT);
            state.save();
            return RailStep.submitted(txid, "broadcast; waiting for " + confirmations + " confirmations", BLOCKS);
        }
        String lower = answer.toLowerCase(Locale.ROOT);
        boolean known = lower.contains("already in block chain") || lower.contains("already-known")
            || lower.contains("already known") || lower.contains("already-in-mempool")
            || lower.contains("already in utxo set") || lower.contains("already-in-utxo-set");
        boolean conflict = lower.contains("missingorspent") || lower.contains("missing-inputs")
            || lower.contains("missing inputs") || lower.contains("conflict");
        if (known || conflict) {
            state.put(PHASE, SENT);
            state.save();
            return follow ? follow(state, txid) : RailStep.submitted(txid, "re-broadcast of " + txid + ": " + answer,
                BLOCKS);
        }
        if (response.status() >= 500) {
            if (!SENT.equals(phase)) {
                state.put(PHASE, UNSURE);
            }
            state.save();
            return new RailStep(SENT.equals(phase) ? RailStatus.SUBMITTED
                : RailStatus.UNKNOWN, txid, null, "the node failed on the broadcast of "
                + txid + " (HTTP " + response.status() + ": " + answer + "); looked up before it is sent again", SOON);
        }
        state.save();
        if (SIGNED.equals(phase) && reached == 0) {
            // Refused at the first attempt that reached the node: unless the node knows it anyway (an earlier attempt
            // whose outcome was never saved), nobody has it and it can never confirm.
            try {
                if (get("/tx/" + txid + "/status").status() == 404) {
                    // Nothing may ever send these bytes again: the payout fails and its hold is released.
                    String why = "the node refused " + txid + " (HTTP " + response.status() + ": " + answer
                        + ") and does not know it: nothing was paid";
                    state.put(RAW, null).put(PHASE, REFUSED).put("refusal", why);
                    state.save();
                    return refused(txid, why);
                }
            } catch (Unreadable e) {
                return RailStep.unknown(txid, "the node refused " + txid + " (" + answer + ") and its status is not "
                    + "readable now: " + e.getMessage(), SOON);
            }
            state.put(PHASE, SENT);
            state.save();
            return follow(state, txid);
        }
        return RailStep.unknown(txid, "the node refused the re-broadcast of " + txid + " (HTTP " + response.status()
            + ": " + answer + ") though an earlier broadcast may have reached it: needs a look", LATER);
    }

    /** After an unsure broadcast: is the transaction known to the node? Empty when it is surely not. */
    private Optional<RailStep> findOut(RailState state, String txid) {
        try {
            RailResponse response = get("/tx/" + txid + "/status");
            if (response.status() == 404) {
                return Optional.empty();
            }
            expect(response);
            state.put(PHASE, SENT);
            state.save();
            return Optional.of(follow(state, txid));
        } catch (Unreadable e) {
            return Optional.of(RailStep.unknown(txid, "the status of " + txid + " is not known yet: " + e.getMessage(),
                SOON));
        }
    }

    private RailStep follow(RailState state, String txid) {
        try {
            RailResponse response = get("/tx/" + txid + "/status");
            if (response.status() == 404) {
                return gone(state, txid);
            }
            JsonNode status = json(response);
            if (!status.path("confirmed").asBoolean(false)) {
                return RailStep.submitted(txid, txid + " is in the mempool, unconfirmed", BLOCKS);
            }
            long height = status.path("block_height").asLong(-1);
            String blockHash = status.path("block_hash").asText("");
            if (height < 0 || !HEX64.matcher(blockHash).matches()) {
                throw new Unreadable("the status of " + txid + " names no block");
            }
            long tip = number(get("/blocks/tip/height"));
            String canonical = hash(get("/block-height/" + height));
            if (!canonical.equals(blockHash)) {
                return afterReorg(state, txid, height, blockHash);
            }
            long depth = tip - height + 1;
            if (depth >= confirmations) {
                return RailStep.settled(txid, depth + " confirmations (block " + height + " " + blockHash + ")");
            }
            return RailStep.submitted(txid, depth + " of " + confirmations + " confirmations (block " + height + ")",
                BLOCKS);
        } catch (Unreadable e) {
            return RailStep.submitted(txid, "broadcast; could not read its status now: " + e.getMessage(), SOON);
        }
    }

    private RailStep afterReorg(RailState state, String txid, long height, String blockHash) {
        // The endpoint's status and its chain disagree (a reorg in progress): not settled. The next call sees the
        // transaction unconfirmed (back in the mempool) or unknown, and then broadcasts it again.
        return RailStep.submitted(txid, "block " + height + " " + blockHash + " that held " + txid
            + " is no longer the canonical block at that height (reorg)", SOON);
    }

    /** The node does not know our transaction: broadcast it again, unless an input is spent for good by another. */
    private RailStep gone(RailState state, String txid) throws Unreadable {
        for (String outpoint : state.get(INPUTS).split(",")) {
            int colon = outpoint.indexOf(':');
            String prevTxid = outpoint.substring(0, colon);
            String vout = outpoint.substring(colon + 1);
            JsonNode spend = json(get("/tx/" + prevTxid + "/outspend/" + vout));
            if (!spend.path("spent").asBoolean(false)) {
                continue;
            }
            String spender = spend.path("txid").asText("");
            if (spender.equals(txid)) {
                continue;
            }
            JsonNode spendStatus = spend.path("status");
            if (spendStatus.path("confirmed").asBoolean(false)) {
                long tip = number(get("/blocks/tip/height"));
                long depth = tip - spendStatus.path("block_height").asLong(tip) + 1;
                if (depth >= confirmations) {
                    return RailStep.failed(txid, "double_spent", "input " + outpoint + " of " + txid + " is spent by "
                        + spender + ", " + depth + " blocks deep: " + txid + " can never confirm and paid nothing");
                }
                return RailStep.submitted(txid, "input " + outpoint + " is spent by " + spender + " (" + depth
                    + " confirmations); " + txid + " fails if that one reaches " + confirmations, BLOCKS);
            }
            return RailStep.submitted(txid, "input " + outpoint + " is spent by " + spender
                + " in the mempool; waiting to see which confirms", BLOCKS);
        }
        RailStep again = broadcast(state, txid, false);
        if (again.status() == RailStatus.SUBMITTED) {
            return RailStep.submitted(txid, txid + " had left the node; re-broadcast it", BLOCKS);
        }
        return again;
    }

    /**
     * The {@code OP_RETURN} tag of a payout's transaction: {@code FZP1} and the first 16 bytes of
     * SHA-256("fanzfinance btc payout " + payout id). It derives from the payout id only, so a payout whose saved state
     * was lost still finds its own transaction on chain instead of paying again.
     */
    public static byte[] tag(RailPayout payout) {
        byte[] hash = Sha256Hash.hash(("fanzfinance btc payout " + payout.id()).getBytes(StandardCharsets.UTF_8));
        byte[] tag = new byte[20];
        System.arraycopy("FZP1".getBytes(StandardCharsets.US_ASCII), 0, tag, 0, 4);
        System.arraycopy(hash, 0, tag, 4, 16);
        return tag;
    }

    /**
     * With no saved transaction: looks through the hot wallet's history (the mempool, then pages of 25 confirmed
     * transactions, at most {@code history_scan_pages} pages, and no further back than blocks a day older than the
     * payout's request: nothing was sent for it before) for one carrying this payout's tag, and if there is one
     * takes it over instead of paying again. A scan that ends before the end of the history (or sees a full page of
     * mempool transactions, more of which Esplora would not show) cannot prove the payout was never sent: UNKNOWN.
     */
    private Optional<RailStep> adoptTagged(RailPayout payout, RailState state, Address to, byte[] tag) throws Unreadable {
        String tagScript = HexFormat.of().formatHex(ScriptBuilder.createOpReturnScript(tag).program());
        String path = "/address/" + hotAddress + "/txs";
        boolean complete = false;
        boolean mempoolComplete = true;
        boolean olderThanPayout = false;
        for (int page = 0; page < historyScanPages; page++) {
            JsonNode txs = json(expect(get(path)));
            if (!txs.isArray()) {
                throw new Unreadable("the address history is not a JSON array");
            }
            String lastConfirmed = null;
            int confirmedOnPage = 0;
            int mempoolOnPage = 0;
            for (JsonNode tx : txs) {
                String txid = tx.path("txid").asText("");
                if (!HEX64.matcher(txid).matches()) {
                    throw new Unreadable("the address history holds an unreadable txid");
                }
                if (tx.path("status").path("confirmed").asBoolean(false)) {
                    lastConfirmed = txid;
                    confirmedOnPage++;
                    long blockTime = tx.path("status").path("block_time").asLong(Long.MAX_VALUE);
                    if (payout.created() != null
                        && blockTime < payout.created().minus(BLOCK_TIME_MARGIN).getEpochSecond()) {
                        olderThanPayout = true;
                    }
                } else {
                    mempoolOnPage++;
                }
                for (JsonNode out : tx.path("vout")) {
                    if (tagScript.equals(out.path("scriptpubkey").asText(""))) {
                        return Optional.of(adopt(payout, state, to, txid, tx.path("fee").asLong(-1)));
                    }
                }
            }
            if (page == 0 && mempoolOnPage >= MEMPOOL_PAGE) {
                mempoolComplete = false;
            }
            if (lastConfirmed == null || confirmedOnPage < CHAIN_PAGE || olderThanPayout) {
                complete = true;
                break;
            }
            path = "/address/" + hotAddress + "/txs/chain/" + lastConfirmed;
        }
        if (!complete || !mempoolComplete) {
            return Optional.of(RailStep.unknown(null, "nothing sent: the state is empty and the hot wallet's history "
                + (complete ? "has " + MEMPOOL_PAGE + "+ unconfirmed transactions, more than the endpoint lists"
                : "is longer than " + historyScanPages + " pages (setting " + HISTORY_SCAN_PAGES + ")")
                + ", so it is not proven that this payout was never sent; a person must look (search the history "
                + "for the OP_RETURN tag " + HexFormat.of().formatHex(tag) + ") before it is paid", LATER));
        }
        return Optional.empty();
    }

    private RailStep adopt(RailPayout payout, RailState state, Address to, String txid, long fee) throws Unreadable {
        String raw = expect(get("/tx/" + txid + "/hex")).text().trim();
        if (raw.length() > RailState.VALUE_MAX_CHARS) {
            return RailStep.unknown(txid, txid + " carries this payout's tag but is too large to keep: needs a look",
                LATER);
        }
        Transaction tx;
        try {
            tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(raw)));
        } catch (RuntimeException e) {
            throw new Unreadable("the hex of " + txid + " is not a transaction");
        }
        if (!tx.getTxId().toString().equals(txid)) {
            throw new Unreadable("the hex of " + txid + " is another transaction");
        }
        TransactionOutput paid = tx.getOutputs().isEmpty() ? null : tx.getOutput(0);
        if (paid == null || paid.getValue().value != payout.amount()
            || !Arrays.equals(paid.getScriptBytes(), ScriptBuilder.createOutputScript(to).program())) {
            return RailStep.unknown(txid, txid + " carries this payout's tag but does not pay " + payout.amount()
                + " sat to " + to + ": needs a look before anything is sent", LATER);
        }
        byte[] change = ScriptBuilder.createOutputScript(hotAddress).program();
        long changeSat = tx.getOutputs().stream().filter(out -> Arrays.equals(out.getScriptBytes(), change))
            .mapToLong(out -> out.getValue().value).sum();
        List<String> inputs = new ArrayList<>();
        tx.getInputs().forEach(in -> inputs.add(in.getOutpoint().hash() + ":" + in.getOutpoint().index()));
        state.put(TXID, txid).put(RAW, raw).put(FEE, fee).put(CHANGE, changeSat).put(VSIZE, tx.getVsize())
            .put(INPUTS, String.join(",", inputs)).put(PHASE, SENT).put(BROADCASTS, 1).put("adopted", "true");
        state.save();
        RailStep step = follow(state, txid);
        return step.status() == RailStatus.SUBMITTED
            ? RailStep.submitted(txid, "found this payout's transaction " + txid + " on chain (state was lost); "
                + step.reason(), step.checkAgainIn())
            : step;
    }

    private List<Utxo> utxos() throws Unreadable {
        JsonNode list = json(expect(get("/address/" + hotAddress + "/utxo")));
        if (!list.isArray()) {
            throw new Unreadable("the UTXO list is not a JSON array");
        }
        List<Utxo> utxos = new ArrayList<>();
        for (JsonNode node : list) {
            try {
                utxos.add(new Utxo(node.path("txid").asText(""), node.path("vout").asInt(-1),
                    node.path("value").longValue(), node.path("status").path("confirmed").asBoolean(false)));
            } catch (IllegalArgumentException e) {
                throw new Unreadable("a UTXO in the list is unreadable: " + e.getMessage());
            }
        }
        return utxos;
    }

    /** The endpoint's estimate for the largest target up to {@code fee_target_blocks}, at least 1, at most the cap. */
    private FeeRate estimate() throws Unreadable {
        JsonNode estimates = json(expect(get("/fee-estimates")));
        TreeMap<Integer, BigDecimal> byTarget = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : estimates.properties()) {
            if (entry.getKey().matches("[0-9]{1,4}") && entry.getValue().isNumber()
                && entry.getValue().decimalValue().signum() > 0) {
                byTarget.put(Integer.parseInt(entry.getKey()), entry.getValue().decimalValue());
            }
        }
        if (byTarget.isEmpty()) {
            throw new Unreadable("the fee estimates are empty");
        }
        Map.Entry<Integer, BigDecimal> chosen = byTarget.floorEntry(feeTarget);
        BigDecimal satPerVb = (chosen != null ? chosen : byTarget.firstEntry()).getValue().max(BigDecimal.ONE);
        FeeRate rate = FeeRate.ofSatPerVb(satPerVb.min(BigDecimal.valueOf(100_000)));
        return rate.compareTo(maxRate) > 0 ? maxRate : rate;
    }

    private RailResponse get(String path) throws Unreadable {
        try {
            return http.send(RailRequest.get(baseUrl + path, Map.of(), Set.of()));
        } catch (RailCallException e) {
            throw new Unreadable(scrub(e.getMessage()));
        }
    }

    private static RailResponse expect(RailResponse response) throws Unreadable {
        if (!response.isSuccess()) {
            throw new Unreadable("HTTP " + response.status() + ": " + shortText(response));
        }
        return response;
    }

    private static JsonNode json(RailResponse response) throws Unreadable {
        expect(response);
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new Unreadable("the answer is not JSON");
        }
    }

    private static long number(RailResponse response) throws Unreadable {
        String text = expect(response).text().trim();
        if (!text.matches("[0-9]{1,9}")) {
            throw new Unreadable("'" + shortText(response) + "' is not a block height");
        }
        return Long.parseLong(text);
    }

    private static String hash(RailResponse response) throws Unreadable {
        if (response.status() == 404) {
            return "";
        }
        String text = expect(response).text().trim();
        if (!HEX64.matcher(text).matches()) {
            throw new Unreadable("'" + shortText(response) + "' is not a block hash");
        }
        return text;
    }

    private static String shortText(RailResponse response) {
        String text = response.text().replaceAll("\\s+", " ").trim();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static Optional<BitcoinNetwork> network(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "mainnet" -> Optional.of(BitcoinNetwork.MAINNET);
            case "testnet" -> Optional.of(BitcoinNetwork.TESTNET);
            case "signet" -> Optional.of(BitcoinNetwork.SIGNET);
            case "regtest" -> Optional.of(BitcoinNetwork.REGTEST);
            default -> Optional.empty();
        };
    }

    private ECKey key(String wif) {
        ECKey parsed;
        try {
            parsed = DumpedPrivateKey.fromBase58(network, wif.trim()).getKey();
        } catch (RuntimeException e) {
            // The message or cause may quote the key: neither is kept.
            throw new RailConfigurationException("btc account " + account.id() + ": secret '" + SIGNING_KEY
                + "' is not a WIF private key for " + network);
        }
        if (!parsed.isCompressed()) {
            throw new RailConfigurationException("btc account " + account.id() + ": secret '" + SIGNING_KEY
                + "' is an uncompressed key; P2WPKH needs a compressed one");
        }
        return parsed;
    }

    private FeeRate rate(String setting, String value) {
        try {
            FeeRate rate = FeeRate.ofSatPerVb(new BigDecimal(value.trim()));
            if (rate.compareTo(FeeRate.ofSatPerVb(1)) < 0) {
                throw problem(setting, "is below 1 sat/vB");
            }
            return rate;
        } catch (NumberFormatException | ArithmeticException e) {
            throw problem(setting, "is not a decimal sat/vB");
        } catch (IllegalArgumentException e) {
            throw problem(setting, e.getMessage());
        }
    }

    private long number(String setting, long otherwise, long min, long max) {
        Optional<String> value = account.setting(setting);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value.get().trim());
            if (parsed < min || parsed > max) {
                throw problem(setting, "must be " + min + "-" + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw problem(setting, "is not a whole number");
        }
    }

    private RailConfigurationException problem(String setting, String what) {
        return new RailConfigurationException("btc account " + account.id() + ": setting '" + setting + "' " + what);
    }

    /** {@code scheme://host} of the endpoint: an API key may sit in its path or query, so nothing more is shown. */
    private String endpoint() {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + uri.getHost();
    }

    /** An HTTP layer's message with the endpoint URL (and its path and query) replaced by {@code scheme://host}. */
    private String scrub(String message) {
        if (message == null) {
            return "";
        }
        String clean = message.replace(baseUrl, endpoint());
        URI uri = URI.create(baseUrl);
        for (String part : new String[] {uri.getRawUserInfo(), uri.getRawQuery(), uri.getRawPath(), uri.getUserInfo(),
            uri.getQuery(), uri.getPath()}) {
            if (part != null && part.length() > 1) {
                clean = clean.replace(part, "…");
            }
        }
        return clean;
    }

    @Override
    public String toString() {
        return "BitcoinRail[" + network + " " + hotAddress + " via " + endpoint() + "]";
    }

    /** An answer that did not arrive or could not be read; no money moved because of it. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
