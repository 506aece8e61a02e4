package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Which failures are retried (I/O, 503, 504) and which are not (4xx, other 5xx), that a retry sends the
 * same bytes, how long it waits, and what a refusal tells the caller. Waits are recorded, not slept.
 */
class RetryAndProblemTest {
    private static final Transfer TRANSFER = Transfer.of(Uint128.of(3, 1), Uint128.of(1, 1), Uint128.of(1, 2), 10, 1, 1);

    private final List<Long> waits = new CopyOnWriteArrayList<>();
    private FakeLedgerServer server;
    private LedgerClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LedgerClient.Builder clientOf(URI base) {
        return LedgerClient.builder(base, "key").jitter(() -> 0.5).delays(delayMillis -> {
            waits.add(delayMillis);
            return Runnable::run;
        });
    }

    /** Answers {@code failures} in turn, then results. */
    private void start(FakeLedgerServer.Reply... failures) {
        start(java.util.function.UnaryOperator.identity(), failures);
    }

    /** The same, with the client's settings changed by {@code settings}. */
    private void start(java.util.function.UnaryOperator<LedgerClient.Builder> settings, FakeLedgerServer.Reply... failures) {
        AtomicInteger attempt = new AtomicInteger();
        server = FakeLedgerServer.start(request -> {
            int n = attempt.getAndIncrement();
            return n < failures.length ? failures[n] : Answers.transferResults(request, id -> CreateTransferStatus.CREATED);
        });
        client = settings.apply(clientOf(server.base())).build();
    }

    @Test
    void a503IsRetriedWithTheSameBodyAndRequestIdAndThenSucceeds() {
        start(FakeLedgerServer.Reply.problem(503, "ledger-busy", "busy", null));

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(List.of(TRANSFER));

        assertThat(results).extracting(CreateResult::status).containsExactly(CreateTransferStatus.CREATED);
        List<FakeLedgerServer.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body()).hasSize(128);
        assertThat(requests.get(1).header("X-Request-Id")).isEqualTo(requests.get(0).header("X-Request-Id"));
        assertThat(requests.get(1).header("Content-Type")).isEqualTo(requests.get(0).header("Content-Type"));
        assertThat(waits).as("half of 50 ms plus half the jitter range").containsExactly(37L);
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        start(FakeLedgerServer.Reply.problem(503, "unavailable", "recovering", null).withHeader("Retry-After", "3"));

        client.createTransfers(List.of(TRANSFER));

