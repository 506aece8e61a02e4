package com.fanzfinance.ledger.client;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fanzfinance.ledger.api.JvmRequirements;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The ledger's HTTP API (docs/api.md) as Java calls. Thread-safe; one client per process and server
 * is the intended use. Close it to stop its threads.
 *
 * <pre>{@code
 * try (LedgerClient ledger = LedgerClient.builder(URI.create("http://ledger:8080"), apiKey).build()) {
 *     List<CreateResult<CreateTransferStatus>> results = ledger.createTransfers(List.of(sale, fee));
 *     CreateResult<CreateTransferStatus> tip = ledger.createTransfer(tipTransfer).join();
 * }
 * }</pre>
 *
 * <h2>Writes</h2>
 * An explicit list ({@link #createTransfers}, {@link #createAccounts}, {@link #createEntries} and their
 * variants) always goes as exactly one request, never split and never merged with anything else, so
 * {@code linked} chains in it stay as they are; more than 8189 events is an
 * {@link IllegalArgumentException}. The results are one per event, in request order. Whether an event was
 * created is its status, never an exception.
 *
 * <p>A single event ({@link #createTransfer}, {@link #createAccount}) is batched automatically with the
 * single events of other threads: a batcher thread waits up to {@code lingerMicros} for more and sends up
 * to {@code maxBatchEvents} in one request; each caller's future gets its own event's result, with index 0.
 * Such an event must not carry {@code linked}, which would chain it to a stranger's event.
 *
 * <p>A batch can also be encoded ahead ({@link EncodedTransfers}) and sent later with
 * {@link #createTransfers(EncodedTransfers)}: one request and its results as for a list, in the format chosen when
 * it was encoded, with the encoding done whenever suits the caller (while its previous batch is in flight, say).
 *
 * <h2>Transport</h2>
 * A request of transfers none of which has metadata goes as 128-byte binary records (unless
 * {@link Builder#binaryTransfers} is off); everything else goes as JSON. The statuses are the same
 * either way. Over {@code http:} the client speaks HTTP/1.1 itself on kept-alive sockets, each request
 * written and answered on one of its I/O threads ({@link Builder#maxConnections} at once); {@code https:}
 * goes through the JDK's {@code HttpClient}.
 *
 * <h2>Retries</h2>
 * A request that fails to connect, fails with an I/O error or times out, or is answered 503 or 504, is
 * sent again with the same body, up to {@code maxAttempts} times in all, with exponential backoff and
 * jitter or after the server's {@code Retry-After}. That is safe because events are named by their ids:
 * after a retry, <b>an event that reports {@code exists} was created by an earlier attempt</b> (as in
 * TigerBeetle) — see {@link #isCreatedOrExists}. A 4xx is never retried: nothing of it was applied.
 *
 * <h2>Deadlines</h2>
 * Every call completes within its call timeout ({@link Builder#callTimeout}; by default as long as the
 * retries may take), counted from the call — for a single event, from its submission, so queueing
 * counts. Then its future fails with a {@link LedgerTimeoutException}, whatever the server does (a
 * server that accepts and never answers included) and whatever goes wrong inside the client: no call
 * waits forever. {@link #close} decides every call still in flight before it returns.
 *
 * <h2>Failures</h2>
 * The blocking calls throw {@link LedgerProblemException} when the server refuses a request as a whole,
 * {@link UncheckedIOException} when the ledger could not be reached (or answered nonsense) on the last
 * attempt or the call timeout passed ({@link LedgerTimeoutException}) — then the outcome is unknown and
 * sending the same events again is safe — {@link IllegalArgumentException} for input the ledger would
 * not accept, and {@link IllegalStateException} once the client is closed. The {@code ...Async} calls
 * and the single-event calls complete their futures exceptionally with all but the
 * {@link IllegalArgumentException}, which they throw at once. Building a client with binary transfers in
 * a JVM started without {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} (which Agrona's
 * buffers need) fails at once with an {@link IllegalStateException} naming the flag.
 */
public final class LedgerClient implements AutoCloseable {
    /** The most events one request may hold. */
    public static final int BATCH_EVENTS_MAX = EventChecks.BATCH_EVENTS_MAX;
    /** The longest call timeout a client accepts. */
    public static final Duration CALL_TIMEOUT_MAX = Duration.ofHours(1);

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final String USER_AGENT = "fanzfinance-ledger-client";
    private static final String ACCEPT_JSON = WireFormat.JSON + ", " + WireFormat.PROBLEM_JSON;
    private static final String ACCEPT_BINARY = WireFormat.BINARY + ", " + WireFormat.PROBLEM_JSON;

    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final Duration callTimeout;
    private final CallDeadlines calls;
    private final boolean binaryTransfers;
    private final ExecutorService executor;
    private final Exchanges exchanges;
    private final HttpTransport transport;
    private final EventBatcher<NewTransfer, CreateTransferStatus> transferBatcher;
    private final EventBatcher<NewAccount, CreateAccountStatus> accountBatcher;
    private final PaymentsApi payments = new PaymentsApi(this);

    private LedgerClient(Builder builder) {
        String name = "ledger-client-" + CLIENTS.incrementAndGet();
        this.baseUrl = stripTrailingSlash(builder.baseUrl.toString());
        this.authorization = "Bearer " + builder.apiKey;
        this.requestTimeout = builder.requestTimeout;
        this.callTimeout = builder.effectiveCallTimeout();
        this.calls = new CallDeadlines(name);
        this.binaryTransfers = builder.binaryTransfers;
        this.executor = Executors.newCachedThreadPool(daemonThreads(name + "-http"));
        java.util.List<URI> urls = new java.util.ArrayList<>(builder.failoverUrls);
        urls.add(builder.baseUrl);
        boolean anyHttps = urls.stream().anyMatch(url -> url.getScheme().equalsIgnoreCase("https"));
        Exchanges jdk = builder.jdkHttpClient || anyHttps ? Exchanges.jdk(HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(builder.connectTimeout).executor(executor).build()) : null;
        Exchanges plain = builder.jdkHttpClient ? jdk
            : new SocketExchanges(builder.connectTimeout, builder.maxConnections, daemonThreads(name + "-io"), executor);
        this.exchanges = Exchanges.byScheme(plain, jdk);
        HttpTransport.Delays delays = builder.delays != null ? builder.delays
            : delayMillis -> CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, executor);
        RetryPolicy retries = new RetryPolicy(builder.maxAttempts, builder.retryBaseDelay, builder.retryMaxDelay,
            builder.jitter, builder.clock);
        java.util.List<String> servers = new java.util.ArrayList<>();
        servers.add(baseUrl);
        for (URI other : builder.failoverUrls) {
            servers.add(stripTrailingSlash(other.toString()));
        }
        this.transport = new HttpTransport(exchanges, retries, delays, baseUrl, servers);
        long lingerNanos = TimeUnit.MICROSECONDS.toNanos(builder.lingerMicros);
        this.transferBatcher = new EventBatcher<>(name + "-transfers", this::createTransfersAsync, builder.maxBatchEvents,
            lingerNanos, builder.maxBatchesInFlight, builder.maxQueuedEvents);
        this.accountBatcher = new EventBatcher<>(name + "-accounts", this::createAccountsAsync, builder.maxBatchEvents,
            lingerNanos, builder.maxBatchesInFlight, builder.maxQueuedEvents);
    }

    /**
     * A builder for a client of the server at {@code baseUrl} (such as {@code http://127.0.0.1:8080}; a
     * path prefix is kept) that authenticates with {@code apiKey}.
     */
    public static Builder builder(URI baseUrl, String apiKey) {
        return new Builder(baseUrl, apiKey);
    }

    // ---- explicit batches: one request each ------------------------------------------------------

    /** Creates the accounts in the key's own tenant, without metadata; one request. */
    public List<CreateResult<CreateAccountStatus>> createAccounts(List<Account> accounts) {
        return await(createAccountsAsync(wrap(accounts, NewAccount::of, "accounts")));
    }

    /** Creates the accounts, each with its tenant and metadata; one request. */
    public List<CreateResult<CreateAccountStatus>> createAccountsWithMetadata(List<NewAccount> accounts) {
        return await(createAccountsAsync(accounts));
    }

    /** {@link #createAccountsWithMetadata} without blocking. */
    public CompletableFuture<List<CreateResult<CreateAccountStatus>>> createAccountsAsync(List<NewAccount> accounts) {
        List<NewAccount> events = checkedBatch(accounts, "accounts");
        events.forEach(event -> EventChecks.requireSendable(event.account()));
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return post("/v1/accounts", WireFormat.JSON, JsonRequestWriter.accounts(events))
            .thenApply(response -> JsonResponseReader.createResults(jsonBody(response), events.size(),
                CreateAccountStatus::ofWireName));
    }

    /** Creates the transfers; one request. */
    public List<CreateResult<CreateTransferStatus>> createTransfers(List<Transfer> transfers) {
        return await(createTransfersAsync(wrap(transfers, NewTransfer::of, "transfers")));
    }

    /** Creates the transfers, each with its metadata; one request. */
    public List<CreateResult<CreateTransferStatus>> createTransfersWithMetadata(List<NewTransfer> transfers) {
        return await(createTransfersAsync(transfers));
    }

    /** {@link #createTransfersWithMetadata} without blocking. */
    public CompletableFuture<List<CreateResult<CreateTransferStatus>>> createTransfersAsync(List<NewTransfer> transfers) {
        List<NewTransfer> events = EncodedTransfers.checked(transfers, event -> event);
        if (binaryTransfers && events.stream().allMatch(event -> event.metadata() == null)) {
            return createTransfersAsync(EncodedTransfers.binaryOf(events));
        }
        return createTransfersAsync(EncodedTransfers.jsonOf(events));
    }

    /** Creates the transfers of a batch encoded ahead ({@link EncodedTransfers}); one request. */
    public List<CreateResult<CreateTransferStatus>> createTransfers(EncodedTransfers batch) {
        return await(createTransfersAsync(batch));
    }

    /** {@link #createTransfers(EncodedTransfers)} without blocking. */
    public CompletableFuture<List<CreateResult<CreateTransferStatus>>> createTransfersAsync(EncodedTransfers batch) {
        return sendEncoded(batch, false);
    }

    /**
     * Creates the transfers of a batch encoded ahead and answers for the transfers that were <em>not</em> created only
     * (TigerBeetle's way): an empty list when all were; each result carries its transfer's index in the batch and no
     * result carries a created transfer's timestamp. One request ({@code ?results=failures}), whose answer is a small
     * fraction of the full one for a batch that mostly succeeds.
     */
    public List<CreateResult<CreateTransferStatus>> createTransfersFailuresOnly(EncodedTransfers batch) {
        return await(createTransfersFailuresOnlyAsync(batch));
    }

    /** {@link #createTransfersFailuresOnly} without blocking. */
    public CompletableFuture<List<CreateResult<CreateTransferStatus>>> createTransfersFailuresOnlyAsync(
        EncodedTransfers batch) {
        return sendEncoded(batch, true);
    }

    private CompletableFuture<List<CreateResult<CreateTransferStatus>>> sendEncoded(EncodedTransfers batch,
                                                                                   boolean failuresOnly) {
        Objects.requireNonNull(batch, "batch");
        int size = batch.size();
        if (size == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        String path = failuresOnly ? "/v1/transfers?results=failures" : "/v1/transfers";
        if (batch.isBinary()) {
            return post(path, WireFormat.BINARY, batch.body()).thenApply(response -> failuresOnly
                ? BinaryRecords.transferFailures(binaryBody(response), size)
                : BinaryRecords.transferResults(binaryBody(response), size));
        }
        return post(path, WireFormat.JSON, batch.body()).thenApply(response -> failuresOnly
            ? JsonResponseReader.failureResults(jsonBody(response), size, CreateTransferStatus::ofWireName,
                CreateTransferStatus.CREATED)
            : JsonResponseReader.createResults(jsonBody(response), size, CreateTransferStatus::ofWireName));
    }

    /**
     * Creates the journal entries; one request. Each entry is atomic; together they may expand to at most
     * 8189 transfers (an entry of n postings to at most n-1).
     */
    public List<JournalEntryResult> createEntries(List<JournalEntry> entries) {
        return await(createEntriesAsync(wrap(entries, NewEntry::of, "entries")));
    }

    /** Creates the journal entries, each with its metadata; one request. */
    public List<JournalEntryResult> createEntriesWithMetadata(List<NewEntry> entries) {
        return await(createEntriesAsync(entries));
    }

    /** {@link #createEntriesWithMetadata} without blocking. */
    public CompletableFuture<List<JournalEntryResult>> createEntriesAsync(List<NewEntry> entries) {
        List<NewEntry> events = checkedBatch(entries, "entries");
        EventChecks.requireLegsWithinLimit(events.stream().map(NewEntry::entry).toList());
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return post("/v1/entries", WireFormat.JSON, JsonRequestWriter.entries(events))
            .thenApply(response -> JsonResponseReader.entryResults(jsonBody(response), events.size()));
    }

    // ---- single events: batched automatically ----------------------------------------------------

    /** Creates one account in the key's own tenant, batched with other threads' accounts. */
    public CompletableFuture<CreateResult<CreateAccountStatus>> createAccount(Account account) {
        return createAccount(NewAccount.of(account));
    }

    /**
     * Creates one account, batched with other threads' accounts.
     *
     * @throws IllegalArgumentException if it is {@code linked}
     */
    public CompletableFuture<CreateResult<CreateAccountStatus>> createAccount(NewAccount account) {
        Objects.requireNonNull(account, "account");
        if (account.account().has(AccountFlags.LINKED)) {
            throw new IllegalArgumentException("a linked account belongs in an explicit list (createAccounts), not in"
                + " an automatic batch");
        }
        EventChecks.requireSendable(account.account());
        return accountBatcher.submit(account, calls.open("createAccount", Deadline.after(callTimeout)));
    }

    /** Creates one transfer, batched with other threads' transfers. */
    public CompletableFuture<CreateResult<CreateTransferStatus>> createTransfer(Transfer transfer) {
        return createTransfer(NewTransfer.of(transfer));
    }

    /**
     * Creates one transfer, batched with other threads' transfers. With the default of one batch in
     * flight, a transfer is decided after every transfer submitted before it by any thread; still, to
     * post or void a pending transfer, wait for the pending one's result first.
     *
     * @throws IllegalArgumentException if it is {@code linked}
     */
    public CompletableFuture<CreateResult<CreateTransferStatus>> createTransfer(NewTransfer transfer) {
        Objects.requireNonNull(transfer, "transfer");
        if (transfer.transfer().has(TransferFlags.LINKED)) {
            throw new IllegalArgumentException("a linked transfer belongs in an explicit list (createTransfers), not in"
                + " an automatic batch");
        }
        EventChecks.requireSendable(transfer.transfer());
        return transferBatcher.submit(transfer, calls.open("createTransfer", Deadline.after(callTimeout)));
    }

    // ---- reads -----------------------------------------------------------------------------------

    /**
     * The account with its balances, or empty if there is none (or the key may not see it). Its
     * {@link Account#tenant()} is 0, since the API names tenants by slug only: for the tenant, use
     * {@link #lookupAccountDetails}.
     */
    public Optional<Account> lookupAccount(Uint128 id) {
        return lookupAccountDetails(id).map(AccountDetails::account);
    }

    /**
     * The account with its tenant (the slug, such as {@code girlfanz}) and metadata, or empty if there is
     * none (or the key may not see it).
     */
    public Optional<AccountDetails> lookupAccountDetails(Uint128 id) {
        return lookup("/v1/accounts/" + Objects.requireNonNull(id, "id").toUuidString(), JsonResponseReader::account);
    }

    /** The transfer as recorded, with its pending status, or empty if there is none (or the key may not see it). */
    public Optional<Transfer> lookupTransfer(Uint128 id) {
        return lookupTransferDetails(id).map(TransferDetails::transfer);
    }

    /** The transfer as recorded with its metadata, or empty if there is none (or the key may not see it). */
    public Optional<TransferDetails> lookupTransferDetails(Uint128 id) {
        return lookup("/v1/transfers/" + Objects.requireNonNull(id, "id").toUuidString(), JsonResponseReader::transfer);
    }

    /**
     * The first page of the account's transfers matching {@code filter}, at most {@code filter.limit()}.
     * As in TigerBeetle, an invalid filter ({@link AccountFilter#isValid()}) matches nothing.
     * A transfer's metadata is not included; {@link #lookupTransferDetails} has it.
     *
     * @throws LedgerProblemException 404 if there is no such account (or the key may not see it)
     */
    public Page<Transfer> accountTransfers(AccountFilter filter) {
        return accountTransfers(filter, null);
    }

    /** The page after the one whose {@link Page#next()} is {@code cursor} (null for the first page). */
    public Page<Transfer> accountTransfers(AccountFilter filter, String cursor) {
        Objects.requireNonNull(filter, "filter");
        if (!filter.isValid()) {
            return new Page<>(List.of(), null);
        }
        String path = "/v1/accounts/" + filter.accountId().toUuidString() + "/transfers"
            + ListingQuery.transfers(filter, cursor);
        return JsonResponseReader.transfers(jsonBody(await(get(path))));
    }

    /**
     * Every transfer matching {@code filter}, fetched page by page ({@code filter.limit()} a page) as the
     * stream is consumed; the first page is fetched at once.
     */
    public Stream<Transfer> allAccountTransfers(AccountFilter filter) {
        return allPages(cursor -> accountTransfers(filter, cursor));
    }

    /**
     * The first page of the account's balance history (accounts with the {@code history} flag): its four
     * balances after each matching transfer. The server filters balances by time and direction only, so
     * a filter with user data or a code is an {@link IllegalArgumentException}.
     */
    public Page<AccountBalance> accountBalances(AccountFilter filter) {
        return accountBalances(filter, null);
    }

    /** The page after the one whose {@link Page#next()} is {@code cursor} (null for the first page). */
    public Page<AccountBalance> accountBalances(AccountFilter filter, String cursor) {
        Objects.requireNonNull(filter, "filter");
        String query = ListingQuery.balances(filter, cursor);
        if (!filter.isValid()) {
            return new Page<>(List.of(), null);
        }
        String path = "/v1/accounts/" + filter.accountId().toUuidString() + "/balances" + query;
        return JsonResponseReader.balances(jsonBody(await(get(path))));
    }

    /** Every balance matching {@code filter}, fetched page by page as the stream is consumed. */
    public Stream<AccountBalance> allAccountBalances(AccountFilter filter) {
        return allPages(cursor -> accountBalances(filter, cursor));
    }

    // ---- outcomes --------------------------------------------------------------------------------

    /**
     * True if the event's object now exists as it was sent: {@code created}, or {@code exists} — which,
     * when a request was retried, means an earlier attempt created it.
     */
    public static boolean isCreatedOrExists(CreateResult<?> result) {
        Enum<?> status = result.status();
        return status == CreateTransferStatus.CREATED || status == CreateTransferStatus.EXISTS
            || status == CreateAccountStatus.CREATED || status == CreateAccountStatus.EXISTS;
    }

    /** True if the entry is recorded: {@code created}, or {@code exists} from an earlier attempt. */
    public static boolean isCreatedOrExists(JournalEntryResult result) {
        return result.status() == CreateTransferStatus.CREATED || result.status() == CreateTransferStatus.EXISTS;
    }

    /**
     * Sends the single events already submitted, waits until every call in flight is decided — each by
     * its call timeout at the latest — and stops the client's threads, so no future of the client is left
     * incomplete. Calls made afterwards fail at once with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        transferBatcher.close();
        accountBatcher.close();
        calls.close();
        exchanges.close();
        executor.shutdown();
    }

    /** The call timeout in force, for tests. */
    Duration callTimeout() {
        return callTimeout;
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private CompletableFuture<HttpResponse<byte[]>> post(String path, String contentType, byte[] body) {
        HttpRequest request = request(path)
            .header("Content-Type", contentType)
            .header("Accept", contentType.equals(WireFormat.BINARY) ? ACCEPT_BINARY : ACCEPT_JSON)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        return exchange(request, body);
    }

    private CompletableFuture<HttpResponse<byte[]>> get(String path) {
        return exchange(request(path).header("Accept", ACCEPT_JSON).GET().build(), null);
    }

    /** One call: its answer, with all its retries, within the call timeout from now. */
    private CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest request, byte[] body) {
        Deadline deadline = Deadline.after(callTimeout);
        CompletableFuture<HttpResponse<byte[]>> answer = calls.open(request.method() + " " + request.uri().getPath(),
            deadline);
        transport.exchange(request, body, deadline, answer);
        return answer;
    }

    /** One logical request; its id stays the same across retries, so the server's logs connect them. */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .header("User-Agent", USER_AGENT)
            .header(WireFormat.REQUEST_ID_HEADER, UUID.randomUUID().toString());
    }

    private <T> Optional<T> lookup(String path, Function<byte[], T> reader) {
        try {
            return Optional.of(reader.apply(jsonBody(await(get(path)))));
        } catch (LedgerProblemException problem) {
            if (problem.status() == 404) {
                return Optional.empty();
            }
            throw problem;
        }
    }

    private static byte[] jsonBody(HttpResponse<byte[]> response) {
        requireContentType(response, WireFormat.JSON);
        return response.body();
    }

    private static byte[] binaryBody(HttpResponse<byte[]> response) {
        requireContentType(response, WireFormat.BINARY);
        return response.body();
    }

    private static void requireContentType(HttpResponse<byte[]> response, String expected) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith(expected)) {
            throw JsonTree.malformed("a " + expected + " answer expected, got '" + type + "'");
        }
    }

    // ---- JSON calls of the payments API ----------------------------------------------------------------

    /**
     * The payments half of the server's API (checkouts, the events feed, payees and their compliance,
     * payouts, creator balances) through this client's key, retries and deadlines.
     */
    public PaymentsApi payments() {
        return payments;
    }

    /**
     * One JSON call: {@code body} (null: none) to {@code path}, with {@code Idempotency-Key} when given and a
     * request timeout of at least {@code minRequestTimeout} (for long polls); the JSON answer's bytes, or a
     * {@link LedgerProblemException}. A 503 or an I/O failure is tried again as every call is — safe for the
     * payments API's writes, which are idempotent by key or by their nature (PUT). A caller interrupted while it
     * waits ends the call (its answer is dropped).
     */
    byte[] json(String method, String path, byte[] body, String idempotencyKey,
            Duration minRequestTimeout) {
        HttpRequest.Builder builder = request(path).header("Accept", ACCEPT_JSON);
        if (minRequestTimeout != null && minRequestTimeout.compareTo(requestTimeout) > 0) {
            builder.timeout(minRequestTimeout);
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", WireFormat.JSON).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        CompletableFuture<HttpResponse<byte[]>> call = exchange(builder.build(), body);
        try {
            return jsonBody(await(call));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof InterruptedIOException) {
                // The caller stopped waiting (a follower shutting down during a long poll): end the call, so
                // close() does not wait out its deadline for an answer nobody will read.
                call.completeExceptionally(e.getCause());
            }
            throw e;
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static <T> List<T> checkedBatch(List<T> events, String what) {
        EventChecks.requireBatchSize(events, what);
        return List.copyOf(events);
    }

    private static <T, R> List<R> wrap(List<T> events, Function<T, R> wrapper, String what) {
        EventChecks.requireBatchSize(events, what);
        List<R> wrapped = new ArrayList<>(events.size());
        for (T event : events) {
            wrapped.add(wrapper.apply(Objects.requireNonNull(event, what)));
        }
        return wrapped;
    }

    private static <T> Stream<T> allPages(Function<String, Page<T>> fetch) {
        return Stream.iterate(fetch.apply(null), Objects::nonNull, page -> page.hasNext() ? fetch.apply(page.next()) : null)
            .flatMap(page -> page.items().stream());
    }

    /** The future's value; its failure rethrown as it is (all failures here are unchecked). */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the ledger"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The client's settings, each checked when the client is built. Defaults: 30 s request timeout, 5 s
     * connect timeout, 5 attempts with backoff from 50 ms to 2 s, a call timeout those imply (158 s), 200 µs
     * linger, 8189 events a batch, one automatic batch in flight, 65,536 single events queued at most,
     * binary transfers on.
     */
    public static final class Builder {
        private final URI baseUrl;
        private final String apiKey;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration callTimeout;
        private int maxAttempts = 5;
        private Duration retryBaseDelay = Duration.ofMillis(50);
        private Duration retryMaxDelay = Duration.ofSeconds(2);
        private long lingerMicros = 200;
        private int maxBatchEvents = BATCH_EVENTS_MAX;
        private int maxBatchesInFlight = 1;
        private int maxQueuedEvents = 65_536;
        private int maxConnections = 64;
        private boolean jdkHttpClient;
        private boolean binaryTransfers = true;
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
        private Clock clock = Clock.systemUTC();
        private HttpTransport.Delays delays;
        private java.util.List<URI> failoverUrls = java.util.List.of();

        private Builder(URI baseUrl, String apiKey) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** How long one attempt may take, from sending to the whole answer (then it is retried). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The most one call may take in all, retries and their waits included (for a single event,
         * from its submission, queueing included): then its future fails with a
         * {@link LedgerTimeoutException}, whatever the server or the client's threads are doing. At most
         * 1 hour. By default as long as the retry schedule may take when every attempt times out:
         * {@code maxAttempts × requestTimeout + (maxAttempts − 1) × the longest backoff} (158 s with the
         * other defaults), capped at 1 hour.
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Tries per request, the first included: 1 (no retries) … 100. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** The first wait between tries and the longest; each wait doubles, with jitter. */
        public Builder retryBackoff(Duration baseDelay, Duration maxDelay) {
            this.retryBaseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
            this.retryMaxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /** How long an automatic batch waits for more events after its first: 0 … 1,000,000 µs. */
        public Builder lingerMicros(long micros) {
            this.lingerMicros = micros;
            return this;
        }

        /** The most events in one automatic batch: 1 … 8189. */
        public Builder maxBatchEvents(int events) {
            this.maxBatchEvents = events;
            return this;
        }

        /**
         * How many automatic batches (of each kind) may be undecided at once: 1 … 64. Above 1, batches may
         * be applied in a different order than their events were submitted.
         */
        public Builder maxBatchesInFlight(int batches) {
            this.maxBatchesInFlight = batches;
            return this;
        }

        /** How many single events (of each kind) may wait for a batch; more fail at once. */
        public Builder maxQueuedEvents(int events) {
            this.maxQueuedEvents = events;
            return this;
        }

        /**
         * How many requests may be under way at once over {@code http:} (each on a connection and an I/O thread
         * of the client's own): 1 … 1024, default 64. More wait their turn — within their call timeout. Connections
         * are kept alive and reused; {@code https:} URLs go through the JDK's HTTP client instead.
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Sends {@code http:} requests through the JDK's {@code java.net.http.HttpClient} too, instead of the
         * client's own HTTP/1.1 on sockets (off by default): a fallback, and a way to compare the two.
         */
        public Builder jdkHttpClient(boolean jdk) {
            this.jdkHttpClient = jdk;
            return this;
        }

        /**
         * Other servers of the same clustered ledger (see docs/replication.md): when a request cannot reach
         * its server, or the server answers 503, the client moves to the next one (in order, round the list)
         * and tries the request there. Safe for every write, as any retry is: events are named by their ids.
         */
        public Builder failoverUrls(URI... others) {
            for (URI other : others) {
                Objects.requireNonNull(other, "failover URL");
                if (!"http".equals(other.getScheme()) && !"https".equals(other.getScheme())) {
                    throw new IllegalArgumentException("a failover URL must be http(s): " + other);
                }
            }
            this.failoverUrls = java.util.List.of(others);
            return this;
        }

        /**
         * Whether transfers without metadata go as binary records (the default) or as JSON. Binary records
         * are written with Agrona, which needs {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED};
         * a client that sends JSON only needs no JVM flag.
         */
        public Builder binaryTransfers(boolean binary) {
            this.binaryTransfers = binary;
            return this;
        }

        /** For tests: the source of jitter, values in [0, 1). */
        Builder jitter(DoubleSupplier source) {
            this.jitter = Objects.requireNonNull(source, "source");
            return this;
        }

        /** For tests: the clock that dates an HTTP-date {@code Retry-After}. */
        Builder clock(Clock time) {
            this.clock = Objects.requireNonNull(time, "time");
            return this;
        }

        /** For tests: where retries wait. */
        Builder delays(HttpTransport.Delays retryDelays) {
            this.delays = Objects.requireNonNull(retryDelays, "retryDelays");
            return this;
        }

        /**
         * The client, once every setting is checked.
         *
         * @throws IllegalStateException if the JVM lacks a flag the client needs, naming it: with binary
         *                               transfers (the default), Agrona's
         *                               {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED}
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public LedgerClient build() {
            if (binaryTransfers) {
                JvmRequirements.requireForClient();
            }
            requireBaseUrl();
            if (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
                throw new IllegalArgumentException("the API key must be non-empty printable ASCII without spaces");
            }
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("connectTimeout", connectTimeout);
            if (callTimeout != null) {
                requirePositive("callTimeout", callTimeout);
                requireAtMost("callTimeout", callTimeout, CALL_TIMEOUT_MAX);
            }
            requireRange("maxAttempts", maxAttempts, 1, 100);
            requireRange("lingerMicros", lingerMicros, 0, 1_000_000);
            requireRange("maxBatchEvents", maxBatchEvents, 1, BATCH_EVENTS_MAX);
            requireRange("maxBatchesInFlight", maxBatchesInFlight, 1, 64);
            requireRange("maxQueuedEvents", maxQueuedEvents, 1, 1 << 24);
            requireRange("maxConnections", maxConnections, 1, 1024);
            if (retryBaseDelay.isNegative() || retryMaxDelay.compareTo(retryBaseDelay) < 0
                || retryMaxDelay.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("need 0 <= retry base delay <= max delay <= 5 min, got "
                    + retryBaseDelay + " and " + retryMaxDelay);
            }
            return new LedgerClient(this);
        }

        private void requireBaseUrl() {
            String scheme = baseUrl.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("the base URL must be http(s)://host[:port][/path], was " + baseUrl);
            }
        }

        /** The call timeout given, or the one the retry settings imply. */
        private Duration effectiveCallTimeout() {
            if (callTimeout != null) {
                return callTimeout;
            }
            Duration schedule = requestTimeout.multipliedBy(maxAttempts).plus(retryMaxDelay.multipliedBy(maxAttempts - 1L));
            return schedule.compareTo(CALL_TIMEOUT_MAX) < 0 ? schedule : CALL_TIMEOUT_MAX;
        }

        private static void requireAtMost(String name, Duration value, Duration max) {
            if (value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + max + ", was " + value);
            }
        }

        private static void requirePositive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }

        private static void requireRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
            }
        }
    }
}
