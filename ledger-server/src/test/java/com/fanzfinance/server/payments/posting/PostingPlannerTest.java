package com.fanzfinance.server.payments.posting;

import static com.fanzfinance.server.payments.posting.Events.CREATOR;
import static com.fanzfinance.server.payments.posting.Events.FEES;
import static com.fanzfinance.server.payments.posting.Events.REFERRER;
import static com.fanzfinance.server.payments.posting.Events.SHARES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.ledger.command.TransferFlags;

class PostingPlannerTest {
    private static final UUID HOLD_OLD = UUID.fromString("00000000-0000-4000-8000-0000000000a1");
    private static final UUID HOLD_NEW = UUID.fromString("00000000-0000-4000-8000-0000000000a2");

    @Test
    void aSaleSplitsGrossIntoFeePlatformCreatorReferralAndReserve() {
        PostingPlan plan = PostingPlanner.plan(Events.sale("s1", 1999, REFERRER, CreatorPosition.EMPTY));

        assertThat(describe(plan)).containsExactly(
            "fee: processor_fees -> processor_receivable 230 code 101 linked",
            "creator: processor_receivable -> creator_payable 1599 code 101 linked",
            "platform: processor_receivable -> platform_fees 400 code 101 linked",
            "referral: referral_expense -> referral_payable 100 code 101 linked",
            "reserve: creator_payable -> creator_reserve 160 code 120 pending timeout 604800");
        UUID eventId = Events.eventId("s1");
        EventIdentity identity = EventIdentity.first(Events.MERCHANT, "s1");
        assertThat(plan.transfers()).allSatisfy(leg -> {
            assertThat(leg.userData128()).isEqualTo(eventId);
            assertThat(leg.id()).isEqualTo(identity.transferId(leg.leg()));
            assertThat(leg.ledger()).isEqualTo(840);
        });
        assertThat(plan.accounts()).extracting(PlannedAccount::role).containsExactlyInAnyOrder(
            PaymentRole.PROCESSOR_FEES, PaymentRole.PROCESSOR_RECEIVABLE, PaymentRole.CREATOR_PAYABLE,
            PaymentRole.PLATFORM_FEES, PaymentRole.REFERRAL_EXPENSE, PaymentRole.REFERRAL_PAYABLE,
            PaymentRole.CREATOR_RESERVE);
        Map<PaymentRole, Long> net = net(plan);
        assertThat(net.get(PaymentRole.PROCESSOR_RECEIVABLE)).isEqualTo(1999 - 230);
        assertThat(net.get(PaymentRole.PROCESSOR_FEES)).isEqualTo(230);
        assertThat(-net.get(PaymentRole.CREATOR_PAYABLE) - net.get(PaymentRole.PLATFORM_FEES)).isEqualTo(1999);
        assertThat(plan.account(Events.account(PaymentRole.REFERRAL_PAYABLE))).isPresent();
    }

    @Test
    void aRebillIsASaleWithCode102AndWithoutReferrerNoReferralLegs() {
        PostingPlan plan = PostingPlanner.plan(Events.sale("r1", PaymentKind.REBILL, 1999, SHARES, FEES, null,
            CreatorPosition.EMPTY));

        assertThat(describe(plan)).containsExactly(
            "fee: processor_fees -> processor_receivable 230 code 102 linked",
            "creator: processor_receivable -> creator_payable 1599 code 102 linked",
            "platform: processor_receivable -> platform_fees 400 code 102 linked",
            "reserve: creator_payable -> creator_reserve 160 code 120 pending timeout 604800");
    }

    @Test
    void aFeeAboveGrossLeavesProcessorReceivableInCredit() {
        PostingPlan plan = PostingPlanner.plan(Events.sale("tiny", PaymentKind.SALE, 20, new Shares(2000, 0, 0, 0),
            new Fees(0, 30, 0, 0), null, CreatorPosition.EMPTY));

        assertThat(describe(plan)).containsExactly(
            "fee: processor_fees -> processor_receivable 30 code 101 linked",
            "creator: processor_receivable -> creator_payable 16 code 101 linked",
            "platform: processor_receivable -> platform_fees 4 code 101");
        assertThat(net(plan).get(PaymentRole.PROCESSOR_RECEIVABLE)).isEqualTo(-10);
    }

    @Test
    void zeroLegsAreLeftOut() {
        PostingPlan plan = PostingPlanner.plan(Events.sale("free", PaymentKind.SALE, 1000, new Shares(0, 0, 0, 0),
            Fees.NONE, REFERRER, CreatorPosition.EMPTY));

        assertThat(describe(plan)).containsExactly("creator: processor_receivable -> creator_payable 1000 code 101");
        assertThat(plan.accounts()).hasSize(2);
    }

