package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Single events from many threads are coalesced into few requests, and each caller gets its own result.
 *
 * <p>The tests make batching deterministic without sleeping: the fake server holds the first request
 * until every other event has been submitted, so those events are all queued when the batcher may send
 * its next batch (one batch in flight at a time).
 */
class AutoBatchingTest {
    private static final Uint128 DEBIT = Uint128.of(1, 1);
    private static final Uint128 CREDIT = Uint128.of(1, 2);
    private static final Function<Uint128, CreateTransferStatus> BY_ID = id -> switch ((int) (id.low() % 3)) {
        case 0 -> CreateTransferStatus.CREATED;
        case 1 -> CreateTransferStatus.EXISTS;
        default -> CreateTransferStatus.EXCEEDS_CREDITS;
    };

    private final CountDownLatch firstRequestArrived = new CountDownLatch(1);
    private final CountDownLatch releaseFirstRequest = new CountDownLatch(1);
    private final AtomicInteger requestsSeen = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private FakeLedgerServer server;
    private LedgerClient client;

    @AfterEach
    void stop() {
        releaseFirstRequest.countDown();
        if (client != null) {
            client.close();
        }
        server.close();
        callers.shutdownNow();
    }

    /** Answers with {@code answer}, holding the first request until {@link #releaseFirstRequest}. */
    private FakeLedgerServer.Responder holdingTheFirst(FakeLedgerServer.Responder answer) {
        return request -> {
            if (requestsSeen.getAndIncrement() == 0) {
                firstRequestArrived.countDown();
                assertThat(releaseFirstRequest.await(30, TimeUnit.SECONDS)).isTrue();
            }
            return answer.answer(request);
        };
    }

    private void start(FakeLedgerServer.Responder responder, int maxBatchEvents) {
        server = FakeLedgerServer.start(holdingTheFirst(responder));
        client = LedgerClient.builder(server.base(), "key").maxBatchEvents(maxBatchEvents).maxAttempts(1).build();
    }

    private static Transfer transfer(long n) {
        return Transfer.of(Uint128.of(7, n), DEBIT, CREDIT, n, 1, 1);
    }

    /** Submits transfers 1..count from the caller threads; returns once every future exists. */
    private List<CompletableFuture<CreateResult<CreateTransferStatus>>> submitConcurrently(int count) throws Exception {
        List<Callable<CompletableFuture<CreateResult<CreateTransferStatus>>>> calls = new ArrayList<>();
        for (long n = 1; n <= count; n++) {
            Transfer transfer = transfer(n);
            calls.add(() -> client.createTransfer(transfer));
        }
        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = new ArrayList<>();
        for (Future<CompletableFuture<CreateResult<CreateTransferStatus>>> submitted : callers.invokeAll(calls)) {
            futures.add(submitted.get());
        }
        return futures;
    }

