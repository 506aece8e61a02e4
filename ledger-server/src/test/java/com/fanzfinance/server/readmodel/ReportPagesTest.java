package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * What the console pages through: a statement in pages ({@code limit}, {@code cursor} = the page's {@code
 * next}) whose postings, joined, are exactly the whole statement and whose balances chain (each page opens
 * where the one before closed); and the trial balance by account code, whose rows add up to its totals.
 */
class ReportPagesTest {
    private static final int TRANSFERS = 23;

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
    void statementPagesJoinToTheWholeStatementAndTheTrialBalanceGroupsByCode(@TempDir Path data) throws Exception {
        schema = TestDatabase.freshSchema("rm_pages");
        server = TestServer.start(data, TestDatabase.readModelSettings(schema));
        UUID cash = new UUID(0x0E, 1);
        List<UUID> sellers = List.of(new UUID(0x0E, 2), new UUID(0x0E, 3), new UUID(0x0E, 4));
        load(cash, sellers);
        assertThat(server.server().readModel().projector().awaitCaughtUp(30_000)).isTrue();

        JsonNode whole = get("/v1/statements/" + cash);
        assertThat(whole.path("postings")).hasSize(TRANSFERS);
        assertThat(whole.path("next").isNull()).isTrue();
        List<JsonNode> joined = new ArrayList<>();
        String cursor = null;
        String previousClosing = whole.path("opening_balance").path("balance").asText();
        int pages = 0;
        do {
            JsonNode page = get("/v1/statements/" + cash + "?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("postings").size()).isLessThanOrEqualTo(5);
            assertThat(page.path("opening_balance").path("balance").asText()).isEqualTo(previousClosing);
            page.path("postings").forEach(joined::add);
            previousClosing = page.path("closing_balance").path("balance").asText();
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5);
        assertThat(joined).containsExactlyElementsOf(iterable(whole.path("postings")));
        assertThat(previousClosing).isEqualTo(whole.path("closing_balance").path("balance").asText());

        assertThat(server.get("/v1/statements/" + cash + "?limit=5&format=csv", ADMIN_KEY).status()).isEqualTo(400);
        assertThat(server.get("/v1/statements/" + cash + "?cursor=banana", ADMIN_KEY).status()).isEqualTo(400);
        String second = get("/v1/statements/" + cash + "?limit=5").path("next").asText();
        long secondAt = Long.parseLong(second.substring(0, second.indexOf('.')));
        assertThat(server.get("/v1/statements/" + cash + "?limit=5&cursor=" + second + "&from=" + (secondAt + 1), ADMIN_KEY)
            .status()).as("a cursor before the period").isEqualTo(400);
        assertThat(server.get("/v1/statements/" + cash + "?limit=0", ADMIN_KEY).status()).isEqualTo(400);

        JsonNode byAccount = get("/v1/reports/trial-balance");
        JsonNode byCode = get("/v1/reports/trial-balance?group=code");
        assertThat(byCode.path("group").asText()).isEqualTo("code");
        assertThat(byAccount.path("accounts")).hasSize(4);
        assertThat(byCode.path("accounts")).hasSize(2);
        JsonNode revenue = byCode.path("accounts").get(1);
        assertThat(revenue.path("code").asInt()).isEqualTo(4100);
        assertThat(revenue.path("accounts").asInt()).isEqualTo(3);
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (JsonNode row : byCode.path("accounts")) {
            debits = debits.add(new BigDecimal(row.path("debit").asText()));
            credits = credits.add(new BigDecimal(row.path("credit").asText()));
        }
        JsonNode total = byCode.path("totals").get(0);
        assertThat(debits).isEqualByComparingTo(total.path("debits").asText()).isEqualByComparingTo(credits);
        assertThat(byCode.path("totals")).isEqualTo(byAccount.path("totals"));
        assertThat(server.get("/v1/reports/trial-balance?group=code&format=csv", ADMIN_KEY).text())
            .startsWith("ledger,currency,code,type,name,tenant,accounts,debit,credit\n840,USD,1100,");
        assertThat(server.get("/v1/reports/trial-balance?group=tenant", ADMIN_KEY).status()).isEqualTo(400);
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private JsonNode get(String path) {
        TestServer.Response response = server.get(path, ADMIN_KEY);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private void load(UUID cash, List<UUID> sellers) {
        StringBuilder accounts = new StringBuilder("{\"accounts\":[{\"id\":\"" + cash + "\",\"ledger\":840,\"code\":1100}");
        for (UUID seller : sellers) {
            accounts.append(",{\"id\":\"").append(seller).append("\",\"ledger\":840,\"code\":4100}");
        }
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, accounts.append("]}").toString()).status()).isEqualTo(200);
        List<String> transfers = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            transfers.add("{\"id\":\"" + UUID.randomUUID() + "\",\"debit_account_id\":\"" + cash + "\",\"credit_account_id\":\""
                + sellers.get(i % sellers.size()) + "\",\"amount\":" + (100 + i) + ",\"ledger\":840,\"code\":1}");
        }
        assertThat(server.postJson("/v1/transfers", ADMIN_KEY, "{\"transfers\":[" + String.join(",", transfers) + "]}")
            .status()).isEqualTo(200);
    }
}
