package com.fanzfinance.platform;

import static com.fanzfinance.platform.testing.PlatformFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.platform.testing.Http;
import com.fanzfinance.platform.testing.Http.Answer;
import com.fanzfinance.platform.testing.PlatformFixture;
import com.fanzfinance.platform.testing.TestTokens;

/**
 * Who may do what, across the four services over real HTTP: every request below is made by every kind of
 * caller that must be refused — no token, an expired or foreign-signed token, people of another brand (their
 * creators and even their staff), and people of the same brand without the right role or ownership — and each
 * must be refused as documented: 401 without a valid token, 404 for another brand's objects (they read as
 * absent), 403 (or 404, where an object is private to its owner) for a missing role. The owner's own request
 * is checked to succeed, so the refusals are not a broken route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixEndToEndTest {
    private static final Set<Integer> ABSENT = Set.of(404);
    private static final Set<Integer> FORBIDDEN = Set.of(403);
    private static final Set<Integer> DENIED = Set.of(403, 404);

    private PlatformFixture fixture;
    private final Map<String, String> tokens = new java.util.HashMap<>();
    private String creator;
    private String fan;
    private String draftPost;
    private String publishedPost;
    private String asset;
    private String verification;
    private String record;
    private String purchase;

    @BeforeAll
    void start(@TempDir Path data) {
        fixture = PlatformFixture.start(data);
        creator = fixture.signUp("girlfanz", "owner@example.test", "creator");
        fixture.signUp("girlfanz", "rival@example.test", "creator");
        fan = fixture.signUp("girlfanz", "fan@example.test", "fan");
        fixture.signUp("girlfanz", "other-fan@example.test", "fan");
        String staff = fixture.signUp("girlfanz", "staff@example.test", "fan");
        fixture.grant("girlfanz", staff, "[\"staff\"]");
        fixture.signUp("boyfanz", "boy-creator@example.test", "creator");
        String boyStaff = fixture.signUp("boyfanz", "boy-staff@example.test", "fan");
        fixture.grant("boyfanz", boyStaff, "[\"staff\"]");
        tokens.put("owner", fixture.login("girlfanz", "owner@example.test"));
        tokens.put("rival creator", fixture.login("girlfanz", "rival@example.test"));
        tokens.put("fan", fixture.login("girlfanz", "fan@example.test"));
        tokens.put("other fan", fixture.login("girlfanz", "other-fan@example.test"));
        tokens.put("staff", fixture.login("girlfanz", "staff@example.test"));
        tokens.put("other brand's creator", fixture.login("boyfanz", "boy-creator@example.test"));
        tokens.put("other brand's staff", fixture.login("boyfanz", "boy-staff@example.test"));
        try (TestTokens foreign = new TestTokens()) {
            tokens.put("foreign-signed", foreign.person(creator, "girlfanz", "creator", "staff", "admin"));
        }
        String owner = tokens.get("owner");
        ok(Http.put(fixture.content, "/v1/creators/me", owner, "{\"display_name\":\"Owner\"}"), 200);
        draftPost = ok(Http.post(fixture.content, "/v1/posts", owner, """
            {"title":"Draft","preview":"p","body":"secret draft","ppv_price":"500","currency":"USD"}"""), 201)
            .json().path("id").asText();
        publishedPost = ok(Http.post(fixture.content, "/v1/posts", owner, """
            {"title":"Live","preview":"p","body":"secret body","ppv_price":"500","currency":"USD"}"""), 201)
            .json().path("id").asText();
        asset = ok(Http.postBytes(fixture.media, "/v1/assets?tenant=girlfanz&filename=a.png", owner, "image/png",
            PlatformStoryEndToEndTest.picture()), 201).json().path("id").asText();
        verification = ok(Http.post(fixture.compliance, "/v1/verifications", owner, """
            {"tenant":"girlfanz","provider":"manual","reference":"k1","date_of_birth":"1990-01-01","legal_name":"Owner",
             "country":"US","document_type":"passport","document_reference":"vault:1"}"""), 201).json().path("id").asText();
        ok(Http.post(fixture.compliance, "/v1/verifications/" + verification + "/review", tokens.get("staff"),
            "{\"decision\":\"approve\"}"), 200);
        record = ok(Http.post(fixture.compliance, "/v1/records-2257", owner, """
            {"tenant":"girlfanz","creator":"%s","legal_name":"Owner","stage_names":[],"date_of_birth":"1990-01-01",
             "id_document_type":"passport","id_document_reference":"vault:1","id_examined_on":"2026-12-01",
             "is_creator_self":true}""".formatted(creator)), 201).json().path("id").asText();
        ok(Http.post(fixture.compliance, "/v1/model-releases", owner, """
            {"tenant":"girlfanz","creator":"%s","performer_record_id":"%s","content_ref":"post:%s",
             "signed_on":"2026-12-02","document_reference":"vault:r1"}""".formatted(creator, record, publishedPost)), 201);
        ok(Http.post(fixture.content, "/v1/posts/" + publishedPost + "/publish", owner, ""), 200);
        purchase = ok(Http.post(fixture.content, "/v1/purchases", tokens.get("fan"),
            "{\"kind\":\"ppv\",\"post_id\":\"" + publishedPost + "\",\"processor\":\"verotel\"}",
            Map.of("Idempotency-Key", "matrix-1")), 201).json().path("id").asText();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    /** One request and who must be refused it how; {@code allowed} must succeed with a 2xx. */
    private record Case(String name, URI service, String method, String path, String body, String allowed,
            Map<String, Set<Integer>> refused) {
    }

    private List<Case> cases() {
        URI content = fixture.content;
        URI media = fixture.media;
        URI compliance = fixture.compliance;
        URI identity = fixture.identity;
        Map<String, Set<Integer>> othersOfBrandAndOutsiders = Map.of("rival creator", DENIED, "fan", DENIED,
            "other brand's creator", ABSENT, "other brand's staff", ABSENT);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("read a draft post", content, "GET", "/v1/posts/" + draftPost, null, "owner",
            othersOfBrandAndOutsiders));
        cases.add(new Case("publish someone's post", content, "POST", "/v1/posts/" + draftPost + "/publish", "",
            null, othersOfBrandAndOutsiders));
        cases.add(new Case("create a post", content, "POST", "/v1/posts",
            "{\"title\":\"t\",\"preview\":\"p\",\"body\":\"b\",\"ppv_price\":\"100\",\"currency\":\"USD\"}", "owner",
            Map.of("fan", FORBIDDEN, "staff", FORBIDDEN)));
        cases.add(new Case("read a purchase", content, "GET", "/v1/purchases/" + purchase, null, "fan",
            Map.of("other fan", DENIED, "rival creator", DENIED, "other brand's staff", ABSENT,
                "other brand's creator", ABSENT)));
        cases.add(new Case("read earnings", content, "GET", "/v1/creators/me/earnings", null, "owner",
            Map.of("fan", FORBIDDEN)));
        cases.add(new Case("read an asset", media, "GET", "/v1/assets/" + asset, null, "owner",
            othersOfBrandAndOutsiders));
        cases.add(new Case("download an asset", media, "GET", "/v1/assets/" + asset + "/content", null, "owner",
            othersOfBrandAndOutsiders));
        cases.add(new Case("relink an asset", media, "PUT", "/v1/assets/" + asset + "/links",
            "{\"content_refs\":[\"post:" + publishedPost + "\"],\"performer_record_ids\":[\"" + record + "\"]}", "owner",
            othersOfBrandAndOutsiders));
        cases.add(new Case("upload into a brand", media, "POST", "/v1/assets?tenant=girlfanz&filename=b.png", null,
            null, Map.of("fan", FORBIDDEN, "other brand's creator", DENIED, "staff", FORBIDDEN)));
        cases.add(new Case("read a verification", compliance, "GET", "/v1/verifications/" + verification, null,
            "owner", othersOfBrandAndOutsiders));
        cases.add(new Case("review a verification", compliance, "POST", "/v1/verifications/" + verification + "/review",
            "{\"decision\":\"approve\"}", null, Map.of("owner", FORBIDDEN, "fan", FORBIDDEN, "rival creator", FORBIDDEN,
                "other brand's staff", ABSENT)));
        cases.add(new Case("record a tax form", compliance, "PUT", "/v1/creators/" + creator + "/tax-form?tenant=girlfanz",
            "{\"form\":\"W-9\",\"reference\":\"vault:w9\",\"received_on\":\"2026-12-01\"}", "staff",
            Map.of("owner", FORBIDDEN, "fan", FORBIDDEN, "other brand's staff", DENIED)));
        cases.add(new Case("read a compliance summary", compliance, "GET",
            "/v1/creators/" + creator + "/compliance?tenant=girlfanz", null, "owner",
            Map.of("rival creator", DENIED, "fan", DENIED, "other brand's staff", DENIED)));
        cases.add(new Case("read a 2257 record", compliance, "GET", "/v1/records-2257/" + record, null, "owner",
            othersOfBrandAndOutsiders));
        cases.add(new Case("read the audit log", compliance, "GET", "/v1/audit?tenant=girlfanz", null, "staff",
            Map.of("owner", FORBIDDEN, "fan", FORBIDDEN, "other brand's staff", DENIED)));
        cases.add(new Case("verify the audit chain", compliance, "GET", "/v1/audit/verify", null, null,
            Map.of("staff", FORBIDDEN, "owner", FORBIDDEN)));
        cases.add(new Case("list a brand's members", identity, "GET", "/v1/tenants/girlfanz/members", null, "staff",
            Map.of("fan", FORBIDDEN, "owner", FORBIDDEN, "other brand's staff", DENIED)));
        cases.add(new Case("make a fan staff", identity, "PUT", "/v1/tenants/girlfanz/members/" + fan,
            "{\"roles\":[\"fan\",\"staff\"]}", null, Map.of("staff", FORBIDDEN, "owner", FORBIDDEN, "fan", FORBIDDEN,
                "other brand's staff", DENIED)));
        cases.add(new Case("rotate the signing keys", identity, "POST", "/v1/keys/rotate", "", null,
            Map.of("staff", FORBIDDEN, "owner", FORBIDDEN)));
        cases.add(new Case("make a service key", identity, "POST", "/v1/service-keys",
            "{\"service\":\"rogue\",\"scopes\":[\"media:read\"]}", null, Map.of("staff", FORBIDDEN)));
        return cases;
    }

    @Test
    void everyCallerWithoutTheRightIsRefusedAndTheOwnerIsNot() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Case c : cases()) {
            if (c.allowed() != null) {
                Answer answer = send(c, tokens.get(c.allowed()));
                if (answer.status() / 100 != 2) {
                    wrong.add(c.name() + " by " + c.allowed() + ": expected success, got " + answer.status() + " "
                        + answer.text());
                }
                checked++;
            }
            for (String caller : List.of("no token", "expired", "foreign-signed")) {
                Answer answer = send(c, caller.equals("no token") ? null : token(caller));
                if (answer.status() != 401) {
                    wrong.add(c.name() + " with " + caller + ": expected 401, got " + answer.status());
                }
                checked++;
            }
            for (Map.Entry<String, Set<Integer>> refusal : c.refused().entrySet()) {
                Answer answer = send(c, tokens.get(refusal.getKey()));
                if (!refusal.getValue().contains(answer.status())) {
                    wrong.add(c.name() + " by " + refusal.getKey() + ": expected " + refusal.getValue() + ", got "
                        + answer.status() + " " + answer.text());
                }
                checked++;
            }
        }
        assertThat(wrong).as(checked + " requests checked").isEmpty();
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void aFanOfAnotherBrandSeesNoneOfThisBrandsObjectsUntilSignedInThereBySso() {
        String boyfanzFan = fixture.login("boyfanz", "boy-creator@example.test");
        assertThat(Http.get(fixture.content, "/v1/posts/" + publishedPost, boyfanzFan).status()).isEqualTo(404);
        Answer exchanged = Http.form(fixture.identity, "/oauth/token", Map.of(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", boyfanzFan,
            "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "audience", "girlfanz"));
        assertThat(exchanged.status()).as(exchanged.text()).isEqualTo(200);
        String girlfanzToken = exchanged.json().path("access_token").asText();
        Answer post = Http.get(fixture.content, "/v1/posts/" + publishedPost, girlfanzToken);
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.json().path("locked").asBoolean()).isTrue();
        // The boyfanz creator is only a fan on girlfanz: no creator powers carried over by the exchange.
        assertThat(Http.post(fixture.content, "/v1/posts", girlfanzToken,
            "{\"title\":\"t\",\"preview\":\"p\",\"body\":\"b\",\"ppv_price\":\"100\",\"currency\":\"USD\"}").status())
            .isEqualTo(403);
    }

    private String token(String caller) {
        if (caller.equals("expired")) {
            try (TestTokens foreign = new TestTokens()) {
                return foreign.expired(creator, "girlfanz", 3600, "creator");
            }
        }
        return tokens.get(caller);
    }

    private static Answer send(Case c, String token) {
        HttpRequest.Builder request = Http.request(c.service(), c.path(), token);
        if (c.path().startsWith("/v1/assets?")) {
            return Http.send(request.header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PlatformStoryEndToEndTest.picture())));
        }
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body());
        if (c.body() != null) {
            request.header("Content-Type", "application/json");
        }
        return Http.send(request.method(c.method(), body));
    }

}
