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
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ledger endpoint over real HTTP, with an admin key: the shapes and semantics of LEDGER-API.md. */
class LedgerApiEndToEndTest {
    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(data);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode post(String path, String body) {
        TestServer.Response response = server.postJson(path, ADMIN_KEY, body);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        return response.json();
    }

    private static JsonNode get(String path) {
        TestServer.Response response = server.get(path, ADMIN_KEY);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> statuses(JsonNode results) {
        List<String> statuses = new ArrayList<>();
        results.path("results").forEach(result -> statuses.add(result.path("status").asText()));
        return statuses;
    }

    @Test
    void healthReadinessMetricsAndOpenApiAnswerWithoutAKey() {
        assertThat(server.get("/health", null).json().path("status").asText()).isEqualTo("up");
        TestServer.Response ready = server.get("/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        TestServer.Response openApi = server.get("/openapi.json", null);
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().path("openapi").asText()).startsWith("3.1");
        post("/v1/accounts", accounts(account(id(9, 1), 1, "metrics")));
        TestServer.Response metrics = server.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text())
            .contains("fanz_http_requests_seconds_count{method=\"POST\",route=\"/v1/accounts\",status=\"200\"}")
            .contains("fanz_ledger_ring_depth")
            .contains("fanz_journal_sync_seconds_count")
            .contains("fanz_ledger_batch_events_count")
            .contains("fanz_ledger_accounts_total{status=\"created\"}")
            .contains("fanz_ledger_prefault_pages_total")
            .contains("fanz_ledger_store_release_failures_total 0.0")
            .contains("fanz_ledger_prefault_enabled " + (com.fanzfinance.ledger.state.Prefaulter.shared().enabled() ? "1.0" : "0.0"));
    }

