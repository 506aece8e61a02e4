package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.cli.FanzCommand;

/**
 * What finance reports and the rebuild tell a person: a report asked for without {@code at} states the
 * time it reflects (the read model's last command), never the 2^63 − 1 it uses for "unbounded", and a
 * period without {@code to} states no end; {@code fanz read-model rebuild} reports the commands, accounts
 * and transfers it projected and how long projecting took, not an "outcomes per second" rate over a time
 * mostly spent starting the database.
 */
class ReportOutputTest {
    private static final String UNBOUNDED = Long.toString(Long.MAX_VALUE);
    private static final int TRANSFERS = 25;

    private String schema;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void reportsStateTheTimeTheyReflectAndTheRebuildWhatItProjected(@TempDir Path data) throws Exception {
        schema = TestDatabase.freshSchema("rm_output");
        server = TestServer.start(data, TestDatabase.readModelSettings(schema));
        load();
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();

        JsonNode trialBalance = report("/v1/reports/trial-balance");
        assertThat(trialBalance.path("at").asText()).isEqualTo(trialBalance.path("position").path("timestamp").asText())
            .isNotEqualTo(UNBOUNDED).isNotEqualTo("0");
        JsonNode balanceSheet = report("/v1/reports/balance-sheet");
        assertThat(balanceSheet.path("at").asText()).isEqualTo(balanceSheet.path("position").path("timestamp").asText());
        assertThat(report("/v1/reports/balance-sheet?at=1000").path("at").asText()).isEqualTo("1000");
        JsonNode incomeStatement = report("/v1/reports/income-statement");
        assertThat(incomeStatement.has("to")).isFalse();
        assertThat(report("/v1/reports/income-statement?to=2000").path("to").asText()).isEqualTo("2000");
        assertThat(server.get("/v1/exports/journal?format=hledger", ADMIN_KEY).text()).doesNotContain(UNBOUNDED);
        server.close();
        server = null;

        String output = rebuild(data);
        assertThat(output).doesNotContain("outcomes");
        assertThat(output).containsPattern("up to command \\d+");
        assertThat(output).contains("accounts:   2\n").contains("transfers:  " + TRANSFERS + "\n")
            .containsPattern("commands:   \\d+\n").containsPattern("took:       \\d+\\.\\d s projecting");
    }

    private JsonNode report(String path) {
        TestServer.Response response = server.get(path, ADMIN_KEY);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.text()).doesNotContain(UNBOUNDED);
        return response.json();
    }

    private void load() {
        String debit = new UUID(0x0F, 1).toString();
        String credit = new UUID(0x0F, 2).toString();
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + debit
            + "\",\"ledger\":840,\"code\":1100},{\"id\":\"" + credit + "\",\"ledger\":840,\"code\":4100}]}").status())
            .isEqualTo(200);
        List<String> transfers = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            transfers.add("{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + debit
                + "\",\"credit_account_id\":\"" + credit + "\",\"amount\":" + (i + 1) + ",\"ledger\":840,\"code\":1}");
        }
        assertThat(server.postJson("/v1/transfers", ADMIN_KEY, "{\"transfers\":[" + String.join(",", transfers) + "]}")
            .status()).isEqualTo(200);
    }

    /** Runs {@code fanz read-model rebuild} and returns what it printed. */
    private String rebuild(Path data) throws Exception {
        Path config = data.resolve("rebuild.conf");
        Files.writeString(config, "FANZ_DB_URL=" + TestDatabase.url() + "\nFANZ_DB_SCHEMA=" + schema + "\nFANZ_PAYMENTS_SCHEMA=" + schema + "_pay"
            + "\nFANZ_MAPPED_STORES=false\nFANZ_ACCOUNTS_MAX=100000\nFANZ_TRANSFERS_MAX=10000000\n");
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new FanzCommand()).execute("read-model", "rebuild", "--no-progress", "--config",
                config.toString(), "--data", data.toString())).isZero();
        } finally {
            System.setOut(original);
            Files.deleteIfExists(config);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
