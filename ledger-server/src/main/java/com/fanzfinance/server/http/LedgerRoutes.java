package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.WireFormat.BINARY;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.agrona.concurrent.UnsafeBuffer;

import io.javalin.http.Context;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntries;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.CommandTooLargeException;
import com.fanzfinance.ledger.engine.LedgerBusyException;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.LedgerFailedException;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.metrics.ServerMetrics;

/**
 * The ledger endpoints. Each handler parses, authorises, submits to the engine and maps the outcome to
 * a response; waiting for the engine happens asynchronously, off the request threads. A 200 on a write
 * means every event in it was decided and every created one is durable.
 */
final class LedgerRoutes {
    static final int QUERY_LIMIT_DEFAULT = 100;
    static final String TENANT_HEADER = "X-Tenant";
    /** Arrays for binary transfer batches, each held until the ledger completes its command: one per batch in flight. */
    static final int BINARY_BODY_ARRAYS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final Ledger engine;
    private final TenantRegistry tenants;
    private final ServerMetrics metrics;
    private final Executor responders;
    /** Parses the second half of a large JSON batch while the request's thread parses the first; may be null. */
    private final Executor parseHelpers;
    private final long timeoutMillis;
    /** One array per core (at least two) for JSON transfer batches read whole. */
    private final BodyBuffers jsonBodies = new BodyBuffers(Math.max(2, Runtime.getRuntime().availableProcessors()),
        BodyBuffers.JSON_BYTES_MAX);
    private final BodyBuffers binaryBodies = new BodyBuffers(BINARY_BODY_ARRAYS, BinaryTransport.BODY_BYTES_MAX);

    /**
     * @param responders where responses are built once the engine has answered — never the engine's own
     *                   threads, which complete the futures and must go straight back to the ring
     * @param parseHelpers threads that parse half of a large JSON batch of transfers alongside the request's own
     *                     thread, refusing ({@link java.util.concurrent.RejectedExecutionException}) when none is idle;
     *                     {@code null} for none
     */
    LedgerRoutes(Ledger engine, TenantRegistry tenants, ServerMetrics metrics, Executor responders,
                 Executor parseHelpers, long timeoutMillis) {
        this.engine = engine;
        this.tenants = tenants;
        this.metrics = metrics;
        this.responders = responders;
        this.parseHelpers = parseHelpers;
        this.timeoutMillis = timeoutMillis;
    }

