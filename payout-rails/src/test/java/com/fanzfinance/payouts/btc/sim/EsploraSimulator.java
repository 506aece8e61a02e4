package com.fanzfinance.payouts.btc.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.AddressParser;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.core.TransactionWitness;
import org.bitcoinj.crypto.internal.CryptoUtils;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;
import org.bitcoinj.script.ScriptException;
import org.bitcoinj.script.ScriptPattern;

/**
 * An Esplora-compatible REST endpoint over an in-memory regtest chain, on a real loopback HTTP server, for the BTC
 * driver's tests and the server's end-to-end tests.
 *
 * <p>It keeps blocks (each a list of bitcoinj transactions) and a mempool; the UTXO set is what they create and do not
 * spend. {@code POST /tx} accepts a raw transaction only when every input exists and is unspent, bitcoinj's script
 * verification ({@link Script#correctlySpends}) accepts each input with its witness and the connected output's value
 * (for P2WPKH also the witness key's hash160 must equal the output's program, which bitcoinj's segwit shortcut does
 * not check), outputs do not exceed inputs and the fee is at least 1 sat/vB. It answers with Bitcoin Core's
 * {@code sendrawtransaction} messages ({@code Transaction already in block chain}, {@code txn-mempool-conflict},
 * {@code bad-txns-inputs-missingorspent}, …). No RBF replacement: a conflicting spend is refused.
 *
 * <p>Routes: {@code GET /address/{a}/utxo}, {@code /address/{a}/txs} (up to 50 mempool and 25 confirmed, newest
 * first), {@code /address/{a}/txs/chain/{last_seen_txid}} (the next 25 confirmed), {@code /blocks/tip/height}, {@code /blocks/tip/hash},
 * {@code /block-height/{h}}, {@code /tx/{txid}/status}, {@code /tx/{txid}/outspend/{vout}}, {@code /tx/{txid}/hex},
 * {@code /fee-estimates}; {@code POST /tx}. Test controls: {@link #fund}, {@link #mine}, {@link #reorg},
 * {@link #evict}, {@link #failNext}, {@link #dropNext}, {@link #delayNext}, {@link #broadcasts},
 * {@link #utxoIndexLagsMempool}.
 */
