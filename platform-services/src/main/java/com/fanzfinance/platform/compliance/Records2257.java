package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.MODEL_RELEASES;
import static com.fanzfinance.platform.compliance.schema.Tables.RECORDS_2257;
import static com.fanzfinance.platform.compliance.schema.Tables.RECORD_VERSIONS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Hashes;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.compliance.schema.tables.records.RecordVersionsRecord;
import com.fanzfinance.platform.compliance.schema.tables.records.Records_2257Record;

import io.javalin.http.Context;

/**
 * 18 U.S.C. 2257 records: one per performer appearing in a creator's content — the creator's own record
 * ({@code is_creator_self}, one per creator) and their co-performers' — with the legal name, stage names, date
 * of birth and the identity document examined (by reference), and the day it was examined; a performer under
 * 18 that day is refused. Records are never deleted: a correction is a new version, and every earlier version
 * stays in the record's {@code versions}. A record shows its {@code appearances}: the content its performer
 * has a model release for. The audit log holds each version's SHA-256 ({@code content_sha256}) instead of the
 * personal data.
 */
final class Records2257 {
    private static final int STAGE_NAMES_MAX = 20;
    private static final int STAGE_NAME_CHARS_MAX = 100;
    private final ComplianceRuntime runtime;

    Records2257(ComplianceRuntime runtime) {
        this.runtime = runtime;
    }

    /** A version's contents, as given and as kept. */
    private record Contents(String legalName, List<String> stageNames, LocalDate dateOfBirth, String idDocumentType,
            String idDocumentReference, LocalDate idExaminedOn) {
        ObjectNode json() {
            ObjectNode json = Json.object().put("legal_name", legalName);
            stageNames.forEach(json.putArray("stage_names")::add);
            return json.put("date_of_birth", dateOfBirth.toString()).put("id_document_type", idDocumentType)
                .put("id_document_reference", idDocumentReference).put("id_examined_on", idExaminedOn.toString());
        }

        String sha256() {
            return Hashes.sha256Hex(CanonicalJson.write(json()));
        }
    }

