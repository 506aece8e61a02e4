package com.fanzfinance.server.payments.payouts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.payouts.ach.CorrectedData;
import com.fanzfinance.payouts.ach.NachaDocument;
import com.fanzfinance.payouts.ach.NachaFormatException;
import com.fanzfinance.payouts.ach.NachaReader;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.EventSink;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.SecretBox;
import com.fanzfinance.server.payments.events.EventTypes;
import com.fanzfinance.server.payments.schema.tables.records.PayoutBatchesRecord;
import com.fanzfinance.server.payments.schema.tables.records.PayoutsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUT_BATCHES;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUT_FILES;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUT_RETURN_ENTRIES;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUT_TRACE_SEQUENCES;

/**
 * Payout batches of the file rails (PAYMENTS-API §6): a batch takes held payouts of one rail account, gives each its
 * rail reference (ACH trace, SEPA end-to-end id) and makes the file, all in one transaction; the file is kept
 * content-addressed, so downloading it again gives the same bytes. Submitting marks the batch and its payouts
 * submitted; a NACHA return or NOC file marks payouts returned or corrects payees.
 */
public final class PayoutBatches {
    public static final Set<String> FIELDS = Set.of("rail", "merchant_account_id", "payout_ids", "effective_date");

    private final DSLContext dsl;
    private final Payouts payouts;
    private final Payees payees;
    private final MerchantAccounts accounts;
    private final EventSink sink;
    private final int batchMax;
    private final SecretBox box;

    /** @param box seals the files at rest (they hold whole account numbers) */
    public PayoutBatches(DSLContext dsl, Payouts payouts, Payees payees, MerchantAccounts accounts, EventSink sink,
                         int batchMax, SecretBox box) {
        this.box = box;
        this.dsl = dsl;
        this.payouts = payouts;
        this.payees = payees;
        this.accounts = accounts;
        this.sink = sink;
        this.batchMax = batchMax;
    }

    /** A batch as stored. */
    public record Batch(UUID id, long seq, String tenant, String rail, UUID merchantAccountId, String status,
                        List<String> payoutIds, int count, long total, String currency, LocalDate effectiveDate,
                        String fileSha256, String fileContentType, String fileFormat, List<Map<String, String>> history,
                        Instant created, Instant updated) {
    }

    // ---- making a batch ----------------------------------------------------------------------------

    /** Batches the account's held payouts (or those listed) and makes the file. */
    public Batch create(Fields fields, Predicate<String> tenantVisible) {
        String rail = fields.requiredText("rail", 16);
        if (!Payees.RAILS.contains(rail)) {
            throw Problem.invalidField("batches are for the file rails: ach, sepa", "/rail");
        }
        UUID accountId = Payouts.uuid(fields.requiredText("merchant_account_id", 36), "/merchant_account_id");
        MerchantAccounts.Account account = accounts.get(accountId).filter(found -> tenantVisible.test(found.tenant()))
            .orElseThrow(() -> Problem.notFound("no merchant account " + accountId));
        if (!account.processor().equals(rail)) {
            throw Problem.invalidField("merchant account " + accountId + " is of " + account.processor(), "/merchant_account_id");
        }
        if (!account.isActive()) {
            throw new Problem(409, "merchant-account-disabled", "Conflict", "merchant account " + accountId + " is disabled", null);
        }
        List<String> listed = fields.stringList("payout_ids", batchMax + 1, 36);
        if (listed != null && listed.size() > batchMax) {
            throw Problem.badRequest("batch-too-large", "a batch holds at most " + batchMax + " payouts (FANZ_PAYOUT_BATCH_MAX)",
                "/payout_ids");
        }
        LocalDate today = payouts.now().toLocalDate();
        LocalDate effective = effectiveDate(fields, rail, today);
        return dsl.transactionResult(configuration -> make(DSL.using(configuration), account, listed, effective));
    }

