package com.fanzfinance.platform.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.platform.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A compliance service on a real port over a fresh schema of the test PostgreSQL, with test tokens, and the
 * small HTTP client and request bodies its tests share. The ledger is wherever {@code ledgerUrl} says (a port
 * nobody listens on when a test does not need it).
 */
final class ComplianceHarness implements AutoCloseable {
    static final String GIRLFANZ = "girlfanz";
    static final String NO_LEDGER = "http://127.0.0.1:9";

    final TestTokens tokens = new TestTokens();
    final String prefix = PlatformTestDatabase.freshPrefix();
    final ComplianceService service;
    final String staff;
    final String admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ComplianceHarness(String ledgerUrl, String ledgerKey) {
        Map<String, String> values = new HashMap<>(PlatformTestDatabase.settings(prefix));
        values.put("FANZ_IDENTITY_URL", tokens.identityUrl().toString());
        values.put("FANZ_TOKEN_ISSUER", TestTokens.ISSUER);
        values.put("FANZ_COMPLIANCE_PORT", "0");
        values.put("FANZ_LEDGER_URL", ledgerUrl);
        values.put("FANZ_LEDGER_KEY", ledgerKey);
        values.put("FANZ_COMPLIANCE_PUSH_RETRY_SECONDS", "1");
        values.put("FANZ_COMPLIANCE_PUSH_WAIT_MAX_SECONDS", "2");
        service = ComplianceService.start(new PlatformSettings(values));
        base = URI.create("http://127.0.0.1:" + service.port());
        staff = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "staff");
        admin = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "admin");
    }

    ComplianceHarness() {
        this(NO_LEDGER, "fzk_no_ledger_in_this_test");
    }

    /** An answer: status and JSON body. */
    record Answer(int status, JsonNode json) {
        String type() {
            return json.path("type").asText().replace("https://fanzfinance.dev/problems/", "");
        }
    }

    Answer get(String path, String token) {
        return send(request(path, token).GET());
    }

    Answer post(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer put(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? Json.object() : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new creator's id and token on girlfanz. */
    record Creator(String id, String token) {
    }

    Creator creator() {
        String id = UUID.randomUUID().toString();
        return new Creator(id, tokens.person(id, GIRLFANZ, "creator"));
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    static String verificationBody(String dateOfBirth) {
        return """
            {"tenant":"girlfanz","provider":"manual","reference":"case-1","date_of_birth":"%s","legal_name":"Jane Doe",
             "country":"US","document_type":"passport","document_reference":"vault://docs/1"}""".formatted(dateOfBirth);
    }

    static String recordBody(String creator, String dateOfBirth, boolean self) {
        return """
            {"tenant":"girlfanz","creator":"%s","legal_name":"Jane Doe","stage_names":["Janie"],"date_of_birth":"%s",
             "id_document_type":"passport","id_document_reference":"vault://ids/1","id_examined_on":"%s",
             "is_creator_self":%s}""".formatted(creator, dateOfBirth, today(), self);
    }

    static String releaseBody(String creator, String recordId, String contentRef) {
        return """
            {"tenant":"girlfanz","creator":"%s","performer_record_id":"%s","content_ref":"%s","signed_on":"%s",
             "document_reference":"vault://releases/1"}""".formatted(creator, recordId, contentRef, today());
    }

    /** Submits and approves a verification of an adult; the verification's id. */
    String verify(Creator creator) {
        Answer submitted = post("/v1/verifications", creator.token(), verificationBody("1990-05-17"));
        assertThat(submitted.status()).as(submitted.json().toString()).isEqualTo(201);
        String id = submitted.json().path("id").asText();
        Answer reviewed = post("/v1/verifications/" + id + "/review", staff, "{\"decision\":\"approve\"}");
        assertThat(reviewed.status()).as(reviewed.json().toString()).isEqualTo(200);
        return id;
    }

    /** Puts a tax form on file. */
    void taxForm(Creator creator) {
        Answer answer = put("/v1/creators/" + creator.id() + "/tax-form?tenant=girlfanz", staff,
            "{\"form\":\"W-9\",\"reference\":\"vault://tax/1\",\"received_on\":\"" + today() + "\"}");
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
    }

    /** Creates a 2257 record; its id. */
    String record(Creator creator, boolean self) {
        Answer answer = post("/v1/records-2257", creator.token(), recordBody(creator.id(), "1990-05-17", self));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
        return answer.json().path("id").asText();
    }

    Answer summary(Creator creator, String token) {
        return get("/v1/creators/" + creator.id() + "/compliance?tenant=girlfanz", token);
    }

    @Override
    public void close() {
        service.close();
        tokens.close();
        PlatformTestDatabase.drop(prefix);
    }
}
