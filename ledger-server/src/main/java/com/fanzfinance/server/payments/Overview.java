package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.payments.schema.tables.PaymentEvents;

import static com.fanzfinance.server.payments.schema.Tables.BALANCE_CHECKS;
import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATIONS;
import static com.fanzfinance.server.payments.schema.Tables.RECONCILIATION_ADJUSTMENTS;

/**
 * The finance console's overview (issue #19): a day's volume and fees per currency, the payouts due, and what needs a
 * person now. Every figure is computed by PostgreSQL from the payments schema, over the tenants asked for; each query
 * reads through an index V8 made for it (statuses and kinds are literals, so the partial indexes serve), and the alerts
 * are one grouped query each (the chargeback check one more per account with chargebacks in its window).
 *
 * <p>Only applied events count: {@code posted}. Sales are {@code sale} and {@code rebill}; refunds are {@code refund}
 * and {@code void}; chargebacks are {@code chargeback} (a {@code chargeback_reversal} is counted apart). The day is the
 * UTC day the server received the notification.
 */
public final class Overview {
    /** Events that need a person are looked for this far back. */
    public static final Duration ATTENTION_WINDOW = Duration.ofDays(7);
    /** A balance check's discrepancy is shown while its day is this recent. */
    public static final int DISCREPANCY_DAYS = 7;
    /** The read model is lagging past this many commands not yet projected … */
    public static final long LAG_COMMANDS_WARNING = 10_000;
    /** … or this many seconds behind the ledger. */
    public static final double LAG_SECONDS_WARNING = 10;
    /** Past this it is critical: reports and balance checks read a state minutes old. */
    public static final double LAG_SECONDS_CRITICAL = 300;
    /** A chargeback warning comes at two thirds of a threshold (Mastercard's early warning is 100 of its 150 bp). */
    private static final int WARNING_NUMERATOR = 2;
    private static final int WARNING_DENOMINATOR = 3;

    /** One thing that needs a person; {@code merchantAccountId} null when it is not about one account. */
    public record Alert(String kind, String severity, String message, long count, UUID merchantAccountId) {
        public static final String WARNING = "warning";
        public static final String CRITICAL = "critical";

        ObjectNode toJson() {
            ObjectNode json = Fields.parseless();
            json.put("kind", kind);
            json.put("severity", severity);
            json.put("message", message);
            json.put("count", count);
            if (merchantAccountId != null) {
                json.put("merchant_account_id", merchantAccountId.toString());
            }
            return json;
        }
    }

    /** The payments half of an overview: volume, payouts due and the payments alerts. */
    public record Figures(ArrayNode volume, ArrayNode payoutsDue, List<Alert> alerts) {
    }

    /** The kinds in the order alerts of one severity are listed. */
    private static final List<String> KINDS = List.of("chargeback_ratio", "webhooks_need_attention",
        "reconciliation_pending", "balance_check_discrepancy", "payout_rail_unknown", "payouts_awaiting_approval",
        "read_model_lagging");

    private final DSLContext dsl;
    private final MerchantAccounts accounts;
    private final AccountHealth health;

    public Overview(DSLContext dsl, MerchantAccounts accounts, AccountHealth health) {
        this.dsl = dsl;
        this.accounts = accounts;
        this.health = health;
    }

    /** The figures of {@code date} (UTC) over {@code tenants} (null: every tenant); alerts as of {@code now}. */
    public Figures figures(Set<String> tenants, LocalDate date, Instant now) {
        List<Alert> alerts = new ArrayList<>();
        alerts.addAll(chargebackAlerts(tenants, now));
        alerts.addAll(attentionAlerts(tenants, now));
        alerts.addAll(reconciliationAlerts(tenants));
        alerts.addAll(discrepancyAlerts(tenants, now));
        alerts.addAll(railUnknownAlerts(tenants));
        alerts.addAll(approvalAlerts(tenants));
        return new Figures(volume(tenants, date), payoutsDue(tenants), alerts);
    }

