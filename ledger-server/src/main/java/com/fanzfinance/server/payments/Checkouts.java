package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.schema.tables.records.CheckoutsRecord;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

import static com.fanzfinance.server.payments.schema.Tables.CHECKOUTS;

/**
 * Checkouts: a fan about to pay a creator. Picks the merchant account, asks its driver for the fan's action
 * (creating the processor's invoice when the account can), and remembers what the processor will echo back so
 * that the notification finds the checkout.
 */
public final class Checkouts {
    public static final Set<String> FIELDS = Set.of("tenant", "creator", "fan", "product", "product_ref", "amount", "currency",
        "processor", "merchant_account_id", "period_days", "rebills", "referrer", "return_url", "cancel_url", "metadata",
        "country", "method");
    static final Set<String> PRODUCTS = Set.of("subscription", "ppv", "tip", "bundle");
    private static final int METADATA_MAX_BYTES = 4096;

    /** A stored checkout. */
    public record Checkout(UUID id, String tenant, UUID merchantAccountId, String processor, String creator, String fan,
                           String product, String productRef, long amount, String currency, int periodDays, int rebills,
                           String referrer, String returnUrl, String cancelUrl, String metadata, String status,
                           String action, String passThroughField, String passThroughValue, UUID paidEventId,
                           Instant expiresAt, Instant created, String country, String routing, UUID fallbackOf,
                           String method, int declines, UUID lastDeclinedEventId) {
    }

    /** What a checkout asks for, before an account is chosen. */
    private record Draft(String tenant, String creator, String fan, String referrer, String product, String productRef,
                         String currency, ChartOfAccounts.Currency registered, long amount, int periodDays, int rebills,
                         String returnUrl, String cancelUrl, String metadata, String country, String method) {
    }

    /** The account a checkout goes to, and how it was chosen (the checkout's {@code routing}). */
    private record Choice(MerchantAccounts.Account account, ObjectNode explanation) {
    }

    private final DSLContext dsl;
    private final MerchantAccounts accounts;
    private final ProcessorDrivers drivers;
    private final Currencies currencies;
    private final ProviderCalls provider;
    private final Duration ttl;
    private final EventSink events;
    private final Routing routing;
    private final AccountHealth health;

    public Checkouts(DSLContext dsl, MerchantAccounts accounts, ProcessorDrivers drivers, Currencies currencies,
                     ProviderCalls provider, Duration ttl, EventSink events, Routing routing, AccountHealth health) {
        this.routing = routing;
        this.health = health;
        this.dsl = dsl;
        this.accounts = accounts;
        this.drivers = drivers;
        this.currencies = currencies;
        this.provider = provider;
        this.ttl = ttl;
        this.events = events;
    }

