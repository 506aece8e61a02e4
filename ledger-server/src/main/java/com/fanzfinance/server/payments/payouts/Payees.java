package com.fanzfinance.server.payments.payouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.payouts.ach.CorrectedData;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.SecretBox;
import com.fanzfinance.server.payments.schema.tables.records.PayeesRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYEES;

/**
 * Payees: a creator's payout profile (PAYMENTS-API §6), one per tenant and creator, and its compliance state.
 * Rail details (account numbers, IBANs) are sealed at rest with the server's {@link SecretBox} and shown masked.
 * A notification of change from the bank corrects them for later payouts, and the payee keeps a list of the
 * changes applied.
 */
public final class Payees {
    public static final Set<String> FIELDS = Set.of("tenant", "creator", "name", "email", "country", "currency", "rail",
        "rail_details", "schedule", "threshold");
    public static final Set<String> COMPLIANCE_FIELDS = Set.of("kyc", "age", "records_2257", "reference");
    /** The file rails: payouts reach the bank in a batch's file. */
    static final Set<String> RAILS = Set.of(RailAccounts.ACH, RailAccounts.SEPA);
    /** Every rail a payee may be paid by. */
    static final Set<String> ALL_RAILS = Set.of(RailAccounts.ACH, RailAccounts.SEPA, ApiRails.PAXUM, ApiRails.WISE,
        ApiRails.USDC_EVM, ApiRails.BTC);
    static final Set<String> SCHEDULES = Set.of("manual", "weekly", "threshold");
    static final Set<String> VERIFICATION = Set.of("unverified", "pending", "verified", "rejected");
    static final Set<String> RECORDS = Set.of("missing", "on_file");
    private static final int CHANGES_KEPT = 50;

    /** A payee as stored, rail details opened. */
    public record Payee(UUID id, long seq, String tenant, String creator, String name, String email, String country,
                        String currency, String rail, Map<String, String> railDetails, String schedule, Long threshold,
                        String kyc, String age, String records2257, String complianceReference,
                        Instant complianceUpdated, List<Map<String, String>> changes, Instant detailsChanged, Instant created,
                        Instant updated) {
        /** Since when the payee's bank details are what they are: made, or last changed by the payee. */
        public Instant detailsSince() {
            return detailsChanged == null ? created : detailsChanged;
        }

        /** The checks of the compliance gate that fail (empty: payouts are allowed). */
        public List<String> failedChecks() {
            List<String> failed = new ArrayList<>();
            if (!kyc.equals("verified")) {
                failed.add("kyc");
            }
            if (!age.equals("verified")) {
                failed.add("age");
            }
            if (!records2257.equals("on_file")) {
                failed.add("records_2257");
            }
            return failed;
        }

        public boolean payoutAllowed() {
            return failedChecks().isEmpty();
        }
    }

    private final DSLContext dsl;
    private final SecretBox box;
    private final Currencies currencies;

    public Payees(DSLContext dsl, SecretBox box, Currencies currencies) {
        this.dsl = dsl;
        this.box = box;
        this.currencies = currencies;
    }

