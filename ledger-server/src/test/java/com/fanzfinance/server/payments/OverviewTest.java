package com.fanzfinance.server.payments;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.payments.posting.BasisPoints;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's rules that need no server: the read model's and the chargebacks' alert levels, and rhe in SQL. */
class OverviewTest {
    private static final AccountHealth.Threshold MASTERCARD = new AccountHealth.Threshold(150, 100, "previous_window");

    @Test
    void theReadModelLagsPastTenThousandCommandsOrTenSecondsAndIsCriticalPastFiveMinutesOrStopped() {
        assertThat(Overview.readModelAlert(0, 0, false)).isEmpty();
        assertThat(Overview.readModelAlert(10_000, 10, false)).as("at the line, not past it").isEmpty();
        assertThat(Overview.readModelAlert(10_001, 0, false)).hasValueSatisfying(alert ->
            assertThat(alert.severity() + " " + alert.count()).isEqualTo("warning 10001"));
        assertThat(Overview.readModelAlert(3, 10.5, false)).hasValueSatisfying(alert ->
            assertThat(alert.severity()).isEqualTo("warning"));
        assertThat(Overview.readModelAlert(3, 300.5, false)).hasValueSatisfying(alert ->
            assertThat(alert.severity()).isEqualTo("critical"));
        assertThat(Overview.readModelAlert(0, 0, true)).hasValueSatisfying(alert ->
            assertThat(alert.kind() + " " + alert.severity()).isEqualTo("read_model_lagging critical"));
    }

    @Test
    void aChargebackWarningComesAtTwoThirdsOfTheThresholdOnBothCountsAndTheWorstNetworkDecides() {
        MerchantAccounts.Account account = account();
        assertThat(Overview.chargebackAlert(account, List.of(network("mastercard", 67, 100, false))))
            .hasValueSatisfying(alert -> assertThat(alert.severity() + " " + alert.count()).isEqualTo("warning 67"));
        assertThat(Overview.chargebackAlert(account, List.of(network("mastercard", 66, 140, false))))
            .as("too few chargebacks").isEmpty();
        assertThat(Overview.chargebackAlert(account, List.of(network("mastercard", 90, 99, false))))
            .as("ratio too low").isEmpty();
        assertThat(Overview.chargebackAlert(account, List.of(network("mastercard", 67, 100, false),
            network("visa", 120, 160, true), network("other", 80, 140, false))))
            .hasValueSatisfying(alert -> {
                assertThat(alert.severity()).isEqualTo("critical");
                assertThat(alert.message()).isEqualTo("Card USD (ccbill): visa 120 chargebacks in 30 days, 160 bp"
                    + " (threshold 150 bp and 100)");
                assertThat(alert.merchantAccountId()).isEqualTo(account.id());
            });
    }

    @Test
    void criticalAlertsComeFirstThenByKind() {
        List<Overview.Alert> alerts = new ArrayList<>(List.of(
            new Overview.Alert("reconciliation_pending", "warning", "", 1, null),
            new Overview.Alert("read_model_lagging", "critical", "", 1, null),
            new Overview.Alert("chargeback_ratio", "warning", "", 1, null),
            new Overview.Alert("payout_rail_unknown", "critical", "", 1, null)));
        assertThat(Overview.ordered(alerts)).extracting(Overview.Alert::kind).containsExactly("payout_rail_unknown",
            "read_model_lagging", "chargeback_ratio", "reconciliation_pending");
    }

    @Test
    void rheInSqlIsBasisPointsRheToTheMinorUnit() throws Exception {
        Random random = new Random(19);
        List<long[]> cases = new ArrayList<>(List.of(new long[] {5, 1000}, new long[] {15, 1000}, new long[] {25, 1000},
            new long[] {1999, 2000}, new long[] {0, 2000}, new long[] {Long.MAX_VALUE, 10_000},
            new long[] {Long.MAX_VALUE, 9_999}, new long[] {Long.MAX_VALUE - 1, 5_000}, new long[] {1, 5_000},
            new long[] {3, 5_000}));
        for (int i = 0; i < 300; i++) {
            long amount = i % 3 == 0 ? random.nextLong() >>> 1 : random.nextInt(1_000_000);
            cases.add(new long[] {amount, random.nextInt(10_001)});
        }
        try (Connection connection = DriverManager.getConnection(TestDatabase.url())) {
            DSLContext sql = DSL.using(connection, SQLDialect.POSTGRES);
            for (long[] each : cases) {
                long fromSql = sql.select(Overview.rhe(DSL.inline(each[0]), DSL.inline((int) each[1]))).fetchOne()
                    .value1().longValueExact();
                assertThat(fromSql).as("rhe(%d × %d bp)", each[0], each[1]).isEqualTo(BasisPoints.rhe(each[0], (int) each[1]));
            }
        }
    }

    private static AccountHealth.NetworkChargebacks network(String name, long chargebacks, int ratioBp, boolean exceeded) {
        AccountHealth.Threshold threshold = name.equals("mastercard") ? MASTERCARD
            : new AccountHealth.Threshold(150, 100, "same_window");
        return new AccountHealth.NetworkChargebacks(name, chargebacks, 10_000, 10_000, ratioBp, threshold, exceeded);
    }

    private static MerchantAccounts.Account account() {
        return new MerchantAccounts.Account(UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"), 1, "girlfanz", "ccbill",
            "Card USD", "active", List.of("USD"), null, Map.of(), List.of(), null, Map.of(), Instant.EPOCH, Instant.EPOCH,
            null, Map.of(), null, null);
    }
}
