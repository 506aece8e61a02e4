package com.fanzfinance.server.payments.reconciliation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.EventSink;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.events.EventTypes;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.payments.schema.tables.records.BalanceChecksRecord;
import com.fanzfinance.server.readmodel.ChartOfAccounts;
import com.fanzfinance.server.readmodel.ReadModel;
import com.fanzfinance.server.readmodel.ReadModelQueries;

import static com.fanzfinance.server.payments.schema.Tables.BALANCE_CHECKS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILED_PAYOUTS;

/**
 * Daily balance checks (the "processor receivable vs the processor's balance; payouts in transit vs bank"):
 * <ul>
 *   <li>{@code processor_receivable}: a balance a processor reports for the end of a day (posted by a finance user
 *       or a job) against the ledger's {@code processor_receivable} of that account and currency at the end of that
 *       day, from the read model's point-in-time balances. A day not yet over (plus {@link #SETTLE_DELAY}) waits
 *       ({@code waiting}) and the daily pass compares it later.</li>
 *   <li>{@code payouts_in_transit}: each day, for each payout rail account and currency, the payouts settled in the
 *       ledger more than {@code FANZ_RECON_IN_TRANSIT_DAYS} before the end of yesterday that no bank statement has
 *       shown leaving the bank (no reconciliation matched them); any → {@code discrepancy}.</li>
 * </ul>
 * A discrepancy is announced as {@code reconciliation.discrepancy} (data: the check), in the same transaction.
 */
public final class BalanceChecks {
    static final Duration SETTLE_DELAY = Duration.ofMinutes(5);
    /** How long a report waits for the read model to catch up before it is left waiting for the daily pass. */
    private static final long CATCH_UP_MILLIS = 2_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int LISTED_MAX = 100;

    private final DSLContext dsl;
    private final MerchantAccounts accounts;
    private final Currencies currencies;
    private final EventSink sink;
    private final int inTransitDays;
    private volatile ReadModel readModel;
    private volatile LocalDate lastDaily;

    public BalanceChecks(DSLContext dsl, MerchantAccounts accounts, Currencies currencies, EventSink sink,
                         int inTransitDays) {
        this.dsl = dsl;
        this.accounts = accounts;
        this.currencies = currencies;
        this.sink = sink;
        this.inTransitDays = inTransitDays;
    }

    /** The read model whose point-in-time balances the checks read (null: checks that need it wait). */
    public void readModel(ReadModel model) {
        this.readModel = model;
    }

