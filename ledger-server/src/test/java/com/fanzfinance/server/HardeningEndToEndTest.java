package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import com.fanzfinance.server.testing.ChildJvm;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.testing.EmbeddedLedgerChild;

/**
 * The review's findings about what had landed, over real HTTP against a real server: replay that depends
 * on settings, a second writer on the data directory, ids shared across tenants, tenant numbers kept
 * outside the journal, and tenant quotas.
 */
class HardeningEndToEndTest {
    @TempDir
    Path data;

    private static String status(TestServer.Response response, int event) {
        return response.json().path("results").get(event).path("status").asText();
    }

    private static void assertProblem(TestServer.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/" + type);
    }

    @Test
    void anAccountRefusedAsFullStaysAbsentAfterARestartWithAHigherLimit() {
        try (TestServer server = TestServer.start(data, Map.of("FANZ_ACCOUNTS_MAX", "2"))) {
            assertThat(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(1, 1), 1, null),
                account(id(1, 2), 1, null))).status()).isEqualTo(200);
            assertProblem(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(1, 3), 1, null))), 507,
                "ledger-full");
        }
        try (TestServer server = TestServer.start(data, Map.of("FANZ_ACCOUNTS_MAX", "10"))) {
            assertThat(server.get("/v1/accounts/" + id(1, 3), ADMIN_KEY).status())
                .as("the client was told nothing happened; replay must agree").isEqualTo(404);
            assertThat(server.get("/v1/accounts/" + id(1, 2), ADMIN_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void aLimitBelowWhatTheLedgerHoldsStopsTheServerFromStartingAndLosesNothing() {
        try (TestServer server = TestServer.start(data, Map.of("FANZ_ACCOUNTS_MAX", "10"))) {
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(1, 1), 1, null), account(id(1, 2), 1, null),
                account(id(1, 3), 1, null)));
        }
        assertThatThrownBy(() -> TestServer.start(data, Map.of("FANZ_ACCOUNTS_MAX", "2")))
            .hasMessageContaining("FANZ_ACCOUNTS_MAX is 2, below the 3");
        try (TestServer server = TestServer.start(data, Map.of("FANZ_ACCOUNTS_MAX", "3"))) {
            assertThat(server.get("/v1/accounts/" + id(1, 3), ADMIN_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void anEmbeddedLedgerInAnotherProcessCannotOpenARunningServersDataDirectory() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            Process child = embeddedLedger(data);
            String errors = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(errors).isEqualTo(1);
            assertThat(errors).contains("HeldException").contains("in use by another process");
            assertThat(server.get("/v1/accounts/" + "00000000-0000-0000-0000-0000000bde31", ADMIN_KEY).status())
                .isEqualTo(404);
        }
        Process child = embeddedLedger(data);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("opened");
    }

    @Test
    void aTenantCannotWriteOverOrLearnAboutAnotherTenantsIds() {
        try (TestServer server = TestServer.start(data)) {
            String girl = server.createKey("girl", "[\"ledger:write\",\"ledger:read\"]", "[\"girlfanz\"]");
            String pup = server.createKey("pup", "[\"ledger:write\",\"ledger:read\"]", "[\"pupfanz\"]");
            String pupAccount = id(2, 1);
            String pupOther = id(2, 2);
            server.postJson("/v1/accounts", pup, accounts(account(pupAccount, 1, null), account(pupOther, 1, null)));
            server.postJson("/v1/transfers", pup, transfers(transfer(id(2, 100), pupAccount, pupOther, 5, 1)));
            server.postJson("/v1/accounts", girl, accounts(account(id(3, 1), 1, null), account(id(3, 2), 1, null)));

            TestServer.Response account = server.postJson("/v1/accounts", girl, accounts(account(id(3, 3), 2, null),
                account(pupAccount, 7, null)));
            assertProblem(account, 403, "forbidden");
            assertThat(account.json().path("pointer").asText()).isEqualTo("/accounts/1");
            assertThat(account.text()).doesNotContain("exists").doesNotContain("timestamp");
            assertThat(server.get("/v1/accounts/" + id(3, 3), girl).status()).as("nothing applied").isEqualTo(404);

            TestServer.Response transfer = server.postJson("/v1/transfers", girl, transfers(
                transfer(id(2, 100), id(3, 1), id(3, 2), 9, 1)));
            assertProblem(transfer, 403, "forbidden");
            assertThat(transfer.text()).doesNotContain("exists_with_different");
        }
    }

    @Test
    void aTenantsFailedTransferDoesNotUseUpTheIdForAnotherTenant() {
        try (TestServer server = TestServer.start(data)) {
            String girl = server.createKey("girl", "[\"ledger:write\"]", "[\"girlfanz\"]");
            String pup = server.createKey("pup", "[\"ledger:write\"]", "[\"pupfanz\"]");
            server.postJson("/v1/accounts", girl, accounts(account(id(3, 1), 1, null)));
            server.postJson("/v1/accounts", pup, accounts(account(id(2, 1), 1, null), account(id(2, 2), 1, null)));
            String contested = id(9, 1);

            assertThat(status(server.postJson("/v1/transfers", girl, transfers(transfer(contested, id(3, 1), id(3, 99), 5,
                1))), 0)).isEqualTo("credit_account_not_found");
            assertThat(status(server.postJson("/v1/transfers", girl, transfers(transfer(contested, id(3, 1), id(3, 99), 5,
                1))), 0)).isEqualTo("id_already_failed");
            assertThat(status(server.postJson("/v1/transfers", pup, transfers(transfer(contested, id(2, 1), id(2, 2), 5,
                1))), 0)).isEqualTo("created");
        }
    }

    @Test
    void tenantNumbersLiveInTheJournalAndAreNeverReused() throws IOException {
        try (TestServer server = TestServer.start(data)) {
            server.createKey("girl", "[\"ledger:write\"]", "[\"girlfanz\"]");
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(3, 1), 1, "girlfanz")));
        }
        try (var files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString())).doesNotContain("tenants.json");
        }
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.get("/v1/accounts/" + id(3, 1), ADMIN_KEY).json().path("tenant").asText())
                .isEqualTo("girlfanz");
            JsonNode boy = server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"boyfanz\"}").json();
            assertThat(boy.path("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aLegacyTenantsFileIsImportedUnderItsNumbers() throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("tenants.json"),
            "{\"tenants\":[{\"id\":1,\"slug\":\"girlfanz\"},{\"id\":5,\"slug\":\"pupfanz\"}]}");
        try (TestServer server = TestServer.start(data)) {
            JsonNode tenants = server.get("/v1/admin/tenants", ADMIN_KEY).json().path("tenants");
            assertThat(tenants.toString()).contains("\"slug\":\"girlfanz\",\"id\":1").contains("\"slug\":\"pupfanz\",\"id\":5");
            assertThat(server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"boyfanz\"}").json().path("id").asInt())
                .isEqualTo(6);
        }
        assertThat(data.resolve("tenants.json")).doesNotExist();
        assertThat(data.resolve("tenants.json.imported")).exists();
    }

    @Test
    void aTenantsQuotaRefusesItsCommandsUntilAnAdminRaisesIt() {
        try (TestServer server = TestServer.start(data, Map.of("FANZ_TENANT_ACCOUNTS_MAX", "2"))) {
            String girl = server.createKey("girl", "[\"ledger:write\"]", "[\"girlfanz\"]");
            assertThat(server.postJson("/v1/accounts", girl, accounts(account(id(3, 1), 1, null), account(id(3, 2), 1,
                null))).status()).isEqualTo(200);
            TestServer.Response refused = server.postJson("/v1/accounts", girl, accounts(account(id(3, 3), 1, null)));
            assertProblem(refused, 403, "tenant-quota-exceeded");

            JsonNode raised = server.postJson("/v1/admin/tenants", ADMIN_KEY,
                "{\"slug\":\"girlfanz\",\"accounts_max\":3}").json();
            assertThat(raised.path("accounts_max").asLong()).isEqualTo(3);
            assertThat(raised.path("usage").path("accounts").asLong()).isEqualTo(2);
            assertThat(status(server.postJson("/v1/accounts", girl, accounts(account(id(3, 3), 1, null))), 0))
                .isEqualTo("created");
        }
    }

    private static Process embeddedLedger(Path data) throws IOException {
        List<String> command = ChildJvm.command();
        command.add(EmbeddedLedgerChild.class.getName());
        command.add(data.toString());
        return new ProcessBuilder(command).start();
    }
}
