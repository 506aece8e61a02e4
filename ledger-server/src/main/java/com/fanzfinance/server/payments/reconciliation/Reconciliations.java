package com.fanzfinance.server.payments.reconciliation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.match.Matcher;
import com.fanzfinance.reconciliation.match.StatementLines;
import com.fanzfinance.reconciliation.match.Tolerances;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.EventSink;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.Idempotency;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.events.EventTypes;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PlannedAccount;
import com.fanzfinance.server.payments.schema.tables.records.ReconciliationAdjustmentsRecord;
import com.fanzfinance.server.payments.schema.tables.records.ReconciliationsRecord;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

import static com.fanzfinance.server.payments.schema.Tables.RECONCILED_PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATIONS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATION_ADJUSTMENTS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATION_ENTRIES;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATION_FACTS;
import static com.fanzfinance.server.payments.schema.Tables.REPORTED_SETTLEMENTS;

/**
 * Reconciliation (PAYMENTS-API §7): a statement streamed into a columnar store, the ledger side of its merchant
 * account loaded for the statement's dates ± the date tolerance, the two matched, and the result stored (entries by
 * {@code COPY}, never all in memory) with the adjusting entries it proposes; approving them posts them.
 */
public final class Reconciliations {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reconciliations.class);
    static final String ROUTE = "reconciliations";
    /** Entries per section shown in a reconciliation's document; the rest page through {@code /entries}. */
    public static final int SECTION_SHOWN = 1_000;

    private final DSLContext dsl;
    private final MerchantAccounts accounts;
    private final Currencies currencies;
    private final AdjustmentLedger adjustments;
    private final EventSink sink;
    private final int maxLines;
    /** Reconciliations running at once; more answer 503 (each holds a statement's and a ledger side's stores). */
    static final int RUNNING_MAX = 2;
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(RUNNING_MAX);
    /** The widest statement, in days between its first and last line. */
    static final int SPAN_DAYS_MAX = 366;
    /** Payouts recorded as shown on a bank statement per reconciliation. */
    static final int SHOWN_PAYOUTS_MAX = 1_000_000;
    private static final int FACTS_PER_QUERY = 10_000;
    private static final int BATCH = 1_000;

    public Reconciliations(DSLContext dsl, MerchantAccounts accounts, Currencies currencies,
                           AdjustmentLedger adjustments, EventSink sink, int maxLines) {
        this.dsl = dsl;
        this.accounts = accounts;
        this.currencies = currencies;
        this.adjustments = adjustments;
        this.sink = sink;
        this.maxLines = maxLines;
        ResultWriter.deleteStaleFiles();
    }

    /**
     * What the caller asked for.
     *
     * @param bankAccount the bank account's party for entries that move money at the bank, or null
     */
    public record Request(String format, Tolerances tolerances, String bankAccount, String idempotencyKey,
                          String createdBy) {
    }

    /** The stored reconciliation, and whether this request made it (false: an earlier one with the same key). */
    public record Created(UUID id, boolean created) {
    }

    /** The stored reconciliation row as the routes need it. */
    public record Reconciliation(UUID id, long seq, String tenant, UUID merchantAccountId) {
    }

    /** Runs a reconciliation of {@code statement} (the request body, streamed) against the account's ledger side. */
    public Created run(MerchantAccounts.Account account, Request request, InputStream statement) {
        if (!running.tryAcquire()) {
            throw new Problem(503, "reconciliation-busy", "Service unavailable", "the server is already running "
                + RUNNING_MAX + " reconciliations; retry shortly", null, 5);
        }
        try {
            return runAdmitted(account, request, statement);
        } finally {
            running.release();
        }
    }

    private Created runAdmitted(MerchantAccounts.Account account, Request request, InputStream statement) {
        boolean rail = accounts.isRail(account.processor());
        StatementFormats.Format format = StatementFormats.format(request.format(), rail, account.processor());
        boolean bankStatement = format.bankStatement();
        String settlementMatch = rail ? null : blankToNull(account.settings().get(StatementFormats.BANK_MATCH_SETTING));
        if (!rail && bankStatement && settlementMatch == null) {
            throw new Problem(422, "no-bank-statement-match", "Unprocessable entity", "a bank statement is read against a"
                + " processor account by its settings." + StatementFormats.BANK_MATCH_SETTING + " (the text its settlements"
                + " carry in the remittance, e.g. VEROTEL); the account has none", null);
        }
        String settlementNeedle = settlementMatch == null ? null : settlementMatch.toLowerCase(Locale.ROOT);
        UUID id = UUID.randomUUID();
        MessageDigest digest = sha256();
        StatementLines lines = new StatementLines(maxLines);
        LineSink intoStore = (line, reference, type, amount, fee, currency, epochDay, group, description) -> {
            String kind = type.isEmpty() || KINDS.contains(type) ? type : "other";
            long kept = fee;
            if (!rail && bankStatement) {
                // A processor's settlement at the bank: its charges are the bank's, not compared with anything.
                kept = 0;
                if (amount <= 0 || !description.toLowerCase(Locale.ROOT).contains(settlementNeedle)) {
                    kind = NOT_SETTLEMENT;
                }
            }
            lines.line(line, References.canonicalList(reference), kind, amount, kept, currency, epochDay,
                References.canonical(group), description);
        };
        StatementFormats.Meta meta;
        long bytes;
        long started = System.nanoTime();
        try (CountingInput counted = new CountingInput(new DigestInputStream(statement, digest))) {
            meta = StatementFormats.read(format, account, currencies, counted, intoStore);
            bytes = counted.count();
        } catch (IOException e) {
            throw format.invalid("the statement could not be read: " + e.getMessage(), null);
        }
        if (lines.size() == 0) {
            throw format.invalid("the statement has no lines to reconcile", null);
        }
        if (lines.maxEpochDay() - lines.minEpochDay() > SPAN_DAYS_MAX) {
            throw format.invalid("the statement's lines span " + (lines.maxEpochDay() - lines.minEpochDay() + 1)
                + " days, from " + LocalDate.ofEpochDay(lines.minEpochDay()) + " to " + LocalDate.ofEpochDay(lines.maxEpochDay())
                + "; at most " + (SPAN_DAYS_MAX + 1) + " per reconciliation", null);
        }
        boolean feesReported = meta.feesReported() && !(!rail && bankStatement);
        String sha256 = HexFormat.of().formatHex(digest.digest());
        String fingerprint = sha256Hex(account.id() + "/" + request.format() + "/" + request.tolerances()
            + "/" + request.bankAccount() + "/" + account.settings().get(StatementFormats.MAPPING_SETTING) + "/"
            + settlementMatch + "/" + account.settings().get(StatementFormats.BANK_ACCOUNT_SETTING) + "/" + sha256);
        int days = request.tolerances().days();
        LocalDate from = LocalDate.ofEpochDay(lines.minEpochDay()).minusDays(days);
        LocalDate to = LocalDate.ofEpochDay(lines.maxEpochDay()).plusDays(days);
        long imported = System.nanoTime();
        LedgerSide ledger = rail ? LedgerSide.payouts(dsl, account.id(), from, to, feesReported)
            : bankStatement ? LedgerSide.settlements(dsl, account.id(), from, to)
            : LedgerSide.events(dsl, account.id(), from, to, feesReported);

        String bank = request.bankAccount() != null ? request.bankAccount()
            : meta.bankAccount() != null ? meta.bankAccount()
            : blankToNull(account.settings().get(StatementFormats.BANK_ACCOUNT_SETTING));
        Proposals proposals = new Proposals(id, account.processor(), account.id(), rail, bankStatement, feesReported,
            bank, lines, ledger);
        List<Integer> settlementsReported = new ArrayList<>();
        java.util.Set<UUID> payoutsShown = new java.util.LinkedHashSet<>();
        ResultWriter.Observer observer = new ResultWriter.Observer() {
            @Override
            public void decided(ResultWriter.Decided group) {
                proposals.decided(group);
                if (rail && (group.matched() || group.fields().equals(Set.of(com.fanzfinance.reconciliation.match.Field.FEE)))) {
                    for (int item : group.items()) {
                        if (ledger.kind(item) == LedgerSide.Kind.PAYOUT && payoutsShown.size() < SHOWN_PAYOUTS_MAX) {
                            payoutsShown.add(ledger.items.id(item));
                        }
                    }
                }
            }

            @Override
            public void unmatchedStatement(int line, String reason) {
                proposals.unmatchedStatement(line, reason);
                if (SETTLEMENT_REPORTED.equals(reason)) {
                    settlementsReported.add(line);
                }
            }
        };
        Map<String, String> excluded = rail ? Map.of("balance", "balance-line")
            : bankStatement ? Map.of(NOT_SETTLEMENT, "not-a-settlement")
            : Map.of("fee", "fee-not-booked", "payout", SETTLEMENT_REPORTED, "balance", "balance-line");
        try (ResultWriter writer = new ResultWriter(id, lines, ledger, excluded, observer)) {
            writer.countSides();
            long loaded = System.nanoTime();
            new Matcher(request.tolerances(), excluded.keySet()).run(lines, ledger.items, writer);
            long matched = System.nanoTime();
            List<String> warnings = new ArrayList<>(meta.warnings());
            if (!feesReported && !(!rail && bankStatement)) {
                warnings.add("the statement reports no fees, so fees were not compared");
            }
            ObjectNode statementJson = statementJson(meta, lines, bytes, sha256, from, to);
            ObjectNode timings = statementJson.putObject("timings_ms");
            timings.put("import", (imported - started) / 1_000_000);
            timings.put("ledger_side", (loaded - imported) / 1_000_000);
            timings.put("match", (matched - loaded) / 1_000_000);
            Created created = store(new Run(id, account, request, fingerprint, writer, proposals, warnings, statementJson,
                lines, settlementsReported, payoutsShown));
            LOG.info("reconciliation {} of {} lines against {} ledger items: import {} ms, ledger side {} ms, match {} ms,"
                + " store {} ms", id, lines.size(), ledger.items.size(), (imported - started) / 1_000_000,
                (loaded - imported) / 1_000_000, (matched - loaded) / 1_000_000, (System.nanoTime() - matched) / 1_000_000);
            return created;
        }
    }

    /** Everything a run has to store. */
    private record Run(UUID id, MerchantAccounts.Account account, Request request, String fingerprint,
                       ResultWriter writer, Proposals proposals, List<String> warnings, ObjectNode statementJson,
                       StatementLines lines, List<Integer> settlementsReported, java.util.Set<UUID> payoutsShown) {
    }

    static final String NOT_SETTLEMENT = "not-a-settlement";
    /** The line types kept as given; any other word is {@code other} (so a file cannot grow the type table). */
    static final Set<String> KINDS = Set.of("sale", "rebill", "refund", "chargeback", "chargeback_reversal", "void",
        "failure", "cancellation", "expiration", "fee", "payout", "adjustment", "return", "balance", "other");
    static final String SETTLEMENT_REPORTED = "settlement-reported";

    /**
     * Writes the reconciliation, its entries, its adjustments (leaving out facts an earlier reconciliation of the
     * account proposed), the facts they settle, announced settlements and payouts shown, in one transaction that
     * holds the account's reconciliation lock (two runs on one account take turns, so neither proposes what the
     * other does).
     */
    private Created store(Run run) {
        java.nio.file.Path entries = run.writer().file();
        MerchantAccounts.Account account = run.account();
        UUID id = run.id();
        Request request = run.request();
        StatementLines lines = run.lines();
        ObjectNode parameters = Fields.parseless();
        parameters.put("amount_tolerance", Long.toString(request.tolerances().amount()));
        parameters.put("amount_tolerance_bp", request.tolerances().amountBp());
        parameters.put("date_tolerance_days", request.tolerances().days());
        parameters.put("bank_account", request.bankAccount());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            Optional<UUID> earlier = dsl.transactionResult(configuration -> {
                DSLContext tx = DSL.using(configuration);
                if (request.idempotencyKey() != null) {
                    Optional<UUID> before = Idempotency.earlier(tx, account.tenant(), ROUTE, request.idempotencyKey(),
                        run.fingerprint());
                    if (before.isPresent()) {
                        return before;
                    }
                }
                tx.select(DSL.field("pg_advisory_xact_lock({0})", Object.class,
                    DSL.val(account.id().getMostSignificantBits() ^ account.id().getLeastSignificantBits()))).fetch();
                Set<String> claimed = claimedFacts(tx, account.id(), run.proposals().facts());
                List<Proposals.Proposal> proposed = run.proposals().finish(claimed::contains);
                List<String> warnings = new ArrayList<>(run.warnings());
                warnings.addAll(run.proposals().warnings());
                ArrayNode warningsJson = run.statementJson().putArray("warnings");
                warnings.forEach(warningsJson::add);
                ObjectNode summary = Fields.parseless();
                for (ResultWriter.Section section : ResultWriter.Section.values()) {
                    summary.put(section.wireName, run.writer().count(section));
                }
                summary.put("statement_lines", lines.size());
                summary.put("ledger_items_outside_statement_dates", run.writer().outside());
                summary.put("adjustments", proposed.size());
                tx.insertInto(RECONCILIATIONS).set(RECONCILIATIONS.ID, id).set(RECONCILIATIONS.TENANT, account.tenant())
                    .set(RECONCILIATIONS.MERCHANT_ACCOUNT_ID, account.id()).set(RECONCILIATIONS.FORMAT, request.format())
                    .set(RECONCILIATIONS.STATUS, "completed").set(RECONCILIATIONS.PARAMETERS, Json.write(parameters))
                    .set(RECONCILIATIONS.STATEMENT, Json.write(run.statementJson()))
                    .set(RECONCILIATIONS.SUMMARY, Json.write(summary))
                    .set(RECONCILIATIONS.TOTALS, Json.write(totalsJson(run.writer().totals())))
                    .set(RECONCILIATIONS.CREATED_BY, request.createdBy()).set(RECONCILIATIONS.CREATED, now).execute();
                tx.connection(connection -> {
                    try (Reader reader = Files.newBufferedReader(entries, StandardCharsets.UTF_8)) {
                        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY "
                            + RECONCILIATION_ENTRIES.getQualifiedName()
                            + " (reconciliation_id, section, position, count, entries) FROM STDIN", reader);
                    }
                });
                storeAdjustments(tx, account, id, proposed);
                storeSettlements(tx, account, id, lines, run.settlementsReported(), warningsJson);
                batched(run.payoutsShown(), payout -> tx.insertInto(RECONCILED_PAYOUTS)
                    .set(RECONCILED_PAYOUTS.PAYOUT_ID, payout).set(RECONCILED_PAYOUTS.RECONCILIATION_ID, id)
                    .set(RECONCILED_PAYOUTS.MATCHED_AT, now).onConflictDoNothing(), tx);
                if (warningsJson.size() > warnings.size()) {
                    tx.update(RECONCILIATIONS).set(RECONCILIATIONS.STATEMENT, Json.write(run.statementJson()))
                        .where(RECONCILIATIONS.ID.eq(id)).execute();
                }
                if (request.idempotencyKey() != null) {
                    Idempotency.claim(tx, account.tenant(), ROUTE, request.idempotencyKey(), run.fingerprint(), id);
                }
                ObjectNode event = header(tx.selectFrom(RECONCILIATIONS).where(RECONCILIATIONS.ID.eq(id)).fetchOne());
                sink.append(tx, account.tenant(), EventTypes.RECONCILIATION_COMPLETED, id.toString(), Json.write(event));
                return Optional.<UUID>empty();
            });
            return earlier.map(before -> new Created(before, false)).orElseGet(() -> new Created(id, true));
        } catch (org.jooq.exception.DataAccessException e) {
            // The same key and statement sent twice at once: the other request stored it first.
            if (request.idempotencyKey() != null) {
                Optional<UUID> winner = Idempotency.earlier(dsl, account.tenant(), ROUTE, request.idempotencyKey(),
                    run.fingerprint());
                if (winner.isPresent()) {
                    return new Created(winner.get(), false);
                }
            }
            throw e;
        }
    }

    /** The facts among {@code facts} that an earlier, not rejected, adjustment of the account settles. */
    private static Set<String> claimedFacts(DSLContext tx, UUID accountId, Set<String> facts) {
        Set<String> claimed = new java.util.HashSet<>();
        List<String> all = new ArrayList<>(facts);
        for (int from = 0; from < all.size(); from += FACTS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + FACTS_PER_QUERY));
            claimed.addAll(tx.select(RECONCILIATION_FACTS.FACT).from(RECONCILIATION_FACTS)
                .where(RECONCILIATION_FACTS.MERCHANT_ACCOUNT_ID.eq(accountId), RECONCILIATION_FACTS.FACT.in(chunk))
                .fetch(RECONCILIATION_FACTS.FACT));
        }
        return claimed;
    }

    private void storeAdjustments(DSLContext tx, MerchantAccounts.Account account, UUID id,
                                  List<Proposals.Proposal> proposed) {
        for (Proposals.Proposal proposal : proposed) {
            ChartOfAccounts.Currency currency = currencies.byCode(proposal.currency()).orElseThrow();
            tx.insertInto(RECONCILIATION_ADJUSTMENTS).set(RECONCILIATION_ADJUSTMENTS.ID, proposal.id())
                .set(RECONCILIATION_ADJUSTMENTS.RECONCILIATION_ID, id)
                .set(RECONCILIATION_ADJUSTMENTS.POSITION, proposal.position())
                .set(RECONCILIATION_ADJUSTMENTS.TENANT, account.tenant())
                .set(RECONCILIATION_ADJUSTMENTS.REASON, proposal.reason())
                .set(RECONCILIATION_ADJUSTMENTS.LEDGER, currency.ledger())
                .set(RECONCILIATION_ADJUSTMENTS.CURRENCY, proposal.currency())
                .set(RECONCILIATION_ADJUSTMENTS.AMOUNT, proposal.amount())
                .set(RECONCILIATION_ADJUSTMENTS.POSTINGS, Json.write(postingsJson(account.tenant(), currency, proposal)))
                .set(RECONCILIATION_ADJUSTMENTS.SOURCE, Json.write(sourceJson(proposal)))
                .set(RECONCILIATION_ADJUSTMENTS.STATUS, "proposed")
                .set(RECONCILIATION_ADJUSTMENTS.TRANSFER_IDS, "[]").execute();
            batched(proposal.facts(), fact -> tx.insertInto(RECONCILIATION_FACTS)
                .set(RECONCILIATION_FACTS.MERCHANT_ACCOUNT_ID, account.id()).set(RECONCILIATION_FACTS.FACT, fact)
                .set(RECONCILIATION_FACTS.ADJUSTMENT_ID, proposal.id()), tx);
        }
    }

    /** The report's {@code payout} lines, recorded as settlements to expect at the bank; what is not, a warning. */
    private static void storeSettlements(DSLContext tx, MerchantAccounts.Account account, UUID id, StatementLines lines,
                                         List<Integer> reported, ArrayNode warnings) {
        int unnamed = 0;
        int known = 0;
        for (int line : reported) {
            String reference = lines.reference(line);
            if (reference.isEmpty() || reference.indexOf('|') >= 0) {
                unnamed++;
                continue;
            }
            known += 1 - tx.insertInto(REPORTED_SETTLEMENTS).set(REPORTED_SETTLEMENTS.MERCHANT_ACCOUNT_ID, account.id())
                .set(REPORTED_SETTLEMENTS.REFERENCE, reference)
                .set(REPORTED_SETTLEMENTS.AMOUNT, Math.abs(lines.amount(line)))
                .set(REPORTED_SETTLEMENTS.CURRENCY, lines.currency(line))
                .set(REPORTED_SETTLEMENTS.VALUE_DATE, LocalDate.ofEpochDay(lines.epochDay(line)))
                .set(REPORTED_SETTLEMENTS.RECONCILIATION_ID, id)
                .set(REPORTED_SETTLEMENTS.LINE, lines.lineNumber(line))
                .onConflictDoNothing().execute();
        }
        if (unnamed > 0) {
            warnings.add(unnamed + " payout lines name no single reference, so a bank statement cannot meet them");
        }
        if (known > 0) {
            warnings.add(known + " payout lines name settlements an earlier report announced; the first one is kept");
        }
    }

    /** Runs one insert per value, in JDBC batches of {@value #BATCH}. */
    private static <T> void batched(java.util.Collection<T> values, java.util.function.Function<T, org.jooq.Query> insert,
                                    DSLContext tx) {
        List<org.jooq.Query> batch = new ArrayList<>(BATCH);
        for (T value : values) {
            batch.add(insert.apply(value));
            if (batch.size() == BATCH) {
                tx.batch(batch).execute();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            tx.batch(batch).execute();
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    public Optional<Reconciliation> get(UUID id) {
        return Optional.ofNullable(dsl.selectFrom(RECONCILIATIONS).where(RECONCILIATIONS.ID.eq(id)).fetchOne())
            .map(row -> new Reconciliation(row.getId(), row.getSeq(), row.getTenant(), row.getMerchantAccountId()));
    }

    /** The reconciliation's document: its header, up to {@link #SECTION_SHOWN} entries per section, its adjustments. */
    public ObjectNode document(UUID id) {
        ReconciliationsRecord row = dsl.selectFrom(RECONCILIATIONS).where(RECONCILIATIONS.ID.eq(id)).fetchOne();
        ObjectNode json = header(row);
        ObjectNode more = json.putObject("more");
        for (ResultWriter.Section section : ResultWriter.Section.values()) {
            ArrayNode list = json.putArray(section.wireName);
            entries(id, section.wireName, 0, SECTION_SHOWN, list::add);
            more.put(section.wireName, json.path("summary").path(section.wireName).asLong() > SECTION_SHOWN);
        }
        ArrayNode adjustmentsJson = json.putArray("proposed_adjustments");
        dsl.selectFrom(RECONCILIATION_ADJUSTMENTS).where(RECONCILIATION_ADJUSTMENTS.RECONCILIATION_ID.eq(id))
            .orderBy(RECONCILIATION_ADJUSTMENTS.POSITION)
            .forEach(adjustment -> adjustmentsJson.add(adjustmentJson(adjustment)));
        return json;
    }

    /** A page of one section's entries, {@code {"entries":[…],"next"}}: positions after {@code after}. */
    public ObjectNode entries(UUID id, String section, int after, int limit) {
        if (java.util.Arrays.stream(ResultWriter.Section.values()).noneMatch(known -> known.wireName.equals(section))) {
            throw Problem.invalidField("'section' is one of matched, differing, unmatched_ledger, unmatched_statement",
                "?section");
        }
        ObjectNode json = Fields.parseless();
        ArrayNode list = json.putArray("entries");
        int last = entries(id, section, after, limit + 1, entry -> {
            if (list.size() < limit) {
                list.add(entry);
            }
        });
        json.put("next", last > (long) after + limit ? Long.toString((long) after + limit) : null);
        return json;
    }

    /**
     * Gives {@code action} the section's entries at positions after {@code after}, at most {@code limit}, in order,
     * from the chunks that hold them; returns the position of the last one given ({@code after} when none).
     */
    private int entries(UUID id, String section, int after, int limit, java.util.function.Consumer<JsonNode> action) {
        int position = after;
        int given = 0;
        var chunks = dsl.select(RECONCILIATION_ENTRIES.POSITION, RECONCILIATION_ENTRIES.ENTRIES).from(RECONCILIATION_ENTRIES)
            .where(RECONCILIATION_ENTRIES.RECONCILIATION_ID.eq(id), RECONCILIATION_ENTRIES.SECTION.eq(section),
                RECONCILIATION_ENTRIES.POSITION.plus(RECONCILIATION_ENTRIES.COUNT).gt(after + 1))
            .orderBy(RECONCILIATION_ENTRIES.POSITION).limit(limit / ResultWriter.CHUNK + 2).fetch();
        for (var chunk : chunks) {
            int at = chunk.value1();
            for (JsonNode entry : Json.read(chunk.value2())) {
                if (given == limit) {
                    return position;
                }
                if (at > after) {
                    action.accept(entry);
                    position = at;
                    given++;
                }
                at++;
            }
        }
        return position;
    }

    /** Reconciliations of the visible tenants (null: all), oldest first after {@code afterSeq}: headers only. */
    public List<ObjectNode> list(Set<String> tenants, String tenant, UUID merchantAccountId, long afterSeq, int limit,
                                 boolean reversed) {
        var where = DSL.noCondition();
        if (tenants != null) {
            where = where.and(RECONCILIATIONS.TENANT.in(tenants));
        }
        if (tenant != null) {
            where = where.and(RECONCILIATIONS.TENANT.eq(tenant));
        }
        if (merchantAccountId != null) {
            where = where.and(RECONCILIATIONS.MERCHANT_ACCOUNT_ID.eq(merchantAccountId));
        }
        if (afterSeq > 0) {
            where = where.and(reversed ? RECONCILIATIONS.SEQ.lt(afterSeq) : RECONCILIATIONS.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(RECONCILIATIONS).where(where)
            .orderBy(reversed ? RECONCILIATIONS.SEQ.desc() : RECONCILIATIONS.SEQ.asc()).limit(limit).fetch()
            .map(row -> {
                ObjectNode json = header(row);
                json.put("seq", row.getSeq());
                return json;
            });
    }

    // ---- adjustments -----------------------------------------------------------------------------------

    /**
     * Posts the chosen adjustments, in order. Each is first claimed ({@code proposed} → {@code approving}), then
     * posted, then marked {@code posted}: a reject cannot slip in between, and one left {@code approving} by a crash is
     * finished by approving it again (its transfer ids derive from it, so the ledger meets what it made). A refusal by
     * the ledger puts it back to {@code proposed} and answers 422 naming it and what was posted before it.
     */
    public ObjectNode approve(Reconciliation reconciliation, JsonNode body, String decidedBy) {
        List<ReconciliationAdjustmentsRecord> chosen = chosen(reconciliation, body, false);
        for (ReconciliationAdjustmentsRecord adjustment : chosen) {
            if ("rejected".equals(adjustment.getStatus())) {
                throw transition(adjustment, "was rejected; it cannot be approved");
            }
        }
        ArrayNode posted = Fields.parseless().arrayNode();
        for (ReconciliationAdjustmentsRecord adjustment : chosen) {
            UUID id = adjustment.getId();
            dsl.update(RECONCILIATION_ADJUSTMENTS).set(RECONCILIATION_ADJUSTMENTS.STATUS, APPROVING)
                .set(RECONCILIATION_ADJUSTMENTS.DECIDED_BY, decidedBy)
                .set(RECONCILIATION_ADJUSTMENTS.DECIDED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(RECONCILIATION_ADJUSTMENTS.ID.eq(id), RECONCILIATION_ADJUSTMENTS.STATUS.eq(DSL.inline("proposed")))
                .execute();
            String status = status(id);
            if ("posted".equals(status)) {
                continue;
            }
            if ("rejected".equals(status)) {
                throw transition(adjustment, "was rejected meanwhile; it cannot be approved");
            }
            AdjustmentLedger.Outcome outcome = adjustments.post(id, adjustment.getTenant(), adjustment.getLedger(),
                legs(adjustment));
            if (!outcome.posted()) {
                dsl.update(RECONCILIATION_ADJUSTMENTS).set(RECONCILIATION_ADJUSTMENTS.STATUS, "proposed")
                    .setNull(RECONCILIATION_ADJUSTMENTS.DECIDED_BY).setNull(RECONCILIATION_ADJUSTMENTS.DECIDED_AT)
                    .where(RECONCILIATION_ADJUSTMENTS.ID.eq(id), RECONCILIATION_ADJUSTMENTS.STATUS.eq(DSL.inline(APPROVING)))
                    .execute();
                throw new Problem(422, "adjustment-refused", "Unprocessable entity", "the ledger refused adjustment "
                    + id + ": " + outcome.refusal() + "; it stays proposed", null)
                    .with("adjustment_id", id.toString()).with("posted", posted);
            }
            ArrayNode ids = Fields.parseless().arrayNode();
            outcome.transferIds().forEach(transfer -> ids.add(transfer.toString()));
            dsl.update(RECONCILIATION_ADJUSTMENTS).set(RECONCILIATION_ADJUSTMENTS.STATUS, "posted")
                .set(RECONCILIATION_ADJUSTMENTS.TRANSFER_IDS, Json.write(ids))
                .where(RECONCILIATION_ADJUSTMENTS.ID.eq(id), RECONCILIATION_ADJUSTMENTS.STATUS.eq(DSL.inline(APPROVING)))
                .execute();
            posted.add(id.toString());
        }
        return document(reconciliation.id());
    }

    /**
     * Rejects the chosen proposed adjustments (they are never posted) and releases the facts they named, so a later
     * reconciliation may propose them again. A posted or {@code approving} one cannot be rejected (409); "all" means
     * every proposed one.
     */
    public ObjectNode reject(Reconciliation reconciliation, JsonNode body, String decidedBy) {
        List<ReconciliationAdjustmentsRecord> chosen = chosen(reconciliation, body, true);
        for (ReconciliationAdjustmentsRecord adjustment : chosen) {
            if ("posted".equals(adjustment.getStatus()) || APPROVING.equals(adjustment.getStatus())) {
                throw transition(adjustment, "is " + adjustment.getStatus() + "; reverse it with a new entry instead");
            }
        }
        for (ReconciliationAdjustmentsRecord adjustment : chosen) {
            boolean rejected = dsl.transactionResult(configuration -> {
                DSLContext tx = DSL.using(configuration);
                int changed = tx.update(RECONCILIATION_ADJUSTMENTS).set(RECONCILIATION_ADJUSTMENTS.STATUS, "rejected")
                    .set(RECONCILIATION_ADJUSTMENTS.DECIDED_BY, decidedBy)
                    .set(RECONCILIATION_ADJUSTMENTS.DECIDED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .where(RECONCILIATION_ADJUSTMENTS.ID.eq(adjustment.getId()),
                        RECONCILIATION_ADJUSTMENTS.STATUS.eq(DSL.inline("proposed"))).execute();
                if (changed == 1) {
                    tx.deleteFrom(RECONCILIATION_FACTS).where(RECONCILIATION_FACTS.ADJUSTMENT_ID.eq(adjustment.getId()))
                        .execute();
                }
                return changed == 1;
            });
            if (!rejected && !"rejected".equals(status(adjustment.getId()))) {
                throw transition(adjustment, "was approved meanwhile");
            }
        }
        return document(reconciliation.id());
    }

    private static final String APPROVING = "approving";

    private static Problem transition(ReconciliationAdjustmentsRecord adjustment, String why) {
        return new Problem(409, "invalid-adjustment-transition", "Conflict", "adjustment " + adjustment.getId() + " "
            + why, null).with("adjustment_id", adjustment.getId().toString());
    }

    private String status(UUID adjustment) {
        return dsl.select(RECONCILIATION_ADJUSTMENTS.STATUS).from(RECONCILIATION_ADJUSTMENTS)
            .where(RECONCILIATION_ADJUSTMENTS.ID.eq(adjustment)).fetchOne(RECONCILIATION_ADJUSTMENTS.STATUS);
    }

    /**
     * The adjustments {@code {"adjustments":[ids]|"all"}} names, in their order of position; "all" is every one not
     * rejected (for a reject: every proposed one).
     */
    private List<ReconciliationAdjustmentsRecord> chosen(Reconciliation reconciliation, JsonNode body, boolean forReject) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.has("adjustments")) {
            throw Problem.invalidField("the body is {\"adjustments\": [ids] or \"all\"}", "/adjustments");
        }
        JsonNode named = body.get("adjustments");
        List<ReconciliationAdjustmentsRecord> all = dsl.selectFrom(RECONCILIATION_ADJUSTMENTS)
            .where(RECONCILIATION_ADJUSTMENTS.RECONCILIATION_ID.eq(reconciliation.id()))
            .orderBy(RECONCILIATION_ADJUSTMENTS.POSITION).fetch();
        if (named.isTextual() && "all".equals(named.asText())) {
            return all.stream().filter(adjustment -> forReject ? "proposed".equals(adjustment.getStatus())
                : !"rejected".equals(adjustment.getStatus())).toList();
        }
        if (!named.isArray() || named.isEmpty() || named.size() > CHOSEN_MAX) {
            throw Problem.invalidField("'adjustments' is \"all\" or a list of 1-" + CHOSEN_MAX + " adjustment ids",
                "/adjustments");
        }
        Map<UUID, ReconciliationAdjustmentsRecord> byId = new LinkedHashMap<>();
        all.forEach(adjustment -> byId.put(adjustment.getId(), adjustment));
        java.util.TreeMap<Integer, ReconciliationAdjustmentsRecord> picked = new java.util.TreeMap<>();
        for (int i = 0; i < named.size(); i++) {
            ReconciliationAdjustmentsRecord adjustment = null;
            try {
                adjustment = named.get(i).isTextual() ? byId.get(UUID.fromString(named.get(i).asText())) : null;
            } catch (IllegalArgumentException e) {
                // answered below
            }
            if (adjustment == null) {
                throw Problem.invalidField("not an adjustment of this reconciliation: " + named.get(i),
                    "/adjustments/" + i);
            }
            picked.put(adjustment.getPosition(), adjustment);
        }
        return new ArrayList<>(picked.values());
    }

    /** Ids one approve or reject may name (the body is at most 64 KiB); "all" takes any number. */
    static final int CHOSEN_MAX = 1_000;

    /** The adjustment's legs from its stored postings (a debit and a credit per {@code leg}). */
    private List<AdjustmentLedger.Leg> legs(ReconciliationAdjustmentsRecord adjustment) {
        java.util.TreeMap<Integer, PlannedAccount[]> sides = new java.util.TreeMap<>();
        java.util.Map<Integer, Long> amounts = new java.util.HashMap<>();
        for (JsonNode posting : Json.read(adjustment.getPostings())) {
            PlannedAccount account = PaymentAccounts.account(adjustment.getTenant(), adjustment.getLedger(),
                com.fanzfinance.server.payments.posting.PaymentRole.valueOf(posting.path("role").asText()
                    .toUpperCase(Locale.ROOT)), text(posting.path("provider")), posting.path("party").asText());
            int leg = posting.path("leg").asInt();
            PlannedAccount[] pair = sides.computeIfAbsent(leg, key -> new PlannedAccount[2]);
            boolean debit = posting.has("debit");
            pair[debit ? 0 : 1] = account;
            amounts.put(leg, Long.parseLong(posting.path(debit ? "debit" : "credit").asText()));
        }
        List<AdjustmentLedger.Leg> legs = new ArrayList<>();
        sides.forEach((leg, pair) -> legs.add(new AdjustmentLedger.Leg(pair[0], pair[1], amounts.get(leg))));
        return legs;
    }

    // ---- JSON ------------------------------------------------------------------------------------------

    private static ObjectNode header(ReconciliationsRecord row) {
        ObjectNode json = Fields.parseless();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("merchant_account_id", row.getMerchantAccountId().toString());
        json.put("format", row.getFormat());
        json.put("status", row.getStatus());
        json.set("parameters", Json.read(row.getParameters()));
        ObjectNode statement = (ObjectNode) Json.read(row.getStatement());
        json.set("warnings", statement.remove("warnings"));
        json.set("statement", statement);
        json.set("summary", Json.read(row.getSummary()));
        json.set("totals", Json.read(row.getTotals()));
        json.put("created_by", row.getCreatedBy());
        json.put("created", row.getCreated().toInstant().toString());
        return json;
    }

    private static ObjectNode adjustmentJson(ReconciliationAdjustmentsRecord row) {
        ObjectNode json = Fields.parseless();
        json.put("id", row.getId().toString());
        json.put("reason", row.getReason());
        json.put("ledger", row.getLedger());
        json.put("currency", row.getCurrency());
        json.put("amount", Long.toString(row.getAmount()));
        json.set("postings", Json.read(row.getPostings()));
        json.set("source", Json.read(row.getSource()));
        json.put("status", row.getStatus());
        json.set("transfer_ids", Json.read(row.getTransferIds()));
        json.put("decided_by", row.getDecidedBy());
        json.put("decided_at", row.getDecidedAt() == null ? null : row.getDecidedAt().toInstant().toString());
        return json;
    }

    /** The adjustment's postings: per leg (numbered from 1) its debit and its credit. */
    private static ArrayNode postingsJson(String tenant, ChartOfAccounts.Currency currency, Proposals.Proposal proposal) {
        ArrayNode postings = Fields.parseless().arrayNode();
        int number = 0;
        for (Proposals.Leg leg : proposal.legs()) {
            number++;
            for (Proposals.Posting posting : List.of(leg.debit(), leg.credit())) {
                boolean debit = posting == leg.debit();
                ObjectNode json = postings.addObject();
                json.put("leg", number);
                json.put("account_id", PaymentAccounts.account(tenant, currency.ledger(), posting.role(),
                    posting.provider(), posting.party()).id().toString());
                json.put("role", posting.role().wireName());
                json.put("provider", posting.provider());
                json.put("party", posting.party());
                json.put(debit ? "debit" : "credit", Long.toString(leg.amount()));
            }
        }
        return postings;
    }

    private static ObjectNode sourceJson(Proposals.Proposal proposal) {
        ObjectNode json = Fields.parseless();
        ArrayNode lineNumbers = json.putArray("lines");
        proposal.lines().forEach(lineNumbers::add);
        ArrayNode items = json.putArray("items");
        proposal.items().forEach(item -> items.add(item.toString()));
        json.put("count", proposal.sourceCount());
        return json;
    }

    private static ObjectNode statementJson(StatementFormats.Meta meta, StatementLines lines, long bytes, String sha256,
                                            LocalDate from, LocalDate to) {
        ObjectNode json = Fields.parseless();
        json.put("lines", lines.size());
        json.put("bytes", bytes);
        json.put("sha256", sha256);
        json.put("first_date", LocalDate.ofEpochDay(lines.minEpochDay()).toString());
        json.put("last_date", LocalDate.ofEpochDay(lines.maxEpochDay()).toString());
        json.put("ledger_from", from.toString());
        json.put("ledger_to", to.toString());
        meta.describe(json);
        return json;
    }

    private static ObjectNode totalsJson(Map<String, long[]> totals) {
        ObjectNode json = Fields.parseless();
        totals.forEach((currency, slots) -> {
            ObjectNode one = json.putObject(currency);
            one.put("statement_lines", slots[ResultWriter.LINES]);
            one.put("statement_amount", Long.toString(slots[ResultWriter.LINES_AMOUNT]));
            one.put("statement_fee", Long.toString(slots[ResultWriter.LINES_FEE]));
            one.put("ledger_items", slots[ResultWriter.ITEMS]);
            one.put("ledger_amount", Long.toString(slots[ResultWriter.ITEMS_AMOUNT]));
            one.put("ledger_fee", Long.toString(slots[ResultWriter.ITEMS_FEE]));
            one.put("matched_amount", Long.toString(slots[ResultWriter.MATCHED_AMOUNT]));
            one.put("differing_statement_amount", Long.toString(slots[ResultWriter.DIFFERING_STATEMENT]));
            one.put("differing_ledger_amount", Long.toString(slots[ResultWriter.DIFFERING_LEDGER]));
            one.put("unmatched_statement_amount", Long.toString(slots[ResultWriter.UNMATCHED_STATEMENT_AMOUNT]));
            one.put("unmatched_ledger_amount", Long.toString(slots[ResultWriter.UNMATCHED_LEDGER_AMOUNT]));
        });
        return json;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}

