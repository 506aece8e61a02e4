package com.fanzfinance.payouts.evm;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStep;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Pays USDC or USDT (any ERC-20 token) from a hot wallet on an EVM chain: one EIP-1559 {@code transfer(address,uint256)}
 * transaction per payout, signed here and sent to the account's node over JSON-RPC through the server's
 * {@link RailHttp}.
 *
 * <p>How a payout moves ({@link #advance}):
 * <ol>
 *   <li>Checks the destination ({@code address}, {@code chain_id}), the currency and that the amount is a whole number
 *       of token units; estimates gas (a transfer that would revert fails here, before any nonce is used).</li>
 *   <li>Reserves a nonce from the {@link NonceStore}, signs, and saves nonce, signed raw transaction, hash, fees and
 *       time sent in the state <em>before</em> broadcasting it.</li>
 *   <li>Each later call looks for a receipt of every hash sent for the nonce. None yet: re-broadcasts the saved raw
 *       transaction (harmless: same hash), and after {@code replace_after_seconds} replaces it on the same nonce with
 *       both fee caps raised by 12.5 %. A receipt with status 1 and the token's Transfer log for exactly this payee and
 *       amount, {@code confirmations} deep and still on the canonical chain: SETTLED, reference = the mined hash. Status
 *       0 as deep: FAILED (the nonce is used, no token moved). A receipt that vanished (a reorganisation): back to
 *       SUBMITTED and the mined raw transaction is broadcast again.</li>
 * </ol>
 * A transaction whose answer was lost gives UNKNOWN; nothing is ever signed twice for a nonce except a replacement.
 * The payout's nonce used {@code confirmations} deep while the node shows no receipt of ours is not taken as proof
 * that nothing was paid: the driver finds the transaction that used the nonce and the token's Transfer events since
 * the first send (see {@code nonceUsed}); it fails the payout ({@code nonce_taken}) only when another transaction
 * provably used the nonce and no Transfer of these units to the payee exists, else settles through the transaction
 * that paid, or answers UNKNOWN for a person.
 *
 * <p>The payout's currency must be the token's {@code symbol()} (ignoring case), checked before anything is sent.
 *
 * <p>Settings ({@link #SETTINGS}): {@code rpc_url} the node's JSON-RPC URL; {@code chain_id} the chain (1 Ethereum,
 * 8453 Base, 31337 a local anvil…; checked against the node); {@code token_contract} the token's address;
 * {@code confirmations} blocks deep before SETTLED (default 12); {@code keystore_file} a web3j/geth keystore JSON
 * file holding the hot wallet's key (with the secret {@code keystore_password}); {@code gas_limit} a fixed gas limit
 * (default: the node's estimate × 1.2); {@code max_priority_fee_wei} the tip (default 1.5 gwei);
 * {@code replace_after_seconds} how long a transaction may stay unmined before it is replaced with higher fees
 * (default 300); {@code max_fee_cap_wei} the most this driver ever offers per gas (default 200 gwei).
 * Secrets ({@link #SECRETS}): {@code keystore_password} (with {@code keystore_file}) or {@code signing_key} (the
 * private key in hex) — exactly one way.
 */
public final class Erc20Rail implements PayoutRail {
    /** The rail's name. */
    public static final String NAME = "usdc_evm";

    /** Setting: the node's JSON-RPC URL (http or https). Required. */
    public static final String RPC_URL = "rpc_url";
    /** Setting: the chain id (decimal); the node must report the same; a destination's {@code chain_id} must match. */
    public static final String CHAIN_ID = "chain_id";
    /** Setting: the token contract's address (0x + 40 hex). Required. */
    public static final String TOKEN_CONTRACT = "token_contract";
    /** Setting: how many blocks deep (the receipt's block counting as 1) before SETTLED; default 12. */
    public static final String CONFIRMATIONS = "confirmations";
    /** Setting: path of a web3j/geth keystore JSON file with the hot wallet's key (opened with keystore_password). */
    public static final String KEYSTORE_FILE = "keystore_file";
    /** Setting: a fixed gas limit; default the node's eth_estimateGas × 1.2. */
    public static final String GAS_LIMIT = "gas_limit";
    /** Setting: the priority fee (tip) per gas in wei; default 1 500 000 000 (1.5 gwei). */
    public static final String MAX_PRIORITY_FEE_WEI = "max_priority_fee_wei";
    /** Setting: seconds a sent transaction may stay unmined before it is replaced with fees × 1.125; default 300. */
    public static final String REPLACE_AFTER_SECONDS = "replace_after_seconds";
    /** Setting: the highest max fee per gas in wei this driver ever signs; default 200 gwei. */
    public static final String MAX_FEE_CAP_WEI = "max_fee_cap_wei";
    /** Secret: the keystore file's password. */
    public static final String KEYSTORE_PASSWORD = "keystore_password";
    /** Secret: the hot wallet's private key in hex (64 digits, 0x optional), instead of a keystore file. */
    public static final String SIGNING_KEY = "signing_key";

    /** The settings' names, as the server lists them. */
    public static final List<String> SETTINGS = List.of(RPC_URL, CHAIN_ID, TOKEN_CONTRACT, CONFIRMATIONS, KEYSTORE_FILE,
        GAS_LIMIT, MAX_PRIORITY_FEE_WEI, REPLACE_AFTER_SECONDS, MAX_FEE_CAP_WEI);
    /** The secrets' names. */
    public static final List<String> SECRETS = List.of(KEYSTORE_PASSWORD, SIGNING_KEY);

    /** topic0 of {@code Transfer(address indexed from, address indexed to, uint256 value)}. */
    public static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    /** Most transactions signed for one payout's nonce (the first and its replacements). */
    static final int MAX_ATTEMPTS = 8;
    private static final Set<String> CURRENCIES = Set.of("USDC", "USDT");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration RETRY = Duration.ofSeconds(30);

    // State keys (all public data: nonce, signed transactions, hashes, fees).
    static final String K_NONCE = "evm.nonce";
    static final String K_FROM = "evm.from";
    static final String K_TO = "evm.to";
    static final String K_UNITS = "evm.units";
    static final String K_GAS = "evm.gas_limit";
    static final String K_ATTEMPTS = "evm.attempts";
    static final String K_HASHES = "evm.hashes";
    static final String K_MINED = "evm.mined_hash";
    static final String K_MINED_BLOCK = "evm.mined_block";
    /** The chain's latest block when the payout's first transaction was signed: where the search for its effect starts. */
    static final String K_FIRST_BLOCK = "evm.first_block";

    /** Blocks per {@code eth_getLogs} call when looking for a Transfer to the payee (providers cap the range). */
    static final long LOG_WINDOW_BLOCKS = 2_000;
    /** Most {@code eth_getLogs} calls for one search; a longer range is left to a person (UNKNOWN). */
    static final int LOG_WINDOWS_MAX = 50;

    static String raw(int attempt) {
        return "evm.tx." + attempt + ".raw";
    }

    static String hash(int attempt) {
        return "evm.tx." + attempt + ".hash";
    }

    static String fees(int attempt) {
        return "evm.tx." + attempt + ".fees";
    }

    static String sentAt(int attempt) {
        return "evm.tx." + attempt + ".sent_at";
    }

    private final RailAccount account;
    private final Clock clock;
    private final NonceStore nonces;
    private final Web3j web3j;
    private final long chainId;
    private final String token;
    private final int confirmations;
    private final BigInteger gasLimit;
    private final BigInteger tip;
    private final long replaceAfterSeconds;
    private final BigInteger maxFeeCap;
    private final Credentials credentials;
    private final String from;
    private final String endpoint;
    // Read once from the chain; volatile so a driver shared between threads publishes them safely.
    private volatile Integer decimals;
    private volatile String symbol;
    private volatile boolean chainChecked;

    /**
     * @param account the usdc_evm account: its settings and secrets (see the class comment)
     * @param http    how node calls go out
     * @param clock   time for the "stuck" rule
     * @param nonces  the hot wallet's nonce sequence
     * @throws RailConfigurationException naming the setting or secret that is missing or unusable
     */
    public Erc20Rail(RailAccount account, RailHttp http, Clock clock, NonceStore nonces) {
        this.account = account;
        this.clock = clock;
        this.nonces = nonces;
        String url = account.requiredSetting(RPC_URL);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw config("setting '" + RPC_URL + "' is not an http(s) URL");
        }
        this.endpoint = RailHttpService.schemeAndHost(url);
        this.chainId = positiveLong(CHAIN_ID, account.requiredSetting(CHAIN_ID));
        String tokenSetting = account.requiredSetting(TOKEN_CONTRACT);
        addressProblem(tokenSetting).ifPresent(problem -> {
            throw config("setting '" + TOKEN_CONTRACT + "': " + problem);
        });
        this.token = tokenSetting.toLowerCase(Locale.ROOT);
        this.confirmations = (int) Math.min(positiveLong(CONFIRMATIONS, account.setting(CONFIRMATIONS, "12")), 10_000);
        this.gasLimit = account.setting(GAS_LIMIT).map(value -> BigInteger.valueOf(positiveLong(GAS_LIMIT, value)))
            .orElse(null);
        this.tip = BigInteger.valueOf(positiveLong(MAX_PRIORITY_FEE_WEI,
            account.setting(MAX_PRIORITY_FEE_WEI, "1500000000")));
        this.replaceAfterSeconds = positiveLong(REPLACE_AFTER_SECONDS, account.setting(REPLACE_AFTER_SECONDS, "300"));
        this.maxFeeCap = BigInteger.valueOf(positiveLong(MAX_FEE_CAP_WEI, account.setting(MAX_FEE_CAP_WEI,
            "200000000000")));
        if (tip.compareTo(maxFeeCap) > 0) {
            throw config("setting '" + MAX_PRIORITY_FEE_WEI + "' is above '" + MAX_FEE_CAP_WEI + "'");
        }
        this.credentials = loadCredentials(account);
        this.from = credentials.getAddress().toLowerCase(Locale.ROOT);
        this.web3j = Web3j.build(new RailHttpService(url, http));
    }

    private Credentials loadCredentials(RailAccount account) {
        Optional<String> keystore = account.setting(KEYSTORE_FILE);
        Optional<String> key = account.secret(SIGNING_KEY);
        if (keystore.isPresent() && key.isPresent()) {
            throw config("give either setting '" + KEYSTORE_FILE + "' (with secret '" + KEYSTORE_PASSWORD
                + "') or secret '" + SIGNING_KEY + "', not both");
        }
        if (keystore.isPresent()) {
            String password = account.requiredSecret(KEYSTORE_PASSWORD);
            File file = new File(keystore.get());
            if (!file.isFile()) {
                throw config("setting '" + KEYSTORE_FILE + "': no such file " + file);
            }
            try {
                return WalletUtils.loadCredentials(password, file);
            } catch (Exception e) {
                // No cause attached: the library's message is not ours to vouch for.
                throw config("setting '" + KEYSTORE_FILE + "': the keystore does not open with secret '"
                    + KEYSTORE_PASSWORD + "' (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (key.isEmpty()) {
            throw config("has no secret '" + SIGNING_KEY + "' and no setting '" + KEYSTORE_FILE + "'");
        }
        String hex = Numeric.cleanHexPrefix(key.get().trim());
        if (!hex.matches("[0-9a-fA-F]{64}") || new BigInteger(hex, 16).signum() == 0) {
            throw config("secret '" + SIGNING_KEY + "' is not a private key (64 hex digits)");
        }
        return Credentials.create(hex);
    }

    private RailConfigurationException config(String message) {
        return new RailConfigurationException(NAME + " account " + account.id() + ": " + message);
    }

    private long positiveLong(String name, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw config("setting '" + name + "' is not a positive whole number");
    }

    /**
     * Why {@code address} cannot be a payee address, or empty when it can: 0x and 40 hex digits, not the zero address;
     * all lower or all upper case, or mixed case with a correct EIP-55 checksum.
     */
    public static Optional<String> addressProblem(String address) {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            return Optional.of("an address is 0x and 40 hex digits");
        }
        String digits = address.substring(2);
        if (digits.chars().allMatch(c -> c == '0')) {
            return Optional.of("the zero address burns what it gets");
        }
        boolean lower = digits.equals(digits.toLowerCase(Locale.ROOT));
        boolean upper = digits.equals(digits.toUpperCase(Locale.ROOT));
        if (!lower && !upper && !Keys.toChecksumAddress(address).equals(address)) {
            return Optional.of("the address's mixed case is not its EIP-55 checksum (a typo?)");
        }
        return Optional.empty();
    }

    /** The hot wallet's address (lower case). */
    public String hotWallet() {
        return from;
    }

    /** The token balance of {@code address} in the token's own units ({@code balanceOf}). */
    public BigInteger tokenBalance(String address) throws IOException {
        Function balanceOf = new Function("balanceOf", List.of(new Address(address)), List.of());
        String answer = send(web3j.ethCall(Transaction.createEthCallTransaction(from, token,
            FunctionEncoder.encode(balanceOf)), DefaultBlockParameterName.LATEST)).getValue();
        return Numeric.toBigInt(answer);
    }

    /** The token's {@code decimals()}, read once per driver. */
    public int tokenDecimals() throws IOException {
        if (decimals == null) {
            Function call = new Function("decimals", List.of(), List.of());
            String answer = send(web3j.ethCall(Transaction.createEthCallTransaction(from, token,
                FunctionEncoder.encode(call)), DefaultBlockParameterName.LATEST)).getValue();
            BigInteger value = answer == null || Numeric.cleanHexPrefix(answer).isEmpty() ? BigInteger.valueOf(-1)
                : Numeric.toBigInt(answer);
            if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(77)) > 0) {
                throw new IOException("the token contract answered no usable decimals()");
            }
            decimals = value.intValue();
        }
        return decimals;
    }

    /**
     * The token's {@code symbol()}, read once per driver (an ABI string, or a {@code bytes32} as some old tokens
     * answer); a payout's currency must equal it, ignoring case.
     */
    public String tokenSymbol() throws IOException {
        String known = symbol;
        if (known == null) {
            Function call = new Function("symbol", List.of(), List.of());
            String answer = send(web3j.ethCall(Transaction.createEthCallTransaction(from, token,
                FunctionEncoder.encode(call)), DefaultBlockParameterName.LATEST)).getValue();
            known = decodeSymbol(answer).orElseThrow(() -> new IOException("the token contract answered no usable "
                + "symbol()"));
            symbol = known;
        }
        return known;
    }

    static Optional<String> decodeSymbol(String answer) {
        String hex = answer == null ? "" : Numeric.cleanHexPrefix(answer);
        if (hex.isEmpty() || hex.length() > 4096 || !hex.matches("[0-9a-fA-F]*")) {
            return Optional.empty();
        }
        String text = null;
        if (hex.length() >= 128) {
            try {
                @SuppressWarnings({"rawtypes", "unchecked"})
                List<TypeReference<Type>> types = (List) List.of(new TypeReference<Utf8String>() { });
                @SuppressWarnings("rawtypes") // web3j's decoder returns a list of its raw Type
                List<Type> decoded = FunctionReturnDecoder.decode(answer, types);
                if (decoded.size() == 1) {
                    text = ((Utf8String) decoded.get(0)).getValue();
                }
            } catch (RuntimeException e) {
                text = null;
            }
        } else if (hex.length() == 64) { // bytes32, zero padded on the right
            byte[] bytes = Numeric.hexStringToByteArray(hex);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            text = new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (text == null || text.isBlank() || text.length() > 32 || !text.matches("[\\x21-\\x7e]+")) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RailStep advance(RailPayout payout, RailState state) {
        try {
            if (!state.has(K_NONCE)) {
                return start(payout, state);
            }
            return follow(payout, state);
        } catch (RailHttpService.NodeCallException e) {
            return unreachable(state, e.getMessage());
        } catch (IOException e) {
            return unreachable(state, e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private RailStep unreachable(RailState state, String why) {
        if (!state.has(K_NONCE)) {
            return RailStep.preparing("the node did not answer usably (" + why + "); nothing was sent", RETRY);
        }
        return RailStep.unknown(latestHash(state), "the node did not answer usably (" + why + ")", RETRY);
    }

    // ---- first call: check, sign, save, broadcast ----

    private RailStep start(RailPayout payout, RailState state) throws IOException {
        String to = payout.destination().get("address");
        Optional<String> problem = addressProblem(to);
        if (problem.isPresent()) {
            return RailStep.failed(null, "destination_address", problem.get());
        }
        to = to.toLowerCase(Locale.ROOT);
        if (to.equals(token) || to.equals(from)) {
            return RailStep.failed(null, "destination_address", "the payee address is the token contract or the hot "
                + "wallet itself");
        }
        String payeeChain = payout.destination().get("chain_id");
        if (payeeChain == null || !payeeChain.trim().equals(Long.toString(chainId))) {
            return RailStep.failed(null, "destination_chain", "the payee's chain_id (" + payeeChain
                + ") is not this account's chain " + chainId);
        }
        if (!CURRENCIES.contains(payout.currency().toUpperCase(Locale.ROOT))) {
            return RailStep.failed(null, "currency", "usdc_evm pays USDC or USDT, not " + payout.currency());
        }
        if (!chainChecked) {
            BigInteger nodeChain = send(web3j.ethChainId()).getChainId();
            if (nodeChain == null || nodeChain.longValueExact() != chainId) {
                return RailStep.preparing("the node is on chain " + nodeChain + ", the account on " + chainId
                    + "; nothing was sent", RETRY);
            }
            chainChecked = true;
        }
        String tokenSymbol = tokenSymbol();
        if (!tokenSymbol.equalsIgnoreCase(payout.currency())) {
            return RailStep.failed(null, "currency", "the token contract " + token + " is " + tokenSymbol
                + ", the payout is in " + payout.currency() + "; nothing was sent");
        }
        Optional<BigInteger> units = tokenUnits(payout.amount(), payout.scale(), tokenDecimals());
        if (units.isEmpty()) {
            return RailStep.failed(null, "amount_not_representable", payout.decimal().toPlainString() + " "
                + payout.currency() + " is not a whole number of the token's units (" + decimals + " decimals)");
        }
        String data = FunctionEncoder.encode(new Function("transfer",
            List.of(new Address(to), new Uint256(units.get())), List.of()));
        BigInteger gas = gasLimit;
        if (gas == null) {
            var estimate = web3j.ethEstimateGas(Transaction.createEthCallTransaction(from, token, data)).send();
            if (estimate.hasError()) {
                String message = String.valueOf(estimate.getError().getMessage());
                if (message.toLowerCase(Locale.ROOT).contains("revert")) {
                    return RailStep.failed(null, "would_revert", "the token transfer would revert (" + clip(message)
                        + "); nothing was sent");
                }
                return RailStep.preparing("the node could not estimate gas (" + clip(message) + "); nothing was sent",
                    RETRY);
            }
            gas = estimate.getAmountUsed().multiply(BigInteger.valueOf(12)).add(BigInteger.valueOf(9))
                .divide(BigInteger.TEN);
        }
        BigInteger baseFee = baseFee();
        BigInteger maxFee = baseFee.shiftLeft(1).add(tip).min(maxFeeCap);
        BigInteger tipNow = tip.min(maxFee);
        long pending = send(web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING))
            .getTransactionCount().longValueExact();
        long firstBlock = send(web3j.ethBlockNumber()).getBlockNumber().longValueExact();
        long nonce = nonces.reserve(wallet(), pending, payout.id());

        state.put(K_NONCE, nonce).put(K_FROM, from).put(K_TO, to).put(K_UNITS, units.get().toString())
            .put(K_GAS, gas.toString()).put(K_ATTEMPTS, 0).put(K_FIRST_BLOCK, firstBlock);
        String hash = sign(state, nonce, gas, to, units.get(), tipNow, maxFee);
        state.save();
        return broadcastFirst(state, hash);
    }

    private RailStep broadcastFirst(RailState state, String hash) throws IOException {
        String raw = state.get(raw(attempts(state) - 1));
        var answer = broadcast(raw);
        if (answer.isPresent()) {
            return answer.get();
        }
        return RailStep.submitted(hash, "sent, waiting to be mined", WAIT);
    }

    /** Empty when the node took the transaction (or already had it); else the step to answer. */
    private Optional<RailStep> broadcast(String raw) throws IOException {
        var answer = sendRaw(raw);
        if (answer.kind == Broadcast.REFUSED) {
            return Optional.of(RailStep.preparing("the node refused the signed transaction (" + clip(answer.message)
                + "); it is kept and broadcast again", RETRY));
        }
        return Optional.empty();
    }

    private enum Broadcast { TAKEN, SEEN_BEFORE, REFUSED }

    private record BroadcastAnswer(Broadcast kind, String message) { }

    private BroadcastAnswer sendRaw(String raw) throws IOException {
        var answer = web3j.ethSendRawTransaction(raw).send();
        if (!answer.hasError()) {
            return new BroadcastAnswer(Broadcast.TAKEN, null);
        }
        String message = String.valueOf(answer.getError().getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("already known") || lower.contains("known transaction") || lower.contains("nonce too low")
            || lower.contains("already imported") || lower.contains("already exists")) {
            return new BroadcastAnswer(Broadcast.SEEN_BEFORE, message);
        }
        return new BroadcastAnswer(Broadcast.REFUSED, message);
    }

    private String sign(RailState state, long nonce, BigInteger gas, String to, BigInteger units, BigInteger tipNow,
                        BigInteger maxFee) {
        String data = FunctionEncoder.encode(new Function("transfer", List.of(new Address(to), new Uint256(units)),
            List.of()));
        RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gas, token,
            BigInteger.ZERO, data, tipNow, maxFee);
        byte[] signed = TransactionEncoder.signMessage(tx, credentials);
        String hash = Numeric.toHexString(Hash.sha3(signed));
        int attempt = attempts(state);
        List<String> hashes = hashes(state);
        hashes.add(hash);
        state.put(raw(attempt), Numeric.toHexString(signed)).put(hash(attempt), hash)
            .put(fees(attempt), tipNow + "/" + maxFee).put(sentAt(attempt), clock.instant().getEpochSecond())
            .put(K_HASHES, String.join(",", hashes)).put(K_ATTEMPTS, attempt + 1);
        return hash;
    }

    // ---- later calls: receipts, confirmations, reorgs, replacement ----

    private RailStep follow(RailPayout payout, RailState state) throws IOException {
        long nonce = state.getLong(K_NONCE, -1);
        long latest = send(web3j.ethBlockNumber()).getBlockNumber().longValueExact();
        List<String> hashes = hashes(state);
        for (String hash : hashes) {
            Optional<TransactionReceipt> receipt = send(web3j.ethGetTransactionReceipt(hash)).getTransactionReceipt();
            if (receipt.isPresent() && receipt.get().getBlockNumber() != null) {
                return mined(payout, state, receipt.get(), latest);
            }
        }
        // None of ours is mined (any more).
        boolean reorged = state.has(K_MINED);
        String rebroadcast = reorged ? rawFor(state, state.get(K_MINED)) : state.get(raw(attempts(state) - 1));
        if (reorged) {
            state.put(K_MINED, null).put(K_MINED_BLOCK, null);
            state.save();
        }
        // Is the nonce used confirmations deep while the node shows no receipt of ours? Find out what used it.
        long deep = latest - confirmations + 1;
        if (deep >= 0 && nonceCount(deep) > nonce) {
            return nonceUsed(state, nonce, latest, deep);
        }
        var answer = sendRaw(rebroadcast);
        int attempts = attempts(state);
        long sentAt = state.getLong(sentAt(attempts - 1), 0);
        if (!reorged && clock.instant().getEpochSecond() - sentAt >= replaceAfterSeconds) {
            return replace(payout, state, nonce);
        }
        if (answer.kind == Broadcast.REFUSED) {
            return RailStep.submitted(latestHash(state), (reorged ? "the mined transaction left the chain; " : "")
                + "the node refused the saved transaction (" + clip(answer.message) + "); broadcast again later", WAIT);
        }
        return RailStep.submitted(latestHash(state), reorged
            ? "the mined transaction left the chain (reorganisation); broadcast it again" : "waiting to be mined", WAIT);
    }

    private RailStep replace(RailPayout payout, RailState state, long nonce) throws IOException {
        int attempts = attempts(state);
        if (attempts >= MAX_ATTEMPTS) {
            return RailStep.submitted(latestHash(state), "not mined after " + attempts + " fee raises; waiting "
                + "(raise max_fee_cap_wei or look at the node)", WAIT);
        }
        String[] old = state.get(fees(attempts - 1)).split("/");
        BigInteger oldTip = new BigInteger(old[0]);
        BigInteger oldMax = new BigInteger(old[1]);
        BigInteger newTip = raise(oldTip);
        BigInteger newMax = raise(oldMax).max(baseFee().shiftLeft(1).add(newTip));
        newMax = newMax.min(maxFeeCap);
        BigInteger minMax = oldMax.multiply(BigInteger.valueOf(11)).add(BigInteger.valueOf(9)).divide(BigInteger.TEN);
        if (newMax.compareTo(minMax) < 0) {
            sendRaw(state.get(raw(attempts - 1)));
            return RailStep.submitted(latestHash(state), "not mined yet and the fees cannot rise 10 % under "
                + "max_fee_cap_wei; waiting", WAIT);
        }
        newTip = newTip.min(newMax);
        String hash = sign(state, nonce, new BigInteger(state.get(K_GAS)), state.get(K_TO),
            new BigInteger(state.get(K_UNITS)), newTip, newMax);
        state.save();
        var answer = sendRaw(state.get(raw(attempts)));
        if (answer.kind == Broadcast.REFUSED) {
            return RailStep.submitted(hash, "a replacement with higher fees was signed; the node refused it for now ("
                + clip(answer.message) + ")", WAIT);
        }
        return RailStep.submitted(hash, "not mined in " + replaceAfterSeconds + " s: replaced with fees × 1.125 on "
            + "the same nonce", WAIT);
    }

    /**
     * The payout's nonce is used {@code confirmations} deep, yet the node gave no receipt for any hash of ours. No
     * receipt is no proof (a lagging node, a lost state), so before failing this proves that no token moved:
     * <ol>
     *   <li>finds the transaction that used the nonce: the first block (at most {@code deep}) after which the wallet's
     *       nonce count passes it, and in that block (full transactions) the one from the hot wallet with that nonce;</li>
     *   <li>if that transaction carries the token's Transfer of exactly these units from the hot wallet to the payee (in
     *       the logs of that very block), the payout settles through it, whoever's hash it is;</li>
     *   <li>if it is one of ours without such a log visible, or it cannot be found: UNKNOWN for a person;</li>
     *   <li>it is provably another transaction: FAILED only when no Transfer of these units to the payee exists from
     *       the block of the first send to the latest (eth_getLogs, windowed); else UNKNOWN.</li>
     * </ol>
     */
    private RailStep nonceUsed(RailState state, long nonce, long latest, long deep) throws IOException {
        String ours = latestHash(state);
        long first = state.getLong(K_FIRST_BLOCK, -1);
        Optional<NonceUser> user = nonceUser(nonce, first, deep);
        if (user.isEmpty()) {
            return RailStep.unknown(ours, "nonce " + nonce + " is used " + confirmations + " blocks deep but the node "
                + "shows no receipt of ours and the transaction that used it was not found; a person must look before "
                + "this payout is failed or paid again", Duration.ofHours(1));
        }
        NonceUser used = user.get();
        EthFilter inBlock = transferFilter(new EthFilter(used.blockHash(), token), state);
        for (Log log : transfers(state, inBlock)) {
            if (used.hash().equalsIgnoreCase(log.getTransactionHash())) {
                return RailStep.settled(used.hash(), "nonce " + nonce + " was used by " + used.hash() + " in block "
                    + used.block() + ", which carries the Transfer of " + state.get(K_UNITS) + " units to the payee ("
                    + confirmations + "+ confirmations; the node served no receipt)");
            }
        }
        if (hashes(state).contains(used.hash())) {
            return RailStep.unknown(used.hash(), "our transaction " + used.hash() + " used nonce " + nonce + " in block "
                + used.block() + " but the node serves neither its receipt nor its Transfer log; a person must look",
                Duration.ofHours(1));
        }
        if (first < 0) {
            return RailStep.unknown(ours, "nonce " + nonce + " was used by " + used.hash() + ", not ours, but the state "
                + "has no first-send block to search for a Transfer to the payee; a person must look",
                Duration.ofHours(1));
        }
        long windows = (latest - first) / LOG_WINDOW_BLOCKS + 1;
        if (windows > LOG_WINDOWS_MAX) {
            return RailStep.unknown(ours, "nonce " + nonce + " was used by " + used.hash() + ", not ours; blocks "
                + first + "-" + latest + " are too many to search for a Transfer to the payee; a person must look",
                Duration.ofHours(1));
        }
        for (long start = first; start <= latest; start += LOG_WINDOW_BLOCKS) {
            long end = Math.min(latest, start + LOG_WINDOW_BLOCKS - 1);
            List<Log> found = transfers(state, transferFilter(new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(start)), DefaultBlockParameter.valueOf(
                    BigInteger.valueOf(end)), token), state));
            if (!found.isEmpty()) {
                return RailStep.unknown(ours, "nonce " + nonce + " was used by " + used.hash() + ", not ours, but "
                    + found.get(0).getTransactionHash() + " moved exactly " + state.get(K_UNITS) + " units to the payee;"
                    + " a person must look", Duration.ofHours(1));
            }
        }
        return RailStep.failed(ours, "nonce_taken", "nonce " + nonce + " was used by " + used.hash() + " (block "
            + used.block() + "), a transaction this payout did not sign, " + confirmations + " blocks deep, and no "
            + "Transfer of " + state.get(K_UNITS) + " units to the payee exists since block " + first
            + ": no token moved");
    }

    private record NonceUser(String hash, long block, String blockHash) { }

    /** The hot wallet's transaction count after block {@code block} ({@code eth_getTransactionCount} at it). */
    private long nonceCount(long block) throws IOException {
        if (block < 0) {
            return 0;
        }
        return send(web3j.ethGetTransactionCount(from, DefaultBlockParameter.valueOf(BigInteger.valueOf(block))))
            .getTransactionCount().longValueExact();
    }

    /** The transaction of the hot wallet with {@code nonce}, mined at or before {@code deep}; empty if not found. */
    private Optional<NonceUser> nonceUser(long nonce, long first, long deep) throws IOException {
        long low = -1; // count(low) <= nonce (before the first block, the count is 0)
        if (first >= 0 && first < deep && nonceCount(first) <= nonce) {
            low = first;
        }
        long high = deep; // count(high) > nonce: the caller checked
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (nonceCount(mid) > nonce) {
                high = mid;
            } else {
                low = mid;
            }
        }
        EthBlock.Block block = send(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(high)),
            true)).getBlock();
        if (block == null || block.getTransactions() == null || block.getHash() == null) {
            return Optional.empty();
        }
        for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
            if (result instanceof EthBlock.TransactionObject tx && tx.getFrom() != null && tx.getNonceRaw() != null
                && from.equalsIgnoreCase(tx.getFrom()) && tx.getNonce().equals(BigInteger.valueOf(nonce))
                && tx.getHash() != null) {
                return Optional.of(new NonceUser(tx.getHash().toLowerCase(Locale.ROOT), high, block.getHash()));
            }
        }
        return Optional.empty();
    }

    /** {@code filter} narrowed to the token's Transfer events from the hot wallet to the payee. */
    private EthFilter transferFilter(EthFilter filter, RailState state) {
        return filter.addSingleTopic(TRANSFER_TOPIC).addSingleTopic(topicOf(from)).addSingleTopic(topicOf(state.get(K_TO)));
    }

    /** The logs {@code filter} finds that are the token's Transfer of exactly this payout's units to the payee. */
    private List<Log> transfers(RailState state, EthFilter filter) throws IOException {
        List<Log> found = new ArrayList<>();
        @SuppressWarnings("rawtypes") // web3j's EthLog returns a list of its raw LogResult
        List<EthLog.LogResult> logs = send(web3j.ethGetLogs(filter)).getLogs();
        if (logs == null) {
            return found;
        }
        for (EthLog.LogResult<?> result : logs) {
            if (result instanceof EthLog.LogObject log && isOurTransfer(log, state) && log.getTransactionHash() != null) {
                found.add(log);
            }
        }
        return found;
    }

    private static String topicOf(String address) {
        return "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(address).toLowerCase(Locale.ROOT);
    }

    private static BigInteger raise(BigInteger fee) {
        return fee.multiply(BigInteger.valueOf(9)).add(BigInteger.valueOf(7)).divide(BigInteger.valueOf(8));
    }

    private RailStep mined(RailPayout payout, RailState state, TransactionReceipt receipt, long latest)
        throws IOException {
        String hash = receipt.getTransactionHash().toLowerCase(Locale.ROOT);
        long block = receipt.getBlockNumber().longValueExact();
        if (!hash.equals(state.get(K_MINED)) || !String.valueOf(block).equals(state.get(K_MINED_BLOCK))) {
            state.put(K_MINED, hash).put(K_MINED_BLOCK, block);
            state.save();
        }
        long depth = latest - block + 1;
        boolean succeeded = "0x1".equals(receipt.getStatus());
        if (depth < confirmations) {
            return RailStep.submitted(hash, (succeeded ? "mined" : "mined but reverted") + ", " + Math.max(depth, 0)
                + " of " + confirmations + " confirmations", WAIT);
        }
        EthBlock.Block canonical = send(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(
            BigInteger.valueOf(block)), false)).getBlock();
        if (canonical == null || !receipt.getBlockHash().equalsIgnoreCase(canonical.getHash())) {
            return RailStep.submitted(hash, "the receipt's block is no longer on the chain (reorganisation); "
                + "checking again", WAIT);
        }
        if (!succeeded) {
            return RailStep.failed(hash, "reverted", "the transfer reverted on chain (status " + receipt.getStatus()
                + "); the nonce is used, no token moved");
        }
        if (!hasTransferLog(receipt, state)) {
            return RailStep.unknown(hash, "mined with status 1 but without the token's Transfer log of "
                + state.get(K_UNITS) + " units to the payee; a person must look", Duration.ofHours(1));
        }
        return RailStep.settled(hash, confirmations + " confirmations");
    }

    private boolean hasTransferLog(TransactionReceipt receipt, RailState state) {
        for (Log log : receipt.getLogs()) {
            if (isOurTransfer(log, state)) {
                return true;
            }
        }
        return false;
    }

    /** The token's Transfer of exactly this payout's units from the hot wallet to the payee, not removed. */
    private boolean isOurTransfer(Log log, RailState state) {
        List<String> topics = log.getTopics();
        if (log.isRemoved() || log.getAddress() == null || !log.getAddress().equalsIgnoreCase(token)
            || topics == null || topics.size() != 3 || !TRANSFER_TOPIC.equalsIgnoreCase(topics.get(0))) {
            return false;
        }
        return topicAddress(topics.get(1)).equals(state.get(K_FROM)) && topicAddress(topics.get(2))
            .equals(state.get(K_TO)) && log.getData() != null && Numeric.cleanHexPrefix(log.getData()).length() == 64
            && Numeric.toBigInt(log.getData()).equals(new BigInteger(state.get(K_UNITS)));
    }

    private static String topicAddress(String topic) {
        String hex = Numeric.cleanHexPrefix(topic).toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.startsWith("000000000000000000000000")) {
            return "";
        }
        return "0x" + hex.substring(24);
    }

    // ---- helpers ----

    /** {@code amount} at {@code scale} as token units at {@code tokenDecimals}; empty when not a whole number. */
    static Optional<BigInteger> tokenUnits(long amount, int scale, int tokenDecimals) {
        BigInteger value = BigInteger.valueOf(amount);
        if (tokenDecimals >= scale) {
            return Optional.of(value.multiply(BigInteger.TEN.pow(tokenDecimals - scale)));
        }
        BigInteger[] divided = value.divideAndRemainder(BigInteger.TEN.pow(scale - tokenDecimals));
        return divided[1].signum() == 0 ? Optional.of(divided[0]) : Optional.empty();
    }

    private BigInteger baseFee() throws IOException {
        EthBlock.Block latest = send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        if (latest == null || latest.getBaseFeePerGasRaw() == null) {
            throw new IOException("the node's latest block has no base fee (not an EIP-1559 chain?)");
        }
        return latest.getBaseFeePerGas();
    }

    private String wallet() {
        return "eip155:" + chainId + ":" + from;
    }

    private static int attempts(RailState state) {
        return (int) state.getLong(K_ATTEMPTS, 0);
    }

    private static List<String> hashes(RailState state) {
        String joined = state.get(K_HASHES);
        List<String> list = new ArrayList<>();
        if (joined != null && !joined.isEmpty()) {
            list.addAll(List.of(joined.split(",")));
        }
        return list;
    }

    private static String latestHash(RailState state) {
        int attempts = attempts(state);
        return attempts == 0 ? null : state.get(hash(attempts - 1));
    }

    private static String rawFor(RailState state, String hash) {
        for (int i = attempts(state) - 1; i >= 0; i--) {
            if (hash.equalsIgnoreCase(state.get(hash(i)))) {
                return state.get(raw(i));
            }
        }
        return state.get(raw(attempts(state) - 1));
    }

    private static String clip(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }

    private static <T extends Response<?>> T send(Request<?, T> request) throws IOException {
        T answer = request.send();
        if (answer.hasError()) {
            throw new IOException(request.getMethod() + ": " + clip(String.valueOf(answer.getError().getMessage())));
        }
        return answer;
    }

    @Override
    public String toString() {
        return "Erc20Rail[" + NAME + " account " + account.id() + ", chain " + chainId + " via " + endpoint + ", token "
            + token + ", hot wallet " + from + "]";
    }
}
