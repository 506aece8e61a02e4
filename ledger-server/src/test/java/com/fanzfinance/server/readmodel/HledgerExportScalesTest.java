package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * Every hledger export passes the real {@code hledger check -s}: one ledger per currency scale 0…18 (codes
 * of letters and of letters and digits), JPY, a ledger the registry lacks (whole units), each with
 * amounts from 1 to near 2^63 − 1 minor units; the whole journal at once; and tenant-scoped exports that
 * hold a transfer across tenants, whose other side is the opaque {@code external:other-tenants}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HledgerExportScalesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST_SCALED_LEDGER = 100;
    private static final int JPY = 392;
    private static final int UNREGISTERED = 9999;
    private static final long[] AMOUNTS = {1, 10, 123_456_789, 1_000_000_000_000_000_000L, Long.MAX_VALUE / 4};
    private static final long CROSS_TENANT_AMOUNT = 7;

    private Path data;
    private String schema;
    private TestServer server;
    private String girlfanzKey;
    /** Ledger → {asset (girlfanz), revenue (girlfanz), liability (pupfanz)} account ids. */
    private final Map<Integer, String[]> accounts = new HashMap<>();

    @BeforeAll
    void startAndLoad(@TempDir Path directory) throws Exception {
        data = directory;
        schema = TestDatabase.freshSchema("rm_hledger");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_CHART_FILE", writeChart(directory.resolve("chart.json")).toString());
        server = TestServer.start(data, settings);
        for (String tenant : List.of("girlfanz", "pupfanz")) {
            assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"" + tenant + "\"}").status())
                .isIn(200, 201);
        }
        girlfanzKey = server.createKey("girlfanz-finance", "[\"finance:read\"]", "[\"girlfanz\"]");
        for (int ledger : ledgers()) {
            load(ledger);
        }
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    List<Integer> ledgers() {
        List<Integer> ledgers = new ArrayList<>();
        for (int scale = 0; scale <= 18; scale++) {
            ledgers.add(FIRST_SCALED_LEDGER + scale);
        }
        ledgers.add(JPY);
        ledgers.add(UNREGISTERED);
        return ledgers;
    }

    @ParameterizedTest(name = "ledger {0}")
    @MethodSource("ledgers")
    void theExportOfEveryLedgerPassesHledgerCheckStrict(int ledger) throws Exception {
        check("/v1/exports/journal?format=hledger&ledger=" + ledger, ADMIN_KEY, "ledger-" + ledger);
    }

    @ParameterizedTest(name = "ledger {0}")
    @MethodSource("ledgers")
    void aTenantsExportPassesWithTheOtherTenantAsAnOpaqueCounterAccount(int ledger) throws Exception {
        Path journal = check("/v1/exports/journal?format=hledger&ledger=" + ledger, girlfanzKey, "girlfanz-" + ledger);
        String text = Files.readString(journal);
        String[] ids = accounts.get(ledger);
        assertThat(text).contains(JournalExport.OTHER_TENANTS).doesNotContain(ids[2]).doesNotContain("pupfanz");
        String balance = ReadModelEndToEndTest.Hledger.run("-f", journal.toString(), "balance", "-N", "--flat", "-O",
            "csv", JournalExport.OTHER_TENANTS);
        assertThat(balance).contains(new BigDecimal(CROSS_TENANT_AMOUNT).movePointLeft(scaleOf(ledger)).negate()
            .toPlainString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"admin", "girlfanz"})
    void theWholeJournalPassesToo(String who) throws Exception {
        check("/v1/exports/journal?format=hledger", who.equals("admin") ? ADMIN_KEY : girlfanzKey, "all-" + who);
    }

    @Test
    void aTenantsCsvExportDoesNotNameTheOtherTenantsAccounts() {
        TestServer.Response response = server.get("/v1/exports/journal?format=csv", girlfanzKey);
        assertThat(response.status()).isEqualTo(200);
        for (String[] ids : accounts.values()) {
            assertThat(response.text()).contains(ids[0]).doesNotContain(ids[2]);
        }
        assertThat(response.text()).contains(JournalExport.OTHER_TENANTS).doesNotContain("pupfanz");
    }

    private Path check(String path, String key, String name) throws Exception {
        TestServer.Response response = server.get(path, key);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Path journal = data.resolve(name + ".journal");
        Files.writeString(journal, response.text());
        ReadModelEndToEndTest.Hledger.run("-f", journal.toString(), "check", "-s");
        return journal;
    }

    private static int scaleOf(int ledger) {
        return ledger >= FIRST_SCALED_LEDGER && ledger <= FIRST_SCALED_LEDGER + 18 ? ledger - FIRST_SCALED_LEDGER : 0;
    }

    /** The default chart's account ranges with currencies at every scale: codes S0…S18 and SCALEA…SCALES. */
    private static Path writeChart(Path file) throws Exception {
        ObjectNode chart;
        try (var in = ChartOfAccounts.class.getResourceAsStream(ChartOfAccounts.DEFAULT_RESOURCE)) {
            chart = (ObjectNode) JSON.readTree(in);
        }
        ArrayNode currencies = chart.putArray("currencies");
        for (int scale = 0; scale <= 18; scale++) {
            String code = scale % 2 == 0 ? "SCALE" + (char) ('A' + scale) : "S" + scale;
            currencies.addObject().put("ledger", FIRST_SCALED_LEDGER + scale).put("code", code).put("scale", scale);
        }
        currencies.addObject().put("ledger", JPY).put("code", "JPY").put("scale", 0);
        JSON.writeValue(file.toFile(), chart);
        return file;
    }

    /** Three accounts and one transfer per amount within girlfanz, and one transfer from girlfanz to pupfanz. */
    private void load(int ledger) {
        String[] ids = {new UUID(ledger, 1).toString(), new UUID(ledger, 2).toString(), new UUID(ledger, 3).toString()};
        accounts.put(ledger, ids);
        String created = server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":["
            + account(ids[0], ledger, 1100, "girlfanz") + "," + account(ids[1], ledger, 4100, "girlfanz") + ","
            + account(ids[2], ledger, 2100, "pupfanz") + "]}").text();
        assertThat(created).doesNotContain("exists").contains("created");
        List<String> transfers = new ArrayList<>();
        for (long amount : AMOUNTS) {
            transfers.add(transfer(ids[0], ids[1], amount, ledger));
        }
        transfers.add(transfer(ids[0], ids[2], CROSS_TENANT_AMOUNT, ledger));
        TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY,
            "{\"transfers\":[" + String.join(",", transfers) + "]}");
        assertThat(response.status()).isEqualTo(200);
        response.json().path("results").forEach(result -> assertThat(result.path("status").asText()).isEqualTo("created"));
    }

    private static String account(String id, int ledger, int code, String tenant) {
        return "{\"id\":\"" + id + "\",\"ledger\":" + ledger + ",\"code\":" + code + ",\"tenant\":\"" + tenant + "\"}";
    }

    private static String transfer(String debit, String credit, long amount, int ledger) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\""
            + credit + "\",\"amount\":" + amount + ",\"ledger\":" + ledger + ",\"code\":1}";
    }
}
