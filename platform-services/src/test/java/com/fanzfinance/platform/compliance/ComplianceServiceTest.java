package com.fanzfinance.platform.compliance;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.compliance.ComplianceHarness.Answer;
import com.fanzfinance.platform.compliance.ComplianceHarness.Creator;

import static org.assertj.core.api.Assertions.assertThat;

/** The compliance service over HTTP on a real port and PostgreSQL (no ledger: pushes just fail here). */
class ComplianceServiceTest {
    private static ComplianceHarness h;

    @BeforeAll
    static void start() {
        h = new ComplianceHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Test
    void submissionThenApprovalVerifiesKycAndAgeInTheSummary() {
        Creator creator = h.creator();
        Answer submitted = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-05-17"));
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(submitted.json().path("status").asText()).isEqualTo("pending");
        assertThat(submitted.json().path("creator").asText()).isEqualTo(creator.id());
        String id = submitted.json().path("id").asText();

        Answer again = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-05-17"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.type()).isEqualTo("verification-pending");

        Answer pending = h.summary(creator, creator.token());
        assertThat(pending.json().path("kyc").asText()).isEqualTo("pending");
        assertThat(pending.json().path("age").asText()).isEqualTo("pending");

        Answer reviewed = h.post("/v1/verifications/" + id + "/review", h.staff, "{\"decision\":\"approve\"}");
        assertThat(reviewed.status()).isEqualTo(200);
        assertThat(reviewed.json().path("kyc").asText()).isEqualTo("verified");
        assertThat(reviewed.json().path("age").asText()).isEqualTo("verified");

        Answer twice = h.post("/v1/verifications/" + id + "/review", h.staff, "{\"decision\":\"reject\",\"reason\":\"x\"}");
        assertThat(twice.status()).isEqualTo(409);

        JsonNode summary = h.summary(creator, creator.token()).json();
        assertThat(summary.path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(summary.path("kyc").asText()).isEqualTo("verified");
        assertThat(summary.path("age").asText()).isEqualTo("verified");
        assertThat(summary.path("tax_form").asText()).isEqualTo("missing");
        assertThat(summary.path("records_2257").asText()).isEqualTo("missing");
        assertThat(summary.path("payout_allowed").asBoolean()).isFalse();
        assertThat(texts(summary.path("failed_checks"))).containsExactly("tax_form", "records_2257");
        assertThat(summary.path("version").asLong()).isEqualTo(2);
        assertThat(summary.path("ledger_sync").path("version").asLong()).isEqualTo(2);
        assertThat(summary.path("ledger_sync").path("status").asText()).isIn("pending", "sending", "failing");

        assertThat(h.get("/v1/verifications/" + id, creator.token()).json().path("legal_name").asText()).isEqualTo("Jane Doe");
        assertThat(h.get("/v1/verifications/" + id, h.tokens.service("content", "compliance:read")).status()).isEqualTo(200);
        assertThat(h.get("/v1/verifications/" + id, h.tokens.service("media")).status()).isEqualTo(403);
        assertThat(h.summary(creator, h.tokens.service("content", "compliance:read")).status()).isEqualTo(200);
    }

    @Test
    void aRejectionNeedsAReasonAndAllowsANewSubmission() {
        Creator creator = h.creator();
        String id = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-05-17"))
            .json().path("id").asText();
        Answer noReason = h.post("/v1/verifications/" + id + "/review", h.staff, "{\"decision\":\"reject\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("pointer").asText()).isEqualTo("/reason");

        Answer rejected = h.post("/v1/verifications/" + id + "/review", h.staff,
            "{\"decision\":\"reject\",\"reason\":\"document unreadable\"}");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("kyc").asText()).isEqualTo("rejected");
        assertThat(rejected.json().path("reason").asText()).isEqualTo("document unreadable");
        assertThat(h.summary(creator, h.staff).json().path("kyc_reason").asText()).isEqualTo("document unreadable");

        Answer resubmitted = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-05-17"));
        assertThat(resubmitted.status()).isEqualTo(201);
        assertThat(h.summary(creator, h.staff).json().path("kyc").asText()).isEqualTo("pending");
    }

    @Test
    void theCreatorCannotReviewTheirOwnVerificationEvenAsStaff() {
        String id = UUID.randomUUID().toString();
        String token = h.tokens.person(id, "girlfanz", "creator", "staff");
        String verification = h.post("/v1/verifications", token, ComplianceHarness.verificationBody("1990-05-17"))
            .json().path("id").asText();
        Answer review = h.post("/v1/verifications/" + verification + "/review", token, "{\"decision\":\"approve\"}");
        assertThat(review.status()).isEqualTo(403);
        assertThat(h.get("/v1/verifications/" + verification, token).json().path("status").asText()).isEqualTo("pending");
    }

    @Test
    void anApprovalOfSomeoneUnder18RejectsKycAndAge() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Creator minor = h.creator();
        String id = h.post("/v1/verifications", minor.token(),
            ComplianceHarness.verificationBody(today.minusYears(18).plusDays(1).toString())).json().path("id").asText();
        Answer reviewed = h.post("/v1/verifications/" + id + "/review", h.staff, "{\"decision\":\"approve\"}");
        assertThat(reviewed.status()).isEqualTo(200);
        assertThat(reviewed.json().path("kyc").asText()).isEqualTo("rejected");
        assertThat(reviewed.json().path("age").asText()).isEqualTo("rejected");
        assertThat(reviewed.json().path("reason").asText()).isEqualTo("under-18");

        Creator eighteenToday = h.creator();
        String adult = h.post("/v1/verifications", eighteenToday.token(),
            ComplianceHarness.verificationBody(today.minusYears(18).toString())).json().path("id").asText();
        assertThat(h.post("/v1/verifications/" + adult + "/review", h.staff, "{\"decision\":\"approve\"}")
            .json().path("age").asText()).isEqualTo("verified");

        Answer minorRecord = h.post("/v1/records-2257", minor.token(),
            ComplianceHarness.recordBody(minor.id(), today.minusYears(17).toString(), false));
        assertThat(minorRecord.status()).isEqualTo(422);
        assertThat(minorRecord.type()).isEqualTo("performer-under-18");
    }

    @Test
    void anotherBrandSeesNothingAndAFanIsForbidden() {
        Creator creator = h.creator();
        String id = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-05-17"))
            .json().path("id").asText();
        String otherStaff = h.tokens.person(UUID.randomUUID().toString(), "boyfanz", "staff");
        assertThat(h.get("/v1/verifications/" + id, otherStaff).status()).isEqualTo(404);
        assertThat(h.post("/v1/verifications/" + id + "/review", otherStaff, "{\"decision\":\"approve\"}").status())
            .isEqualTo(404);
        assertThat(h.summary(creator, otherStaff).status()).isEqualTo(404);

        String fan = h.tokens.person(UUID.randomUUID().toString(), "girlfanz", "fan");
        assertThat(h.get("/v1/verifications/" + id, fan).status()).isEqualTo(403);
        assertThat(h.post("/v1/verifications/" + id + "/review", fan, "{\"decision\":\"approve\"}").status()).isEqualTo(403);
        assertThat(h.summary(creator, fan).status()).isEqualTo(403);
        assertThat(h.post("/v1/verifications", fan, ComplianceHarness.verificationBody("1990-05-17")).status())
            .isEqualTo(403);
        assertThat(h.get("/v1/verifications/" + id, null).status()).isEqualTo(401);
    }

    @Test
    void aTaxFormIsRecordedByStaff() {
        Creator creator = h.creator();
        String body = "{\"form\":\"W-8BEN\",\"reference\":\"vault://tax/9\",\"received_on\":\"2025-01-02\"}";
        assertThat(h.put("/v1/creators/" + creator.id() + "/tax-form?tenant=girlfanz", creator.token(), body).status())
            .isEqualTo(403);
        Answer bad = h.put("/v1/creators/" + creator.id() + "/tax-form?tenant=girlfanz", h.staff,
            "{\"form\":\"W-2\",\"reference\":\"r\",\"received_on\":\"2025-01-02\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("pointer").asText()).isEqualTo("/form");

        Answer saved = h.put("/v1/creators/" + creator.id() + "/tax-form?tenant=girlfanz", h.staff, body);
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().path("form").asText()).isEqualTo("W-8BEN");
        JsonNode summary = h.summary(creator, creator.token()).json();
        assertThat(summary.path("tax_form").asText()).isEqualTo("on_file");
        assertThat(summary.path("tax_form_details").path("received_on").asText()).isEqualTo("2025-01-02");
        assertThat(texts(summary.path("failed_checks"))).containsExactly("kyc", "age", "records_2257");
    }

    @Test
    void recordsAreCorrectedAsNewVersionsAndShowTheirAppearances() {
        Creator creator = h.creator();
        String own = h.record(creator, true);
        Answer second = h.post("/v1/records-2257", creator.token(), ComplianceHarness.recordBody(creator.id(), "1990-05-17", true));
        assertThat(second.status()).isEqualTo(409);
        assertThat(h.summary(creator, creator.token()).json().path("records_2257").asText()).isEqualTo("on_file");

        Answer corrected = h.put("/v1/records-2257/" + own, h.staff, """
            {"legal_name":"Jane Q. Doe","stage_names":["Janie","JQ"],"date_of_birth":"1990-05-17",
             "id_document_type":"driving_licence","id_document_reference":"vault://ids/2","id_examined_on":"%s"}"""
            .formatted(ComplianceHarness.today()));
        assertThat(corrected.status()).as(corrected.json().toString()).isEqualTo(200);
        assertThat(corrected.json().path("version").asInt()).isEqualTo(2);

        Answer release = h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), own, "post:abc-1"));
        assertThat(release.status()).isEqualTo(201);
        assertThat(h.post("/v1/model-releases", creator.token(), ComplianceHarness.releaseBody(creator.id(), own, "post:abc-1"))
            .status()).isEqualTo(409);

        JsonNode record = h.get("/v1/records-2257/" + own, h.tokens.service("content", "compliance:read")).json();
        assertThat(record.path("legal_name").asText()).isEqualTo("Jane Q. Doe");
        assertThat(texts(record.path("stage_names"))).containsExactly("Janie", "JQ");
        assertThat(texts(record.path("appearances"))).containsExactly("post:abc-1");
        assertThat(record.path("versions")).hasSize(1);
        assertThat(record.path("versions").get(0).path("version").asInt()).isEqualTo(1);
        assertThat(record.path("versions").get(0).path("legal_name").asText()).isEqualTo("Jane Doe");
        assertThat(record.path("versions").get(0).path("id_document_type").asText()).isEqualTo("passport");

        String coPerformer = h.record(creator, false);
        Answer first = h.get("/v1/records-2257?tenant=girlfanz&creator=" + creator.id() + "&limit=1", creator.token());
        assertThat(first.json().path("records")).hasSize(1);
        assertThat(first.json().path("records").get(0).path("id").asText()).isEqualTo(own);
        assertThat(first.json().path("records").get(0).has("versions")).isFalse();
        Answer rest = h.get("/v1/records-2257?tenant=girlfanz&creator=" + creator.id() + "&limit=1&cursor="
            + first.json().path("next").asText(), creator.token());
        assertThat(rest.json().path("records").get(0).path("id").asText()).isEqualTo(coPerformer);

        Answer releases = h.get("/v1/model-releases?tenant=girlfanz&content_ref=post:abc-1", h.staff);
        assertThat(releases.json().path("model_releases")).hasSize(1);
        assertThat(h.get("/v1/model-releases?tenant=girlfanz&content_ref=post:abc-1",
            h.tokens.person(UUID.randomUUID().toString(), "girlfanz", "fan")).status()).isEqualTo(403);
    }

    @Test
    void aModelReleaseForAnotherCreatorsRecordIsRefused() {
        Creator owner = h.creator();
        Creator other = h.creator();
        String record = h.record(owner, true);
        Answer refused = h.post("/v1/model-releases", other.token(),
            ComplianceHarness.releaseBody(other.id(), record, "post:x1"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.type()).isEqualTo("performer-record-mismatch");
        Answer notTheirs = h.post("/v1/model-releases", other.token(),
            ComplianceHarness.releaseBody(owner.id(), record, "post:x1"));
        assertThat(notTheirs.status()).isEqualTo(403);
    }

    @Test
    void clearanceGivesItsReasonsUntilContentIsCleared() {
        Creator creator = h.creator();
        String service = h.tokens.service("content", "compliance:read");
        String path = "/v1/clearances?tenant=girlfanz&creator=" + creator.id() + "&content_ref=asset:a-77";
        assertThat(texts(h.get(path, service).json().path("reasons")))
            .containsExactly("kyc-not-verified", "age-not-verified", "no-model-release", "creator-record-missing");
        assertThat(h.get(path, h.tokens.service("media")).status()).isEqualTo(403);

        h.verify(creator);
        assertThat(texts(h.get(path, service).json().path("reasons")))
            .containsExactly("no-model-release", "creator-record-missing");

        String coPerformer = h.record(creator, false);
        assertThat(h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), coPerformer, "asset:a-77")).status()).isEqualTo(201);
        JsonNode withRelease = h.get(path, creator.token()).json();
        assertThat(texts(withRelease.path("reasons"))).containsExactly("creator-record-missing");
        assertThat(withRelease.path("cleared").asBoolean()).isFalse();

        h.record(creator, true);
        JsonNode cleared = h.get(path, h.staff).json();
        assertThat(cleared.path("cleared").asBoolean()).isTrue();
        assertThat(cleared.path("reasons")).isEmpty();
        assertThat(texts(cleared.path("performers"))).containsExactly(coPerformer);
    }

    @Test
    void aPushWhileTheLedgerIsDownIsFailingWithItsErrorAndKeepsBeingRetried() throws InterruptedException {
        Creator creator = h.creator();
        h.taxForm(creator);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        JsonNode sync = h.summary(creator, h.staff).json().path("ledger_sync");
        while (sync.path("attempts").asInt() < 2 && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            sync = h.summary(creator, h.staff).json().path("ledger_sync");
        }
        assertThat(sync.path("status").asText()).isEqualTo("failing");
        assertThat(sync.path("attempts").asInt()).as(sync.toString()).isGreaterThanOrEqualTo(2);
        assertThat(sync.path("last_error").asText()).contains("cannot be reached");
        assertThat(sync.path("next_attempt_at").isNull()).isFalse();
        assertThat(sync.path("synced_at").isNull()).isTrue();
        Answer forced = h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz", h.staff, "");
        while (forced.json().path("status").asText().equals("sending") && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            forced = h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz", h.staff, "");
        }
        assertThat(forced.json().path("status").asText()).isEqualTo("failing");
        assertThat(forced.json().path("attempts").asInt()).isGreaterThan(sync.path("attempts").asInt());
        assertThat(h.post("/v1/creators/" + UUID.randomUUID() + "/compliance/push?tenant=girlfanz", h.staff, "")
            .status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Creator creator = h.creator();
        Answer unknown = h.post("/v1/verifications", creator.token(),
            ComplianceHarness.verificationBody("1990-05-17").replace("{", "{\"selfie\":\"x\","));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.type()).isEqualTo("unknown-field");
        assertThat(unknown.json().path("pointer").asText()).isEqualTo("/selfie");

        Answer badDate = h.post("/v1/verifications", creator.token(), ComplianceHarness.verificationBody("1990-02-30"));
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.type()).isEqualTo("invalid-field");
        assertThat(badDate.json().path("pointer").asText()).isEqualTo("/date_of_birth");

        Answer future = h.post("/v1/verifications", creator.token(),
            ComplianceHarness.verificationBody(LocalDate.now(ZoneOffset.UTC).plusDays(2).toString()));
        assertThat(future.json().path("pointer").asText()).isEqualTo("/date_of_birth");

        Answer badCountry = h.post("/v1/verifications", creator.token(),
            ComplianceHarness.verificationBody("1990-05-17").replace("\"US\"", "\"XX\""));
        assertThat(badCountry.status()).isEqualTo(400);
        assertThat(badCountry.json().path("pointer").asText()).isEqualTo("/country");

        Answer badRef = h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), UUID.randomUUID().toString(), "POST:1"));
        assertThat(badRef.json().path("pointer").asText()).isEqualTo("/content_ref");

        String record = h.record(creator, true);
        Answer longPrefix = h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), record, "a".repeat(16) + ":" + "x".repeat(64)));
        assertThat(longPrefix.status()).isEqualTo(400);
        assertThat(longPrefix.json().path("pointer").asText()).isEqualTo("/content_ref");
        assertThat(h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), record, "a".repeat(15) + ":" + "x".repeat(64))).status())
            .as("the longest reference fits its column").isEqualTo(201);
        assertThat(h.get("/v1/clearances?tenant=girlfanz&creator=" + creator.id() + "&content_ref=" + "a".repeat(16)
            + ":1", creator.token()).status()).isEqualTo(400);

        Answer malformed = h.post("/v1/verifications", creator.token(), "{");
        assertThat(malformed.type()).isEqualTo("malformed-json");
        assertThat(h.get("/v1/records-2257?tenant=girlfanz&creator=" + creator.id() + "&cursor=zzz", creator.token())
            .type()).isEqualTo("invalid-cursor");
        assertThat(h.get("/v1/verifications/not-a-uuid", creator.token()).status()).isEqualTo(404);
    }

    @Test
    void staffReadTheirBrandsAuditLog() {
        Creator creator = h.creator();
        h.verify(creator);
        Answer page = h.get("/v1/audit?tenant=girlfanz&limit=1000", h.staff);
        assertThat(page.status()).isEqualTo(200);
        Set<String> actions = new HashSet<>(page.json().path("entries").findValuesAsText("action"));
        assertThat(actions).contains("verification.submitted", "verification.reviewed", "summary.changed");
        long first = page.json().path("entries").get(0).path("seq").asLong();
        Answer after = h.get("/v1/audit?tenant=girlfanz&after=" + first + "&limit=1", h.staff);
        assertThat(after.json().path("entries").get(0).path("seq").asLong()).isGreaterThan(first);
        assertThat(after.json().path("next").asText()).isNotEmpty();
        assertThat(h.get("/v1/audit?tenant=girlfanz", creator.token()).status()).isEqualTo(403);
        assertThat(h.get("/v1/audit?tenant=boyfanz", h.staff).status()).isEqualTo(404);
        assertThat(h.get("/v1/audit/verify", h.staff).status()).isEqualTo(403);
        JsonNode verified = h.get("/v1/audit/verify", h.admin).json();
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
    }

    @Test
    void onlyAdminsAndServicesWithTheAuditScopeRehashTheChain() {
        assertThat(h.get("/v1/audit/verify", h.tokens.service("content", "compliance:read", "compliance:clearance"))
            .status()).isEqualTo(403);
        assertThat(h.get("/v1/audit/verify", h.tokens.service("ops")).status()).isEqualTo(403);
        assertThat(h.get("/v1/audit/verify", h.creator().token()).status()).isEqualTo(403);
        assertThat(h.get("/v1/audit/verify", h.tokens.service("ops", "compliance:audit")).status()).isEqualTo(200);
        assertThat(h.get("/v1/audit/verify", h.admin).status()).isEqualTo(200);
    }

    @Test
    void theClearanceScopeOpensClearancesAndNothingElseWhileTheReadScopeOpensEveryRead() {
        Creator creator = h.creator();
        String verification = h.verify(creator);
        String record = h.record(creator, true);
        assertThat(h.post("/v1/model-releases", creator.token(),
            ComplianceHarness.releaseBody(creator.id(), record, "post:p-9")).status()).isEqualTo(201);
        String clearance = "/v1/clearances?tenant=girlfanz&creator=" + creator.id() + "&content_ref=post:p-9";
        List<String> reads = List.of("/v1/verifications/" + verification,
            "/v1/creators/" + creator.id() + "/compliance?tenant=girlfanz",
            "/v1/records-2257?tenant=girlfanz&creator=" + creator.id(), "/v1/records-2257/" + record,
            "/v1/model-releases?tenant=girlfanz&content_ref=post:p-9");

        String content = h.tokens.service("content", "compliance:clearance", "media:read");
        Answer cleared = h.get(clearance, content);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().path("cleared").asBoolean()).isTrue();
        for (String read : reads) {
            assertThat(h.get(read, content).status()).as(read).isEqualTo(403);
        }

        String reader = h.tokens.service("payouts-bot", "compliance:read");
        assertThat(h.get(clearance, reader).status()).isEqualTo(200);
        for (String read : reads) {
            assertThat(h.get(read, reader).status()).as(read).isEqualTo(200);
        }
        assertThat(h.get(clearance, h.tokens.service("media")).status()).isEqualTo(403);
    }

    @Test
    void theOpenApiDocumentCoversExactlyTheRoutes() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(getClass().getResourceAsStream("/openapi/compliance.json"));
        Set<String> documented = new HashSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().fieldNames()
            .forEachRemaining(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        Set<String> routes = new HashSet<>(h.service.app().routes());
        routes.removeAll(Set.of("GET /health", "GET /metrics", "GET /openapi.json"));
        assertThat(documented).isEqualTo(routes);
    }
}