public final class EsploraSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 400_000;
    private static final Pattern UTXO = Pattern.compile("/address/([A-Za-z0-9]{14,90})/utxo");
    private static final Pattern ADDRESS_TXS =
        Pattern.compile("/address/([A-Za-z0-9]{14,90})/txs(/chain(?:/([0-9a-f]{64}))?)?");
    private static final Pattern BLOCK_HEIGHT = Pattern.compile("/block-height/([0-9]{1,9})");
    private static final Pattern TX_STATUS = Pattern.compile("/tx/([0-9a-f]{64})/status");
    private static final Pattern TX_HEX = Pattern.compile("/tx/([0-9a-f]{64})/hex");
    private static final Pattern OUTSPEND = Pattern.compile("/tx/([0-9a-f]{64})/outspend/([0-9]{1,6})");

    private record Block(int height, String hash, List<Transaction> txs) {
    }

    private record Fault(int status, String body, boolean drop, Duration delay) {
    }

    private final BitcoinNetwork network = BitcoinNetwork.REGTEST;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Block> chain = new ArrayList<>();
    private final LinkedHashMap<String, Transaction> mempool = new LinkedHashMap<>();
    private final Map<String, Integer> broadcasts = new HashMap<>();
    private final Map<String, Fault> faults = new HashMap<>();
    private final List<String> requests = new ArrayList<>();
    private TreeMap<Integer, BigDecimal> feeEstimates = new TreeMap<>(Map.of(1, new BigDecimal("20.5"),
        3, new BigDecimal("12.25"), 6, new BigDecimal("5.137"), 144, BigDecimal.ONE));
    private long counter;
    private boolean utxoIndexLags;

    public EsploraSimulator() throws IOException {
        chain.add(new Block(0, blockHash(0, "genesis"), List.of()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port}, the {@code esplora_url} setting. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** The output script paying {@code address} on this network, or null when it is not an address of it. */
    private byte[] outputScript(String address) {
        try {
            return ScriptBuilder.createOutputScript(AddressParser.getDefault(network).parseAddress(address)).program();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- test controls ----

    /** Pays {@code sat} to {@code address} in a fresh coinbase-like transaction, mined at once; returns its txid (vout 0). */
    public synchronized String fund(Address address, long sat) {
        Transaction tx = Transaction.coinbase(("fund " + (++counter)).getBytes(StandardCharsets.US_ASCII));
        tx.addOutput(Coin.valueOf(sat), address);
        mempool.put(tx.getTxId().toString(), tx);
        mine();
        return tx.getTxId().toString();
    }

    /**
     * When on, {@code /address/{a}/utxo} still lists outputs that mempool transactions spend (an index that has not yet
     * seen them), as an Esplora whose mempool index lags can; {@code /tx/{txid}/outspend/{vout}} still sees them.
     */
    public synchronized void utxoIndexLagsMempool(boolean lags) {
        this.utxoIndexLags = lags;
    }

    /** Mines one block holding the whole mempool; returns its hash. */
    public synchronized String mine() {
        int height = chain.size();
        List<Transaction> txs = new ArrayList<>(mempool.values());
        mempool.clear();
        String hash = blockHash(height, txs.stream().map(tx -> tx.getTxId().toString()).toList() + "#" + (++counter));
        chain.add(new Block(height, hash, txs));
        return hash;
    }

    public synchronized void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            mine();
        }
    }

    /** Drops the tip block; its transactions go back to the mempool ({@code backToMempool}) or are forgotten. */
    public synchronized void reorg(boolean backToMempool) {
        if (chain.size() <= 1) {
            throw new IllegalStateException("nothing to reorg");
        }
        Block dropped = chain.remove(chain.size() - 1);
        if (backToMempool) {
            LinkedHashMap<String, Transaction> again = new LinkedHashMap<>();
            dropped.txs().forEach(tx -> again.put(tx.getTxId().toString(), tx));
            again.putAll(mempool);
            mempool.clear();
            mempool.putAll(again);
        }
    }

    /** Forgets a mempool transaction (as a node evicting it would). */
    public synchronized boolean evict(String txid) {
        return mempool.remove(txid) != null;
    }

    /** Puts {@code tx} into the mempool under the same rules as {@code POST /tx}; returns the refusal, if any. */
    public synchronized Optional<String> accept(Transaction tx) {
        return admit(tx);
    }

    public synchronized void feeEstimates(Map<Integer, BigDecimal> estimates) {
        feeEstimates = new TreeMap<>(estimates);
    }

    /** The next request to {@code route} ({@code "POST /tx"}, {@code "GET /fee-estimates"}) gets this answer, unprocessed. */
    public synchronized void failNext(String route, int status, String body) {
        faults.put(route, new Fault(status, body, false, null));
    }

    /** The next request to {@code route} is processed, then the connection is closed without an answer. */
    public synchronized void dropNext(String route) {
        faults.put(route, new Fault(0, null, true, null));
    }

    /** The next request to {@code route} is processed, then answered only after {@code delay} (a client timeout). */
    public synchronized void delayNext(String route, Duration delay) {
        faults.put(route, new Fault(0, null, false, delay));
    }

    /** How many times {@code POST /tx} carried this transaction. */
    public synchronized int broadcasts(String txid) {
        return broadcasts.getOrDefault(txid, 0);
    }

    public synchronized int tipHeight() {
        return chain.size() - 1;
    }

    public synchronized boolean inMempool(String txid) {
        return mempool.containsKey(txid);
    }

    /** The height of the block holding {@code txid}, if any. */
    public synchronized Optional<Integer> confirmedAt(String txid) {
        return block(txid).map(Block::height);
    }

    /** Every request line seen ({@code "GET /blocks/tip/height"}). */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = readBody(exchange.getRequestBody());
            String route = method + " " + routeOf(path);
            Fault fault;
            String[] answer;
            synchronized (this) {
                requests.add(method + " " + path);
                fault = faults.remove(route);
                if (fault != null && fault.body() != null) {
                    answer = new String[] {Integer.toString(fault.status()), fault.body()};
                } else if (body == null) {
                    answer = new String[] {"413", "body too large"};
                } else {
                    answer = answer(method, path, body);
                }
            }
            if (fault != null && fault.drop()) {
                return;
            }
            if (fault != null && fault.delay() != null) {
                try {
                    Thread.sleep(fault.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type",
                answer[1].startsWith("{") || answer[1].startsWith("[") ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (a timeout); nothing to tell it
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static String routeOf(String path) {
        if (UTXO.matcher(path).matches()) {
            return "/address/utxo";
        }
        if (ADDRESS_TXS.matcher(path).matches()) {
            return "/address/txs";
        }
        if (BLOCK_HEIGHT.matcher(path).matches()) {
            return "/block-height";
        }
        if (TX_STATUS.matcher(path).matches()) {
            return "/tx/status";
        }
        if (OUTSPEND.matcher(path).matches()) {
            return "/tx/outspend";
        }
        return path;
    }

    private String[] answer(String method, String path, byte[] body) {
        if (method.equals("POST") && path.equals("/tx")) {
            return postTx(new String(body, StandardCharsets.US_ASCII).trim());
        }
        if (!method.equals("GET")) {
            return new String[] {"405", "method not allowed"};
        }
        Matcher m;
        if (path.equals("/blocks/tip/height")) {
            return ok(Integer.toString(tipHeight()));
        }
        if (path.equals("/blocks/tip/hash")) {
            return ok(chain.get(chain.size() - 1).hash());
        }
        if (path.equals("/fee-estimates")) {
            ObjectNode node = JSON.createObjectNode();
            feeEstimates.forEach((target, rate) -> node.put(Integer.toString(target), rate));
            return ok(node.toString());
        }
        if ((m = BLOCK_HEIGHT.matcher(path)).matches()) {
            int height = Integer.parseInt(m.group(1));
            return height < chain.size() ? ok(chain.get(height).hash()) : new String[] {"404", "Block not found"};
        }
        if ((m = TX_STATUS.matcher(path)).matches()) {
            String txid = m.group(1);
            if (mempool.containsKey(txid)) {
                return ok("{\"confirmed\":false}");
            }
            return block(txid).map(b -> ok(status(b).toString()))
                .orElse(new String[] {"404", "Transaction not found"});
        }
        if ((m = TX_HEX.matcher(path)).matches()) {
            return find(m.group(1)).map(tx -> ok(HexFormat.of().formatHex(tx.serialize())))
                .orElse(new String[] {"404", "Transaction not found"});
        }
        if ((m = OUTSPEND.matcher(path)).matches()) {
            String key = m.group(1) + ":" + m.group(2);
            if (find(m.group(1)).isEmpty()) {
                return new String[] {"404", "Transaction not found"};
            }
            Map<String, String[]> spends = spends();
            String[] spender = spends.get(key);
            if (spender == null) {
                return ok("{\"spent\":false}");
            }
            ObjectNode node = JSON.createObjectNode().put("spent", true).put("txid", spender[0])
                .put("vin", Integer.parseInt(spender[1]));
            Optional<Block> in = block(spender[0]);
            node.set("status", in.map(this::status).orElse(JSON.createObjectNode().put("confirmed", false)));
            return ok(node.toString());
        }
        if ((m = ADDRESS_TXS.matcher(path)).matches()) {
            byte[] script = outputScript(m.group(1));
            if (script == null) {
                return new String[] {"400", "Invalid Bitcoin address"};
            }
            ArrayNode list = JSON.createArrayNode();
            boolean chainOnly = m.group(2) != null;
            String lastSeen = m.group(3);
            if (!chainOnly) {
                List<Transaction> pending = new ArrayList<>(mempool.values());
                java.util.Collections.reverse(pending);
                pending.stream().filter(tx -> touches(tx, script)).limit(50)
                    .forEach(tx -> list.add(txJson(tx, JSON.createObjectNode().put("confirmed", false))));
            }
            boolean started = lastSeen == null;
            int added = 0;
            for (int h = chain.size() - 1; h >= 0 && added < 25; h--) {
                Block b = chain.get(h);
                List<Transaction> txs = new ArrayList<>(b.txs());
                java.util.Collections.reverse(txs);
                for (Transaction tx : txs) {
                    if (!touches(tx, script)) {
                        continue;
                    }
                    if (!started) {
                        started = tx.getTxId().toString().equals(lastSeen);
                        continue;
                    }
                    if (added++ < 25) {
                        list.add(txJson(tx, status(b)));
                    }
                }
            }
            return ok(list.toString());
        }
        if ((m = UTXO.matcher(path)).matches()) {
            byte[] script = outputScript(m.group(1));
            if (script == null) {
                return new String[] {"400", "Invalid Bitcoin address"};
            }
            Map<String, String[]> spends = new HashMap<>(spends());
            if (utxoIndexLags) {
                spends.values().removeIf(spender -> mempool.containsKey(spender[0]));
            }
            ArrayNode list = JSON.createArrayNode();
            for (Block b : chain) {
                for (Transaction tx : b.txs()) {
                    addUtxos(list, tx, script, spends, status(b));
                }
            }
            for (Transaction tx : mempool.values()) {
                addUtxos(list, tx, script, spends, JSON.createObjectNode().put("confirmed", false));
            }
            return ok(list.toString());
        }
        return new String[] {"404", "not found"};
    }

    private boolean touches(Transaction tx, byte[] script) {
        if (tx.getOutputs().stream().anyMatch(out -> Arrays.equals(out.getScriptBytes(), script))) {
            return true;
        }
        return !tx.isCoinBase() && tx.getInputs().stream().anyMatch(in -> prevOut(in)
            .map(prev -> Arrays.equals(prev.getScriptBytes(), script)).orElse(false));
    }

    private Optional<TransactionOutput> prevOut(TransactionInput in) {
        return find(in.getOutpoint().hash().toString()).filter(p -> in.getOutpoint().index() < p.getOutputs().size())
            .map(p -> p.getOutput(in.getOutpoint().index()));
    }

    /** A transaction as Esplora shows it (the fields the driver reads, and a few more). */
    private ObjectNode txJson(Transaction tx, ObjectNode status) {
        ObjectNode node = JSON.createObjectNode().put("txid", tx.getTxId().toString()).put("version", tx.getVersion())
            .put("locktime", tx.lockTime().rawValue());
        ArrayNode vin = node.putArray("vin");
        long in = 0;
        for (TransactionInput input : tx.getInputs()) {
            ObjectNode i = vin.addObject().put("txid", input.getOutpoint().hash().toString())
                .put("vout", input.getOutpoint().index()).put("is_coinbase", tx.isCoinBase())
                .put("sequence", input.getSequenceNumber());
            Optional<TransactionOutput> prev = tx.isCoinBase() ? Optional.empty() : prevOut(input);
            if (prev.isPresent()) {
                i.putObject("prevout").put("scriptpubkey", HexFormat.of().formatHex(prev.get().getScriptBytes()))
                    .put("value", prev.get().getValue().value);
                in += prev.get().getValue().value;
            }
        }
        ArrayNode vout = node.putArray("vout");
        long out = 0;
        for (TransactionOutput o : tx.getOutputs()) {
            vout.addObject().put("scriptpubkey", HexFormat.of().formatHex(o.getScriptBytes()))
                .put("value", o.getValue().value);
            out += o.getValue().value;
        }
        node.put("size", tx.messageSize()).put("weight", tx.getWeight()).put("fee", tx.isCoinBase() ? 0 : in - out);
        node.set("status", status);
        return node;
    }

    private void addUtxos(ArrayNode list, Transaction tx, byte[] script, Map<String, String[]> spends, ObjectNode status) {
        String txid = tx.getTxId().toString();
        for (TransactionOutput out : tx.getOutputs()) {
            if (Arrays.equals(out.getScriptBytes(), script) && !spends.containsKey(txid + ":" + out.getIndex())) {
                ObjectNode node = list.addObject().put("txid", txid).put("vout", out.getIndex())
                    .put("value", out.getValue().value);
                node.set("status", status.deepCopy());
            }
        }
    }

    private String[] postTx(String hex) {
        Transaction tx;
        try {
            tx = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
        } catch (RuntimeException e) {
            return new String[] {"400", "sendrawtransaction RPC error: {\"code\":-22,\"message\":\"TX decode failed\"}"};
        }
        String txid = tx.getTxId().toString();
        broadcasts.merge(txid, 1, Integer::sum);
        if (block(txid).isPresent()) {
            return rpcError(-27, "Transaction already in block chain");
        }
        if (mempool.containsKey(txid)) {
            return ok(txid);
        }
        Optional<String> refusal = admit(tx);
        return refusal.map(message -> rpcError(message.startsWith("txn-") ? -26 : -25, message)).orElse(ok(txid));
    }

    private Optional<String> admit(Transaction tx) {
        if (tx.getInputs().isEmpty() || tx.getOutputs().isEmpty()) {
            return Optional.of("bad-txns-vin-empty");
        }
        Map<String, String[]> spends = spends();
        long in = 0;
        for (int i = 0; i < tx.getInputs().size(); i++) {
            TransactionInput input = tx.getInput(i);
            String key = input.getOutpoint().hash() + ":" + input.getOutpoint().index();
            Optional<TransactionOutput> prev = find(input.getOutpoint().hash().toString())
                .filter(p -> input.getOutpoint().index() < p.getOutputs().size())
                .map(p -> p.getOutput(input.getOutpoint().index()));
            if (prev.isEmpty()) {
                return Optional.of("bad-txns-inputs-missingorspent");
            }
            String[] spender = spends.get(key);
            if (spender != null) {
                return Optional.of(mempool.containsKey(spender[0]) ? "txn-mempool-conflict"
                    : "bad-txns-inputs-missingorspent");
            }
            Script scriptPubKey = prev.get().getScriptPubKey();
            Coin value = prev.get().getValue();
            try {
                TransactionWitness witness = input.getWitness();
                if (ScriptPattern.isP2WPKH(scriptPubKey)) {
                    if (witness.getPushCount() != 2 || !Arrays.equals(CryptoUtils.sha256hash160(witness.getPush(1)),
                        ScriptPattern.extractHashFromP2WH(scriptPubKey))) {
                        return Optional.of("mandatory-script-verify-flag-failed (Witness program hash mismatch)");
                    }
                }
                input.getScriptSig().correctlySpends(tx, i, witness, value, scriptPubKey, Script.ALL_VERIFY_FLAGS);
            } catch (ScriptException e) {
                return Optional.of("mandatory-script-verify-flag-failed (" + e.getMessage() + ")");
            }
            in += value.value;
        }
        long out = tx.getOutputs().stream().mapToLong(o -> o.getValue().value).sum();
        if (out > in) {
            return Optional.of("bad-txns-in-belowout");
        }
        if (in - out < tx.getVsize()) {
            return Optional.of("min relay fee not met, " + (in - out) + " < " + tx.getVsize());
        }
        for (TransactionOutput o : tx.getOutputs()) {
            if (ScriptPattern.isOpReturn(o.getScriptPubKey())) {
                continue;
            }
            long dust = ScriptPattern.isP2WPKH(o.getScriptPubKey()) ? 294 : ScriptPattern.isP2PKH(o.getScriptPubKey())
                || ScriptPattern.isP2SH(o.getScriptPubKey()) ? 546 : 330;
            if (o.getValue().value < dust) {
                return Optional.of("dust");
            }
        }
        mempool.put(tx.getTxId().toString(), tx);
        return Optional.empty();
    }

    /** outpoint → {spending txid, input index}, over the chain and the mempool. */
    private Map<String, String[]> spends() {
        Map<String, String[]> spends = new HashMap<>();
        List<Transaction> all = new ArrayList<>();
        chain.forEach(b -> all.addAll(b.txs()));
        all.addAll(mempool.values());
        for (Transaction tx : all) {
            if (tx.isCoinBase()) {
                continue;
            }
            for (int i = 0; i < tx.getInputs().size(); i++) {
                TransactionInput input = tx.getInput(i);
                spends.put(input.getOutpoint().hash() + ":" + input.getOutpoint().index(),
                    new String[] {tx.getTxId().toString(), Integer.toString(i)});
            }
        }
        return spends;
    }

    private Optional<Transaction> find(String txid) {
        if (mempool.containsKey(txid)) {
            return Optional.of(mempool.get(txid));
        }
        return block(txid).flatMap(b -> b.txs().stream().filter(tx -> tx.getTxId().toString().equals(txid)).findFirst());
    }

    private Optional<Block> block(String txid) {
        return chain.stream().filter(b -> b.txs().stream().anyMatch(tx -> tx.getTxId().toString().equals(txid)))
            .findFirst();
    }

    private ObjectNode status(Block b) {
        return JSON.createObjectNode().put("confirmed", true).put("block_height", b.height()).put("block_hash", b.hash())
            .put("block_time", 1_700_000_000L + 600L * b.height());
    }

    private static String[] ok(String body) {
        return new String[] {"200", body};
    }

    private static String[] rpcError(int code, String message) {
        return new String[] {"400", "sendrawtransaction RPC error: {\"code\":" + code + ",\"message\":\"" + message
            + "\"}"};
    }

    private static String blockHash(int height, String salt) {
        return Sha256Hash.of((height + "/" + salt).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
