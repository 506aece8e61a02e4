package com.fanzfinance.benchmarks.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpectedLedgerTest {

    @Test
    void sharesRoundHalfToEven() {
        assertThat(ExpectedLedger.share(1999, 2000)).isEqualTo(400);   // 399.8
        assertThat(ExpectedLedger.share(1999, 1000)).isEqualTo(200);   // 199.9
        assertThat(ExpectedLedger.share(5, 1000)).isZero();            // 0.5 → even 0
        assertThat(ExpectedLedger.share(15, 1000)).isEqualTo(2);       // 1.5 → even 2
        assertThat(ExpectedLedger.share(25, 1000)).isEqualTo(2);       // 2.5 → even 2
        assertThat(ExpectedLedger.share(26, 1000)).isEqualTo(3);       // 2.6
        assertThat(ExpectedLedger.share(10_000, 2000)).isEqualTo(2000);
    }

    @Test
    void theFoldBalancesAndMatchesAHandComputedSaleAndRefund() {
        IntakeWorkload workload = IntakeWorkload.of(20_000, 30, IntakeWorkload.Mix.MIXED, 100, 9);
        ExpectedLedger ledger = ExpectedLedger.of(workload, 2000, new ExpectedLedger.Fees(1000, 30, 25));
        long creators = 0;
        for (long payable : ledger.creatorPayable) {
            assertThat(payable).isPositive();
            creators += payable;
        }
        assertThat(creators + ledger.platformFees + ledger.processorFees + ledger.processorReceivable).isZero();

        IntakeWorkload one = IntakeWorkload.of(1, 1, IntakeWorkload.Mix.SALES, 1, 1);
        long gross = one.grossOf(0);
        ExpectedLedger sale = ExpectedLedger.of(one, 2000, new ExpectedLedger.Fees(1000, 30, 25));
        long platform = (gross * 2000 + 5_000) / 10_000;   // no exact halves at 20%: G·0.2 has one decimal
        assertThat(sale.platformFees).isEqualTo(platform);
        assertThat(sale.creatorPayable[0]).isEqualTo(gross - platform);
        assertThat(sale.processorFees).isEqualTo(-(ExpectedLedger.share(gross, 1000) + 30));
    }
}
