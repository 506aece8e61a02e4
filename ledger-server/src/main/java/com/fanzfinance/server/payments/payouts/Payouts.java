package com.fanzfinance.server.payments.payouts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.EventSink;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.Idempotency;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.events.EventTypes;
import com.fanzfinance.server.payments.schema.tables.records.PayoutsRecord;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

import static com.fanzfinance.server.payments.schema.Tables.IDEMPOTENCY_KEYS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;

/**
 * Payouts and their lifecycle (PAYMENTS-API §6): requested → held → batched → submitted → settled, or failed,
 * cancelled, returned.
 *
 * <p>Every move that touches the ledger is done in three steps: the intent is written (the payout row's
 * {@code pending_status}, in a transaction that locks it), the ledger step is done with transfer ids derived from
 * the payout ({@link PayoutLedger}), then the outcome is written. A crash between them leaves the intent, which
 * {@link #finishUnfinished} carries out again: the ledger meets the transfers it already has, so nothing is held,
 * paid or returned twice; and while an intent stands no other move (and no batch) can take the payout. A request is
 * its own intent: the row is written as {@code requested} before the hold.
 */
public final class Payouts {
    public static final Set<String> FIELDS = Set.of("payee_id", "amount", "currency");
    public static final Set<String> EVENT_FIELDS = Set.of("type", "reason_code", "reason", "rail_reference", "occurred_at");
    public static final Set<String> STATUSES = Set.of("requested", "held", "batched", "submitted", "settled", "failed",
        "cancelled", "returned");
    public static final Set<String> APPROVE_FIELDS = Set.of("note");
    public static final Set<String> HOLD_FIELDS = Set.of("reason");
    /**
     * Who requested a scheduled payout ({@code requested_by}): no key did, so any {@code payouts:admin} key may
     * approve it.
     */
    public static final String BY_SCHEDULE = "schedule";
    /** The moves that take a held payout towards its payee, which a pending approval or an operator's hold stop. */
    private static final Set<String> ONWARD = Set.of("batched", "submitted", "settled");
    static final String ROUTE = "payouts";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Payouts.class);

    private final DSLContext dsl;
    private final Payees payees;
    private final MerchantAccounts accounts;
    private final Currencies currencies;
    private final PayoutLedger ledger;
    private final EventSink sink;
    private final java.time.Clock clock;

    public Payouts(DSLContext dsl, Payees payees, MerchantAccounts accounts, Currencies currencies, PayoutLedger ledger,
                   EventSink sink, java.time.Clock clock) {
        this.dsl = dsl;
        this.payees = payees;
        this.accounts = accounts;
        this.currencies = currencies;
        this.ledger = ledger;
        this.sink = sink;
        this.clock = clock;
    }

    /** A payout as stored. */
    public record Payout(UUID id, long seq, String tenant, String creator, UUID payeeId, String rail,
                         UUID merchantAccountId, long amount, long fee, String feePaidBy, String currency, int ledger,
                         String status, String statusReason, String pendingStatus, UUID batchId, String railReference,
                         Map<String, String> destination, LocalDate effectiveDate, Instant settledAt,
                         List<String> transferIds, List<Map<String, String>> history, Instant created, Instant updated,
                         Map<String, String> railView, String requestedBy, Approval approval,
                         OperatorHold operatorHold) {
        PayoutLedger.Money money() {
            return new PayoutLedger.Money(id, tenant, ledger, creator, rail, merchantAccountId, amount, fee,
                feePaidBy.equals("creator"));
        }
    }

    /**
     * A payout's approval: {@code not_required}, {@code pending} or {@code approved}, and who approved it, when, with
     * which note.
     */
    public record Approval(String status, String by, Instant at, String note) {
    }

    /** An operator's hold on a payout: why, by which key, since when. */
    public record OperatorHold(String reason, String by, Instant at) {
    }

    /** The outcome of a request: the payout and whether this request made it. */
    public record Created(Payout payout, boolean created) {
    }

    // ---- requests ----------------------------------------------------------------------------------

    /**
     * Requests a payout of a payee; {@code idempotencyKey} (required) makes a repeat answer the first payout. Refused
     * (422, nothing held) when the payee fails the compliance gate, the amount is under the rail's minimum or over
     * what is available, the tenant has no rail account, or the currency is not the payee's.
     *
     * @param requestedBy the id of the requesting key, kept as {@code requested_by} (it may not approve the payout)
     */
    public Created request(Fields fields, Predicate<String> tenantVisible, String idempotencyKey, String fingerprint,
                           String requestedBy) {
        if (idempotencyKey == null) {
            throw Problem.badRequest("invalid-header", "payouts need an Idempotency-Key header (1-64 printable ASCII)", null);
        }
        UUID payeeId = uuid(fields.requiredText("payee_id", 36), "/payee_id");
        Payees.Payee payee = payees.get(payeeId).filter(found -> tenantVisible.test(found.tenant()))
            .orElseThrow(() -> Problem.notFound("no payee " + payeeId));
        Optional<UUID> earlier = Idempotency.earlier(dsl, payee.tenant(), ROUTE, idempotencyKey, fingerprint);
        if (earlier.isPresent()) {
            return new Created(get(earlier.get()).orElseThrow(), false);
        }
        String amountText = fields.requiredText("amount", 20);
        String currency = fields.requiredText("currency", 10);
        Draft draft = draft(payee, amountText, currency);
        return place(draft, idempotencyKey, fingerprint, null, requestedBy);
    }

    /**
     * What a request will hold, checked; {@code needsApproval}: the amount reaches the account's
     * {@code approval_threshold}.
     */
    record Draft(Payees.Payee payee, MerchantAccounts.Account account, ChartOfAccounts.Currency currency, long amount,
                 long fee, String feePaidBy, boolean needsApproval) {
    }

    Draft draft(Payees.Payee payee, String amountText, String currency) {
        if (!payee.payoutAllowed()) {
            throw new Problem(422, "payee-not-verified", "Unprocessable entity", "the payee fails the compliance gate: "
                + String.join(", ", payee.failedChecks()), null).with("failed_checks", payee.failedChecks());
        }
        ChartOfAccounts.Currency registered = currencies.byCode(currency).filter(found -> currency.equals(payee.currency()))
            .orElseThrow(() -> new Problem(422, "unsupported-currency", "Unprocessable entity", "payee " + payee.id()
                + " is paid in " + payee.currency(), "/currency"));
        MerchantAccounts.Account account = railAccount(payee.tenant(), payee.rail(), currency)
            .orElseThrow(() -> new Problem(422, "no-rail-account", "Unprocessable entity", "tenant " + payee.tenant()
                + " has no active " + payee.rail() + " account paying " + currency, null));
        MerchantAccounts.Payout terms = terms(account);
        long available = ledger.available(payee.tenant(), registered.ledger(), payee.creator());
        long creatorFee = terms.creatorPaysFee() ? terms.fee() : 0;
        long amount;
        if (amountText.equals("all")) {
            amount = available - creatorFee;
        } else if (amountText.matches("[1-9][0-9]{0,17}")) {
            amount = Long.parseLong(amountText);
        } else {
            throw Problem.invalidField("'amount' is a positive amount in minor units such as \"5000\", or \"all\"", "/amount");
        }
        if (amount <= 0 || amount > available - creatorFee) {
            throw insufficient(available, creatorFee);
        }
        if (amount > maximum(payee.rail())) {
            throw Problem.invalidField("the largest " + payee.rail() + " payout is " + maximum(payee.rail())
                + " (what its file format can carry)", "/amount");
        }
        if (amount < terms.minimum()) {
            throw new Problem(422, "below-minimum", "Unprocessable entity", "the smallest " + payee.rail() + " payout is "
                + terms.minimum(), "/amount").with("minimum", Long.toString(terms.minimum()));
        }
        boolean needsApproval = terms.approvalThreshold() != null && amount >= terms.approvalThreshold();
        return new Draft(payee, account, registered, amount, terms.fee(), terms.feePaidBy(), needsApproval);
    }

    /**
     * Why a held payout of {@code rail} must not reach its payee now (null: it may): the payee moved to another rail,
     * fails the compliance gate now (it may have been revoked since the request), or changed its details less than
     * the account's {@code new_payee_hold_days} ago. Checked when a batch takes the payout and when an API rail is
     * handed it.
     */
    static String payeeProblem(MerchantAccounts.Account account, String rail, Payees.Payee payee, Instant now) {
        if (!payee.rail().equals(rail)) {
            return "its payee is now paid by " + payee.rail();
        }
        if (!payee.payoutAllowed()) {
            return "its payee fails the compliance gate now (" + String.join(", ", payee.failedChecks()) + ")";
        }
        int days = terms(account).newPayeeHoldDays();
        if (days > 0 && payee.detailsSince().plus(java.time.Duration.ofDays(days)).isAfter(now)) {
            return "its payee's details are less than " + days + " days old (new_payee_hold_days)";
        }
        return null;
    }

    /** The largest payout a file rail can carry: NACHA's 10-digit amount, SEPA's 999,999,999.99; API rails: 10^15 units. */
    static long maximum(String rail) {
        return rail.equals(RailAccounts.ACH) ? 9_999_999_999L : rail.equals(RailAccounts.SEPA) ? 99_999_999_999L
            : 1_000_000_000_000_000L;
    }

    private static Problem insufficient(long available, long creatorFee) {
        return new Problem(422, "insufficient-available-balance", "Unprocessable entity", "available for payout: "
            + available + (creatorFee > 0 ? " (the payout fee of " + creatorFee + " comes out of it too)" : ""), "/amount")
            .with("available", Long.toString(available));
    }

    /** The tenant's oldest active account of the rail paying the currency. */
    Optional<MerchantAccounts.Account> railAccount(String tenant, String rail, String currency) {
        return accounts.ofTenant(tenant, rail).stream().filter(MerchantAccounts.Account::isActive)
            .filter(account -> account.accepts(currency)).findFirst();
    }

    static MerchantAccounts.Payout terms(MerchantAccounts.Account account) {
        return account.payout() == null ? new MerchantAccounts.Payout(0, 0, 0, "creator", 0, null) : account.payout();
    }

    /**
     * Writes the payout as {@code requested} (claiming the idempotency key, or the schedule key), then holds the
     * money. The ledger refusing the hold (the balance moved meanwhile) takes the row and the key back: 422.
     *
     * @param requestedBy the requesting key's id, or {@link #BY_SCHEDULE}
     */
    Created place(Draft draft, String idempotencyKey, String fingerprint, String scheduleKey, String requestedBy) {
        Payees.Payee payee = draft.payee();
        UUID id = UUID.randomUUID();
        Optional<UUID> raced;
        try {
            raced = dsl.transactionResult(configuration -> {
                DSLContext tx = DSL.using(configuration);
                Optional<UUID> earlier = Idempotency.earlier(tx, payee.tenant(), ROUTE, idempotencyKey, fingerprint);
                if (earlier.isPresent()) {
                    return earlier;
                }
                insertRequested(tx, id, draft, scheduleKey, requestedBy);
                Idempotency.claim(tx, payee.tenant(), ROUTE, idempotencyKey, fingerprint, id);
                return Optional.<UUID>empty();
            });
        } catch (DataAccessException e) {
            Optional<UUID> winner = Idempotency.earlier(dsl, payee.tenant(), ROUTE, idempotencyKey, fingerprint);
            if (winner.isPresent()) {
                return new Created(get(winner.get()).orElseThrow(), false);
            }
            throw e;
        }
        if (raced.isPresent()) {
            return new Created(get(raced.get()).orElseThrow(), false);
        }
        return new Created(hold(id, true), true);
    }

    private void insertRequested(DSLContext tx, UUID id, Draft draft, String scheduleKey, String requestedBy) {
        Payees.Payee payee = draft.payee();
        OffsetDateTime now = now();
        tx.insertInto(PAYOUTS).set(PAYOUTS.ID, id).set(PAYOUTS.TENANT, payee.tenant()).set(PAYOUTS.CREATOR, payee.creator())
            .set(PAYOUTS.PAYEE_ID, payee.id()).set(PAYOUTS.RAIL, payee.rail())
            .set(PAYOUTS.MERCHANT_ACCOUNT_ID, draft.account().id()).set(PAYOUTS.AMOUNT, draft.amount())
            .set(PAYOUTS.FEE, draft.fee()).set(PAYOUTS.FEE_PAID_BY, draft.feePaidBy())
            .set(PAYOUTS.CURRENCY, draft.currency().code()).set(PAYOUTS.LEDGER, draft.currency().ledger())
            .set(PAYOUTS.STATUS, "requested").set(PAYOUTS.SCHEDULE_KEY, scheduleKey)
            .set(PAYOUTS.REQUESTED_BY, requestedBy)
            .set(PAYOUTS.APPROVAL_STATUS, draft.needsApproval() ? "pending" : "not_required")
            .set(PAYOUTS.HISTORY, PayoutJson.write(List.of(PayoutJson.historyEntry("requested", null, now.toInstant()))))
            .set(PAYOUTS.CREATED, now).set(PAYOUTS.UPDATED, now).execute();
    }

    /**
     * Holds a requested payout's money, under the payout row's lock, so that the request and the sweep never both
     * decide it. When the ledger refuses, a request still being answered ({@code answering}) is withdrawn (422 to its
     * caller: the row and its idempotency key go); one found by the sweep after a crash becomes failed. A crash after
     * the ledger held the money but before the commit leaves the row requested: the next try meets the hold.
     */
    private Payout hold(UUID id, boolean answering) {
        Problem refused = dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayoutsRecord row = tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id), PAYOUTS.STATUS.eq("requested")).forUpdate()
                .fetchOne();
            if (row == null) {
                return null;
            }
            Payout payout = toPayout(row);
            PayoutLedger.Outcome outcome;
            try {
                outcome = ledger.hold(payout.money());
            } catch (PayoutLedger.AccountRefusedException refusedAccount) {
                return refuse(tx, row, answering, refusedAccount.getMessage(), new Problem(409, "invalid-payout-transition",
                    "Conflict", refusedAccount.getMessage(), null));
            }
            if (outcome.done()) {
                finishIn(tx, row, "held", null, ids(outcome), Map.of());
                return null;
            }
            long available = ledger.available(payout.tenant(), payout.ledger(), payout.creator());
            return refuse(tx, row, answering, "the ledger refused the hold: "
                + outcome.refusal().name().toLowerCase(java.util.Locale.ROOT),
                insufficient(available, payout.feePaidBy().equals("creator") ? payout.fee() : 0));
        });
        if (refused != null) {
            throw refused;
        }
        return get(id).orElse(null);
    }

    /**
     * A hold the ledger refused: a request being answered is withdrawn (its row and key deleted, {@code problem}
     * to its caller); one the sweep found becomes failed with {@code reason}.
     */
    private Problem refuse(DSLContext tx, PayoutsRecord row, boolean answering, String reason, Problem problem) {
        if (!answering) {
            finishIn(tx, row, "failed", reason, List.of(), Map.of());
            return null;
        }
        tx.deleteFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.ROUTE.eq(ROUTE), IDEMPOTENCY_KEYS.OBJECT_ID.eq(row.getId()))
            .execute();
        tx.deleteFrom(PAYOUTS).where(PAYOUTS.ID.eq(row.getId())).execute();
        return problem;
    }

    private static List<String> ids(PayoutLedger.Outcome outcome) {
        return outcome.transferIds().stream().map(UUID::toString).toList();
    }

    // ---- moves ----------------------------------------------------------------------------------------

    /** What a move does to the ledger. */
    enum LedgerStep { NONE, SETTLE, RELEASE, REVERSE }

    /**
     * The ledger step of moving a payout of {@code rail} from {@code status} to {@code target}, or empty when the move
     * is not allowed. A payout of a file rail (ach, sepa) reaches the bank only in a batch's file: it is submitted only
     * from batched, settled only once submitted, and once its file exists (batched) it can no longer fail or be
     * returned before it is submitted, as the file may still be sent.
     */
    static Optional<LedgerStep> step(String rail, String status, String target) {
        boolean fileRail = Payees.RAILS.contains(rail);
        Set<String> beforeSettlement = fileRail ? Set.of("submitted") : Set.of("held", "batched", "submitted");
        return switch (target) {
            case "cancelled" -> status.equals("held") ? Optional.of(LedgerStep.RELEASE) : Optional.empty();
            case "batched" -> status.equals("held") ? Optional.of(LedgerStep.NONE) : Optional.empty();
            case "submitted" -> (fileRail ? Set.of("batched") : Set.of("held", "batched")).contains(status)
                ? Optional.of(LedgerStep.NONE) : Optional.empty();
            case "settled" -> beforeSettlement.contains(status) ? Optional.of(LedgerStep.SETTLE) : Optional.empty();
            case "failed" -> beforeSettlement.contains(status) || status.equals("held") ? Optional.of(LedgerStep.RELEASE)
                : Optional.empty();
            case "returned" -> status.equals("settled") ? Optional.of(LedgerStep.REVERSE)
                : beforeSettlement.contains(status) && !status.equals("held") ? Optional.of(LedgerStep.RELEASE)
                : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Cancels a held payout: the hold is voided. */
    public Payout cancel(UUID id) {
        return move(id, "cancelled", "cancelled by request", null, Map.of());
    }

    /**
     * Records what a rail reported ({@code submitted settled failed returned}); the payout's current status again is
     * a no-op, other moves 409 {@code invalid-payout-transition}.
     */
    public Payout event(UUID id, Fields fields) {
        fields.requireKnown(EVENT_FIELDS);
        String type = fields.oneOf("type", Set.of("submitted", "settled", "failed", "returned"), null);
        if (type == null) {
            throw Problem.invalidField("'type' is required: submitted, settled, failed or returned", "/type");
        }
        String code = fields.text("reason_code", 16);
        String reason = fields.text("reason", 400);
        String reference = fields.text("rail_reference", 128);
        if (fields.has("occurred_at")) {
            try {
                Instant.parse(fields.requiredText("occurred_at", 40));
            } catch (java.time.format.DateTimeParseException e) {
                throw Problem.invalidField("'occurred_at' is an ISO-8601 UTC time", "/occurred_at");
            }
        }
        Map<String, String> extra = new java.util.TreeMap<>();
        if (reference != null) {
            extra.put("rail_reference", reference);
        }
        String statusReason = code == null ? reason : reason == null ? code : code + ": " + reason;
        if (statusReason != null && statusReason.length() > 400) {
            statusReason = statusReason.substring(0, 400);
        }
        if (reference != null) {
            requireReferenceFree(id, reference);
        }
        requireRailAllows(id, type);
        return move(id, type, statusReason, code, extra);
    }

    /**
     * What an operator may report for a payout of an API rail, whose server drives it: not {@code submitted} (the
     * server hands it over), and {@code failed} only while nothing is known to be on its way — the rail has not
     * been called, is preparing, or left the outcome unknown for a person to find out (Paxum without an answer):
     * failing voids the hold, so a payout the rail has accepted must not fail by hand.
     */
    private void requireRailAllows(UUID id, String type) {
        PayoutsRecord row = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).fetchOne();
        if (row == null || !ApiRails.isApiRail(row.getRail())) {
            return;
        }
        if (type.equals("submitted") && !row.getStatus().equals("submitted")) {
            throw transition("the server hands " + row.getRail() + " payouts to their rail itself");
        }
        String railStatus = row.getRailStatus();
        if (type.equals("failed") && !row.getStatus().equals("failed") && railStatus != null
            && !Set.of("preparing", "unknown", "failed").contains(railStatus)) {
            throw transition("the " + row.getRail() + " rail has the payout (" + railStatus + "): it cannot fail by hand;"
                + " ask the rail (POST /v1/payouts/" + id + "/check-rail)");
        }
    }

    /** A rail reference names one payout of its rail account: another payout's → 409. */
    private void requireReferenceFree(UUID id, String reference) {
        Payout payout = get(id).orElseThrow(() -> Problem.notFound("no payout " + id));
        if (payout.railReference() != null && !payout.railReference().equals(reference)) {
            throw transition("payout " + id + " already has rail reference " + payout.railReference());
        }
        if (dsl.fetchExists(PAYOUTS, PAYOUTS.MERCHANT_ACCOUNT_ID.eq(payout.merchantAccountId()),
            PAYOUTS.RAIL_REFERENCE.eq(reference), PAYOUTS.ID.ne(id))) {
            throw transition("rail reference " + reference + " belongs to another payout of the rail account");
        }
    }

    /**
     * Moves a payout to {@code target}: the intent, the ledger step, the outcome (see the class comment).
     *
     * @param extra {@code rail_reference} to set with the move, if any
     */
    Payout move(UUID id, String target, String reason, String code, Map<String, String> extra) {
        return move(id, status -> target, reason, code, extra);
    }

    /**
     * Moves a payout as its rail reported: settled; failed; returned — which is {@code returned} for a settled payout
     * and {@code failed} (the hold voided) for one that had not settled. The target is chosen under the row's lock,
     * so a settlement racing the report cannot turn a return into a refused move.
     */
    Payout moveByRail(UUID id, com.fanzfinance.payouts.rail.RailStatus status, String reason, String code,
                      Map<String, String> extra) {
        return move(id, current -> switch (status) {
            case SETTLED -> "settled";
            case RETURNED -> current.equals("settled") || current.equals("returned") ? "returned" : "failed";
            default -> "failed";
        }, reason, code, extra);
    }

    private Payout move(UUID id, java.util.function.UnaryOperator<String> targetFor, String reason, String code,
                        Map<String, String> extra) {
        Intent intent = dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayoutsRecord row = tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("no payout " + id);
            }
            String target = targetFor.apply(row.getStatus());
            if (row.getPendingStatus() != null) {
                if (row.getPendingStatus().equals(target)) {
                    return intentOf(row);
                }
                throw transition("payout " + id + " is being moved to " + row.getPendingStatus() + " already");
            }
            if (row.getStatus().equals(target)) {
                return null;
            }
            LedgerStep step = step(row.getRail(), row.getStatus(), target).orElseThrow(() -> transition("a "
                + row.getStatus() + " " + row.getRail() + " payout cannot become " + target));
            String stopped = ONWARD.contains(target) ? reviewProblem(row) : null;
            if (stopped != null) {
                throw transition("payout " + id + " cannot become " + target + ": " + stopped);
            }
            if (step == LedgerStep.NONE) {
                finishIn(tx, row, target, reason, List.of(), extra);
                return null;
            }
            tx.update(PAYOUTS).set(PAYOUTS.PENDING_STATUS, target).set(PAYOUTS.PENDING_REASON, reason)
                .set(PAYOUTS.PENDING_CODE, code).set(PAYOUTS.UPDATED, now()).where(PAYOUTS.ID.eq(id)).execute();
            return new Intent(row.getStatus(), target, reason, step);
        });
        if (intent != null) {
            carryOut(get(id).orElseThrow(), intent, extra);
        }
        return get(id).orElseThrow();
    }

    /** An intent as written: the status it leaves, the one it reaches, why, and its ledger step. */
    private record Intent(String from, String target, String reason, LedgerStep step) {
    }

    private static Intent intentOf(PayoutsRecord row) {
        return new Intent(row.getStatus(), row.getPendingStatus(), row.getPendingReason(),
            step(row.getRail(), row.getStatus(), row.getPendingStatus()).orElseThrow());
    }

    private static Problem transition(String detail) {
        return new Problem(409, "invalid-payout-transition", "Conflict", detail, null);
    }

    /** Does an intent's ledger step and records its outcome, if the intent still stands. */
    private void carryOut(Payout payout, Intent intent, Map<String, String> extra) {
        PayoutLedger.Outcome outcome = switch (intent.step()) {
            case SETTLE -> ledger.settle(payout.money());
            case RELEASE -> ledger.release(payout.money());
            case REVERSE -> ledger.reverse(payout.money());
            case NONE -> throw new IllegalStateException("no ledger step to carry out");
        };
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayoutsRecord row = tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(payout.id())).forUpdate().fetchOne();
            if (row != null && intent.target().equals(row.getPendingStatus()) && intent.from().equals(row.getStatus())) {
                finishIn(tx, row, intent.target(), intent.reason(), ids(outcome), extra);
            }
        });
    }

    /** Carries out the payout's standing intent, if it has one (a return must not wait behind it). */
    void finishIntent(UUID id) {
        PayoutsRecord row = dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).fetchOne();
        if (row != null && row.getPendingStatus() != null) {
            carryOut(toPayout(row), intentOf(row), Map.of());
        }
    }

    /**
     * Marks the batch's batched payouts submitted, in {@code tx} (the batch's own transaction): no ledger step, so
     * the batch and all its payouts move at once.
     */
    void submitBatchIn(DSLContext tx, UUID batchId, String reason) {
        List<PayoutsRecord> rows = tx.selectFrom(PAYOUTS).where(PAYOUTS.BATCH_ID.eq(batchId), PAYOUTS.STATUS.eq("batched"),
            PAYOUTS.PENDING_STATUS.isNull()).orderBy(PAYOUTS.ID).forUpdate().fetch();
        for (PayoutsRecord row : rows) {
            finishIn(tx, row, "submitted", reason, List.of(), Map.of());
        }
    }

    private void finishIn(DSLContext tx, PayoutsRecord row, String target, String reason, List<String> transferIds,
                          Map<String, String> extra) {
        OffsetDateTime now = now();
        List<String> ids = new ArrayList<>(PayoutJson.readList(row.getTransferIds()));
        transferIds.stream().filter(transferId -> !ids.contains(transferId)).forEach(ids::add);
        var update = tx.update(PAYOUTS).set(PAYOUTS.STATUS, target).set(PAYOUTS.STATUS_REASON, reason)
            .set(PAYOUTS.PENDING_STATUS, (String) null).set(PAYOUTS.PENDING_REASON, (String) null)
            .set(PAYOUTS.PENDING_CODE, (String) null).set(PAYOUTS.TRANSFER_IDS, PayoutJson.write(ids))
            .set(PAYOUTS.HISTORY, PayoutJson.appendHistory(row.getHistory(), target, reason, now.toInstant()))
            .set(PAYOUTS.UPDATED, now);
        if (target.equals("settled")) {
            update = update.set(PAYOUTS.SETTLED_AT, now);
        }
        if (extra.containsKey("rail_reference") && row.getRailReference() == null) {
            update = update.set(PAYOUTS.RAIL_REFERENCE, extra.get("rail_reference"));
        }
        update.where(PAYOUTS.ID.eq(row.getId())).execute();
        announce(tx, row.getId(), target);
    }

    /** Appends the payout's event for {@code status} to the outbox, in {@code tx}, with the payout as its data. */
    void announce(DSLContext tx, UUID id, String status) {
        String type = switch (status) {
            case "held" -> EventTypes.PAYOUT_HELD;
            case "submitted" -> EventTypes.PAYOUT_SUBMITTED;
            case "settled" -> EventTypes.PAYOUT_SETTLED;
            case "failed" -> EventTypes.PAYOUT_FAILED;
            case "returned" -> EventTypes.PAYOUT_RETURNED;
            case "cancelled" -> EventTypes.PAYOUT_CANCELLED;
            default -> null;
        };
        if (type != null) {
            Payout payout = toPayout(tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).fetchOne());
            sink.append(tx, payout.tenant(), type, id.toString(), new String(Fields.write(toJson(payout)),
                java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    // ---- approval and operator holds -----------------------------------------------------------------

    /**
     * Why a held payout must not be taken further now (null: it may): an operator holds it, or it awaits approval.
     * Checked, under the payout row's lock, by every move that takes a payout towards its payee (a batch, the hand-over
     * to an API rail, a reported settlement), so that such a move and an operator's hold never both win.
     */
    static String reviewProblem(PayoutsRecord row) {
        if (row.getOperatorHoldAt() != null) {
            return "an operator holds it (" + row.getOperatorHoldReason() + "); release it first";
        }
        if (row.getApprovalStatus().equals("pending")) {
            return "it awaits approval (its amount reaches the rail account's approval_threshold)";
        }
        return null;
    }

    /** Held payouts that may be taken further: neither awaiting approval nor held by an operator. */
    static Condition cleared() {
        return PAYOUTS.APPROVAL_STATUS.ne("pending").and(PAYOUTS.OPERATOR_HOLD_AT.isNull());
    }

    /**
     * Approves a payout awaiting approval ({@code POST /v1/payouts/{id}/approve}); an approved one answers unchanged.
     * A payout that needs none is a 409; the key that requested it may not approve it (403
     * {@code approval-by-requester}: four eyes), but any key may approve a scheduled one.
     *
     * @param fields the body ({@code note}), or null when there was none
     */
    public Payout approve(UUID id, String actor, Fields fields) {
        String note = null;
        if (fields != null) {
            fields.requireKnown(APPROVE_FIELDS);
            note = fields.prose("note", 400, false);
        }
        String approvalNote = note;
        return review(id, "approved", (tx, row) -> {
            if (row.getApprovalStatus().equals("approved")) {
                return;
            }
            if (!row.getApprovalStatus().equals("pending")) {
                throw transition("payout " + id + " needs no approval: its amount was under the rail account's"
                    + " approval_threshold when it was requested");
            }
            if (actor.equals(row.getRequestedBy())) {
                throw new Problem(403, "approval-by-requester", "Forbidden", "key " + actor + " requested payout " + id
                    + "; another key with payouts:admin must approve it", null);
            }
            tx.update(PAYOUTS).set(PAYOUTS.APPROVAL_STATUS, "approved").set(PAYOUTS.APPROVAL_BY, actor)
                .set(PAYOUTS.APPROVAL_AT, now()).set(PAYOUTS.APPROVAL_NOTE, approvalNote).set(PAYOUTS.UPDATED, now())
                .set(PAYOUTS.RAIL_NEXT_CHECK, dueNow(row)).where(PAYOUTS.ID.eq(id)).execute();
            LOG.info("payout {} approved by {}", id, actor);
        });
    }

    /**
     * Puts a held payout on hold ({@code POST /v1/payouts/{id}/hold}): no batch takes it and no API rail is handed it
     * until it is released. One on hold already answers unchanged, its first reason kept.
     */
    public Payout putOnHold(UUID id, String actor, Fields fields) {
        fields.requireKnown(HOLD_FIELDS);
        String reason = fields.prose("reason", 400, true);
        return review(id, "put on hold", (tx, row) -> {
            if (row.getOperatorHoldAt() != null) {
                return;
            }
            tx.update(PAYOUTS).set(PAYOUTS.OPERATOR_HOLD_REASON, reason).set(PAYOUTS.OPERATOR_HOLD_BY, actor)
                .set(PAYOUTS.OPERATOR_HOLD_AT, now()).set(PAYOUTS.UPDATED, now()).where(PAYOUTS.ID.eq(id)).execute();
            LOG.info("payout {} put on hold by {}", id, actor);
        });
    }

    /** Releases an operator's hold ({@code POST /v1/payouts/{id}/release}); a payout not on hold answers unchanged. */
    public Payout release(UUID id, String actor) {
        return review(id, "released", (tx, row) -> {
            if (row.getOperatorHoldAt() == null) {
                return;
            }
            tx.update(PAYOUTS).set(PAYOUTS.OPERATOR_HOLD_REASON, (String) null)
                .set(PAYOUTS.OPERATOR_HOLD_BY, (String) null).set(PAYOUTS.OPERATOR_HOLD_AT, (OffsetDateTime) null)
                .set(PAYOUTS.UPDATED, now()).set(PAYOUTS.RAIL_NEXT_CHECK, dueNow(row)).where(PAYOUTS.ID.eq(id))
                .execute();
            // The log keeps who held it and why: the row forgets both once released.
            LOG.info("payout {} released by {} (held by {} since {}: {})", id, actor, row.getOperatorHoldBy(),
                row.getOperatorHoldAt(), row.getOperatorHoldReason());
        });
    }

    /** A change of a payout's approval or operator hold, made with its row locked. */
    private interface ReviewChange {
        void apply(DSLContext tx, PayoutsRecord row);
    }

    /**
     * Makes {@code change} with the payout's row locked — the lock every move takes — and only while the payout is
     * {@code held} with no move under way (else 409), so that a batch or a hand-over racing it either sees the change
     * or has moved the payout first.
     */
    private Payout review(UUID id, String done, ReviewChange change) {
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PayoutsRecord row = tx.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("no payout " + id);
            }
            if (row.getPendingStatus() != null) {
                throw transition("payout " + id + " is being moved to " + row.getPendingStatus() + "; it cannot be "
                    + done + " now");
            }
            if (!row.getStatus().equals("held")) {
                throw transition("payout " + id + " is " + row.getStatus() + "; only a held payout can be " + done);
            }
            change.apply(tx, row);
        });
        return get(id).orElseThrow();
    }

    /**
     * The next rail check of a payout that may now move on: an API-rail payout is due at once (the rail runner's next
     * pass hands it over, whatever an earlier note said); a file-rail payout keeps none.
     */
    private OffsetDateTime dueNow(PayoutsRecord row) {
        return ApiRails.isApiRail(row.getRail()) ? null : row.getRailNextCheck();
    }

    // ---- recovery -------------------------------------------------------------------------------------

    /**
     * Carries out what a crash or an unavailable ledger left half done: requests not yet held (older than
     * {@code settle}) and intents not yet carried out. Returns how many payouts it moved.
     */
    public int finishUnfinished(Instant now, java.time.Duration settle, int limit) {
        OffsetDateTime before = now.minus(settle).atOffset(ZoneOffset.UTC);
        List<PayoutsRecord> rows = dsl.selectFrom(PAYOUTS)
            .where(PAYOUTS.PENDING_STATUS.isNotNull().or(PAYOUTS.STATUS.eq("requested")), PAYOUTS.UPDATED.lt(before))
            .orderBy(PAYOUTS.UPDATED.asc()).limit(limit).fetch();
        int moved = 0;
        for (PayoutsRecord row : rows) {
            try {
                if (row.getPendingStatus() != null) {
                    carryOut(toPayout(row), intentOf(row), Map.of());
                } else {
                    hold(row.getId(), false);
                }
                moved++;
            } catch (RuntimeException e) {
                LOG.warn("payout {} could not be finished now ({}); it is tried again later", row.getId(), e.toString());
                dsl.update(PAYOUTS).set(PAYOUTS.UPDATED, now()).where(PAYOUTS.ID.eq(row.getId())).execute();
            }
        }
        return moved;
    }

    // ---- reading --------------------------------------------------------------------------------------

    public Optional<Payout> get(UUID id) {
        return Optional.ofNullable(dsl.selectFrom(PAYOUTS).where(PAYOUTS.ID.eq(id)).fetchOne()).map(Payouts::toPayout);
    }

    /** Payouts in creation order after {@code afterSeq} matching {@code where}; at most {@code limit}. */
    public List<Payout> list(Condition where, long afterSeq, int limit, boolean reversed) {
        Condition condition = where;
        if (afterSeq > 0) {
            condition = condition.and(reversed ? PAYOUTS.SEQ.lt(afterSeq) : PAYOUTS.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(PAYOUTS).where(condition).orderBy(reversed ? PAYOUTS.SEQ.desc() : PAYOUTS.SEQ.asc())
            .limit(limit).fetch().map(Payouts::toPayout);
    }

    static Payout toPayout(PayoutsRecord row) {
        Map<String, String> destination = row.getDestination() == null ? null : PayoutJson.readMap(row.getDestination());
        return new Payout(row.getId(), row.getSeq(), row.getTenant(), row.getCreator(), row.getPayeeId(), row.getRail(),
            row.getMerchantAccountId(), row.getAmount(), row.getFee(), row.getFeePaidBy(), row.getCurrency(), row.getLedger(),
            row.getStatus(), row.getStatusReason(), row.getPendingStatus(), row.getBatchId(), row.getRailReference(),
            destination, row.getEffectiveDate(), row.getSettledAt() == null ? null : row.getSettledAt().toInstant(),
            PayoutJson.readList(row.getTransferIds()), PayoutJson.readMaps(row.getHistory()), row.getCreated().toInstant(),
            row.getUpdated().toInstant(), RailRunner.railView(row).orElse(null), row.getRequestedBy(),
            new Approval(row.getApprovalStatus(), row.getApprovalBy(), instant(row.getApprovalAt()),
                row.getApprovalNote()),
            row.getOperatorHoldAt() == null ? null : new OperatorHold(row.getOperatorHoldReason(),
                row.getOperatorHoldBy(), row.getOperatorHoldAt().toInstant()));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /** The API's JSON of a payout. */
    public static ObjectNode toJson(Payout payout) {
        ObjectNode json = Fields.parseless();
        json.put("id", payout.id().toString());
        json.put("tenant", payout.tenant());
        json.put("creator", payout.creator());
        json.put("payee_id", payout.payeeId().toString());
        json.put("rail", payout.rail());
        json.put("merchant_account_id", payout.merchantAccountId().toString());
        json.put("amount", Long.toString(payout.amount()));
        json.put("fee", Long.toString(payout.fee()));
        json.put("fee_paid_by", payout.feePaidBy());
        json.put("currency", payout.currency());
        json.put("status", payout.status());
        json.put("status_reason", payout.statusReason());
        json.put("pending_status", payout.pendingStatus());
        json.put("requested_by", payout.requestedBy());
        ObjectNode approval = json.putObject("approval");
        approval.put("status", payout.approval().status());
        approval.put("by", payout.approval().by());
        approval.put("at", payout.approval().at() == null ? null : payout.approval().at().toString());
        approval.put("note", payout.approval().note());
        if (payout.operatorHold() == null) {
            json.putNull("operator_hold");
        } else {
            json.putObject("operator_hold").put("reason", payout.operatorHold().reason())
                .put("by", payout.operatorHold().by()).put("at", payout.operatorHold().at().toString());
        }
        json.put("batch_id", payout.batchId() == null ? null : payout.batchId().toString());
        json.put("rail_reference", payout.railReference());
        json.put("effective_date", payout.effectiveDate() == null ? null : payout.effectiveDate().toString());
        if (payout.destination() == null) {
            json.putNull("destination");
        } else {
            json.set("destination", RailDetails.masked(payout.destination()));
        }
        json.put("settled_at", payout.settledAt() == null ? null : payout.settledAt().toString());
        ArrayNode ids = json.putArray("transfer_ids");
        payout.transferIds().forEach(ids::add);
        ArrayNode history = json.putArray("history");
        payout.history().forEach(entry -> {
            ObjectNode item = history.addObject();
            item.put("status", entry.get("status"));
            item.put("reason", entry.get("reason"));
            item.put("at", entry.get("at"));
        });
        if (payout.railView() != null) {
            ObjectNode rail = json.putObject("rail_progress");
            payout.railView().forEach(rail::put);
        }
        json.put("created", payout.created().toString());
        json.put("updated", payout.updated().toString());
        return json;
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static UUID uuid(String text, String pointer) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a UUID: '" + text + "'", pointer);
        }
    }
}