    private LocalDate effectiveDate(Fields fields, String rail, LocalDate today) {
        String text = fields.text("effective_date", 10);
        if (text == null) {
            return BatchFiles.defaultDate(rail, today);
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.invalidField("'effective_date' is a date such as 2026-12-07", "/effective_date");
        }
        if (date.isBefore(today) || date.isAfter(today.plusDays(60))) {
            throw Problem.invalidField("'effective_date' is today or a later day within 60 days", "/effective_date");
        }
        if (!BatchFiles.isBusinessDay(rail, date)) {
            throw Problem.invalidField(date + " is not a banking day of " + rail, "/effective_date");
        }
        return date;
    }

    private Batch make(DSLContext tx, MerchantAccounts.Account account, List<String> listed, LocalDate effective) {
        List<PayoutsRecord> locked = lock(tx, account, listed);
        Map<UUID, Payees.Payee> owners = payees.loadAll(tx, locked.stream().map(PayoutsRecord::getPayeeId).distinct().toList());
        List<PayoutsRecord> chosen = choose(account, locked, owners, listed != null);
        if (chosen.isEmpty()) {
            throw new Problem(422, "batch-empty", "Unprocessable entity", "merchant account " + account.id()
                + " has no held payouts that may be paid now (held, approved if they need it, not on hold, payee"
                + " verified, new-payee hold over)", null);
        }
        if (chosen.size() > batchMax) {
            throw Problem.badRequest("batch-too-large", chosen.size() + " held payouts; a batch holds at most " + batchMax
                + " (FANZ_PAYOUT_BATCH_MAX): list payout_ids", null);
        }
        UUID batchId = UUID.randomUUID();
        OffsetDateTime now = payouts.now();
        List<BatchFiles.Line> lines = lines(tx, account, chosen, owners);
        String fileKey = fileKey(account);
        BatchFiles.File file = write(account, batchId, lines, effective, now, tx, fileKey);
        String sha256 = sha256(file.content());
        tx.insertInto(PAYOUT_FILES).set(PAYOUT_FILES.SHA256, sha256).set(PAYOUT_FILES.CONTENT, box.seal(file.content(),
                "payout-file/" + sha256))
            .set(PAYOUT_FILES.CONTENT_TYPE, file.contentType()).set(PAYOUT_FILES.CREATED, now).onConflictDoNothing().execute();
        long total = lines.stream().mapToLong(BatchFiles.Line::amount).reduce(0, Math::addExact);
        List<String> ids = lines.stream().map(line -> line.payoutId().toString()).toList();
        tx.insertInto(PAYOUT_BATCHES).set(PAYOUT_BATCHES.ID, batchId).set(PAYOUT_BATCHES.TENANT, account.tenant())
            .set(PAYOUT_BATCHES.RAIL, account.processor()).set(PAYOUT_BATCHES.MERCHANT_ACCOUNT_ID, account.id())
            .set(PAYOUT_BATCHES.STATUS, "generated").set(PAYOUT_BATCHES.PAYOUT_IDS, PayoutJson.write(ids))
            .set(PAYOUT_BATCHES.COUNT, ids.size()).set(PAYOUT_BATCHES.TOTAL, total)
            .set(PAYOUT_BATCHES.CURRENCY, chosen.get(0).getCurrency()).set(PAYOUT_BATCHES.EFFECTIVE_DATE, effective)
            .set(PAYOUT_BATCHES.FILE_SHA256, sha256).set(PAYOUT_BATCHES.FILE_CONTENT_TYPE, file.contentType())
            .set(PAYOUT_BATCHES.FILE_FORMAT, file.format()).set(PAYOUT_BATCHES.FILE_KEY, fileKey)
            .set(PAYOUT_BATCHES.HISTORY, PayoutJson.write(List.of(PayoutJson.historyEntry("generated", null, now.toInstant()))))
            .set(PAYOUT_BATCHES.CREATED, now).set(PAYOUT_BATCHES.UPDATED, now).execute();
        Map<UUID, PayoutsRecord> rows = new java.util.HashMap<>();
        chosen.forEach(row -> rows.put(row.getId(), row));
        for (BatchFiles.Line line : lines) {
            markBatched(tx, rows.get(line.payoutId()), line, batchId, effective, now);
        }
        Batch batch = load(tx, batchId).orElseThrow();
        sink.append(tx, batch.tenant(), EventTypes.PAYOUT_BATCH_GENERATED, batchId.toString(), json(batch));
        return batch;
    }

