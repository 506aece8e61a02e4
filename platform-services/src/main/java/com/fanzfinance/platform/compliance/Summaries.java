package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.CREATOR_STATES;
import static com.fanzfinance.platform.compliance.schema.Tables.LEDGER_PUSHES;
import static com.fanzfinance.platform.compliance.schema.Tables.RECORDS_2257;
import static com.fanzfinance.platform.compliance.schema.Tables.TAX_FORMS;
import static com.fanzfinance.platform.compliance.schema.Tables.VERIFICATIONS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.compliance.schema.tables.records.CreatorStatesRecord;
import com.fanzfinance.platform.compliance.schema.tables.records.LedgerPushesRecord;
import com.fanzfinance.platform.compliance.schema.tables.records.TaxFormsRecord;
import com.fanzfinance.platform.compliance.schema.tables.records.VerificationsRecord;

/**
 * A creator's compliance summary — KYC and age from their latest verification, the tax form, their own 2257
 * record — and the payout gate over it. The summary is derived from those tables; {@code creator_states} keeps
 * the last one computed with a version that grows at every change, and each change queues the ledger's payee
 * compliance in the {@code ledger_pushes} outbox in the same transaction (see {@link LedgerPusher}).
 */
final class Summaries {
    static final String UNVERIFIED = "unverified";
    static final String PENDING = "pending";
    static final String VERIFIED = "verified";
    static final String REJECTED = "rejected";
    static final String ON_FILE = "on_file";
    static final String MISSING = "missing";

    private Summaries() {
    }

    /** The summary's checks as they stand. */
    record Summary(String tenant, String creator, String kyc, String age, String taxForm, String records2257) {
        /** Paid only when KYC and age are verified and the tax form and the creator's own 2257 record are on file. */
        boolean payoutAllowed() {
            return failedChecks().isEmpty();
        }

        List<String> failedChecks() {
            List<String> failed = new ArrayList<>();
            if (!VERIFIED.equals(kyc)) {
                failed.add("kyc");
            }
            if (!VERIFIED.equals(age)) {
                failed.add("age");
            }
            if (!ON_FILE.equals(taxForm)) {
                failed.add("tax_form");
            }
            if (!ON_FILE.equals(records2257)) {
                failed.add("records_2257");
            }
            return failed;
        }

        /**
         * The ledger's {@code kyc}: {@code verified} only when KYC is verified and the tax form is on file (the
         * ledger has no tax-form check of its own); {@code pending} when KYC is verified but the form is missing;
         * otherwise the KYC status.
         */
        String ledgerKyc() {
            if (VERIFIED.equals(kyc)) {
                return ON_FILE.equals(taxForm) ? VERIFIED : PENDING;
            }
            return kyc;
        }

        boolean sameChecks(CreatorStatesRecord state) {
            return state != null && kyc.equals(state.getKyc()) && age.equals(state.getAge())
                && taxForm.equals(state.getTaxForm()) && records2257.equals(state.getRecords_2257());
        }
    }

    /** The creator's summary as the tables say now. */
    static Summary compute(DSLContext db, String tenant, String creator) {
        VerificationsRecord latest = latestVerification(db, tenant, creator);
        String kyc = latest == null ? UNVERIFIED : latest.getStatus();
        String age = latest == null ? UNVERIFIED : latest.getAgeStatus();
        boolean taxForm = db.fetchExists(TAX_FORMS, TAX_FORMS.TENANT.eq(tenant).and(TAX_FORMS.CREATOR.eq(creator)));
        boolean ownRecord = db.fetchExists(RECORDS_2257, RECORDS_2257.TENANT.eq(tenant)
            .and(RECORDS_2257.CREATOR.eq(creator)).and(RECORDS_2257.IS_CREATOR_SELF.isTrue()));
        return new Summary(tenant, creator, kyc, age, taxForm ? ON_FILE : MISSING, ownRecord ? ON_FILE : MISSING);
    }

    static VerificationsRecord latestVerification(DSLContext db, String tenant, String creator) {
        return db.selectFrom(VERIFICATIONS).where(VERIFICATIONS.TENANT.eq(tenant)).and(VERIFICATIONS.CREATOR.eq(creator))
            .orderBy(VERIFICATIONS.SEQ.desc()).limit(1).fetchOne();
    }