    /** Opens a checkout for a key that may act for the tenant; {@code created} false for a repeat. */
    public Created open(Fields fields, java.util.function.Predicate<String> tenantExists,
                        java.util.function.Predicate<String> tenantAllowed, String idempotencyKey, String fingerprint) {
        String tenant = fields.requiredText("tenant", 64);
        if (!tenantExists.test(tenant)) {
            throw Problem.invalidField("no tenant '" + tenant + "'", "/tenant");
        }
        if (!tenantAllowed.test(tenant)) {
            throw Problem.forbidden("this key may not act for tenant '" + tenant + "'", "/tenant");
        }
        // A repeat with the same key answers the original even if the account has changed since.
        Optional<Checkout> earlier = dsl.transactionResult(configuration -> Idempotency.earlier(DSL.using(configuration),
            tenant, "checkouts", idempotencyKey, fingerprint).flatMap(this::get));
        if (earlier.isPresent()) {
            return new Created(earlier.get(), false);
        }

        String creator = fields.party("creator", true);
        String fan = fields.party("fan", false);
        String referrer = fields.party("referrer", false);
        String product = fields.oneOf("product", PRODUCTS, null);
        if (product == null) {
            throw Problem.invalidField("'product' is required: one of bundle, ppv, subscription, tip", "/product");
        }
        String productRef = fields.text("product_ref", 200);
        String currency = fields.requiredText("currency", 8);
        ChartOfAccounts.Currency registered = currencies.byCode(currency).orElseThrow(() ->
            Problem.invalidField("'" + currency + "' is not a currency of the chart's registry", "/currency"));
        if (!fields.has("amount")) {
            throw Problem.invalidField("'amount' is required (minor units, e.g. \"1999\")", "/amount");
        }
        long amount = fields.minor("amount", 0);
        if (amount <= 0) {
            throw Problem.invalidField("'amount' must be positive", "/amount");
        }
        if (product.equals("subscription") && !fields.has("period_days")) {
            throw Problem.invalidField("'period_days' is required for a subscription", "/period_days");
        }
        int periodDays = (int) fields.integer("period_days", 1, 3650, 30);
        int rebills = (int) fields.integer("rebills", 0, 999, 99);
        String returnUrl = url(fields, "return_url");
        String cancelUrl = url(fields, "cancel_url");
        String metadata = null;
        if (fields.has("metadata")) {
            JsonNode node = fields.node("metadata");
            if (!node.isObject()) {
                throw Problem.invalidField("'metadata' must be an object", "/metadata");
            }
            metadata = MerchantAccounts.write(node);
            if (MerchantAccounts.utf8(metadata).length > METADATA_MAX_BYTES) {
                throw Problem.invalidField("'metadata' is at most 4 KiB", "/metadata");
            }
        }
        String country = fields.text("country", 2);
        if (country != null && !Routing.COUNTRIES.contains(country)) {
            throw Problem.invalidField("'country' is the fan's ISO 3166-1 alpha-2 country code, upper case (e.g. \"DE\")",
                "/country");
        }
        String method = fields.oneOf("method", Routing.METHODS, null);
        Draft draft = new Draft(tenant, creator, fan, referrer, product, productRef, currency, registered, amount, periodDays,
            rebills, returnUrl, cancelUrl, metadata, country, method);
        Choice choice = chooseAccount(fields, draft);
        return create(draft, choice, null, "checkouts", idempotencyKey, fingerprint);
    }

    /**
     * A new checkout for the same payment as {@code originalId} (declined, or the fan gave up at the processor),
     * routed by the tenant's routing table to an account that none of the checkouts of this payment used yet.
     */
    public Created fallback(UUID originalId, java.util.function.Predicate<String> tenantAllowed, String idempotencyKey,
                            String fingerprint) {
        Checkout original = get(originalId).filter(found -> tenantAllowed.test(found.tenant()))
            .orElseThrow(() -> Problem.notFound("no checkout " + originalId));
        Optional<Checkout> earlier = dsl.transactionResult(configuration -> Idempotency.earlier(DSL.using(configuration),
            original.tenant(), "checkouts-fallback", idempotencyKey, fingerprint).flatMap(this::get));
        if (earlier.isPresent()) {
            return new Created(earlier.get(), false);
        }
        if (original.status().equals("paid")) {
            throw new Problem(409, "checkout-paid", "Conflict", "checkout " + originalId + " is paid; nothing to fall back from",
                null);
        }
        Set<UUID> tried = new java.util.HashSet<>();
        Checkout link = original;
        for (int depth = 0; link != null && depth < 50; depth++) {
            tried.add(link.merchantAccountId());
            link = link.fallbackOf() == null ? null : get(link.fallbackOf()).orElse(null);
        }
        ChartOfAccounts.Currency registered = currencies.byCode(original.currency()).orElseThrow(() ->
            new Problem(422, "unsupported-currency", "Unprocessable entity", "'" + original.currency()
                + "' is no longer a currency of the chart's registry", null));
        Draft draft = new Draft(original.tenant(), original.creator(), original.fan(), original.referrer(), original.product(),
            original.productRef(), original.currency(), registered, original.amount(), original.periodDays(),
            original.rebills(), original.returnUrl(), original.cancelUrl(), original.metadata(), original.country(),
            original.method());
        Choice choice = route(draft, tried, "fallback");
        choice.explanation().put("fallback_of", originalId.toString());
        return create(draft, choice, originalId, "checkouts-fallback", idempotencyKey, fingerprint);
    }

