package com.fanzfinance.reconciliation.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MatcherTest {

    private static final int DAY = Fixture.DAY;

    @Test
    void aMissingSaleOnEitherSide() {
        var f = new Fixture()
            .item(1000, "ch_A")
            .item(2000, "ch_B") // in the ledger, not on the statement
            .line("ch_A", 1000)
            .line("ch_C", 500); // on the statement, not in the ledger
        assertThat(f.run()).containsExactly(
            "matched one_to_one L[0] I[0]",
            "line 1 not-in-ledger",
            "item 1");
    }

    @Test
    void aDoubleBookedFeeDiffersInTheFee() {
        var f = new Fixture()
            .item(1000, 60, "USD", DAY, "", "ch_A")
            .line("ch_A", "sale", 1000, 30, "USD", DAY, "");
        assertThat(f.run()).containsExactly("differing one_to_one L[0] I[0] 1000/30 vs 1000/60 fee");
    }

    @Test
    void anAmountOffByACentDiffersWithoutToleranceAndMatchesWithOne() {
        var f = new Fixture().item(1000, "ch_A").line("ch_A", 1001);
        assertThat(f.run()).containsExactly("differing one_to_one L[0] I[0] 1001/0 vs 1000/0 amount");
        assertThat(f.run(new Tolerances(1, 0, 0))).containsExactly("matched one_to_one L[0] I[0]");
    }

    @Test
    void aSettlementOneDayLateDiffersInTheDateWithoutToleranceAndMatchesWithThreeDays() {
        var f = new Fixture()
            .item(1000, 0, "USD", DAY, "", "ch_A")
            .line("ch_A", "sale", 1000, 0, "USD", DAY + 1, "");
        assertThat(f.run()).containsExactly("differing one_to_one L[0] I[0] 1000/0 vs 1000/0 date");
        assertThat(f.run(new Tolerances(0, 0, 3))).containsExactly("matched one_to_one L[0] I[0]");
    }

    @Test
    void splitLinesAreManyToOne() {
        var f = new Fixture().item(1000, "ch_A").line("ch_A", 600).line("ch_B", 5).line("ch_A", 400);
        assertThat(f.run()).containsExactly(
            "matched many_to_one L[0, 2] I[0]",
            "line 1 not-in-ledger");
    }

    @Test
    void aMergedLineIsOneToMany() {
        var f = new Fixture().item(1000, "a").item(7, "x").item(500, "B").line("a|b", 1500);
        assertThat(f.run()).containsExactly("matched one_to_many L[0] I[0, 2]", "item 1");
    }

    @Test
    void aMergedLineNamingAnUnknownReferenceTakesNothing() {
        var f = new Fixture().item(1000, "a").item(500, "b").line("a|nope", 1500);
        assertThat(f.run()).containsExactly("line 0 not-in-ledger", "item 0", "item 1");
    }

    @Test
    void aBatchReferenceTakesTheWholeGroupAndASecondLineForItIsAmbiguous() {
        var f = new Fixture()
            .item(-1000, 0, "USD", DAY, "PAYOUT-7", "po_1")
            .item(-2000, 0, "USD", DAY - 1, "PAYOUT-7", "po_2")
            .item(-5, 0, "USD", DAY, "PAYOUT-8", "po_3")
            .line("payout-7", "payout", -3000, 0, "USD", DAY, "")
            .line("PAYOUT-7", "payout", -3000, 0, "USD", DAY, "")
            .line("PAYOUT-9", "payout", -3000, 0, "USD", DAY, "");
        assertThat(f.run()).containsExactly(
            "matched one_to_many L[0] I[0, 1]",
            "line 1 ambiguous",
            "line 2 not-in-ledger",
            "item 2");
    }

    @Test
    void aKeyWinsOverAGroupOfTheSameName() {
        // "B1" is a key of item 0 and the group of item 1: rule 1 takes the key; the group is never consulted
        var f = new Fixture()
            .item(100, 0, "USD", DAY, "", "B1")
            .item(100, 0, "USD", DAY, "B1", "x")
            .line("B1", 100)
            .line("b1", 100);
        assertThat(f.run()).containsExactly("matched one_to_one L[0] I[0]", "line 1 not-in-ledger", "item 1");
    }

    @Test
    void aCurrencyMismatchDiffersInTheCurrency() {
        var f = new Fixture()
            .item(1000, 0, "USD", DAY, "", "ch_A")
            .line("ch_A", "sale", 1000, 0, "EUR", DAY, "");
        assertThat(f.run()).containsExactly("differing one_to_one L[0] I[0] 1000/0 vs 1000/0 currency");
    }

    @Test
    void withoutAReferenceTwoEqualItemsAreAmbiguous() {
        var f = new Fixture().item(1000).item(1000).line("", 1000);
        assertThat(f.run()).containsExactly("line 0 ambiguous", "item 0", "item 1");
    }

    @Test
    void withoutAReferenceASoleCandidateOfTwoLinesIsAmbiguousForBoth() {
        var f = new Fixture().item(1000).item(70, "k").line("", 1000).line(" | ", 1000).line("", 70);
        assertThat(f.run()).containsExactly(
            "line 0 ambiguous",
            "line 1 ambiguous",
            "matched amount_date L[2] I[1]",
            "item 0");
    }

    @Test
    void withoutAReferenceTheSoleCandidateMatchesAndMayDifferInTheFee() {
        var f = new Fixture()
            .item(1000, 5, "USD", DAY + 2, "")
            .item(1000, 0, "USD", DAY + 9, "")
            .item(1000, 0, "EUR", DAY, "")
            .line("", "sale", 1000, 7, "USD", DAY, "");
        assertThat(f.run(new Tolerances(0, 0, 3)))
            .containsExactly("differing amount_date L[0] I[0] 1000/7 vs 1000/5 fee", "item 1", "item 2");
        assertThat(f.run()).containsExactly("line 0 not-in-ledger", "item 0", "item 1", "item 2");
    }

    @Test
    void withoutAReferenceTheCandidatesFollowTheRelativeTolerance() {
        // 1 % of the ledger amount: 10000 → 100, 10202 → 102.02 → 102
        var f = new Fixture().item(10_202).item(9_899).line("", 10_100);
        assertThat(f.run(new Tolerances(0, 100, 0))).containsExactly("matched amount_date L[0] I[0]", "item 1");
        var g = new Fixture().item(4_000_000_000_000_000_000L).line("", 3_700_000_000_000_000_000L);
        assertThat(g.run(new Tolerances(0, 750, 0))).containsExactly("matched amount_date L[0] I[0]");
        assertThat(g.run(new Tolerances(0, 749, 0))).containsExactly("line 0 not-in-ledger", "item 0");
        assertThat(g.run(new Tolerances(0, 10_000, 0))).containsExactly("matched amount_date L[0] I[0]");
    }

    @Test
    void referencesAreComparedIgnoringCaseAndSurroundingSpace() {
        var f = new Fixture().item(1000, "  CH_abc ").item(2000, "Ünï").line(" ch_ABC", 1000).line("Ünï", 2000);
        assertThat(f.run()).containsExactly("matched one_to_one L[0] I[0]", "matched one_to_one L[1] I[1]");
        assertThat(f.items.reference(0)).isEqualTo("CH_abc");
    }

    @Test
    void excludedTypesComeFirstAndTakeNothing() {
        var f = new Fixture()
            .item(1000, "ch_A")
            .line("ch_A", 1000)
            .line("ch_A", "fee", 1000, 0, "USD", DAY, "")
            .line("", "balance", 1000, 0, "USD", DAY, "");
        assertThat(f.run(Tolerances.EXACT, "fee", "balance", "payout")).containsExactly(
            "line 1 excluded-type",
            "line 2 excluded-type",
            "matched one_to_one L[0] I[0]");
    }

    @Test
    void theRelativeToleranceRoundsHalfToEvenAtTheBoundary() {
        var t = new Tolerances(0, 1, 0); // 1 bp
        assertThat(t.relative(5_000)).isZero();      // 0.5 → 0
        assertThat(t.relative(15_000)).isEqualTo(2); // 1.5 → 2
        assertThat(t.relative(25_000)).isEqualTo(2); // 2.5 → 2
        assertThat(t.relative(-35_000)).isEqualTo(4); // 3.5 → 4
        assertThat(t.relative(25_001)).isEqualTo(3); // 2.5001 → 3
        var f = new Fixture()
            .item(15_000, "a").item(15_000, "b")
            .item(25_000, "c").item(25_000, "d")
            .item(5_000, "e")
            .line("a", 15_002).line("b", 15_003)
            .line("c", 24_998).line("d", 24_997)
            .line("e", 5_001);
        assertThat(f.run(t)).containsExactly(
            "matched one_to_one L[0] I[0]",
            "differing one_to_one L[1] I[1] 15003/0 vs 15000/0 amount",
            "matched one_to_one L[2] I[2]",
            "differing one_to_one L[3] I[3] 24997/0 vs 25000/0 amount",
            "differing one_to_one L[4] I[4] 5001/0 vs 5000/0 amount");
        assertThat(new Tolerances(1, 1, 0).amountWithin(5_001, 5_000)).isTrue();
    }

    @Test
    void theRelativeToleranceIsExactForHugeAmounts() {
        var t = new Tolerances(0, 9_999, 0);
        long big = 1L << 62;
        // 2^62 × 9999 / 10000 = 4611224849825545165.2096 → …165 (the product needs more than 64 bits)
        assertThat(t.relative(big)).isEqualTo(4_611_224_849_825_545_165L);
        assertThat(t.relative(-big)).isEqualTo(4_611_224_849_825_545_165L);
        // above Long.MAX_VALUE / 10000 the product goes through BigInteger, with the same half-even rounding
        assertThat(new Tolerances(0, 5_000, 0).relative(1_000_000_000_000_002L)).isEqualTo(500_000_000_000_001L);
        // (10^15 + 1) × 5000 / 10000 = 5 × 10^14 + 0.5 → even: 5 × 10^14
        assertThat(new Tolerances(0, 5_000, 0).relative(1_000_000_000_000_001L)).isEqualTo(500_000_000_000_000L);
        assertThat(new Tolerances(0, 5_000, 0).relative(1_000_000_000_000_003L)).isEqualTo(500_000_000_000_002L);
        assertThat(new Tolerances(0, 10_000, 0).relative(Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Tolerances.EXACT.amountWithin(Long.MAX_VALUE, Long.MIN_VALUE)).isFalse();
        assertThat(new Tolerances(Long.MAX_VALUE, 0, 0).amountWithin(Long.MAX_VALUE, -1)).isFalse();
        assertThat(new Tolerances(Long.MAX_VALUE, 0, 0).amountWithin(Long.MAX_VALUE, 0)).isTrue();
    }

    @Test
    void tolerancesAreValidated() {
        assertThatThrownBy(() -> new Tolerances(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tolerances(0, 10_001, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tolerances(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tolerances(0, 0, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Tolerances(0, 10_000, 31).daysWithin(DAY, DAY - 31)).isTrue();
        assertThat(new Tolerances(0, 10_000, 31).daysWithin(DAY, DAY + 32)).isFalse();
    }

    @Test
    void severalLinesOfOneReferencePairExactlyFirstThenByWhatIsLeft() {
        var f = new Fixture()
            .item(100, "r").item(100, "r").item(300, "r")
            .line("r", 100).line("r", 100).line("r", 250).line("r", 50);
        assertThat(f.run()).containsExactly(
            "matched one_to_one L[0] I[0]",
            "matched one_to_one L[1] I[1]",
            "matched many_to_one L[2, 3] I[2]");
    }

    @Test
    void theExactStepOfOneReferenceAlsoWantsTheFeeAndTheDate() {
        var f = new Fixture()
            .item(100, 0, "USD", DAY, "", "r")
            .item(100, 5, "USD", DAY, "", "r")
            .item(100, 0, "USD", DAY + 1, "", "s")
            .item(100, 0, "USD", DAY, "", "s")
            .line("r", "sale", 100, 5, "USD", DAY, "")
            .line("r", "sale", 100, 0, "USD", DAY, "")
            .line("s", 100)
            .line("s", "sale", 100, 0, "USD", DAY + 1, "");
        assertThat(f.run()).containsExactly(
            "matched one_to_one L[0] I[1]",
            "matched one_to_one L[1] I[0]",
            "matched one_to_one L[2] I[3]",
            "matched one_to_one L[3] I[2]");
    }

    @Test
    void oneLineAndSeveralLeftoverItemsOfItsReferenceAreOneToMany() {
        // a sale and its partial refund share the payment's key; the statement nets them
        var f = new Fixture().item(1000, "pay_1").item(-300, "pay_1").line("pay_1", 700);
        assertThat(f.run()).containsExactly("matched one_to_many L[0] I[0, 1]");
    }

    @Test
    void aLeftoverLineOfTheAmountOfOneItemIsComparedWithItNotSummedWithTheOthers() {
        // a payout (money out) and the return of its money share the trace; the return arrives days later
        var f = new Fixture()
            .item(-1000, 0, "USD", DAY, "", "trace")
            .item(1000, 0, "USD", DAY, "", "trace")
            .line("trace", "return", 1000, 0, "USD", DAY + 4, "");
        assertThat(f.run(new Tolerances(0, 0, 3))).containsExactly(
            "differing one_to_one L[0] I[1] 1000/0 vs 1000/0 date",
            "item 0");
    }

    @Test
    void severalLinesAndSeveralItemsLeftAreAmbiguousAndRuleFourLeavesTheItemsAlone() {
        // items 0 and 1 were named by reference r: a line without a reference does not take one by its amount
        var f = new Fixture()
            .item(100, "r").item(200, "r").item(5).line("r", 150).line("r", 150).line("", 200);
        assertThat(f.run()).containsExactly(
            "line 0 ambiguous",
            "line 1 ambiguous",
            "line 2 not-in-ledger",
            "item 0",
            "item 1",
            "item 2");
    }

    @Test
    void theItemsOfAnAmbiguousReferenceStayFreeForABatchReference() {
        var f = new Fixture()
            .item(100, 0, "USD", DAY, "batch-1", "r").item(200, 0, "USD", DAY, "batch-1", "r")
            .line("r", 150).line("r", 150).line("BATCH-1", 300);
        assertThat(f.run()).containsExactly(
            "line 0 ambiguous",
            "line 1 ambiguous",
            "matched one_to_many L[2] I[0, 1]");
    }

    @Test
    void ruleFourLeavesAloneTheItemsAFailedSeveralReferenceLineNamed() {
        // line 0 names a (found) and nope (not found): it takes nothing, and neither may line 1 take item 0
        var f = new Fixture().item(1000, "a").item(500, "b").item(700, "c").line("a|nope|b", 1500).line("", 1000)
            .line(" ", 500).line("", 700);
        assertThat(f.run()).containsExactly(
            "line 0 not-in-ledger",
            "line 1 not-in-ledger",
            "line 2 not-in-ledger",
            "matched amount_date L[3] I[2]",
            "item 0",
            "item 1");
    }

    @Test
    void ruleFourLeavesAloneAnItemWithAnyNamedKeyButNotOneNamedOnlyByAnExcludedLine() {
        var f = new Fixture()
            .item(100, "a", "b").item(100, "x").item(200, "y")
            .line("A", "sale", 999, 0, "USD", DAY, "").line("", 100).line("y", "fee", 200, 0, "USD", DAY, "")
            .line("", 200);
        // line 0 names a, so item 0 (keys a and b) is left alone; y is named only by an excluded line
        assertThat(f.run(Tolerances.EXACT, "fee")).containsExactly(
            "line 2 excluded-type",
            "differing one_to_one L[0] I[0] 999/0 vs 100/0 amount",
            "matched amount_date L[1] I[1]",
            "matched amount_date L[3] I[2]");
        var g = new Fixture()
            .item(100, "a", "b").item(100, "x").line("zz|b", 100).line("", 100);
        assertThat(g.run()).containsExactly(
            "line 0 not-in-ledger",
            "matched amount_date L[1] I[1]",
            "item 0");
    }

    @Test
    void aLineWhoseItemsAreAllTakenIsNotInTheLedger() {
        // item 0 has keys a and b; line 0 (reference a, first) takes it, line 1 (reference b) finds nothing left
        var f = new Fixture().item(100, "a", "B").line("a", 100).line("b", 100).line("b|a", 100);
        assertThat(f.run()).containsExactly(
            "matched one_to_one L[0] I[0]",
            "line 1 not-in-ledger",
            "line 2 not-in-ledger");
    }

    @Test
    void aLineNamingTwoKeysOfOneItemTakesItOnce() {
        var f = new Fixture().item(100, "a", "b").item(50, "b").line("A|b|a", 150);
        assertThat(f.run()).containsExactly("matched one_to_many L[0] I[0, 1]");
    }

    @Test
    void resultsComeByRuleThenByLowestLine() {
        var f = new Fixture()
            .item(10, "k1")          // 0
            .item(20, "m1").item(30, "m2") // 1, 2
            .item(40, 0, "USD", DAY, "G", "g1") // 3
            .item(50)                // 4
            .item(60, "k2")          // 5
            .line("", 50)            // 0: rule 4
            .line("G", 40)           // 1: rule 3
            .line("m1|m2", 50)       // 2: rule 2
            .line("k2", 60)          // 3: rule 1
            .line("k1", 10)          // 4: rule 1
            .line("x", "fee", 1, 0, "USD", DAY, "") // 5: excluded
            .item(70);               // 6
        assertThat(f.run(Tolerances.EXACT, "fee")).containsExactly(
            "line 5 excluded-type",
            "matched one_to_one L[3] I[5]",
            "matched one_to_one L[4] I[0]",
            "matched one_to_many L[2] I[1, 2]",
            "matched one_to_many L[1] I[3]",
            "matched amount_date L[0] I[4]",
            "item 6");
    }

    @Test
    void emptyStoresGiveNothingAndItemsAloneAreUnmatched() {
        assertThat(new Fixture().run()).isEmpty();
        assertThat(new Fixture().item(1).item(2, "a").run()).containsExactly("item 0", "item 1");
        // line 2 (two references) is rule 2, line 0 (a reference that is no key) rule 3, line 1 rule 4
        assertThat(new Fixture().line("a", 1).line("", 2).line("a|b", 3).run())
            .containsExactly("line 2 not-in-ledger", "line 0 not-in-ledger", "line 1 not-in-ledger");
    }

    @Test
    void sumsThatOverflowDifferInTheAmount() {
        long big = 1L << 62;
        var f = new Fixture().item(big, "a").item(big, "a").line("a", 5);
        assertThat(f.run()).containsExactly(
            "differing one_to_many L[0] I[0, 1] 5/0 vs " + Long.MAX_VALUE + "/0 amount");
    }

    @Test
    void fiftyThousandLinesAndItemsOfOneAmountWhoseDatesDoNotMatch() {
        // a case rule 4 once compared pair by pair; no timing asserted, a quadratic run shows as a slow test
        int n = 50_000;
        var lines = new StatementLines(n + 1);
        var items = new LedgerItems(n + 1);
        for (int i = 0; i < n; i++) {
            lines.line(i + 1, "", "sale", 1000, 0, "USD", DAY + i % 5, "", "");
            items.add(new java.util.UUID(0, i), 1000, 0, "USD", DAY + 40 + i % 5, "");
        }
        items.add(new java.util.UUID(1, 0), 1000, 0, "USD", DAY + 1, "");
        int[] counts = new int[4];
        new Matcher(new Tolerances(0, 50, 3), Set.of()).run(lines, items, new MatchSink() {
            @Override
            public void matched(Rule rule, int[] ls, int[] is) {
                counts[0]++;
            }

            @Override
            public void differing(Rule rule, int[] ls, int[] is, long sa, long sf, long la, long lf,
                                  Set<Field> fields) {
                counts[0]++;
            }

            @Override
            public void unmatchedStatement(int line, Reason reason) {
                counts[reason == Reason.AMBIGUOUS ? 1 : 2]++;
            }

            @Override
            public void unmatchedLedger(int item) {
                counts[3]++;
            }
        });
        // the lines of days 0 to 4 all have the one item of day 1 as sole candidate: all ambiguous
        assertThat(counts).containsExactly(0, n, 0, n + 1);
    }

    @Test
    void theMatcherKeepsItsSettings() {
        var m = new Matcher(new Tolerances(1, 2, 3), Set.of("fee"));
        assertThat(m.tolerances()).isEqualTo(new Tolerances(1, 2, 3));
        assertThat(m.excludedTypes()).containsExactly("fee");
    }
}
