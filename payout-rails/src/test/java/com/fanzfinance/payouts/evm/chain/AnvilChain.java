package com.fanzfinance.payouts.evm.chain;

import com.fanzfinance.payouts.evm.RailHttpService;
import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * A real local EVM chain for tests: the anvil binary (Foundry) run as a subprocess on a free loopback port, chain id
 * 31337, with anvil's well-known development accounts (its default mnemonic; each holds 10 000 ETH and is unlocked in
 * the node). Test token contracts come from the Solidity sources in {@code src/test/evm}, compiled by solc-js at build
 * time ({@code scripts/ensure-anvil}) into {@code <home>/build/<Contract>.json}.
 *
 * <p>The home is the directory {@code scripts/ensure-anvil} installed into: {@code payout-rails/target/evm} by default,
 * else the system property {@value #HOME_PROPERTY} (another module runs the script into its own target directory), or
 * the argument of {@link #start(Path, boolean)}. {@link #close()} kills the node; a JVM exit does too.
 */
public final class AnvilChain implements AutoCloseable {
    /** System property naming the directory ensure-anvil installed into. */
    public static final String HOME_PROPERTY = "fanz.anvil.home";
    /** anvil's chain id. */
    public static final long CHAIN_ID = 31337;
    /** The test token contracts: USDC-like (transfer returns bool), USDT-like (transfer returns nothing). */
    public static final String TEST_USDC = "TestUsdc";
    public static final String TEST_TETHER = "TestTether";

    /**
     * Private keys of anvil's first development accounts (mnemonic "test test test test test test test test test test
     * test junk", m/44'/60'/0'/0/i), public knowledge, for local chains only. Account 0 deploys and mints.
     */
    public static final List<String> DEV_KEYS = List.of(
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path log;
    private final Process process;
    private final Thread reaper;
    private final String rpcUrl;
    private final Web3j web3j;
    private final RailHttpService service;

    private AnvilChain(Path home, Path log, Process process, Thread reaper, String rpcUrl) {
        this.home = home;
        this.log = log;
        this.process = process;
        this.reaper = reaper;
        this.rpcUrl = rpcUrl;
        this.service = new RailHttpService(rpcUrl, new JdkRailHttp(Duration.ofSeconds(2), Duration.ofSeconds(20),
            4 << 20));
        this.web3j = Web3j.build(service);
    }

    /** The home from {@value #HOME_PROPERTY}, else {@code target/evm} of the working directory (payout-rails). */
    public static Path defaultHome() {
        return Paths.get(System.getProperty(HOME_PROPERTY, "target/evm")).toAbsolutePath();
    }

    /** Starts a chain from {@link #defaultHome()} that mines each transaction at once. */
    public static AnvilChain start() {
        return start(defaultHome(), true);
    }

    /**
     * Starts anvil from {@code home} and returns once it answers {@code eth_chainId}.
     *
     * @param automine true: every transaction is mined in its own block at once; false: only {@link #mine} mines
     */
    public static AnvilChain start(Path home, boolean automine) {
        Path binary = binary(home);
        IOException last = null;
        for (int tries = 0; tries < 3; tries++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--chain-id", Long.toString(CHAIN_ID), "--accounts", "5", "--silent"));
            if (!automine) {
                command.add("--no-mining");
            }
            Process process;
            Path log = home.resolve("anvil-" + port + ".log");
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary, e);
            }
            Thread reaper = new Thread(process::destroyForcibly, "anvil-reaper-" + port);
            Runtime.getRuntime().addShutdownHook(reaper);
            AnvilChain chain = new AnvilChain(home, log, process, reaper, "http://127.0.0.1:" + port);
            try {
                chain.awaitReady();
                return chain;
            } catch (IOException e) {
                last = e;
                chain.stop();
            }
        }
        throw new IllegalStateException("anvil did not come up (see " + home + "/anvil-*.log)", last);
    }

    private static Path binary(Path home) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
        // The native binary itself, so that killing the process kills the node (the .bin/anvil node wrapper would
        // leave its child running); the wrapper is the fallback.
        Path direct = home.resolve("node_modules/@foundry-rs/anvil-" + os + "-" + arch + "/bin/anvil");
        Path wrapper = home.resolve("node_modules/.bin/anvil");
        if (Files.isExecutable(direct)) {
            return direct;
        }
        if (Files.isExecutable(wrapper)) {
            return wrapper;
        }
        throw new IllegalStateException("no anvil under " + home + ": run scripts/ensure-anvil " + home
            + " (the payout-rails build does, unless -DskipTests)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() throws IOException {
        IOException last = null;
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("anvil exited with " + process.exitValue(), last);
            }
            try {
                BigInteger id = web3j.ethChainId().send().getChainId();
                if (id != null && id.longValueExact() == CHAIN_ID) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("anvil did not answer eth_chainId in 10 s", last);
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** Development account {@code i}'s credentials. */
    public static Credentials devAccount(int i) {
        return Credentials.create(DEV_KEYS.get(i));
    }

    /** Deploys a compiled test contract from development account 0 and returns its address (lower case). */
    public String deploy(String contractName) {
        Path file = home.resolve("build").resolve(contractName + ".json");
        try {
            JsonNode compiled = JSON.readTree(file.toFile());
            String bytecode = "0x" + compiled.get("bin").asText();
            String hash = call(web3j.ethSendTransaction(Transaction.createContractTransaction(devAccount(0).getAddress(),
                null, null, BigInteger.valueOf(3_000_000), BigInteger.ZERO, bytecode))).getTransactionHash();
            return receiptOf(hash).getContractAddress().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not deploy " + contractName + " from " + file, e);
        }
    }

    /** Mints {@code units} of a test token to {@code to} (sent by development account 0, the owner). */
    public void mint(String token, String to, BigInteger units) {
        String data = FunctionEncoder.encode(new Function("mint", List.of(new Address(to), new Uint256(units)),
            List.of()));
        try {
            String hash = call(web3j.ethSendTransaction(Transaction.createFunctionCallTransaction(
                devAccount(0).getAddress(), null, null, BigInteger.valueOf(200_000), token, data))).getTransactionHash();
            TransactionReceipt receipt = receiptOf(hash);
            if (!"0x1".equals(receipt.getStatus())) {
                throw new IllegalStateException("mint reverted");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TransactionReceipt receiptOf(String hash) throws IOException {
        for (int i = 0; i < 2; i++) {
            Optional<TransactionReceipt> receipt = call(web3j.ethGetTransactionReceipt(hash)).getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            mine(1); // automine off: mine the block holding it
        }
        throw new IOException("no receipt for " + hash);
    }

    /** {@code balanceOf(address)} of {@code token}, read with eth_call. */
    public BigInteger balanceOf(String token, String address) {
        String data = FunctionEncoder.encode(new Function("balanceOf", List.of(new Address(address)), List.of()));
        try {
            return Numeric.toBigInt(call(web3j.ethCall(Transaction.createEthCallTransaction(null, token, data),
                DefaultBlockParameterName.LATEST)).getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mines {@code blocks} blocks ({@code anvil_mine}), with what the mempool holds. */
    public void mine(int blocks) {
        raw("anvil_mine", List.of(Numeric.toHexStringWithPrefix(BigInteger.valueOf(blocks))));
    }

    /** Switches mining each transaction at once on or off ({@code evm_setAutomine}). */
    public void setAutomine(boolean on) {
        raw("evm_setAutomine", List.of(on));
    }

    /** Saves the chain as it is ({@code evm_snapshot}); {@link #revert} goes back to it. */
    public String snapshot() {
        return raw("evm_snapshot", List.of()).asText();
    }

    /** Goes back to a {@link #snapshot()}: later blocks are gone, as in a reorganisation ({@code evm_revert}). */
    public void revert(String snapshotId) {
        if (!raw("evm_revert", List.of(snapshotId)).asBoolean()) {
            throw new IllegalStateException("evm_revert refused " + snapshotId);
        }
    }

    /** The latest block number. */
    public long blockNumber() {
        try {
            return call(web3j.ethBlockNumber()).getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transaction hashes in the mempool (anvil's {@code txpool_content}, pending part). */
    public List<String> pendingHashes() {
        JsonNode content = raw("txpool_content", List.of()).path("pending");
        List<String> hashes = new ArrayList<>();
        content.forEach(byNonce -> byNonce.forEach(tx -> hashes.add(tx.path("hash").asText().toLowerCase(Locale.ROOT))));
        return hashes;
    }

    /** A node method web3j has no call for; returns its result. */
    public JsonNode raw(String method, List<?> params) {
        try {
            RawResponse answer = call(new Request<>(method, params, service, RawResponse.class));
            return JSON.valueToTree(answer.getResult());
        } catch (IOException e) {
            throw new UncheckedIOException(method, e);
        }
    }

    /** A JSON-RPC answer with any result. */
    public static final class RawResponse extends Response<Object> { }

    private static <T extends Response<?>> T call(Request<?, T> request) throws IOException {
        T answer = request.send();
        if (answer.hasError()) {
            throw new IOException(request.getMethod() + ": " + answer.getError().getMessage());
        }
        return answer;
    }

    /** Kills the node and deletes its log (a node that failed to start keeps it). */
    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in target/ is harmless
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }
}