    /** Records a processor's reported balance and compares it now if its day is over. */
    public ObjectNode report(MerchantAccounts.Account account, String currency, LocalDate asOf, long reported,
                             String source, Instant now) {
        if (accounts.isRail(account.processor())) {
            throw Problem.invalidField("balance reports are for processor accounts; rail accounts are checked daily "
                + "against bank statements", "/merchant_account_id");
        }
        if (!account.currencies().contains(currency)) {
            throw Problem.invalidField("the account does not take " + currency, "/currency");
        }
        if (asOf.isAfter(now.atOffset(ZoneOffset.UTC).toLocalDate())) {
            throw Problem.invalidField("'as_of' is in the future", "/as_of");
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime created = now.atOffset(ZoneOffset.UTC);
        // One report per account, kind, currency, day and source: a later one replaces it (and is compared anew).
        UUID stored = dsl.insertInto(BALANCE_CHECKS).set(BALANCE_CHECKS.ID, id).set(BALANCE_CHECKS.TENANT, account.tenant())
            .set(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID, account.id()).set(BALANCE_CHECKS.KIND, "processor_receivable")
            .set(BALANCE_CHECKS.CURRENCY, currency).set(BALANCE_CHECKS.AS_OF, asOf)
            .set(BALANCE_CHECKS.REPORTED, reported).set(BALANCE_CHECKS.LEDGER, 0L)
            .set(BALANCE_CHECKS.DIFFERENCE, 0L).set(BALANCE_CHECKS.STATUS, "waiting")
            .set(BALANCE_CHECKS.SOURCE, source).set(BALANCE_CHECKS.DETAILS, "{}")
            .set(BALANCE_CHECKS.CREATED, created)
            .onConflict(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID, BALANCE_CHECKS.KIND, BALANCE_CHECKS.CURRENCY, BALANCE_CHECKS.AS_OF,
                BALANCE_CHECKS.SOURCE)
            .doUpdate().set(BALANCE_CHECKS.REPORTED, reported).set(BALANCE_CHECKS.LEDGER, 0L)
            .set(BALANCE_CHECKS.DIFFERENCE, 0L).set(BALANCE_CHECKS.STATUS, "waiting").set(BALANCE_CHECKS.CREATED, created)
            .returning(BALANCE_CHECKS.ID).fetchOne().getId();
        BalanceChecksRecord row = dsl.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.ID.eq(stored)).fetchOne();
        ReadModel model = readModel;
        if (model != null) {
            try {
                model.projector().awaitCaughtUp(CATCH_UP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        compare(row, now);
        return toJson(dsl.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.ID.eq(stored)).fetchOne());
    }

    /** Once per UTC day (and at once after a restart): compares waiting reports and checks payouts in transit. */
    public int daily(Instant now) {
        int done = compareWaiting(now);
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        if (today.equals(lastDaily)) {
            return done;
        }
        LocalDate yesterday = today.minusDays(1);
        for (MerchantAccounts.Account account : accounts.list(null, null, null, 0, Integer.MAX_VALUE, false)) {
            if (accounts.isRail(account.processor())) {
                for (String currency : account.currencies()) {
                    done += inTransit(account, currency, yesterday, now);
                }
            }
        }
        lastDaily = today;
        return done;
    }

    /** The daily pass now, even if it ran today (an operator's or a test's call). */
    public int runNow(Instant now) {
        lastDaily = null;
        return daily(now);
    }

    /** The payouts-in-transit check of one rail account and currency for the end of {@code asOf}; 1 if recorded. */
    int inTransit(MerchantAccounts.Account account, String currency, LocalDate asOf, Instant now) {
        Optional<ChartOfAccounts.Currency> known = currencies.byCode(currency);
        if (known.isEmpty()) {
            return 0;
        }
        OffsetDateTime endOfDay = asOf.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime cutoff = endOfDay.minusDays(inTransitDays);
        var staleWhere = DSL.and(PAYOUTS.MERCHANT_ACCOUNT_ID.eq(account.id()), PAYOUTS.CURRENCY.eq(currency),
            PAYOUTS.STATUS.eq(DSL.inline("settled")), PAYOUTS.SETTLED_AT.lt(cutoff),
            DSL.notExists(DSL.selectOne().from(RECONCILED_PAYOUTS).where(RECONCILED_PAYOUTS.PAYOUT_ID.eq(PAYOUTS.ID))));
        var totals = dsl.select(DSL.count(), DSL.coalesce(DSL.sum(PAYOUTS.AMOUNT), java.math.BigDecimal.ZERO))
            .from(PAYOUTS).where(staleWhere).fetchOne();
        int staleCount = totals.value1();
        long staleSum = totals.value2().longValueExact();
        var stale = dsl.select(PAYOUTS.ID, PAYOUTS.AMOUNT, PAYOUTS.SETTLED_AT).from(PAYOUTS).where(staleWhere)
            .orderBy(PAYOUTS.SETTLED_AT).limit(LISTED_MAX).fetch();
        Long inTransit = ledgerBalance(account, known.get(), PaymentRole.PAYOUTS_IN_TRANSIT, endOfDay.toInstant(), false);
        ObjectNode details = Fields.parseless();
        details.put("in_transit_days", inTransitDays);
        details.put("stale_count", staleCount);
        details.put("stale_amount", Long.toString(staleSum));
        ArrayNode listed = details.putArray("stale_payouts");
        stale.forEach(row -> listed.addObject().put("payout_id", row.value1().toString())
            .put("amount", Long.toString(row.value2())).put("settled_at", row.value3().toInstant().toString()));
        String status = staleCount == 0 ? "ok" : "discrepancy";
        UUID id = UUID.randomUUID();
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            int inserted = tx.insertInto(BALANCE_CHECKS).set(BALANCE_CHECKS.ID, id).set(BALANCE_CHECKS.TENANT, account.tenant())
                .set(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID, account.id()).set(BALANCE_CHECKS.KIND, "payouts_in_transit")
                .set(BALANCE_CHECKS.CURRENCY, currency).set(BALANCE_CHECKS.AS_OF, asOf)
                .set(BALANCE_CHECKS.REPORTED, (Long) null).set(BALANCE_CHECKS.LEDGER, inTransit == null ? 0L : inTransit)
                .set(BALANCE_CHECKS.DIFFERENCE, staleSum).set(BALANCE_CHECKS.STATUS, status)
                .set(BALANCE_CHECKS.SOURCE, "daily").set(BALANCE_CHECKS.DETAILS, Json.write(details))
                .set(BALANCE_CHECKS.CREATED, now.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
            if (inserted == 1 && staleCount > 0) {
                announce(tx, tx.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.ID.eq(id)).fetchOne());
            }
            return inserted;
        });
    }

