package com.fanzfinance.server.payments.posting;

import static com.fanzfinance.server.payments.posting.Events.CREATOR;
import static com.fanzfinance.server.payments.posting.Events.MERCHANT;
import static com.fanzfinance.server.payments.posting.Events.REFERRER;
import static com.fanzfinance.server.payments.posting.Events.SHARES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerEngine;

/** The templates posted to a real journaled ledger, checked by the balances every account ends with. */
class PostingLedgerTest {
    private static final String PR = "processor_receivable";
    private static final String M = MERCHANT.toString();

    @Test
    void aSaleLeavesEveryAccountWithItsShare(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan plan = PostingPlanner.plan(Events.sale("s1", 1999, REFERRER, position(ledger, REFERRER)));
            PostOutcome outcome = ledger.poster.post(ledger.tenantNumber, plan);

            assertThat(outcome).isEqualTo(new PostOutcome.Posted(plan.transferIds(), false));
            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 1999 Cr 230");
            assertThat(balances(ledger, "processor_fees", M)).isEqualTo("posted Dr 230 Cr 0");
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 0 Cr 1599, pending Dr 160 Cr 0");
            assertThat(balances(ledger, "creator_reserve", CREATOR)).isEqualTo("posted Dr 0 Cr 0, pending Dr 0 Cr 160");
            assertThat(balances(ledger, "platform_fees", "")).isEqualTo("posted Dr 0 Cr 400");
            assertThat(balances(ledger, "referral_expense", "")).isEqualTo("posted Dr 100 Cr 0");
            assertThat(balances(ledger, "referral_payable", REFERRER)).isEqualTo("posted Dr 0 Cr 100");
            assertThat(ledger.reader.read(LedgerFixture.TENANT, LedgerFixture.USD, CREATOR, REFERRER)).isEqualTo(
                new CreatorPosition(1439, 0, 100, List.of(new Hold(plan.leg("reserve").orElseThrow().id(), 160))));

            Account payable = ledger.account("creator_payable", null, CREATOR);
            assertThat(payable.tenant()).isEqualTo(ledger.tenantNumber);
            assertThat(payable.flags()).isEqualTo(PaymentRole.CREATOR_PAYABLE.flags());
            byte[] metadata = ledger.engine.read(machine -> machine.accountMetadata(payable.id()));
            assertThat(new String(metadata, StandardCharsets.UTF_8)).isEqualTo("{\"role\":\"creator_payable\",\"party\":\"c_42\"}");
            Transfer hold = ledger.engine.read(machine -> machine.lookupTransfer(Uuid5.toUint128(
                plan.leg("reserve").orElseThrow().id())));
            assertThat(hold.pendingStatus()).isEqualTo(PendingStatus.PENDING);
            assertThat(hold.userData128()).isEqualTo(Uuid5.toUint128(Events.eventId("s1")));
        }
    }

    @Test
    void aFeeAboveGrossIsCreditedToProcessorReceivable(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            post(ledger, Events.sale("tiny", PaymentKind.SALE, 20, new Shares(2000, 0, 0, 0), new Fees(0, 30, 0, 0), null,
                CreatorPosition.EMPTY));

            assertThat(ledger.net(PR, "verotel", M)).isEqualTo(-10);
            assertThat(balances(ledger, "processor_fees", M)).isEqualTo("posted Dr 30 Cr 0");
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 0 Cr 16");
            assertThat(balances(ledger, "platform_fees", "")).isEqualTo("posted Dr 0 Cr 4");
        }
    }

    @Test
    void postingAPlanAgainPostsNothingAndAnswersTheSameIds(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan plan = PostingPlanner.plan(Events.sale("s1", 1999, REFERRER, position(ledger, REFERRER)));
            ledger.poster.post(ledger.tenantNumber, plan);
            PostingPlan stored = PostingPlan.fromJson(plan.toJson());

            PostOutcome again = ledger.poster.post(ledger.tenantNumber, stored);

            assertThat(again).isEqualTo(new PostOutcome.Posted(plan.transferIds(), true));
            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 1999 Cr 230");
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 0 Cr 1599, pending Dr 160 Cr 0");
            assertThat(transferCount(ledger)).isEqualTo((long) plan.transfers().size());
        }
    }

    @Test
    void aPartialRefundTakesBackItsShareAndTheRefundFee(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan sale = post(ledger, Events.sale("s1", 1999, REFERRER, position(ledger, REFERRER)));
            post(ledger, Events.reversal("f1", PaymentKind.REFUND, 999, new Parent(1999, SHARES, sale), REFERRER,
                position(ledger, REFERRER)));

            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 1999 Cr " + (230 + 999 + 15));
            assertThat(balances(ledger, "processor_fees", M)).isEqualTo("posted Dr 245 Cr 0");
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 799 Cr 1599, pending Dr 160 Cr 0");
            assertThat(balances(ledger, "platform_fees", "")).isEqualTo("posted Dr 200 Cr 400");
            assertThat(balances(ledger, "referral_expense", "")).isEqualTo("posted Dr 100 Cr 50");
            assertThat(balances(ledger, "referral_payable", REFERRER)).isEqualTo("posted Dr 50 Cr 100");
            assertThat(ledger.net(PR, "verotel", M) + ledger.net("processor_fees", "verotel", M)).isEqualTo(1999 - 999);
        }
    }

    @Test
    void aChargebackTakesItsFeeAndReleasesTheHoldAndItsReversalGivesBackOnlyTheSplit(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan sale = post(ledger, Events.sale("s1", 1999, REFERRER, position(ledger, REFERRER)));
            Parent parent = new Parent(1999, SHARES, sale);
            post(ledger, Events.reversal("cb", PaymentKind.CHARGEBACK, 1999, parent, REFERRER, position(ledger, REFERRER)));

            assertThat(holdStatus(ledger, sale)).isEqualTo(PendingStatus.VOIDED);
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 1599 Cr 1599");
            assertThat(balances(ledger, "creator_reserve", CREATOR)).isEqualTo("posted Dr 0 Cr 0");
            assertThat(balances(ledger, "chargeback_expense", M)).isEqualTo("posted Dr 2500 Cr 0");
            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 1999 Cr " + (230 + 1999 + 2500));
            assertThat(balances(ledger, "platform_fees", "")).isEqualTo("posted Dr 400 Cr 400");
            assertThat(balances(ledger, "referral_payable", REFERRER)).isEqualTo("posted Dr 100 Cr 100");

            post(ledger, Events.reversal("cbr", PaymentKind.CHARGEBACK_REVERSAL, 1999, parent, REFERRER,
                position(ledger, REFERRER)));

            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 1599 Cr 3198");
            assertThat(balances(ledger, "chargeback_expense", M)).isEqualTo("posted Dr 2500 Cr 0");
            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 3998 Cr " + (230 + 1999 + 2500));
            assertThat(balances(ledger, "platform_fees", "")).isEqualTo("posted Dr 400 Cr 800");
            assertThat(balances(ledger, "referral_payable", REFERRER)).isEqualTo("posted Dr 100 Cr 200");
        }
    }

    @Test
    void aVoidUndoesEveryLegOfItsSaleAndVoidsItsHold(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan sale = post(ledger, Events.sale("s1", 1999, REFERRER, position(ledger, REFERRER)));
            PostingPlan voided = post(ledger, Events.reversal("v1", PaymentKind.VOID, 1999,
                new Parent(1999, SHARES, sale), REFERRER, position(ledger, REFERRER)));

            assertThat(holdStatus(ledger, sale)).isEqualTo(PendingStatus.VOIDED);
            assertThat(voided.transfers()).hasSize(5);
            for (PlannedAccount account : sale.accounts()) {
                Account after = ledger.engine.lookupAccount(Uuid5.toUint128(account.id())).orElseThrow();
                assertThat(after.debitsPosted()).as(account.role().wireName()).isEqualTo(after.creditsPosted());
                assertThat(after.debitsPending()).isZero();
                assertThat(after.creditsPending()).isZero();
            }
            assertThat(balances(ledger, PR, M)).isEqualTo("posted Dr 2229 Cr 2229");
        }
    }

    @Test
    void aShortfallVoidsHoldsNewestFirstThenChargesTheCreatorWhoseNextSaleRepays(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            Shares shares = new Shares(2000, 0, 1000, 7);
            PostingPlan sale1 = post(ledger, Events.sale("s1", PaymentKind.SALE, 1000, shares, Fees.NONE, null,
                position(ledger, null)));
            PostingPlan sale2 = post(ledger, Events.sale("s2", PaymentKind.SALE, 2000, shares, Fees.NONE, null,
                position(ledger, null)));
            payOut(ledger, 2100);
            assertThat(position(ledger, null).payableAvailable()).isEqualTo(60);

            post(ledger, Events.reversal("f2", PaymentKind.REFUND, 250, new Parent(2000, shares, sale2), null,
                position(ledger, null)));

            assertThat(holdStatus(ledger, sale2)).isEqualTo(PendingStatus.VOIDED);
            assertThat(holdStatus(ledger, sale1)).isEqualTo(PendingStatus.PENDING);
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 2300 Cr 2400, pending Dr 80 Cr 0");

            post(ledger, Events.reversal("cb1", PaymentKind.CHARGEBACK, 1000, new Parent(1000, shares, sale1), null,
                position(ledger, null)));

            assertThat(holdStatus(ledger, sale1)).isEqualTo(PendingStatus.VOIDED);
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 2400 Cr 2400");
            assertThat(balances(ledger, "creator_receivable", CREATOR)).isEqualTo("posted Dr 700 Cr 0");
            assertThat(position(ledger, null)).isEqualTo(new CreatorPosition(0, 700, 0, List.of()));

            PostingPlan sale3 = post(ledger, Events.sale("s3", PaymentKind.SALE, 1000, shares, Fees.NONE, null,
                position(ledger, null)));

            assertThat(balances(ledger, "creator_receivable", CREATOR)).isEqualTo("posted Dr 700 Cr 700");
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 2400 Cr 2500, pending Dr 80 Cr 0");
            assertThat(position(ledger, null)).isEqualTo(new CreatorPosition(20, 0, 0,
                List.of(new Hold(sale3.leg("reserve").orElseThrow().id(), 80))));
        }
    }

    @Test
    void aPlanOvertakenByAnotherPostingIsRefusedAndItsNextVersionPosts(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            Shares shares = new Shares(2000, 0, 0, 0);
            PostingPlan sale = post(ledger, Events.sale("s1", PaymentKind.SALE, 1000, shares, Fees.NONE, null,
                position(ledger, null)));
            EventIdentity identity = EventIdentity.first(MERCHANT, "f1");
            PostingPlan stale = PostingPlanner.plan(Events.reversal(identity, PaymentKind.REFUND, 1000,
                new Parent(1000, shares, sale), null, position(ledger, null)));
            payOut(ledger, 500);

            PostOutcome refused = ledger.poster.post(ledger.tenantNumber, stale);

            assertThat(refused).isInstanceOfSatisfying(PostOutcome.Refused.class, r -> {
                assertThat(r.replannable()).isTrue();
                assertThat(r.legs()).extracting(PostOutcome.LegStatus::status).containsExactly(
                    CreateTransferStatus.EXCEEDS_CREDITS, CreateTransferStatus.LINKED_EVENT_FAILED,
                    CreateTransferStatus.LINKED_EVENT_FAILED);
            });
            assertThat(ledger.poster.post(ledger.tenantNumber, stale)).isInstanceOfSatisfying(PostOutcome.Refused.class,
                r -> assertThat(r.legs().get(0).status()).isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED));

            PostingPlan fresh = PostingPlanner.plan(Events.reversal(identity.nextVersion(), PaymentKind.REFUND, 1000,
                new Parent(1000, shares, sale), null, position(ledger, null)));
            assertThat(ledger.poster.post(ledger.tenantNumber, fresh)).isInstanceOf(PostOutcome.Posted.class);
            assertThat(balances(ledger, "creator_payable", CREATOR)).isEqualTo("posted Dr 800 Cr 800");
            assertThat(balances(ledger, "creator_receivable", CREATOR)).isEqualTo("posted Dr 500 Cr 0");
        }
    }

    @Test
    void anAccountMadeWithOtherFlagsRefusesThePlan(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PlannedAccount payable = PaymentAccounts.account(LedgerFixture.TENANT, LedgerFixture.USD,
                PaymentRole.CREATOR_PAYABLE, null, CREATOR);
            PlannedAccount unguarded = new PlannedAccount(payable.id(), payable.ledger(), payable.code(), 0,
                payable.role(), payable.party());
            assertThat(ledger.port.createAccounts(ledger.tenantNumber, List.of(unguarded)))
                .containsExactly(CreateAccountStatus.CREATED);

            PostOutcome outcome = ledger.poster.post(ledger.tenantNumber,
                PostingPlanner.plan(Events.sale("s1", 1999, null, CreatorPosition.EMPTY)));

            assertThat(outcome).isEqualTo(new PostOutcome.Refused(List.of(new PostOutcome.AccountRefusal(payable.id(),
                PaymentRole.CREATOR_PAYABLE, CREATOR, CreateAccountStatus.EXISTS_WITH_DIFFERENT_FLAGS)), List.of()));
            assertThat(transferCount(ledger)).isZero();
        }
    }

    @Test
    void anotherTenantsAccountsAreNotTouched(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan plan = post(ledger, Events.sale("s1", 1999, null, CreatorPosition.EMPTY));
            int other = LedgerEngine.join(ledger.engine.submitTenant(TenantSettings.register("boyfanz"))).number();

            assertThatThrownBy(() -> ledger.poster.post(other, plan))
                .isInstanceOfSatisfying(LedgerCommandRefusedException.class,
                    e -> assertThat(e.outcome()).isEqualTo(CommandOutcome.TENANT_FORBIDDEN));
        }
    }

    @Test
    void holdsAboutToExpireOrExpiredAreNotOpen(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            PostingPlan sale = post(ledger, Events.sale("s1", 1999, null, CreatorPosition.EMPTY));
            assertThat(position(ledger, null).openHolds()).hasSize(1);

            ledger.advanceSeconds(7 * 86_400 - 60);
            assertThat(position(ledger, null)).isEqualTo(new CreatorPosition(1439, 0, 0, List.of()));

            ledger.advanceSeconds(120);
            assertThat(holdStatus(ledger, sale)).isEqualTo(PendingStatus.EXPIRED);
            assertThat(position(ledger, null)).isEqualTo(new CreatorPosition(1599, 0, 0, List.of()));
        }
    }

    @Test
    void randomEventsAlwaysPostAndKeepCreatorsWhole(@TempDir Path data) {
        try (LedgerFixture ledger = new LedgerFixture(data)) {
            Random random = new Random(7);
            List<PostingPlan> sales = new ArrayList<>();
            List<Long> grosses = new ArrayList<>();
            List<Long> reversed = new ArrayList<>();
            long creatorEarned = 0;
            for (int i = 0; i < 150; i++) {
                int choice = sales.isEmpty() ? 0 : random.nextInt(4);
                String referrer = REFERRER;
                if (choice == 0 || choice == 1) {
                    long gross = 1 + random.nextInt(50_000);
                    PostingPlan sale = post(ledger, Events.sale("s" + i, PaymentKind.SALE, gross, SHARES, Events.FEES,
                        referrer, position(ledger, referrer)));
                    sales.add(sale);
                    grosses.add(gross);
                    reversed.add(0L);
                    creatorEarned += gross - SHARES.platform(gross);
                } else if (choice == 2) {
                    payOut(ledger, random.nextLong(position(ledger, referrer).payableAvailable() + 1));
                } else {
                    int pick = random.nextInt(sales.size());
                    long left = grosses.get(pick) - reversed.get(pick);
                    if (left == 0) {
                        continue;
                    }
                    long amount = 1 + random.nextLong(left);
                    PaymentKind kind = random.nextBoolean() ? PaymentKind.REFUND : PaymentKind.CHARGEBACK;
                    post(ledger, Events.reversal("r" + i, kind, amount, new Parent(grosses.get(pick), SHARES,
                        sales.get(pick)), referrer, position(ledger, referrer)));
                    reversed.set(pick, reversed.get(pick) + amount);
                    creatorEarned -= amount - SHARES.platform(amount);
                }
            }
            long payable = -ledger.net("creator_payable", null, CREATOR);
            long owed = ledger.net("creator_receivable", null, CREATOR);
            long paidOut = -ledger.net("bank", null, "payouts");
            assertThat(payable - owed + paidOut).isEqualTo(creatorEarned);
            assertThat(ledger.net("platform_fees", null, "")).isNotPositive();
        }
    }

    private static PostingPlan post(LedgerFixture ledger, PostingRequest request) {
        PostingPlan plan = PostingPlanner.plan(request);
        assertThat(ledger.poster.post(ledger.tenantNumber, plan)).isEqualTo(new PostOutcome.Posted(plan.transferIds(),
            false));
        return plan;
    }

    private static CreatorPosition position(LedgerFixture ledger, String referrer) {
        return ledger.reader.read(LedgerFixture.TENANT, LedgerFixture.USD, CREATOR, referrer);
    }

    /** A payout standing in for the payouts component: creator_payable → bank, code 201. */
    private static void payOut(LedgerFixture ledger, long amount) {
        if (amount == 0) {
            return;
        }
        PlannedAccount payable = PaymentAccounts.account(LedgerFixture.TENANT, LedgerFixture.USD,
            PaymentRole.CREATOR_PAYABLE, null, CREATOR);
        PlannedAccount bank = PaymentAccounts.account(LedgerFixture.TENANT, LedgerFixture.USD, PaymentRole.BANK, null,
            "payouts");
        ledger.port.createAccounts(ledger.tenantNumber, List.of(bank));
        UUID id = UUID.randomUUID();
        assertThat(ledger.port.createTransfers(List.of(Transfer.of(Uuid5.toUint128(id), Uuid5.toUint128(payable.id()),
            Uuid5.toUint128(bank.id()), amount, LedgerFixture.USD, 201)))).containsExactly(CreateTransferStatus.CREATED);
    }

    private static long transferCount(LedgerFixture ledger) {
        return ledger.engine.read(machine -> machine.transferCount());
    }

    private static PendingStatus holdStatus(LedgerFixture ledger, PostingPlan sale) {
        UUID hold = sale.leg("reserve").orElseThrow().id();
        return ledger.engine.read(machine -> machine.lookupTransfer(Uuid5.toUint128(hold))).pendingStatus();
    }

    private static String balances(LedgerFixture ledger, String role, String party) {
        Account account = ledger.account(role, "verotel", party);
        String posted = "posted Dr " + account.debitsPosted() + " Cr " + account.creditsPosted();
        return account.debitsPending() == 0 && account.creditsPending() == 0 ? posted
            : posted + ", pending Dr " + account.debitsPending() + " Cr " + account.creditsPending();
    }
}
