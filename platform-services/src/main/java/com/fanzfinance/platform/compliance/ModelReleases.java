package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.MODEL_RELEASES;
import static com.fanzfinance.platform.compliance.schema.Tables.RECORDS_2257;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.compliance.schema.tables.records.ModelReleasesRecord;
import com.fanzfinance.platform.compliance.schema.tables.records.Records_2257Record;

import io.javalin.http.Context;

/**
 * Model releases — a performer's signed consent for one piece of content, tied to the performer's 2257 record
 * of the same creator — and the clearance the content service asks for before publishing: content is cleared
 * when the creator's KYC and age are verified, at least one release covers it, every performer released for it
 * has a 2257 record (a release can only name an existing record of that creator) and the creator's own record
 * is on file. The reasons it is not are stable codes, in this order: {@code kyc-not-verified},
 * {@code age-not-verified}, {@code no-model-release}, {@code creator-record-missing}.
 */
final class ModelReleases {
    private final ComplianceRuntime runtime;

    ModelReleases(ComplianceRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code POST /v1/model-releases}: the creator or staff of the brand. */
    void create(Context ctx) {
        Caller caller = runtime.caller(ctx);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "tenant", "creator", "performer_record_id", "content_ref", "signed_on",
            "document_reference");
        String tenant = Fields.tenant(body);
        String creator = Json.text(body, "creator", Json.PLATFORM_ID, "a platform id");
        Access.requireCreatorOrReviewer(caller, tenant, creator, "brand");
        UUID recordId = Json.uuid(body, "performer_record_id");
        String contentRef = Json.text(body, "content_ref", Fields.CONTENT_REF, "a content reference such as post:<id>");
        LocalDate signedOn = Fields.date(body, "signed_on", runtime.today());
        String documentReference = Json.plainText(body, "document_reference", Fields.REFERENCE_MAX);
        ModelReleasesRecord created = runtime.write(tx -> {
            Records_2257Record record = tx.selectFrom(RECORDS_2257).where(RECORDS_2257.ID.eq(recordId)).fetchOne();
            if (record == null || !record.getTenant().equals(tenant) || !record.getCreator().equals(creator)) {
                throw Problem.unprocessable("performer-record-mismatch",
                    "performer record " + recordId + " is not one of this creator's 2257 records");
            }
            if (tx.fetchExists(MODEL_RELEASES, MODEL_RELEASES.PERFORMER_RECORD_ID.eq(recordId)
                    .and(MODEL_RELEASES.CONTENT_REF.eq(contentRef)))) {
                throw Problem.conflict("release-exists", "that performer's release for " + contentRef + " is on file already");
            }
            Instant now = runtime.clock().instant();
            ModelReleasesRecord row = tx.newRecord(MODEL_RELEASES);
            row.setId(UUID.randomUUID());
            row.setTenant(tenant);
            row.setCreator(creator);
            row.setPerformerRecordId(recordId);
            row.setContentRef(contentRef);
            row.setSignedOn(signedOn);
            row.setDocumentReference(documentReference);
            row.setCreatedBy(caller.subject());
            row.setCreatedAt(now.atOffset(ZoneOffset.UTC));
            row.insert();
            AuditLog.append(tx, now, tenant, Access.actor(caller), "model_release.created", "model_release:" + row.getId(),
                Json.object().put("creator", creator).put("performer_record_id", recordId.toString())
                    .put("content_ref", contentRef).put("signed_on", signedOn.toString())
                    .put("document_reference", documentReference));
            return row;
        });
        Json.answer(ctx, 201, render(created));
    }

    /**
     * {@code GET /v1/model-releases?tenant=&content_ref=} (optionally {@code creator=}): staff and services see
     * every creator's, a creator only their own.
     */
    void list(Context ctx) {
        Caller caller = runtime.caller(ctx);
        String tenant = Fields.tenantQuery(ctx);
        String contentRef = Fields.query(ctx, "content_ref", Fields.CONTENT_REF, "a content reference such as post:<id>");
        String creator = ctx.queryParam("creator") == null ? null
            : Fields.query(ctx, "creator", Json.PLATFORM_ID, "a platform id");
        if (caller.isService()) {
            caller.requireScope(Access.READ_SCOPE);
        } else {
            caller.requireTenant(tenant, "brand");
            if (!Access.isReviewerOf(caller, tenant)) {
                if (!caller.has(Caller.CREATOR) || creator != null && !creator.equals(caller.subject())) {
                    throw Problem.forbidden("a creator lists their own model releases only");
                }
                creator = caller.subject();
            }
        }
        int limit = Fields.limit(ctx);
        long after = Fields.cursor(ctx);
        Condition where = MODEL_RELEASES.TENANT.eq(tenant).and(MODEL_RELEASES.CONTENT_REF.eq(contentRef))
            .and(MODEL_RELEASES.SEQ.gt(after));
        if (creator != null) {
            where = where.and(MODEL_RELEASES.CREATOR.eq(creator));
        }
        List<ModelReleasesRecord> rows = runtime.db().selectFrom(MODEL_RELEASES).where(where).orderBy(MODEL_RELEASES.SEQ)
            .limit(limit).fetch();
        ObjectNode page = Json.object();
        ArrayNode releases = page.putArray("model_releases");
        rows.forEach(row -> releases.add(render(row)));
        page.put("next", rows.size() == limit ? Fields.cursorAfter(rows.get(rows.size() - 1).getSeq()) : null);
        Json.answer(ctx, 200, page);
    }

    /**
     * {@code GET /v1/clearances?tenant=&creator=&content_ref=}: the creator, their brand's staff, or a service
     * with {@code compliance:clearance} (all the content service needs) or {@code compliance:read}.
     */
    void clearance(Context ctx) {
        Caller caller = runtime.caller(ctx);
        String tenant = Fields.tenantQuery(ctx);
        String creator = Fields.query(ctx, "creator", Json.PLATFORM_ID, "a platform id");
        String contentRef = Fields.query(ctx, "content_ref", Fields.CONTENT_REF, "a content reference such as post:<id>");
        Access.requireClearanceReader(caller, tenant, creator);
        Summaries.Summary summary = Summaries.compute(runtime.db(), tenant, creator);
        Set<UUID> performers = new LinkedHashSet<>(runtime.db().select(MODEL_RELEASES.PERFORMER_RECORD_ID)
            .from(MODEL_RELEASES).where(MODEL_RELEASES.TENANT.eq(tenant)).and(MODEL_RELEASES.CREATOR.eq(creator))
            .and(MODEL_RELEASES.CONTENT_REF.eq(contentRef)).orderBy(MODEL_RELEASES.SEQ)
            .fetch(MODEL_RELEASES.PERFORMER_RECORD_ID));
        List<String> reasons = new ArrayList<>();
        if (!Summaries.VERIFIED.equals(summary.kyc())) {
            reasons.add("kyc-not-verified");
        }
        if (!Summaries.VERIFIED.equals(summary.age())) {
            reasons.add("age-not-verified");
        }
        if (performers.isEmpty()) {
            reasons.add("no-model-release");
        }
        if (!Summaries.ON_FILE.equals(summary.records2257())) {
            reasons.add("creator-record-missing");
        }
        ObjectNode json = Json.object().put("tenant", tenant).put("creator", creator).put("content_ref", contentRef)
            .put("cleared", reasons.isEmpty());
        reasons.forEach(json.putArray("reasons")::add);
        ArrayNode ids = json.putArray("performers");
        performers.forEach(id -> ids.add(id.toString()));
        Json.answer(ctx, 200, json);
    }

    static ObjectNode render(ModelReleasesRecord row) {
        return Json.object().put("id", row.getId().toString()).put("tenant", row.getTenant())
            .put("creator", row.getCreator()).put("performer_record_id", row.getPerformerRecordId().toString())
            .put("content_ref", row.getContentRef()).put("signed_on", row.getSignedOn().toString())
            .put("document_reference", row.getDocumentReference()).put("created_by", row.getCreatedBy())
            .put("created_at", row.getCreatedAt().toInstant().toString());
    }
}