    /**
     * Recomputes the summary in {@code tx} (which holds the audit lock); when it changed, stores it under the
     * next version, queues its push to the ledger and audits the change. True when it changed.
     */
    static boolean refresh(DSLContext tx, String tenant, String creator, Instant now, String actor) {
        Summary summary = compute(tx, tenant, creator);
        CreatorStatesRecord state = tx.selectFrom(CREATOR_STATES).where(CREATOR_STATES.TENANT.eq(tenant))
            .and(CREATOR_STATES.CREATOR.eq(creator)).fetchOne();
        if (summary.sameChecks(state)) {
            return false;
        }
        long version = state == null ? 1 : state.getVersion() + 1;
        var at = now.atOffset(ZoneOffset.UTC);
        tx.insertInto(CREATOR_STATES)
            .set(CREATOR_STATES.TENANT, tenant).set(CREATOR_STATES.CREATOR, creator)
            .set(CREATOR_STATES.VERSION, version).set(CREATOR_STATES.KYC, summary.kyc())
            .set(CREATOR_STATES.AGE, summary.age()).set(CREATOR_STATES.TAX_FORM, summary.taxForm())
            .set(CREATOR_STATES.RECORDS_2257, summary.records2257()).set(CREATOR_STATES.UPDATED_AT, at)
            .onConflict(CREATOR_STATES.TENANT, CREATOR_STATES.CREATOR).doUpdate()
            .set(CREATOR_STATES.VERSION, version).set(CREATOR_STATES.KYC, summary.kyc())
            .set(CREATOR_STATES.AGE, summary.age()).set(CREATOR_STATES.TAX_FORM, summary.taxForm())
            .set(CREATOR_STATES.RECORDS_2257, summary.records2257()).set(CREATOR_STATES.UPDATED_AT, at)
            .execute();
        queuePush(tx, summary, version, at);
        ObjectNode data = render(summary, version);
        data.remove(List.of("tenant", "creator"));
        AuditLog.append(tx, now, tenant, actor, "summary.changed", "creator:" + creator, data);
        return true;
    }

    /**
     * Queues {@code version} of the summary in the creator's push row (locked for the rest of {@code tx}), due at
     * once with a fresh give-up time. A row being sent keeps its claim and lease: its sender sees the version
     * moved on when it completes and queues the row again, so the older state it sends is never the last.
     */
    private static void queuePush(DSLContext tx, Summary summary, long version, OffsetDateTime at) {
        LedgerPushesRecord push = tx.selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(summary.tenant()))
            .and(LEDGER_PUSHES.CREATOR.eq(summary.creator())).forUpdate().fetchOne();
        boolean fresh = push == null;
        if (fresh) {
            push = tx.newRecord(LEDGER_PUSHES);
            push.setTenant(summary.tenant());
            push.setCreator(summary.creator());
        }
        push.setVersion(version);
        push.setKyc(summary.ledgerKyc());
        push.setAge(summary.age());
        push.setRecords_2257(summary.records2257());
        push.setReference(LedgerPusher.reference(summary.creator(), version));
        push.setAttempts(0);
        push.setQueuedAt(at);
        push.setFailingSince(null);
        if (!LedgerPusher.SENDING.equals(push.getStatus())) {
            push.setStatus(LedgerPusher.PENDING);
            push.setNextAttemptAt(at);
        }
        if (fresh) {
            push.insert();
        } else {
            push.update();
        }
    }

    /** The summary's checks and gate as JSON. */
    static ObjectNode render(Summary summary, long version) {
        ObjectNode json = Json.object().put("tenant", summary.tenant()).put("creator", summary.creator())
            .put("version", version).put("kyc", summary.kyc()).put("age", summary.age())
            .put("tax_form", summary.taxForm()).put("records_2257", summary.records2257())
            .put("payout_allowed", summary.payoutAllowed());
        summary.failedChecks().forEach(json.putArray("failed_checks")::add);
        return json;
    }

    /** {@code GET /v1/creators/{creator}/compliance}: the summary, its latest verification, tax form and ledger sync. */
    static ObjectNode answer(DSLContext db, String tenant, String creator) {
        Summary summary = compute(db, tenant, creator);
        CreatorStatesRecord state = db.selectFrom(CREATOR_STATES).where(CREATOR_STATES.TENANT.eq(tenant))
            .and(CREATOR_STATES.CREATOR.eq(creator)).fetchOne();
        ObjectNode json = render(summary, state == null ? 0 : state.getVersion());
        VerificationsRecord latest = latestVerification(db, tenant, creator);
        if (latest == null) {
            json.putNull("verification_id");
            json.putNull("kyc_reason");
        } else {
            json.put("verification_id", latest.getId().toString());
            json.put("kyc_reason", latest.getReason());
        }
        TaxFormsRecord form = db.selectFrom(TAX_FORMS).where(TAX_FORMS.TENANT.eq(tenant))
            .and(TAX_FORMS.CREATOR.eq(creator)).fetchOne();
        if (form == null) {
            json.putNull("tax_form_details");
        } else {
            json.set("tax_form_details", TaxForms.render(form));
        }
        LedgerPushesRecord push = db.selectFrom(LEDGER_PUSHES).where(LEDGER_PUSHES.TENANT.eq(tenant))
            .and(LEDGER_PUSHES.CREATOR.eq(creator)).fetchOne();
        if (push == null) {
            json.putNull("ledger_sync");
        } else {
            json.set("ledger_sync", LedgerPusher.render(push));
        }
        return json;
    }
}
