package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.engine.EngineHealth;
import com.fanzfinance.ledger.engine.LedgerBusyException;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * Filtered listings take ids from the read model but records, and the tenant they belong to, from the
 * ledger: a read model altered to put another tenant's accounts under this key's tenant shows this key
 * nothing of them, paging still reaches the end; and a ledger that is busy or has failed while a listing
 * looks its records up answers 503 problem+json ({@code ledger-busy}, {@code ledger-failed}), never 500.
 */
class ListingTenantRecheckTest {
    private static final String GIRLFANZ_ASSET = new UUID(0x7E, 1).toString();
    private static final String GIRLFANZ_PAYABLE = new UUID(0x7E, 2).toString();
    private static final String PUPFANZ_ASSET = new UUID(0x7E, 3).toString();
    private static final String PUPFANZ_PAYABLE = new UUID(0x7E, 4).toString();

    private String schema;
    private TestServer server;
    private String girlfanzKey;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void anotherTenantsRowsPutUnderThisTenantInTheReadModelAreNotListed(@TempDir Path data) throws Exception {
        start(data, Map.of());
        tamper("UPDATE accounts SET tenant = (SELECT tenant FROM accounts WHERE id = '" + GIRLFANZ_ASSET
            + "') WHERE id IN ('" + PUPFANZ_ASSET + "', '" + PUPFANZ_PAYABLE + "')");

        assertThat(ids(server.get("/v1/accounts?code=1100", girlfanzKey), "accounts")).containsExactly(GIRLFANZ_ASSET);
        assertThat(ids(server.get("/v1/transfers?ledger=840", girlfanzKey), "transfers")).hasSize(1);
        JsonNode transfer = server.get("/v1/transfers?ledger=840", girlfanzKey).json().path("transfers").get(0);
        assertThat(transfer.path("debit_account_id").asText()).isEqualTo(GIRLFANZ_ASSET);
        assertThat(pageThrough("/v1/accounts?limit=1", girlfanzKey, "accounts"))
            .containsExactly(GIRLFANZ_ASSET, GIRLFANZ_PAYABLE);
        assertThat(pageThrough("/v1/transfers?limit=1", girlfanzKey, "transfers")).hasSize(1);
        assertThat(ids(server.get("/v1/accounts?code=1100", ADMIN_KEY), "accounts"))
            .containsExactly(GIRLFANZ_ASSET, PUPFANZ_ASSET);
    }

    @Test
    void aBusyLedgerDuringAListingIs503LedgerBusy(@TempDir Path data) throws Exception {
        start(data, Map.of("FANZ_RING_SIZE", "16"));
        LedgerEngine engine = server.server().engine();
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        queued.add(engine.query(machine -> await(release)));
        try {
            fillTheRing(engine, queued);
            TestServer.Response response = server.get("/v1/accounts?code=1100", girlfanzKey);
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("type").asText()).endsWith("/ledger-busy");
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Object> query : queued) {
            query.get(30, TimeUnit.SECONDS);
        }
        assertThat(server.get("/v1/accounts?code=1100", girlfanzKey).status()).isEqualTo(200);
    }

    @Test
    void aFailedLedgerDuringAListingIs503LedgerFailed(@TempDir Path data) throws Exception {
        start(data, Map.of());
        Method fail = EngineHealth.class.getDeclaredMethod("fail", Throwable.class);
        fail.setAccessible(true);
        fail.invoke(server.server().engine().health(), new IllegalStateException("simulated: the journal disk failed"));

        for (String path : List.of("/v1/accounts?code=1100", "/v1/transfers?ledger=840")) {
            TestServer.Response response = server.get(path, girlfanzKey);
            assertThat(response.status()).as(path).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("type").asText()).endsWith("/ledger-failed");
        }
    }

    /** Two tenants, two accounts each, one transfer within each tenant. */
    private void start(Path data, Map<String, String> extra) throws InterruptedException {
        schema = TestDatabase.freshSchema("rm_recheck");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.putAll(extra);
        server = TestServer.start(data, settings);
        for (String tenant : List.of("girlfanz", "pupfanz")) {
            assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"" + tenant + "\"}").status())
                .isIn(200, 201);
        }
        girlfanzKey = server.createKey("girlfanz-reader", "[\"ledger:read\"]", "[\"girlfanz\"]");
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[" + account(GIRLFANZ_ASSET, 1100, "girlfanz")
            + "," + account(GIRLFANZ_PAYABLE, 2100, "girlfanz") + "," + account(PUPFANZ_ASSET, 1100, "pupfanz") + ","
            + account(PUPFANZ_PAYABLE, 2100, "pupfanz") + "]}").status()).isEqualTo(200);
        assertThat(server.postJson("/v1/transfers", ADMIN_KEY, "{\"transfers\":[" + transfer(GIRLFANZ_ASSET, GIRLFANZ_PAYABLE)
            + "," + transfer(PUPFANZ_ASSET, PUPFANZ_PAYABLE) + "]}").status()).isEqualTo(200);
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();
    }

    private static String account(String id, int code, String tenant) {
        return "{\"id\":\"" + id + "\",\"ledger\":840,\"code\":" + code + ",\"tenant\":\"" + tenant + "\"}";
    }

    private static String transfer(String debit, String credit) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\""
            + credit + "\",\"amount\":500,\"ledger\":840,\"code\":1}";
    }

    private void tamper(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(2);
        }
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(DISTINCT tenant) FROM accounts")) {
            rows.next();
            assertThat(rows.getInt(1)).as("every account now claims one tenant").isEqualTo(1);
        }
    }

    private static List<String> ids(TestServer.Response response, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().path(field).forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    /** Every id over all pages, following {@code next} until it is null. */
    private List<String> pageThrough(String path, String key, String field) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            TestServer.Response response = server.get(path + (cursor == null ? "" : "&cursor=" + cursor), key);
            ids.addAll(ids(response, field));
            JsonNode next = response.json().path("next");
            if (next.isNull() || next.isMissingNode()) {
                return ids;
            }
            cursor = next.asText();
        }
        throw new AssertionError("paging did not end");
    }

    /** Queues queries behind the blocked one until the ring has no free slot. */
    private static void fillTheRing(LedgerEngine engine, List<CompletableFuture<Object>> queued) {
        for (int i = 0; i < 1_000; i++) {
            try {
                queued.add(engine.query(machine -> null));
            } catch (LedgerBusyException full) {
                return;
            }
        }
        throw new AssertionError("the ring never filled");
    }

    private static Object await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
