package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every auth rule: no key, unknown or revoked key (401); missing scope (403); another tenant's accounts
 * for writes (403, nothing applied) and for reads (404, as if absent); admin across tenants.
 */
class AuthEndToEndTest {
    @TempDir
    static Path data;
    static TestServer server;
    static String girlWriter;
    static String girlReader;
    static String pupWriter;
    static String financeOnly;
    static final String GIRL_A = id(20, 1);
    static final String GIRL_B = id(20, 2);
    static final String PUP_A = id(21, 1);
    static final String GIRL_TRANSFER = id(20, 100);

    @BeforeAll
    static void start() {
        server = TestServer.start(data);
        girlWriter = server.createKey("girl-writer", "[\"ledger:write\",\"ledger:read\"]", "[\"girlfanz\"]");
        girlReader = server.createKey("girl-reader", "[\"ledger:read\"]", "[\"girlfanz\"]");
        pupWriter = server.createKey("pup-writer", "[\"ledger:write\",\"ledger:read\"]", "[\"pupfanz\"]");
        financeOnly = server.createKey("girl-finance", "[\"finance:read\"]", "[\"girlfanz\"]");
        assertThat(server.postJson("/v1/accounts", girlWriter, accounts(account(GIRL_A, 1, null), account(GIRL_B, 1,
            null))).json().toString()).doesNotContain("exists").contains("created");
        assertThat(server.postJson("/v1/accounts", pupWriter, accounts(account(PUP_A, 1, null))).status()).isEqualTo(200);
        assertThat(server.postJson("/v1/transfers", girlWriter, transfers(transfer(GIRL_TRANSFER, GIRL_A, GIRL_B, 5, 1)))
            .json().path("results").get(0).path("status").asText()).isEqualTo("created");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertProblem(TestServer.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("https://fanzfinance.dev/problems/" + type);
    }

    @Test
    void missingMalformedAndUnknownKeysAre401() {
        assertProblem(server.get("/v1/accounts/" + GIRL_A, null), 401, "unauthorized");
        assertThat(server.get("/v1/accounts/" + GIRL_A, null).header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(server.send(server.request("/v1/accounts/" + GIRL_A, null).header("Authorization", "Basic abc")
            .GET()), 401, "unauthorized");
        assertProblem(server.get("/v1/accounts/" + GIRL_A, "fzk_not_a_key"), 401, "unauthorized");
        assertProblem(server.postJson("/v1/transfers", "fzk_not_a_key", transfers(transfer(id(20, 200), GIRL_A, GIRL_B,
            1, 1))), 401, "unauthorized");
        assertThat(server.get("/v1/transfers/" + id(20, 200), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void revokedKeysAre401() {
        TestServer.Response created = server.postJson("/v1/admin/keys", ADMIN_KEY,
            "{\"name\":\"short-lived\",\"scopes\":[\"ledger:read\"],\"tenants\":[\"girlfanz\"]}");
        String secret = created.json().path("key").asText();
        assertThat(server.get("/v1/accounts/" + GIRL_A, secret).status()).isEqualTo(200);
        assertThat(server.delete("/v1/admin/keys/" + created.json().path("id").asText(), ADMIN_KEY).status()).isEqualTo(204);
        assertProblem(server.get("/v1/accounts/" + GIRL_A, secret), 401, "unauthorized");
    }

    @Test
    void keysWithoutTheScopeAre403() {
        assertProblem(server.postJson("/v1/transfers", girlReader, transfers(transfer(id(20, 201), GIRL_A, GIRL_B, 1, 1))),
            403, "forbidden");
        assertProblem(server.postJson("/v1/accounts", girlReader, accounts(account(id(20, 3), 1, null))), 403, "forbidden");
        assertProblem(server.postJson("/v1/entries", girlReader, "{\"entries\":[]}"), 403, "forbidden");
        assertProblem(server.get("/v1/accounts/" + GIRL_A, financeOnly), 403, "forbidden");
        assertProblem(server.get("/v1/admin/keys", girlWriter), 403, "forbidden");
        assertProblem(server.postJson("/v1/admin/keys", girlWriter,
            "{\"name\":\"escalate\",\"scopes\":[\"admin\"],\"tenants\":[]}"), 403, "forbidden");
        assertProblem(server.postJson("/v1/admin/snapshot", girlWriter, ""), 403, "forbidden");
        assertThat(server.get("/v1/transfers/" + id(20, 201), ADMIN_KEY).status()).isEqualTo(404);
        assertThat(server.get("/v1/accounts/" + id(20, 3), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void accountsCanOnlyBeCreatedInTheKeysTenants() {
        TestServer.Response response = server.postJson("/v1/accounts", girlWriter, accounts(account(id(20, 4), 1, null),
            account(id(20, 5), 1, "pupfanz")));
        assertProblem(response, 403, "forbidden");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/accounts/1/tenant");
        assertThat(server.get("/v1/accounts/" + id(20, 4), ADMIN_KEY).status()).isEqualTo(404);
        // A tenant that does not exist is no different.
        assertProblem(server.postJson("/v1/accounts", girlWriter, accounts(account(id(20, 6), 1, "nosuchbrand"))), 403,
            "forbidden");
    }

    @Test
    void moneyMovesOnlyBetweenTheKeysTenantsAndNothingIsAppliedOtherwise() {
        String ok = id(20, 300);
        String crossing = id(20, 301);
        TestServer.Response response = server.postJson("/v1/transfers", girlWriter, transfers(
            transfer(ok, GIRL_A, GIRL_B, 1, 1), transfer(crossing, GIRL_A, PUP_A, 1, 1)));
        assertProblem(response, 403, "forbidden");
        assertThat(response.json().path("pointer").asText()).isEqualTo("/transfers/1");
        assertThat(server.get("/v1/transfers/" + ok, ADMIN_KEY).status()).isEqualTo(404);
        assertThat(server.get("/v1/transfers/" + crossing, ADMIN_KEY).status()).isEqualTo(404);

        // The same through journal entries and through the binary transport.
        TestServer.Response entry = server.postJson("/v1/entries", pupWriter, "{\"entries\":[{\"id\":\"" + id(21, 300)
            + "\",\"ledger\":1,\"code\":1,\"postings\":[{\"account_id\":\"" + PUP_A + "\",\"debit\":1},{\"account_id\":\""
            + GIRL_A + "\",\"credit\":1}]}]}");
        assertProblem(entry, 403, "forbidden");
        assertThat(entry.json().path("pointer").asText()).isEqualTo("/entries/0");

        // Posting another tenant's pending transfer is moving its money too.
        String pending = id(20, 302);
        server.postJson("/v1/transfers", girlWriter, transfers(transfer(pending, GIRL_A, GIRL_B, 3, 1, "pending")));
        assertProblem(server.postJson("/v1/transfers", pupWriter, "{\"transfers\":[{\"id\":\"" + id(21, 301)
            + "\",\"pending_id\":\"" + pending + "\",\"flags\":[\"void_pending_transfer\"]}]}"), 403, "forbidden");
        assertThat(server.get("/v1/transfers/" + pending, ADMIN_KEY).json().path("pending_status").asText())
            .isEqualTo("pending");

        // Admin keys may move money across tenants.
        TestServer.Response admin = server.postJson("/v1/transfers", ADMIN_KEY, transfers(transfer(id(20, 303), GIRL_A,
            PUP_A, 1, 1)));
        assertThat(admin.json().path("results").get(0).path("status").asText()).isEqualTo("created");
    }

    @Test
    void readsOfAnotherTenantsObjectsLookLikeTheyDoNotExist() {
        TestServer.Response account = server.get("/v1/accounts/" + GIRL_A, pupWriter);
        TestServer.Response missing = server.get("/v1/accounts/" + id(20, 999), pupWriter);
        assertProblem(account, 404, "not-found");
        assertThat(account.json().path("detail").asText()).isEqualTo("no account " + GIRL_A);
        assertThat(missing.json().path("title").asText()).isEqualTo(account.json().path("title").asText());
        assertProblem(server.get("/v1/transfers/" + GIRL_TRANSFER, pupWriter), 404, "not-found");
        assertProblem(server.get("/v1/accounts/" + GIRL_A + "/transfers", pupWriter), 404, "not-found");
        assertProblem(server.get("/v1/accounts/" + GIRL_A + "/balances", pupWriter), 404, "not-found");
        JsonNode own = server.get("/v1/transfers/" + GIRL_TRANSFER, girlReader).json();
        assertThat(own.path("amount").asText()).isEqualTo("5");
        assertThat(server.get("/v1/accounts/" + GIRL_A, girlReader).json().path("tenant").asText()).isEqualTo("girlfanz");
    }

    @Test
    void theLastAdminKeyCannotBeRevoked() {
        String adminId = null;
        for (JsonNode key : server.get("/v1/admin/keys", ADMIN_KEY).json().path("keys")) {
            if (key.path("scopes").toString().contains("admin") && key.path("revoked").isNull()) {
                adminId = key.path("id").asText();
            }
        }
        assertProblem(server.delete("/v1/admin/keys/" + adminId, ADMIN_KEY), 409, "last-admin-key");
        assertThat(server.get("/v1/admin/keys", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void keysAreStoredHashedAndNeverLogged() throws Exception {
        String keys = Files.readString(data.resolve("keys.json"));
        assertThat(keys).doesNotContain(girlWriter).doesNotContain(ADMIN_KEY).contains("\"hash\"");
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertThat(Files.getPosixFilePermissions(data.resolve("keys.json"))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }
}
