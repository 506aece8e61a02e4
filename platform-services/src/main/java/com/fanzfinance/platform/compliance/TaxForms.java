package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.TAX_FORMS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.compliance.schema.tables.records.TaxFormsRecord;

import io.javalin.http.Context;

/**
 * The creator's tax form on file (W-9, W-8BEN or W-8BEN-E), recorded by the brand's staff once received; a
 * later form replaces the earlier one. A form on file is one of the payout gate's conditions.
 */
final class TaxForms {
    static final Set<String> FORMS = Set.of("W-9", "W-8BEN", "W-8BEN-E");
    private final ComplianceRuntime runtime;

    TaxForms(ComplianceRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code PUT /v1/creators/{creator}/tax-form?tenant=}. */
    void put(Context ctx) {
        Caller caller = runtime.caller(ctx);
        String creator = Fields.creatorPath(ctx);
        String tenant = Fields.tenantQuery(ctx);
        Access.requireReviewer(caller, tenant, "creator");
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "form", "reference", "received_on");
        String form = Fields.oneOf(body, "form", FORMS);
        String reference = Json.plainText(body, "reference", Fields.REFERENCE_MAX);
        LocalDate receivedOn = Fields.date(body, "received_on", runtime.today());
        if (caller.subject().equals(creator)) {
            throw Problem.forbidden("a creator cannot record their own tax form");
        }
        TaxFormsRecord saved = runtime.write(tx -> {
            Instant now = runtime.clock().instant();
            TaxFormsRecord row = tx.newRecord(TAX_FORMS);
            row.setTenant(tenant);
            row.setCreator(creator);
            row.setForm(form);
            row.setReference(reference);
            row.setReceivedOn(receivedOn);
            row.setRecordedBy(caller.subject());
            row.setRecordedAt(now.atOffset(ZoneOffset.UTC));
            tx.insertInto(TAX_FORMS).set(row).onConflict(TAX_FORMS.TENANT, TAX_FORMS.CREATOR).doUpdate().set(row).execute();
            AuditLog.append(tx, now, tenant, Access.actor(caller), "tax_form.recorded", "creator:" + creator,
                Json.object().put("form", form).put("reference", reference).put("received_on", receivedOn.toString()));
            Summaries.refresh(tx, tenant, creator, now, Access.actor(caller));
            return row;
        });
        Json.answer(ctx, 200, render(saved));
    }

    static ObjectNode render(TaxFormsRecord row) {
        return Json.object().put("tenant", row.getTenant()).put("creator", row.getCreator())
            .put("status", Summaries.ON_FILE).put("form", row.getForm()).put("reference", row.getReference())
            .put("received_on", row.getReceivedOn().toString()).put("recorded_by", row.getRecordedBy())
            .put("recorded_at", row.getRecordedAt().toInstant().toString());
    }
}