    private CompletableFuture<CreateResult<CreateTransferStatus>> submitFirstAndWaitUntilItIsInFlight() throws Exception {
        CompletableFuture<CreateResult<CreateTransferStatus>> first = client.createTransfer(transfer(0));
        assertThat(firstRequestArrived.await(30, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void concurrentSingleTransfersBecomeOneRequestAndEachCallerGetsItsOwnResult() throws Exception {
        start(request -> Answers.transferResults(request, BY_ID), LedgerClient.BATCH_EVENTS_MAX);
        CompletableFuture<CreateResult<CreateTransferStatus>> first = submitFirstAndWaitUntilItIsInFlight();

        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = submitConcurrently(999);
        releaseFirstRequest.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS))
            .isEqualTo(new CreateResult<>(0, CreateTransferStatus.CREATED, Answers.timestampOf(transfer(0).id())));
        for (int i = 0; i < futures.size(); i++) {
            Uint128 id = transfer(i + 1).id();
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).as("caller of transfer %d", i + 1)
                .isEqualTo(new CreateResult<>(0, BY_ID.apply(id), Answers.timestampOf(id)));
        }
        List<FakeLedgerServer.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).eventIds()).containsExactly(transfer(0).id());
        assertThat(requests.get(1).eventIds()).hasSize(999)
            .containsExactlyInAnyOrderElementsOf(futuresIds(999));
        assertThat(requests.get(1).isBinary()).isTrue();
    }

    @Test
    void aBatchHoldsAtMostMaxBatchEvents() throws Exception {
        start(request -> Answers.transferResults(request, BY_ID), 100);
        submitFirstAndWaitUntilItIsInFlight();

        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = submitConcurrently(450);
        releaseFirstRequest.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(server.requests().stream().map(request -> request.eventIds().size()))
            .containsExactly(1, 100, 100, 100, 100, 50);
    }

    @Test
    void anEventTheServerRefusesFailsOnlyItsOwnCallerAndTheRestIsSentAgain() throws Exception {
        Uint128 forbidden = transfer(3).id();
        start(request -> {
            int index = request.eventIds().indexOf(forbidden);
            if (index >= 0) {
                return FakeLedgerServer.Reply.problem(403, "forbidden", "outside the key's tenants", "/" + index);
            }
            return Answers.transferResults(request, id -> CreateTransferStatus.CREATED);
        }, LedgerClient.BATCH_EVENTS_MAX);
        submitFirstAndWaitUntilItIsInFlight();

        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = submitConcurrently(5);
        releaseFirstRequest.countDown();

        assertThatThrownBy(() -> futures.get(2).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                assertThat(problem.status()).isEqualTo(403);
                assertThat(problem.pointer()).as("re-indexed to the caller's own event").isEqualTo("/0");
            });
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS).status()).isEqualTo(CreateTransferStatus.CREATED);
        }
        List<FakeLedgerServer.Request> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(1).eventIds()).hasSize(5).contains(forbidden);
        assertThat(requests.get(2).eventIds()).hasSize(4).doesNotContain(forbidden);
    }

    @Test
    void aRefusalOfTheWholeBatchReachesEveryCaller() throws Exception {
        start(request -> FakeLedgerServer.Reply.problem(401, "unauthorized", "unknown key", null),
            LedgerClient.BATCH_EVENTS_MAX);
        CompletableFuture<CreateResult<CreateTransferStatus>> first = submitFirstAndWaitUntilItIsInFlight();
        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = submitConcurrently(3);
        releaseFirstRequest.countDown();

        futures.add(first);
        for (CompletableFuture<CreateResult<CreateTransferStatus>> future : futures) {
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> assertThat(problem.status()).isEqualTo(401));
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void singleAccountsAreBatchedToo() throws Exception {
        start(request -> Answers.accountResults(request, id -> id.low() == 2 ? CreateAccountStatus.EXISTS
            : CreateAccountStatus.CREATED), LedgerClient.BATCH_EVENTS_MAX);
        CompletableFuture<CreateResult<CreateAccountStatus>> first = client.createAccount(Account.of(Uint128.of(5, 0), 1, 1));
        assertThat(firstRequestArrived.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<CreateResult<CreateAccountStatus>> second = client.createAccount(
            NewAccount.of(Account.of(Uint128.of(5, 1), 1, 1)).inTenant("girlfanz").withMetadata("{\"n\":1}"));
        CompletableFuture<CreateResult<CreateAccountStatus>> third = client.createAccount(Account.of(Uint128.of(5, 2), 1, 1));
        releaseFirstRequest.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(CreateAccountStatus.CREATED);
        assertThat(second.get(30, TimeUnit.SECONDS))
            .isEqualTo(new CreateResult<>(0, CreateAccountStatus.CREATED, Answers.timestampOf(Uint128.of(5, 1))));
        assertThat(third.get(30, TimeUnit.SECONDS))
            .isEqualTo(new CreateResult<>(0, CreateAccountStatus.EXISTS, Answers.timestampOf(Uint128.of(5, 2))));
        FakeLedgerServer.Request batch = server.requests().get(1);
        assertThat(batch.path()).isEqualTo("/v1/accounts");
        assertThat(batch.json().path("accounts").get(0).path("tenant").asText()).isEqualTo("girlfanz");
        assertThat(batch.json().path("accounts").get(0).path("metadata").toString()).isEqualTo("{\"n\":1}");
        assertThat(batch.json().path("accounts").get(1).has("tenant")).isFalse();
    }

    @Test
    void aLinkedEventCannotBeBatchedAutomatically() {
        start(request -> Answers.transferResults(request, BY_ID), LedgerClient.BATCH_EVENTS_MAX);

        assertThatThrownBy(() -> client.createTransfer(transfer(1).withFlags(TransferFlags.LINKED)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linked");
        assertThatThrownBy(() -> client.createAccount(Account.of(Uint128.of(5, 1), 1, 1).withFlags(AccountFlags.LINKED)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linked");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anExplicitListGoesWholeAsOneRequestUpToTheLimit() {
        start(request -> Answers.transferResults(request, BY_ID), 10);
        releaseFirstRequest.countDown();
        List<Transfer> chain = new ArrayList<>();
        for (long n = 0; n < LedgerClient.BATCH_EVENTS_MAX; n++) {
            chain.add(transfer(n).withFlags(n < LedgerClient.BATCH_EVENTS_MAX - 1 ? TransferFlags.LINKED : 0));
        }

        List<CreateResult<CreateTransferStatus>> results = client.createTransfers(chain);

        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).binaryTransfers()).isEqualTo(chain);
        assertThat(results).hasSize(LedgerClient.BATCH_EVENTS_MAX);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).index()).isEqualTo(i);
            assertThat(results.get(i).status()).isEqualTo(BY_ID.apply(chain.get(i).id()));
        }
        chain.add(transfer(LedgerClient.BATCH_EVENTS_MAX));
        assertThatThrownBy(() -> client.createTransfers(chain)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("8189");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void closeSendsWhatIsQueuedThenRefusesNewEventsAndStopsTheBatchers() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        start(request -> Answers.transferResults(request, id -> CreateTransferStatus.CREATED),
            LedgerClient.BATCH_EVENTS_MAX);
        CompletableFuture<CreateResult<CreateTransferStatus>> first = submitFirstAndWaitUntilItIsInFlight();
        List<CompletableFuture<CreateResult<CreateTransferStatus>>> queued = submitConcurrently(10);
        Set<Thread> batchers = Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread))
            .filter(thread -> thread.getName().endsWith("-transfers") || thread.getName().endsWith("-accounts"))
            .collect(Collectors.toSet());
        assertThat(batchers).hasSize(2);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(client::close, callers);
        releaseFirstRequest.countDown();
        closed.get(30, TimeUnit.SECONDS);

        assertThat(first).isCompleted();
        for (CompletableFuture<CreateResult<CreateTransferStatus>> future : queued) {
            assertThat(future).as("decided before close returned").isCompleted();
            assertThat(future.get().status()).isEqualTo(CreateTransferStatus.CREATED);
        }
        assertThat(server.requests()).hasSize(2);
        assertThatThrownBy(() -> client.createTransfer(transfer(99)).get()).cause()
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(batchers).noneMatch(Thread::isAlive);
    }

    private static List<Uint128> futuresIds(int count) {
        List<Uint128> ids = new ArrayList<>();
        for (long n = 1; n <= count; n++) {
            ids.add(transfer(n).id());
        }
        return ids;
    }
}
