package com.fanzfinance.payouts.paxum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailPayout;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailState;
import com.fanzfinance.payouts.rail.RailStatus;
import com.fanzfinance.payouts.rail.RailStep;
import com.fanzfinance.payouts.sim.MutableClock;
import com.fanzfinance.payouts.sim.PaxumSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PaxumRail against the local Paxum simulator over real HTTP. Every {@link #advance} builds a NEW driver from the last
 * SAVED state values, so each test also proves the payout survives a restart at each of its phases.
 */
class PaxumRailTest {
    private static final String SHARED = "legacy-shared-S3CR3T-value";
    private static final String API_KEY = "v2-api-KEY-0123456789";
    private static final String API_SECRET = "v2-api-SECRET-9876543210";
    private static final String PAYEE = "payee@example.com";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<RailRequest> requests = new ArrayList<>();
    private final List<Map<String, String>> saves = new ArrayList<>();
    private final List<RailStep> steps = new ArrayList<>();
    /** Ordinary calls: a deadline no busy build machine reaches (400 ms once made a call on a loaded VM time out). */
    private final JdkRailHttp jdk = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofSeconds(10), 1 << 20);
    /** For a call the simulator will hold: a deadline shorter than its hold (1.2 s). */
    private final JdkRailHttp impatient = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofMillis(400), 1 << 20);
    private PaxumSimulator sim;
    private Map<String, String> saved = Map.of();
    private RailHttp http;
    private Map<String, String> settings;
    private int transferCallsAtFirstSave = -1;

    @BeforeEach
    void start() {
        sim = new PaxumSimulator(clock, "api@brand.example", SHARED, "590900", API_KEY, API_SECRET)
            .fund("USD", 100_00).payee(PAYEE);
        sim.holdAnswersFor(Duration.ofMillis(1200));
        http = request -> {
            requests.add(request);
            boolean held = sim.holdsNext(request.method(), request.url(), request.headers(), request.body());
            return (held ? impatient : jdk).send(request);
        };
        settings = new HashMap<>(Map.of("from_email", "api@brand.example", "account_id", "590900",
            "api", sim.baseUrl(), "api_v2", sim.baseUrl()));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private RailAccount account() {
        return new RailAccount(UUID.fromString("00000000-0000-0000-0000-0000000000aa"), "paxum", settings,
            Map.of("shared_secret", SHARED, "api_key", API_KEY, "api_secret", API_SECRET));
    }

    private static RailPayout payout(long cents, String email) {
        return new RailPayout(UUID.fromString("3f1c2a9e-8b7d-4c6e-9a5f-0123456789ab"), "brand", cents, "USD", 2,
            Map.of("email", email), "Pat Payee", email, Map.of());
    }

    private RailStep advance(RailPayout payout) {
        RailState state = new RailState(saved, values -> {
            if (transferCallsAtFirstSave < 0) {
                transferCallsAtFirstSave = sim.calls("transferFunds");
            }
            saved = values;
            saves.add(values);
        });
        RailStep step = new PaxumRail(account(), http, clock).advance(payout, state);
        steps.add(step);
        return step;
    }

    @Test
    void happyPathSettlesWithPaxumsTransactionIdAndSavesBeforeSending() throws RailCallException {
        RailPayout payout = payout(25_00, PAYEE);
        RailStep step = advance(payout);

        assertThat(step.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.transactions()).singleElement().satisfies(t -> {
            assertThat(step.reference()).isEqualTo(t.id());
            assertThat(t.amount()).isEqualTo("25.00");
            assertThat(t.reference()).isEqualTo(payout.compactId());
        });
        assertThat(transferCallsAtFirstSave).isZero();
        assertThat(saves.get(0)).containsEntry("phase", "sent").containsEntry("attempt", "1")
            .containsEntry("reference", payout.compactId());
        assertThat(sim.balance("USD")).isEqualTo(75_00);

        RailStep again = advance(payout);
        assertThat(again.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(again.reference()).isEqualTo(step.reference());
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        assertThat(new PaxumRail(account(), http, clock).balance("USD"))
            .contains(new PaxumBalance("590900", "USD", 75_00));
        assertThat(new PaxumRail(account(), http, clock).balance("EUR")).isEmpty();
        assertThat(sim.rejectedSignatures()).isZero();
    }

    @Test
    void aTimeoutThePaxumSideProcessedIsFoundInTheHistoryAndNotSentAgain() {
        sim.timeoutNext("transferFunds", true);
        RailPayout payout = payout(25_00, PAYEE);

        RailStep first = advance(payout);
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);

        RailStep second = advance(payout);
        assertThat(second.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(second.reference()).isEqualTo(sim.transactions().get(0).id());
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        assertThat(sim.calls("transactions")).isEqualTo(1);
        assertThat(sim.rejectedSignatures()).isZero();
    }

    @Test
    void aTimeoutThePaxumSideDroppedIsSentAgainOnlyAfterRetryAfterAndTwoEmptyLooks() {
        resendWhenHistoryEmpty();
        sim.timeoutNext("transferFunds", false);
        RailPayout payout = payout(25_00, PAYEE);

        RailStep first = advance(payout);
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(first.checkAgainIn()).isEqualTo(Duration.ofSeconds(600));

        RailStep look1 = advance(payout);
        assertThat(look1.status()).isEqualTo(RailStatus.UNKNOWN);
        clock.advance(Duration.ofMinutes(5));
        RailStep look2 = advance(payout);
        assertThat(look2.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(look2.checkAgainIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(sim.calls("transferFunds")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5));
        RailStep resent = advance(payout);
        assertThat(resent.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(saved).containsEntry("attempt", "2");
        assertThat(sim.calls("transferFunds")).isEqualTo(2);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void theFirstLookAfterTheWindowStillWaitsForASecondLook() {
        resendWhenHistoryEmpty();
        sim.timeoutNext("transferFunds", false);
        RailPayout payout = payout(25_00, PAYEE);
        advance(payout);
        clock.advance(Duration.ofMinutes(11));
        RailStep look1 = advance(payout);
        assertThat(look1.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        clock.advance(look1.checkAgainIn());
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void aSystemErrorAnswerIsReconciledNotFailed() {
        resendWhenHistoryEmpty();
        sim.failNext("transferFunds", 1, "13");
        RailPayout payout = payout(25_00, PAYEE);
        RailStep first = advance(payout);
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(first.reason()).contains("13");
        advance(payout);
        clock.advance(Duration.ofMinutes(10));
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void anUnreadableHistoryKeepsThePayoutUnknownAndSendsNothing() {
        sim.timeoutNext("transferFunds", true);
        sim.failNext("transactions", 2, "503");
        RailPayout payout = payout(25_00, PAYEE);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        clock.advance(Duration.ofHours(1));
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void refusalsFailWithPaxumsCodeAndMoveNoMoney() {
        assertThat(advance(payout(200_00, PAYEE))).satisfies(step -> {
            assertThat(step.status()).isEqualTo(RailStatus.FAILED);
            assertThat(step.code()).isEqualTo("51");
        });
        saved = Map.of();
        assertThat(advance(payout(10_00, "stranger@example.com")).code()).isEqualTo("IP");
        saved = Map.of();
        sim.failNext("transferFunds", 1, "54");
        RailStep limit = advance(payout(10_00, PAYEE));
        assertThat(limit.status()).isEqualTo(RailStatus.FAILED);
        assertThat(limit.code()).isEqualTo("54");
        assertThat(limit.reason()).contains("TRANSACTION_AMOUNT_LIMIT_EXCEEDED_MONTHLY");
        int calls = sim.calls("transferFunds");
        assertThat(advance(payout(10_00, PAYEE)).status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.calls("transferFunds")).isEqualTo(calls);
        assertThat(sim.transactions()).isEmpty();
        assertThat(sim.balance("USD")).isEqualTo(100_00);
    }

    @Test
    void aWrongSharedSecretIsRefusedAsUnauthorized() {
        RailAccount wrong = new RailAccount(UUID.randomUUID(), "paxum", settings,
            Map.of("shared_secret", "not-the-secret", "api_key", API_KEY, "api_secret", API_SECRET));
        RailStep step = new PaxumRail(wrong, http, clock).advance(payout(10_00, PAYEE), RailState.inMemory());
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("90");
        assertThat(sim.rejectedSignatures()).isEqualTo(1);
        assertThat(sim.transactions()).isEmpty();
    }

    @Test
    void aRequestThatSurelyDidNotArriveIsSentLaterWithoutALookup() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        settings.put("api", "http://127.0.0.1:" + closedPort);
        RailPayout payout = payout(25_00, PAYEE);
        RailStep refused = advance(payout);
        assertThat(refused.status()).isEqualTo(RailStatus.PREPARING);
        assertThat(saved).containsEntry("phase", "new");

        settings.put("api", sim.baseUrl());
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.calls("transactions")).isZero();
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void aCrashBetweenSavingAndSendingIsReconciledBeforeSendingAgain() {
        resendWhenHistoryEmpty();
        RailHttp crashing = request -> {
            throw new IllegalStateException("the process died here");
        };
        RailPayout payout = payout(25_00, PAYEE);
        assertThatThrownBy(() -> new PaxumRail(account(), crashing, clock)
            .advance(payout, new RailState(saved, values -> saved = values))).isInstanceOf(IllegalStateException.class);
        assertThat(saved).containsEntry("phase", "sent");

        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.calls("transferFunds")).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.transfersWithReference(payout.compactId())).isEqualTo(1);
    }

    @Test
    void secretsAppearInNoStateStepRequestTextOrErrorMessage() {
        resendWhenHistoryEmpty();
        RailPayout payout = payout(25_00, PAYEE);
        sim.timeoutNext("transferFunds", false);
        advance(payout);
        advance(payout);
        clock.advance(Duration.ofMinutes(10));
        advance(payout);
        saved = Map.of();
        advance(payout(500_00, PAYEE));

        List<String> shown = new ArrayList<>();
        saves.forEach(values -> shown.add(values.toString()));
        steps.forEach(step -> shown.add(step.toString()));
        requests.forEach(request -> shown.add(request.toString()));
        settings.remove("from_email");
        shown.add(catchMessage(() -> new PaxumRail(account(), http, clock)));
        shown.add(account().toString());
        assertThat(requests).isNotEmpty();
        assertThat(String.join("\n", shown)).doesNotContain(SHARED, API_KEY, API_SECRET);
        List<String> signatures = requests.stream().filter(r -> r.url().contains("/v2/"))
            .map(r -> r.headers().get("X-Signature")).toList();
        assertThat(signatures).isNotEmpty().doesNotContainNull();
        signatures.forEach(signature -> assertThat(String.join("\n", shown)).doesNotContain(signature));
    }

    @Test
    void missingSettingsAndSecretsAreNamed() {
        settings.remove("account_id");
        assertThatThrownBy(() -> new PaxumRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("'account_id'");
        settings.put("account_id", "590900");
        RailAccount noSecret = new RailAccount(UUID.randomUUID(), "paxum", settings,
            Map.of("shared_secret", SHARED, "api_key", API_KEY));
        assertThatThrownBy(() -> new PaxumRail(noSecret, http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("'api_secret'");
        settings.put("retry_after_seconds", "soon");
        assertThatThrownBy(() -> new PaxumRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("retry_after_seconds");
        settings.put("retry_after_seconds", "299");
        assertThatThrownBy(() -> new PaxumRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("retry_after_seconds")
            .hasMessageContaining("300");
        settings.put("retry_after_seconds", "300");
        settings.put("resend_when_history_empty", "yes");
        assertThatThrownBy(() -> new PaxumRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("resend_when_history_empty");
        settings.put("resend_when_history_empty", "true");
        assertThat(new PaxumRail(account(), http, clock).name()).isEqualTo("paxum");
    }

    @Test
    void byDefaultATransferMissingFromTheHistoryIsNeverSentAgainButSettlesWhenItAppears() {
        sim.timeoutNext("transferFunds", false);
        RailPayout payout = payout(25_00, PAYEE);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        for (int look = 0; look < 4; look++) {
            clock.advance(Duration.ofHours(1));
            RailStep step = advance(payout);
            assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(step.checkAgainIn()).isEqualTo(Duration.ofHours(1));
            assertThat(step.reason()).contains("look for reference " + payout.compactId() + " in Paxum")
                .contains("POST /v1/payouts/" + payout.id() + "/events");
        }
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        assertThat(sim.calls("transactions")).isEqualTo(4);
        assertThat(sim.transactions()).isEmpty();

        // Paxum's history shows it late (the first attempt was booked after all): the payout settles, still once
        String id = sim.record(payout.compactId(), "25.00", "USD", "completed");
        RailStep settled = advance(payout);
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(id);
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
    }

    @Test
    void aResendNeedsAHistoryPageThatReachesBackBeforeTheAttempt() {
        resendWhenHistoryEmpty();
        sim.ignoreReferenceFilter();
        sim.timeoutNext("transferFunds", false);
        RailPayout payout = payout(25_00, PAYEE);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            sim.record("other" + i, "1.00", "USD", "completed");
        }
        for (int look = 0; look < 3; look++) {
            clock.advance(Duration.ofMinutes(10));
            RailStep step = advance(payout);
            assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(step.reason()).contains("does not reach back");
        }
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
        assertThat(sim.transfersWithReference(payout.compactId())).isZero();
    }

    @Test
    void theHistoryIsMatchedOnTheNoteAsWellAsTheReference() {
        sim.listWithoutReference();
        sim.timeoutNext("transferFunds", true);
        RailPayout payout = payout(25_00, PAYEE);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(step.reference()).isEqualTo(sim.transactions().get(0).id());
        assertThat(sim.calls("transferFunds")).isEqualTo(1);
    }

    @Test
    void aDefinitiveRefusalOfASecondAttemptIsReconciledNeverFailed() {
        resendWhenHistoryEmpty();
        sim.timeoutNext("transferFunds", false);
        RailPayout payout = payout(25_00, PAYEE);
        advance(payout);
        advance(payout);
        clock.advance(Duration.ofMinutes(10));
        sim.failNext("transferFunds", 1, "51");
        RailStep refused = advance(payout);
        assertThat(refused.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(refused.reason()).contains("51");
        assertThat(saved).containsEntry("phase", "sent").containsEntry("attempt", "2").containsEntry("last_code", "51");
        for (int look = 0; look < 3; look++) {
            clock.advance(Duration.ofHours(1));
            RailStep step = advance(payout);
            assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(step.reason()).contains("refused with 51").contains("/v1/payouts/" + payout.id() + "/events");
        }
        assertThat(sim.calls("transferFunds")).isEqualTo(2);
    }

    @Test
    void anAttemptThatSurelyNeverArrivedDoesNotCountSoTheNextRefusalFails() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        settings.put("api", "http://127.0.0.1:" + closedPort);
        RailPayout payout = payout(25_00, PAYEE);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.PREPARING);
        settings.put("api", sim.baseUrl());
        sim.failNext("transferFunds", 1, "51");
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("51");
    }

    @Test
    void aCurrencyConversionErrorIsReconciledNotFailed() {
        sim.failNext("transferFunds", 1, "P5");
        RailStep step = advance(payout(25_00, PAYEE));
        assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(saved).containsEntry("phase", "sent").containsEntry("last_code", "P5");
    }

    /** A payout whose transfer was sent and is now looked up, with these entries in Paxum's history. */
    private RailStep reconcileAgainst(String payoutId, String... amountCurrencyStatus) {
        RailPayout payout = new RailPayout(UUID.fromString(payoutId), "brand", 25_00, "USD", 2,
            Map.of("email", PAYEE), "Pat Payee", PAYEE, Map.of());
        for (String entry : amountCurrencyStatus) {
            String[] parts = entry.split(" ");
            sim.record(payout.compactId(), parts[0], parts[1], parts[2]);
        }
        saved = Map.of("phase", "sent", "reference", payout.compactId(), "attempt", "1", "sent_at",
            clock.instant().toString());
        return advance(payout);
    }

    @Test
    void severalHistoryEntriesForOneReferenceAreRankedAndAmbiguityGoesToAPerson() {
        RailStep pendingAfterFailed = reconcileAgainst("10000000-0000-4000-8000-000000000001",
            "25.00 USD failed", "25.00 USD pending");
        assertThat(pendingAfterFailed.status()).isEqualTo(RailStatus.SUBMITTED);

        RailStep failedAfterPending = reconcileAgainst("10000000-0000-4000-8000-000000000002",
            "25.00 USD pending", "25.00 USD failed");
        assertThat(failedAfterPending.status()).isEqualTo(RailStatus.SUBMITTED);

        RailStep allFailed = reconcileAgainst("10000000-0000-4000-8000-000000000003",
            "25.00 USD failed", "25.00 USD declined");
        assertThat(allFailed.status()).isEqualTo(RailStatus.FAILED);

        RailStep twoCompleted = reconcileAgainst("10000000-0000-4000-8000-000000000004",
            "25.00 USD completed", "25.00 USD completed");
        assertThat(twoCompleted.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(twoCompleted.reason()).contains("a person must look");

        RailStep refundedAndFailed = reconcileAgainst("10000000-0000-4000-8000-000000000005",
            "25.00 USD refunded", "25.00 USD failed");
        assertThat(refundedAndFailed.status()).isEqualTo(RailStatus.RETURNED);

        RailStep wrongAmountOnAFailedOne = reconcileAgainst("10000000-0000-4000-8000-000000000006",
            "25.00 USD completed", "99.00 USD failed");
        assertThat(wrongAmountOnAFailedOne.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(wrongAmountOnAFailedOne.reason()).contains("99.00").contains("a person must look");

        RailStep completedAndPending = reconcileAgainst("10000000-0000-4000-8000-000000000007",
            "25.00 USD pending", "25.00 USD completed");
        assertThat(completedAndPending.status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.calls("transferFunds")).isZero();
    }

    private void resendWhenHistoryEmpty() {
        settings.put("resend_when_history_empty", "true");
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
            return "";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
