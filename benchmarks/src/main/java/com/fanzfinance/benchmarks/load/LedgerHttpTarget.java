package com.fanzfinance.benchmarks.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fanzfinance.ledger.client.EncodedTransfers;
import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.NewAccount;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/**
 * The ledger server over HTTP, everything through {@code ledger-client} as applications use it. With
 * {@code --single-transfer-threads}, transfers go one at a time through one shared {@link LedgerClient} (its
 * automatic batching), as platform services post them. Otherwise each load client has its own
 * {@link LedgerClient} (one batch in flight, so one kept-alive connection) and sends batches encoded ahead by
 * {@link TransferBodies} ({@link EncodedTransfers}, binary or JSON). Accounts are created (untimed) and validated
 * through a client too. Nothing is retried ({@code maxAttempts(1)}): a refused or failed request fails the run.
 * (The client's own HTTP/1.1 still resends a request once when a kept-alive connection turns out to have been
 * closed by the server before any answer; a batch so resent that had been applied would fail the run with
 * {@code exists}, never pass unnoticed.)
 */
public final class LedgerHttpTarget implements Target {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** {@code --watch-lag}: the read-model lag is read this often. */
    private static final long LAG_READ_INTERVAL_MILLIS = 200;

    private final URI baseUrl;
    private final String apiKey;
    private final String tenant;
    private final Transport transport;
    private final boolean jdkHttpClient;
    private final boolean failuresOnly;
    private Workload workload;

    /** @param jdkHttpClient the client's HTTP through {@code java.net.http.HttpClient} instead of its own sockets */
    public LedgerHttpTarget(URI baseUrl, String apiKey, String tenant, Transport transport, boolean jdkHttpClient) {
        this(baseUrl, apiKey, tenant, transport, jdkHttpClient, false);
    }

