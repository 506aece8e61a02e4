package com.fanzfinance.server.payments.posting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BasisPointsTest {
    @Test
    void exactHalvesGoToTheEvenNeighbour() {
        assertThat(BasisPoints.rhe(5, 1000)).isZero();       // 0.5
        assertThat(BasisPoints.rhe(15, 1000)).isEqualTo(2);  // 1.5
        assertThat(BasisPoints.rhe(25, 1000)).isEqualTo(2);  // 2.5
        assertThat(BasisPoints.rhe(35, 1000)).isEqualTo(4);  // 3.5
        assertThat(BasisPoints.rhe(1, 5000)).isZero();       // 0.5
        assertThat(BasisPoints.rhe(3, 5000)).isEqualTo(2);   // 1.5
    }

    @Test
    void otherFractionsGoToTheNearest() {
        assertThat(BasisPoints.rhe(1999, 2000)).isEqualTo(400); // 399.8
        assertThat(BasisPoints.rhe(1999, 1000)).isEqualTo(200); // 199.9
        assertThat(BasisPoints.rhe(1999, 500)).isEqualTo(100);  // 99.95
        assertThat(BasisPoints.rhe(999, 500)).isEqualTo(50);    // 49.95
        assertThat(BasisPoints.rhe(1001, 1)).isZero();          // 0.1001
        assertThat(BasisPoints.rhe(5001, 1)).isEqualTo(1);      // 0.5001
        assertThat(BasisPoints.rhe(0, 2000)).isZero();
        assertThat(BasisPoints.rhe(1999, 0)).isZero();
        assertThat(BasisPoints.rhe(1999, 10_000)).isEqualTo(1999);
    }

    @Test
    void productsPast63BitsAreExact() {
        assertThat(BasisPoints.rhe(Long.MAX_VALUE, 10_000)).isEqualTo(Long.MAX_VALUE);
        // Long.MAX_VALUE / 2 = …903.5, half to even: …904 (Python's Decimal quantize, ROUND_HALF_EVEN).
        assertThat(BasisPoints.rhe(Long.MAX_VALUE, 5000)).isEqualTo(4_611_686_018_427_387_904L);
        assertThat(BasisPoints.rhe(Long.MAX_VALUE, 3333)).isEqualTo(3_074_149_899_883_696_776L);
    }

    @Test
    void agreesWithBigDecimalHalfEvenOnRandomInputs() {
        Random random = new Random(20_240_601L);
        for (int i = 0; i < 20_000; i++) {
            long amount = switch (i % 3) {
                case 0 -> random.nextInt(100_000);
                case 1 -> random.nextLong() >>> 1;
                default -> (random.nextLong() >>> 20) * 10 + 5;
            };
            int bp = random.nextInt(10_001);
            long expected = BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(bp))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN).longValueExact();
            assertThat(BasisPoints.rhe(amount, bp)).as("rhe(%d × %d)", amount, bp).isEqualTo(expected);
        }
    }

    @Test
    void refusesNegativeAmountsAndBpOutOfRange() {
        assertThatThrownBy(() -> BasisPoints.rhe(-1, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasisPoints.rhe(1, 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasisPoints.rhe(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharesFollowTheContractsRules() {
        Shares shares = new Shares(2000, 500, 1000, 7);
        assertThat(shares.platform(1999)).isEqualTo(400);
        assertThat(shares.referral(1999)).isEqualTo(100);
        assertThat(shares.reserve(1599)).isEqualTo(160);
        assertThat(shares.reserveTimeoutSeconds()).isEqualTo(7 * 86_400);
        assertThat(new Shares(2000, 0, 1000, 0).reserve(1599)).isZero();
        assertThatThrownBy(() -> new Shares(1000, 1001, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shares(1000, 0, 0, 366)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shares(10_001, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Fees(1000, 30, 2500, 0).processing(1999)).isEqualTo(230);
    }
}
