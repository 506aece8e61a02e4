package com.fanzfinance.server.payments;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;

/**
 * A merchant account's health as routing and the chargeback monitor see it: its recent approval rate (sales
 * against declined attempts) and its chargebacks of the last 30 days per card network, measured the way the
 * networks' monitoring programmes measure them.
 *
 * <ul>
 *   <li><b>Visa</b> (Visa Acquirer Monitoring Program, VAMP, from April 2025): disputes and fraud reports of a
 *       month over the settled transactions of the same month; a merchant is "excessive" at a ratio of 150 bp
 *       (220 bp before 1 April 2026) with more than 1,500 disputes and fraud reports (outside MENA).</li>
 *   <li><b>Mastercard</b> (Excessive Chargeback Program): chargebacks of a month over the sales of the month
 *       before; "excessive chargeback merchant" at 150 bp with at least 100 chargebacks ("chargeback-monitored
 *       merchant", the early warning, at 100 bp and 100).</li>
 *   <li>Other networks and payments whose network the processor does not report: 100 bp and 100 chargebacks,
 *       the stricter early-warning level, by default.</li>
 * </ul>
 * The window here rolls (the last 30 days, and for Mastercard's denominator the 30 days before them), so an
 * account is drained before a calendar month closes over the line. What this server sees is chargebacks only:
 * VAMP also counts issuers' fraud reports (TC40), which reach no webhook, so a Visa ratio here understates
 * Visa's — set lower thresholds per account where that matters.
 */
public final class AccountHealth {
    public static final Duration CHARGEBACK_WINDOW = Duration.ofDays(30);
    static final List<String> NETWORKS = List.of("visa", "mastercard", "amex", "discover", "jcb", "diners", "other",
        "unknown");

    /** A threshold: exceeded when both the ratio and the count are reached. */
    public record Threshold(int ratioBp, long minCount, String denominator) {
        static final String SAME_WINDOW = "same_window";
        static final String PREVIOUS_WINDOW = "previous_window";
    }

    /** The defaults, per network ({@code other} applies to every network not named). */
    public static final Map<String, Threshold> DEFAULT_THRESHOLDS = Map.of(
        "visa", new Threshold(150, 1500, Threshold.SAME_WINDOW),
        "mastercard", new Threshold(150, 100, Threshold.PREVIOUS_WINDOW),
        "other", new Threshold(100, 100, Threshold.SAME_WINDOW));

    /** Sales against declines over a window; {@code rateBp} null when fewer than the minimum sample. */
    public record Approval(long sales, long failures, Integer rateBp) {
        long sample() {
            return sales + failures;
        }
    }

    /** One network's chargebacks in the window, the sales they are measured against, and the verdict. */
    public record NetworkChargebacks(String network, long chargebacks, long sales, long previousSales, Integer ratioBp,
                                     Threshold threshold, boolean exceeded) {
    }

    private final DSLContext dsl;

    public AccountHealth(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The effective threshold of {@code network} for an account with these overrides (null: none). */
    public static Threshold threshold(String network, Map<String, Threshold> overrides) {
        Map<String, Threshold> own = overrides == null ? Map.of() : overrides;
        if (own.containsKey(network)) {
            return own.get(network);
        }
        if (DEFAULT_THRESHOLDS.containsKey(network)) {
            return DEFAULT_THRESHOLDS.get(network);
        }
        return own.getOrDefault("other", DEFAULT_THRESHOLDS.get("other"));
    }

    /** Approval rates of {@code accounts} since {@code since}: posted sales against recorded failures. */
    public Map<UUID, Approval> approvals(Collection<UUID> accounts, Instant since, int minSample) {
        Map<UUID, long[]> counts = new HashMap<>();
        if (accounts.isEmpty()) {
            return Map.of();
        }
        Field<Integer> count = DSL.count();
        dsl.select(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID, PAYMENT_EVENTS.KIND, count).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.in(accounts),
                PAYMENT_EVENTS.KIND.in(DSL.inline("sale"), DSL.inline("failure")),
                PAYMENT_EVENTS.RECEIVED_AT.ge(since.atOffset(ZoneOffset.UTC)),
                PAYMENT_EVENTS.STATUS.in(DSL.inline("posted"), DSL.inline("recorded")))
            .groupBy(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID, PAYMENT_EVENTS.KIND)
            .forEach(row -> {
                long[] pair = counts.computeIfAbsent(row.value1(), id -> new long[2]);
                pair[row.value2().equals("sale") ? 0 : 1] += row.value3();
            });
        Map<UUID, Approval> result = new HashMap<>();
        for (UUID account : accounts) {
            long[] pair = counts.getOrDefault(account, new long[2]);
            long sample = pair[0] + pair[1];
            Integer rate = sample < minSample || sample == 0 ? null : (int) (pair[0] * 10_000 / sample);
            result.put(account, new Approval(pair[0], pair[1], rate));
        }
        return result;
    }

