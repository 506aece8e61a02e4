package com.fanzfinance.server.payments.reconciliation;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import com.fanzfinance.reconciliation.match.LedgerItems;

import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.REPORTED_SETTLEMENTS;

/**
 * What the ledger says about one merchant account in a date range, as matcher items (PAYMENTS-API §7), with what
 * each item is ({@link Kind}) kept beside the columnar store in a primitive array.
 *
 * <ul>
 *   <li>A processor account: its posted money events, signed (+ sale, rebill, chargeback_reversal; − refund,
 *       chargeback, void), with the fee booked for each (a void: its parent's, mirrored); keys the processor's
 *       transaction id and the event id; dated by the processor's time (else receipt).</li>
 *   <li>A processor account read against a bank statement: the settlements its reports announced (money to our
 *       bank, positive), keyed by the settlement's reference.</li>
 *   <li>A payout rail account: its payouts submitted, settled or returned (money leaving us, negative; as fee, the
 *       payout fee the platform pays, which waits in payouts_in_transit for the bank's charge), keyed by rail
 *       reference (ACH trace, EndToEndId, …) and payout
 *       id, grouped by batch id, dated by the effective date, else settlement, else creation; a returned payout also
 *       gives a positive {@link Kind#PAYOUT_RETURN} item (the money coming back), dated by its return.</li>
 * </ul>
 * Without {@code withFees} (a statement that reports no fees) every item's fee is 0, so fees are not compared.
 */
final class LedgerSide {
    /** What a ledger item is. */
    enum Kind {
        /** A posted money event; {@link #CHARGEBACK} for a chargeback (its fee is booked to chargeback_expense). */
        EVENT, CHARGEBACK, PAYOUT, PAYOUT_RETURN, SETTLEMENT
    }

    private static final Kind[] KINDS = Kind.values();
    private static final int FETCH_SIZE = 10_000;

    final LedgerItems items = new LedgerItems();
    private byte[] kinds = new byte[1024];

    Kind kind(int item) {
        return KINDS[kinds[item]];
    }

