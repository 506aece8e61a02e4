package com.fanzfinance.server.payments;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with payments on (read model and payments state in a fresh schema of the test PostgreSQL),
 * tenant {@code girlfanz}, a platform key, and a Verotel merchant account whose postbacks the fixture signs the
 * way Verotel does (SHA-256 over the key and the sorted parameters), independently of the driver's code.
 * Public for the platform services' end-to-end tests, which buy through it as a fan's processor would.
 */
public final class PaymentsFixture implements AutoCloseable {
    public static final String SIGNATURE_KEY = "verotel-test-signature-key";
    public static final String SHOP_ID = "122965";
    /** The first 8 digits of the test ODFI's routing number (121042882): trace numbers start with them. */
    public static final String ACH_ODFI = "12104288";
    /** The settings of an ACH rail account the payout tests share (a valid NACHA origin and destination). */
    public static final String ACH_SETTINGS = """
        {"immediate_destination":"231380104","immediate_destination_name":"FEDERAL RESERVE BANK",
         "immediate_origin":"121042882","immediate_origin_name":"GIRLFANZ INC","company_name":"GIRLFANZ",
         "company_identification":"1234567890","odfi_identification":"%s"}""".formatted(ACH_ODFI);
    /** UUIDv5 namespace of payment accounts (itself UUIDv5(URL, "https://fanzfinance/ns/ledger-account")). */
    public static final UUID ACCOUNT_NAMESPACE = UUID.fromString("0ac21dea-6447-5abe-ad02-c123a10c065b");

    public final TestServer server;
    public final String schema;
    public final String platformKey;
    public final String merchantAccountId;

    private PaymentsFixture(TestServer server, String schema, String platformKey, String merchantAccountId) {
        this.server = server;
        this.schema = schema;
        this.platformKey = platformKey;
        this.merchantAccountId = merchantAccountId;
    }

    public static PaymentsFixture start(Path data) {
        return start(data, Map.of());
    }

    public static PaymentsFixture start(Path data, Map<String, String> extra) {
        String schema = TestDatabase.freshSchema("pay");
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PUBLIC_BASE_URL", "https://pay.example.test");
        settings.putAll(extra);
        TestServer server = TestServer.start(data, settings);
        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"girlfanz\"}").status())
            .isIn(200, 201);
        String platform = server.createKey("girlfanz-platform",
            "[\"payments:read\",\"payments:write\",\"finance:read\",\"ledger:read\",\"events:read\"]", "[\"girlfanz\"]");
        TestServer.Response account = server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"verotel","name":"Verotel USD","currencies":["USD","EUR"],
             "fees":{"percent_bp":1000,"fixed":"30","chargeback":"2500","refund":"0"},
             "settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}""".formatted(SHOP_ID, SIGNATURE_KEY));
        assertThat(account.status()).as(account.text()).isEqualTo(201);
        return new PaymentsFixture(server, schema, platform, account.json().path("id").asText());
    }

    /** Opens a checkout for {@code creator} and returns its id. */
    public String checkout(String creator, long amount, String referrer) {
        TestServer.Response response = server.postJson("/v1/checkouts", platformKey, """
            {"tenant":"girlfanz","creator":"%s","fan":"f_7","product":"ppv","amount":"%d","currency":"USD",
             "processor":"verotel"%s}""".formatted(creator, amount,
            referrer == null ? "" : ",\"referrer\":\"" + referrer + "\""));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().path("id").asText();
    }

    /** The query string of a signed Verotel postback with {@code params} (shopID added). */
    public static String signedQuery(Map<String, String> params, String key) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putIfAbsent("shopID", SHOP_ID);
        List<String> names = new ArrayList<>(all.keySet());
        names.sort(null);
        StringBuilder text = new StringBuilder(key);
        for (String name : names) {
            text.append(':').append(name).append('=').append(all.get(name));
        }
        String signature = sha256(text.toString());
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> entry : all.entrySet()) {
            query.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).append('&');
        }
        return query.append("signature=").append(signature).toString();
    }

    public static Map<String, String> sale(String transaction, String amount, String checkoutId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("event", "initial");
        params.put("transactionID", transaction);
        params.put("saleID", "s" + transaction);
        params.put("amount", amount);
        params.put("currency", "USD");
        params.put("referenceID", checkoutId);
        return params;
    }

    public static Map<String, String> reversal(String event, String transaction, String parent, String amount) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("event", event);
        params.put("transactionID", transaction);
        params.put("parentID", parent);
        params.put("saleID", "s" + parent);
        params.put("amount", amount);
        params.put("currency", "USD");
        return params;
    }

    /** Sends a postback as Verotel does (GET with the parameters in the query). */
    public TestServer.Response postback(Map<String, String> params) {
        return postbackQuery(signedQuery(params, SIGNATURE_KEY));
    }

    public TestServer.Response postbackQuery(String query) {
        return server.send(HttpRequest.newBuilder(server.base().resolve("/hooks/verotel/" + merchantAccountId + "?" + query))
            .GET());
    }

    public JsonNode event(String id) {
        TestServer.Response response = server.get("/v1/payment-events/" + id, platformKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** The ledger account id of a payment role: UUIDv5 of "{tenant}/{ledger}/{code}/{party}". */
    public static UUID accountId(String tenant, int ledger, int code, String party) {
        return uuid5(ACCOUNT_NAMESPACE, tenant + "/" + ledger + "/" + code + "/" + party);
    }

    public static UUID uuid5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            java.nio.ByteBuffer ns = java.nio.ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits());
            sha1.update(ns.array());
            sha1.update(name.getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha1.digest();
            hash[6] = (byte) (hash[6] & 0x0f | 0x50);
            hash[8] = (byte) (hash[8] & 0x3f | 0x80);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code credits_posted − debits_posted} of a ledger account (0 when it does not exist). */
    public long balance(UUID account) {
        TestServer.Response response = server.get("/v1/accounts/" + account, TestServer.ADMIN_KEY);
        if (response.status() == 404) {
            return 0;
        }
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode json = response.json();
        return Long.parseLong(json.path("credits_posted").asText()) - Long.parseLong(json.path("debits_posted").asText());
    }

    public long pending(UUID account, String side) {
        TestServer.Response response = server.get("/v1/accounts/" + account, TestServer.ADMIN_KEY);
        return response.status() == 404 ? 0 : Long.parseLong(response.json().path(side + "_pending").asText());
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        TestDatabase.dropSchema(schema);
    }
}