    @Test
    void createsAndReadsAccountsWithTenantAndMetadata() {
        String a = id(1, 1);
        JsonNode created = post("/v1/accounts", "{\"accounts\":[{\"id\":\"" + a + "\",\"ledger\":840,\"code\":7,"
            + "\"flags\":[\"history\",\"debits_must_not_exceed_credits\"],\"user_data_128\":\"" + id(1, 99) + "\","
            + "\"user_data_64\":\"18446744073709551615\",\"user_data_32\":4294967295,\"tenant\":\"girlfanz\","
            + "\"metadata\":{\"creator\":\"alice\",\"tags\":[1,2]}}]}");
        JsonNode result = created.path("results").get(0);
        assertThat(result.path("index").asInt()).isZero();
        assertThat(result.path("id").asText()).isEqualTo(a);
        assertThat(result.path("status").asText()).isEqualTo("created");
        long timestamp = Long.parseLong(result.path("timestamp").asText());
        assertThat(timestamp).isPositive();

        JsonNode account = get("/v1/accounts/" + a);
        assertThat(account.path("id").asText()).isEqualTo(a);
        assertThat(account.path("ledger").asInt()).isEqualTo(840);
        assertThat(account.path("code").asInt()).isEqualTo(7);
        assertThat(account.path("flags")).extracting(JsonNode::asText)
            .containsExactlyInAnyOrder("history", "debits_must_not_exceed_credits");
        assertThat(account.path("user_data_128").asText()).isEqualTo(id(1, 99));
        assertThat(account.path("user_data_64").asText()).isEqualTo("18446744073709551615");
        assertThat(account.path("user_data_32").asLong()).isEqualTo(4294967295L);
        assertThat(account.path("debits_posted").asText()).isEqualTo("0");
        assertThat(account.path("timestamp").asText()).isEqualTo(Long.toString(timestamp));
        assertThat(account.path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(account.path("metadata").path("creator").asText()).isEqualTo("alice");
        assertThat(account.path("metadata").path("tags").size()).isEqualTo(2);

        // Resubmitting is idempotent; a difference is reported with its status.
        assertThat(statuses(post("/v1/accounts", accounts(account(a, 840, "girlfanz")))))
            .containsExactly("exists_with_different_flags");
        assertThat(server.get("/v1/accounts/" + id(1, 2), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void accountStatusesFollowTheStateMachine() {
        JsonNode results = post("/v1/accounts", accounts(
            account(id(2, 1), 1, "t2", "linked"),
            account(id(2, 2), 0, "t2"),
            account("00000000-0000-0000-0000-000000000000", 1, "t2"),
            account(id(2, 3), 1, "t2", "debits_must_not_exceed_credits", "credits_must_not_exceed_debits")));
        assertThat(statuses(results)).containsExactly("linked_event_failed", "ledger_must_not_be_zero",
            "id_must_not_be_zero", "flags_are_mutually_exclusive");
        assertThat(server.get("/v1/accounts/" + id(2, 1), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void singlePhaseTransfersMoveMoneyAndAreReadBack() {
        String debit = id(3, 1);
        String credit = id(3, 2);
        post("/v1/accounts", accounts(account(debit, 1, "t3"), account(credit, 1, "t3",
            "credits_must_not_exceed_debits")));
        String t = id(3, 100);
        JsonNode created = post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + t + "\",\"debit_account_id\":\"" + debit
            + "\",\"credit_account_id\":\"" + credit + "\",\"amount\":2500,\"ledger\":1,\"code\":9,\"user_data_64\":\"42\","
            + "\"metadata\":{\"order\":\"o-1\"}}]}");
        assertThat(statuses(created)).containsExactly("exceeds_debits");
        // credits_must_not_exceed_debits on the credit account: give it debits first.
        post("/v1/transfers", transfers(transfer(id(3, 101), credit, debit, 10_000, 1)));
        JsonNode second = post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + id(3, 102) + "\",\"debit_account_id\":\""
            + debit + "\",\"credit_account_id\":\"" + credit + "\",\"amount\":\"2500\",\"ledger\":1,\"code\":9,"
            + "\"metadata\":{\"order\":\"o-2\"}}]}");
        assertThat(statuses(second)).containsExactly("created");
        assertThat(statuses(post("/v1/transfers", transfers(transfer(t, debit, credit, 2500, 1)))))
            .containsExactly("id_already_failed");

        JsonNode transfer = get("/v1/transfers/" + id(3, 102));
        assertThat(transfer.path("amount").asText()).isEqualTo("2500");
        assertThat(transfer.path("debit_account_id").asText()).isEqualTo(debit);
        assertThat(transfer.path("code").asInt()).isEqualTo(9);
        assertThat(transfer.path("flags").size()).isZero();
        assertThat(transfer.has("pending_status")).isFalse();
        assertThat(transfer.path("metadata").path("order").asText()).isEqualTo("o-2");

        JsonNode creditAccount = get("/v1/accounts/" + credit);
        assertThat(creditAccount.path("debits_posted").asText()).isEqualTo("10000");
        assertThat(creditAccount.path("credits_posted").asText()).isEqualTo("2500");
        assertThat(server.get("/v1/transfers/" + t, ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void twoPhaseTransfersPostPartiallyAndReportPendingStatus() {
        String debit = id(4, 1);
        String credit = id(4, 2);
        post("/v1/accounts", accounts(account(debit, 1, "t4"), account(credit, 1, "t4")));
        String pending = id(4, 10);
        String voided = id(4, 11);
        post("/v1/transfers", transfers(transfer(pending, debit, credit, 1000, 1, "pending"),
            transfer(voided, debit, credit, 300, 1, "pending")));
        assertThat(get("/v1/accounts/" + debit).path("debits_pending").asText()).isEqualTo("1300");

        JsonNode post = post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + id(4, 20) + "\",\"pending_id\":\"" + pending
            + "\",\"amount\":\"600\",\"flags\":[\"post_pending_transfer\"]},{\"id\":\"" + id(4, 21) + "\",\"pending_id\":\""
            + voided + "\",\"flags\":[\"void_pending_transfer\"]}]}");
        assertThat(statuses(post)).containsExactly("created", "created");
        assertThat(get("/v1/transfers/" + pending).path("pending_status").asText()).isEqualTo("posted");
        assertThat(get("/v1/transfers/" + voided).path("pending_status").asText()).isEqualTo("voided");
        JsonNode posted = get("/v1/transfers/" + id(4, 20));
        assertThat(posted.path("amount").asText()).isEqualTo("600");
        assertThat(posted.path("ledger").asInt()).isEqualTo(1);
        JsonNode account = get("/v1/accounts/" + debit);
        assertThat(account.path("debits_pending").asText()).isEqualTo("0");
        assertThat(account.path("debits_posted").asText()).isEqualTo("600");

        JsonNode again = post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + id(4, 22) + "\",\"pending_id\":\"" + pending
            + "\",\"flags\":[\"post_pending_transfer\"]}]}");
        assertThat(statuses(again)).containsExactly("pending_transfer_already_posted");
    }

    @Test
    void journalEntriesBalanceAtomicallyAndNameTheFailedPosting() {
        String cash = id(5, 1);
        String revenue = id(5, 2);
        String fees = id(5, 3);
        String limited = id(5, 4);
        post("/v1/accounts", accounts(account(cash, 1, "t5"), account(revenue, 1, "t5"), account(fees, 1, "t5"),
            account(limited, 1, "t5", "debits_must_not_exceed_credits")));
        String entry = id(5, 100);
        JsonNode results = post("/v1/entries", "{\"entries\":[{\"id\":\"" + entry + "\",\"ledger\":1,\"code\":3,"
            + "\"postings\":[{\"account_id\":\"" + cash + "\",\"debit\":1000},{\"account_id\":\"" + revenue
            + "\",\"credit\":800},{\"account_id\":\"" + fees + "\",\"credit\":\"200\"}],\"metadata\":{\"sale\":7}},"
            + "{\"id\":\"" + id(5, 101) + "\",\"ledger\":1,\"code\":3,\"postings\":[{\"account_id\":\"" + limited
            + "\",\"debit\":5},{\"account_id\":\"" + cash + "\",\"credit\":5}]}]}");
        JsonNode first = results.path("results").get(0);
        assertThat(first.path("status").asText()).isEqualTo("created");
        assertThat(first.path("id").asText()).isEqualTo(entry);
        assertThat(first.has("failed_posting")).isFalse();
        JsonNode second = results.path("results").get(1);
        assertThat(second.path("status").asText()).isEqualTo("exceeds_credits");
        assertThat(second.path("failed_posting").asInt()).isZero();

        assertThat(get("/v1/accounts/" + cash).path("debits_posted").asText()).isEqualTo("1000");
        assertThat(get("/v1/accounts/" + revenue).path("credits_posted").asText()).isEqualTo("800");
        assertThat(get("/v1/accounts/" + fees).path("credits_posted").asText()).isEqualTo("200");
        JsonNode leg = get("/v1/transfers/" + entry);
        assertThat(leg.path("user_data_128").asText()).isEqualTo(entry);
        assertThat(leg.path("metadata").path("sale").asInt()).isEqualTo(7);

        JsonNode unbalanced = server.postJson("/v1/entries", ADMIN_KEY, "{\"entries\":[{\"id\":\"" + id(5, 102)
            + "\",\"ledger\":1,\"code\":3,\"postings\":[{\"account_id\":\"" + cash + "\",\"debit\":10},{\"account_id\":\""
            + revenue + "\",\"credit\":9}]}]}").json();
        assertThat(unbalanced.path("status").asInt()).isEqualTo(400);
        assertThat(unbalanced.path("pointer").asText()).isEqualTo("/entries/0/postings");
    }

    @Test
    void accountTransfersPageWithCursorsAndFilters() {
        String a = id(6, 1);
        String b = id(6, 2);
        post("/v1/accounts", accounts(account(a, 1, "t6", "history"), account(b, 1, "t6")));
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(i % 5 == 0 ? transfer(id(6, 100 + i), b, a, i + 1, 1) : transfer(id(6, 100 + i), a, b, i + 1, 1));
        }
        post("/v1/transfers", transfers(batch.toArray(String[]::new)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/v1/accounts/" + a + "/transfers?limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("transfers").forEach(t -> seen.add(t.path("id").asText()));
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(seen.get(0)).isEqualTo(id(6, 100));

        JsonNode reversed = get("/v1/accounts/" + a + "/transfers?limit=3&reversed=true");
        assertThat(reversed.path("transfers").get(0).path("id").asText()).isEqualTo(id(6, 124));
        JsonNode reversedNext = get("/v1/accounts/" + a + "/transfers?limit=3&reversed=true&cursor="
            + reversed.path("next").asText());
        assertThat(reversedNext.path("transfers").get(0).path("id").asText()).isEqualTo(id(6, 121));

        JsonNode creditsOnly = get("/v1/accounts/" + a + "/transfers?limit=100&debits=false");
        assertThat(creditsOnly.path("transfers").size()).isEqualTo(5);
        assertThat(creditsOnly.path("next").isNull()).isTrue();

        JsonNode balances = get("/v1/accounts/" + a + "/balances?limit=100");
        assertThat(balances.path("balances").size()).isEqualTo(25);
        JsonNode last = balances.path("balances").get(24);
        long debits = 0;
        long credits = 0;
        for (int i = 0; i < 25; i++) {
            if (i % 5 == 0) {
                credits += i + 1;
            } else {
                debits += i + 1;
            }
        }
        assertThat(last.path("debits_posted").asText()).isEqualTo(Long.toString(debits));
        assertThat(last.path("credits_posted").asText()).isEqualTo(Long.toString(credits));
        // Without the history flag there are no balances to list.
        assertThat(get("/v1/accounts/" + b + "/balances").path("balances").size()).isZero();
        assertThat(server.get("/v1/accounts/" + id(6, 3) + "/transfers", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void adminManagesKeysTenantsAndSnapshots() {
        TestServer.Response tenant = server.postJson("/v1/admin/tenants", ADMIN_KEY, "{\"slug\":\"pupfanz\"}");
        assertThat(tenant.status()).isIn(200, 201);
        assertThat(get("/v1/admin/tenants").path("tenants").toString()).contains("pupfanz");

        TestServer.Response created = server.postJson("/v1/admin/keys", ADMIN_KEY,
            "{\"name\":\"pupfanz-payments\",\"scopes\":[\"ledger:write\",\"ledger:read\"],\"tenants\":[\"pupfanz\"]}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("key").asText();
        String keyId = created.json().path("id").asText();
        assertThat(secret).startsWith("fzk_");
        JsonNode listing = get("/v1/admin/keys");
        assertThat(listing.toString()).contains(keyId).doesNotContain(secret).doesNotContain("hash");
        assertThat(server.get("/v1/accounts/" + id(7, 1), secret).status()).isEqualTo(404);

        assertThat(server.delete("/v1/admin/keys/" + keyId, ADMIN_KEY).status()).isEqualTo(204);
        assertThat(server.get("/v1/accounts/" + id(7, 1), secret).status()).isEqualTo(401);
        assertThat(server.delete("/v1/admin/keys/" + keyId, ADMIN_KEY).status()).isEqualTo(404);

        TestServer.Response snapshot = server.postJson("/v1/admin/snapshot", ADMIN_KEY, "");
        assertThat(snapshot.status()).as(snapshot.text()).isEqualTo(200);
        assertThat(Files.exists(data.resolve("snapshots").resolve(snapshot.json().path("snapshot").asText()))).isTrue();
    }

    @Test
    void requestIdsAreEchoedOrGenerated() {
        TestServer.Response given = server.send(server.request("/health", null).header("X-Request-Id", "abc-123").GET());
        assertThat(given.header("X-Request-Id")).isEqualTo("abc-123");
        TestServer.Response generated = server.get("/health", null);
        assertThat(generated.header("X-Request-Id")).hasSize(36);
        TestServer.Response problem = server.get("/v1/accounts/nope", ADMIN_KEY);
        assertThat(problem.json().path("request_id").asText()).isEqualTo(problem.header("X-Request-Id"));
    }
}