    @Test
    void aSaleRepaysCreatorReceivableFirstAndHoldsOnlyFromWhatItCredits() {
        PostingPlan plan = PostingPlanner.plan(Events.sale("s2", 1999, null, new CreatorPosition(0, 1500, 0, List.of())));

        assertThat(describe(plan)).containsExactly(
            "fee: processor_fees -> processor_receivable 230 code 101 linked",
            "creator: processor_receivable -> creator_payable 99 code 101 linked",
            "repay: processor_receivable -> creator_receivable 1500 code 101 linked",
            "platform: processor_receivable -> platform_fees 400 code 101 linked",
            "reserve: creator_payable -> creator_reserve 99 code 120 pending timeout 604800");
    }

    @Test
    void aPartialRefundReversesAtTheParentsSharesWithTheRefundFee() {
        Parent parent = new Parent(1999, SHARES, null);
        PostingPlan plan = PostingPlanner.plan(Events.reversal("f1", PaymentKind.REFUND, 999, parent, REFERRER,
            new CreatorPosition(1439, 0, 100, List.of(new Hold(HOLD_NEW, 160)))));

        assertThat(describe(plan)).containsExactly(
            "creator: creator_payable -> processor_receivable 799 code 103 linked",
            "platform: platform_fees -> processor_receivable 200 code 103 linked",
            "referral: referral_payable -> referral_expense 50 code 103 linked",
            "refund_fee: processor_fees -> processor_receivable 15 code 103");
        assertThat(net(plan).get(PaymentRole.PROCESSOR_RECEIVABLE)).isEqualTo(-(999 + 15));
    }

    @Test
    void aChargebackVoidsHoldsNewestFirstThenDebitsCreatorReceivable() {
        Parent parent = new Parent(1999, SHARES, null);
        CreatorPosition position = new CreatorPosition(1000, 0, 40,
            List.of(new Hold(HOLD_NEW, 300), new Hold(HOLD_OLD, 200)));
        PostingPlan plan = PostingPlanner.plan(Events.reversal("cb", PaymentKind.CHARGEBACK, 1999, parent, REFERRER,
            position));

        assertThat(describe(plan)).containsExactly(
            "void:" + HOLD_NEW + ": creator_payable -> creator_reserve 300 code 120 linked void " + HOLD_NEW,
            "void:" + HOLD_OLD + ": creator_payable -> creator_reserve 200 code 120 linked void " + HOLD_OLD,
            "creator: creator_payable -> processor_receivable 1500 code 104 linked",
            "shortfall: creator_receivable -> processor_receivable 99 code 104 linked",
            "platform: platform_fees -> processor_receivable 400 code 104 linked",
            "referral: referral_payable -> referral_expense 40 code 104 linked",
            "chargeback_fee: chargeback_expense -> processor_receivable 2500 code 104");
    }

    @Test
    void holdsAreVoidedOnlyWhileTheBalanceIsShort() {
        Parent parent = new Parent(1999, SHARES, null);
        CreatorPosition position = new CreatorPosition(1000, 0, 0,
            List.of(new Hold(HOLD_NEW, 700), new Hold(HOLD_OLD, 200)));
        PostingPlan plan = PostingPlanner.plan(Events.reversal("cb2", PaymentKind.REFUND, 1999, parent, null, position));

        assertThat(describe(plan)).containsExactly(
            "void:" + HOLD_NEW + ": creator_payable -> creator_reserve 700 code 120 linked void " + HOLD_NEW,
            "creator: creator_payable -> processor_receivable 1599 code 103 linked",
            "platform: platform_fees -> processor_receivable 400 code 103 linked",
            "refund_fee: processor_fees -> processor_receivable 15 code 103");
    }

    @Test
    void aChargebackReversalMirrorsTheSplitAndKeepsTheFee() {
        Parent parent = new Parent(1999, SHARES, null);
        PostingPlan plan = PostingPlanner.plan(Events.reversal("cbr", PaymentKind.CHARGEBACK_REVERSAL, 1999, parent,
            REFERRER, new CreatorPosition(0, 99, 0, List.of())));

        assertThat(describe(plan)).containsExactly(
            "creator: processor_receivable -> creator_payable 1500 code 105 linked",
            "repay: processor_receivable -> creator_receivable 99 code 105 linked",
            "platform: processor_receivable -> platform_fees 400 code 105 linked",
            "referral: referral_expense -> referral_payable 100 code 105");
    }