    /** {@code POST /v1/records-2257}: the creator (for themself or a co-performer) or staff of the brand. */
    void create(Context ctx) {
        Caller caller = runtime.caller(ctx);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "tenant", "creator", "legal_name", "stage_names", "date_of_birth", "id_document_type",
            "id_document_reference", "id_examined_on", "is_creator_self");
        String tenant = Fields.tenant(body);
        String creator = Json.text(body, "creator", Json.PLATFORM_ID, "a platform id");
        Access.requireCreatorOrReviewer(caller, tenant, creator, "brand");
        Contents contents = contents(body);
        boolean self = Fields.bool(body, "is_creator_self");
        Records_2257Record created = runtime.write(tx -> {
            if (self && tx.fetchExists(RECORDS_2257, RECORDS_2257.TENANT.eq(tenant).and(RECORDS_2257.CREATOR.eq(creator))
                    .and(RECORDS_2257.IS_CREATOR_SELF.isTrue()))) {
                throw Problem.conflict("creator-record-exists",
                    "the creator's own record is on file already; correct it with PUT /v1/records-2257/{id}");
            }
            Instant now = runtime.clock().instant();
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            Records_2257Record row = tx.newRecord(RECORDS_2257);
            row.setId(UUID.randomUUID());
            row.setTenant(tenant);
            row.setCreator(creator);
            row.setIsCreatorSelf(self);
            row.setVersion(1);
            set(row, contents);
            row.setCreatedBy(caller.subject());
            row.setCreatedAt(at);
            row.setUpdatedBy(caller.subject());
            row.setUpdatedAt(at);
            row.insert();
            AuditLog.append(tx, now, tenant, Access.actor(caller), "record_2257.created", "record_2257:" + row.getId(),
                Json.object().put("creator", creator).put("is_creator_self", self).put("version", 1)
                    .put("content_sha256", contents.sha256()));
            if (self) {
                Summaries.refresh(tx, tenant, creator, now, Access.actor(caller));
            }
            return row;
        });
        Json.answer(ctx, 201, renderFull(created));
    }

    /** {@code PUT /v1/records-2257/{id}}: a correction, kept as the next version. */
    void correct(Context ctx) {
        Caller caller = runtime.caller(ctx);
        UUID id = Fields.idPath(ctx, "record");
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "legal_name", "stage_names", "date_of_birth", "id_document_type",
            "id_document_reference", "id_examined_on");
        Contents contents = contents(body);
        Records_2257Record corrected = runtime.write(tx -> {
            Records_2257Record row = tx.selectFrom(RECORDS_2257).where(RECORDS_2257.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("no such record");
            }
            Access.requireCreatorOrReviewer(caller, row.getTenant(), row.getCreator(), "record");
            Instant now = runtime.clock().instant();
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            RecordVersionsRecord old = tx.newRecord(RECORD_VERSIONS);
            old.setRecordId(id);
            old.setVersion(row.getVersion());
            old.setLegalName(row.getLegalName());
            old.setStageNames(row.getStageNames());
            old.setDateOfBirth(row.getDateOfBirth());
            old.setIdDocumentType(row.getIdDocumentType());
            old.setIdDocumentReference(row.getIdDocumentReference());
            old.setIdExaminedOn(row.getIdExaminedOn());
            old.setRecordedBy(row.getUpdatedBy());
            old.setRecordedAt(row.getUpdatedAt());
            old.setReplacedBy(caller.subject());
            old.setReplacedAt(at);
            old.insert();
            row.setVersion(row.getVersion() + 1);
            set(row, contents);
            row.setUpdatedBy(caller.subject());
            row.setUpdatedAt(at);
            row.store();
            AuditLog.append(tx, now, row.getTenant(), Access.actor(caller), "record_2257.corrected",
                "record_2257:" + id, Json.object().put("creator", row.getCreator()).put("version", row.getVersion())
                    .put("previous_version", old.getVersion()).put("content_sha256", contents.sha256()));
            return row;
        });
        Json.answer(ctx, 200, renderFull(corrected));
    }

    /** {@code GET /v1/records-2257/{id}}: with its appearances and earlier versions. */
    void get(Context ctx) {
        Caller caller = runtime.caller(ctx);
        UUID id = Fields.idPath(ctx, "record");
        Records_2257Record row = runtime.db().selectFrom(RECORDS_2257).where(RECORDS_2257.ID.eq(id)).fetchOne();
        if (row == null) {
            throw Problem.notFound("no such record");
        }
        Access.requireReader(caller, row.getTenant(), row.getCreator(), "record");
        Json.answer(ctx, 200, renderFull(row));
    }

    /** {@code GET /v1/records-2257?tenant=&creator=}: the creator's records in creation order (without history). */
    void list(Context ctx) {
        Caller caller = runtime.caller(ctx);
        String tenant = Fields.tenantQuery(ctx);
        String creator = Fields.query(ctx, "creator", Json.PLATFORM_ID, "a platform id");
        Access.requireReader(caller, tenant, creator, "brand");
        int limit = Fields.limit(ctx);
        long after = Fields.cursor(ctx);
        List<Records_2257Record> rows = runtime.db().selectFrom(RECORDS_2257).where(RECORDS_2257.TENANT.eq(tenant))
            .and(RECORDS_2257.CREATOR.eq(creator)).and(RECORDS_2257.SEQ.gt(after)).orderBy(RECORDS_2257.SEQ)
            .limit(limit).fetch();
        ObjectNode page = Json.object();
        ArrayNode records = page.putArray("records");
        rows.forEach(row -> records.add(render(row)));
        page.put("next", rows.size() == limit ? Fields.cursorAfter(rows.get(rows.size() - 1).getSeq()) : null);
        Json.answer(ctx, 200, page);
    }

    private Contents contents(JsonNode body) {
        LocalDate today = runtime.today();
        String legalName = Json.plainText(body, "legal_name", Fields.NAME_MAX);
        List<String> stageNames = stageNames(body);
        LocalDate dateOfBirth = Fields.date(body, "date_of_birth", today);
        String documentType = Fields.oneOf(body, "id_document_type", Fields.DOCUMENT_TYPES);
        String documentReference = Json.plainText(body, "id_document_reference", Fields.REFERENCE_MAX);
        LocalDate examinedOn = Fields.date(body, "id_examined_on", today);
        if (examinedOn.isBefore(dateOfBirth)) {
            throw Problem.invalidField("'id_examined_on' cannot be before 'date_of_birth'", "/id_examined_on");
        }
        if (!Fields.adultOn(dateOfBirth, examinedOn)) {
            throw Problem.unprocessable("performer-under-18",
                "the performer was under 18 on " + examinedOn + ", the day their identity document was examined");
        }
        return new Contents(legalName, stageNames, dateOfBirth, documentType, documentReference, examinedOn);
    }

    private static List<String> stageNames(JsonNode body) {
        JsonNode names = body.get("stage_names");
        if (names == null || names.isNull()) {
            return List.of();
        }
        if (!names.isArray() || names.size() > STAGE_NAMES_MAX) {
            throw Problem.invalidField("'stage_names' must be an array of at most " + STAGE_NAMES_MAX + " names",
                "/stage_names");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            JsonNode name = names.get(i);
            if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > STAGE_NAME_CHARS_MAX
                    || name.asText().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw Problem.invalidField("a stage name is 1–" + STAGE_NAME_CHARS_MAX
                    + " characters without control characters", "/stage_names/" + i);
            }
            unique.add(name.asText());
        }
        return List.copyOf(unique);
    }

    private static void set(Records_2257Record row, Contents contents) {
        row.setLegalName(contents.legalName());
        row.setStageNames(JSON.json(CanonicalJson.write(contents.json().get("stage_names"))));
        row.setDateOfBirth(contents.dateOfBirth());
        row.setIdDocumentType(contents.idDocumentType());
        row.setIdDocumentReference(contents.idDocumentReference());
        row.setIdExaminedOn(contents.idExaminedOn());
    }

    private static JsonNode parse(JSON json) {
        try {
            return Json.MAPPER.readTree(json.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode render(Records_2257Record row) {
        ObjectNode json = Json.object().put("id", row.getId().toString()).put("tenant", row.getTenant())
            .put("creator", row.getCreator()).put("is_creator_self", row.getIsCreatorSelf())
            .put("version", row.getVersion()).put("legal_name", row.getLegalName());
        json.set("stage_names", parse(row.getStageNames()));
        return json.put("date_of_birth", row.getDateOfBirth().toString())
            .put("id_document_type", row.getIdDocumentType()).put("id_document_reference", row.getIdDocumentReference())
            .put("id_examined_on", row.getIdExaminedOn().toString()).put("created_by", row.getCreatedBy())
            .put("created_at", row.getCreatedAt().toInstant().toString()).put("updated_by", row.getUpdatedBy())
            .put("updated_at", row.getUpdatedAt().toInstant().toString());
    }

    private ObjectNode renderFull(Records_2257Record row) {
        ObjectNode json = render(row);
        ArrayNode appearances = json.putArray("appearances");
        runtime.db().select(MODEL_RELEASES.CONTENT_REF).from(MODEL_RELEASES)
            .where(MODEL_RELEASES.PERFORMER_RECORD_ID.eq(row.getId())).orderBy(MODEL_RELEASES.SEQ)
            .fetch(MODEL_RELEASES.CONTENT_REF).forEach(appearances::add);
        ArrayNode versions = json.putArray("versions");
        for (RecordVersionsRecord old : runtime.db().selectFrom(RECORD_VERSIONS)
                .where(RECORD_VERSIONS.RECORD_ID.eq(row.getId())).orderBy(RECORD_VERSIONS.VERSION).fetch()) {
            ObjectNode version = versions.addObject().put("version", old.getVersion()).put("legal_name", old.getLegalName());
            version.set("stage_names", parse(old.getStageNames()));
            version.put("date_of_birth", old.getDateOfBirth().toString()).put("id_document_type", old.getIdDocumentType())
                .put("id_document_reference", old.getIdDocumentReference())
                .put("id_examined_on", old.getIdExaminedOn().toString()).put("recorded_by", old.getRecordedBy())
                .put("recorded_at", old.getRecordedAt().toInstant().toString()).put("replaced_by", old.getReplacedBy())
                .put("replaced_at", old.getReplacedAt().toInstant().toString());
        }
        return json;
    }
}