        assertThat(waits).containsExactly(3000L);
    }

    @Test
    void a504AndADroppedConnectionAreRetriedToo() {
        start(FakeLedgerServer.Reply.problem(504, "ledger-timeout", "slow", null), FakeLedgerServer.Reply.dropConnection());

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(List.of(TRANSFER));

        assertThat(results).extracting(CreateResult::status).containsExactly(CreateTransferStatus.CREATED);
        List<FakeLedgerServer.Request> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).body()).isEqualTo(requests.get(0).body());
        // The drop came on the connection the 504 had kept alive, before any byte of an answer: what a server
        // closing an idle connection looks like, so the request went again at once on a new connection.
        assertThat(waits).containsExactly(37L);
    }

    @Test
    void aDroppedNewConnectionIsRetriedAfterItsWait() {
        start(FakeLedgerServer.Reply.dropConnection(), FakeLedgerServer.Reply.dropConnection());

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(List.of(TRANSFER));

        assertThat(results).extracting(CreateResult::status).containsExactly(CreateTransferStatus.CREATED);
        assertThat(server.requests()).hasSize(3);
        assertThat(waits).containsExactly(37L, 75L);
    }

    @Test
    void throughTheJdkClientTooA504AndADroppedConnectionEachWait() {
        start(builder -> builder.jdkHttpClient(true), FakeLedgerServer.Reply.problem(504, "ledger-timeout", "slow", null),
            FakeLedgerServer.Reply.dropConnection());

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(List.of(TRANSFER));

        assertThat(results).extracting(CreateResult::status).containsExactly(CreateTransferStatus.CREATED);
        assertThat(server.requests()).hasSize(3);
        assertThat(waits).containsExactly(37L, 75L);
    }

    @Test
    void readsAreRetriedLikeWrites() {
        AtomicInteger attempt = new AtomicInteger();
        server = FakeLedgerServer.start(request -> attempt.getAndIncrement() == 0
            ? FakeLedgerServer.Reply.problem(503, "ledger-busy", "busy", null)
            : FakeLedgerServer.Reply.problem(404, "not-found", "no transfer", null));
        client = clientOf(server.base()).build();

        assertThat(client.lookupTransfer(TRANSFER.id())).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void a400IsNeverRetriedAndItsProblemIsReadInFull() {
        start(FakeLedgerServer.Reply.problem(400, "invalid-field", "must be in 0..9223372036854775807",
            "/transfers/0/amount"));

        assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                assertThat(problem.status()).isEqualTo(400);
                assertThat(problem.type()).isEqualTo("https://fanzfinance.dev/problems/invalid-field");
                assertThat(problem.typeSuffix()).isEqualTo("invalid-field");
                assertThat(problem.title()).isEqualTo("Problem");
                assertThat(problem.detail()).isEqualTo("must be in 0..9223372036854775807");
                assertThat(problem.pointer()).isEqualTo("/transfers/0/amount");
                assertThat(problem.requestId()).isEqualTo("req-400");
                assertThat(problem.eventIndex()).hasValue(0);
                assertThat(problem.isRetryable()).isFalse();
                assertThat(problem).hasMessage("HTTP 400 invalid-field: must be in 0..9223372036854775807 at "
                    + "/transfers/0/amount (request req-400)");
            });
        assertThat(server.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void otherErrorsAreNotRetriedEither() {
        start(FakeLedgerServer.Reply.problem(409, "conflict", "no", null),
            FakeLedgerServer.Reply.problem(500, "internal-error", "bug", null),
            FakeLedgerServer.Reply.problem(507, "ledger-full", "full", null));

        for (int status : new int[] {409, 500, 507}) {
            assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> assertThat(problem.status()).isEqualTo(status));
        }
        assertThat(server.requests()).hasSize(3);
        assertThat(waits).isEmpty();
    }

    @Test
    void afterMaxAttemptsTheLast503IsThrown() {
        FakeLedgerServer.Reply busy = FakeLedgerServer.Reply.problem(503, "ledger-busy", "busy", null);
        start(busy, busy, busy, busy, busy, busy);
        client.close();
        client = clientOf(server.base()).jitter(() -> 0.0).build();

        assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                assertThat(problem.status()).isEqualTo(503);
                assertThat(problem.typeSuffix()).isEqualTo("ledger-busy");
                assertThat(problem.isRetryable()).isTrue();
            });
        assertThat(server.requests()).hasSize(5);
        assertThat(waits).containsExactly(25L, 50L, 100L, 200L);
    }

    @Test
    void aServerThatCannotBeReachedIsTriedMaxAttemptsTimesThenReportedAsIo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        client = clientOf(URI.create("http://127.0.0.1:" + port)).maxAttempts(3).build();

        assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("after 3 attempts")
            .hasCauseInstanceOf(ConnectException.class);
        assertThat(waits).hasSize(2);
    }

    @Test
    void anErrorThatIsNotAProblemStillSaysWhatHappened() {
        server = FakeLedgerServer.start(request -> new FakeLedgerServer.Reply(502, "text/html",
            "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8), Map.of("X-Request-Id", "from-header")));
        client = clientOf(server.base()).build();

        assertThatThrownBy(() -> client.createTransfers(List.of(TRANSFER)))
            .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                assertThat(problem.status()).isEqualTo(502);
                assertThat(problem.type()).isNull();
                assertThat(problem.detail()).isEqualTo("<html>bad gateway</html>");
                assertThat(problem.requestId()).isEqualTo("from-header");
            });
    }

    @Test
    void theEventIndexIsReadFromJsonAndBinaryPointers() {
        assertThat(problemAt("/transfers/12/amount").eventIndex()).hasValue(12);
        assertThat(problemAt("/accounts/3").eventIndex()).hasValue(3);
        assertThat(problemAt("/7/amount").eventIndex()).hasValue(7);
        assertThat(problemAt("/7").eventIndex()).hasValue(7);
        assertThat(problemAt("").eventIndex()).isEmpty();
        assertThat(problemAt(null).eventIndex()).isEmpty();
        assertThat(problemAt("/transfers").eventIndex()).isEmpty();
        assertThat(problemAt("?limit").eventIndex()).isEmpty();
        assertThat(problemAt("/metadata/1").eventIndex()).isEmpty();
        assertThat(problemAt("/transfers/12/amount").forEventIndex(0).pointer()).isEqualTo("/transfers/0/amount");
        assertThat(problemAt("/12").forEventIndex(0).pointer()).isEqualTo("/0");
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCapWithJitterInTheUpperHalf() {
        RetryPolicy low = new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(2), () -> 0.0, Clock.systemUTC());
        RetryPolicy high = new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(2), () -> 0.999_999,
            Clock.systemUTC());

        long[] lows = new long[9];
        long[] highs = new long[9];
        for (int attempt = 1; attempt <= 9; attempt++) {
            lows[attempt - 1] = low.backoffMillis(attempt);
            highs[attempt - 1] = high.backoffMillis(attempt);
        }

        assertThat(lows).containsExactly(25, 50, 100, 200, 400, 800, 1000, 1000, 1000);
        assertThat(highs).containsExactly(49, 99, 199, 399, 799, 1599, 1999, 1999, 1999);
        assertThat(low.mayRetryAfter(9)).isTrue();
        assertThat(low.mayRetryAfter(10)).isFalse();
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
        Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:27:58Z"), ZoneOffset.UTC);
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(2), () -> 0.0, clock);

        assertThat(policy.delayMillis(1, "0")).isZero();
        assertThat(policy.delayMillis(1, "2")).isEqualTo(2000);
        assertThat(policy.delayMillis(1, "Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(2000);
        assertThat(policy.delayMillis(1, "Wed, 21 Oct 2015 07:00:00 GMT")).isZero();
        assertThat(policy.delayMillis(1, "86400")).isEqualTo(RetryPolicy.RETRY_AFTER_MAX.toMillis());
        assertThat(policy.delayMillis(3, "soon")).as("unreadable: our own backoff").isEqualTo(100);
        assertThat(policy.delayMillis(3, null)).isEqualTo(100);
    }

    private static LedgerProblemException problemAt(String pointer) {
        return new LedgerProblemException(403, null, null, null, pointer, null, null);
    }
}