    /**
     * Chargebacks of the last 30 days per network (a chargeback reversed later still counts, as the networks count
     * it), with posted sales and rebills of the same window and of the window before, and each network's verdict.
     */
    public List<NetworkChargebacks> chargebacks(UUID account, Instant now, Map<String, Threshold> overrides) {
        Instant windowStart = now.minus(CHARGEBACK_WINDOW);
        Instant previousStart = windowStart.minus(CHARGEBACK_WINDOW);
        Map<String, long[]> counts = new TreeMap<>(); // network -> chargebacks, sales, previous sales
        Field<String> network = DSL.coalesce(PAYMENT_EVENTS.CARD_NETWORK, DSL.inline("unknown"));
        // Inlined, so that the select and the group-by hold one and the same expression.
        Field<Boolean> current = DSL.field(PAYMENT_EVENTS.RECEIVED_AT.ge(DSL.inline(windowStart.atOffset(ZoneOffset.UTC))));
        Field<Integer> count = DSL.count();
        dsl.select(network, PAYMENT_EVENTS.KIND, current, count).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(account),
                PAYMENT_EVENTS.KIND.in(DSL.inline("sale"), DSL.inline("rebill"), DSL.inline("chargeback")),
                PAYMENT_EVENTS.RECEIVED_AT.ge(previousStart.atOffset(ZoneOffset.UTC)),
                PAYMENT_EVENTS.RECEIVED_AT.le(now.atOffset(ZoneOffset.UTC)),
                PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted")))
            .groupBy(network, PAYMENT_EVENTS.KIND, current)
            .forEach(row -> {
                long[] triple = counts.computeIfAbsent(row.value1(), name -> new long[3]);
                boolean inWindow = Boolean.TRUE.equals(row.value3());
                if (row.value2().equals("chargeback")) {
                    if (inWindow) {
                        triple[0] += row.value4();
                    }
                } else {
                    triple[inWindow ? 1 : 2] += row.value4();
                }
            });
        List<NetworkChargebacks> result = new ArrayList<>();
        counts.forEach((name, triple) -> {
            Threshold threshold = threshold(name, overrides);
            long denominator = threshold.denominator().equals(Threshold.PREVIOUS_WINDOW) ? triple[2] : triple[1];
            Integer ratio = denominator == 0 ? null : (int) Math.min(Integer.MAX_VALUE, triple[0] * 10_000 / denominator);
            boolean exceeded = triple[0] > 0 && triple[0] >= threshold.minCount()
                && (ratio == null || ratio >= threshold.ratioBp());
            result.add(new NetworkChargebacks(name, triple[0], triple[1], triple[2], ratio, threshold, exceeded));
        });
        return result;
    }

    /** The health document of {@code GET /v1/merchant-accounts/{id}/health}. */
    public ObjectNode toJson(MerchantAccounts.Account account, Instant now, int windowHours, int minSample) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("merchant_account_id", account.id().toString());
        json.put("processor", account.processor());
        json.put("status", account.status());
        MerchantAccounts.drainJson(json, account);
        Approval approval = approvals(List.of(account.id()), now.minus(Duration.ofHours(windowHours)), minSample)
            .get(account.id());
        ObjectNode approvalJson = json.putObject("approval");
        approvalJson.put("window_hours", windowHours);
        approvalJson.put("min_sample", minSample);
        approvalJson.put("sales", approval.sales());
        approvalJson.put("failures", approval.failures());
        if (approval.rateBp() == null) {
            approvalJson.putNull("rate_bp");
        } else {
            approvalJson.put("rate_bp", approval.rateBp());
        }
        ObjectNode chargebacks = json.putObject("chargebacks");
        chargebacks.put("window_days", CHARGEBACK_WINDOW.toDays());
        ArrayNode networks = chargebacks.putArray("networks");
        for (NetworkChargebacks each : chargebacks(account.id(), now, account.chargebackThresholds())) {
            ObjectNode item = networks.addObject();
            item.put("network", each.network());
            item.put("chargebacks", each.chargebacks());
            item.put("sales", each.sales());
            item.put("previous_sales", each.previousSales());
            if (each.ratioBp() == null) {
                item.putNull("ratio_bp");
            } else {
                item.put("ratio_bp", each.ratioBp());
            }
            item.set("threshold", thresholdJson(each.threshold()));
            item.put("exceeded", each.exceeded());
        }
        json.put("as_of", now.toString());
        return json;
    }

    static ObjectNode thresholdJson(Threshold threshold) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("ratio_bp", threshold.ratioBp());
        json.put("min_count", threshold.minCount());
        json.put("denominator", threshold.denominator());
        return json;
    }
}