    /** The read model's alert, if it lags: {@code stopped} when its projector has stopped for good (diverged). */
    public static Optional<Alert> readModelAlert(long lagCommands, double lagSeconds, boolean stopped) {
        if (stopped) {
            return Optional.of(new Alert("read_model_lagging", Alert.CRITICAL, "the read model has stopped projecting"
                + " (its event stream differs from the ledger's): run fanz read-model rebuild", lagCommands, null));
        }
        if (lagCommands <= LAG_COMMANDS_WARNING && lagSeconds <= LAG_SECONDS_WARNING) {
            return Optional.empty();
        }
        String severity = lagSeconds > LAG_SECONDS_CRITICAL ? Alert.CRITICAL : Alert.WARNING;
        return Optional.of(new Alert("read_model_lagging", severity, "the read model is " + lagCommands
            + " commands and " + Math.round(lagSeconds) + " s behind the ledger: reports and balances are that old",
            lagCommands, null));
    }

    /** Alerts in the order the overview answers them: critical first, then by kind, then by account. */
    public static List<Alert> ordered(List<Alert> alerts) {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparing((Alert alert) -> !alert.severity().equals(Alert.CRITICAL))
            .thenComparing(alert -> KINDS.indexOf(alert.kind()))
            .thenComparing(alert -> alert.merchantAccountId() == null ? "" : alert.merchantAccountId().toString()));
        return sorted;
    }

    /** The alerts as the overview answers them. */
    public static ArrayNode toJson(List<Alert> alerts) {
        ArrayNode json = Fields.JSON.createArrayNode();
        ordered(alerts).forEach(alert -> json.add(alert.toJson()));
        return json;
    }

    // ---- volume ------------------------------------------------------------------------------------------

    private ArrayNode volume(Set<String> tenants, LocalDate date) {
        PaymentEvents event = PAYMENT_EVENTS.as("event");
        PaymentEvents parent = PAYMENT_EVENTS.as("parent");
        Field<String> kind = event.KIND;
        Field<Long> gross = DSL.coalesce(event.GROSS, DSL.inline(0L));
        Condition sales = kind.in(DSL.inline("sale"), DSL.inline("rebill"));
        Condition giveBacks = kind.in(DSL.inline("refund"), DSL.inline("chargeback"), DSL.inline("void"));
        Field<BigDecimal> platformShare = rhe(gross, DSL.coalesce(event.PLATFORM_SHARE_BP, DSL.inline(0)));
        Field<BigDecimal> salesSum = DSL.sum(DSL.when(sales, gross).else_(DSL.inline(0L)));
        Field<Integer> salesCount = DSL.count().filterWhere(sales);
        Field<BigDecimal> refunds = DSL.sum(DSL.when(kind.in(DSL.inline("refund"), DSL.inline("void")), gross)
            .else_(DSL.inline(0L)));
        Field<BigDecimal> chargebacks = DSL.sum(DSL.when(kind.eq(DSL.inline("chargeback")), gross).else_(DSL.inline(0L)));
        Field<BigDecimal> reversals = DSL.sum(DSL.when(kind.eq(DSL.inline("chargeback_reversal")), gross)
            .else_(DSL.inline(0L)));
        // A void gives the voided sale's processing fee back (its own row's fee is 0); every other kind costs its fee.
        Field<BigDecimal> processorFees = DSL.sum(DSL.when(kind.eq(DSL.inline("void")),
            DSL.coalesce(parent.FEE, DSL.inline(0L)).neg()).else_(DSL.coalesce(event.FEE, DSL.inline(0L))));
        // What platform_fees (4100) gained: its share of sales, rebills and chargeback reversals, less its share of
        // refunds, chargebacks and voids (a reversal's row carries its parent's share), before referral commissions.
        Field<BigDecimal> platformFees = DSL.sum(DSL.when(sales.or(kind.eq(DSL.inline("chargeback_reversal"))), platformShare)
            .when(giveBacks, platformShare.neg()).else_(DSL.inline(BigDecimal.ZERO)));
        OffsetDateTime start = date.atStartOfDay().atOffset(ZoneOffset.UTC);
        Condition where = event.STATUS.eq(DSL.inline("posted")).and(event.RECEIVED_AT.ge(start))
            .and(event.RECEIVED_AT.lt(start.plusDays(1))).and(event.CURRENCY.isNotNull());
        where = where.and(inTenants(event.TENANT, tenants));
        ArrayNode volume = Fields.JSON.createArrayNode();
        dsl.select(event.CURRENCY, salesSum, salesCount, refunds, chargebacks, reversals, processorFees, platformFees)
            .from(event).leftJoin(parent).on(parent.ID.eq(event.PARENT_EVENT_ID).and(kind.eq(DSL.inline("void"))))
            .where(where).groupBy(event.CURRENCY).orderBy(event.CURRENCY)
            .forEach(row -> {
                ObjectNode currency = volume.addObject();
                currency.put("currency", row.value1());
                currency.put("sales", minor(row.value2()));
                currency.put("sales_count", row.value3());
                currency.put("refunds", minor(row.value4()));
                currency.put("chargebacks", minor(row.value5()));
                currency.put("chargeback_reversals", minor(row.value6()));
                currency.put("processor_fees", minor(row.value7()));
                currency.put("platform_fees", minor(row.value8()));
            });
        return volume;
    }

    /**
     * {@code rhe(amount × bp / 10000)} in SQL, exactly as {@code BasisPoints.rhe} (rounded half to even), over
     * numeric so that no product overflows: the quotient, plus one when the remainder is over half, or exactly half
     * and the quotient odd.
     */
    static Field<BigDecimal> rhe(Field<Long> amount, Field<Integer> bp) {
        return DSL.field("(div({0}::numeric * {1}, 10000) + CASE WHEN 2 * mod({0}::numeric * {1}, 10000) > 10000"
            + " OR (2 * mod({0}::numeric * {1}, 10000) = 10000 AND mod(div({0}::numeric * {1}, 10000), 2) = 1)"
            + " THEN 1 ELSE 0 END)", SQLDataType.NUMERIC, amount, bp);
    }

    private static String minor(BigDecimal value) {
        return value == null ? "0" : value.toBigIntegerExact().toString();
    }

    // ---- payouts due ---------------------------------------------------------------------------------------

    private ArrayNode payoutsDue(Set<String> tenants) {
        Condition where = PAYOUTS.STATUS.eq(DSL.inline("held"));
        where = where.and(inTenants(PAYOUTS.TENANT, tenants));
        ArrayNode due = Fields.JSON.createArrayNode();
        dsl.select(PAYOUTS.CURRENCY, DSL.count(), DSL.sum(PAYOUTS.AMOUNT),
                DSL.count().filterWhere(PAYOUTS.APPROVAL_STATUS.eq(DSL.inline("pending"))),
                DSL.count().filterWhere(PAYOUTS.OPERATOR_HOLD_AT.isNotNull()))
            .from(PAYOUTS).where(where)
            .groupBy(PAYOUTS.CURRENCY).orderBy(PAYOUTS.CURRENCY)
            .forEach(row -> {
                ObjectNode currency = due.addObject();
                currency.put("currency", row.value1());
                currency.put("count", row.value2());
                currency.put("amount", minor(row.value3()));
                currency.put("awaiting_approval", row.value4());
                currency.put("on_hold", row.value5());
            });
        return due;
    }

    // ---- alerts --------------------------------------------------------------------------------------------

    /** Accounts whose chargebacks of the window reach a threshold (critical) or two thirds of one (warning). */
    private List<Alert> chargebackAlerts(Set<String> tenants, Instant now) {
        Condition where = PAYMENT_EVENTS.KIND.eq(DSL.inline("chargeback"))
            .and(PAYMENT_EVENTS.RECEIVED_AT.ge(now.minus(AccountHealth.CHARGEBACK_WINDOW).atOffset(ZoneOffset.UTC)));
        where = where.and(inTenants(PAYMENT_EVENTS.TENANT, tenants));
        List<Alert> alerts = new ArrayList<>();
        for (UUID id : dsl.selectDistinct(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID).from(PAYMENT_EVENTS).where(where)
            .fetch(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID)) {
            MerchantAccounts.Account account = accounts.get(id).orElse(null);
            if (account != null) {
                chargebackAlert(account, health.chargebacks(id, now, account.chargebackThresholds()))
                    .ifPresent(alerts::add);
            }
        }
        return alerts;
    }

    /** The account's alert from its networks' chargebacks: the worst network decides. */
    static Optional<Alert> chargebackAlert(MerchantAccounts.Account account, List<AccountHealth.NetworkChargebacks> networks) {
        AccountHealth.NetworkChargebacks worst = null;
        String severity = null;
        for (AccountHealth.NetworkChargebacks network : networks) {
            String level = network.exceeded() ? Alert.CRITICAL : nearThreshold(network) ? Alert.WARNING : null;
            if (level != null && (severity == null || level.equals(Alert.CRITICAL) && severity.equals(Alert.WARNING))) {
                worst = network;
                severity = level;
            }
        }
        if (worst == null) {
            return Optional.empty();
        }
        AccountHealth.Threshold threshold = worst.threshold();
        String message = account.name() + " (" + account.processor() + "): " + worst.network() + " "
            + worst.chargebacks() + " chargebacks in " + AccountHealth.CHARGEBACK_WINDOW.toDays() + " days, "
            + (worst.ratioBp() == null ? "no sales to measure them against" : worst.ratioBp() + " bp")
            + " (threshold " + threshold.ratioBp() + " bp and " + threshold.minCount() + ")"
            + (account.isDrained() ? "; drained: routing sends it no checkouts" : "");
        return Optional.of(new Alert("chargeback_ratio", severity, message, worst.chargebacks(), account.id()));
    }

    /** Two thirds of the way to the threshold on both counts: the ratio (unless there are no sales) and the number. */
    private static boolean nearThreshold(AccountHealth.NetworkChargebacks network) {
        AccountHealth.Threshold threshold = network.threshold();
        long countNeeded = Math.max(1, ceilTwoThirds(threshold.minCount()));
        boolean ratioNear = network.ratioBp() == null || network.ratioBp() >= ceilTwoThirds(threshold.ratioBp());
        return network.chargebacks() >= countNeeded && ratioNear;
    }

    private static long ceilTwoThirds(long value) {
        return (value * WARNING_NUMERATOR + WARNING_DENOMINATOR - 1) / WARNING_DENOMINATOR;
    }

    /** Per account, payment events of the last 7 days that are rejected, parked or failed. */
    private List<Alert> attentionAlerts(Set<String> tenants, Instant now) {
        Condition where = PAYMENT_EVENTS.STATUS.in(DSL.inline("rejected"), DSL.inline("parked"), DSL.inline("failed"))
            .and(PAYMENT_EVENTS.RECEIVED_AT.ge(now.minus(ATTENTION_WINDOW).atOffset(ZoneOffset.UTC)));
        where = where.and(inTenants(PAYMENT_EVENTS.TENANT, tenants));
        Map<UUID, Map<String, Integer>> byAccount = new TreeMap<>();
        dsl.select(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID, PAYMENT_EVENTS.STATUS, DSL.count()).from(PAYMENT_EVENTS).where(where)
            .groupBy(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID, PAYMENT_EVENTS.STATUS)
            .forEach(row -> byAccount.computeIfAbsent(row.value1(), id -> new TreeMap<>()).put(row.value2(), row.value3()));
        List<Alert> alerts = new ArrayList<>();
        byAccount.forEach((id, statuses) -> {
            long count = statuses.values().stream().mapToLong(Integer::longValue).sum();
            List<String> parts = new ArrayList<>();
            statuses.forEach((status, number) -> parts.add(number + " " + status));
            // A failed event is authentic money the ledger does not hold yet; rejected and parked ones may be normal.
            String severity = statuses.containsKey("failed") ? Alert.CRITICAL : Alert.WARNING;
            alerts.add(new Alert("webhooks_need_attention", severity, accountName(id) + ": " + String.join(", ", parts)
                + " payment events in the last " + ATTENTION_WINDOW.toDays() + " days (GET /v1/payment-events?status=…)",
                count, id));
        });
        return alerts;
    }

    /** Per merchant account, reconciliation adjustments still {@code proposed}. */
    private List<Alert> reconciliationAlerts(Set<String> tenants) {
        Condition where = RECONCILIATION_ADJUSTMENTS.STATUS.eq(DSL.inline("proposed"));
        where = where.and(inTenants(RECONCILIATION_ADJUSTMENTS.TENANT, tenants));
        List<Alert> alerts = new ArrayList<>();
        dsl.select(RECONCILIATIONS.MERCHANT_ACCOUNT_ID, DSL.count()).from(RECONCILIATION_ADJUSTMENTS)
            .join(RECONCILIATIONS).on(RECONCILIATIONS.ID.eq(RECONCILIATION_ADJUSTMENTS.RECONCILIATION_ID))
            .where(where).groupBy(RECONCILIATIONS.MERCHANT_ACCOUNT_ID)
            .forEach(row -> alerts.add(new Alert("reconciliation_pending", Alert.WARNING, accountName(row.value1()) + ": "
                + row.value2() + " proposed adjustments wait to be approved or rejected", row.value2(), row.value1())));
        return alerts;
    }

    /** Per merchant account, balance checks of the last 7 days that found a discrepancy. */
    private List<Alert> discrepancyAlerts(Set<String> tenants, Instant now) {
        LocalDate since = now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(DISCREPANCY_DAYS);
        Condition where = BALANCE_CHECKS.STATUS.eq(DSL.inline("discrepancy")).and(BALANCE_CHECKS.AS_OF.ge(since));
        where = where.and(inTenants(BALANCE_CHECKS.TENANT, tenants));
        List<Alert> alerts = new ArrayList<>();
        dsl.select(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID, DSL.count()).from(BALANCE_CHECKS).where(where)
            .groupBy(BALANCE_CHECKS.MERCHANT_ACCOUNT_ID)
            .forEach(row -> alerts.add(new Alert("balance_check_discrepancy", Alert.CRITICAL, accountName(row.value1())
                + ": " + row.value2() + " balance checks since " + since + " do not match the ledger (GET"
                + " /v1/balance-checks?status=discrepancy)", row.value2(), row.value1())));
        return alerts;
    }

    /** Per rail account, payouts on their way whose rail cannot say whether the money left. */
    private List<Alert> railUnknownAlerts(Set<String> tenants) {
        return payoutAlerts(PAYOUTS.RAIL_STATUS.eq(DSL.inline("unknown"))
            .and(PAYOUTS.STATUS.in(DSL.inline("held"), DSL.inline("submitted"))), tenants, "payout_rail_unknown",
            Alert.CRITICAL, "payouts whose rail cannot say whether the money left; a person must look (their"
                + " rail_progress.note says what for)");
    }

    /** Per rail account, held payouts waiting for someone to approve them. */
    private List<Alert> approvalAlerts(Set<String> tenants) {
        return payoutAlerts(PAYOUTS.STATUS.eq(DSL.inline("held")).and(PAYOUTS.APPROVAL_STATUS.eq(DSL.inline("pending"))),
            tenants, "payouts_awaiting_approval", Alert.WARNING,
            "payouts at or over the approval threshold wait for another key's approval");
    }

    /** One alert per rail account with payouts matching {@code where}: "<account>: <count> <what>". */
    private List<Alert> payoutAlerts(Condition where, Set<String> tenants, String kind, String severity, String what) {
        List<Alert> alerts = new ArrayList<>();
        dsl.select(PAYOUTS.MERCHANT_ACCOUNT_ID, DSL.count()).from(PAYOUTS)
            .where(where.and(inTenants(PAYOUTS.TENANT, tenants))).groupBy(PAYOUTS.MERCHANT_ACCOUNT_ID)
            .forEach(row -> alerts.add(new Alert(kind, severity, accountName(row.value1()) + ": " + row.value2() + " " + what,
                row.value2(), row.value1())));
        return alerts;
    }

    /** Rows of {@code tenants} ({@code null}: every tenant). */
    private static Condition inTenants(org.jooq.Field<String> tenant, Set<String> tenants) {
        return tenants == null ? DSL.noCondition() : tenant.in(tenants);
    }

    private String accountName(UUID id) {
        return accounts.get(id).map(account -> account.name() + " (" + account.processor() + ")")
            .orElse("merchant account " + id);
    }
}
