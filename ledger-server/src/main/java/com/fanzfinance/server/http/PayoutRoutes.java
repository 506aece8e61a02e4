package com.fanzfinance.server.http;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.Payments;
import com.fanzfinance.server.payments.payouts.Payees;
import com.fanzfinance.server.payments.payouts.PayoutBatches;
import com.fanzfinance.server.payments.payouts.Payouts;

import static com.fanzfinance.server.payments.schema.Tables.PAYOUTS;
import static com.fanzfinance.server.payments.schema.Tables.PAYOUT_BATCHES;

/**
 * The payout endpoints (PAYMENTS-API §6): payees and their compliance, payouts and their moves, batches, their
 * files and the bank's return files. Thin: each parses, authorises and hands over to the payouts half.
 */
final class PayoutRoutes {
    private static final int LIMIT_MAX = 1000;

    /** The payments routes, whose tenant visibility rules and helpers these share. */
    private final PaymentRoutes shared;
    private final TenantRegistry tenants;

    PayoutRoutes(PaymentRoutes shared, TenantRegistry tenants) {
        this.shared = shared;
        this.tenants = tenants;
    }

    // ---- payees -------------------------------------------------------------------------------------

    void savePayee(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_WRITE);
        Payees.Saved saved = payments().payees().save(Fields.parse(body.bytes(), Payees.FIELDS),
            Audit.tenantWhen(ctx, tenant -> tenants.idOf(tenant).isPresent() && covers(key, tenant)));
        json(ctx, saved.created() ? 201 : 200, Payees.toJson(saved.payee()));
    }

    void listPayees(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "creator", "limit", "cursor", "reversed"));
        int limit = limit(ctx);
        List<Payees.Payee> page = payments().payees().list(visibleTenants(key), ctx.queryParam("tenant"),
            ctx.queryParam("creator"), cursor(ctx), limit + 1, QueryParameters.bool(ctx, "reversed", false));
        json(ctx, 200, PaymentRoutes.page("payees", page, limit, Payees::toJson, Payees.Payee::seq));
    }

    void getPayee(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        json(ctx, 200, Payees.toJson(visiblePayee(key, ctx.pathParam("id"))));
    }

    void setCompliance(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.COMPLIANCE_WRITE);
        Payees.Payee payee = visiblePayee(key, ctx.pathParam("id"));
        Audit.tenant(ctx, payee.tenant());
        json(ctx, 200, Payees.toJson(payments().payees().setCompliance(payee.id(),
            Fields.parse(body.bytes(), Payees.COMPLIANCE_FIELDS))));
    }

    private Payees.Payee visiblePayee(ApiKey key, String idText) {
        return payments().payees().get(pathUuid(idText)).filter(payee -> covers(key, payee.tenant()))
            .orElseThrow(() -> Problem.notFound("no payee " + idText));
    }

    // ---- payouts ------------------------------------------------------------------------------------

    void requestPayout(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_WRITE);
        byte[] bytes = body.bytes();
        Payouts.Created created = payments().payouts().request(Fields.parse(bytes, Payouts.FIELDS),
            Audit.tenantWhen(ctx, tenant -> covers(key, tenant)), PaymentRoutes.idempotencyKey(ctx),
            PaymentRoutes.fingerprint(bytes), key.id());
        json(ctx, created.created() ? 201 : 200, Payouts.toJson(created.payout()));
    }

    void listPayouts(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "creator", "status", "rail", "batch_id", "payee_id", "limit",
            "cursor", "reversed"));
        Set<String> visible = visibleTenants(key);
        Condition where = visible == null ? DSL.noCondition() : PAYOUTS.TENANT.in(visible);
        where = eq(where, ctx, "tenant", PAYOUTS.TENANT);
        where = eq(where, ctx, "creator", PAYOUTS.CREATOR);
        where = eq(where, ctx, "rail", PAYOUTS.RAIL);
        String status = ctx.queryParam("status");
        if (status != null && !Payouts.STATUSES.contains(status)) {
            throw Problem.invalidField("'status' must be one of " + String.join(", ", new TreeSet<>(Payouts.STATUSES)), "?status");
        }
        where = eq(where, ctx, "status", PAYOUTS.STATUS);
        if (ctx.queryParam("batch_id") != null) {
            where = where.and(PAYOUTS.BATCH_ID.eq(queryUuid(ctx, "batch_id")));
        }
        if (ctx.queryParam("payee_id") != null) {
            where = where.and(PAYOUTS.PAYEE_ID.eq(queryUuid(ctx, "payee_id")));
        }
        int limit = limit(ctx);
        List<Payouts.Payout> page = payments().payouts().list(where, cursor(ctx), limit + 1,
            QueryParameters.bool(ctx, "reversed", false));
        json(ctx, 200, PaymentRoutes.page("payouts", page, limit, Payouts::toJson, Payouts.Payout::seq));
    }

    void getPayout(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        json(ctx, 200, Payouts.toJson(visiblePayout(ctx, key, ctx.pathParam("id"))));
    }

    void cancelPayout(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_WRITE);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        json(ctx, 200, Payouts.toJson(payments().payouts().cancel(payout.id())));
    }

    /** Approves a payout awaiting approval; the body ({@code {"note"}}) is optional. */
    void approvePayout(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        byte[] bytes = body.bytes();
        Fields fields = bytes.length == 0 ? null : Fields.parse(bytes, Payouts.APPROVE_FIELDS);
        json(ctx, 200, Payouts.toJson(payments().payouts().approve(payout.id(), key.id(), fields)));
    }

    void holdPayout(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        json(ctx, 200, Payouts.toJson(payments().payouts().putOnHold(payout.id(), key.id(),
            Fields.parse(body.bytes(), Payouts.HOLD_FIELDS))));
    }

    void releasePayout(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        json(ctx, 200, Payouts.toJson(payments().payouts().release(payout.id(), key.id())));
    }

    void payoutEvent(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        json(ctx, 200, Payouts.toJson(payments().payouts().event(payout.id(),
            Fields.parse(body.bytes(), Payouts.EVENT_FIELDS))));
    }

    /**
     * Asks an API rail about the payout now (held: hands it over; submitted: the driver's next step), whatever its
     * next check says; 200 the payout. Any other payout → 409 {@code invalid-payout-transition}.
     */
    void checkRail(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        Payouts.Payout payout = visiblePayout(ctx, key, ctx.pathParam("id"));
        if (!payments().railRunner().checkNow(payout.id(), java.time.Instant.now())) {
            throw new Problem(409, "invalid-payout-transition", "Conflict", "payout " + payout.id() + " is not an API-rail"
                + " payout on its way (held or submitted, of paxum, wise, usdc_evm or btc)", null);
        }
        json(ctx, 200, Payouts.toJson(payments().payouts().get(payout.id()).orElseThrow()));
    }

    /** The payout {@code idText} if the key may see it (404 otherwise); its tenant is the audit log's. */
    private Payouts.Payout visiblePayout(Context ctx, ApiKey key, String idText) {
        Payouts.Payout found = payments().payouts().get(pathUuid(idText)).filter(payout -> covers(key, payout.tenant()))
            .orElseThrow(() -> Problem.notFound("no payout " + idText));
        Audit.tenant(ctx, found.tenant());
        return found;
    }

    // ---- batches ------------------------------------------------------------------------------------

    void createBatch(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        PayoutBatches.Batch batch = payments().batches().create(Fields.parse(body.bytes(), PayoutBatches.FIELDS),
            Audit.tenantWhen(ctx, tenant -> covers(key, tenant)));
        json(ctx, 201, PayoutBatches.toJson(batch));
    }

    void listBatches(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "rail", "merchant_account_id", "status", "limit", "cursor",
            "reversed"));
        Set<String> visible = visibleTenants(key);
        Condition where = visible == null ? DSL.noCondition() : PAYOUT_BATCHES.TENANT.in(visible);
        where = eq(where, ctx, "tenant", PAYOUT_BATCHES.TENANT);
        where = eq(where, ctx, "rail", PAYOUT_BATCHES.RAIL);
        where = eq(where, ctx, "status", PAYOUT_BATCHES.STATUS);
        if (ctx.queryParam("merchant_account_id") != null) {
            where = where.and(PAYOUT_BATCHES.MERCHANT_ACCOUNT_ID.eq(queryUuid(ctx, "merchant_account_id")));
        }
        int limit = limit(ctx);
        List<PayoutBatches.Batch> page = payments().batches().list(where, cursor(ctx), limit + 1,
            QueryParameters.bool(ctx, "reversed", false));
        json(ctx, 200, PaymentRoutes.page("payout_batches", page, limit, PayoutBatches::toJson,
            PayoutBatches.Batch::seq));
    }

    void getBatch(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_READ);
        json(ctx, 200, PayoutBatches.toJson(visibleBatch(key, ctx.pathParam("id"))));
    }

    /** The batch's file, byte-identical every time; {@code payouts:admin}, as it holds whole account numbers. */
    void batchFile(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        PayoutBatches.Batch batch = visibleBatch(key, ctx.pathParam("id"));
        PayoutBatches.FileContent file = payments().batches().file(batch)
            .orElseThrow(() -> new IllegalStateException("batch " + batch.id() + " has lost its file"));
        String extension = batch.rail().equals("ach") ? ".ach" : ".xml";
        ctx.status(200);
        ctx.contentType(file.contentType() + (batch.rail().equals("ach") ? "; charset=us-ascii" : "; charset=utf-8"));
        ctx.header("Content-Disposition", "attachment; filename=\"batch-" + batch.id() + extension + "\"");
        ctx.header("ETag", "\"" + batch.fileSha256() + "\"");
        ctx.result(file.content());
    }

    void submitBatch(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        PayoutBatches.Batch batch = visibleBatch(key, ctx.pathParam("id"));
        Audit.tenant(ctx, batch.tenant());
        json(ctx, 200, PayoutBatches.toJson(payments().batches().submit(batch.id())));
    }

    void batchReturns(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYOUTS_ADMIN);
        PayoutBatches.Batch batch = visibleBatch(key, ctx.pathParam("id"));
        Audit.tenant(ctx, batch.tenant());
        json(ctx, 200, payments().batches().returns(batch, body.bytes()));
    }

    private PayoutBatches.Batch visibleBatch(ApiKey key, String idText) {
        return payments().batches().get(pathUuid(idText)).filter(batch -> covers(key, batch.tenant()))
            .orElseThrow(() -> Problem.notFound("no payout batch " + idText));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Payments payments() {
        return shared.payments();
    }

    private Set<String> visibleTenants(ApiKey key) {
        return shared.visibleTenants(key);
    }

    private boolean covers(ApiKey key, String tenant) {
        return shared.covers(key, tenant);
    }

    private static int limit(Context ctx) {
        return (int) QueryParameters.number(ctx, "limit", 1, LIMIT_MAX, 100);
    }

    private static long cursor(Context ctx) {
        return PaymentRoutes.cursor(ctx);
    }

    private static Condition eq(Condition where, Context ctx, String name, org.jooq.Field<String> field) {
        return PaymentRoutes.eq(where, ctx, name, field);
    }

    private static UUID pathUuid(String text) {
        return PaymentRoutes.pathUuid(text);
    }

    private static UUID queryUuid(Context ctx, String name) {
        return PaymentRoutes.queryUuid(ctx, name);
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        PaymentRoutes.json(ctx, status, body);
    }
}