    private Created create(Draft draft, Choice choice, UUID fallbackOf, String idempotencyRoute, String idempotencyKey,
                           String fingerprint) {
        MerchantAccounts.Account account = choice.account();
        ProcessorDriver driver = drivers.driver(account.processor()).orElseThrow();
        String tenant = draft.tenant();
        String product = draft.product();
        UUID id = UUID.randomUUID();
        String description = (product.equals("subscription") ? "Subscription" : product.equals("ppv") ? "Pay-per-view"
            : product.equals("tip") ? "Tip" : "Bundle") + " for " + draft.creator()
            + (draft.productRef() == null ? "" : " (" + draft.productRef() + ")");
        CheckoutRequest request = new CheckoutRequest(id, product, Currencies.toDecimal(draft.amount(), draft.registered()),
            draft.amount(), draft.currency(), draft.periodDays(), draft.rebills(), description, draft.returnUrl(),
            draft.cancelUrl());
        CheckoutAction action;
        try {
            action = driver.checkout(request, account.driverView());
            if (action instanceof CheckoutAction.CreateInvoice invoice && provider.enabled()
                && account.driverView().secrets().current("api_key").isPresent()) {
                try {
                    action = driver.invoiceCreated(invoice, provider.call(invoice.request()));
                } catch (ProviderAnswerException e) {
                    throw new Problem(502, "provider-error", "Bad gateway", e.getMessage(), null);
                }
            }
        } catch (CheckoutNotConfiguredException e) {
            throw new Problem(422, "checkout-not-configured", "Unprocessable entity", e.getMessage(), null);
        }
        CheckoutAction.PassThrough passThrough = action.passThrough();
        String actionJson = actionJson(action);
        Instant now = Instant.now();
        Instant expires = now.plus(ttl);
        String routingJson = MerchantAccounts.write(choice.explanation());
        String processorReference = action instanceof CheckoutAction.Redirect redirect ? redirect.processorReference() : null;
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            Optional<UUID> raced = Idempotency.earlier(tx, tenant, idempotencyRoute, idempotencyKey, fingerprint);
            if (raced.isPresent()) {
                return new Created(get(tx, raced.get()).orElseThrow(), false);
            }
            tx.insertInto(CHECKOUTS).set(CHECKOUTS.ID, id).set(CHECKOUTS.TENANT, tenant)
                .set(CHECKOUTS.MERCHANT_ACCOUNT_ID, account.id()).set(CHECKOUTS.PROCESSOR, account.processor())
                .set(CHECKOUTS.CREATOR, draft.creator()).set(CHECKOUTS.FAN, draft.fan()).set(CHECKOUTS.PRODUCT, product)
                .set(CHECKOUTS.PRODUCT_REF, draft.productRef()).set(CHECKOUTS.AMOUNT, draft.amount())
                .set(CHECKOUTS.CURRENCY, draft.currency())
                .set(CHECKOUTS.PERIOD_DAYS, draft.periodDays()).set(CHECKOUTS.REBILLS, draft.rebills())
                .set(CHECKOUTS.REFERRER, draft.referrer())
                .set(CHECKOUTS.RETURN_URL, draft.returnUrl()).set(CHECKOUTS.CANCEL_URL, draft.cancelUrl())
                .set(CHECKOUTS.METADATA, draft.metadata())
                .set(CHECKOUTS.STATUS, "open").set(CHECKOUTS.ACTION, actionJson)
                .set(CHECKOUTS.PASS_THROUGH_FIELD, passThrough.field())
                .set(CHECKOUTS.PASS_THROUGH_VALUE, passThrough.value())
                .set(CHECKOUTS.COUNTRY, draft.country()).set(CHECKOUTS.ROUTING, routingJson)
                .set(CHECKOUTS.FALLBACK_OF, fallbackOf).set(CHECKOUTS.METHOD, draft.method())
                .set(CHECKOUTS.PROCESSOR_REFERENCE, processorReference)
                .set(CHECKOUTS.EXPIRES_AT, expires.atOffset(ZoneOffset.UTC)).set(CHECKOUTS.CREATED, now.atOffset(ZoneOffset.UTC))
                .execute();
            Idempotency.claim(tx, tenant, idempotencyRoute, idempotencyKey, fingerprint, id);
            return new Created(get(tx, id).orElseThrow(), true);
        });
    }

    /** The outcome of an open: the checkout and whether this request made it. */
    public record Created(Checkout checkout, boolean created) {
    }

    /**
     * The account: the one named by {@code merchant_account_id}; else the tenant's oldest active, undrained account
     * of {@code processor} accepting the currency; else (neither given) the tenant's routing table.
     */
    private Choice chooseAccount(Fields fields, Draft draft) {
        String tenant = draft.tenant();
        String currency = draft.currency();
        if (fields.has("merchant_account_id")) {
            UUID id = uuid(fields.requiredText("merchant_account_id", 36), "/merchant_account_id");
            MerchantAccounts.Account account = accounts.get(id)
                .filter(found -> found.tenant().equals(tenant) && !accounts.isRail(found.processor()))
                .orElseThrow(() -> new Problem(422, "no-merchant-account", "Unprocessable entity",
                    "tenant " + tenant + " has no processor account " + id, "/merchant_account_id"));
            if (fields.has("processor") && !fields.requiredText("processor", 32).equals(account.processor())) {
                throw Problem.invalidField("merchant account " + id + " is of " + account.processor(), "/processor");
            }
            if (!account.isActive()) {
                throw new Problem(409, "merchant-account-disabled", "Conflict", "merchant account " + id + " is disabled", null);
            }
            if (!account.accepts(currency)) {
                throw new Problem(422, "unsupported-currency", "Unprocessable entity", "merchant account " + id
                    + " accepts " + String.join(", ", account.currencies()) + ", not " + currency, "/currency");
            }
            ObjectNode explanation = Fields.JSON.createObjectNode().put("mode", "merchant_account_id")
                .put("merchant_account_id", id.toString()).put("processor", account.processor());
            if (account.isDrained()) {
                explanation.put("note", "named explicitly although drained (" + account.drainedReason() + ")");
            }
            return new Choice(account, explanation);
        }
        if (!fields.has("processor")) {
            return route(draft, Set.of(), "routing");
        }
        String processor = fields.requiredText("processor", 32);
        if (drivers.driver(processor).isEmpty()) {
            throw Problem.invalidField("'processor' must be one of " + String.join(", ", drivers.all().keySet()), "/processor");
        }
        List<MerchantAccounts.Account> candidates = accounts.ofTenant(tenant, processor);
        if (candidates.isEmpty()) {
            throw new Problem(422, "no-merchant-account", "Unprocessable entity", "tenant " + tenant
                + " has no merchant account of " + processor, "/processor");
        }
        List<MerchantAccounts.Account> active = candidates.stream().filter(MerchantAccounts.Account::isActive).toList();
        if (active.isEmpty()) {
            throw new Problem(409, "merchant-account-disabled", "Conflict", "every " + processor + " merchant account of "
                + tenant + " is disabled", null);
        }
        List<MerchantAccounts.Account> accepting = active.stream().filter(account -> account.accepts(currency)).toList();
        if (accepting.isEmpty()) {
            throw new Problem(422, "unsupported-currency", "Unprocessable entity", "no active " + processor
                + " merchant account of " + tenant + " accepts " + currency, "/currency");
        }
        MerchantAccounts.Account chosen = accepting.stream().filter(account -> !account.isDrained()).findFirst()
            .orElseThrow(() -> new Problem(409, "merchant-account-disabled", "Conflict", "every active " + processor
                + " merchant account of " + tenant + " accepting " + currency + " is drained (chargeback threshold or an"
                + " admin; see GET /v1/merchant-accounts/{id}/health)", null));
        return new Choice(chosen, Fields.JSON.createObjectNode().put("mode", "processor")
            .put("merchant_account_id", chosen.id().toString()).put("processor", processor));
    }

    /** Routes by the tenant's table, leaving out the accounts in {@code exclude}. */
    private Choice route(Draft draft, Set<UUID> exclude, String mode) {
        Routing.Table table = routing.table(draft.tenant()).orElseThrow(() -> new Problem(422, "no-merchant-account",
            "Unprocessable entity", "the checkout names neither 'processor' nor 'merchant_account_id' and tenant "
                + draft.tenant() + " has no routing table (PUT /v1/routing/" + draft.tenant() + ")", "/processor"));
        Set<UUID> ids = new java.util.LinkedHashSet<>();
        table.routes().forEach(route -> ids.add(route.merchantAccountId()));
        Map<UUID, AccountHealth.Approval> approvals = health.approvals(ids,
            Instant.now().minus(Duration.ofHours(table.healthWindowHours())), table.healthMinSample());
        Map<UUID, Routing.Candidate> candidates = new java.util.HashMap<>();
        for (UUID id : ids) {
            accounts.get(id).filter(account -> account.tenant().equals(draft.tenant())).ifPresent(account -> {
                AccountHealth.Approval approval = approvals.get(id);
                String method = drivers.driver(account.processor()).map(ProcessorDriver::paymentMethod).orElse("card");
                candidates.put(id, new Routing.Candidate(id, account.processor(), method, account.isActive(),
                    account.isDrained() ? account.drainedReason() : null, account.currencies(),
                    approval == null ? null : approval.rateBp(), approval == null ? 0 : (int) approval.sample()));
            });
        }
        Routing.Request request = new Routing.Request(draft.country(), draft.currency(), draft.amount(), draft.product(),
            draft.method());
        Routing.Decision decision = Routing.decide(table, request, candidates, exclude);
        ObjectNode explanation = decision.toJson(mode);
        if (decision.chosen().isEmpty()) {
            throw new Problem(422, "no-merchant-account", "Unprocessable entity", "no route of tenant " + draft.tenant()
                + " takes this checkout: " + summary(decision), null);
        }
        return new Choice(accounts.get(decision.chosen().get().id()).orElseThrow(), explanation);
    }

    private static String summary(Routing.Decision decision) {
        if (decision.considered().isEmpty()) {
            return "the routing table is empty";
        }
        StringBuilder text = new StringBuilder();
        for (Routing.Considered each : decision.considered()) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append("route ").append(each.route()).append(": ").append(each.reason());
        }
        return text.length() > 1500 ? text.substring(0, 1500) + "…" : text.toString();
    }

    private static String url(Fields fields, String name) {
        String value = fields.text(name, 2048);
        if (value == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw Problem.invalidField("'" + name + "' must be an http(s) URL", "/" + name);
            }
        } catch (java.net.URISyntaxException e) {
            throw Problem.invalidField("'" + name + "' is not a URL", "/" + name);
        }
        return value;
    }

    static UUID uuid(String text, String pointer) {
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a UUID: '" + text + "'", pointer);
        }
    }

    private static String actionJson(CheckoutAction action) {
        ObjectNode json = Fields.JSON.createObjectNode();
        if (action instanceof CheckoutAction.Redirect redirect) {
            json.put("type", "redirect").put("url", redirect.url());
        } else if (action instanceof CheckoutAction.FormPost form) {
            json.put("type", "form_post").put("url", form.url());
            ObjectNode fields = json.putObject("fields");
            form.fields().forEach(fields::put);
        } else if (action instanceof CheckoutAction.CreateInvoice invoice) {
            json.put("type", "create_invoice");
            try {
                json.set("request", Fields.JSON.readTree(invoice.request().publicBody()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return MerchantAccounts.write(json);
    }

    public Optional<Checkout> get(UUID id) {
        return get(dsl, id);
    }

    Optional<Checkout> get(DSLContext context, UUID id) {
        CheckoutsRecord row = context.selectFrom(CHECKOUTS).where(CHECKOUTS.ID.eq(id)).fetchOne();
        return Optional.ofNullable(row).map(Checkouts::toCheckout);
    }

    /** Marks open checkouts past their time {@code expired}; returns how many. */
    public int expire(Instant now, int batch) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            List<CheckoutsRecord> due = tx.selectFrom(CHECKOUTS).where(CHECKOUTS.STATUS.eq(DSL.inline("open")),
                CHECKOUTS.EXPIRES_AT.le(now.atOffset(ZoneOffset.UTC))).limit(batch).forUpdate().skipLocked().fetch();
            for (CheckoutsRecord row : due) {
                tx.update(CHECKOUTS).set(CHECKOUTS.STATUS, "expired").where(CHECKOUTS.ID.eq(row.getId())).execute();
                row.setStatus("expired");
                events.append(tx, row.getTenant(), "checkout.expired", row.getId().toString(),
                    MerchantAccounts.write(toJson(toCheckout(row))));
            }
            return due.size();
        });
    }

    /** Marks the checkout paid by {@code eventId} (a sale posted), in the posting's transaction. */
    static void markPaid(DSLContext tx, UUID checkoutId, UUID eventId, EventSink events) {
        CheckoutsRecord row = tx.update(CHECKOUTS).set(CHECKOUTS.STATUS, DSL.inline("paid")).set(CHECKOUTS.PAID_EVENT_ID, eventId)
            .where(CHECKOUTS.ID.eq(checkoutId), CHECKOUTS.STATUS.ne(DSL.inline("paid"))).returning().fetchOne();
        if (row != null) {
            events.append(tx, row.getTenant(), "checkout.paid", checkoutId.toString(),
                MerchantAccounts.write(toJson(toCheckout(row))));
        }
    }

    /**
     * Counts a declined attempt (a failure notification naming the checkout) on an open checkout, in the event's
     * transaction, and announces {@code checkout.declined} so that the platform can offer the fan a fallback.
     */
    static void markDeclined(DSLContext tx, UUID checkoutId, UUID eventId, EventSink events) {
        CheckoutsRecord row = tx.update(CHECKOUTS).set(CHECKOUTS.DECLINES, CHECKOUTS.DECLINES.plus(1))
            .set(CHECKOUTS.LAST_DECLINED_EVENT_ID, eventId)
            .where(CHECKOUTS.ID.eq(checkoutId), CHECKOUTS.STATUS.eq(DSL.inline("open"))).returning().fetchOne();
        if (row != null) {
            events.append(tx, row.getTenant(), "checkout.declined", checkoutId.toString(),
                MerchantAccounts.write(toJson(toCheckout(row))));
        }
    }

    static Checkout toCheckout(CheckoutsRecord row) {
        return new Checkout(row.getId(), row.getTenant(), row.getMerchantAccountId(), row.getProcessor(), row.getCreator(),
            row.getFan(), row.getProduct(), row.getProductRef(), row.getAmount(), row.getCurrency(), row.getPeriodDays(),
            row.getRebills(), row.getReferrer(), row.getReturnUrl(), row.getCancelUrl(), row.getMetadata(), row.getStatus(),
            row.getAction(), row.getPassThroughField(), row.getPassThroughValue(), row.getPaidEventId(),
            row.getExpiresAt().toInstant(), row.getCreated().toInstant(), row.getCountry(), row.getRouting(),
            row.getFallbackOf(), row.getMethod(), row.getDeclines(), row.getLastDeclinedEventId());
    }

    public static ObjectNode toJson(Checkout checkout) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("id", checkout.id().toString());
        json.put("tenant", checkout.tenant());
        json.put("creator", checkout.creator());
        json.put("fan", checkout.fan());
        json.put("product", checkout.product());
        json.put("product_ref", checkout.productRef());
        json.put("amount", Long.toString(checkout.amount()));
        json.put("currency", checkout.currency());
        json.put("processor", checkout.processor());
        json.put("merchant_account_id", checkout.merchantAccountId().toString());
        json.put("period_days", checkout.periodDays());
        json.put("rebills", checkout.rebills());
        json.put("referrer", checkout.referrer());
        json.put("return_url", checkout.returnUrl());
        json.put("cancel_url", checkout.cancelUrl());
        try {
            json.set("metadata", checkout.metadata() == null ? null : Fields.JSON.readTree(checkout.metadata()));
            json.put("status", checkout.status());
            json.put("expires_at", checkout.expiresAt().toString());
            json.set("action", Fields.JSON.readTree(checkout.action()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.putObject("pass_through").put("field", checkout.passThroughField()).put("value", checkout.passThroughValue());
        json.put("paid_event_id", checkout.paidEventId() == null ? null : checkout.paidEventId().toString());
        json.put("country", checkout.country());
        json.put("fallback_of", checkout.fallbackOf() == null ? null : checkout.fallbackOf().toString());
        json.put("method", checkout.method());
        json.put("declines", checkout.declines());
        json.put("last_declined_event_id", checkout.lastDeclinedEventId() == null ? null
            : checkout.lastDeclinedEventId().toString());
        try {
            json.set("routing", checkout.routing() == null ? null : Fields.JSON.readTree(checkout.routing()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.put("created", checkout.created().toString());
        return json;
    }
}
