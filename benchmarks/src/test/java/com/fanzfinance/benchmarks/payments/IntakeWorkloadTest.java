package com.fanzfinance.benchmarks.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IntakeWorkloadTest {

    @Test
    void salesOnlyIsEverySaleOnceForItsOwnCheckout() {
        IntakeWorkload workload = IntakeWorkload.of(5_000, 50, IntakeWorkload.Mix.SALES, 100, 7);
        assertThat(workload.sales()).isEqualTo(5_000);
        for (int i = 0; i < workload.size(); i++) {
            assertThat(workload.delivery(i)).isEqualTo(new IntakeWorkload.Delivery(IntakeWorkload.Kind.SALE, i, 0));
            assertThat(workload.deliveryOf(i)).isEqualTo(i);
            assertThat(workload.dependency(i)).isEqualTo(-1);
            assertThat(workload.grossOf(i)).isBetween(IntakeWorkload.GROSS_MIN, IntakeWorkload.GROSS_MAX);
            assertThat(workload.creatorOf(i)).isBetween(0, 49);
        }
    }

    @Test
    void mixedHasTenPercentDuplicatesAndFivePercentRefundsOfSalesWellBehindThem() {
        int lag = 256;
        IntakeWorkload workload = IntakeWorkload.of(50_000, 1_000, IntakeWorkload.Mix.MIXED, lag, 42);
        int duplicates = workload.count(IntakeWorkload.Kind.DUPLICATE, 0, workload.size());
        int refunds = workload.count(IntakeWorkload.Kind.REFUND, 0, workload.size());
        assertThat(duplicates).isBetween(4_700, 5_300);
        assertThat(refunds).isBetween(2_300, 2_700);
        assertThat(workload.sales() + duplicates + refunds).isEqualTo(50_000);
        Set<Integer> refunded = new HashSet<>();
        for (int i = 0; i < workload.size(); i++) {
            IntakeWorkload.Delivery delivery = workload.delivery(i);
            if (delivery.kind() == IntakeWorkload.Kind.SALE) {
                assertThat(workload.deliveryOf(delivery.sale())).isEqualTo(i);
                continue;
            }
            assertThat(workload.dependency(i)).isEqualTo(workload.deliveryOf(delivery.sale())).isLessThanOrEqualTo(i - lag);
            if (delivery.kind() == IntakeWorkload.Kind.REFUND) {
                assertThat(refunded.add(delivery.sale())).as("sale %d refunded twice", delivery.sale()).isTrue();
                assertThat(delivery.amount()).isBetween(1L, workload.grossOf(delivery.sale()));
            }
        }
    }

    @Test
    void theSeedFixesTheWorkload() {
        IntakeWorkload one = IntakeWorkload.of(3_000, 10, IntakeWorkload.Mix.MIXED, 64, 3);
        IntakeWorkload again = IntakeWorkload.of(3_000, 10, IntakeWorkload.Mix.MIXED, 64, 3);
        IntakeWorkload other = IntakeWorkload.of(3_000, 10, IntakeWorkload.Mix.MIXED, 64, 4);
        boolean differs = false;
        for (int i = 0; i < one.size(); i++) {
            assertThat(again.delivery(i)).isEqualTo(one.delivery(i));
            differs |= !other.delivery(i).equals(one.delivery(i));
        }
        assertThat(differs).isTrue();
    }
}
