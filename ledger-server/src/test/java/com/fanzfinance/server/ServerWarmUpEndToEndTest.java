package com.fanzfinance.server;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.config.ServerConfig;

/**
 * {@code FANZ_WARM_UP_TRANSFERS}: the server starts the JIT's warm-up beside its start, on a throwaway ledger (with
 * mapped stores, files under {@code <data>/warm-up} that are gone when it ends), logs its end, and its ledger holds
 * nothing of it; 0 turns it off; the setting is checked like any other.
 */
class ServerWarmUpEndToEndTest {
    @TempDir
    Path data;

    @Test
    void theWarmUpRunsBesideTheStartOnAThrowawayLedger() throws Exception {
        try (LogCapture log = LogCapture.start();
             TestServer server = TestServer.start(data, Map.of("FANZ_WARM_UP_TRANSFERS", "20000",
                 "FANZ_MAPPED_STORES", "true"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!log.text().contains("warm-up done")) {
                assertThat(System.nanoTime()).as("the warm-up's end is logged:\n%s", log.text()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(log.text()).contains("warm-up done: 24567 synthetic transfers applied to a throwaway ledger");
            assertThat(data.resolve("warm-up")).as("its files deleted").doesNotExist();
            // Its accounts are 1..1000 of its own ledger: not in this one.
            assertThat(server.get("/v1/accounts/" + new java.util.UUID(0, 1), ADMIN_KEY).status()).isEqualTo(404);
            assertThat(server.get("/v1/accounts/" + new java.util.UUID(0, 1000), ADMIN_KEY).status()).isEqualTo(404);
        }
    }

    @Test
    void aLedgerWithHeapStoresAndSmallLimitsWarmsUpUnderTheWarmUpsOwn() throws Exception {
        try (LogCapture log = LogCapture.start();
             TestServer server = TestServer.start(data, Map.of("FANZ_WARM_UP_TRANSFERS", "20000",
                 "FANZ_ACCOUNTS_MAX", "10", "FANZ_TRANSFERS_MAX", "1000"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!log.text().contains("warm-up done")) {
                assertThat(System.nanoTime()).as("the warm-up's end is logged:\n%s", log.text()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(log.text()).contains("warm-up done: 24567 synthetic transfers").doesNotContain("warm-up failed");
            assertThat(data.resolve("warm-up")).as("heap stores: no files").doesNotExist();
            assertThat(server.get("/ready", ADMIN_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void zeroTurnsItOffAndTheSettingIsChecked() throws Exception {
        try (LogCapture log = LogCapture.start(); TestServer server = TestServer.start(data)) {
            assertThat(server.get("/ready", ADMIN_KEY).status()).isEqualTo(200);
            Thread.sleep(300);
            assertThat(log.text()).doesNotContain("warm-up");
        }
        assertThat(load(Map.of()).warmUpTransfers()).isEqualTo(200_000);
        assertThat(load(Map.of("FANZ_WARM_UP_TRANSFERS", "0")).warmUpTransfers()).isZero();
        assertThatThrownBy(() -> load(Map.of("FANZ_WARM_UP_TRANSFERS", "-1"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("FANZ_WARM_UP_TRANSFERS must be in 0..10000000, was -1");
    }

    private ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", data.toString());
        return ServerConfig.load(environment);
    }
}