    /**
     * @param failuresOnly whole batches ask for the results of failed transfers only ({@code ?results=failures},
     *                     {@link LedgerClient#createTransfersFailuresOnly}); the run then requires an empty answer
     */
    public LedgerHttpTarget(URI baseUrl, String apiKey, String tenant, Transport transport, boolean jdkHttpClient,
                            boolean failuresOnly) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.apiKey = apiKey;
        this.tenant = tenant == null || tenant.isBlank() ? null : tenant;
        this.transport = transport;
        this.jdkHttpClient = jdkHttpClient;
        this.failuresOnly = failuresOnly;
    }

    @Override
    public void createAccounts(Workload workload) {
        this.workload = workload;
        try (LedgerClient client = ledgerClient()) {
            for (int first = 0; first < workload.accountCount(); first += LedgerClient.BATCH_EVENTS_MAX) {
                int count = Math.min(LedgerClient.BATCH_EVENTS_MAX, workload.accountCount() - first);
                List<NewAccount> accounts = new ArrayList<>(count);
                for (int i = first; i < first + count; i++) {
                    accounts.add(new NewAccount(workload.account(i), tenant, null));
                }
                requireAccountsCreated(client.createAccountsWithMetadata(accounts), first);
            }
        }
    }

    @Override
    public LagWatch lagWatch() {
        return new LagWatch(baseUrl, LAG_READ_INTERVAL_MILLIS);
    }

    @Override
    public Client openClient(int clientIndex) {
        if (workload == null) {
            throw new IllegalStateException("create the accounts first");
        }
        return new ClientSession();
    }

    @Override
    public SingleSender openSingleSender(LoadOptions.Singles singles) {
        if (workload == null) {
            throw new IllegalStateException("create the accounts first");
        }
        LedgerClient client = LedgerClient.builder(baseUrl, apiKey).requestTimeout(REQUEST_TIMEOUT).maxAttempts(1)
            .binaryTransfers(transport == Transport.BINARY).lingerMicros(singles.lingerMicros())
            .maxBatchesInFlight(singles.batchesInFlight()).maxQueuedEvents(Math.max(65_536, singles.threads()))
            .jdkHttpClient(jdkHttpClient).build();
        return new SingleSender() {
            @Override
            public void submit(long transferIndex) {
                CreateResult<CreateTransferStatus> result = client.createTransfer(workload.transfer(transferIndex)).join();
                if (result.status() != CreateTransferStatus.CREATED) {
                    throw new LoadFailure("transfer " + transferIndex + " was not created: " + result.status().wireName());
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Override
    public void validate(Workload workload, BalanceFold fold, ValidationReport report)
        throws InterruptedException, java.util.concurrent.ExecutionException {
        try (LedgerClient client = ledgerClient()) {
            new LedgerValidation(workload, fold, client, report).run();
        }
    }

    @Override
    public void close() {
        // Each client session closes its own connection.
    }

    LedgerClient ledgerClient() {
        return LedgerClient.builder(baseUrl, apiKey).requestTimeout(REQUEST_TIMEOUT).maxAttempts(1)
            .jdkHttpClient(jdkHttpClient).build();
    }

    private static void requireAccountsCreated(List<CreateResult<CreateAccountStatus>> results, int first) {
        for (CreateResult<CreateAccountStatus> result : results) {
            if (result.status() != CreateAccountStatus.CREATED) {
                throw new LoadFailure("account " + (first + result.index()) + " was not created: "
                    + result.status().wireName() + " (use a fresh server, or another --seed)");
            }
        }
    }

    private record EncodedBatch(long firstTransfer, int count, EncodedTransfers transfers) implements PreparedBatch {
    }

    /** One load client: its own {@link LedgerClient}, one batch in flight, so one kept-alive connection. */
    private final class ClientSession implements Client {
        private final LedgerClient client = ledgerClient();
        private final ThreadLocal<TransferBodies> bodies = ThreadLocal.withInitial(() -> new TransferBodies(workload));

        @Override
        public PreparedBatch prepare(long firstTransfer, int count) {
            TransferBodies builder = bodies.get();
            EncodedTransfers transfers = transport == Transport.BINARY ? builder.binary(firstTransfer, count)
                : builder.json(firstTransfer, count);
            return new EncodedBatch(firstTransfer, count, transfers);
        }

        @Override
        public void submit(PreparedBatch prepared) {
            EncodedBatch batch = (EncodedBatch) prepared;
            if (failuresOnly) {
                requireNoFailures(client.createTransfersFailuresOnly(batch.transfers()), batch.firstTransfer());
            } else {
                requireAllCreated(client.createTransfers(batch.transfers()), batch.firstTransfer(), batch.count());
            }
        }

        @Override
        public void query(int accountIndex, int limit) {
            client.accountTransfers(AccountFilter.of(workload.accountId(accountIndex), limit));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** An answer of failures only ({@code ?results=failures}) must be empty; the first failure fails the run. */
    static void requireNoFailures(List<CreateResult<CreateTransferStatus>> failures, long firstTransfer) {
        if (!failures.isEmpty()) {
            CreateResult<CreateTransferStatus> first = failures.get(0);
            throw new LoadFailure(failures.size() + " transfers of the batch were not created; transfer "
                + (firstTransfer + first.index()) + ": " + first.status().wireName());
        }
    }

    /**
     * Exactly one result per transfer, every one {@code created}; anything else fails the run with the transfer's
     * index and status, as TigerBeetle's benchmark panics on any result.
     */
    static void requireAllCreated(List<CreateResult<CreateTransferStatus>> results, long firstTransfer, int count) {
        if (results.size() != count) {
            throw new LoadFailure(count + " results expected, " + results.size() + " received");
        }
        for (CreateResult<CreateTransferStatus> result : results) {
            if (result.status() != CreateTransferStatus.CREATED) {
                throw new LoadFailure("transfer " + (firstTransfer + result.index()) + " was not created: "
                    + result.status().wireName());
            }
        }
    }
}