    /** Compares each waiting report whose day is over; returns how many were decided. */
    private int compareWaiting(Instant now) {
        if (readModel == null) {
            return 0;
        }
        int decided = 0;
        LocalDate lastOver = now.minus(SETTLE_DELAY).atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
        for (BalanceChecksRecord row : dsl.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.STATUS.eq(DSL.inline("waiting")),
            BALANCE_CHECKS.AS_OF.le(lastOver)).orderBy(BALANCE_CHECKS.SEQ).limit(1000).fetch()) {
            decided += compare(row, now);
        }
        return decided;
    }

    /**
     * Compares one waiting report with the ledger once its day is over and the read model holds the whole day (it
     * has projected past the day's end, or everything the ledger has); otherwise it keeps waiting. 1 when decided.
     */
    private int compare(BalanceChecksRecord row, Instant now) {
        ReadModel model = readModel;
        Instant endOfDay = row.getAsOf().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (model == null || now.isBefore(endOfDay.plus(SETTLE_DELAY))) {
            return 0;
        }
        long endNanos = endOfDay.getEpochSecond() * NANOS_PER_SECOND;
        if (model.projector().lagCommands() > 0 && model.projector().position().timestamp() < endNanos) {
            return 0;
        }
        Optional<MerchantAccounts.Account> account = accounts.get(row.getMerchantAccountId());
        Optional<ChartOfAccounts.Currency> currency = currencies.byCode(row.getCurrency());
        if (account.isEmpty() || currency.isEmpty()) {
            return 0;
        }
        Long ledger = ledgerBalance(account.get(), currency.get(), PaymentRole.PROCESSOR_RECEIVABLE, endOfDay, true);
        if (ledger == null) {
            return 0;
        }
        long difference = row.getReported() - ledger;
        String status = difference == 0 ? "ok" : "discrepancy";
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            int changed = tx.update(BALANCE_CHECKS).set(BALANCE_CHECKS.LEDGER, ledger)
                .set(BALANCE_CHECKS.DIFFERENCE, difference).set(BALANCE_CHECKS.STATUS, status)
                .where(BALANCE_CHECKS.ID.eq(row.getId()), BALANCE_CHECKS.STATUS.eq(DSL.inline("waiting"))).execute();
            if (changed == 1 && difference != 0) {
                announce(tx, tx.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.ID.eq(row.getId())).fetchOne());
            }
            return changed;
        });
    }

    /**
     * The account's balance of {@code role} at {@code end} (asset: debits − credits; else credits − debits), from the
     * read model; null when the read model is off.
     */
    private Long ledgerBalance(MerchantAccounts.Account account, ChartOfAccounts.Currency currency, PaymentRole role,
                               Instant end, boolean debitNormal) {
        ReadModel model = readModel;
        if (model == null) {
            return null;
        }
        UUID id = PaymentAccounts.account(account.tenant(), currency.ledger(), role, account.processor(),
            account.id().toString()).id();
        long nanos = end.getEpochSecond() * NANOS_PER_SECOND;
        ReadModelQueries.Balances balances = model.read(queries -> queries.balancesBefore(id, nanos));
        long debitMinusCredit = balances.debitsPosted() - balances.creditsPosted();
        return debitNormal ? debitMinusCredit : -debitMinusCredit;
    }

    private void announce(DSLContext tx, BalanceChecksRecord row) {
        sink.append(tx, row.getTenant(), EventTypes.RECONCILIATION_DISCREPANCY, row.getId().toString(),
            Json.write(toJson(row)));
    }

    public Optional<BalanceChecksRecord> get(UUID id) {
        return Optional.ofNullable(dsl.selectFrom(BALANCE_CHECKS).where(BALANCE_CHECKS.ID.eq(id)).fetchOne());
    }

    /** Checks of the visible tenants (null: all), in creation order after {@code afterSeq}. */
    public List<BalanceChecksRecord> list(Set<String> tenants, UUID merchantAccountId, String status, long afterSeq,
                                          int limit, boolean reversed) {
        var where = DSL.noCondition();
        if (tenants != null) {
            where = where.and(BALANCE_CHECKS.TENANT.in(tenants));
        }
        if (merchantAccountId != null) {
            where = where.and(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID.eq(merchantAccountId));
        }
        if (status != null) {
            where = where.and(BALANCE_CHECKS.STATUS.eq(status));
        }
        if (afterSeq > 0) {
            where = where.and(reversed ? BALANCE_CHECKS.SEQ.lt(afterSeq) : BALANCE_CHECKS.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(BALANCE_CHECKS).where(where)
            .orderBy(reversed ? BALANCE_CHECKS.SEQ.desc() : BALANCE_CHECKS.SEQ.asc()).limit(limit).fetch();
    }

    public static ObjectNode toJson(BalanceChecksRecord row) {
        ObjectNode json = Fields.parseless();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("merchant_account_id", row.getMerchantAccountId().toString());
        json.put("kind", row.getKind());
        json.put("currency", row.getCurrency());
        json.put("as_of", row.getAsOf().toString());
        json.put("reported", row.getReported() == null ? null : Long.toString(row.getReported()));
        json.put("ledger", Long.toString(row.getLedger()));
        json.put("difference", Long.toString(row.getDifference()));
        json.put("status", row.getStatus());
        json.put("source", row.getSource());
        json.set("details", Json.read(row.getDetails()));
        json.put("created", row.getCreated().toInstant().toString());
        return json;
    }
}