    /** Creates the tenant's payee for the creator, or updates it (compliance untouched): {@code created} says which. */
    public Saved save(Fields fields, java.util.function.Predicate<String> tenantVisible) {
        String tenant = fields.requiredText("tenant", 64);
        if (!tenantVisible.test(tenant)) {
            throw Problem.invalidField("no tenant '" + tenant + "'", "/tenant");
        }
        String creator = fields.party("creator", true);
        String name = fields.requiredText("name", 200);
        String email = fields.text("email", 254);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw Problem.invalidField("'email' is an e-mail address", "/email");
        }
        String country = fields.requiredText("country", 2);
        if (!country.matches("[A-Z]{2}")) {
            throw Problem.invalidField("'country' is an ISO 3166 alpha-2 code such as US or DE", "/country");
        }
        String rail = rail(fields);
        String currency = fields.requiredText("currency", 10);
        if (!currencies.isKnown(currency)) {
            throw Problem.invalidField("'" + currency + "' is not a currency of the chart's registry", "/currency");
        }
        RailAccounts.currencyProblem(rail, currency).ifPresent(problem -> {
            throw Problem.invalidField(problem, "/currency");
        });
        Map<String, String> details = RailDetails.validate(rail, fields);
        if (rail.equals(RailAccounts.SEPA) && com.fanzfinance.payouts.sepa.EpcText.clean(name, 70).isEmpty()) {
            throw Problem.invalidField("a SEPA payee's name needs Latin letters or digits (the EPC character set)", "/name");
        }
        String schedule = fields.oneOf("schedule", SCHEDULES, "manual");
        Long threshold = fields.has("threshold") ? fields.minor("threshold", 0) : null;
        if (schedule.equals("threshold") && (threshold == null || threshold <= 0)) {
            throw Problem.invalidField("a threshold schedule needs 'threshold', a positive amount in minor units", "/threshold");
        }
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayeesRecord existing = tx.selectFrom(PAYEES).where(PAYEES.TENANT.eq(tenant), PAYEES.CREATOR.eq(creator))
                .forUpdate().fetchOne();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            UUID id = existing == null ? UUID.randomUUID() : existing.getId();
            if (existing == null) {
                tx.insertInto(PAYEES).set(PAYEES.ID, id).set(PAYEES.TENANT, tenant).set(PAYEES.CREATOR, creator)
                    .set(PAYEES.KYC, "unverified").set(PAYEES.AGE, "unverified").set(PAYEES.RECORDS_2257, "missing")
                    .set(PAYEES.CREATED, now).set(PAYEES.NAME, name).set(PAYEES.EMAIL, email).set(PAYEES.COUNTRY, country)
                    .set(PAYEES.CURRENCY, currency).set(PAYEES.RAIL, rail).set(PAYEES.RAIL_DETAILS, seal(id, details))
                    .set(PAYEES.SCHEDULE, schedule).set(PAYEES.THRESHOLD, threshold).set(PAYEES.UPDATED, now).execute();
            } else {
                boolean railChanged = !existing.getRail().equals(rail);
                if (railChanged && tx.fetchExists(com.fanzfinance.server.payments.schema.Tables.PAYOUTS,
                    com.fanzfinance.server.payments.schema.Tables.PAYOUTS.PAYEE_ID.eq(id),
                    com.fanzfinance.server.payments.schema.Tables.PAYOUTS.STATUS.in("requested", "held", "batched", "submitted"))) {
                    throw Problem.invalidField("the payee has payouts under way on " + existing.getRail()
                        + ": the rail can change once they are finished (or cancelled)", "/rail");
                }
                if (railChanged || !open(id, existing.getRailDetails()).equals(details)) {
                    tx.update(PAYEES).set(PAYEES.DETAILS_CHANGED, now).where(PAYEES.ID.eq(id)).execute();
                    withdrawApprovals(tx, id);
                }
                tx.update(PAYEES).set(PAYEES.NAME, name).set(PAYEES.EMAIL, email).set(PAYEES.COUNTRY, country)
                    .set(PAYEES.CURRENCY, currency).set(PAYEES.RAIL, rail).set(PAYEES.RAIL_DETAILS, seal(id, details))
                    .set(PAYEES.SCHEDULE, schedule).set(PAYEES.THRESHOLD, threshold).set(PAYEES.UPDATED, now)
                    .where(PAYEES.ID.eq(id)).execute();
            }
            return new Saved(load(tx, id).orElseThrow(), existing == null);
        });
    }

    /**
     * An approval was given to a payout going to the details it was approved with: new details (which the key that
     * requested the payout may save) make every approved payout of the payee that has not left wait for approval
     * again. Batches and the rail hand-over lock the payout row, so either they took it before this (with the old,
     * approved details) or they see it pending.
     */
    private static void withdrawApprovals(DSLContext tx, UUID payee) {
        var payouts = com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
        int withdrawn = tx.update(payouts).set(payouts.APPROVAL_STATUS, "pending").set(payouts.APPROVAL_BY, (String) null)
            .set(payouts.APPROVAL_AT, (OffsetDateTime) null).set(payouts.APPROVAL_NOTE, (String) null)
            .where(payouts.PAYEE_ID.eq(payee), payouts.STATUS.eq("held"), payouts.APPROVAL_STATUS.eq("approved"))
            .execute();
        if (withdrawn > 0) {
            org.slf4j.LoggerFactory.getLogger(Payees.class).info(
                "payee {}: new bank details; {} approved payouts wait for approval again", payee, withdrawn);
        }
    }

    /** The outcome of a save: the payee and whether this request made it. */
    public record Saved(Payee payee, boolean created) {
    }

    private static String rail(Fields fields) {
        String rail = fields.requiredText("rail", 16);
        if (!ALL_RAILS.contains(rail)) {
            throw Problem.invalidField("'rail' must be one of ach, sepa, paxum, wise, usdc_evm, btc", "/rail");
        }
        return rail;
    }

    /** Sets the compliance state the compliance service reports; fields not given keep their values. */
    public Payee setCompliance(UUID id, Fields fields) {
        fields.requireKnown(COMPLIANCE_FIELDS);
        Payee current = get(id).orElseThrow(() -> Problem.notFound("no payee " + id));
        String kyc = fields.oneOf("kyc", VERIFICATION, current.kyc());
        String age = fields.oneOf("age", VERIFICATION, current.age());
        String records = fields.oneOf("records_2257", RECORDS, current.records2257());
        String reference = fields.has("reference") ? fields.text("reference", 200) : current.complianceReference();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        dsl.update(PAYEES).set(PAYEES.KYC, kyc).set(PAYEES.AGE, age).set(PAYEES.RECORDS_2257, records)
            .set(PAYEES.COMPLIANCE_REFERENCE, reference).set(PAYEES.COMPLIANCE_UPDATED, now).set(PAYEES.UPDATED, now)
            .where(PAYEES.ID.eq(id)).execute();
        return get(id).orElseThrow();
    }

    /**
     * Applies a notification of change to the payee's ACH details, in {@code tx}: the corrected routing number,
     * account number or account type replace the old ones for later payouts. False when the payee is not on ACH.
     */
    boolean applyCorrection(DSLContext tx, UUID payeeId, String changeCode, CorrectedData corrected, Instant at) {
        PayeesRecord row = tx.selectFrom(PAYEES).where(PAYEES.ID.eq(payeeId)).forUpdate().fetchOne();
        if (row == null || !row.getRail().equals(RailAccounts.ACH) || correctionProblem(corrected).isPresent()) {
            return false;
        }
        Map<String, String> details = new TreeMap<>(open(row.getId(), row.getRailDetails()));
        if (corrected.routingNumber() != null) {
            details.put("routing_number", corrected.routingNumber());
        }
        if (corrected.accountNumber() != null) {
            details.put("account_number", corrected.accountNumber());
        }
        if (corrected.transactionCode() != null) {
            details.put("account_type", corrected.transactionCode() / 10 == 3 ? "savings" : "checking");
        }
        List<Map<String, String>> changes = new ArrayList<>(PayoutJson.readMaps(row.getChanges()));
        Map<String, String> change = new TreeMap<>();
        change.put("change_code", changeCode);
        change.put("at", at.toString());
        changes.add(change);
        while (changes.size() > CHANGES_KEPT) {
            changes.remove(0);
        }
        tx.update(PAYEES).set(PAYEES.RAIL_DETAILS, seal(payeeId, details)).set(PAYEES.CHANGES, PayoutJson.write(changes))
            .set(PAYEES.UPDATED, at.atOffset(ZoneOffset.UTC)).where(PAYEES.ID.eq(payeeId)).execute();
        return true;
    }

    /**
     * Why a NOC's corrected data cannot be applied: it changes no bank detail this server keeps (C04 name, C09
     * individual id), or a corrected routing or account number fails the checks payees are held to.
     */
    static Optional<String> correctionProblem(CorrectedData corrected) {
        if (corrected.routingNumber() == null && corrected.accountNumber() == null && corrected.transactionCode() == null) {
            return Optional.of("the change carries no routing number, account number or account type");
        }
        if (corrected.routingNumber() != null && !com.fanzfinance.payouts.ach.AbaRouting.isValid(corrected.routingNumber())) {
            return Optional.of("the corrected routing number fails the ABA check digit");
        }
        if (corrected.accountNumber() != null && !corrected.accountNumber().matches("[0-9A-Za-z]{1,17}")) {
            return Optional.of("the corrected account number is not 1-17 letters or digits");
        }
        if (corrected.transactionCode() != null && corrected.transactionCode() / 10 != 2 && corrected.transactionCode() / 10 != 3) {
            return Optional.of("the corrected transaction code is not of a checking or savings account");
        }
        return Optional.empty();
    }

    public Optional<Payee> get(UUID id) {
        return load(dsl, id);
    }

    /** The payees of {@code ids}, in one query (each opened once). */
    Map<UUID, Payee> loadAll(DSLContext context, java.util.Collection<UUID> ids) {
        Map<UUID, Payee> found = new java.util.HashMap<>();
        context.selectFrom(PAYEES).where(PAYEES.ID.in(ids)).fetch().forEach(row -> found.put(row.getId(), toPayee(row)));
        return found;
    }

    Optional<Payee> load(DSLContext context, UUID id) {
        return Optional.ofNullable(context.selectFrom(PAYEES).where(PAYEES.ID.eq(id)).fetchOne()).map(this::toPayee);
    }

    /** Payees in creation order after {@code afterSeq}, filtered; at most {@code limit}. */
    public List<Payee> list(Set<String> tenants, String tenant, String creator, long afterSeq, int limit, boolean reversed) {
        Condition where = DSL.noCondition();
        if (tenants != null) {
            where = where.and(PAYEES.TENANT.in(tenants));
        }
        if (tenant != null) {
            where = where.and(PAYEES.TENANT.eq(tenant));
        }
        if (creator != null) {
            where = where.and(PAYEES.CREATOR.eq(creator));
        }
        if (afterSeq > 0) {
            where = where.and(reversed ? PAYEES.SEQ.lt(afterSeq) : PAYEES.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(PAYEES).where(where).orderBy(reversed ? PAYEES.SEQ.desc() : PAYEES.SEQ.asc()).limit(limit)
            .fetch().map(this::toPayee);
    }

    /**
     * Payees on a schedule ({@code weekly} or {@code threshold}) after {@code afterSeq} with no payout of
     * {@code period} yet (its key {@code schedule:{payee}:{period}}), at most {@code limit}.
     */
    List<Payee> scheduled(String schedule, String period, long afterSeq, int limit) {
        var payouts = com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
        var key = DSL.inline("schedule:").concat(PAYEES.ID.cast(org.jooq.impl.SQLDataType.VARCHAR))
            .concat(DSL.inline(":" + period));
        return dsl.selectFrom(PAYEES).where(PAYEES.SCHEDULE.eq(schedule), PAYEES.SEQ.gt(afterSeq),
                DSL.notExists(DSL.selectOne().from(payouts).where(payouts.PAYEE_ID.eq(PAYEES.ID), payouts.SCHEDULE_KEY.eq(key))))
            .orderBy(PAYEES.SEQ.asc()).limit(limit).fetch().map(this::toPayee);
    }

    /** The API's JSON of a payee: account numbers and IBANs masked. */
    public static ObjectNode toJson(Payee payee) {
        ObjectNode json = Fields.parseless();
        json.put("id", payee.id().toString());
        json.put("tenant", payee.tenant());
        json.put("creator", payee.creator());
        json.put("name", payee.name());
        json.put("email", payee.email());
        json.put("country", payee.country());
        json.put("currency", payee.currency());
        json.put("rail", payee.rail());
        json.set("rail_details", RailDetails.masked(payee.railDetails()));
        json.put("schedule", payee.schedule());
        json.put("threshold", payee.threshold() == null ? null : Long.toString(payee.threshold()));
        ObjectNode compliance = json.putObject("compliance");
        compliance.put("kyc", payee.kyc());
        compliance.put("age", payee.age());
        compliance.put("records_2257", payee.records2257());
        compliance.put("reference", payee.complianceReference());
        compliance.put("updated", payee.complianceUpdated() == null ? null : payee.complianceUpdated().toString());
        compliance.put("payout_allowed", payee.payoutAllowed());
        ArrayNode failed = compliance.putArray("failed_checks");
        payee.failedChecks().forEach(failed::add);
        ArrayNode changes = json.putArray("changes");
        payee.changes().forEach(change -> {
            ObjectNode item = changes.addObject();
            change.forEach(item::put);
        });
        json.put("details_changed", payee.detailsChanged() == null ? null : payee.detailsChanged().toString());
        json.put("created", payee.created().toString());
        json.put("updated", payee.updated().toString());
        return json;
    }

    private Payee toPayee(PayeesRecord row) {
        return new Payee(row.getId(), row.getSeq(), row.getTenant(), row.getCreator(), row.getName(), row.getEmail(),
            row.getCountry(), row.getCurrency(), row.getRail(), open(row.getId(), row.getRailDetails()), row.getSchedule(),
            row.getThreshold(), row.getKyc(), row.getAge(), row.getRecords_2257(), row.getComplianceReference(),
            row.getComplianceUpdated() == null ? null : row.getComplianceUpdated().toInstant(), PayoutJson.readMaps(row.getChanges()),
            row.getDetailsChanged() == null ? null : row.getDetailsChanged().toInstant(), row.getCreated().toInstant(),
            row.getUpdated().toInstant());
    }

    private String seal(UUID id, Map<String, String> details) {
        return seal("payee/" + id, details);
    }

    private Map<String, String> open(UUID id, String sealed) {
        return open("payee/" + id, sealed);
    }

    /** {@code details} sealed with the server's secrets key for {@code context} (Base64). */
    String seal(String context, Map<String, String> details) {
        try {
            byte[] plain = Fields.JSON.writeValueAsBytes(new TreeMap<>(details));
            return Base64.getEncoder().encodeToString(box.seal(plain, context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #seal(String, Map)} sealed for {@code context}. */
    Map<String, String> open(String context, String sealed) {
        try {
            byte[] plain = box.open(Base64.getDecoder().decode(sealed), context);
            return Fields.JSON.readValue(new String(plain, StandardCharsets.UTF_8), new TypeReference<TreeMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(context + " has unreadable rail details", e);
        }
    }
}
