package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

class WorkloadTest {
    private static Workload workload(long seed, AccountDistribution distribution, double pending, IdOrder order) {
        return new Workload(seed, 1000, distribution, 100_000, pending, order, 1);
    }

    @Test
    void theSameSeedGivesTheSameTransfersAndAnotherSeedOthers() {
        Workload one = workload(7, AccountDistribution.ZIPFIAN, 0.3, IdOrder.RANDOM);
        Workload same = workload(7, AccountDistribution.ZIPFIAN, 0.3, IdOrder.RANDOM);
        Workload other = workload(8, AccountDistribution.ZIPFIAN, 0.3, IdOrder.RANDOM);
        int differences = 0;
        for (long i = 0; i < 1000; i++) {
            assertThat(same.transfer(i)).isEqualTo(one.transfer(i));
            differences += other.transfer(i).equals(one.transfer(i)) ? 0 : 1;
        }
        assertThat(differences).isEqualTo(1000);
        assertThat(same.account(5)).isEqualTo(one.account(5));
    }

    @Test
    void aTransferDependsOnlyOnItsIndexNotOnTheOrderOfDrawing() {
        Workload workload = workload(1, AccountDistribution.UNIFORM, 0.5, IdOrder.SEQUENTIAL);
        Transfer late = workload.transfer(99_999);
        IndexRandom random = workload.newRandom();
        TransferDraw draw = new TransferDraw();
        for (long i = 0; i < 500; i++) {
            workload.draw(i, random, draw);
        }
        workload.draw(99_999, random, draw);
        assertThat(workload.transfer(draw)).isEqualTo(late);
    }

    @Test
    void debitAndCreditAccountsDifferAndAmountsArePositive() {
        for (AccountDistribution distribution : AccountDistribution.values()) {
            Workload workload = workload(3, distribution, 0, IdOrder.SEQUENTIAL);
            IndexRandom random = workload.newRandom();
            TransferDraw draw = new TransferDraw();
            long total = 0;
            for (long i = 0; i < 100_000; i++) {
                workload.draw(i, random, draw);
                assertThat(draw.debitAccount).isNotEqualTo(draw.creditAccount).isBetween(0, 999);
                assertThat(draw.creditAccount).isBetween(0, 999);
                assertThat(draw.amount).isPositive();
                assertThat(draw.code).isBetween(1, 65_535);
                total += draw.amount;
            }
            assertThat(total / 100_000.0).as("mean amount").isBetween(9_500.0, 10_500.0);
        }
    }

    @Test
    void uniformIsRoughlyFlat() {
        int[] counts = debitCounts(AccountDistribution.UNIFORM);
        Arrays.sort(counts);
        assertThat(counts[0]).isGreaterThan(60);
        assertThat(counts[counts.length - 1]).isLessThan(150);
    }

    @Test
    void zipfianHasAFewVeryHotAccountsSpreadOverTheIndexes() {
        int[] counts = debitCounts(AccountDistribution.ZIPFIAN);
        int hottest = hottest(counts);
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        assertThat(sorted[sorted.length - 1]).isGreaterThan(50 * Math.max(1, sorted[sorted.length / 2]));
        assertThat(hottest).as("shuffled: the hottest account is not simply index 0").isNotEqualTo(0);
    }

    @Test
    void latestMakesTheMostRecentlyCreatedAccountsHottest() {
        int[] counts = debitCounts(AccountDistribution.LATEST);
        assertThat(hottest(counts)).isEqualTo(999);
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        assertThat(counts[999]).isGreaterThan(50 * Math.max(1, sorted[sorted.length / 2]));
        assertThat(counts[998]).isGreaterThan(counts[500]);
    }

    @Test
    void thePendingShareIsHonoured() {
        assertThat(pendingShare(0)).isZero();
        assertThat(pendingShare(0.3)).isBetween(0.29, 0.31);
        assertThat(pendingShare(1)).isEqualTo(1.0);
        Workload workload = workload(1, AccountDistribution.UNIFORM, 1, IdOrder.SEQUENTIAL);
        assertThat(workload.transfer(0).flags()).isEqualTo(TransferFlags.PENDING);
        assertThat(workload.transfer(0).timeout()).isZero();
    }

    @Test
    void sequentialIdsCountFromOneAndRandomIdsAreDistinctAndDecodable() {
        Workload sequential = workload(1, AccountDistribution.UNIFORM, 0, IdOrder.SEQUENTIAL);
        assertThat(sequential.accountId(0)).isEqualTo(Uint128.of(1));
        assertThat(sequential.transferId(41)).isEqualTo(Uint128.of(42));
        Workload random = workload(1, AccountDistribution.UNIFORM, 0, IdOrder.RANDOM);
        Set<Uint128> ids = new HashSet<>();
        boolean ascending = true;
        Uint128 previous = Uint128.ZERO;
        for (long i = 0; i < 100_000; i++) {
            Uint128 id = random.transferId(i);
            assertThat(id.isZero()).isFalse();
            assertThat(random.transferIndexOf(id)).isEqualTo(i);
            ascending &= id.compareTo(previous) > 0;
            previous = id;
            ids.add(id);
        }
        assertThat(ids).hasSize(100_000);
        assertThat(ascending).isFalse();
        for (int a = 0; a < 1000; a++) {
            assertThat(random.accountIndexOf(random.accountId(a))).isEqualTo(a);
            assertThat(sequential.accountIndexOf(sequential.accountId(a))).isEqualTo(a);
        }
        assertThat(random.transferIndexOf(Uint128.of(12345))).isEqualTo(-1);
        assertThat(sequential.transferIndexOf(Uint128.of(100_001))).isEqualTo(-1);
    }

    @Test
    void mixIsABijectionWithAnInverse() {
        for (long value : new long[] {0, 1, -1, Long.MIN_VALUE, 0x123456789abcdefL}) {
            assertThat(IdOrder.unmix(IdOrder.mix(value))).isEqualTo(value);
        }
    }

    @Test
    void rejectsAPendingShareOutsideZeroToOne() {
        assertThatThrownBy(() -> workload(1, AccountDistribution.UNIFORM, 1.5, IdOrder.SEQUENTIAL))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static double pendingShare(double share) {
        Workload workload = workload(5, AccountDistribution.UNIFORM, share, IdOrder.SEQUENTIAL);
        IndexRandom random = workload.newRandom();
        TransferDraw draw = new TransferDraw();
        int pending = 0;
        for (long i = 0; i < 100_000; i++) {
            workload.draw(i, random, draw);
            pending += draw.pending ? 1 : 0;
        }
        return pending / 100_000.0;
    }

    private static int[] debitCounts(AccountDistribution distribution) {
        Workload workload = workload(11, distribution, 0, IdOrder.SEQUENTIAL);
        IndexRandom random = workload.newRandom();
        TransferDraw draw = new TransferDraw();
        int[] counts = new int[1000];
        for (long i = 0; i < 100_000; i++) {
            workload.draw(i, random, draw);
            counts[draw.debitAccount]++;
        }
        return counts;
    }

    private static int hottest(int[] counts) {
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return best;
    }
}
