package com.fanzfinance.server.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.Overview;
import com.fanzfinance.server.readmodel.ChartOfAccounts;
import com.fanzfinance.server.readmodel.Projector;

/**
 * The finance console's overview ({@code finance:read}: a day's volume and fees, payouts due, the read model's lag
 * and what needs a person) and the currency registry (any key: how many minor units make a unit of each currency).
 */
final class OverviewRoutes {
    private final PaymentRoutes shared;
    private final TenantRegistry tenants;
    private final Supplier<Projector> projector;
    private final Supplier<ChartOfAccounts> chart;

    /**
     * @param projector the read model's projector once the server is ready (null without a read model)
     * @param chart     the chart of accounts once the server is ready (a 503 before)
     */
    OverviewRoutes(PaymentRoutes shared, TenantRegistry tenants, Supplier<Projector> projector,
                   Supplier<ChartOfAccounts> chart) {
        this.shared = shared;
        this.tenants = tenants;
        this.projector = projector;
        this.chart = chart;
    }

    /** {@code GET /v1/overview?tenant=&date=}: one of the key's tenants, or all of them; a UTC day, or today. */
    void overview(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "date"));
        LocalDate date = date(ctx);
        String tenant = ctx.queryParam("tenant");
        if (tenant != null && (tenants.idOf(tenant).isEmpty() || !shared.covers(key, tenant))) {
            throw Problem.notFound("no tenant " + tenant);
        }
        // null: every tenant's rows (an admin key that names none)
        Set<String> scope = tenant != null ? Set.of(tenant) : shared.visibleTenants(key);
        Set<String> listed = scope != null ? new TreeSet<>(scope) : new TreeSet<>(tenants.all().keySet());
        Overview.Figures figures = shared.payments().overview().figures(scope, date, Instant.now());
        List<Overview.Alert> alerts = new ArrayList<>(figures.alerts());
        ObjectNode answer = Fields.parseless();
        answer.put("date", date.toString());
        ArrayNode slugs = answer.putArray("tenants");
        listed.forEach(slugs::add);
        answer.set("volume", figures.volume());
        answer.set("payouts_due", figures.payoutsDue());
        Projector running = projector.get();
        if (running == null) {
            answer.putNull("read_model");
        } else {
            ObjectNode readModel = answer.putObject("read_model");
            long lag = running.lagCommands();
            double lagSeconds = running.lagSeconds();
            readModel.put("position", Long.toString(running.position().command()));
            readModel.put("lag", lag);
            readModel.put("lag_seconds", lagSeconds);
            Overview.readModelAlert(lag, lagSeconds, running.divergence() != null).ifPresent(alerts::add);
        }
        answer.set("alerts", Overview.toJson(alerts));
        PaymentRoutes.json(ctx, 200, answer);
    }

    /** {@code GET /v1/currencies}: the chart's registry, {@code {"currencies": [{"code","ledger","scale"}]}} by code. */
    void currencies(Context ctx) {
        QueryParameters.requireKnown(ctx, Set.of());
        List<ChartOfAccounts.Currency> registry = new ArrayList<>(chart.get().currencies().values());
        registry.sort(Comparator.comparing(ChartOfAccounts.Currency::code));
        ObjectNode answer = Fields.parseless();
        ArrayNode list = answer.putArray("currencies");
        for (ChartOfAccounts.Currency currency : registry) {
            list.addObject().put("code", currency.code()).put("ledger", currency.ledger()).put("scale", currency.scale());
        }
        PaymentRoutes.json(ctx, 200, answer);
    }

    private static LocalDate date(Context ctx) {
        String text = ctx.queryParam("date");
        if (text == null) {
            return LocalDate.now(ZoneOffset.UTC);
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw Problem.invalidField("'date' is a UTC day such as 2026-12-05", "?date");
    }
}