    /**
     * The file. A payout the file format cannot carry (a check of the writer the payee and request checks did not
     * foresee) refuses the batch with the writer's reason rather than failing it with a 500.
     */
    private BatchFiles.File write(MerchantAccounts.Account account, UUID batchId, List<BatchFiles.Line> lines,
                                  LocalDate effective, OffsetDateTime now, DSLContext tx, String fileKey) {
        try {
            if (!account.processor().equals(RailAccounts.ACH)) {
                return BatchFiles.pain(account, batchId, lines, effective, now);
            }
            int earlier = tx.fetchCount(PAYOUT_BATCHES, PAYOUT_BATCHES.FILE_KEY.eq(fileKey),
                PAYOUT_BATCHES.CREATED.ge(now.toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC)));
            if (earlier >= BatchFiles.FILES_PER_DAY) {
                throw new Problem(409, "file-limit-reached", "Conflict", "a bank takes at most " + BatchFiles.FILES_PER_DAY
                    + " files a day from one origin (file id modifiers A-Z, 0-9); batch again tomorrow", null);
            }
            return BatchFiles.nacha(account, batchId, lines, effective, now, BatchFiles.fileIdModifier(earlier));
        } catch (IllegalArgumentException unwritable) {
            throw new Problem(409, "invalid-payout-transition", "Conflict", "the batch's file cannot be written: "
                + unwritable.getMessage(), null);
        }
    }

    /** Files to the same destination from the same origin share the day's file id modifiers. */
    private static String fileKey(MerchantAccounts.Account account) {
        if (!account.processor().equals(RailAccounts.ACH)) {
            return account.processor() + ":" + account.id();
        }
        return "ach:" + account.settings().get("immediate_destination") + ":" + account.settings().get("immediate_origin");
    }

    /**
     * The payouts to batch, locked in id order (so two batch calls never deadlock): those listed, or the account's
     * held ones neither awaiting approval nor held by an operator (the oldest {@link #batchMax} + 1, so that too many is
     * seen). PostgreSQL checks the condition again once it has a row's lock, and {@link #choose} checks it again too.
     */
    private List<PayoutsRecord> lock(DSLContext tx, MerchantAccounts.Account account, List<String> listed) {
        Condition held = PAYOUTS.MERCHANT_ACCOUNT_ID.eq(account.id()).and(PAYOUTS.STATUS.eq("held"))
            .and(PAYOUTS.PENDING_STATUS.isNull()).and(Payouts.cleared());
        if (listed == null) {
            List<UUID> oldest = tx.select(PAYOUTS.ID).from(PAYOUTS).where(held).orderBy(PAYOUTS.SEQ.asc()).limit(batchMax + 1)
                .fetch(PAYOUTS.ID);
            return tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.in(oldest), held).orderBy(PAYOUTS.ID).forUpdate().fetch();
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            ids.add(Payouts.uuid(listed.get(i), "/payout_ids/" + i));
        }
        List<PayoutsRecord> rows = tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.in(ids), PAYOUTS.TENANT.eq(account.tenant()))
            .orderBy(PAYOUTS.ID).forUpdate().fetch();
        Set<UUID> found = new java.util.HashSet<>();
        rows.forEach(row -> found.add(row.getId()));
        ids.stream().filter(id -> !found.contains(id)).findFirst().ifPresent(id -> {
            throw Problem.notFound("no payout " + id);
        });
        return rows;
    }

    /**
     * Of the locked payouts, those that may be paid now: held, of this account, approved if they need it, not held by
     * an operator, their payee passing the compliance gate today and past the hold period after being made or changing
     * bank details. Listed ones must all qualify (409).
     */
    private List<PayoutsRecord> choose(MerchantAccounts.Account account, List<PayoutsRecord> locked,
                                       Map<UUID, Payees.Payee> owners, boolean listed) {
        List<PayoutsRecord> chosen = new ArrayList<>();
        for (PayoutsRecord row : locked) {
            String why = whyNot(account, row, owners.get(row.getPayeeId()));
            if (why == null) {
                chosen.add(row);
            } else if (listed) {
                throw new Problem(409, "invalid-payout-transition", "Conflict", "payout " + row.getId()
                    + " cannot be batched: " + why, null);
            }
        }
        chosen.sort(java.util.Comparator.comparing(PayoutsRecord::getSeq));
        return chosen;
    }

    private String whyNot(MerchantAccounts.Account account, PayoutsRecord row, Payees.Payee payee) {
        if (row.getPendingStatus() != null) {
            return "it is being moved to " + row.getPendingStatus();
        }
        if (!row.getStatus().equals("held")) {
            return "it is " + row.getStatus();
        }
        if (!row.getMerchantAccountId().equals(account.id())) {
            return "it is of another rail account";
        }
        String review = Payouts.reviewProblem(row);
        if (review != null) {
            return review;
        }
        return Payouts.payeeProblem(account, row.getRail(), payee, payouts.now().toInstant());
    }

    /**
     * Each payout's line: its destination (the payee's details now) and rail reference. ACH lines come grouped as the
     * file's batches are (PPD, then CCD) with consecutive trace numbers; with an offset account each group leaves the
     * next number free for its balancing entry, so that no trace repeats in the file or in a later one.
     */
    private List<BatchFiles.Line> lines(DSLContext tx, MerchantAccounts.Account account, List<PayoutsRecord> rows,
                                        Map<UUID, Payees.Payee> owners) {
        List<BatchFiles.Line> lines = new ArrayList<>();
        for (PayoutsRecord row : rows) {
            Payees.Payee payee = owners.get(row.getPayeeId());
            lines.add(new BatchFiles.Line(row.getId(), row.getAmount(), payee.name(), payee.railDetails(), null));
        }
        if (!account.processor().equals(RailAccounts.ACH)) {
            return lines.stream().map(line -> line.withReference(line.payoutId().toString().replace("-", ""))).toList();
        }
        List<List<BatchFiles.Line>> groups = List.of(
            lines.stream().filter(line -> !BatchFiles.isBusiness(line)).toList(),
            lines.stream().filter(BatchFiles::isBusiness).toList());
        boolean offset = account.settings().get("offset_account") != null;
        int needed = lines.size() + (offset ? (int) groups.stream().filter(group -> !group.isEmpty()).count() : 0);
        long sequence = reserveTraces(tx, account.settings().get("odfi_identification"), needed);
        List<BatchFiles.Line> traced = new ArrayList<>();
        for (List<BatchFiles.Line> group : groups) {
            for (BatchFiles.Line line : group) {
                traced.add(line.withReference(BatchFiles.traceNumber(account, sequence++)));
            }
            if (offset && !group.isEmpty()) {
                sequence++;
            }
        }
        return traced;
    }

    /**
     * Takes {@code count} trace sequences of the ODFI (shared by every rail account sending through it); the first is
     * returned. Sequences run 1 to 9,999,999 and then start again at 1.
     */
    private static long reserveTraces(DSLContext tx, String odfi, int count) {
        tx.insertInto(PAYOUT_TRACE_SEQUENCES).set(PAYOUT_TRACE_SEQUENCES.TRACE_PREFIX, odfi)
            .set(PAYOUT_TRACE_SEQUENCES.NEXT_SEQUENCE, 1L).onConflictDoNothing().execute();
        long first = tx.select(PAYOUT_TRACE_SEQUENCES.NEXT_SEQUENCE).from(PAYOUT_TRACE_SEQUENCES)
            .where(PAYOUT_TRACE_SEQUENCES.TRACE_PREFIX.eq(odfi)).forUpdate().fetchOne().value1();
        if (first + count > 10_000_000L) {
            first = 1;
        }
        tx.update(PAYOUT_TRACE_SEQUENCES).set(PAYOUT_TRACE_SEQUENCES.NEXT_SEQUENCE, first + count)
            .where(PAYOUT_TRACE_SEQUENCES.TRACE_PREFIX.eq(odfi)).execute();
        return first;
    }

    /** Marks a payout batched, with its rail reference and its destination as the API shows it (masked). */
    private void markBatched(DSLContext tx, PayoutsRecord row, BatchFiles.Line line, UUID batchId, LocalDate effective,
                             OffsetDateTime now) {
        Map<String, String> shown = new java.util.TreeMap<>(line.destination());
        shown.computeIfPresent("account_number", (name, value) -> RailDetails.mask(value));
        shown.computeIfPresent("iban", (name, value) -> RailDetails.mask(value));
        tx.update(PAYOUTS).set(PAYOUTS.STATUS, "batched").set(PAYOUTS.BATCH_ID, batchId)
            .set(PAYOUTS.RAIL_REFERENCE, line.railReference()).set(PAYOUTS.DESTINATION, PayoutJson.write(shown))
            .set(PAYOUTS.EFFECTIVE_DATE, effective).set(PAYOUTS.HISTORY, PayoutJson.appendHistory(row.getHistory(), "batched", "batch " + batchId,
                now.toInstant()))
            .set(PAYOUTS.UPDATED, now).where(PAYOUTS.ID.eq(line.payoutId())).execute();
    }

    // ---- after the file ------------------------------------------------------------------------------

    /** Marks the batch and its batched payouts submitted (the file went to the bank), in one transaction; again: no change. */
    public Batch submit(UUID id) {
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayoutBatchesRecord row = tx.selectFrom(PAYOUT_BATCHES).where(PAYOUT_BATCHES.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("no payout batch " + id);
            }
            if (row.getStatus().equals("generated")) {
                OffsetDateTime now = payouts.now();
                tx.update(PAYOUT_BATCHES).set(PAYOUT_BATCHES.STATUS, "submitted").set(PAYOUT_BATCHES.UPDATED, now)
                    .set(PAYOUT_BATCHES.HISTORY, PayoutJson.appendHistory(row.getHistory(), "submitted", null, now.toInstant()))
                    .where(PAYOUT_BATCHES.ID.eq(id)).execute();
            }
            payouts.submitBatchIn(tx, id, "batch " + id + " submitted");
        });
        return get(id).orElseThrow();
    }

    /** The batch's file: its bytes and media type. */
    public Optional<FileContent> file(Batch batch) {
        return Optional.ofNullable(dsl.selectFrom(PAYOUT_FILES).where(PAYOUT_FILES.SHA256.eq(batch.fileSha256())).fetchOne())
            .map(row -> new FileContent(box.open(row.getContent(), "payout-file/" + row.getSha256()), row.getContentType()));
    }

    /** A file's bytes and media type. */
    public record FileContent(byte[] content, String contentType) {
    }

    // ---- returns and notifications of change ---------------------------------------------------------

    /**
     * Reads a NACHA return or NOC file for the batch's rail account: each return marks its payout returned (matched
     * by the addenda's original trace = the payout's rail reference), each NOC corrects the payee. A file read again
     * applies nothing twice ({@code duplicate}).
     */
    public ObjectNode returns(Batch batch, byte[] body) {
        if (!batch.rail().equals(RailAccounts.ACH)) {
            throw Problem.invalidField("return files are NACHA files of ach batches; SEPA returns arrive as payout events", null);
        }
        NachaDocument document = read(body);
        ObjectNode answer = Fields.parseless();
        ArrayNode returns = answer.putArray("returns");
        for (NachaDocument.ReturnedEntry returned : document.returns()) {
            returns.add(applyReturn(batch.merchantAccountId(), returned));
        }
        ArrayNode changes = answer.putArray("notifications_of_change");
        for (NachaDocument.ChangedEntry changed : document.changes()) {
            changes.add(applyChange(batch.merchantAccountId(), changed));
        }
        return answer;
    }

    private static NachaDocument read(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                throw Problem.badRequest("invalid-nacha-file", "a NACHA file is ASCII; this one has byte values above 127", null);
            }
        }
        try {
            return NachaReader.read(new String(body, StandardCharsets.US_ASCII));
        } catch (NachaFormatException e) {
            throw Problem.badRequest("invalid-nacha-file", "line " + e.line() + ": " + e.getMessage(), "/lines/" + e.line());
        }
    }

    private ObjectNode applyReturn(UUID accountId, NachaDocument.ReturnedEntry returned) {
        String trace = returned.addenda().originalTrace();
        String code = returned.addenda().returnCode();
        ObjectNode item = Fields.parseless();
        item.put("trace_number", trace);
        item.put("return_code", code);
        PayoutsRecord row = byTrace(accountId, returned.entry());
        item.put("payout_id", row == null ? null : row.getId().toString());
        if (row == null) {
            return item.put("status", "unmatched").put("reason", "no payout of this rail account has that trace number, amount,"
                + " routing number and account");
        }
        if (row.getPendingStatus() != null) {
            payouts.finishIntent(row.getId());
            row = byTrace(accountId, returned.entry());
        }
        if (row.getStatus().equals("returned")) {
            return item.put("status", "duplicate");
        }
        if (Payouts.step(row.getRail(), row.getStatus(), "returned").isEmpty()) {
            return item.put("status", "unmatched").put("reason", "the payout is " + row.getStatus()
                + " and cannot be returned");
        }
        payouts.move(row.getId(), "returned", code + ": " + ReturnCodes.reason(code), code, Map.of());
        recordEntry(dsl, accountId, trace, "return", code, "", row.getId());
        return item.put("status", "applied");
    }

    private ObjectNode applyChange(UUID accountId, NachaDocument.ChangedEntry changed) {
        String trace = changed.addenda().originalTrace();
        String code = changed.addenda().changeCode();
        String data = changed.addenda().correctedData();
        ObjectNode item = Fields.parseless();
        item.put("trace_number", trace);
        item.put("change_code", code);
        item.put("corrected_data", data.length() <= 4 ? data : RailDetails.mask(data));
        PayoutsRecord row = byTrace(accountId, changed.entry());
        item.put("payout_id", row == null ? null : row.getId().toString());
        Optional<CorrectedData> corrected = CorrectedData.parse(code, data);
        Optional<String> problem = corrected.isEmpty() ? Optional.of("change code " + code + " is not one this server reads")
            : Payees.correctionProblem(corrected.get());
        if (row == null || problem.isPresent()) {
            return item.put("status", "unmatched").put("reason", row == null
                ? "no payout of this rail account has that trace number, routing number and account" : problem.get());
        }
        UUID payoutId = row.getId();
        UUID payeeId = row.getPayeeId();
        boolean first = dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            return recordEntry(tx, accountId, trace, "noc", code, sha256(data.getBytes(StandardCharsets.US_ASCII)), payoutId)
                && payees.applyCorrection(tx, payeeId, code, corrected.get(), payouts.now().toInstant());
        });
        return item.put("status", first ? "applied" : "duplicate");
    }

    /** Records a return or NOC entry as applied, in {@code context}; false when it was recorded before. */
    private boolean recordEntry(DSLContext context, UUID accountId, String trace, String kind, String code,
                                String correctedSha256, UUID payoutId) {
        return context.insertInto(PAYOUT_RETURN_ENTRIES).set(PAYOUT_RETURN_ENTRIES.MERCHANT_ACCOUNT_ID, accountId)
            .set(PAYOUT_RETURN_ENTRIES.ORIGINAL_TRACE, trace).set(PAYOUT_RETURN_ENTRIES.KIND, kind)
            .set(PAYOUT_RETURN_ENTRIES.CODE, code).set(PAYOUT_RETURN_ENTRIES.CORRECTED_SHA256, correctedSha256)
            .set(PAYOUT_RETURN_ENTRIES.PAYOUT_ID, payoutId).set(PAYOUT_RETURN_ENTRIES.APPLIED_AT, payouts.now())
            .onConflictDoNothing().execute() == 1;
    }

    /**
     * The payout of the rail account a returned entry names: the latest with its original trace whose routing number
     * and account (last four) match the entry's, and for a return (not a zero-dollar NOC) its amount too. Traces come
     * round after ten million payouts of an ODFI, and a file can hold another sender's entries: the trace alone is
     * not enough.
     */
    private PayoutsRecord byTrace(UUID accountId, NachaDocument.Entry entry) {
        String trace = entry.addenda().stream().map(addenda -> addenda instanceof NachaDocument.Return returned
            ? returned.originalTrace() : addenda instanceof NachaDocument.ChangeNotice notice ? notice.originalTrace() : null)
            .filter(java.util.Objects::nonNull).findFirst().orElse("");
        for (PayoutsRecord row : dsl.selectFrom(PAYOUTS).where(PAYOUTS.MERCHANT_ACCOUNT_ID.eq(accountId),
            PAYOUTS.RAIL_REFERENCE.eq(trace)).orderBy(PAYOUTS.SEQ.desc()).fetch()) {
            Map<String, String> destination = row.getDestination() == null ? Map.of() : PayoutJson.readMap(row.getDestination());
            boolean sameAccount = entry.routingNumber().equals(destination.get("routing_number"))
                && RailDetails.mask(entry.accountNumber()).equals(destination.get("account_number"));
            if (sameAccount && (entry.amountCents() == 0 || entry.amountCents() == row.getAmount())) {
                return row;
            }
        }
        return null;
    }

    // ---- reading --------------------------------------------------------------------------------------

    public Optional<Batch> get(UUID id) {
        return load(dsl, id);
    }

    private static Optional<Batch> load(DSLContext context, UUID id) {
        return Optional.ofNullable(context.selectFrom(PAYOUT_BATCHES).where(PAYOUT_BATCHES.ID.eq(id)).fetchOne())
            .map(PayoutBatches::toBatch);
    }

    public List<Batch> list(Condition where, long afterSeq, int limit, boolean reversed) {
        Condition condition = where;
        if (afterSeq > 0) {
            condition = condition.and(reversed ? PAYOUT_BATCHES.SEQ.lt(afterSeq) : PAYOUT_BATCHES.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(PAYOUT_BATCHES).where(condition)
            .orderBy(reversed ? PAYOUT_BATCHES.SEQ.desc() : PAYOUT_BATCHES.SEQ.asc()).limit(limit).fetch()
            .map(PayoutBatches::toBatch);
    }

    private static Batch toBatch(PayoutBatchesRecord row) {
        return new Batch(row.getId(), row.getSeq(), row.getTenant(), row.getRail(), row.getMerchantAccountId(), row.getStatus(),
            PayoutJson.readList(row.getPayoutIds()), row.getCount(), row.getTotal(), row.getCurrency(), row.getEffectiveDate(),
            row.getFileSha256(), row.getFileContentType(), row.getFileFormat(), PayoutJson.readMaps(row.getHistory()),
            row.getCreated().toInstant(), row.getUpdated().toInstant());
    }

    /** The API's JSON of a batch. */
    public static ObjectNode toJson(Batch batch) {
        ObjectNode json = Fields.parseless();
        json.put("id", batch.id().toString());
        json.put("rail", batch.rail());
        json.put("merchant_account_id", batch.merchantAccountId().toString());
        json.put("tenant", batch.tenant());
        json.put("status", batch.status());
        ArrayNode ids = json.putArray("payout_ids");
        batch.payoutIds().forEach(ids::add);
        json.put("count", batch.count());
        json.put("total", Long.toString(batch.total()));
        json.put("currency", batch.currency());
        json.put("effective_date", batch.effectiveDate().toString());
        json.putObject("file").put("content_type", batch.fileContentType()).put("sha256", batch.fileSha256())
            .put("format", batch.fileFormat());
        ArrayNode history = json.putArray("history");
        batch.history().forEach(entry -> history.addObject().put("status", entry.get("status")).put("at", entry.get("at")));
        json.put("created", batch.created().toString());
        json.put("updated", batch.updated().toString());
        return json;
    }

    private static String json(Batch batch) {
        return new String(Fields.write(toJson(batch)), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