    private void add(Kind kind, UUID id, long amount, long fee, String currency, LocalDate day, String group,
                     String... keys) {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keys[i] == null ? "" : References.canonical(keys[i]);
        }
        int index = items.add(id, amount, fee, currency, (int) day.toEpochDay(),
            group == null ? "" : References.canonical(group), keys);
        if (index >= kinds.length) {
            kinds = Arrays.copyOf(kinds, kinds.length * 2);
        }
        kinds[index] = (byte) kind.ordinal();
    }

    /** The posted money events of a processor account dated {@code from} to {@code to} inclusive. */
    static LedgerSide events(DSLContext dsl, UUID accountId, LocalDate from, LocalDate to, boolean withFees) {
        LedgerSide side = new LedgerSide();
        var dated = DSL.coalesce(PAYMENT_EVENTS.OCCURRED_AT, PAYMENT_EVENTS.RECEIVED_AT);
        // A void mirrors every leg of its parent, the processor's fee included (its own fee column is 0).
        var parent = PAYMENT_EVENTS.as("parent");
        var fee = DSL.when(PAYMENT_EVENTS.KIND.eq(DSL.inline("void")), DSL.field(DSL.select(parent.FEE.neg()).from(parent)
            .where(parent.ID.eq(PAYMENT_EVENTS.PARENT_EVENT_ID)))).otherwise(PAYMENT_EVENTS.FEE);
        var query = DSL.using(dsl.configuration().dialect())
            .select(PAYMENT_EVENTS.ID, PAYMENT_EVENTS.KIND, PAYMENT_EVENTS.GROSS, fee,
                PAYMENT_EVENTS.CURRENCY, PAYMENT_EVENTS.PROCESSOR_TRANSACTION_ID, dated)
            .from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(accountId), PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted")),
                PAYMENT_EVENTS.KIND.in(DSL.inline("sale"), DSL.inline("rebill"), DSL.inline("chargeback_reversal"),
                    DSL.inline("refund"), DSL.inline("chargeback"), DSL.inline("void")),
                // dated in range, written so that the (account, occurred_at) index serves it
                PAYMENT_EVENTS.OCCURRED_AT.ge(start(from)).and(PAYMENT_EVENTS.OCCURRED_AT.lt(start(to.plusDays(1))))
                    .or(PAYMENT_EVENTS.OCCURRED_AT.isNull().and(PAYMENT_EVENTS.RECEIVED_AT.ge(start(from)))
                        .and(PAYMENT_EVENTS.RECEIVED_AT.lt(start(to.plusDays(1))))))
            .orderBy(PAYMENT_EVENTS.SEQ);
        // Plain JDBC with a fetch size (a cursor, in a transaction): a million events without a record object each.
        String sql = query.getSQL(org.jooq.conf.ParamType.INLINED);
        dsl.transaction(configuration -> DSL.using(configuration).connection(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(FETCH_SIZE);
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        String kind = rows.getString(2);
                        long sign = switch (kind) {
                            case "refund", "chargeback", "void" -> -1;
                            default -> 1;
                        };
                        side.add("chargeback".equals(kind) ? Kind.CHARGEBACK : Kind.EVENT, id, sign * rows.getLong(3),
                            withFees ? rows.getLong(4) : 0, rows.getString(5), day(rows.getObject(7, OffsetDateTime.class)),
                            "", rows.getString(6), id.toString());
                    }
                }
            }
        }));
        return side;
    }

    /** The payouts of a rail account dated {@code from} to {@code to} inclusive, and their returns. */
    static LedgerSide payouts(DSLContext dsl, UUID accountId, LocalDate from, LocalDate to, boolean withFees) {
        LedgerSide side = new LedgerSide();
        var dated = DSL.coalesce(PAYOUTS.EFFECTIVE_DATE, utcDate(PAYOUTS.SETTLED_AT), utcDate(PAYOUTS.CREATED));
        dsl.transaction(configuration -> {
            try (var cursor = DSL.using(configuration)
                .select(PAYOUTS.ID, PAYOUTS.AMOUNT, PAYOUTS.CURRENCY, PAYOUTS.STATUS, PAYOUTS.RAIL_REFERENCE,
                    PAYOUTS.BATCH_ID, PAYOUTS.UPDATED, dated.as("dated"), PAYOUTS.FEE, PAYOUTS.FEE_PAID_BY)
                .from(PAYOUTS)
                .where(PAYOUTS.MERCHANT_ACCOUNT_ID.eq(accountId),
                    PAYOUTS.STATUS.in(DSL.inline("submitted"), DSL.inline("settled"), DSL.inline("returned")),
                    dated.ge(from).or(PAYOUTS.STATUS.eq(DSL.inline("returned")).and(PAYOUTS.UPDATED.ge(start(from)))),
                    dated.le(to))
                .orderBy(PAYOUTS.SEQ)
                .fetchSize(FETCH_SIZE).fetchLazy()) {
                for (Record row : cursor) {
                    UUID id = row.get(PAYOUTS.ID);
                    long amount = row.get(PAYOUTS.AMOUNT);
                    String currency = row.get(PAYOUTS.CURRENCY);
                    String reference = row.get(PAYOUTS.RAIL_REFERENCE);
                    UUID batch = row.get(PAYOUTS.BATCH_ID);
                    String group = batch == null ? "" : batch.toString();
                    LocalDate day = row.get("dated", LocalDate.class);
                    // The fee the platform pays sits in payouts_in_transit beside the amount until the bank charges it.
                    long fee = withFees && "platform".equals(row.get(PAYOUTS.FEE_PAID_BY)) ? row.get(PAYOUTS.FEE) : 0;
                    side.add(Kind.PAYOUT, id, -amount, fee, currency, day, group, reference, id.toString());
                    if ("returned".equals(row.get(PAYOUTS.STATUS))) {
                        side.add(Kind.PAYOUT_RETURN, id, amount, 0, currency, day(row.get(PAYOUTS.UPDATED)), "",
                            reference, id.toString());
                    }
                }
            }
        });
        return side;
    }

    /** The settlements a processor account's reports announced, dated {@code from} to {@code to} inclusive. */
    static LedgerSide settlements(DSLContext dsl, UUID accountId, LocalDate from, LocalDate to) {
        LedgerSide side = new LedgerSide();
        dsl.selectFrom(REPORTED_SETTLEMENTS)
            .where(REPORTED_SETTLEMENTS.MERCHANT_ACCOUNT_ID.eq(accountId), REPORTED_SETTLEMENTS.VALUE_DATE.ge(from),
                REPORTED_SETTLEMENTS.VALUE_DATE.le(to))
            .orderBy(REPORTED_SETTLEMENTS.VALUE_DATE, REPORTED_SETTLEMENTS.REFERENCE)
            .forEach(row -> side.add(Kind.SETTLEMENT, settlementId(accountId, row.getReference(), row.getCurrency()),
                row.getAmount(), 0, row.getCurrency(), row.getValueDate(), "", row.getReference()));
        return side;
    }

    /** A settlement's stable id (it has no ledger object of its own): from the account, reference and currency. */
    static UUID settlementId(UUID accountId, String reference, String currency) {
        return com.fanzfinance.server.payments.posting.Uuid5.of(accountId, "settlement/" + reference + "/" + currency);
    }

    /** The UTC calendar date of a timestamp, whatever the session's time zone. */
    private static org.jooq.Field<LocalDate> utcDate(org.jooq.Field<OffsetDateTime> time) {
        return DSL.field("({0} at time zone 'UTC')::date", LocalDate.class, time);
    }

    private static OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate day(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    }
}