    @Test
    void aVoidMirrorsEveryLegOfItsParentAndVoidsItsHold() {
        PostingPlan sale = PostingPlanner.plan(Events.sale("s3", 1999, REFERRER, CreatorPosition.EMPTY));
        UUID saleHold = sale.leg("reserve").orElseThrow().id();
        CreatorPosition position = new CreatorPosition(1439, 0, 100,
            List.of(new Hold(HOLD_NEW, 50), new Hold(saleHold, 160)));
        PostingPlan plan = PostingPlanner.plan(Events.reversal("v1", PaymentKind.VOID, 1999,
            new Parent(1999, SHARES, sale), REFERRER, position));

        assertThat(describe(plan)).containsExactly(
            "void:" + saleHold + ": creator_payable -> creator_reserve 160 code 120 linked void " + saleHold,
            "fee: processor_receivable -> processor_fees 230 code 106 linked",
            "creator: creator_payable -> processor_receivable 1599 code 106 linked",
            "platform: platform_fees -> processor_receivable 400 code 106 linked",
            "referral: referral_payable -> referral_expense 100 code 106");
        Map<PaymentRole, Long> saleNet = net(sale);
        Map<PaymentRole, Long> voidNet = net(plan);
        saleNet.forEach((role, amount) -> assertThat(voidNet.getOrDefault(role, 0L)).as(role.wireName())
            .isEqualTo(-amount));
    }

    @Test
    void aVoidWhoseHoldExpiredTakesTheCreatorsShareThroughTheShortfallRule() {
        PostingPlan sale = PostingPlanner.plan(Events.sale("s4", 1999, null, CreatorPosition.EMPTY));
        PostingPlan plan = PostingPlanner.plan(Events.reversal("v2", PaymentKind.VOID, 1999,
            new Parent(1999, SHARES, sale), null, new CreatorPosition(1000, 0, 0, List.of(new Hold(HOLD_NEW, 50)))));

        assertThat(describe(plan)).containsExactly(
            "fee: processor_receivable -> processor_fees 230 code 106 linked",
            "void:" + HOLD_NEW + ": creator_payable -> creator_reserve 50 code 120 linked void " + HOLD_NEW,
            "creator: creator_payable -> processor_receivable 1050 code 106 linked",
            "shortfall: creator_receivable -> processor_receivable 549 code 106 linked",
            "platform: platform_fees -> processor_receivable 400 code 106");
    }

