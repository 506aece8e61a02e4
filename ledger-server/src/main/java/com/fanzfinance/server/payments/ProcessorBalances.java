package com.fanzfinance.server.payments;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.posting.BasisPoints;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.readmodel.ChartOfAccounts;
import com.fanzfinance.server.readmodel.ReadModel;
import com.fanzfinance.server.readmodel.ReadModelQueries;

import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;

/**
 * A merchant account's processor balances day by day (UTC), per currency: what the processor owes (the
 * {@code processor_receivable} balance at the end of the day, from the read model's point-in-time balances),
 * the processing and chargeback fees booked that day, and the rolling reserve the processor holds back by the
 * account's {@code fees.reserve_bp} / {@code reserve_days} (the reserve share of the sales of the last
 * {@code reserve_days} days; a figure to compare with the processor's statement, not a ledger balance).
 */
public final class ProcessorBalances {
    static final int DAYS_MAX = 92;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ReadModel readModel;
    private final DSLContext dsl;
    private final Currencies currencies;

    public ProcessorBalances(ReadModel readModel, DSLContext dsl, Currencies currencies) {
        this.readModel = readModel;
        this.dsl = dsl;
        this.currencies = currencies;
    }

    /** Days {@code from} to {@code to} inclusive (at most {@link #DAYS_MAX}). */
    public ObjectNode daily(MerchantAccounts.Account account, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw Problem.invalidField("'to' is before 'from'", "?to");
        }
        if (ChronoUnit.DAYS.between(from, to) >= DAYS_MAX) {
            throw Problem.invalidField("at most " + DAYS_MAX + " days per request", "?from");
        }
        String party = account.id().toString();
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("merchant_account_id", party);
        json.put("processor", account.processor());
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("reserve_bp", account.fees().reserveBp());
        json.put("reserve_days", account.fees().reserveDays());
        ArrayNode days = json.putArray("days");
        readModel.read(queries -> {
            for (String code : account.currencies()) {
                ChartOfAccounts.Currency currency = currencies.byCode(code).orElse(null);
                if (currency == null) {
                    continue;
                }
                UUID receivable = id(account, currency, PaymentRole.PROCESSOR_RECEIVABLE);
                UUID fees = id(account, currency, PaymentRole.PROCESSOR_FEES);
                UUID chargebacks = id(account, currency, PaymentRole.CHARGEBACK_EXPENSE);
                long start = nanos(from);
                long receivableBefore = asset(queries.balancesBefore(receivable, start));
                long feesBefore = asset(queries.balancesBefore(fees, start));
                long chargebacksBefore = asset(queries.balancesBefore(chargebacks, start));
                for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                    long end = nanos(day.plusDays(1));
                    long receivableAfter = asset(queries.balancesBefore(receivable, end));
                    long feesAfter = asset(queries.balancesBefore(fees, end));
                    long chargebacksAfter = asset(queries.balancesBefore(chargebacks, end));
                    ObjectNode item = days.addObject();
                    item.put("date", day.toString());
                    item.put("currency", code);
                    item.put("receivable", Long.toString(receivableAfter));
                    item.put("receivable_change", Long.toString(receivableAfter - receivableBefore));
                    item.put("fees", Long.toString(feesAfter - feesBefore));
                    item.put("chargeback_fees", Long.toString(chargebacksAfter - chargebacksBefore));
                    item.put("reserve_held", Long.toString(reserveHeld(account, code, day)));
                    receivableBefore = receivableAfter;
                    feesBefore = feesAfter;
                    chargebacksBefore = chargebacksAfter;
                }
            }
            return null;
        });
        json.put("read_model_as_of_command", readModel.read(ReadModelQueries::position).command());
        return json;
    }

    private long reserveHeld(MerchantAccounts.Account account, String currency, LocalDate day) {
        MerchantAccounts.Fees fees = account.fees();
        if (fees.reserveBp() == 0 || fees.reserveDays() == 0) {
            return 0;
        }
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant start = end.minus(fees.reserveDays(), ChronoUnit.DAYS);
        Long gross = dsl.select(DSL.sum(PAYMENT_EVENTS.GROSS).cast(Long.class)).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(account.id()),
                PAYMENT_EVENTS.KIND.in(DSL.inline("sale"), DSL.inline("rebill")),
                PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted")), PAYMENT_EVENTS.CURRENCY.eq(currency),
                PAYMENT_EVENTS.RECEIVED_AT.ge(start.atOffset(ZoneOffset.UTC)),
                PAYMENT_EVENTS.RECEIVED_AT.lt(end.atOffset(ZoneOffset.UTC)))
            .fetchOne(0, Long.class);
        return gross == null ? 0 : BasisPoints.rhe(gross, fees.reserveBp());
    }

    private static UUID id(MerchantAccounts.Account account, ChartOfAccounts.Currency currency, PaymentRole role) {
        return PaymentAccounts.account(account.tenant(), currency.ledger(), role, account.processor(),
            account.id().toString()).id();
    }

    /** Debit-normal balance: debits posted less credits posted. */
    private static long asset(ReadModelQueries.Balances balances) {
        return balances.debitsPosted() - balances.creditsPosted();
    }

    private static long nanos(LocalDate day) {
        return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * NANOS_PER_SECOND;
    }
}
