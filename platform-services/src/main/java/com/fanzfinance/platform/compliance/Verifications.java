package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.VERIFICATIONS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.compliance.schema.tables.records.VerificationsRecord;

import io.javalin.http.Context;

/**
 * KYC and age verification, provider-neutral, with a manual review. A creator submits what a provider (or a
 * person, {@code manual}) checked — the provider's reference, date of birth, legal name, country and which
 * identity document, by reference to where it is stored, never the document — and it is {@code pending}; one
 * submission at a time is open (a new one needs the last rejected). Staff or an admin of the brand, never the
 * creator themself, approves or rejects it: an approval verifies KYC, and age only when the date of birth
 * makes the creator 18 or older on the review date — otherwise both are rejected with reason
 * {@code under-18}. The audit log records each step without the personal data (legal name, date of birth).
 */
final class Verifications {
    private static final Set<String> DECISIONS = Set.of("approve", "reject");
    private final ComplianceRuntime runtime;

    Verifications(ComplianceRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code POST /v1/verifications}: the creator submits theirs. */
    void submit(Context ctx) {
        Caller caller = runtime.caller(ctx);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "tenant", "provider", "reference", "date_of_birth", "legal_name", "country",
            "document_type", "document_reference");
        String tenant = Fields.tenant(body);
        if (caller.isService() || !caller.has(Caller.CREATOR)) {
            throw Problem.forbidden("only a creator submits their own verification");
        }
        if (!caller.tenant().equals(tenant)) {
            throw Problem.forbidden("a creator submits a verification on their own brand only");
        }
        String creator = caller.subject();
        String provider = Json.plainText(body, "provider", 64);
        String reference = Json.plainText(body, "reference", Fields.REFERENCE_MAX);
        LocalDate dateOfBirth = Fields.date(body, "date_of_birth", runtime.today());
        String legalName = Json.plainText(body, "legal_name", Fields.NAME_MAX);
        String country = Fields.country(body, "country");
        String documentType = Fields.oneOf(body, "document_type", Fields.DOCUMENT_TYPES);
        String documentReference = Json.plainText(body, "document_reference", Fields.REFERENCE_MAX);
        VerificationsRecord created = runtime.write(tx -> {
            VerificationsRecord open = tx.selectFrom(VERIFICATIONS).where(VERIFICATIONS.TENANT.eq(tenant))
                .and(VERIFICATIONS.CREATOR.eq(creator))
                .and(VERIFICATIONS.STATUS.in(Summaries.PENDING, Summaries.VERIFIED)).fetchAny();
            if (open != null) {
                String detail = "verification " + open.getId() + " is " + open.getStatus()
                    + "; a new one can follow a rejection only";
                Problem refused = Summaries.PENDING.equals(open.getStatus())
                    ? Problem.conflict("verification-pending", detail) : Problem.conflict("already-verified", detail);
                throw refused.with("verification_id", open.getId().toString());
            }
            Instant now = runtime.clock().instant();
            VerificationsRecord row = tx.newRecord(VERIFICATIONS);
            row.setId(UUID.randomUUID());
            row.setTenant(tenant);
            row.setCreator(creator);
            row.setProvider(provider);
            row.setReference(reference);
            row.setDateOfBirth(dateOfBirth);
            row.setLegalName(legalName);
            row.setCountry(country);
            row.setDocumentType(documentType);
            row.setDocumentReference(documentReference);
            row.setStatus(Summaries.PENDING);
            row.setAgeStatus(Summaries.PENDING);
            row.setCreatedAt(now.atOffset(ZoneOffset.UTC));
            row.insert();
            AuditLog.append(tx, now, tenant, Access.actor(caller), "verification.submitted", "verification:" + row.getId(),
                Json.object().put("creator", creator).put("provider", provider).put("reference", reference)
                    .put("country", country).put("document_type", documentType)
                    .put("document_reference", documentReference));
            Summaries.refresh(tx, tenant, creator, now, Access.actor(caller));
            return row;
        });
        Json.answer(ctx, 201, render(created));
    }

    /** {@code POST /v1/verifications/{id}/review}: staff or admin of the brand decides. */
    void review(Context ctx) {
        Caller caller = runtime.caller(ctx);
        UUID id = Fields.idPath(ctx, "verification");
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "decision", "reason");
        String decision = Fields.oneOf(body, "decision", DECISIONS);
        String reason = Json.optionalPlainText(body, "reason", Fields.REASON_MAX);
        if (decision.equals("reject") && reason == null) {
            throw Problem.invalidField("a rejection needs a 'reason'", "/reason");
        }
        VerificationsRecord reviewed = runtime.write(tx -> {
            VerificationsRecord row = tx.selectFrom(VERIFICATIONS).where(VERIFICATIONS.ID.eq(id)).forUpdate().fetchOne();
            if (row == null || !caller.sees(row.getTenant())) {
                throw Problem.notFound("no such verification");
            }
            if (caller.subject().equals(row.getCreator())) {
                throw Problem.forbidden("a creator cannot review their own verification");
            }
            Access.requireReviewer(caller, row.getTenant(), "verification");
            if (!Summaries.PENDING.equals(row.getStatus())) {
                throw Problem.conflict("verification-not-pending", "verification " + id + " is " + row.getStatus()
                    + " already");
            }
            Instant now = runtime.clock().instant();
            if (decision.equals("reject")) {
                row.setStatus(Summaries.REJECTED);
                row.setAgeStatus(Summaries.REJECTED);
                row.setReason(reason);
            } else if (Fields.adultOn(row.getDateOfBirth(), runtime.today())) {
                row.setStatus(Summaries.VERIFIED);
                row.setAgeStatus(Summaries.VERIFIED);
                row.setReason(reason);
            } else {
                row.setStatus(Summaries.REJECTED);
                row.setAgeStatus(Summaries.REJECTED);
                row.setReason("under-18");
            }
            row.setReviewer(caller.subject());
            row.setReviewedAt(now.atOffset(ZoneOffset.UTC));
            row.store();
            ObjectNode data = Json.object().put("creator", row.getCreator()).put("decision", decision)
                .put("kyc", row.getStatus()).put("age", row.getAgeStatus()).put("reason", row.getReason());
            AuditLog.append(tx, now, row.getTenant(), Access.actor(caller), "verification.reviewed",
                "verification:" + id, data);
            Summaries.refresh(tx, row.getTenant(), row.getCreator(), now, Access.actor(caller));
            return row;
        });
        Json.answer(ctx, 200, render(reviewed));
    }

    /** {@code GET /v1/verifications/{id}}. */
    void get(Context ctx) {
        Caller caller = runtime.caller(ctx);
        UUID id = Fields.idPath(ctx, "verification");
        VerificationsRecord row = runtime.db().selectFrom(VERIFICATIONS).where(VERIFICATIONS.ID.eq(id)).fetchOne();
        if (row == null) {
            throw Problem.notFound("no such verification");
        }
        Access.requireReader(caller, row.getTenant(), row.getCreator(), "verification");
        Json.answer(ctx, 200, render(row));
    }

    static ObjectNode render(VerificationsRecord row) {
        ObjectNode json = Json.object().put("id", row.getId().toString()).put("tenant", row.getTenant())
            .put("creator", row.getCreator()).put("provider", row.getProvider()).put("reference", row.getReference())
            .put("date_of_birth", row.getDateOfBirth().toString()).put("legal_name", row.getLegalName())
            .put("country", row.getCountry()).put("document_type", row.getDocumentType())
            .put("document_reference", row.getDocumentReference()).put("status", row.getStatus())
            .put("kyc", row.getStatus()).put("age", row.getAgeStatus()).put("reason", row.getReason())
            .put("reviewer", row.getReviewer());
        json.put("reviewed_at", row.getReviewedAt() == null ? null : row.getReviewedAt().toInstant().toString());
        json.put("created_at", row.getCreatedAt().toInstant().toString());
        return json;
    }
}