    @Test
    void requestsOutsideTheTemplatesAreRefused() {
        Parent parent = new Parent(1999, SHARES, null);
        assertThatThrownBy(() -> Events.reversal("x", PaymentKind.REFUND, 2000, parent, null, CreatorPosition.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Events.reversal("x", PaymentKind.VOID, 1999, parent, null, CreatorPosition.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        PostingPlan sale = PostingPlanner.plan(Events.sale("s5", 1999, null, CreatorPosition.EMPTY));
        assertThatThrownBy(() -> Events.reversal("x", PaymentKind.VOID, 1000, new Parent(1999, SHARES, sale), null,
            CreatorPosition.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Events.sale("x", PaymentKind.CANCELLATION, 1999, SHARES, FEES, null,
            CreatorPosition.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Events.sale("x", 0, null, CreatorPosition.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PostingRequest(EventIdentity.first(Events.MERCHANT, "x"), UUID.randomUUID(),
            "girlfanz", 840, "verotel", CREATOR, null, PaymentKind.REFUND, 100, FEES, SHARES, parent,
            CreatorPosition.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlanSurvivesJsonExactly() {
        PostingPlan sale = PostingPlanner.plan(Events.sale("s6", 1999, REFERRER, CreatorPosition.EMPTY));
        PostingPlan voided = PostingPlanner.plan(Events.reversal("v3", PaymentKind.VOID, 1999,
            new Parent(1999, SHARES, sale), REFERRER, new CreatorPosition(0, 0, 100,
                List.of(new Hold(sale.leg("reserve").orElseThrow().id(), 160)))));

        for (PostingPlan plan : List.of(sale, voided)) {
            String json = plan.toJson();
            assertThat(PostingPlan.fromJson(json)).isEqualTo(plan);
            assertThat(PostingPlan.fromJson(json).toJson()).isEqualTo(json);
        }
        assertThat(sale.toJson()).contains("\"role\":\"creator_payable\"").contains("\"kind\":\"SALE\"");
        assertThatThrownBy(() -> PostingPlan.fromJson("{\"eventId\":1}")).isInstanceOf(IllegalArgumentException.class);
        String unlinked = sale.toJson().replace("\"flags\":1,", "\"flags\":0,");
        assertThatThrownBy(() -> PostingPlan.fromJson(unlinked)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSamePlanningTwiceGivesTheSamePlan() {
        assertThat(PostingPlanner.plan(Events.sale("s7", 1999, REFERRER, CreatorPosition.EMPTY)))
            .isEqualTo(PostingPlanner.plan(Events.sale("s7", 1999, REFERRER, CreatorPosition.EMPTY)));
    }

    @Test
    void randomChargesAndReversalsBalanceAndSplitGrossExactly() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            long gross = i % 10 == 0 ? 1 + (random.nextLong() >>> 12) : 1 + random.nextInt(1_000_000);
            int platformBp = random.nextInt(10_001);
            Shares shares = new Shares(platformBp, random.nextInt(platformBp + 1), random.nextInt(10_001),
                random.nextInt(366));
            Fees fees = new Fees(random.nextInt(2_000), random.nextInt(100), random.nextInt(3000), random.nextInt(50));
            String referrer = random.nextBoolean() ? REFERRER : null;
            long owed = random.nextBoolean() ? random.nextLong(gross) : 0;
            PostingPlan sale = PostingPlanner.plan(Events.sale("p" + i, PaymentKind.SALE, gross, shares, fees, referrer,
                new CreatorPosition(0, owed, 0, List.of())));
            Map<PaymentRole, Long> net = net(sale);
            long creator = -net.getOrDefault(PaymentRole.CREATOR_PAYABLE, 0L)
                - net.getOrDefault(PaymentRole.CREATOR_RECEIVABLE, 0L);
            long platform = -net.getOrDefault(PaymentRole.PLATFORM_FEES, 0L);
            assertThat(creator + platform).isEqualTo(gross);
            assertThat(platform).isEqualTo(shares.platform(gross));
            assertThat(net.getOrDefault(PaymentRole.PROCESSOR_RECEIVABLE, 0L)).isEqualTo(gross - fees.processing(gross));
            assertThat(net.getOrDefault(PaymentRole.REFERRAL_EXPENSE, 0L)).isLessThanOrEqualTo(platform);
            assertThat(net.values().stream().mapToLong(Long::longValue).sum()).isZero();
            sale.leg("reserve").ifPresent(hold -> assertThat(hold.amount()).isLessThanOrEqualTo(creator));

            long amount = 1 + random.nextLong(gross);
            long available = random.nextLong(gross + 1);
            PaymentKind kind = List.of(PaymentKind.REFUND, PaymentKind.CHARGEBACK, PaymentKind.CHARGEBACK_REVERSAL)
                .get(random.nextInt(3));
            PostingPlan reversal = PostingPlanner.plan(Events.reversal("q" + i, kind, amount,
                new Parent(gross, shares, sale), referrer, new CreatorPosition(available, 0, gross,
                    List.of(new Hold(HOLD_NEW, 1 + random.nextInt(1000))))));
            Map<PaymentRole, Long> back = net(reversal);
            long sign = kind == PaymentKind.CHARGEBACK_REVERSAL ? -1 : 1;
            long creatorBack = back.getOrDefault(PaymentRole.CREATOR_PAYABLE, 0L)
                + back.getOrDefault(PaymentRole.CREATOR_RECEIVABLE, 0L);
            assertThat(sign * (creatorBack + back.getOrDefault(PaymentRole.PLATFORM_FEES, 0L))).isEqualTo(amount);
            assertThat(back.values().stream().mapToLong(Long::longValue).sum()).isZero();
        }
    }

    /** Each leg as "name: debit role -> credit role amount code c [linked] [pending timeout t] [void id]". */
    static List<String> describe(PostingPlan plan) {
        return plan.transfers().stream().map(leg -> leg.leg() + ": " + role(plan, leg.debitAccountId()) + " -> "
            + role(plan, leg.creditAccountId()) + " " + leg.amount() + " code " + leg.code()
            + (TransferFlags.isSet(leg.flags(), TransferFlags.LINKED) ? " linked" : "")
            + (leg.isPending() ? " pending timeout " + leg.timeout() : "")
            + (leg.isVoid() ? " void " + leg.pendingId() : "")).toList();
    }

    /** Net posted debits per role (credits negative), without holds and their voids. */
    static Map<PaymentRole, Long> net(PostingPlan plan) {
        Map<PaymentRole, Long> net = new HashMap<>();
        for (PlannedTransfer leg : plan.transfers()) {
            if (!leg.isPending() && !leg.isVoid()) {
                net.merge(plan.account(leg.debitAccountId()).orElseThrow().role(), leg.amount(), Long::sum);
                net.merge(plan.account(leg.creditAccountId()).orElseThrow().role(), -leg.amount(), Long::sum);
            }
        }
        return net;
    }

    private static String role(PostingPlan plan, UUID account) {
        return plan.account(account).orElseThrow().role().wireName();
    }
}
