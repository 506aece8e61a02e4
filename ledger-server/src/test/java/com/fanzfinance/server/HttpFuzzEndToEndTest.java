package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.JournalEntries;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.journal.JournalVerifier;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Fuzzes the HTTP API of a real server: random and mutated JSON and binary bodies, query strings, paths,
 * methods and headers, through a well-behaved client and by hand over a socket (lying lengths, broken request
 * lines, bytes no client would send). It asserts that
 *
 * <ol>
 *   <li>no request is ever answered 5xx — but the designed 503s of routes that need the read model or payments
 *       when they are off. A connection closed while a client still sends an oversized body counts as its
 *       413 (the server answers from the declared length without reading; TCP may reset the sender) and is
 *       counted, not failed;</li>
 *   <li>nothing is applied from a refused request: every account and transfer in the ledger afterwards is one
 *       a 200 answer reported {@code created} or {@code exists} (or a leg of an entry reported so), every id
 *       a refused request (or an event not reported so) tried to create is absent, {@code exists} is only
 *       ever answered for an id reported created before, and every tenant registered was named by an
 *       accepted request;</li>
 *   <li>the server is healthy afterwards: {@code /ready} 200, new accounts and a transfer are created with
 *       the right balances, debits equal credits per ledger, the journal verifies, and a restart from it
 *       recovers the same accounts, balances and transfers.</li>
 * </ol>
 *
 * <p>The run is seeded: {@code -Dfuzz.seed=N} replays one (the seed is printed, and named in every failure). The
 * default build fixes the seed (the parent POM's {@code fuzz.seed}), so that it sends the same requests every run;
 * the soak profile empties it, for a random seed each run.
 * {@code -Dhttp.fuzz.requests=N} sets its length (the soak profile runs a long one); a quarter of the requests
 * go to the read-model, finance and payments routes on a second server that has them.
 */
class HttpFuzzEndToEndTest {
    private static final int REQUESTS = Integer.getInteger("http.fuzz.requests", 2000);
    private static final long SEED = seed();
    private static final int MAX_BODY = 1 << 20;
    private static final int BINARY_CAP = Math.min(MAX_BODY, 8189 * 128);
    private static final int ADMIN_CAP = 64 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("(?:^|\r\n)HTTP/1\\.[01] (\\d{3})");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1,32}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> LISTING = List.of("limit", "timestamp_min", "timestamp_max", "debits", "credits",
        "reversed", "cursor", "user_data_128", "user_data_64", "user_data_32", "code");
    private static final List<String> FINANCE = List.of("ledger", "at", "from", "to", "tenant", "format", "fresh", "code",
        "user_data_128", "user_data_64", "user_data_32", "limit", "cursor", "reversed", "timestamp_min", "timestamp_max");
    private static final List<String> PAYMENTS = List.of("processor", "merchant_account_id", "tenant", "creator",
        "checkout_id", "status", "kind", "processor_transaction_id", "from", "to", "limit", "cursor", "reversed", "currency",
        "after", "types", "drained");

    private static long seed() {
        String given = System.getProperty("fuzz.seed");
        return given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
    }

    @TempDir
    Path data;

    private TestServer server;
    private HttpFuzzInputs in;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> answers = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private int requestNumber;
    private int lastStatus;
    /** The request before the one being judged, for a failure that may be its consequence. */
    private String previous = "";
    private long seedInUse;

    // What the ledger may hold: ids some 200 answer reported created or exists (or the setup created).
    private final Set<String> accounts = new HashSet<>();
    private final Set<String> transfers = new HashSet<>();
    private final Set<String> entries = new HashSet<>();
    /** Every id a create request tried to create (its skeleton's), with the request that tried first. */
    private final Map<String, String> candidateAccounts = new LinkedHashMap<>();
    private final Map<String, String> candidateTransfers = new LinkedHashMap<>();
    /** Words (slug-shaped) of accepted requests: a registered tenant must be one of them. */
    private final Set<String> acceptedWords = new HashSet<>();

    // Fixtures of the ledger run.
    private final Map<String, List<String>> pools = new LinkedHashMap<>();
    private final List<String> known = new ArrayList<>();
    private final List<String> pendingSent = new ArrayList<>();
    private final List<Req> repeatable = new ArrayList<>();
    private final Map<String, String> keys = new LinkedHashMap<>();

    /** One request as sent: enough to describe it in a failure, and to send it again. */
    private static final class Req {
        final int number;
        final String method;
        final String target;
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        byte[] raw;
        boolean oversized;
        boolean viaRaw;
        /** Sent again after its answer was lost: what the first attempt created may answer {@code exists}. */
        boolean resent;
        String route = "other";
        final List<String> accountIds = new ArrayList<>();
        final List<String> transferIds = new ArrayList<>();

        Req(int number, String method, String target) {
            this.number = number;
            this.method = method;
            this.target = target;
        }

        Req header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        Req copy(int newNumber) {
            Req copy = new Req(newNumber, method, target);
            copy.headers.addAll(headers);
            copy.body = body;
            copy.raw = raw;
            copy.oversized = oversized;
            copy.route = route;
            return copy;
        }

        String describe() {
            StringBuilder text = new StringBuilder("#").append(number).append(' ');
            if (raw != null) {
                return text.append("raw ").append(printable(raw, 600)).toString();
            }
            text.append(method).append(' ').append(printable(target.getBytes(StandardCharsets.UTF_8), 300));
            for (String[] header : headers) {
                String value = header[0].equalsIgnoreCase("Authorization") ? header[1].replaceAll("(?<=^\\S{1,10} ).+",
                    "...(" + header[1].length() + " chars)") : header[1];
                text.append(" | ").append(printable(header[0].getBytes(StandardCharsets.UTF_8), 80)).append(": ")
                    .append(printable(value.getBytes(StandardCharsets.UTF_8), 80));
            }
            if (body != null) {
                text.append(" | body (").append(body.length).append(" bytes): ").append(printable(body, 600));
            }
            return text.toString();
        }
    }

    /** An answer: status (-1: none), content type, body, and for raw exchanges every status seen. */
    private record Answer(int status, String contentType, byte[] body, List<Integer> statuses, String note, String wire) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // ---- the two runs ------------------------------------------------------------------------------------

    @Test
    void theLedgerApiSurvivesRandomAndMutatedRequests() throws Exception {
        seedInUse = SEED;
        System.out.println("HttpFuzzEndToEndTest: ledger run, seed " + seedInUse + " (-Dfuzz.seed=" + seedInUse + ")");
        in = new HttpFuzzInputs(new Random(seedInUse));
        Map<String, String> settings = Map.of("FANZ_MAX_BODY_BYTES", Integer.toString(MAX_BODY),
            "FANZ_RATE_LIMIT_PER_SECOND", "1000000", "FANZ_RATE_LIMIT_BURST", "1000000");
        long started = System.nanoTime();
        int requests = REQUESTS - REQUESTS / 4;
        server = TestServer.start(data, settings);
        Map<String, long[]> before;
        try {
            setUpLedger();
            for (int i = 0; i < requests; i++) {
                ledgerRequest();
            }
            checkNothingAppliedFromRefusedRequests();
            checkHealthy();
            before = postedState();
        } finally {
            server.close();
        }
        checkJournalAndRestart(settings, before);
        summary("ledger", requests, started);
        assertNoFailures();
    }

    @Test
    void theReadModelFinanceAndPaymentsRoutesSurviveJunk() throws Exception {
        seedInUse = SEED ^ 0x5EED_F022L;
        System.out.println("HttpFuzzEndToEndTest: read-model run, seed " + SEED + " (-Dfuzz.seed=" + SEED + ")");
        in = new HttpFuzzInputs(new Random(seedInUse));
        String schema = TestDatabase.freshSchema("http_fuzz");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PROVIDER_CALLS", "off");
        settings.put("FANZ_PUBLIC_BASE_URL", "https://pay.example.test");
        settings.put("FANZ_RATE_LIMIT_PER_SECOND", "1000000");
        settings.put("FANZ_RATE_LIMIT_BURST", "1000000");
        long started = System.nanoTime();
        int requests = REQUESTS / 4;
        server = TestServer.start(data, settings);
        try {
            String merchant = setUpPayments();
            int created = 0;
            for (int i = 0; i < requests; i++) {
                created += readModelRequest(merchant);
            }
            TestServer.Response list = server.get("/v1/merchant-accounts?limit=1000", ADMIN_KEY);
            assertThat(list.status()).as(list.text()).isEqualTo(200);
            if (list.json().path("merchant_accounts").size() != 2 + created) {
                failures.add("merchant accounts: " + list.json().path("merchant_accounts").size() + " exist, but only 2 + "
                    + created + " were answered 201");
            }
            TestServer.Response ready = server.get("/ready", null);
            if (ready.status() != 200) {
                failures.add("/ready after the run: " + ready.status() + " " + ready.text());
            }
            TestServer.Response report = server.get("/v1/reports/trial-balance?ledger=840&fresh=true", ADMIN_KEY);
            if (report.status() != 200 || !report.json().path("balanced").asBoolean(false)) {
                failures.add("trial balance after the run: " + report.status() + " " + abbreviate(report.text(), 500));
            }
        } finally {
            server.close();
            TestDatabase.dropSchema(schema);
        }
        summary("read model", requests, started);
        assertNoFailures();
    }

    /** The read-model run's payout objects, made by {@link #setUpPayouts}. */
    private String achAccount;
    private String payeeId;
    private String batchId;
    private String returnFile;
    private final List<String> payoutIds = new ArrayList<>();

    private void assertNoFailures() {
        assertThat(failures).as("HTTP fuzz failures with seed " + SEED + " (rerun: -Dfuzz.seed=" + SEED
            + " -Dhttp.fuzz.requests=" + REQUESTS + ")").isEmpty();
    }

    private void summary(String run, int requests, long startedNanos) {
        System.out.println("HttpFuzzEndToEndTest: " + run + " run, " + requests + " requests in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos) + " ms; answers " + answers + "; " + counts);
        for (String failure : failures.subList(0, Math.min(failures.size(), 40))) {
            System.out.println("  FAILURE " + failure);
        }
    }

    // ---- the ledger run ------------------------------------------------------------------------------------

    private void setUpLedger() {
        for (String tenant : new String[] {"fuzz-a", "fuzz-b"}) {
            assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"" + tenant + "\"}").status()).isIn(200, 201);
        }
        keys.put("admin", ADMIN_KEY);
        keys.put("writerA", server.createKey("fuzz-writer-a", "[\"ledger:write\",\"ledger:read\"]", "[\"fuzz-a\"]"));
        keys.put("writerAB", server.createKey("fuzz-writer-ab", "[\"ledger:write\",\"ledger:read\"]", "[\"fuzz-a\",\"fuzz-b\"]"));
        keys.put("readerA", server.createKey("fuzz-reader-a", "[\"ledger:read\"]", "[\"fuzz-a\"]"));
        keys.put("financeA", server.createKey("fuzz-finance-a", "[\"finance:read\",\"payments:read\",\"events:read\"]",
            "[\"fuzz-a\"]"));
        TestServer.Response revoked = server.postJson("/v1/admin/keys", ADMIN_KEY,
            "{\"name\":\"fuzz-revoked\",\"scopes\":[\"ledger:write\"],\"tenants\":[\"fuzz-a\"]}");
        assertThat(server.delete("/v1/admin/keys/" + revoked.json().path("id").asText(), ADMIN_KEY).status()).isEqualTo(204);
        keys.put("revoked", revoked.json().path("key").asText());
        acceptedWords.addAll(List.of("fuzz-a", "fuzz-b"));

        for (String owner : new String[] {"house", "fuzz-a", "fuzz-b"}) {
            for (int ledger : new int[] {1, 840}) {
                List<String> pool = new ArrayList<>();
                StringBuilder body = new StringBuilder("{\"accounts\":[");
                for (int i = 0; i < 4; i++) {
                    String id = in.freshId();
                    pool.add(id);
                    String flags = i == 1 ? ",\"flags\":[\"history\"]" : i == 2 ? ",\"flags\":[\"debits_must_not_exceed_credits\","
                        + "\"history\"]" : i == 3 ? ",\"flags\":[\"credits_must_not_exceed_debits\"]" : "";
                    body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"ledger\":").append(ledger)
                        .append(",\"code\":").append(10 + i).append(flags)
                        .append(owner.equals("house") ? "" : ",\"tenant\":\"" + owner + "\"").append('}');
                }
                TestServer.Response created = server.postJson("/v1/accounts", ADMIN_KEY, body.append("]}").toString());
                assertThat(created.status()).as(created.text()).isEqualTo(200);
                for (JsonNode result : created.json().path("results")) {
                    assertThat(result.path("status").asText()).isEqualTo("created");
                }
                accounts.addAll(pool);
                String funding = in.freshId();
                TestServer.Response funded = server.postJson("/v1/transfers", ADMIN_KEY, Bodies.transfers(
                    Bodies.transfer(funding, pool.get(3), pool.get(2), 1_000_000, ledger)));
                assertThat(funded.json().path("results").path(0).path("status").asText()).as(funded.text()).isEqualTo("created");
                transfers.add(funding);
                pools.put(owner + "/" + ledger, pool);
                known.addAll(pool);
            }
        }
    }

    private String key(boolean write) {
        int choice = in.between(0, 99);
        if (choice < 50) {
            return keys.get("admin");
        } else if (choice < 68) {
            return keys.get("writerA");
        } else if (choice < 78) {
            return keys.get("writerAB");
        } else if (choice < 84) {
            return keys.get(write ? "readerA" : "financeA");
        } else if (choice < 88) {
            return keys.get("revoked");
        } else if (choice < 94) {
            return null;
        }
        return "garbage";
    }

    private Req newRequest(String method, String target, String key) {
        Req req = new Req(++requestNumber, method, target);
        if ("garbage".equals(key)) {
            req.header("Authorization", in.authorization(in.chance(0.5) ? ADMIN_KEY : keys.get("writerA")));
        } else if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        return req;
    }

    private void ledgerRequest() {
        if (!repeatable.isEmpty() && in.chance(0.04)) {
            Req again = in.pick(repeatable).copy(++requestNumber);
            exchange(again);
            return;
        }
        int kind = in.between(0, 99);
        if (kind < 22) {
            createTransfers();
        } else if (kind < 36) {
            createAccounts();
        } else if (kind < 43) {
            createEntries();
        } else if (kind < 55) {
            createBinary();
        } else if (kind < 69) {
            ledgerRead();
        } else if (kind < 79) {
            rawRequest();
        } else if (kind < 86) {
            adminRequest();
        } else if (kind < 93) {
            offRouteRequest();
        } else {
            randomRoute();
        }
    }

    private String ledgerPool() {
        return in.pick(new ArrayList<>(pools.keySet()));
    }

    private ObjectNode accountSkeleton(Req req, List<String> chainIds, int ledger) {
        ObjectNode account = NODES.objectNode();
        String id = in.freshId();
        req.accountIds.add(id);
        chainIds.add(id);
        account.put("id", id);
        account.put("ledger", in.chance(0.9) ? ledger : in.between(1, Integer.MAX_VALUE));
        account.put("code", in.chance(0.8) ? in.between(1, 50) : in.between(1, 65535));
        if (in.chance(0.4)) {
            account.set("flags", NODES.arrayNode().add(in.pick("history", "debits_must_not_exceed_credits",
                "credits_must_not_exceed_debits")));
        }
        if (in.chance(0.3)) {
            account.put("user_data_128", in.freshId());
            account.put("user_data_64", Long.toUnsignedString(in.nextLong()));
            account.put("user_data_32", in.between(0, Integer.MAX_VALUE));
        }
        if (in.chance(0.5)) {
            account.put("tenant", in.pick("fuzz-a", "fuzz-a", "fuzz-b"));
        }
        if (in.chance(0.2)) {
            account.set("metadata", in.junkObject(2));
        }
        return account;
    }

    private ObjectNode transferSkeleton(Req req) {
        String poolName = ledgerPool();
        List<String> pool = pools.get(poolName);
        int ledger = Integer.parseInt(poolName.substring(poolName.indexOf('/') + 1));
        ObjectNode transfer = NODES.objectNode();
        String id = in.freshId();
        req.transferIds.add(id);
        transfer.put("id", id);
        int debit = in.between(0, pool.size() - 1);
        int credit = (debit + in.between(1, pool.size() - 1)) % pool.size();
        List<String> creditPool = in.chance(0.1) ? pools.get(ledgerPool()) : pool;
        transfer.put("debit_account_id", pool.get(debit));
        transfer.put("credit_account_id", creditPool.get(credit % creditPool.size()));
        long amount = in.between(1, 1000);
        if (in.chance(0.5)) {
            transfer.put("amount", Long.toString(amount));
        } else {
            transfer.put("amount", amount);
        }
        transfer.put("ledger", ledger);
        transfer.put("code", in.between(1, 100));
        int shape = in.between(0, 99);
        if (shape < 10) {
            transfer.set("flags", NODES.arrayNode().add("pending"));
            if (in.chance(0.3)) {
                transfer.put("timeout", in.between(1, 3600));
            }
            pendingSent.add(id);
        } else if (shape < 18 && !pendingSent.isEmpty()) {
            transfer.removeAll();
            transfer.put("id", id);
            transfer.put("pending_id", in.pick(pendingSent));
            transfer.set("flags", NODES.arrayNode().add(in.pick("post_pending_transfer", "void_pending_transfer")));
            transfer.put("amount", in.pick("0", "1", "9223372036854775807"));
        } else if (shape < 23) {
            transfer.set("flags", NODES.arrayNode().add(in.pick("balancing_debit", "balancing_credit")));
        }
        if (in.chance(0.2)) {
            transfer.put("user_data_128", in.freshId());
            transfer.put("user_data_64", in.between(0, 1000));
            transfer.put("user_data_32", in.between(0, 1000));
        }
        if (in.chance(0.15)) {
            transfer.set("metadata", in.junkObject(2));
        }
        return transfer;
    }

    /** Marks all but the last event linked, sometimes: a chain that succeeds or fails whole. */
    private void maybeLink(ArrayNode events) {
        if (events.size() > 1 && in.chance(0.2)) {
            for (int i = 0; i < events.size() - 1; i++) {
                ObjectNode event = (ObjectNode) events.get(i);
                ArrayNode flags = event.has("flags") && event.get("flags").isArray() ? (ArrayNode) event.get("flags")
                    : event.putArray("flags");
                flags.add("linked");
            }
        }
    }

    private void createAccounts() {
        Req req = newRequest("POST", "/v1/accounts", key(true));
        req.route = "accounts";
        ArrayNode events = NODES.arrayNode();
        int ledger = in.chance(0.5) ? 1 : 840;
        List<String> chain = new ArrayList<>();
        int count = in.between(1, 5);
        for (int i = 0; i < count; i++) {
            events.add(accountSkeleton(req, chain, ledger));
        }
        maybeLink(events);
        ObjectNode root = NODES.objectNode();
        root.set("accounts", events);
        sendJson(req, root);
    }

    private void createTransfers() {
        Req req = newRequest("POST", "/v1/transfers", key(true));
        req.route = "transfers";
        ArrayNode events = NODES.arrayNode();
        int count = in.between(1, 5);
        for (int i = 0; i < count; i++) {
            events.add(transferSkeleton(req));
        }
        maybeLink(events);
        ObjectNode root = NODES.objectNode();
        root.set("transfers", events);
        sendJson(req, root);
    }

    private void createEntries() {
        Req req = newRequest("POST", "/v1/entries", key(true));
        req.route = "entries";
        ArrayNode list = NODES.arrayNode();
        int count = in.between(1, 3);
        for (int e = 0; e < count; e++) {
            String poolName = ledgerPool();
            List<String> pool = pools.get(poolName);
            ObjectNode entry = NODES.objectNode();
            String id = in.freshId();
            Uint128 entryId = Uint128.fromUuid(id);
            req.transferIds.add(id);
            req.transferIds.add(JournalEntries.legId(entryId, 1).toUuidString());
            req.transferIds.add(JournalEntries.legId(entryId, 2).toUuidString());
            entry.put("id", id);
            entry.put("ledger", Integer.parseInt(poolName.substring(poolName.indexOf('/') + 1)));
            entry.put("code", in.between(1, 100));
            ArrayNode postings = entry.putArray("postings");
            int credits = in.between(1, 3);
            long total = 0;
            for (int c = 0; c < credits; c++) {
                long amount = in.between(1, 500);
                total += amount;
                postings.add(NODES.objectNode().put("account_id", pool.get(c % 2 == 0 ? 0 : 1)).put("credit", amount));
            }
            postings.insert(0, NODES.objectNode().put("account_id", pool.get(in.chance(0.5) ? 2 : 3)).put("debit",
                Long.toString(total)));
            if (in.chance(0.15)) {
                entry.put("pending", true);
            }
            if (in.chance(0.2)) {
                entry.set("metadata", in.junkObject(1));
            }
            list.add(entry);
        }
        ObjectNode root = NODES.objectNode();
        root.set("entries", list);
        sendJson(req, root);
    }

    /** Mutates (or not) and sends a JSON body, with the usual or a fuzzed content type and headers. */
    private void sendJson(Req req, JsonNode root) {
        String text;
        byte[] body;
        boolean mutated = in.chance(0.75);
        boolean tree = mutated && in.chance(0.7);
        boolean textual = mutated && (!tree || in.chance(0.35));
        JsonNode node = tree ? in.mutateTree(root, known) : root;
        text = HttpFuzzInputs.render(node);
        if (textual) {
            text = in.mutateText(text);
        }
        body = mutated && in.chance(0.15) ? in.mutateBytes(text) : text.getBytes(StandardCharsets.UTF_8);
        if (in.chance(0.01)) {
            body = oversize(body, req.target.startsWith("/v1/admin") ? ADMIN_CAP : MAX_BODY);
        }
        req.body = body;
        if (in.chance(0.85)) {
            req.header("Content-Type", in.chance(0.9) ? "application/json" : "application/json; charset=utf-8");
        }
        fuzzHeaders(req, 0.25);
        exchange(req);
    }

    private byte[] oversize(byte[] body, int cap) {
        byte[] bigger = java.util.Arrays.copyOf(body, cap + in.between(1, cap / 8));
        java.util.Arrays.fill(bigger, body.length, bigger.length, (byte) ' ');
        return bigger;
    }

    private void fuzzHeaders(Req req, double probability) {
        if (!in.chance(probability)) {
            return;
        }
        int changes = in.between(1, 3);
        for (int i = 0; i < changes; i++) {
            switch (in.between(0, 4)) {
                case 0 -> {
                    req.headers.removeIf(header -> header[0].equals("Content-Type"));
                    req.header("Content-Type", in.contentType());
                }
                case 1 -> {
                    req.headers.removeIf(header -> header[0].equals("Authorization"));
                    req.header("Authorization", in.authorization(in.chance(0.5) ? ADMIN_KEY : keys.getOrDefault("writerA", ADMIN_KEY)));
                }
                case 2 -> req.header("X-Tenant", in.tenantHeader());
                default -> {
                    String[] extra = in.extraHeader();
                    req.header(extra[0], extra[1]);
                }
            }
        }
    }

    private void createBinary() {
        boolean accountsRoute = in.chance(0.45);
        Req req = newRequest("POST", accountsRoute ? "/v1/accounts" : "/v1/transfers", key(true));
        req.route = accountsRoute ? "accounts" : "transfers";
        int count = in.between(1, 6);
        ByteBuffer records = ByteBuffer.allocate(count * 128).order(ByteOrder.LITTLE_ENDIAN);
        String poolName = ledgerPool();
        List<String> pool = pools.get(poolName);
        int ledger = Integer.parseInt(poolName.substring(poolName.indexOf('/') + 1));
        for (int i = 0; i < count; i++) {
            int offset = i * 128;
            String id = in.freshId();
            HttpFuzzInputs.putId(records, offset, id);
            if (accountsRoute) {
                req.accountIds.add(id);
            } else {
                req.transferIds.add(id);
                int debit = in.between(0, pool.size() - 1);
                HttpFuzzInputs.putId(records, offset + 16, pool.get(debit));
                HttpFuzzInputs.putId(records, offset + 32, pool.get((debit + 1) % pool.size()));
                records.putLong(offset + 48, in.between(1, 1000));
            }
            records.putInt(offset + 112, ledger).putShort(offset + 116, (short) in.between(1, 100));
        }
        byte[] body = records.array();
        if (in.chance(0.7)) {
            body = in.mutateBinary(body);
        }
        if (in.chance(0.01)) {
            body = java.util.Arrays.copyOf(body, BINARY_CAP + 128 * in.between(1, 4));
        }
        req.body = body;
        req.header("Content-Type", in.chance(0.9) ? "application/octet-stream" : in.pick("application/octet-stream; x=1",
            "APPLICATION/OCTET-STREAM", "application/octet-stream ; charset=binary"));
        if (accountsRoute && in.chance(0.4)) {
            req.header("X-Tenant", in.chance(0.7) ? in.pick("fuzz-a", "fuzz-b") : in.tenantHeader());
        }
        fuzzHeaders(req, 0.15);
        exchange(req);
    }

    private String someId() {
        return in.chance(0.7) && !known.isEmpty() ? in.pick(known) : in.weirdUuid(known);
    }

    private void ledgerRead() {
        String id = someId();
        boolean encode = in.chance(0.8);
        String target = switch (in.between(0, 6)) {
            case 0 -> "/v1/accounts/" + id;
            case 1 -> "/v1/transfers/" + id;
            case 2, 3 -> "/v1/accounts/" + id + "/transfers?" + in.query(LISTING, known, encode);
            case 4 -> "/v1/accounts/" + id + "/balances?" + in.query(LISTING, known, encode);
            case 5 -> "/v1/accounts/" + in.weirdPathSegment(known) + "/transfers";
            default -> in.pick("/v1/accounts?", "/v1/transfers?") + in.query(FINANCE, known, encode);
        };
        Req req = newRequest(in.chance(0.95) ? "GET" : in.pick("HEAD", "POST", "DELETE", "OPTIONS"), target, key(false));
        fuzzHeaders(req, 0.2);
        exchange(req);
    }

    private void adminRequest() {
        String key = in.chance(0.8) ? ADMIN_KEY : key(true);
        switch (in.between(0, 6)) {
            case 0, 1 -> {
                Req req = newRequest("POST", "/v1/admin/keys", key);
                ObjectNode body = NODES.objectNode().put("name", "fz-" + in.between(0, 999));
                body.set("scopes", NODES.arrayNode().add(in.pick("ledger:read", "ledger:write", "finance:read", "admin",
                    "payments:read")));
                body.set("tenants", NODES.arrayNode().add(in.pick("fuzz-a", "fuzz-b", "fz-" + in.between(0, 99))));
                sendJson(req, body);
            }
            case 2, 3 -> {
                Req req = newRequest("POST", "/v1/admin/tenants", key);
                ObjectNode body = NODES.objectNode().put("slug", "fz-" + in.between(0, 99));
                if (in.chance(0.3)) {
                    body.put("accounts_max", in.between(0, 1_000_000));
                }
                sendJson(req, body);
            }
            case 4 -> {
                Req req = newRequest(in.pick("GET", "GET", "PUT", "PATCH"), in.pick("/v1/admin/keys", "/v1/admin/tenants")
                    + (in.chance(0.5) ? "?" + in.query(FINANCE, known, true) : ""), key);
                fuzzHeaders(req, 0.3);
                exchange(req);
            }
            case 5 -> {
                Req req = newRequest(in.pick("DELETE", "GET", "POST"), "/v1/admin/keys/" + in.pick("key_" + Long.toHexString(
                    in.nextLong()), in.weirdPathSegment(List.of()), "fzk_x", ""), key);
                fuzzHeaders(req, 0.3);
                exchange(req);
            }
            default -> {
                Req req = newRequest("POST", "/v1/admin/snapshot" + (in.chance(0.3) ? "?" + in.query(FINANCE, known, true) : ""),
                    in.chance(0.1) ? ADMIN_KEY : key(true));
                if (in.chance(0.5)) {
                    req.body = in.randomBytes(in.between(0, 100));
                }
                fuzzHeaders(req, 0.3);
                exchange(req);
            }
        }
    }

    /** Routes of the read model and payments, which this server runs without: their 503s are designed. */
    private void offRouteRequest() {
        String target = in.pick("/v1/reports/trial-balance", "/v1/reports/income-statement", "/v1/reports/balance-sheet",
            "/v1/statements/" + someId(), "/v1/exports/journal", "/v1/merchant-accounts", "/v1/payment-events",
            "/v1/events", "/v1/payment-accounts", "/v1/checkouts/" + someId(), "/hooks/verotel/" + someId(),
            "/v1/routing/fuzz-a", "/v1/revenue-shares/fuzz-a") + "?" + in.query(FINANCE, known, in.chance(0.8));
        Req req = newRequest(in.chance(0.8) ? "GET" : in.pick("POST", "PUT", "PATCH", "DELETE"), target, key(false));
        if (!req.method.equals("GET")) {
            req.body = in.mutateBytes("{\"tenant\":\"fuzz-a\"}");
            req.header("Content-Type", "application/json");
        }
        fuzzHeaders(req, 0.2);
        exchange(req);
    }

    private static final String[] TEMPLATES = {"/health", "/ready", "/metrics", "/openapi.json", "/v1/accounts",
        "/v1/transfers", "/v1/entries", "/v1/accounts/{}", "/v1/transfers/{}", "/v1/accounts/{}/transfers",
        "/v1/accounts/{}/balances", "/v1/admin/keys/{}", "/v1/{}", "/{}", "/v1/accounts/{}/{}", "/v2/accounts",
        "/v1//accounts", "/v1/accounts/", "/V1/ACCOUNTS", "/v1/./accounts", "/v1/../v1/accounts", "/v1/accounts;x=1",
        "/v1/accounts%2Fx", "//", "/v1/accounts/{}/transfers/{}"};

    private void randomRoute() {
        String path = in.pick(TEMPLATES);
        while (path.contains("{}")) {
            path = path.replaceFirst("\\{\\}", Matcher.quoteReplacement(in.weirdPathSegment(known)));
        }
        if (in.chance(0.4)) {
            path += "?" + in.query(LISTING, known, in.chance(0.5));
        }
        String method = in.pick("GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FOO", "get",
            "CONNECT");
        Req req = newRequest(method, path, key(false));
        if (!method.equals("GET") && !method.equals("HEAD") && in.chance(0.6)) {
            req.body = in.mutateBytes("{\"accounts\":[]}");
        }
        fuzzHeaders(req, 0.3);
        exchange(req);
    }

    /** A request no well-behaved client sends, written by hand to a socket. */
    private void rawRequest() {
        String key = in.chance(0.8) ? ADMIN_KEY : keys.get("writerA");
        String id = in.freshId();
        String poolName = ledgerPool();
        List<String> pool = pools.get(poolName);
        String ledger = poolName.substring(poolName.indexOf('/') + 1);
        String body = Bodies.transfers(Bodies.transfer(id, pool.get(0), pool.get(1), 1, Integer.parseInt(ledger)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String auth = "Authorization: Bearer " + key + "\r\n";
        String head = "POST /v1/transfers HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "Content-Type: application/json\r\n";
        String request;
        switch (in.between(0, 21)) {
            case 0 -> request = head + "Content-Length: " + (bytes.length - in.between(1, bytes.length)) + "\r\n\r\n" + body;
            case 1 -> request = head + "Content-Length: " + (bytes.length + in.between(1, 1000)) + "\r\n\r\n" + body;
            case 2 -> request = head + "Content-Length: " + in.pick("-1", "abc", "1e3", "0x10", " ", "99999999999999999999",
                "1, 2", "+5") + "\r\n\r\n" + body;
            case 3 -> request = head + "Content-Length: " + bytes.length + "\r\nContent-Length: " + (bytes.length - 1) + "\r\n\r\n"
                + body;
            case 4 -> request = head + "Content-Length: " + bytes.length + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(bytes.length) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 5 -> request = head + "Transfer-Encoding: " + in.pick("gzip", "chunked, gzip", "identity", "junk", "chunked, chunked")
                + "\r\n\r\n" + body;
            case 6 -> request = head + "Transfer-Encoding: chunked\r\n\r\n" + in.pick("zz", "ffffffffffffffffff", "-1", "",
                "1;ext=1", "10000000") + "\r\n" + body + "\r\n0\r\n\r\n";
            case 7 -> request = head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(bytes.length) + "\r\n" + body;
            case 8 -> request = in.pick("GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET  /v1/accounts HTTP/1.1\r\n\r\n",
                "get /health HTTP/1.1\r\nHost: x\r\n\r\n", "GET http://127.0.0.1/v1/accounts/x HTTP/1.1\r\nHost: x\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "GET /health HTTP/1.0\r\n\r\n", "\r\n\r\nGET /health HTTP/1.1\r\n\r\n",
                "GET /health\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /health HTTP/1.1\nHost: x\n\n",
                "POST /v1/transfers HTTP/1.1\r\n\r\n", "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1/accounts/" + pool.get(0) + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth + "\r\n");
            case 9 -> request = head + "X-Broken-Header\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
            case 10 -> request = head + " folded: continuation\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
            case 11 -> request = head + "Bad Name: x\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
            case 12 -> request = head + "X-Tenant: f\u00fczz\r\nX-Request-Id: \u00e9\u00e9\r\nContent-Length: " + bytes.length + "\r\n\r\n"
                + body;
            case 13 -> request = head + "X-Big: " + "x".repeat(in.between(8000, 70_000)) + "\r\nContent-Length: " + bytes.length
                + "\r\n\r\n" + body;
            case 14 -> {
                StringBuilder many = new StringBuilder(head);
                int count = in.between(100, 1000);
                for (int i = 0; i < count; i++) {
                    many.append("X-H").append(i).append(": ").append(i).append("\r\n");
                }
                request = many.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body).toString();
            }
            case 15 -> request = "GET /v1/accounts/" + pool.get(0) + "/transfers?" + in.query(LISTING, known, false)
                + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            case 16 -> request = "GET /v1/accounts/" + in.pick("%zz", "%", "%00", "\u00e9", "%c0%ae%c0%ae", "a b", "%2e%2e%2f")
                + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            case 17 -> request = head + "Expect: 100-continue\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
            case 18 -> request = head.replace("Authorization: Bearer " + key, "Authorization: Bearer " + key + "\u00e9")
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
            case 19 -> request = head + "Content-Length: " + bytes.length + "\r\n\r\n" + body + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            case 20 -> request = head.replace("Content-Type: application/json", "Content-Type: application/json\r\nContent-Type: "
                + "application/octet-stream") + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
            default -> request = head + "Content-Length: " + bytes.length + "\r\nContent-Encoding: gzip\r\n\r\n" + body;
        }
        Req req = newRequest("RAW", "-", null);
        if (request.startsWith("POST /v1/transfers")) {
            req.route = "transfers";
            req.transferIds.add(id);
        }
        req.raw = request.getBytes(StandardCharsets.UTF_8);
        exchange(req);
    }

    // ---- the read-model run --------------------------------------------------------------------------------

    private String setUpPayments() {
        assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"fuzz-a\"}").status()).isIn(200, 201);
        keys.put("admin", ADMIN_KEY);
        keys.put("platform", server.createKey("fuzz-platform", "[\"payments:read\",\"payments:write\",\"finance:read\","
            + "\"ledger:read\",\"events:read\"]", "[\"fuzz-a\"]"));
        keys.put("writerA", server.createKey("fuzz-writer", "[\"ledger:write\",\"ledger:read\"]", "[\"fuzz-a\"]"));
        TestServer.Response merchant = server.postJson("/v1/merchant-accounts", ADMIN_KEY, """
            {"tenant":"fuzz-a","processor":"verotel","name":"Fuzz","currencies":["USD","EUR"],
             "fees":{"percent_bp":1000,"fixed":"30","chargeback":"2500","refund":"0"},
             "settings":{"shop_id":"122965"},"secrets":{"signature_key":"fuzz-signature-key"}}""");
        assertThat(merchant.status()).as(merchant.text()).isEqualTo(201);
        List<String> pool = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"accounts\":[");
        for (int i = 0; i < 4; i++) {
            String id = in.freshId();
            pool.add(id);
            body.append(i == 0 ? "" : ",").append(Bodies.account(id, 840, "fuzz-a")
                .replace("\"code\":1", "\"code\":" + new int[] {1100, 2100, 4100, 5100}[i]));
        }
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, body.append("]}").toString()).status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            server.postJson("/v1/transfers", ADMIN_KEY, Bodies.transfers(Bodies.transfer(in.freshId(), pool.get(i % 4),
                pool.get((i + 1) % 4), 100 + i, 840)));
        }
        pools.put("fuzz-a/840", pool);
        known.addAll(pool);
        setUpPayouts(pool.get(0));
        return merchant.json().path("id").asText();
    }

    /** An ACH account, a verified payee with earnings, two held payouts and a batch, and a return file for it. */
    private void setUpPayouts(String earningsFrom) {
        keys.put("payouts", server.createKey("fuzz-payouts", "[\"payouts:read\",\"payouts:write\",\"payouts:admin\","
            + "\"compliance:write\"]", "[\"fuzz-a\"]"));
        TestServer.Response ach = server.postJson("/v1/merchant-accounts", ADMIN_KEY, """
            {"tenant":"fuzz-a","processor":"ach","name":"Fuzz ACH","currencies":["USD"],"settings":{
             "immediate_destination":"231380104","immediate_destination_name":"FED","immediate_origin":"121042882",
             "immediate_origin_name":"FUZZ","company_name":"FUZZ","company_identification":"1234567890",
             "odfi_identification":"12104288"}}""");
        assertThat(ach.status()).as(ach.text()).isEqualTo(201);
        achAccount = ach.json().path("id").asText();
        String payable = com.fanzfinance.server.payments.posting.PaymentAccounts.accountId("fuzz-a", 840, 2100, "fz1").toString();
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + payable + "\",\"ledger\":840,"
            + "\"code\":2100,\"flags\":[\"debits_must_not_exceed_credits\",\"history\"],\"tenant\":\"fuzz-a\"}]}").status())
            .isEqualTo(200);
        assertThat(server.postJson("/v1/transfers", ADMIN_KEY, Bodies.transfers(Bodies.transfer(in.freshId(), earningsFrom,
            payable, 100_000, 840))).status()).isEqualTo(200);
        TestServer.Response payee = server.postJson("/v1/payees", keys.get("payouts"), payeeBody("fz1", "1234"));
        assertThat(payee.status()).as(payee.text()).isEqualTo(201);
        payeeId = payee.json().path("id").asText();
        assertThat(server.putJson("/v1/payees/" + payeeId + "/compliance", keys.get("payouts"),
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}").status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            TestServer.Response held = server.send(HttpRequest.newBuilder(URI.create(server.base() + "/v1/payouts"))
                .header("Authorization", "Bearer " + keys.get("payouts")).header("Content-Type", "application/json")
                .header("Idempotency-Key", "setup-" + i).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"payee_id\":\"" + payeeId + "\",\"amount\":\"5000\",\"currency\":\"USD\"}")));
            assertThat(held.status()).as(held.text()).isEqualTo(201);
            payoutIds.add(held.json().path("id").asText());
        }
        TestServer.Response batch = server.postJson("/v1/payout-batches", keys.get("payouts"),
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + achAccount + "\"}");
        assertThat(batch.status()).as(batch.text()).isEqualTo(201);
        batchId = batch.json().path("id").asText();
        byte[] file = server.get("/v1/payout-batches/" + batchId + "/file", keys.get("payouts")).body();
        try {
            com.fanzfinance.payouts.ach.NachaDocument document = com.fanzfinance.payouts.ach.NachaReader.read(
                new String(file, StandardCharsets.US_ASCII));
            returnFile = com.fanzfinance.server.payments.NachaReturnFiles.returns(document,
                document.batches().get(0).entries(), "R03");
        } catch (com.fanzfinance.payouts.ach.NachaFormatException e) {
            throw new AssertionError(e);
        }
        known.addAll(List.of(achAccount, payeeId, batchId));
        known.addAll(payoutIds);
    }

    private static String payeeBody(String creator, String account) {
        return "{\"tenant\":\"fuzz-a\",\"creator\":\"" + creator + "\",\"name\":\"Fuzz Payee\",\"country\":\"US\","
            + "\"currency\":\"USD\",\"rail\":\"ach\",\"rail_details\":{\"routing_number\":\"231380104\","
            + "\"account_number\":\"" + account + "\"}}";
    }

    /** One junk request to a payout route: a payee, a payout or a move of one, a batch, or a mangled return file. */
    private void payoutRequest(String id, String key) {
        String payouts = in.chance(0.8) ? keys.get("payouts") : key;
        switch (in.between(0, 5)) {
            case 0 -> {
                Req req = newRequest("POST", "/v1/payees", payouts);
                ObjectNode body = NODES.objectNode().put("tenant", "fuzz-a").put("creator", "fz" + in.between(2, 9))
                    .put("name", in.pick("Fuzz Payee", "Αλέξανδρος", "")).put("country", in.pick("US", "DE", "usa"))
                    .put("currency", in.pick("USD", "EUR")).put("rail", in.pick("ach", "sepa", "paxum", "nope"));
                body.set("rail_details", NODES.objectNode().put("routing_number", in.pick("231380104", "231380105", "x"))
                    .put("account_number", Integer.toString(in.between(1, 999))).put("iban", in.pick("DE89370400440532013000",
                        "DE89370400440532013001", "")));
                if (in.chance(0.3)) {
                    body.put("schedule", in.pick("weekly", "threshold", "daily")).put("threshold", in.pick("100", "-1", "x"));
                }
                sendJson(req, body);
            }
            case 1 -> {
                Req req = newRequest("PUT", "/v1/payees/" + (in.chance(0.8) ? payeeId : id) + "/compliance", payouts);
                ObjectNode body = NODES.objectNode().put("kyc", in.pick("verified", "pending", "nope")).put("age", "verified")
                    .put("records_2257", in.pick("on_file", "missing"));
                sendJson(req, body);
            }
            case 2 -> {
                Req req = newRequest("POST", "/v1/payouts", payouts);
                if (in.chance(0.9)) {
                    req.header("Idempotency-Key", "fz-" + in.between(0, 50));
                }
                sendJson(req, NODES.objectNode().put("payee_id", in.chance(0.8) ? payeeId : id)
                    .put("amount", in.pick("100", "all", "0", "-5", "99999999999999999999", "1e3")).put("currency", "USD"));
            }
            case 3 -> {
                String payout = in.chance(0.8) ? in.pick(payoutIds) : id;
                Req req = newRequest("POST", "/v1/payouts/" + payout + in.pick("/cancel", "/events", "/events"), payouts);
                sendJson(req, NODES.objectNode().put("type", in.pick("submitted", "settled", "failed", "returned", "x"))
                    .put("reason", "fz".repeat(in.between(0, 250))));
            }
            case 4 -> {
                Req req = newRequest("POST", "/v1/payout-batches" + (in.chance(0.2) ? "/" + batchId + "/submit" : ""), payouts);
                ObjectNode body = NODES.objectNode().put("rail", in.pick("ach", "sepa", "wise")).put("merchant_account_id",
                    in.chance(0.8) ? achAccount : id);
                if (in.chance(0.4)) {
                    body.set("payout_ids", NODES.arrayNode().add(in.pick(payoutIds)).add(id));
                }
                if (in.chance(0.3)) {
                    body.put("effective_date", in.pick("2026-12-07", "2020-01-01", "2026-13-01", "tomorrow"));
                }
                sendJson(req, body);
            }
            default -> {
                Req req = newRequest("POST", "/v1/payout-batches/" + (in.chance(0.9) ? batchId : id) + "/returns", payouts);
                req.body = in.chance(0.2) ? returnFile.getBytes(StandardCharsets.US_ASCII)
                    : in.chance(0.5) ? in.mutateText(returnFile).getBytes(StandardCharsets.UTF_8) : in.mutateBytes(returnFile);
                req.header("Content-Type", in.pick("text/plain", "text/plain", "application/octet-stream", "application/json"));
                fuzzHeaders(req, 0.15);
                exchange(req);
            }
        }
    }

    /** One junk request to a read-model, finance or payments route; 1 when it created a merchant account. */
    private int readModelRequest(String merchant) {
        List<String> ids = new ArrayList<>(known);
        ids.add(merchant);
        String id = in.chance(0.7) ? in.pick(ids) : in.weirdUuid(ids);
        String key = switch (in.between(0, 9)) {
            case 0, 1, 2, 3 -> ADMIN_KEY;
            case 4, 5, 6 -> keys.get("platform");
            case 7 -> keys.get("writerA");
            case 8 -> null;
            default -> "garbage";
        };
        boolean encode = in.chance(0.8);
        int kind = in.between(0, 99);
        if (kind < 55) {
            String target = in.pick("/v1/reports/trial-balance", "/v1/reports/income-statement", "/v1/reports/balance-sheet",
                "/v1/statements/" + id, "/v1/exports/journal", "/v1/accounts", "/v1/transfers", "/v1/merchant-accounts",
                "/v1/merchant-accounts/" + id, "/v1/merchant-accounts/" + id + "/health", "/v1/merchant-accounts/" + id
                    + "/balances", "/v1/payment-events", "/v1/payment-events/" + id, "/v1/payment-accounts",
                "/v1/checkouts/" + id, "/v1/routing/" + in.pick("fuzz-a", "nope", "FUZZ"), "/v1/revenue-shares/fuzz-a",
                "/v1/revenue-shares/fuzz-a/creators/" + in.pick("c1", "", "x".repeat(300), "%00"), "/v1/creators/fuzz-a/c1/balances",
                "/v1/events", "/v1/payees", "/v1/payees/" + id, "/v1/payouts", "/v1/payouts/" + id, "/v1/payout-batches",
                "/v1/payout-batches/" + id, "/v1/payout-batches/" + id + "/file");
            String query = in.query(target.startsWith("/v1/reports") || target.startsWith("/v1/statements")
                || target.startsWith("/v1/exports") || target.equals("/v1/accounts") || target.equals("/v1/transfers")
                ? FINANCE : PAYMENTS, ids, encode);
            if (target.equals("/v1/events")) {
                query += (query.isEmpty() ? "" : "&") + "wait_seconds=" + in.pick("0", "31", "-1", "x", "99999999999");
            }
            Req req = newRequest("GET", target + "?" + query, key);
            fuzzHeaders(req, 0.15);
            exchange(req);
            return 0;
        }
        if (kind >= 90) {
            payoutRequest(id, key);
            return 0;
        }
        Req req;
        ObjectNode body = NODES.objectNode();
        switch (in.between(0, 6)) {
            case 0, 1 -> {
                req = newRequest("POST", "/v1/merchant-accounts", in.chance(0.8) ? ADMIN_KEY : key);
                req.route = "merchant";
                body.put("tenant", "fuzz-a").put("processor", in.pick("verotel", "ccbill", "segpay", "nope")).put("name", "Fz");
                body.set("currencies", NODES.arrayNode().add("USD"));
                body.set("fees", NODES.objectNode().put("percent_bp", 1000).put("fixed", "30"));
                body.set("settings", NODES.objectNode().put("shop_id", "1"));
                body.set("secrets", NODES.objectNode().put("signature_key", "k"));
                if (in.chance(0.3)) {
                    req.header("Idempotency-Key", in.pick("fz-1", "fz-2", "", "x".repeat(70)));
                }
            }
            case 2 -> {
                req = newRequest("POST", "/v1/checkouts", in.chance(0.8) ? keys.get("platform") : key);
                body.put("tenant", "fuzz-a").put("creator", "c1").put("fan", "f1").put("product", "ppv").put("amount", "1999")
                    .put("currency", "USD").put("processor", "verotel");
                if (in.chance(0.3)) {
                    body.put("merchant_account_id", merchant);
                }
            }
            case 3 -> {
                req = newRequest("PUT", "/v1/routing/fuzz-a", in.chance(0.8) ? ADMIN_KEY : key);
                body.set("routes", NODES.arrayNode().add(NODES.objectNode().put("merchant_account_id", merchant)));
                body.put("min_health_bp", in.between(0, 10000));
            }
            case 4 -> {
                req = newRequest("PUT", "/v1/revenue-shares/fuzz-a" + (in.chance(0.5) ? "/creators/c1" : ""),
                    in.chance(0.8) ? ADMIN_KEY : key);
                body.put("platform_bp", in.between(0, 10000)).put("referral_bp", in.between(0, 10000));
            }
            case 5 -> {
                req = newRequest("PATCH", "/v1/merchant-accounts/" + (in.chance(0.8) ? merchant : id),
                    in.chance(0.8) ? ADMIN_KEY : key);
                body.put("name", "Fz " + in.between(0, 9));
                if (in.chance(0.3)) {
                    body.put("drained", false);
                }
            }
            default -> {
                req = newRequest(in.pick("POST", "GET"), "/hooks/" + in.pick("verotel", "verotel", "ccbill", "nope") + "/"
                    + (in.chance(0.7) ? merchant : id) + "?" + in.query(List.of("shopID", "saleID", "type", "priceAmount",
                        "priceCurrency", "signature", "custom1", "transactionID"), ids, encode), null);
                if (in.chance(0.5)) {
                    // A processor's form post, in encodings and charsets a driver may have to decode.
                    String form = "shopID=122965&type=" + in.pick("purchase", "rebill", "%ZZ", "") + "&priceAmount="
                        + in.queryValue(ids) + "&signature=" + Long.toHexString(in.nextLong());
                    req.body = in.chance(0.7) ? form.getBytes(StandardCharsets.UTF_8) : in.mutateBytes(form);
                    req.header("Content-Type", in.pick("application/x-www-form-urlencoded",
                        "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded; charset=nope",
                        "application/x-www-form-urlencoded; charset=\"", "text/plain; charset=binary", "multipart/form-data"));
                    fuzzHeaders(req, 0.2);
                    exchange(req);
                    return 0;
                }
                body.put("shopID", "122965").put("type", "purchase");
            }
        }
        sendJson(req, body);
        return req.route.equals("merchant") && lastStatus == 201 ? 1 : 0;
    }

    // ---- sending and judging -------------------------------------------------------------------------------

    /** Sends, judges and remembers a request; its final status is then in {@link #lastStatus}. */
    private void exchange(Req req) {
        count(req.route);
        // Above the smallest cap of any route, a body may be refused by its declared length (413) or left unread,
        // and the server may close the connection while the client still sends it.
        req.oversized = req.body != null && req.body.length > ADMIN_CAP;
        Answer answer = send(req);
        judge(req, answer);
        if (req.raw == null && (req.route.equals("accounts") || req.route.equals("transfers") || req.route.equals("entries"))
            && repeatable.size() < 200 && in.chance(0.3)) {
            repeatable.add(req);
        }
    }

    private void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    private Answer send(Req req) {
        if (req.raw != null) {
            return raw(req.raw);
        }
        HttpRequest request;
        if (!req.target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            // The client cannot write such a request line (it would fail before sending): write it by hand.
            req.viaRaw = true;
            count("raw-fallback");
            return raw(asRaw(req));
        }
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.base() + req.target))
                .timeout(Duration.ofSeconds(30));
            for (String[] header : req.headers) {
                builder.header(header[0], header[1]);
            }
            builder.method(req.method, req.body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(req.body));
            request = builder.build();
        } catch (IllegalArgumentException notSendableByTheClient) {
            req.viaRaw = true;
            count("raw-fallback");
            return raw(asRaw(req));
        }
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body(), List.of(response.statusCode()), null, null);
        } catch (IOException e) {
            return new Answer(-1, null, new byte[0], List.of(), e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private byte[] asRaw(Req req) {
        StringBuilder head = new StringBuilder(req.method).append(' ').append(req.target).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(server.port()).append("\r\n");
        for (String[] header : req.headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        byte[] body = req.body == null ? new byte[0] : req.body;
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * Writes {@code bytes} to a fresh connection, half-closes it (so a server waiting for more sees the end) and
     * reads until the server closes it, collecting every status line.
     */
    private Answer raw(byte[] bytes) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            String note = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                note = "write failed: " + e;
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream input = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                note = (note == null ? "" : note + "; ") + "no end of the answer within 10 s";
            } catch (IOException e) {
                note = (note == null ? "" : note + "; ") + "read failed: " + e;
            }
            return parseRaw(got.toByteArray(), note);
        } catch (IOException e) {
            return new Answer(-1, null, new byte[0], List.of(), "connect failed: " + e, null);
        }
    }

    /** The final (non-1xx) response of a raw exchange, with every status line seen on the connection. */
    private static Answer parseRaw(byte[] answer, String note) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        List<Integer> statuses = new ArrayList<>();
        int finalStatus = -1;
        String type = null;
        byte[] body = answer;
        Matcher status = STATUS_LINE.matcher(text);
        while (status.find()) {
            int code = Integer.parseInt(status.group(1));
            statuses.add(code);
            if (code < 200 || finalStatus >= 0) {
                continue;
            }
            finalStatus = code;
            int headersEnd = text.indexOf("\r\n\r\n", status.end());
            if (headersEnd >= 0) {
                String head = text.substring(status.end(), headersEnd).toLowerCase(java.util.Locale.ROOT);
                Matcher contentType = Pattern.compile("\r\ncontent-type: *([^\r]*)").matcher(head);
                type = contentType.find() ? contentType.group(1).trim() : null;
                Matcher length = Pattern.compile("\r\ncontent-length: *([0-9]+)").matcher(head);
                int start = headersEnd + 4;
                int end = length.find() ? (int) Math.min(answer.length, start + Long.parseLong(length.group(1))) : answer.length;
                body = java.util.Arrays.copyOfRange(answer, start, Math.max(start, end));
            }
        }
        return new Answer(finalStatus, type, body, statuses, note, text);
    }

    private void fail(Req req, Answer answer, String why) {
        dump(req);
        failures.add(why + " (seed " + SEED + ") — " + req.describe() + " → " + (answer == null ? "" : answer.status() + " "
            + printable(answer.body(), 500) + (answer.note() == null ? "" : " [" + answer.note() + "]")));
    }

    private void judge(Req req, Answer answer) {
        try {
            judgeAnswer(req, answer);
        } finally {
            previous = abbreviate(req.describe(), 400) + " → " + answer.status()
                + (answer.note() == null ? "" : " [" + answer.note() + "]");
        }
    }

    private void judgeAnswer(Req req, Answer answer) {
        lastStatus = answer.status();
        answers.merge(answer.status() < 0 ? "none" : Integer.toString(answer.status()), 1, Integer::sum);
        if (answer.status() < 0) {
            if (req.oversized) {
                count("reset-while-sending-oversized");
            } else if (req.raw != null || req.viaRaw) {
                count("raw-closed-without-answer");
                if (answer.note() != null && answer.note().contains("within 10 s")) {
                    fail(req, answer, "no answer and no close within 10 s of a half-closed request");
                }
            } else {
                // A refusal that leaves the body unread (bad key, bad JSON early in a long body) may close the
                // connection under a client still sending it, and TCP then drops the answer: the same reset as for
                // an oversized body. The same bytes sent again by hand, half-closed, must then get an answer, and it
                // is that answer that is judged.
                Answer again = raw(asRaw(req));
                if (again.status() < 0) {
                    fail(req, answer, "the connection closed without an answer, twice (the request before: " + previous + ")");
                    return;
                }
                count("answer-lost-then-resent");
                req.viaRaw = true;
                req.resent = true;
                answers.merge("resent-" + again.status(), 1, Integer::sum);
                judgeAnswer(req, again);
                return;
            }
        }
        for (int status : answer.statuses()) {
            if (status >= 500 && !designedUnavailable(req, answer, status)) {
                fail(req, answer, "5xx answer");
            }
        }
        if (req.body != null && req.body.length > MAX_BODY && answer.status() >= 200 && answer.status() < 300
            && req.route.matches("accounts|transfers|entries")) {
            fail(req, answer, "a body over FANZ_MAX_BODY_BYTES was accepted");
        }
        if (!req.route.equals("accounts") && !req.route.equals("transfers") && !req.route.equals("entries")) {
            noteAccepted(req, answer);
            return;
        }
        String described = req.describe() + " → " + answer.status() + " " + printable(answer.body(), 300);
        for (String id : req.accountIds) {
            candidateAccounts.putIfAbsent(id, described);
        }
        for (String id : req.transferIds) {
            candidateTransfers.putIfAbsent(id, described);
        }
        if (answer.status() == 200) {
            noteAccepted(req, answer);
            if (answer.contentType() != null && answer.contentType().startsWith("application/octet-stream")) {
                readBinaryResults(req, answer);
            } else {
                readJsonResults(req, answer);
            }
        }
    }

    private void noteAccepted(Req req, Answer answer) {
        if (answer.status() < 200 || answer.status() >= 300) {
            return;
        }
        StringBuilder text = new StringBuilder(req.target);
        for (String[] header : req.headers) {
            text.append(' ').append(header[1]);
        }
        byte[] body = req.raw != null ? req.raw : req.body;
        if (body != null) {
            // The server reads JSON in whichever Unicode encoding it detects, and escapes may spell a slug.
            for (String charset : new String[] {"UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"}) {
                text.append(' ').append(new String(body, java.nio.charset.Charset.forName(charset)));
            }
        }
        String unescaped = Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(text)
            .replaceAll(escape -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
        Matcher word = SLUG.matcher((text + " " + unescaped).toLowerCase(java.util.Locale.ROOT));
        while (word.find()) {
            acceptedWords.add(word.group());
        }
    }

    /**
     * The designed 5xx: 503 from the routes this server runs without (with their own problem type), and 505 for a
     * request line of an HTTP version that does not exist.
     */
    private static boolean designedUnavailable(Req req, Answer answer, int status) {
        if (status == 505 && req.raw != null) {
            String line = new String(req.raw, StandardCharsets.ISO_8859_1).split("\r?\n", 2)[0];
            return !line.endsWith(" HTTP/1.1") && !line.endsWith(" HTTP/1.0");
        }
        if (status != 503) {
            return false;
        }
        String text = answer.wire() != null ? answer.wire() : answer.text();
        return text.contains("problems/read-model-off") || text.contains("problems/payments-off");
    }

    private void readJsonResults(Req req, Answer answer) {
        try {
            recordResults(req, answer, JSON.readTree(answer.body()));
        } catch (IOException e) {
            fail(req, answer, "a 200 answer to a create whose results are not JSON");
        }
    }

    private void recordResults(Req req, Answer answer, JsonNode root) {
        JsonNode results = root.path("results");
        if (!results.isArray()) {
            fail(req, answer, "a 200 answer to a create without results");
            return;
        }
        String target = req.raw != null ? "/v1/transfers" : req.target;  // raw creates are transfers
        for (JsonNode result : results) {
            String id = result.path("id").asText();
            String status = result.path("status").asText();
            boolean account = target.startsWith("/v1/accounts");
            boolean entry = target.startsWith("/v1/entries");
            if (status.equals("created")) {
                (account ? accounts : entry ? entries : transfers).add(id);
            } else if (status.equals("exists")) {
                boolean knownBefore = account ? accounts.contains(id) : entry ? entries.contains(id) || transfers.contains(id)
                    : transfers.contains(id);
                if (!knownBefore && !req.resent) {
                    fail(req, answer, "'exists' for " + id + ", which no answer reported created");
                }
                (account ? accounts : entry ? entries : transfers).add(id);
            }
        }
    }

    private void readBinaryResults(Req req, Answer answer) {
        int records = req.body.length / 128;
        if (req.body.length % 128 != 0 || answer.body().length != records * 16) {
            fail(req, answer, "a 200 binary answer of " + answer.body().length + " bytes for a body of " + req.body.length);
            return;
        }
        boolean account = req.target.startsWith("/v1/accounts");
        ByteBuffer results = ByteBuffer.wrap(answer.body()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < records; i++) {
            int status = results.getInt(i * 16 + 8);
            String id = HttpFuzzInputs.idAt(req.body, i * 128);
            if (status == -1) {
                (account ? accounts : transfers).add(id);
            } else if (status == (account ? 21 : 46)) {
                if (!(account ? accounts : transfers).contains(id) && !req.resent) {
                    fail(req, answer, "'exists' for " + id + " (record " + i + "), which no answer reported created");
                }
                (account ? accounts : transfers).add(id);
            }
        }
    }

    // ---- checks after the run ---------------------------------------------------------------------------

    /** The ledger's accounts and transfers, read on the engine's thread. */
    private record LedgerContents(List<Account> accounts, List<Transfer> transfers) {
    }

    private LedgerContents contents() throws Exception {
        return server.server().engine().query(machine -> {
            List<Account> allAccounts = new ArrayList<>();
            for (int slot = 0; slot < machine.accountCount(); slot++) {
                allAccounts.add(machine.accountAt(slot));
            }
            List<Transfer> allTransfers = new ArrayList<>();
            for (long sequence = 0; sequence < machine.transferCount(); sequence++) {
                allTransfers.add(machine.transferAt(sequence));
            }
            return new LedgerContents(allAccounts, allTransfers);
        }).get(60, TimeUnit.SECONDS);
    }

    private void checkNothingAppliedFromRefusedRequests() throws Exception {
        LedgerContents ledger = contents();
        Set<String> accountIds = new HashSet<>();
        for (Account account : ledger.accounts()) {
            String id = account.id().toUuidString();
            accountIds.add(id);
            if (!accounts.contains(id)) {
                failures.add("account " + id + " exists, but no 200 answer reported it created (first tried by "
                    + candidateAccounts.getOrDefault(id, "no request of this run") + ") (seed " + SEED + ")");
            }
        }
        Set<String> transferIds = new HashSet<>();
        for (Transfer transfer : ledger.transfers()) {
            String id = transfer.id().toUuidString();
            transferIds.add(id);
            if (!transfers.contains(id) && !isLegOfCreatedEntry(transfer)) {
                failures.add("transfer " + id + " exists, but no 200 answer reported it created (first tried by "
                    + candidateTransfers.getOrDefault(id, "no request of this run") + ") (seed " + SEED + ")");
            }
        }
        for (String id : accounts) {
            if (!accountIds.contains(id)) {
                failures.add("account " + id + " was reported created or existing but is not in the ledger (seed " + SEED + ")");
            }
        }
        for (String id : transfers) {
            if (!transferIds.contains(id)) {
                failures.add("transfer " + id + " was reported created or existing but is not in the ledger (seed " + SEED + ")");
            }
        }
        for (String id : entries) {
            if (!transferIds.contains(id)) {
                failures.add("entry " + id + " was reported created but its first leg is not in the ledger (seed " + SEED + ")");
            }
        }
        // Through the API too, for a sample of what refused requests tried to create.
        Set<String> legs = new HashSet<>();
        for (String entry : entries) {
            for (int leg = 1; leg <= 2; leg++) {
                legs.add(JournalEntries.legId(Uint128.fromUuid(entry), leg).toUuidString());
            }
        }
        int checked = 0;
        for (Map.Entry<String, String> candidate : candidateAccounts.entrySet()) {
            if (!accounts.contains(candidate.getKey()) && checked++ < 150) {
                int status = server.get("/v1/accounts/" + candidate.getKey(), ADMIN_KEY).status();
                if (status != 404) {
                    failures.add("account " + candidate.getKey() + " tried by " + candidate.getValue() + " answers "
                        + status + " (seed " + SEED + ")");
                }
            }
        }
        checked = 0;
        for (Map.Entry<String, String> candidate : candidateTransfers.entrySet()) {
            if (!transfers.contains(candidate.getKey()) && !entries.contains(candidate.getKey())
                && !legs.contains(candidate.getKey()) && checked++ < 150) {
                int status = server.get("/v1/transfers/" + candidate.getKey(), ADMIN_KEY).status();
                if (status != 404) {
                    failures.add("transfer " + candidate.getKey() + " tried by " + candidate.getValue() + " answers "
                        + status + " (seed " + SEED + ")");
                }
            }
        }
        checkBalancesBalance(ledger.accounts());
        TestServer.Response tenants = server.get("/v1/admin/tenants", ADMIN_KEY);
        assertThat(tenants.status()).isEqualTo(200);
        for (JsonNode tenant : tenants.json().path("tenants")) {
            String slug = tenant.path("slug").asText();
            if (!acceptedWords.contains(slug)) {
                failures.add("tenant '" + slug + "' is registered, but no accepted request named it (seed " + SEED + ")");
            }
        }
        counts.put("ledger-accounts", ledger.accounts().size());
        counts.put("ledger-transfers", ledger.transfers().size());
        counts.put("refused-account-ids", (int) candidateAccounts.keySet().stream().filter(id -> !accounts.contains(id)).count());
        counts.put("refused-transfer-ids", (int) candidateTransfers.keySet().stream().filter(id -> !transfers.contains(id)
            && !entries.contains(id) && !legs.contains(id)).count());
    }

    private boolean isLegOfCreatedEntry(Transfer transfer) {
        String entry = transfer.userData128().toUuidString();
        if (!entries.contains(entry)) {
            return false;
        }
        Uint128 entryId = transfer.userData128();
        for (int leg = 0; leg < 1024; leg++) {
            if (JournalEntries.legId(entryId, leg).equals(transfer.id())) {
                return true;
            }
        }
        return false;
    }

    /** Double entry: per ledger, the accounts' debits equal their credits, pending and posted. */
    private void checkBalancesBalance(List<Account> all) {
        Map<Integer, BigInteger[]> sums = new TreeMap<>();
        for (Account account : all) {
            BigInteger[] sum = sums.computeIfAbsent(account.ledger(), ledger -> new BigInteger[] {BigInteger.ZERO,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            sum[0] = sum[0].add(BigInteger.valueOf(account.debitsPosted()));
            sum[1] = sum[1].add(BigInteger.valueOf(account.creditsPosted()));
            sum[2] = sum[2].add(BigInteger.valueOf(account.debitsPending()));
            sum[3] = sum[3].add(BigInteger.valueOf(account.creditsPending()));
        }
        for (Map.Entry<Integer, BigInteger[]> ledger : sums.entrySet()) {
            BigInteger[] sum = ledger.getValue();
            if (!sum[0].equals(sum[1]) || !sum[2].equals(sum[3])) {
                failures.add("ledger " + ledger.getKey() + " does not balance: posted " + sum[0] + " / " + sum[1] + ", pending "
                    + sum[2] + " / " + sum[3] + " (seed " + SEED + ")");
            }
        }
    }

    private void checkHealthy() {
        TestServer.Response ready = server.get("/ready", null);
        if (ready.status() != 200 || !ready.text().contains("\"ready\"")) {
            failures.add("/ready after the run: " + ready.status() + " " + ready.text());
        }
        for (String key : new String[] {ADMIN_KEY, keys.get("writerA")}) {
            String debit = Bodies.id(77, in.nextLong() >>> 1);
            String credit = Bodies.id(77, in.nextLong() >>> 1);
            String transfer = Bodies.id(78, in.nextLong() >>> 1);
            TestServer.Response created = server.postJson("/v1/accounts", key, Bodies.accounts(Bodies.account(debit, 777, null),
                Bodies.account(credit, 777, null)));
            TestServer.Response moved = server.postJson("/v1/transfers", key, Bodies.transfers(Bodies.transfer(transfer, debit,
                credit, 12_345, 777)));
            if (created.status() != 200 || !created.text().contains("\"created\"") || created.text().contains("\"exists")
                || moved.status() != 200 || !moved.json().path("results").path(0).path("status").asText().equals("created")) {
                failures.add("valid creations after the run: " + created.status() + " " + created.text() + " / " + moved.status()
                    + " " + moved.text());
                continue;
            }
            accounts.add(debit);
            accounts.add(credit);
            transfers.add(transfer);
            JsonNode debited = server.get("/v1/accounts/" + debit, key).json();
            JsonNode credited = server.get("/v1/accounts/" + credit, key).json();
            if (!debited.path("debits_posted").asText().equals("12345") || !credited.path("credits_posted").asText().equals("12345")
                || !debited.path("credits_posted").asText().equals("0") || !credited.path("debits_posted").asText().equals("0")) {
                failures.add("balances after the run: " + debited + " / " + credited);
            }
        }
    }

    /** Every account's posted balances, and the transfers' ids (expiries may still change pending ones). */
    private Map<String, long[]> postedState() throws Exception {
        LedgerContents ledger = contents();
        Map<String, long[]> state = new TreeMap<>();
        for (Account account : ledger.accounts()) {
            state.put("a " + account.id().toUuidString(), new long[] {account.debitsPosted(), account.creditsPosted()});
        }
        for (Transfer transfer : ledger.transfers()) {
            state.put("t " + transfer.id().toUuidString(), new long[] {transfer.amount(), transfer.timestamp()});
        }
        return state;
    }

    private void checkJournalAndRestart(Map<String, String> settings, Map<String, long[]> before) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("FANZ_HTTP_PORT", "0", "FANZ_DATA_DIR", data.toString(),
            "FANZ_ADMIN_KEY", ADMIN_KEY, "FANZ_MAPPED_STORES", "false", "FANZ_READ_MODEL", "false"));
        environment.putAll(settings);
        ServerConfig config = ServerConfig.load(environment);
        try {
            JournalVerifier.Report report = JournalVerifier.verify(config.engine().journalDirectory(),
                config.engine().batchBytesMax());
            counts.put("journal-commands", (int) report.commands());
        } catch (RuntimeException e) {
            failures.add("the journal does not verify after the run: " + e);
        }
        server = TestServer.start(data, settings);
        try {
            TestServer.Response ready = server.get("/ready", null);
            if (ready.status() != 200) {
                failures.add("/ready after a restart: " + ready.status() + " " + ready.text());
            }
            Map<String, long[]> after = postedState();
            if (!after.keySet().equals(before.keySet())) {
                failures.add("a restart recovered other accounts or transfers: " + before.size() + " before, " + after.size()
                    + " after");
            }
            for (Map.Entry<String, long[]> object : before.entrySet()) {
                long[] recovered = after.get(object.getKey());
                if (recovered != null && !java.util.Arrays.equals(recovered, object.getValue())) {
                    failures.add("a restart recovered " + object.getKey() + " as " + java.util.Arrays.toString(recovered)
                        + ", was " + java.util.Arrays.toString(object.getValue()));
                }
            }
        } finally {
            server.close();
        }
    }

    /** With {@code -Dfuzz.dump=DIR}, writes a failing request's bytes (as sent, by hand) to DIR/request-N.http. */
    private void dump(Req req) {
        String directory = System.getProperty("fuzz.dump");
        if (directory == null || directory.isBlank()) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(Path.of(directory));
            java.nio.file.Files.write(Path.of(directory, "request-" + req.number + ".http"), req.raw != null ? req.raw
                : asRaw(req));
        } catch (IOException e) {
            failures.add("could not dump request #" + req.number + ": " + e);
        }
    }

    // ---- text helpers ----------------------------------------------------------------------------------------

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
    }

    /** Bytes as text a failure message can show: control and non-ASCII bytes escaped, long runs abbreviated. */
    private static String printable(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length && text.length() < max; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        if (text.length() >= max) {
            text.append("…(").append(bytes.length).append(" bytes)");
        }
        return redact(text.toString());
    }

    /** Keys are secrets: never in test output. */
    private static String redact(String text) {
        return text.replaceAll("fzk_[A-Za-z0-9_-]+", "fzk_…");
    }
}
