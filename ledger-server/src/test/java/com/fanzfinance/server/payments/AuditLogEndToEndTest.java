package com.fanzfinance.server.payments;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.LogCapture;
import com.fanzfinance.server.RawHttp;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log over real HTTP against a real server and PostgreSQL: actions and refusals recorded with their actor,
 * tenant, outcome and note, what is not recorded (reads, the ledger's bulk writes, webhooks), who sees which rows,
 * paging and filters, the hash chain and its check after rows are changed in SQL, the note header's checks, and a
 * write that fails without changing the answer.
 */
class AuditLogEndToEndTest {
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();
    private static final String YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS;

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    /** The girlfanz finance team's key: payouts, compliance and finance. */
    private Key finance;

    /** A key's secret, public id and name. */
    private record Key(String secret, String id, String name) {
    }

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data);
        server = fixture.server;
        finance = key("girlfanz-finance", "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\","
            + "\"finance:read\",\"finance:write\"]", "[\"girlfanz\"]");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anActionAndItsRefusalAreRecordedWithActorTenantStatusAndNote() throws Exception {
        String payout = heldPayout("c_1");

        TestServer.Response cancelled = withNote(post("/v1/payouts/" + payout + "/cancel", finance, ""),
            "creator asked to stop, ticket 42");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        TestServer.Response refused = withNote(post("/v1/payouts/" + payout + "/events", finance, "{\"type\":\"settled\"}"),
            "bank says it arrived");
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(server.get("/v1/payouts/" + payout, finance.secret()).status()).isEqualTo(200);
        assertThat(server.postJson("/v1/accounts", TestServer.ADMIN_KEY,
            "{\"accounts\":[{\"id\":\"00000000-0000-0000-0000-0000000000a1\",\"ledger\":840,\"code\":1}]}").status())
            .isEqualTo(200);

        List<JsonNode> entries = entries("/v1/audit-log", finance);
        JsonNode refusal = entries.get(0);
        JsonNode cancel = entries.get(1);
        assertThat(cancel.path("actor").asText()).isEqualTo(finance.id());
        assertThat(cancel.path("actor_name").asText()).isEqualTo(finance.name());
        assertThat(cancel.path("actor_kind").asText()).isEqualTo("api_key");
        assertThat(cancel.path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(cancel.path("method").asText()).isEqualTo("POST");
        assertThat(cancel.path("path").asText()).isEqualTo("/v1/payouts/" + payout + "/cancel");
        assertThat(cancel.path("target").asText()).isEqualTo(payout);
        assertThat(cancel.path("status").asInt()).isEqualTo(200);
        assertThat(cancel.path("problem").isNull()).isTrue();
        assertThat(cancel.path("request_id").asText()).isEqualTo(cancelled.header("X-Request-Id"));
        assertThat(cancel.path("note").asText()).isEqualTo("creator asked to stop, ticket 42");
        assertThat(cancel.path("at").asText()).startsWith(TODAY);
        assertThat(refusal.path("status").asInt()).isEqualTo(409);
        assertThat(refusal.path("problem").asText()).isEqualTo("invalid-payout-transition");
        assertThat(refusal.path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(refusal.path("path").asText()).isEqualTo("/v1/payouts/" + payout + "/events");
        assertThat(refusal.path("note").asText()).isEqualTo("bank says it arrived");
        assertThat(refusal.path("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(refusal.path("previous_hash").asText()).as("the chain, visible in the listing")
            .isEqualTo(cancel.path("hash").asText());
        assertThat(Long.parseLong(refusal.path("id").asText())).isEqualTo(Long.parseLong(cancel.path("id").asText()) + 1);

        List<JsonNode> all = entries("/v1/audit-log?limit=500", admin());
        assertThat(all).extracting(entry -> entry.path("method").asText()).doesNotContain("GET");
        assertThat(all).extracting(entry -> entry.path("path").asText())
            .as("the ledger's bulk writes are in its journal, webhooks have no actor")
            .doesNotContain("/v1/accounts").noneMatch(path -> path.startsWith("/hooks"))
            .contains("/v1/payees", "/v1/payouts", "/v1/merchant-accounts");
        assertThat(all).filteredOn(entry -> List.of("/v1/payees", "/v1/payees/" + payeeOf(all) + "/compliance", "/v1/payouts",
                "/v1/checkouts", "/v1/merchant-accounts").contains(entry.path("path").asText()))
            .as("each handler names the tenant it acted on").hasSizeGreaterThanOrEqualTo(6)
            .allMatch(entry -> entry.path("tenant").asText().equals("girlfanz"));
    }

    /** The payee whose compliance the log shows being set. */
    private static String payeeOf(List<JsonNode> entries) {
        return entries.stream().filter(entry -> entry.path("path").asText().endsWith("/compliance")).findFirst()
            .orElseThrow().path("target").asText();
    }

    @Test
    void aBrandKeySeesItsBrandsRowsAndAdminOnlyRowsStayHidden() throws Exception {
        heldPayout("c_2");
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"pupfanz\"}").status()).isEqualTo(201);
        TestServer.Response pupAccount = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"pupfanz","processor":"verotel","name":"Verotel EUR","currencies":["EUR"],
             "settings":{"shop_id":"1"},"secrets":{"signature_key":"k"}}""");
        assertThat(pupAccount.status()).as(pupAccount.text()).isEqualTo(201);
        TestServer.Response forbidden = server.patchJson("/v1/merchant-accounts/" + fixture.merchantAccountId,
            finance.secret(), "{\"name\":\"mine now\"}");
        assertThat(forbidden.status()).as("admin only").isEqualTo(403);
        Key pupfanz = key("pupfanz-finance", "[\"finance:read\"]", "[\"pupfanz\"]");

        List<JsonNode> everything = entries("/v1/audit-log?limit=500", admin());
        assertThat(everything).extracting(entry -> entry.path("tenant").asText(null))
            .contains("girlfanz", "pupfanz", null);
        JsonNode refusal = everything.stream().filter(entry -> entry.path("status").asInt() == 403).findFirst().orElseThrow();
        assertThat(refusal.path("problem").asText()).isEqualTo("forbidden");
        assertThat(refusal.path("actor").asText()).isEqualTo(finance.id());
        assertThat(refusal.path("tenant").isNull()).as("refused before it knew the object: an admin's row").isTrue();

        List<JsonNode> brand = entries("/v1/audit-log?limit=500", finance);
        assertThat(brand).isNotEmpty().allMatch(entry -> entry.path("tenant").asText().equals("girlfanz"));
        assertThat(brand).hasSize((int) everything.stream().filter(entry -> entry.path("tenant").asText().equals("girlfanz"))
            .count());
        assertThat(entries("/v1/audit-log?tenant=pupfanz", finance)).isEmpty();
        assertThat(entries("/v1/audit-log", pupfanz)).singleElement()
            .satisfies(entry -> assertThat(entry.path("path").asText()).isEqualTo("/v1/merchant-accounts"));
        assertThat(entries("/v1/audit-log?tenant=pupfanz", admin())).singleElement();

        // Newest first; pages follow on without overlap; reversed is oldest first.
        List<Long> ids = everything.stream().map(entry -> Long.parseLong(entry.path("id").asText())).toList();
        assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        TestServer.Response first = server.get("/v1/audit-log?limit=2", TestServer.ADMIN_KEY);
        String next = first.json().path("next").asText();
        assertThat(next).isEqualTo(Long.toString(ids.get(1)));
        List<JsonNode> second = entries("/v1/audit-log?limit=2&cursor=" + next, admin());
        assertThat(second).extracting(entry -> Long.parseLong(entry.path("id").asText()))
            .containsExactly(ids.get(2), ids.get(3));
        assertThat(entries("/v1/audit-log?reversed=true&limit=1", admin()).get(0).path("id").asText()).isEqualTo("1");

        assertThat(entries("/v1/audit-log?limit=500&actor=" + finance.id(), admin()))
            .isNotEmpty().allMatch(entry -> entry.path("actor").asText().equals(finance.id()));
        assertThat(entries("/v1/audit-log?limit=500&from=" + TODAY + "&to=" + TODAY, admin())).hasSameSizeAs(everything);
        assertThat(entries("/v1/audit-log?to=" + YESTERDAY, admin())).isEmpty();
        assertThat(entries("/v1/audit-log?from=" + TODAY + "T00:00:00Z", admin())).isNotEmpty();

        assertThat(server.get("/v1/audit-log?limit=501", TestServer.ADMIN_KEY).status()).isEqualTo(400);
        assertThat(server.get("/v1/audit-log?from=yesterday", TestServer.ADMIN_KEY).json().path("pointer").asText())
            .isEqualTo("?from");
        Key payments = key("girlfanz-payments", "[\"payments:read\",\"payments:write\"]", "[\"girlfanz\"]");
        assertThat(server.get("/v1/audit-log", payments.secret()).status()).as("payments scopes only").isEqualTo(403);
    }

    @Test
    void theChainChecksOutUntilARowIsChangedOrCutOffInSql() throws Exception {
        heldPayout("c_3");
        JsonNode verified = server.get("/v1/admin/audit-log/verify", TestServer.ADMIN_KEY).json();
        long count = verified.path("entries").asLong();
        assertThat(count).isGreaterThanOrEqualTo(4);
        assertThat(verified.path("valid").asBoolean()).isTrue();
        assertThat(verified.path("first_broken").isNull()).isTrue();
        assertThat(verified.path("last_hash").asText()).isEqualTo(entries("/v1/audit-log?limit=1", admin()).get(0)
            .path("hash").asText());
        assertThat(server.get("/v1/admin/audit-log/verify", finance.secret()).status()).isEqualTo(403);

        sql("UPDATE audit_log SET note = 'nobody asked' WHERE id = 2");
        JsonNode tampered = server.get("/v1/admin/audit-log/verify", TestServer.ADMIN_KEY).json();
        assertThat(tampered.path("valid").asBoolean()).isFalse();
        assertThat(tampered.path("first_broken").asText()).isEqualTo("2");
        assertThat(tampered.path("entries").asLong()).isEqualTo(count);

        sql("UPDATE audit_log SET note = NULL WHERE id = 2");
        assertThat(server.get("/v1/admin/audit-log/verify", TestServer.ADMIN_KEY).json().path("valid").asBoolean())
            .as("the row as it was").isTrue();

        sql("DELETE FROM audit_log WHERE id = " + count);
        JsonNode cut = server.get("/v1/admin/audit-log/verify", TestServer.ADMIN_KEY).json();
        assertThat(cut.path("valid").asBoolean()).isFalse();
        assertThat(cut.path("first_broken").asText()).as("the first id the head has and no row").isEqualTo(Long.toString(count));
    }

    @Test
    void aNoteThatIsNotPrintableTextOfAtMost500CharactersIsRefusedBeforeTheHandler() throws Exception {
        TestServer.Response tooLong = withNote(post("/v1/admin/tenants", admin(), "{\"slug\":\"toolong\"}"), "x".repeat(501));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("type").asText()).endsWith("invalid-header");
        TestServer.Response twice = server.send(server.request("/v1/admin/tenants", TestServer.ADMIN_KEY)
            .header("Content-Type", "application/json").header("X-Audit-Note", "one").header("X-Audit-Note", "two")
            .POST(HttpRequest.BodyPublishers.ofString("{\"slug\":\"twice\"}")));
        assertThat(twice.status()).isEqualTo(400);
        RawHttp.Response tab = raw("{\"slug\":\"control\"}", "one\ttwo".getBytes(StandardCharsets.UTF_8));
        assertThat(tab.status()).isEqualTo(400);
        assertThat(tab.body()).contains("invalid-header");
        RawHttp.Response nextLine = raw("{\"slug\":\"control\"}", "one\u0085two".getBytes(StandardCharsets.UTF_8));
        assertThat(nextLine.status()).as("a C1 control character, sent as UTF-8").isEqualTo(400);
        assertThat(nextLine.body()).contains("invalid-header");
        assertThat(server.get("/v1/admin/tenants", TestServer.ADMIN_KEY).text()).as("no handler ran")
            .doesNotContain("toolong").doesNotContain("twice").doesNotContain("control");

        RawHttp.Response utf8 = raw("{\"slug\":\"montreal\"}", "Montréal — ok ✓".getBytes(StandardCharsets.UTF_8));
        assertThat(utf8.status()).as(utf8.body()).isEqualTo(201);
        assertThat(withNote(post("/v1/admin/tenants", admin(), "{\"slug\":\"fits\"}"), "y".repeat(500)).status())
            .isEqualTo(201);
        List<JsonNode> entries = entries("/v1/audit-log", admin());
        assertThat(entries.get(0).path("note").asText()).isEqualTo("y".repeat(500));
        assertThat(entries.get(1).path("note").asText()).isEqualTo("Montréal — ok ✓");
        JsonNode refused = entries.get(2);
        assertThat(refused.path("status").asInt()).isEqualTo(400);
        assertThat(refused.path("problem").asText()).isEqualTo("invalid-header");
        assertThat(refused.path("note").isNull()).as("a refused note is not kept").isTrue();
    }

    @Test
    void aWriteThatFailsIsLoggedAndCountedAndTheAnswerStands() throws Exception {
        sql("DROP TABLE audit_log");
        try (LogCapture log = LogCapture.start()) {
            TestServer.Response created = server.send(post("/v1/admin/tenants", admin(), "{\"slug\":\"unaudited\"}"));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(log.text()).containsPattern("ERROR \\S+Audit the audit log could not record POST /v1/admin/tenants"
                + " \\(201\\) request_id=\"" + java.util.regex.Pattern.quote(created.header("X-Request-Id")) + "\"");
        }
        assertThat(server.get("/metrics", null).text()).contains("fanz_audit_write_failures_total 1.0");
        assertThat(server.get("/v1/admin/tenants", TestServer.ADMIN_KEY).text()).contains("unaudited");
    }

    @Test
    void withoutPaymentsThereIsNoAuditLog(@TempDir Path plain) {
        try (TestServer withoutPayments = TestServer.start(plain)) {
            assertThat(withoutPayments.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}").status())
                .as("actions still work").isEqualTo(201);
            TestServer.Response list = withoutPayments.get("/v1/audit-log", TestServer.ADMIN_KEY);
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.json().path("type").asText()).endsWith("payments-off");
            assertThat(withoutPayments.get("/v1/admin/audit-log/verify", TestServer.ADMIN_KEY).status()).isEqualTo(503);
        }
    }

    // ---- steps ----------------------------------------------------------------------------------

    /** A payout of 10.00 held for {@code creator}, after a 50.00 sale, a verified ACH payee and a rail account. */
    private String heldPayout(String creator) {
        if (server.get("/v1/merchant-accounts?processor=ach", TestServer.ADMIN_KEY).json().path("merchant_accounts").isEmpty()) {
            TestServer.Response rail = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
                {"tenant":"girlfanz","processor":"ach","name":"ACH","currencies":["USD"],"settings":%s}"""
                .formatted(ACH_SETTINGS));
            assertThat(rail.status()).as(rail.text()).isEqualTo(201);
        }
        String checkout = fixture.checkout(creator, 5000, null);
        TestServer.Response sale = fixture.postback(PaymentsFixture.sale("t-" + creator, "50.00", checkout));
        assertThat(sale.status()).as(sale.text()).isEqualTo(200);
        TestServer.Response payee = server.postJson("/v1/payees", finance.secret(), """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","country":"US","currency":"USD","rail":"ach",
             "rail_details":{"routing_number":"231380104","account_number":"123456789"}}""".formatted(creator));
        String payeeId = PayoutSteps.created(payee);
        assertThat(server.putJson("/v1/payees/" + payeeId + "/compliance", finance.secret(),
            "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}").status()).isEqualTo(200);
        return PayoutSteps.created(new PayoutSteps(() -> server, finance.secret(), fixture.platformKey)
            .payout(payeeId, "1000", "USD", "payout-" + creator));
    }

    private Key key(String name, String scopes, String tenants) {
        TestServer.Response created = server.postJson("/v1/admin/keys", TestServer.ADMIN_KEY,
            "{\"name\":\"" + name + "\",\"scopes\":" + scopes + ",\"tenants\":" + tenants + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return new Key(created.json().path("key").asText(), created.json().path("id").asText(), name);
    }

    private Key admin() {
        return new Key(TestServer.ADMIN_KEY, null, null);
    }

    private HttpRequest.Builder post(String path, Key key, String body) {
        return server.request(path, key.secret()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private TestServer.Response withNote(HttpRequest.Builder request, String note) {
        return server.send(request.header("X-Audit-Note", note));
    }

    private List<JsonNode> entries(String path, Key key) {
        TestServer.Response response = server.get(path, key.secret());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        response.json().path("entries").forEach(entries::add);
        return entries;
    }

    /** Creates a tenant by hand over a socket, with the note's raw bytes in the header. */
    private RawHttp.Response raw(String body, byte[] note) throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            request.write(("POST /v1/admin/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                + "\r\nX-Audit-Note: ").getBytes(StandardCharsets.US_ASCII));
            request.write(note);
            request.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            request.write(content);
            http.write(request.toByteArray());
            return http.read();
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection db = TestDatabase.connect(fixture.schema + "_pay"); Statement sql = db.createStatement()) {
            sql.execute(statement);
        }
    }
}
