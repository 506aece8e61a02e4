package com.fanzfinance.benchmarks.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The server's HTTP API as the benchmark uses it: setup (tenant, key, merchant account, checkouts), the
 * processor's webhook, and the reads validation needs (payment events, ledger accounts). One
 * {@link HttpClient} on HTTP/1.1, whose connections are kept alive and reused across the sending threads.
 */
final class PaymentsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int EVENTS_PAGE = 1000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String adminKey;

    PaymentsApi(URI base, String adminKey) {
        this.base = base;
        this.adminKey = adminKey;
    }

    /** A response's status, body and the payment event id the webhook answers with (null elsewhere). */
    record Answer(int status, String body, String eventId) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    void createTenant(String slug) {
        require(postJson("/v1/admin/tenants", adminKey, "{\"slug\":\"" + slug + "\"}"), 201);
    }

    /** A key for the platform of {@code tenant}: payments and ledger reads, payments writes. Returns its secret. */
    String createPlatformKey(String tenant) {
        return require(postJson("/v1/admin/keys", adminKey, """
            {"name":"intake-benchmark","scopes":["payments:read","payments:write","ledger:read"],"tenants":["%s"]}"""
            .formatted(tenant)), 201).json().path("key").asText();
    }

    /** A Verotel merchant account taking USD; returns its id. */
    String createVerotelAccount(String tenant, String shopId, String signatureKey, ExpectedLedger.Fees fees) {
        return require(postJson("/v1/merchant-accounts", adminKey, """
            {"tenant":"%s","processor":"verotel","name":"Verotel USD (benchmark)","currencies":["USD"],
             "fees":{"percent_bp":%d,"fixed":"%d","chargeback":"2500","refund":"%d"},
             "settings":{"shop_id":"%s"},"secrets":{"signature_key":"%s"}}"""
            .formatted(tenant, fees.percentBp(), fees.fixed(), fees.refund(), shopId, signatureKey)), 201)
            .json().path("id").asText();
    }

    /**
     * Opens a checkout and returns its id. A 429 (the key's or tenant's rate limit) is waited out and retried:
     * setup is not measured.
     */
    String openCheckout(String key, String tenant, String creator, long amountMinor) throws InterruptedException {
        String body = """
            {"tenant":"%s","creator":"%s","fan":"f_bench","product":"ppv","amount":"%d","currency":"USD",
             "processor":"verotel"}""".formatted(tenant, creator, amountMinor);
        while (true) {
            Answer answer = postJson("/v1/checkouts", key, body);
            if (answer.status() != 429) {
                return require(answer, 201).json().path("id").asText();
            }
            Thread.sleep(50);
        }
    }

    /** Delivers a Verotel postback to the merchant account's webhook, as Verotel does (GET). */
    Answer postback(String merchantAccountId, String query) {
        return send(HttpRequest.newBuilder(base.resolve("/hooks/verotel/" + merchantAccountId + "?" + query)).GET());
    }

    /** Every payment event of the merchant account, by id. */
    Map<String, JsonNode> paymentEvents(String key, String merchantAccountId) {
        Map<String, JsonNode> events = new HashMap<>();
        String cursor = null;
        do {
            String path = "/v1/payment-events?merchant_account_id=" + merchantAccountId + "&limit=" + EVENTS_PAGE
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = require(get(path, key), 200).json();
            for (JsonNode event : page.path("payment_events")) {
                events.put(event.path("id").asText(), event);
            }
            cursor = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
        } while (cursor != null);
        return events;
    }

    /** {@code credits_posted − debits_posted} of a ledger account; 0 when the account does not exist. */
    long balance(String key, UUID account) {
        Answer answer = get("/v1/accounts/" + account, key);
        if (answer.status() == 404) {
            return 0;
        }
        JsonNode json = require(answer, 200).json();
        return Long.parseLong(json.path("credits_posted").asText()) - Long.parseLong(json.path("debits_posted").asText());
    }

    Answer get(String path, String key) {
        return send(authorised(path, key).GET());
    }

    Answer postJson(String path, String key, String body) {
        return send(authorised(path, key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST of JSON with headers given as name, value, name, value, … */
    Answer postJson(String path, String key, String body, String... headers) {
        HttpRequest.Builder request = authorised(path, key).header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer putJson(String path, String key, String body) {
        return send(authorised(path, key).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST of a text body (a bank's return file). */
    Answer postText(String path, String key, String body) {
        return send(authorised(path, key).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII)));
    }

    private HttpRequest.Builder authorised(String path, String key) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("X-Payment-Event-Id").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Answer require(Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return answer;
    }
}
