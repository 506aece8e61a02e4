package com.fanzfinance.server.http;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

import com.fanzfinance.reconciliation.match.Tolerances;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.Payments;
import com.fanzfinance.server.payments.reconciliation.BalanceChecks;
import com.fanzfinance.server.payments.reconciliation.Reconciliations;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

/**
 * The reconciliation endpoints (PAYMENTS-API §7) and the balance checks: thin — each parses, authorises and hands
 * over to the payments half. A statement is streamed from the request into the importer, never read whole.
 */
final class ReconciliationRoutes {
    private static final int LIMIT_MAX = 1000;
    private static final Set<String> RUN_PARAMETERS = Set.of("merchant_account_id", "format", "amount_tolerance",
        "amount_tolerance_bp", "date_tolerance_days", "bank_account");
    private static final Set<String> CHECK_FIELDS = Set.of("merchant_account_id", "currency", "as_of", "reported",
        "source");

    private final PaymentRoutes shared;

    ReconciliationRoutes(PaymentRoutes shared) {
        this.shared = shared;
    }

    void run(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_WRITE);
        QueryParameters.requireKnown(ctx, RUN_PARAMETERS);
        if (ctx.queryParam("merchant_account_id") == null) {
            throw Problem.invalidField("'merchant_account_id' is required", "?merchant_account_id");
        }
        MerchantAccounts.Account account = account(key, PaymentRoutes.queryUuid(ctx, "merchant_account_id"));
        Audit.tenant(ctx, account.tenant());
        String format = ctx.queryParam("format");
        if (format == null) {
            throw Problem.invalidField("'format' is required: generic, mapped, epoch_dataplus, camt053 or nacha_returns",
                "?format");
        }
        // Each is checked against its own range (with its own pointer) before the record checks them again.
        Tolerances tolerances = new Tolerances(QueryParameters.number(ctx, "amount_tolerance", 0, 1_000_000_000L, 0),
            (int) QueryParameters.number(ctx, "amount_tolerance_bp", 0, 10_000, 0),
            (int) QueryParameters.number(ctx, "date_tolerance_days", 0, 31, 3));
        String bank = ctx.queryParam("bank_account");
        if (bank != null && !Fields.PARTY.matcher(bank).matches()) {
            throw Problem.invalidField("'bank_account' is an IBAN or routing:account (1-64 of A-Z a-z 0-9 . _ : @ -)",
                "?bank_account");
        }
        Reconciliations.Request request = new Reconciliations.Request(format, tolerances, bank,
            PaymentRoutes.idempotencyKey(ctx), key.id());
        Reconciliations.Created created = payments().reconciliations().run(account, request, body.stream());
        PaymentRoutes.json(ctx, created.created() ? 201 : 200, payments().reconciliations().document(created.id()));
    }

    void list(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "merchant_account_id", "limit", "cursor", "reversed"));
        int limit = limit(ctx);
        UUID accountId = ctx.queryParam("merchant_account_id") == null ? null
            : PaymentRoutes.queryUuid(ctx, "merchant_account_id");
        var page = payments().reconciliations().list(shared.visibleTenants(key), ctx.queryParam("tenant"), accountId,
            PaymentRoutes.cursor(ctx), limit + 1, QueryParameters.bool(ctx, "reversed", false));
        PaymentRoutes.json(ctx, 200, PaymentRoutes.page("reconciliations", page, limit, json -> {
            json.remove("seq");
            return json;
        }, json -> json.path("seq").asLong()));
    }

    void get(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        Reconciliations.Reconciliation reconciliation = visible(key, ctx.pathParam("id"));
        PaymentRoutes.json(ctx, 200, payments().reconciliations().document(reconciliation.id()));
    }

    void entries(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, Set.of("section", "limit", "cursor"));
        Reconciliations.Reconciliation reconciliation = visible(key, ctx.pathParam("id"));
        String section = ctx.queryParam("section");
        if (section == null) {
            throw Problem.invalidField("'section' is required", "?section");
        }
        int after = (int) QueryParameters.number(ctx, "cursor", 0, Integer.MAX_VALUE, 0);
        PaymentRoutes.json(ctx, 200, payments().reconciliations().entries(reconciliation.id(), section, after, limit(ctx)));
    }

    void approve(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_WRITE);
        Reconciliations.Reconciliation reconciliation = visible(key, ctx.pathParam("id"));
        Audit.tenant(ctx, reconciliation.tenant());
        PaymentRoutes.json(ctx, 200, payments().reconciliations().approve(reconciliation, tree(body), key.id()));
    }

    void reject(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_WRITE);
        Reconciliations.Reconciliation reconciliation = visible(key, ctx.pathParam("id"));
        Audit.tenant(ctx, reconciliation.tenant());
        PaymentRoutes.json(ctx, 200, payments().reconciliations().reject(reconciliation, tree(body), key.id()));
    }

    // ---- balance checks --------------------------------------------------------------------------------

    void reportBalance(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_WRITE);
        Fields fields = Fields.parse(body.bytes(), CHECK_FIELDS);
        UUID accountId = uuid(fields.requiredText("merchant_account_id", 36), "/merchant_account_id");
        MerchantAccounts.Account account = account(key, accountId);
        Audit.tenant(ctx, account.tenant());
        String code = fields.requiredText("currency", 10);
        ChartOfAccounts.Currency currency = payments().currencies().byCode(code)
            .orElseThrow(() -> new Problem(422, "unsupported-currency", "Unprocessable entity",
                "no currency " + code + " in the chart", "/currency"));
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(fields.requiredText("as_of", 10));
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.invalidField("'as_of' is a date such as 2026-12-01", "/as_of");
        }
        String reportedText = fields.requiredText("reported", 24);
        if (!reportedText.matches("-?[0-9]{1,18}")) {
            throw Problem.invalidField("'reported' is the balance in minor units, a whole number as a string", "/reported");
        }
        String source = fields.text("source", 64);
        if (source == null) {
            source = "processor";
        } else if (!Fields.PARTY.matcher(source).matches() || "daily".equals(source)) {
            throw Problem.invalidField("'source' is 1-64 of A-Z a-z 0-9 . _ : @ - (not 'daily')", "/source");
        }
        ObjectNode check = payments().balanceChecks().report(account, currency.code(), asOf,
            Long.parseLong(reportedText), source, Instant.now());
        PaymentRoutes.json(ctx, 201, check);
    }

    void runChecks(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        ObjectNode answer = Fields.parseless();
        answer.put("checks", payments().balanceChecks().runNow(Instant.now()));
        PaymentRoutes.json(ctx, 200, answer);
    }

    void listChecks(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, Set.of("merchant_account_id", "status", "limit", "cursor", "reversed"));
        int limit = limit(ctx);
        UUID accountId = ctx.queryParam("merchant_account_id") == null ? null
            : PaymentRoutes.queryUuid(ctx, "merchant_account_id");
        String status = ctx.queryParam("status");
        if (status != null && !Set.of("ok", "discrepancy", "waiting").contains(status)) {
            throw Problem.invalidField("'status' is ok, discrepancy or waiting", "?status");
        }
        var page = payments().balanceChecks().list(shared.visibleTenants(key), accountId, status,
            PaymentRoutes.cursor(ctx), limit + 1, QueryParameters.bool(ctx, "reversed", false));
        PaymentRoutes.json(ctx, 200, PaymentRoutes.page("balance_checks", page, limit, BalanceChecks::toJson,
            row -> row.getSeq()));
    }

    void getCheck(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        String idText = ctx.pathParam("id");
        var check = payments().balanceChecks().get(PaymentRoutes.pathUuid(idText))
            .filter(row -> shared.covers(key, row.getTenant()))
            .orElseThrow(() -> Problem.notFound("no balance check " + idText));
        PaymentRoutes.json(ctx, 200, BalanceChecks.toJson(check));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Reconciliations.Reconciliation visible(ApiKey key, String idText) {
        return payments().reconciliations().get(PaymentRoutes.pathUuid(idText))
            .filter(reconciliation -> shared.covers(key, reconciliation.tenant()))
            .orElseThrow(() -> Problem.notFound("no reconciliation " + idText));
    }

    private MerchantAccounts.Account account(ApiKey key, UUID id) {
        return payments().accounts().get(id).filter(account -> shared.covers(key, account.tenant()))
            .orElseThrow(() -> Problem.notFound("no merchant account " + id));
    }

    private static JsonNode tree(RequestBody body) {
        try {
            return Fields.JSON.readTree(body.bytes());
        } catch (java.io.IOException e) {
            throw Problem.malformedJson("the body is not JSON: " + e.getMessage(), null);
        }
    }

    private static UUID uuid(String text, String pointer) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a UUID: '" + text + "'", pointer);
        }
    }

    private static int limit(Context ctx) {
        return (int) QueryParameters.number(ctx, "limit", 1, LIMIT_MAX, 100);
    }

    private Payments payments() {
        return shared.payments();
    }
}
