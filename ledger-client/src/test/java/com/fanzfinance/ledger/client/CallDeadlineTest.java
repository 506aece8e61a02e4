package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Every call ends by its call timeout: against a server that accepts and never answers, through retries
 * whose next wait would pass it, and when the client is closed with calls in flight. The request timeout
 * is set far beyond the hang guard, so only the call timeout can end these calls in time. The hang guard
 * is a liveness check, not a measure of speed.
 */
class CallDeadlineTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration NEVER_WITHIN_THE_GUARD = Duration.ofMinutes(5);
    private static final Transfer TRANSFER = Transfer.of(Uint128.of(3, 1), Uint128.of(1, 1), Uint128.of(1, 2), 10, 1, 1);

    private SilentServer silent;
    private FakeLedgerServer fake;
    private LedgerClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            assertTimeoutPreemptively(HANG_GUARD, client::close);
        }
        if (silent != null) {
            silent.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private LedgerClient.Builder clientOf(URI base) {
        return LedgerClient.builder(base, "key").requestTimeout(NEVER_WITHIN_THE_GUARD).callTimeout(CALL_TIMEOUT);
    }

    private void startAgainstASilentServer() {
        silent = SilentServer.start();
        client = clientOf(silent.base()).build();
    }

    @Test
    void aCallToAServerThatNeverAnswersFailsAtItsDeadline() {
        startAgainstASilentServer();

        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOfSatisfying(LedgerTimeoutException.class, timeout -> {
                assertThat(timeout.callTimeout()).isEqualTo(CALL_TIMEOUT);
                assertThat(timeout).hasMessageContaining("POST /v1/transfers")
                    .hasMessageContaining("no final answer within the call timeout of 1 s")
                    .hasMessageContaining("sending the same events again is safe");
            }));
        assertThat(silent.connections()).isPositive();
    }

    @Test
    void aReadAndASingleEventFailAtTheirDeadlinesToo() {
        startAgainstASilentServer();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThatThrownBy(() -> client.lookupAccount(Uint128.of(1, 1))).isInstanceOf(LedgerTimeoutException.class)
                .hasMessageContaining("GET /v1/accounts/");
            CompletableFuture<CreateResult<CreateTransferStatus>> single = client.createTransfer(TRANSFER);
            assertThatThrownBy(single::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(LedgerTimeoutException.class);
        });
    }

    @Test
    void closeDecidesTheCallsInFlightAndLaterCallsFailAtOnce() {
        startAgainstASilentServer();
        CompletableFuture<List<CreateResult<CreateTransferStatus>>> explicit = client.createTransfersAsync(
            List.of(NewTransfer.of(TRANSFER)));
        CompletableFuture<CreateResult<CreateTransferStatus>> single = client.createTransfer(TRANSFER);

        assertTimeoutPreemptively(HANG_GUARD, client::close);

        assertThat(explicit).isCompletedExceptionally();
        assertThat(single).isCompletedExceptionally();
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
            assertThatThrownBy(() -> client.createTransfer(TRANSFER).join()).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        });
    }

    @Test
    void noRetryIsWaitedForThatWouldEndPastTheDeadline() {
        fake = FakeLedgerServer.start(request -> FakeLedgerServer.Reply.problem(503, "ledger-busy", "busy", null)
            .withHeader("Retry-After", "10"));
        client = clientOf(fake.base()).callTimeout(Duration.ofSeconds(5)).build();

        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOf(LedgerTimeoutException.class)
            .hasMessageContaining("1 attempt made, the last: ")
            .hasMessageContaining("503"));
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void theDefaultCallTimeoutIsWhatTheRetriesMayTakeAndAnExplicitOneIsChecked() {
        URI base = URI.create("http://127.0.0.1:9");
        try (LedgerClient defaults = LedgerClient.builder(base, "key").build();
             LedgerClient oneTry = LedgerClient.builder(base, "key").maxAttempts(1).requestTimeout(Duration.ofSeconds(7))
                 .build()) {
            assertThat(defaults.callTimeout()).isEqualTo(Duration.ofSeconds(5 * 30 + 4 * 2));
            assertThat(oneTry.callTimeout()).isEqualTo(Duration.ofSeconds(7));
        }
        assertThatThrownBy(() -> LedgerClient.builder(base, "key").callTimeout(Duration.ZERO).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
        assertThatThrownBy(() -> LedgerClient.builder(base, "key").callTimeout(Duration.ofMinutes(61)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
    }
}
