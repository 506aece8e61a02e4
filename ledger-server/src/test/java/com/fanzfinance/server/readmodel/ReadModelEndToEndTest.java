package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.cli.FanzCommand;

/**
 * The read model against a real PostgreSQL and a real server: a random workload (single-phase, pending,
 * partial posts, voids, expiries, two currencies, two tenants), then every report checked against
 * figures computed independently — by this test from the transfers it sent, and from the ledger's own
 * balances; the hledger export run through the real {@code hledger}; and a rebuild from the journal
 * compared row for row with what the live projector wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelEndToEndTest {
    private static final int[] CODES = {1100, 1200, 2100, 2300, 3000, 4100, 4200, 5100, 5200, 7777};
    private static final int[] LEDGERS = {840, 978};
    private static final String[] TENANTS = {"girlfanz", "pupfanz"};
    private static final int TRANSFERS = 3_000;

    private Path data;
    private String schema;
    private TestServer server;
    private final Random random = new Random(7);
    /** Account id → (ledger, code, tenant). */
    private final Map<String, int[]> accounts = new LinkedHashMap<>();
    /** Every posted movement: timestamp, debit account, credit account, amount. */
    private final List<Object[]> posted = new ArrayList<>();
    private long middle;

    @BeforeAll
    void startAndLoad(@TempDir Path directory) throws Exception {
        data = directory;
        schema = TestDatabase.freshSchema("rm_e2e");
        server = TestServer.start(data, TestDatabase.readModelSettings(schema));
        for (String tenant : TENANTS) {
            assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"" + tenant + "\"}").status())
                .isIn(200, 201);
        }
        List<String> bodies = new ArrayList<>();
        int n = 0;
        for (int ledger : LEDGERS) {
            for (int code : CODES) {
                for (int t = 0; t < TENANTS.length; t++) {
                    String id = new UUID(0xACC, ++n).toString();
                    accounts.put(id, new int[] {ledger, code, t});
                    bodies.add("{\"id\":\"" + id + "\",\"ledger\":" + ledger + ",\"code\":" + code + ",\"tenant\":\""
                        + TENANTS[t] + "\"}");
                }
            }
        }
        TestServer.Response created = server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[" + String.join(",", bodies) + "]}");
        assertThat(created.status()).isEqualTo(200);
        created.json().path("results").forEach(r -> assertThat(r.path("status").asText()).isEqualTo("created"));
        load(TRANSFERS / 2);
        middle = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(5);
        load(TRANSFERS / 2);
        // Let the short-timeout pending transfers expire (the engine ticks every 100 ms or so).
        Thread.sleep(2_500);
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    /** Sends {@code count} transfers in batches: 70% single-phase, the rest pending then posted, voided or left to expire. */
    private void load(int count) {
        List<String> ids = new ArrayList<>(accounts.keySet());
        int sent = 0;
        while (sent < count) {
            List<String> batch = new ArrayList<>();
            List<Object[]> meta = new ArrayList<>();
            List<Object[]> pendings = new ArrayList<>();
            for (int i = 0; i < 100 && sent < count; i++, sent++) {
                int ledger = LEDGERS[random.nextInt(LEDGERS.length)];
                String debit;
                String credit;
                do {
                    debit = ids.get(random.nextInt(ids.size()));
                    credit = ids.get(random.nextInt(ids.size()));
                } while (debit.equals(credit) || accounts.get(debit)[0] != ledger || accounts.get(credit)[0] != ledger);
                long amount = 1 + random.nextInt(100_000);
                String id = UUID.randomUUID().toString();
                boolean pending = random.nextInt(10) < 3;
                batch.add("{\"id\":\"" + id + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\"" + credit
                    + "\",\"amount\":" + amount + ",\"ledger\":" + ledger + ",\"code\":" + (1 + random.nextInt(9))
                    + (pending ? ",\"flags\":[\"pending\"],\"timeout\":" + (random.nextBoolean() ? 1 : 3600) : "") + "}");
                meta.add(pending ? null : new Object[] {debit, credit, amount});
                if (pending) {
                    pendings.add(new Object[] {id, debit, credit, amount});
                }
            }
            List<Long> timestamps = post(batch);
            for (int i = 0; i < meta.size(); i++) {
                if (meta.get(i) != null) {
                    posted.add(new Object[] {timestamps.get(i), meta.get(i)[0], meta.get(i)[1], meta.get(i)[2]});
                }
            }
            // Resolve some of the pending transfers at once: post (full or partial) or void; the rest wait.
            List<String> resolutions = new ArrayList<>();
            List<Object[]> resolutionMeta = new ArrayList<>();
            for (Object[] pending : pendings) {
                int choice = random.nextInt(3);
                if (choice == 2) {
                    continue;
                }
                long amount = (long) pending[3];
                long postAmount = random.nextBoolean() ? amount : 1 + random.nextInt((int) amount);
                resolutions.add("{\"id\":\"" + UUID.randomUUID() + "\",\"pending_id\":\"" + pending[0] + "\",\"amount\":"
                    + (choice == 0 ? postAmount : 0) + ",\"flags\":[\"" + (choice == 0 ? "post_pending_transfer"
                        : "void_pending_transfer") + "\"]}");
                resolutionMeta.add(choice == 0 ? new Object[] {pending[1], pending[2], postAmount} : null);
            }
            if (!resolutions.isEmpty()) {
                List<Long> resolved = post(resolutions);
                for (int i = 0; i < resolutionMeta.size(); i++) {
                    if (resolutionMeta.get(i) != null) {
                        posted.add(new Object[] {resolved.get(i), resolutionMeta.get(i)[0], resolutionMeta.get(i)[1],
                            resolutionMeta.get(i)[2]});
                    }
                }
            }
        }
    }

    private List<Long> post(List<String> batch) {
        TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY,
            "{\"transfers\":[" + String.join(",", batch) + "]}");
        assertThat(response.status()).isEqualTo(200);
        List<Long> timestamps = new ArrayList<>();
        for (JsonNode result : response.json().path("results")) {
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("created");
            timestamps.add(Long.parseLong(result.path("timestamp").asText()));
        }
        return timestamps;
    }

    /** Posted debits minus credits per account from the transfers this test sent, up to and including {@code at}. */
    private Map<String, Long> modelNet(long at) {
        Map<String, Long> net = new HashMap<>();
        for (Object[] p : posted) {
            if ((long) p[0] <= at) {
                net.merge((String) p[1], (long) p[3], Long::sum);
                net.merge((String) p[2], -(long) p[3], Long::sum);
            }
        }
        return net;
    }

    private static long minor(String decimal) {
        return new BigDecimal(decimal).movePointRight(2).longValueExact();
    }

    @Test
    @Order(1)
    void trialBalanceMatchesTheLedgersBalancesAndBalances() {
        TestServer.Response response = server.get("/v1/reports/trial-balance", ADMIN_KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Ledger-Position")).isNotNull();
        JsonNode report = response.json();
        assertThat(report.path("balanced").asBoolean()).isTrue();
        assertThat(report.path("position").path("lag_commands").asLong()).isZero();
        Map<String, Long> reported = new HashMap<>();
        for (JsonNode row : report.path("accounts")) {
            reported.put(row.path("id").asText(), minor(row.path("debit").asText()) - minor(row.path("credit").asText()));
        }
        Map<String, Long> fromLedger = new HashMap<>();
        for (String id : accounts.keySet()) {
            JsonNode account = server.get("/v1/accounts/" + id, ADMIN_KEY).json();
            long net = Long.parseLong(account.path("debits_posted").asText()) - Long.parseLong(account.path("credits_posted").asText());
            if (net != 0) {
                fromLedger.put(id, net);
            }
        }
        assertThat(reported).isEqualTo(fromLedger);
        Map<String, Long> model = new HashMap<>(modelNet(Long.MAX_VALUE));
        model.values().removeIf(v -> v == 0);
        assertThat(reported).isEqualTo(model);
        for (JsonNode total : report.path("totals")) {
            assertThat(total.path("debits").asText()).isEqualTo(total.path("credits").asText());
        }
    }

    @Test
    @Order(2)
    void incomeStatementOfEachHalfMatchesTheTransfersSent() {
        for (long[] period : new long[][] {{0, middle}, {middle, Long.MAX_VALUE}, {0, Long.MAX_VALUE}}) {
            JsonNode report = server.get("/v1/reports/income-statement?ledger=840&from=" + period[0] + "&to=" + period[1],
                ADMIN_KEY).json();
            long revenue = 0;
            long expenses = 0;
            Map<String, Long> before = modelNet(period[0] - 1);
            Map<String, Long> after = modelNet(period[1] - 1);
            for (Map.Entry<String, int[]> account : accounts.entrySet()) {
                int[] info = account.getValue();
                if (info[0] != 840) {
                    continue;
                }
                long change = after.getOrDefault(account.getKey(), 0L) - before.getOrDefault(account.getKey(), 0L);
                if (info[1] >= 4000 && info[1] < 5000) {
                    revenue -= change;
                } else if (info[1] >= 5000 && info[1] < 6000) {
                    expenses += change;
                }
            }
            JsonNode usd = report.path("currencies").get(0);
            assertThat(usd.path("currency").asText()).isEqualTo("USD");
            assertThat(minor(usd.path("total_revenue").asText())).isEqualTo(revenue);
            assertThat(minor(usd.path("total_expenses").asText())).isEqualTo(expenses);
            assertThat(minor(usd.path("net_income").asText())).isEqualTo(revenue - expenses);
        }
    }

    @Test
    @Order(3)
    void balanceSheetAtTheMiddleMatchesAndBalancesWithUnclassifiedAccountsShown() {
        JsonNode report = server.get("/v1/reports/balance-sheet?ledger=978&at=" + middle, ADMIN_KEY).json();
        Map<String, Long> net = modelNet(middle);
        long assets = 0;
        long liabilities = 0;
        long unclassified = 0;
        for (Map.Entry<String, int[]> account : accounts.entrySet()) {
            int[] info = account.getValue();
            long value = net.getOrDefault(account.getKey(), 0L);
            if (info[0] != 978) {
                continue;
            }
            if (info[1] < 2000) {
                assets += value;
            } else if (info[1] < 3000) {
                liabilities -= value;
            } else if (info[1] == 7777) {
                unclassified += value;
            }
        }
        JsonNode eur = report.path("currencies").get(0);
        assertThat(eur.path("currency").asText()).isEqualTo("EUR");
        assertThat(minor(eur.path("total_assets").asText())).isEqualTo(assets);
        assertThat(minor(eur.path("total_liabilities").asText())).isEqualTo(liabilities);
        assertThat(minor(eur.path("total_unclassified").asText())).isEqualTo(unclassified);
        // Code 7777 is outside the chart: the sheet lists it in its own section (on the debit side of the check).
        assertThat(unclassified).isNotZero();
        assertThat(eur.path("unclassified")).hasSize(1);
        assertThat(eur.path("balanced").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void statementRunsFromOpeningToClosingAndEndsAtTheLedgersBalance() throws IOException {
        String id = accounts.keySet().iterator().next();
        JsonNode statement = server.get("/v1/statements/" + id + "?from=" + middle, ADMIN_KEY).json();
        long opening = minor(statement.path("opening_balance").path("balance").asText());
        assertThat(opening).isEqualTo(modelNet(middle - 1).getOrDefault(id, 0L));
        long running = opening;
        for (JsonNode line : statement.path("postings")) {
            running += minor(line.path("debit").asText()) - minor(line.path("credit").asText());
            assertThat(minor(line.path("balance").asText())).isEqualTo(running);
        }
        JsonNode account = server.get("/v1/accounts/" + id, ADMIN_KEY).json();
        long ledgerNet = Long.parseLong(account.path("debits_posted").asText())
            - Long.parseLong(account.path("credits_posted").asText());
        assertThat(minor(statement.path("closing_balance").path("balance").asText())).isEqualTo(running).isEqualTo(ledgerNet);
        assertThat(minor(statement.path("closing_balance").path("debits_pending").asText()))
            .isEqualTo(Long.parseLong(account.path("debits_pending").asText()));
        String csv = server.get("/v1/statements/" + id + "?from=" + middle + "&format=csv", ADMIN_KEY).text();
        assertThat(csv.lines().count()).isEqualTo(statement.path("count").asLong() + 3);
    }

    @Test
    @Order(5)
    void tenantKeysSeeOnlyTheirTenant() {
        String key = server.createKey("finance-girlfanz", "[\"finance:read\",\"ledger:read\"]", "[\"girlfanz\"]");
        JsonNode report = server.get("/v1/reports/trial-balance", key).json();
        for (JsonNode row : report.path("accounts")) {
            assertThat(row.path("tenant").asText()).isEqualTo("girlfanz");
        }
        assertThat(server.get("/v1/reports/trial-balance?tenant=pupfanz", key).status()).isEqualTo(404);
        String other = accounts.entrySet().stream().filter(a -> a.getValue()[2] == 1).findFirst().orElseThrow().getKey();
        assertThat(server.get("/v1/statements/" + other, key).status()).isEqualTo(404);
        JsonNode listed = server.get("/v1/accounts?code=1100&limit=100", key).json();
        assertThat(listed.path("accounts")).hasSize(2);
        assertThat(server.get("/v1/reports/trial-balance", server.createKey("writer", "[\"ledger:write\"]", "[\"girlfanz\"]"))
            .status()).isEqualTo(403);
    }

    @Test
    @Order(6)
    void filteredListingsPageThroughEverything() {
        int seen = 0;
        String cursor = null;
        do {
            JsonNode page = server.get("/v1/transfers?ledger=840&limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                ADMIN_KEY).json();
            for (JsonNode transfer : page.path("transfers")) {
                assertThat(transfer.path("ledger").asInt()).isEqualTo(840);
                seen++;
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        String csv = server.get("/v1/exports/journal?ledger=840", ADMIN_KEY).text();
        assertThat(seen).isEqualTo(csv.lines().count() - 1).isPositive();
        assertThat(server.get("/v1/transfers?bogus=1", ADMIN_KEY).status()).isEqualTo(400);
        assertThat(server.get("/v1/reports/income-statement?from=2026-13-01", ADMIN_KEY).status()).isEqualTo(400);
        assertThat(server.get("/v1/statements/not-a-uuid", ADMIN_KEY).status()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void hledgerAcceptsTheExportAndItsBalancesAreTheTrialBalance() throws Exception {
        Path journal = data.resolve("export.journal");
        Files.writeString(journal, server.get("/v1/exports/journal?format=hledger", ADMIN_KEY).text());
        Hledger.run("-f", journal.toString(), "check", "-s");
        String balances = Hledger.run("-f", journal.toString(), "balance", "-N", "--flat", "-O", "csv");
        Map<String, Long> fromHledger = new HashMap<>();
        for (String line : balances.lines().skip(1).toList()) {
            String[] cells = line.replace("\"", "").split(",");
            String id = cells[0].substring(cells[0].lastIndexOf(':') + 1);
            fromHledger.put(id, minor(cells[1].split(" ")[0]));
        }
        fromHledger.values().removeIf(v -> v == 0);
        Map<String, Long> trial = new HashMap<>();
        for (JsonNode row : server.get("/v1/reports/trial-balance", ADMIN_KEY).json().path("accounts")) {
            trial.put(row.path("id").asText(), minor(row.path("debit").asText()) - minor(row.path("credit").asText()));
        }
        assertThat(fromHledger).isEqualTo(trial);
    }

    @Test
    @Order(8)
    void rebuildFromTheJournalIsIdenticalAndTheServerContinuesFromIt() throws Exception {
        closeAndReopenTwoAccounts();
        String live = dump();
        String liveIndexes = indexDefinitions();
        server.close();
        server = null;
        Path config = data.resolve("rebuild.conf");
        Files.writeString(config, "FANZ_DB_URL=" + TestDatabase.url() + "\nFANZ_DB_SCHEMA=" + schema + "\nFANZ_PAYMENTS_SCHEMA=" + schema + "_pay"
            + "\nFANZ_MAPPED_STORES=false\nFANZ_ACCOUNTS_MAX=100000\nFANZ_TRANSFERS_MAX=10000000\n");
        // While something holds the projectors' lock on the schema (a server projecting into it), a rebuild refuses.
        try (Connection projecting = TestDatabase.connect(schema); Statement statement = projecting.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(hashtext('fanz-projector:' || current_schema()))");
            assertThat(new CommandLine(new FanzCommand()).execute("read-model", "rebuild", "--no-progress",
                "--config", config.toString(), "--data", data.toString())).isNotZero();
            assertThat(dump()).isEqualTo(live);
        }
        int exit = new CommandLine(new FanzCommand()).execute("read-model", "rebuild", "--no-progress",
            "--config", config.toString(), "--data", data.toString());
        assertThat(exit).isZero();
        assertThat(dump()).isEqualTo(live);
        // The indexes the rebuild deferred are back, as the migrations made them, and none is left to build.
        String indexes = indexDefinitions();
        assertThat(indexes).contains("transfers_ledger_code", "transfers_user_data_128", "postings_pkey", "transfers_id",
            "transfers_pkey", "PRIMARY KEY (account_id, \"timestamp\", transfer_timestamp)");
        assertThat(liveIndexes).isEqualTo(indexes);
        // A rebuild interrupted after dropping them: the next open of the read model builds them first.
        try (Connection connection = TestDatabase.connect(schema)) {
            connection.setAutoCommit(false);
            DeferredIndexes.drop(connection);
            connection.commit();
        }
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM pg_indexes WHERE schemaname ="
                 + " current_schema() AND indexname IN ('transfers_ledger_code', 'transfers_user_data_128', 'postings_pkey',"
                 + " 'transfers_id')), (SELECT count(*) FROM deferred_indexes)")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).as("deferred indexes still there").isZero();
            assertThat(rows.getInt(2)).as("definitions kept").isEqualTo(4);
        }

        server = TestServer.start(data, TestDatabase.readModelSettings(schema));
        assertThat(indexDefinitions()).isEqualTo(indexes);
        String a = accounts.keySet().stream().filter(id -> accounts.get(id)[0] == 840).findFirst().orElseThrow();
        String b = accounts.keySet().stream().filter(id -> accounts.get(id)[0] == 840 && !id.equals(a)).findFirst().orElseThrow();
        List<Long> timestamps = post(List.of("{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + a
            + "\",\"credit_account_id\":\"" + b + "\",\"amount\":12345,\"ledger\":840,\"code\":1}"));
        posted.add(new Object[] {timestamps.get(0), a, b, 12345L});
        TestServer.Response report = server.get("/v1/reports/trial-balance?fresh=true", ADMIN_KEY);
        assertThat(report.status()).isEqualTo(200);
        Map<String, Long> reported = new HashMap<>();
        for (JsonNode row : report.json().path("accounts")) {
            reported.put(row.path("id").asText(), minor(row.path("debit").asText()) - minor(row.path("credit").asText()));
        }
        Map<String, Long> model = new HashMap<>(modelNet(Long.MAX_VALUE));
        model.values().removeIf(v -> v == 0);
        assertThat(reported).isEqualTo(model);
    }

    /**
     * Two new accounts closed by pending closing transfers: one reopened by a void (then debited again, which only an
     * open account allows), the other left closed (its closing transfer still pending) — the flag changes the
     * projection makes, live and in a rebuild.
     */
    private void closeAndReopenTwoAccounts() throws Exception {
        String x = new UUID(0xC105E, 1).toString();
        String y = new UUID(0xC105E, 2).toString();
        TestServer.Response created = server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + x
            + "\",\"ledger\":840,\"code\":1,\"tenant\":\"" + TENANTS[0] + "\"},{\"id\":\"" + y
            + "\",\"ledger\":840,\"code\":1,\"tenant\":\"" + TENANTS[0] + "\"}]}");
        assertThat(created.status()).isEqualTo(200);
        String closesDebit = UUID.randomUUID().toString();
        String closesCredit = UUID.randomUUID().toString();
        post(List.of("{\"id\":\"" + closesDebit + "\",\"debit_account_id\":\"" + x + "\",\"credit_account_id\":\"" + y
            + "\",\"amount\":10,\"ledger\":840,\"code\":1,\"flags\":[\"pending\",\"closing_debit\"]}"));
        post(List.of("{\"id\":\"" + UUID.randomUUID() + "\",\"pending_id\":\"" + closesDebit
            + "\",\"amount\":0,\"flags\":[\"void_pending_transfer\"]}"));
        List<Long> sent = post(List.of("{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + x
            + "\",\"credit_account_id\":\"" + y + "\",\"amount\":7,\"ledger\":840,\"code\":1}"));
        posted.add(new Object[] {sent.get(0), x, y, 7L});
        post(List.of("{\"id\":\"" + closesCredit + "\",\"debit_account_id\":\"" + x + "\",\"credit_account_id\":\"" + y
            + "\",\"amount\":5,\"ledger\":840,\"code\":1,\"flags\":[\"pending\",\"closing_credit\"]}"));
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, flags & " + com.fanzfinance.ledger.command.AccountFlags.CLOSED
                 + " <> 0 FROM accounts WHERE id IN ('" + x + "', '" + y + "') ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(2)).as("reopened by the void").isFalse();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(2)).as("closed by the pending transfer").isTrue();
        }
    }

    /** The read model's indexes and constraints as PostgreSQL describes them, and what is left to build. */
    private String indexDefinitions() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                    + " ORDER BY indexname", "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN"
                    + " pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() ORDER BY c.conname",
                "SELECT name, definition FROM deferred_indexes ORDER BY name")) {
                try (ResultSet rows = statement.executeQuery(query)) {
                    while (rows.next()) {
                        out.append(rows.getString(1)).append(": ").append(rows.getString(2)).append('\n');
                    }
                }
                out.append("--\n");
            }
        }
        return out.toString();
    }

    /** Every row of the read model in a fixed order (the position's bookkeeping columns aside). */
    private String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM accounts ORDER BY id", "SELECT * FROM transfers ORDER BY timestamp",
                "SELECT * FROM postings ORDER BY account_id, timestamp, transfer_timestamp",
                "SELECT projector, command_number, command_timestamp FROM projection_position")) {
                try (ResultSet rows = statement.executeQuery(query)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            out.append(rows.getString(c)).append('|');
                        }
                        out.append('\n');
                    }
                }
                out.append("--\n");
            }
        }
        assertThat(out.length()).isGreaterThan(TRANSFERS * 50);
        return out.toString();
    }

    /** The real hledger (Debian package; .ci/run installs it). */
    static final class Hledger {
        static String run(String... arguments) throws Exception {
            List<String> command = new ArrayList<>();
            command.add("hledger");
            command.addAll(List.of(arguments));
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("hledger is not installed (apt-get install hledger; .ci/run does this)", e);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("hledger %s:\n%s", String.join(" ", arguments), output).isZero();
            return output;
        }
    }
}