    void createAccounts(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_WRITE);
        boolean binary = isBinary(ctx);
        boolean failuresOnly = QueryParameters.failuresOnly(ctx);
        JsonRequests.Batch batch = binary ? BinaryTransport.accounts(body.bytes(), binaryTenant(ctx))
            : JsonRequests.accounts(body.stream());
        UnsafeBuffer scope = scopeOf(key);
        int scopeCount = scope.capacity() / Integer.BYTES;
        UnsafeBuffer tenantIds = resolveTenants(key, batch, binary, scope);
        UnsafeBuffer results = new UnsafeBuffer(new byte[batch.count() * ResultLayout.SIZE]);
        CompletableFuture<CommandOutcome> submitted = submit(() -> engine.submitAccounts(batch.records(), 0, batch.count(),
            tenantIds, 0, scopeCount, batch.sideData(), 0, batch.sideDataLength(), results, 0));
        respondToWrite(ctx, submitted, results, batch.count(), binary, event -> "/accounts/" + event, () -> {
            metrics.recordAccounts(results, batch.count());
            return binary ? binaryResults(results, batch.count(), failuresOnly)
                : JsonResponses.createResults(results, batch.records(), batch.count(), true, failuresOnly);
        });
    }

    /** Binary body arrays free now. */
    int binaryBodyArraysFree() {
        return binaryBodies.free();
    }

    void createTransfers(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_WRITE);
        boolean binary = isBinary(ctx);
        boolean failuresOnly = QueryParameters.failuresOnly(ctx);
        byte[] reused = binary ? binaryBodies.take(body.declaredLength()) : null;
        CompletableFuture<CommandOutcome> submitted;
        JsonRequests.Batch batch;
        UnsafeBuffer results;
        try {
            batch = reused != null ? BinaryTransport.transfers(reused, body.readInto(reused))
                : binary ? BinaryTransport.transfers(body.bytes()) : jsonTransfers(body);
            results = new UnsafeBuffer(new byte[batch.count() * ResultLayout.SIZE]);
            UnsafeBuffer scope = scopeOf(key);
            submitted = submit(() -> engine.submitTransfers(batch.records(), 0, batch.count(), scope, 0,
                scope.capacity() / Integer.BYTES, batch.sideData(), 0, batch.sideDataLength(), results, 0));
        } catch (RuntimeException | Error e) {
            if (reused != null) {
                binaryBodies.release(reused);
            }
            throw e;
        }
        if (reused != null) {
            // The ledger reads the records until it completes the command, whatever the HTTP side does meanwhile. This
            // runs on the thread that completes it (the engine's publisher): one uncontended offer to a queue.
            submitted.whenComplete((outcome, failure) -> binaryBodies.release(reused));
        }
        respondToWrite(ctx, submitted, results, batch.count(), binary, event -> "/transfers/" + event, () -> {
            metrics.recordTransfers(results, batch.count());
            return binary ? binaryResults(results, batch.count(), failuresOnly)
                : JsonResponses.createResults(results, batch.records(), batch.count(), false, failuresOnly);
        });
    }

    /** A JSON batch of transfers: read whole and parsed by the fast path when an array is free, else streamed. */
    private JsonRequests.Batch jsonTransfers(RequestBody body) {
        byte[] buffer = jsonBodies.take(body.declaredLength());
        if (buffer == null) {
            return JsonRequests.transfers(body.stream());
        }
        try {
            return JsonRequests.transfers(buffer, body.readInto(buffer), parseHelpers);
        } finally {
            jsonBodies.release(buffer);
        }
    }

    void createEntries(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_WRITE);
        JsonRequests.Entries parsed = JsonRequests.entries(body.stream());
        JournalEntries expanded = JournalEntries.expand(parsed.entries());
        List<Transfer> legs = expanded.transfers();
        UnsafeBuffer records = new UnsafeBuffer(new byte[legs.size() * 128]);
        for (int i = 0; i < legs.size(); i++) {
            Records.encode(legs.get(i), records, i * 128);
        }
        UnsafeBuffer side = entryMetadata(parsed, expanded);
        UnsafeBuffer results = new UnsafeBuffer(new byte[legs.size() * ResultLayout.SIZE]);
        UnsafeBuffer scope = scopeOf(key);
        CompletableFuture<CommandOutcome> submitted = submit(() -> engine.submitTransfers(records, 0, legs.size(), scope, 0,
            scope.capacity() / Integer.BYTES, side, 0, side.capacity(), results, 0));
        respondToWrite(ctx, submitted, results, legs.size(), false, leg -> "/entries/" + expanded.entryOfLeg(leg), () -> {
            metrics.recordTransfers(results, legs.size());
            List<CreateResult<CreateTransferStatus>> legResults = new ArrayList<>();
            for (int i = 0; i < legs.size(); i++) {
                legResults.add(new CreateResult<>(i, CreateTransferStatus.ofCode(results.getInt(i * 16 + 8) & 0xFFFF_FFFFL),
                    results.getLong(i * 16)));
            }
            List<JournalEntryResult> entryResults = expanded.results(legResults);
            return JsonResponses.entryResults(entryResults);
        });
    }

    void getAccount(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        Uint128 id = pathId(ctx);
        respondToRead(ctx, submit(() -> engine.query(machine -> {
            Account account = machine.lookupAccount(id);
            return account == null ? null : new JsonResponses.AccountView(account, null, machine.accountMetadata(id));
        })), view -> {
            if (view == null || !key.covers(view.account().tenant())) {
                throw Problem.notFound("no account " + id);
            }
            return JsonResponses.account(new JsonResponses.AccountView(view.account(),
                tenants.slugOf(view.account().tenant()).orElse(null), view.metadata()));
        });
    }

    void getTransfer(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        Uint128 id = pathId(ctx);
        respondToRead(ctx, submit(() -> engine.query(machine -> {
            Transfer transfer = machine.lookupTransfer(id);
            if (transfer == null || !visible(machine, key, transfer)) {
                return null;
            }
            return new JsonResponses.TransferView(transfer, machine.transferMetadata(id));
        })), view -> {
            if (view == null) {
                throw Problem.notFound("no transfer " + id);
            }
            return JsonResponses.transfer(view);
        });
    }

    void accountTransfers(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        Uint128 id = pathId(ctx);
        QueryParameters.Listing listing = QueryParameters.listing(ctx, id, true);
        respondToRead(ctx, submit(() -> engine.query(machine -> {
            Account account = machine.lookupAccount(id);
            if (account == null || !key.covers(account.tenant())) {
                return null;
            }
            List<JsonResponses.TransferView> views = new ArrayList<>();
            for (Transfer transfer : machine.accountTransfers(listing.filter())) {
                views.add(new JsonResponses.TransferView(transfer, machine.transferMetadata(transfer.id())));
            }
            return views;
        })), views -> {
            if (views == null) {
                throw Problem.notFound("no account " + id);
            }
            long last = views.isEmpty() ? 0 : views.get(views.size() - 1).transfer().timestamp();
            return JsonResponses.transfers(views, listing.next(views.size(), last));
        });
    }

    void accountBalances(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        Uint128 id = pathId(ctx);
        QueryParameters.Listing listing = QueryParameters.listing(ctx, id, false);
        respondToRead(ctx, submit(() -> engine.query(machine -> {
            Account account = machine.lookupAccount(id);
            if (account == null || !key.covers(account.tenant())) {
                return null;
            }
            return machine.accountBalances(listing.filter());
        })), balances -> {
            if (balances == null) {
                throw Problem.notFound("no account " + id);
            }
            long last = balances.isEmpty() ? 0 : balances.get(balances.size() - 1).timestamp();
            return JsonResponses.balances(balances, listing.next(balances.size(), last));
        });
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A transfer is visible to a key that covers either of its accounts. */
    private static boolean visible(StateMachine machine, ApiKey key, Transfer transfer) {
        if (key.isAdmin()) {
            return true;
        }
        Account debit = machine.lookupAccount(transfer.debitAccountId());
        Account credit = machine.lookupAccount(transfer.creditAccountId());
        return (debit != null && key.covers(debit.tenant())) || (credit != null && key.covers(credit.tenant()));
    }

    /** Each account's tenant, followed by the key's scope (which the engine checks them against). */
    private UnsafeBuffer resolveTenants(ApiKey key, JsonRequests.Batch batch, boolean binary, UnsafeBuffer scope) {
        UnsafeBuffer ids = new UnsafeBuffer(new byte[batch.count() * Integer.BYTES + scope.capacity()]);
        for (int i = 0; i < batch.count(); i++) {
            String slug = batch.tenants()[i];
            String pointer = binary ? TENANT_HEADER : "/accounts/" + i + "/tenant";
            ids.putInt(i * Integer.BYTES, tenantFor(key, slug, pointer));
        }
        ids.putBytes(batch.count() * Integer.BYTES, scope, 0, scope.capacity());
        return ids;
    }

    /** Binary account records have no tenant field: the {@code X-Tenant} header names one for the whole batch. */
    private static String binaryTenant(Context ctx) {
        String slug = ctx.header(TENANT_HEADER);
        if (slug != null && !TenantRegistry.isValidSlug(slug)) {
            throw Problem.invalidField("not a tenant slug: '" + slug + "'", TENANT_HEADER);
        }
        return slug;
    }

    /**
     * The tenant an account is created in: the one named, else the key's only tenant. Admin keys may name
     * any tenant (registering it) or none: tenant 0, house accounts that only admin keys can see.
     */
    private int tenantFor(ApiKey key, String slug, String pointer) {
        if (slug == null) {
            if (key.tenants().size() == 1) {
                return key.tenants().iterator().next();
            }
            if (key.isAdmin()) {
                return 0;
            }
            throw Problem.invalidField("'tenant' is required: this key " + (key.tenants().isEmpty() ? "has no tenant"
                : "has several tenants"), pointer);
        }
        if (key.isAdmin()) {
            return tenants.register(slug);
        }
        Integer id = tenants.idOf(slug).orElse(null);
        if (id == null || !key.covers(id)) {
            throw Problem.forbidden("this key may not create accounts in tenant '" + slug + "'", pointer);
        }
        return id;
    }

    /** Admin keys may touch any account (an empty scope); other keys only their tenants'. */
    private static UnsafeBuffer scopeOf(ApiKey key) {
        if (key.isAdmin()) {
            return new UnsafeBuffer(new byte[0]);
        }
        Set<Integer> ids = key.tenants();
        if (ids.isEmpty()) {
            throw Problem.forbidden("this key has no tenant to move money in", null);
        }
        UnsafeBuffer scope = new UnsafeBuffer(new byte[ids.size() * Integer.BYTES]);
        int i = 0;
        // In number order: the first tenant is the one a several-tenant key's transfers are accounted to.
        for (int id : new java.util.TreeSet<>(ids)) {
            scope.putInt(i++ * Integer.BYTES, id);
        }
        return scope;
    }

    /** The entries' metadata as side data, each attached to its entry's first transfer. */
    private static UnsafeBuffer entryMetadata(JsonRequests.Entries parsed, JournalEntries expanded) {
        List<Integer> legIndexes = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int e = 0; e < parsed.entries().size(); e++) {
            if (parsed.metadata().get(e) != null) {
                legIndexes.add(expanded.firstLegOf(e));
                values.add(parsed.metadata().get(e));
            }
        }
        return SideData.encode(legIndexes, values);
    }

    /**
     * The binary answer: every event's 16-byte result, or with {@code failuresOnly} those of the events not
     * {@code created} only, in event order, each with its event's index in the result's reserved field.
     */
    private static byte[] binaryResults(UnsafeBuffer results, int count, boolean failuresOnly) {
        if (!failuresOnly) {
            byte[] bytes = new byte[count * ResultLayout.SIZE];
            results.getBytes(0, bytes);
            return bytes;
        }
        int failures = 0;
        for (int i = 0; i < count; i++) {
            failures += JsonResponses.isCreated(results, i) ? 0 : 1;
        }
        UnsafeBuffer answer = new UnsafeBuffer(new byte[failures * ResultLayout.SIZE]);
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (!JsonResponses.isCreated(results, i)) {
                answer.putBytes(at, results, i * ResultLayout.SIZE, ResultLayout.SIZE);
                answer.putInt(at + ResultLayout.RESERVED, i);
                at += ResultLayout.SIZE;
            }
        }
        return answer.byteArray();
    }

    /**
     * Whether the body is binary records. The header is read raw: Jetty's own reading of it resolves the charset
     * parameter and throws for one Java does not know ({@code charset=nope}), which must not be a 500.
     */
    private static boolean isBinary(Context ctx) {
        return BINARY.equals(MediaType.of(ctx.header("Content-Type")));
    }

    private static Uint128 pathId(Context ctx) {
        try {
            return Uint128.fromUuid(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a canonical UUID: '" + ctx.pathParam("id") + "'", "/id");
        }
    }

    private static <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (LedgerBusyException e) {
            throw busy(e);
        } catch (CommandTooLargeException e) {
            throw Problem.tooLarge(e.getMessage() + "; send it in smaller batches");
        } catch (LedgerFailedException e) {
            throw new Problem(503, "ledger-failed", "Service unavailable", "the ledger has stopped after a failure", null);
        }
    }

    private interface ResponseBody<T> {
        byte[] of(T value);
    }

    /**
     * Answers a write once the engine has decided it. A command refused whole (ledger full, a transfer
     * outside the key's tenants) is a problem response; for a refused tenant the offending event is the
     * one the state machine marked in the results.
     */
    private void respondToWrite(Context ctx, CompletableFuture<CommandOutcome> submitted, UnsafeBuffer results, int count,
                                boolean binary, IntFunction<String> pointerOf, Supplier<byte[]> body) {
        metrics.recordBatch(count);
        // A copy times out, not the ledger's own future: what waits on that (a reused body array) waits for the ledger.
        ctx.future(() -> submitted.copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handleAsync((outcome, failure) -> {
            if (failure != null) {
                throw failureOf(failure);
            }
            switch (outcome) {
                case APPLIED -> {
                    ctx.contentType(binary ? BINARY : "application/json");
                    ctx.result(body.get());
                }
                case LEDGER_FULL -> throw new Problem(507, "ledger-full", "Insufficient storage",
                    "the ledger is at its configured capacity; nothing was applied", null);
                case TENANT_FORBIDDEN -> {
                    int event = Math.max(StateMachine.forbiddenEventIn(results, 0, count), 0);
                    String pointer = binary ? "/" + event : pointerOf.apply(event);
                    throw Problem.forbidden("this event touches an account or transfer outside this key's tenants, or"
                        + " names an id that another tenant's account or transfer holds; nothing was applied", pointer);
                }
                case TENANT_QUOTA_EXCEEDED -> {
                    int event = Math.max(StateMachine.forbiddenEventIn(results, 0, count), 0);
                    String pointer = binary ? "/" + event : pointerOf.apply(event);
                    throw new Problem(403, "tenant-quota-exceeded", "Forbidden", "this command would take the tenant"
                        + " past its quota of accounts, or of transfers and failed transfers; nothing was applied"
                        + " (an admin can raise the tenant's quota)", pointer);
                }
                default -> throw new IllegalStateException("unexpected outcome " + outcome);
            }
            return null;
        }, responders));
    }

    private <T> void respondToRead(Context ctx, CompletableFuture<T> query, ResponseBody<T> body) {
        ctx.future(() -> query.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handleAsync((value, failure) -> {
            if (failure != null) {
                throw failureOf(failure);
            }
            ctx.contentType("application/json");
            ctx.result(body.of(value));
            return null;
        }, responders));
    }

    /** The problem to answer for a failed engine future. */
    /** Busy now (a full ring, or no answer from a clustered ledger's leader in time): nothing is lost by retrying. */
    private static Problem busy(LedgerBusyException e) {
        return new Problem(503, "ledger-busy", "Service unavailable", e.getMessage() + "; retry with the same ids", null);
    }

    static RuntimeException failureOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Problem problem) {
            return problem;
        }
        if (cause instanceof TimeoutException) {
            return new Problem(504, "ledger-timeout", "Gateway timeout",
                "the ledger did not answer in time; the request may still be applied — retrying with the same ids is safe",
                null);
        }
        if (cause instanceof LedgerBusyException busy) {
            return busy(busy);
        }
        if (cause instanceof LedgerFailedException) {
            return new Problem(503, "ledger-failed", "Service unavailable", "the ledger has stopped after a failure", null);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
