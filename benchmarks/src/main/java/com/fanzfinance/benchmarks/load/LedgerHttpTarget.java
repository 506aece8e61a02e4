package com.fanzfinance.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.NewAccount;
import com.fanzfinance.ledger.client.WireFormat;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/**
 * The ledger server over HTTP. With {@code --single-transfer-threads}, transfers go one at a time through one
 * shared {@link LedgerClient} (its automatic batching), as platform services post them. Accounts are created (untimed) and validated through {@link LedgerClient};
 * transfer batches go straight over {@link HttpClient} — one client, so one keep-alive HTTP/1.1
 * connection, per load client — with bodies built ahead by {@link TransferBodies}, in the binary or the
 * JSON transport. Nothing is retried: a refused or failed request fails the run.
 */
public final class LedgerHttpTarget implements Target {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final URI baseUrl;
    private final String apiKey;
    private final String tenant;
    private final Transport transport;
    private Workload workload;

    public LedgerHttpTarget(URI baseUrl, String apiKey, String tenant, Transport transport) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.apiKey = apiKey;
        this.tenant = tenant == null || tenant.isBlank() ? null : tenant;
        this.transport = transport;
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
    public Client openClient(int clientIndex) {
        if (workload == null) {
            throw new IllegalStateException("create the accounts first");
        }
        return new HttpClientSession();
    }

    @Override
    public SingleSender openSingleSender(LoadOptions.Singles singles) {
        if (workload == null) {
            throw new IllegalStateException("create the accounts first");
        }
        LedgerClient client = LedgerClient.builder(baseUrl, apiKey).requestTimeout(REQUEST_TIMEOUT).maxAttempts(1)
            .binaryTransfers(transport == Transport.BINARY).lingerMicros(singles.lingerMicros())
            .maxBatchesInFlight(singles.batchesInFlight()).maxQueuedEvents(Math.max(65_536, singles.threads()))
            .jdkHttpClient(singles.jdkHttpClient()).build();
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
        return LedgerClient.builder(baseUrl, apiKey).requestTimeout(REQUEST_TIMEOUT).maxAttempts(1).build();
    }

    private static void requireAccountsCreated(List<CreateResult<CreateAccountStatus>> results, int first) {
        for (CreateResult<CreateAccountStatus> result : results) {
            if (result.status() != CreateAccountStatus.CREATED) {
                throw new LoadFailure("account " + (first + result.index()) + " was not created: "
                    + result.status().wireName() + " (use a fresh server, or another --seed)");
            }
        }
    }

    private record HttpBatch(long firstTransfer, int count, byte[] body) implements PreparedBatch {
    }

    /** One load client: its own {@link HttpClient} and so its own connection. */
    private final class HttpClientSession implements Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        private final ThreadLocal<TransferBodies> bodies = ThreadLocal.withInitial(() -> new TransferBodies(workload));
        private final URI transfersUri = URI.create(baseUrl + "/v1/transfers");
        private final String authorization = "Bearer " + apiKey;

        @Override
        public PreparedBatch prepare(long firstTransfer, int count) {
            TransferBodies builder = bodies.get();
            byte[] body = transport == Transport.BINARY ? builder.binary(firstTransfer, count)
                : builder.json(firstTransfer, count);
            return new HttpBatch(firstTransfer, count, body);
        }

        @Override
        public void submit(PreparedBatch prepared) throws IOException, InterruptedException {
            HttpBatch batch = (HttpBatch) prepared;
            String contentType = transport == Transport.BINARY ? WireFormat.BINARY : WireFormat.JSON;
            HttpRequest request = HttpRequest.newBuilder(transfersUri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization).header("Content-Type", contentType)
                .header("Accept", contentType + ", " + WireFormat.PROBLEM_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body())).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            requireOk(response, "POST /v1/transfers");
            if (transport == Transport.BINARY) {
                CreateResults.requireAllCreatedBinary(response.body(), batch.firstTransfer(), batch.count());
            } else {
                CreateResults.requireAllCreatedJson(response.body(), batch.firstTransfer(), batch.count());
            }
        }

        @Override
        public void query(int accountIndex, int limit) throws IOException, InterruptedException {
            URI uri = URI.create(baseUrl + "/v1/accounts/" + workload.accountId(accountIndex).toUuidString()
                + "/transfers?limit=" + limit);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization).header("Accept", WireFormat.JSON).GET().build();
            requireOk(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), "GET " + uri.getPath());
        }

        @Override
        public void close() {
            // java.net.http.HttpClient has no close() before JDK 21; its connection goes with the client.
        }

        private void requireOk(HttpResponse<byte[]> response, String what) {
            if (response.statusCode() != 200) {
                String body = new String(response.body(), StandardCharsets.UTF_8);
                throw new LoadFailure(what + " answered " + response.statusCode() + ": "
                    + body.substring(0, Math.min(body.length(), 500)));
            }
        }
    }
}
