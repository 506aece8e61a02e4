package com.fanzfinance.payouts.wise;

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
import com.fanzfinance.payouts.sim.WiseSimulator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WiseRail against the local Wise simulator over real HTTP. Every {@link #advance} builds a NEW driver from the last
 * SAVED state values (a restart at each phase).
 */
class WiseRailTest {
    private static final String TOKEN = "wise-api-TOKEN-abcdef0123456789";
    private static final Map<String, String> IBAN_PAYEE = Map.of("type", "iban", "account_holder_name", "Pat Payee",
        "legal_type", "PRIVATE", "details.IBAN", "DE89370400440532013000");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<RailRequest> requests = new ArrayList<>();
    private final List<Map<String, String>> saves = new ArrayList<>();
    private final List<RailStep> steps = new ArrayList<>();
    /** Ordinary calls: a deadline no busy build machine reaches (400 ms once made a call on a loaded VM time out). */
    private final JdkRailHttp jdk = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofSeconds(10), 1 << 20);
    /** For a call the simulator will hold: a deadline shorter than its hold (1.2 s). */
    private final JdkRailHttp impatient = new JdkRailHttp(Duration.ofSeconds(2), Duration.ofMillis(400), 1 << 20);
    private final Map<UUID, Map<String, String>> savedByPayout = new HashMap<>();
    private WiseSimulator sim;
    private RailHttp http;
    private Map<String, String> settings;

    @BeforeEach
    void start() {
        sim = new WiseSimulator(clock, TOKEN, "16055450").fund("EUR", 100_00);
        sim.holdAnswersFor(Duration.ofMillis(1200));
        http = request -> {
            requests.add(request);
            boolean held = sim.holdsNext(request.method(), request.url(), request.headers(), request.body());
            return (held ? impatient : jdk).send(request);
        };
        settings = new HashMap<>(Map.of("profile_id", "16055450", "api_base_url", sim.baseUrl(),
            "webhook_public_key_pem", sim.webhookPublicKeyPem()));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private RailAccount account() {
        return new RailAccount(UUID.fromString("00000000-0000-0000-0000-0000000000bb"), "wise", settings,
            Map.of("api_token", TOKEN));
    }

    private static RailPayout payout(String id, long cents, Map<String, String> destination, Map<String, String> memo) {
        return new RailPayout(UUID.fromString(id), "brand", cents, "EUR", 2, destination, "Pat Payee",
            "pat@example.com", memo);
    }

    private static RailPayout payout(long cents) {
        return payout("7d4e1f0a-2b3c-4d5e-8f90-123456789abc", cents, IBAN_PAYEE, Map.of());
    }

    private Map<String, String> saved(RailPayout payout) {
        return savedByPayout.getOrDefault(payout.id(), Map.of());
    }

    private RailStep advance(RailPayout payout) {
        RailState state = new RailState(saved(payout), values -> {
            savedByPayout.put(payout.id(), values);
            saves.add(values);
        });
        RailStep step = new WiseRail(account(), http, clock).advance(payout, state);
        steps.add(step);
        return step;
    }

    private String ctid(RailPayout payout) {
        return WiseRail.customerTransactionId(payout.id()).toString();
    }

    @Test
    void happyPathFundsOnceAndSettlesWhenWiseSendsTheMoney() {
        RailPayout payout = payout(25_00);
        RailStep submitted = advance(payout);
        assertThat(submitted.status()).isEqualTo(RailStatus.SUBMITTED);
        String transferId = submitted.reference();
        assertThat(sim.transfer(transferId).get("customerTransactionId").asText()).isEqualTo(ctid(payout));
        assertThat(sim.transfer(transferId).get("reference").asText()).isEqualTo(payout.compactId().substring(0, 10));
        assertThat(sim.balance("EUR")).isEqualTo(75_00);
        assertThat(saved(payout)).containsKey("payee.recipient_id").containsEntry("phase", "funded");
        // the customerTransactionId was saved before the transfer request
        assertThat(saves).filteredOn(values -> "transfer_sent".equals(values.get("phase"))).first()
            .satisfies(values -> assertThat(values).containsEntry("customer_transaction_id", ctid(payout))
                .doesNotContainKey("transfer_id"));

        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        sim.moveTransfer(transferId, "outgoing_payment_sent");
        RailStep settled = advance(payout);
        assertThat(settled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(settled.reference()).isEqualTo(transferId);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
        assertThat(sim.fundings(transferId)).isEqualTo(1);
        assertThat(WiseRail.customerTransactionId(payout.id())).isEqualTo(WiseRail.customerTransactionId(payout.id()));
    }

    @Test
    void theRecipientIsMadeOnceAndReusedForTheNextPayoutOfThePayee() {
        RailPayout first = payout(10_00);
        advance(first);
        String recipient = saved(first).get("payee.recipient_id");
        RailPayout second = payout("11111111-2222-4333-8444-555555555555", 5_00, IBAN_PAYEE,
            Map.of("recipient_id", recipient));
        RailStep step = advance(second);
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.recipientsCreated()).isEqualTo(1);
        assertThat(sim.transfer(step.reference()).get("targetAccount").asText()).isEqualTo(recipient);
    }

    @Test
    void nestedDetailsBecomeNestedJson() {
        Map<String, String> aba = Map.of("type", "aba", "account_holder_name", "Sam Payee", "legal_type", "PRIVATE",
            "details.abartn", "111000025", "details.accountNumber", "12345678", "details.accountType", "CHECKING",
            "details.address.city", "Austin", "details.address.country", "US");
        RailPayout payout = payout("22222222-3333-4444-8555-666666666666", 10_00, aba, Map.of());
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        String body = new String(requests.get(0).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("\"address\":{").contains("\"city\":\"Austin\"");
        // the recipient's bank details are personal data: a request's text never shows them
        assertThat(requests.get(0).secretBody()).isTrue();
        assertThat(requests.get(0).toString()).doesNotContain("12345678").doesNotContain("Austin");
    }

    @Test
    void anExpiredQuoteAfterATransferRequestThatMayHaveArrivedGoesToAPersonNeverToANewQuote() {
        sim.timeoutNext("transfers", false);
        RailPayout payout = payout(25_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        String firstQuote = saved(payout).get("quote_id");
        clock.advance(Duration.ofMinutes(31));
        for (int look = 0; look < 2; look++) {
            RailStep step = advance(payout);
            assertThat(step.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(step.checkAgainIn()).isEqualTo(Duration.ofHours(1));
            assertThat(step.reason()).contains("quote.expired").contains(ctid(payout))
                .contains("POST /v1/payouts/" + payout.id() + "/events");
            clock.advance(step.checkAgainIn());
        }
        assertThat(sim.calls("quotes")).isEqualTo(1);
        assertThat(saved(payout)).containsEntry("quote_id", firstQuote);
        assertThat(sim.transfersCreated()).isZero();
    }

    @Test
    void aQuoteThatExpiredWhileTheTransferSurelyDidNotReachWiseIsReplacedWithoutCounting() {
        RailPayout payout = payout(25_00);
        boolean[] refusedOnce = {false};
        http = request -> {
            requests.add(request);
            if (request.url().endsWith("/v1/transfers") && !refusedOnce[0]) {
                refusedOnce[0] = true;
                throw new RailCallException("connection refused", false, null);
            }
            return jdk.send(request);
        };
        assertThat(advance(payout).status()).isEqualTo(RailStatus.PREPARING);
        assertThat(saved(payout)).containsEntry("transfer_unclear", "false");
        clock.advance(Duration.ofMinutes(31));
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.calls("quotes")).isEqualTo(2);
        assertThat(saved(payout)).containsEntry("quotes", "1");
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
    }

    @Test
    void aFundingRefusalForATransferWiseFundedAnywayIsFollowedNotCancelled() {
        sim.processThenFailNext("payments", "422:payment.failed");
        RailPayout payout = payout(25_00);
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.calls("cancel")).isZero();
        assertThat(sim.fundings(step.reference())).isEqualTo(1);
        sim.moveTransfer(step.reference(), "outgoing_payment_sent");
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        assertThat(sim.balance("EUR")).isEqualTo(75_00);
    }

    @Test
    void aFundingRefusalOfAWaitingTransferReadsItThenCancelsIt() {
        sim.failNext("payments", 1, "422:payment.failed");
        RailStep step = advance(payout(25_00));
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("payment.failed");
        assertThat(sim.calls("transfer")).isEqualTo(1);
        assertThat(sim.transferStatus(step.reference())).isEqualTo("cancelled");
        assertThat(sim.balance("EUR")).isEqualTo(100_00);
    }

    @Test
    void aCancelWiseRefusesIsFollowedUntilWiseSaysCancelled() {
        sim.failNext("cancel", 1, "409:transfer.cannot-cancel");
        RailPayout payout = payout(500_00);
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(step.reason()).contains("refused to cancel");
        assertThat(sim.transferStatus(step.reference())).isEqualTo("incoming_payment_waiting");
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        sim.moveTransfer(step.reference(), "cancelled");
        RailStep failed = advance(payout);
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.calls("cancel")).isEqualTo(1);
        assertThat(sim.calls("payments")).isEqualTo(1);
    }

    @Test
    void aCancelWiseCarriedOutButAnsweredWithARefusalFails() {
        sim.processThenFailNext("cancel", "409:transfer.cannot-cancel");
        RailStep step = advance(payout(500_00));
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("balance.payment-option-unavailable");
        assertThat(sim.transferStatus(step.reference())).isEqualTo("cancelled");
    }

    @Test
    void aSettledPayoutIsPolledAgainAndReportsAReturnLater() {
        RailPayout payout = payout(25_00);
        String transferId = advance(payout).reference();
        sim.moveTransfer(transferId, "outgoing_payment_sent");
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SETTLED);
        int reads = sim.calls("transfer");
        RailStep stillSettled = advance(payout);
        assertThat(stillSettled.status()).isEqualTo(RailStatus.SETTLED);
        assertThat(stillSettled.reference()).isEqualTo(transferId);
        assertThat(sim.calls("transfer")).isEqualTo(reads + 1);

        sim.moveTransfer(transferId, "bounced_back");
        RailStep returned = advance(payout);
        assertThat(returned.status()).isEqualTo(RailStatus.RETURNED);
        assertThat(returned.code()).isEqualTo("bounced_back");
        assertThat(advance(payout).status()).isEqualTo(RailStatus.RETURNED);

        RailPayout other = payout("66666666-7777-4888-8999-aaaaaaaaaaaa", 10_00, IBAN_PAYEE, Map.of());
        String otherTransfer = advance(other).reference();
        sim.moveTransfer(otherTransfer, "outgoing_payment_sent");
        assertThat(advance(other).status()).isEqualTo(RailStatus.SETTLED);
        sim.moveTransfer(otherTransfer, "funds_refunded");
        assertThat(advance(other).code()).isEqualTo("funds_refunded");
    }

    @Test
    void aQuoteWiseRefusesIsReplacedAndTheSameCustomerTransactionIdIsUsed() {
        sim.failNext("transfers", 1, "422:quote.expired");
        RailPayout payout = payout(25_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.PREPARING);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.calls("quotes")).isEqualTo(2);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
        assertThat(sim.transfersCreated()).isEqualTo(1);
    }

    @Test
    void aTransferTimeoutWiseProcessedIsAnsweredWithTheSameTransfer() {
        sim.timeoutNext("transfers", true);
        RailPayout payout = payout(25_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.transfersCreated()).isEqualTo(1);
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.calls("transfers")).isEqualTo(2);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
        assertThat(sim.fundings(step.reference())).isEqualTo(1);
        assertThat(sim.balance("EUR")).isEqualTo(75_00);
    }

    @Test
    void aTransferTimeoutWiseDroppedMakesTheTransferOnTheNextCall() {
        sim.timeoutNext("transfers", false);
        RailPayout payout = payout(25_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.UNKNOWN);
        assertThat(sim.transfersCreated()).isZero();
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
    }

    @Test
    void aFundingTimeoutIsCheckedBeforeFundingAgainAndFundsOnce() {
        sim.timeoutNext("payments", true);
        RailPayout payout = payout(25_00);
        RailStep unclear = advance(payout);
        assertThat(unclear.status()).isEqualTo(RailStatus.UNKNOWN);
        RailStep next = advance(payout);
        assertThat(next.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.calls("payments")).isEqualTo(1);
        assertThat(sim.fundings(next.reference())).isEqualTo(1);
        assertThat(sim.balance("EUR")).isEqualTo(75_00);

        RailPayout dropped = payout("33333333-4444-4555-8666-777777777777", 10_00, IBAN_PAYEE, Map.of());
        sim.timeoutNext("payments", false);
        assertThat(advance(dropped).status()).isEqualTo(RailStatus.UNKNOWN);
        RailStep funded = advance(dropped);
        assertThat(funded.status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.fundings(funded.reference())).isEqualTo(1);
        assertThat(sim.balance("EUR")).isEqualTo(65_00);
    }

    @Test
    void aRejectedFundingCancelsTheTransferAndFails() {
        RailPayout payout = payout(500_00);
        RailStep step = advance(payout);
        assertThat(step.status()).isEqualTo(RailStatus.FAILED);
        assertThat(step.code()).isEqualTo("balance.payment-option-unavailable");
        assertThat(sim.transferStatus(step.reference())).isEqualTo("cancelled");
        assertThat(sim.calls("cancel")).isEqualTo(1);
        assertThat(sim.balance("EUR")).isEqualTo(100_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.calls("payments")).isEqualTo(1);
    }

    @Test
    void aCancelThatGetsNoAnswerIsRetriedBeforeFailing() {
        sim.failNext("cancel", 1, "503");
        RailPayout payout = payout(500_00);
        RailStep first = advance(payout);
        assertThat(first.status()).isEqualTo(RailStatus.UNKNOWN);
        RailStep second = advance(payout);
        assertThat(second.status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.transferStatus(second.reference())).isEqualTo("cancelled");
    }

    @Test
    void theTransfersStatesBecomeSettledReturnedOrFailed() {
        Map<String, RailStatus> expected = Map.of("outgoing_payment_sent", RailStatus.SETTLED,
            "bounced_back", RailStatus.RETURNED, "funds_refunded", RailStatus.RETURNED,
            "charged_back", RailStatus.RETURNED, "cancelled", RailStatus.FAILED, "funds_converted",
            RailStatus.SUBMITTED);
        int n = 0;
        for (Map.Entry<String, RailStatus> entry : expected.entrySet()) {
            RailPayout payout = payout("44444444-5555-4666-8777-00000000000" + n++, 1_00, IBAN_PAYEE, Map.of());
            String transferId = advance(payout).reference();
            sim.moveTransfer(transferId, entry.getKey());
            RailStep step = advance(payout);
            assertThat(step.status()).as(entry.getKey()).isEqualTo(entry.getValue());
            if (entry.getValue() == RailStatus.RETURNED) {
                assertThat(step.code()).isEqualTo(entry.getKey());
            }
        }
    }

    @Test
    void validationErrorsBeforeTheTransferFailAndServerErrorsWait() {
        Map<String, String> noIban = Map.of("type", "iban", "account_holder_name", "Pat Payee");
        RailPayout bad = payout("55555555-6666-4777-8888-999999999999", 10_00, noIban, Map.of());
        RailStep refused = advance(bad);
        assertThat(refused.status()).isEqualTo(RailStatus.FAILED);
        assertThat(refused.code()).isEqualTo("NOT_VALID");
        assertThat(advance(bad).status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.calls("accounts")).isEqualTo(1);

        sim.failNext("quotes", 1, "503");
        sim.failNext("transfers", 1, "429");
        RailPayout payout = payout(25_00);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.PREPARING);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.PREPARING);
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
    }

    @Test
    void aCrashAfterSavingTheTransferRequestMakesOneTransferAfterTheRestart() {
        RailPayout payout = payout(25_00);
        RailHttp crashing = request -> {
            if (request.url().endsWith("/v1/transfers")) {
                throw new IllegalStateException("the process died here");
            }
            return jdk.send(request);
        };
        assertThatThrownBy(() -> new WiseRail(account(), crashing, clock).advance(payout,
            new RailState(saved(payout), values -> savedByPayout.put(payout.id(), values))))
            .isInstanceOf(IllegalStateException.class);
        assertThat(saved(payout)).containsEntry("phase", "transfer_sent");
        assertThat(advance(payout).status()).isEqualTo(RailStatus.SUBMITTED);
        assertThat(sim.transfersCreatedFor(ctid(payout))).isEqualTo(1);
        assertThat(sim.recipientsCreated()).isEqualTo(1);
    }

    @Test
    void signedWebhooksVerifyWithTheConfiguredKeyAndADuplicateDeliveryKeepsItsId() throws IOException {
        List<String[]> received = new ArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/wise", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes(WiseWebhooks.MAX_BODY_BYTES + 1);
                synchronized (received) {
                    received.add(new String[] {exchange.getRequestHeaders().getFirst("X-Delivery-Id"),
                        exchange.getRequestHeaders().getFirst(WiseWebhooks.SIGNATURE_HEADER),
                        new String(body, java.nio.charset.StandardCharsets.UTF_8)});
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        try {
            sim.webhookUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/wise");
            RailPayout payout = payout(25_00);
            String transferId = advance(payout).reference();
            sim.deliverNextWebhookTwice();
            sim.moveTransfer(transferId, "outgoing_payment_sent");

            WiseRail rail = new WiseRail(account(), http, clock);
            Set<String> seen = new LinkedHashSet<>();
            List<Optional<RailStatus>> applied = new ArrayList<>();
            synchronized (received) {
                assertThat(received).hasSize(2);
                for (String[] delivery : received) {
                    byte[] body = delivery[2].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(WiseWebhooks.verify(body, delivery[1], rail.webhookPublicKey())).isTrue();
                    assertThat(WiseWebhooks.verify(body, delivery[1],
                        WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM))).isFalse();
                    if (seen.add(delivery[0])) {
                        WiseEvent event = WiseWebhooks.parse(body);
                        assertThat(event.resourceId()).isEqualTo(transferId);
                        applied.add(WiseWebhooks.status(event));
                    }
                }
            }
            assertThat(seen).hasSize(1);
            assertThat(applied).containsExactly(Optional.of(RailStatus.SETTLED));
            assertThat(sim.webhookDeliveries()).hasSize(2).containsOnly(seen.iterator().next());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void theTokenAppearsInNoStateStepRequestTextOrErrorMessage() {
        sim.timeoutNext("transfers", true);
        RailPayout payout = payout(25_00);
        advance(payout);
        advance(payout);
        advance(payout(500_00));
        advance(payout("55555555-6666-4777-8888-999999999999", 10_00, Map.of("type", "iban",
            "account_holder_name", "X"), Map.of()));
        List<String> shown = new ArrayList<>();
        saves.forEach(values -> shown.add(values.toString()));
        steps.forEach(step -> shown.add(step.toString()));
        requests.forEach(request -> shown.add(request.toString()));
        shown.add(account().toString());
        settings.remove("profile_id");
        try {
            new WiseRail(account(), http, clock);
        } catch (RailConfigurationException e) {
            shown.add(e.getMessage());
        }
        assertThat(requests).isNotEmpty();
        assertThat(String.join("\n", shown)).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(5, 20))
            .doesNotContain("DE89370400440532013000");
    }

    @Test
    void missingOrBadSettingsAreNamed() {
        settings.remove("profile_id");
        assertThatThrownBy(() -> new WiseRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("'profile_id'");
        settings.put("profile_id", "16055450");
        settings.put("environment", "staging");
        assertThatThrownBy(() -> new WiseRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("'environment'");
        settings.remove("environment");
        RailAccount noToken = new RailAccount(UUID.randomUUID(), "wise", settings, Map.of());
        assertThatThrownBy(() -> new WiseRail(noToken, http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("'api_token'");
        settings.put("webhook_public_key_pem", "nonsense");
        assertThatThrownBy(() -> new WiseRail(account(), http, clock))
            .isInstanceOf(RailConfigurationException.class).hasMessageContaining("webhook_public_key_pem");
    }

    @Test
    void theDefaultWebhookKeyFollowsTheEnvironment() {
        settings.remove("webhook_public_key_pem");
        assertThat(new WiseRail(account(), http, clock).webhookPublicKey())
            .isEqualTo(WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM));
        settings.put("environment", "production");
        assertThat(new WiseRail(account(), http, clock).webhookPublicKey())
            .isEqualTo(WiseWebhooks.publicKey(WiseWebhooks.PRODUCTION_PUBLIC_KEY_PEM));
    }
}
