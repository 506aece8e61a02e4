package com.fanzfinance.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import org.jooq.Condition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.support.SourceAddresses;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.payments.Checkouts;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.Intake;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.payouts.ApiRails;
import com.fanzfinance.server.payments.payouts.WiseHooks;
import com.fanzfinance.server.payments.PaymentEvents;
import com.fanzfinance.server.payments.ProcessorBalances;
import com.fanzfinance.server.payments.Routing;
import com.fanzfinance.server.payments.Payments;
import com.fanzfinance.server.payments.RevenueShares;
import com.fanzfinance.server.payments.events.EventFeed;
import com.fanzfinance.server.payments.events.EventJson;
import com.fanzfinance.server.payments.events.EventPage;
import com.fanzfinance.server.payments.events.EventTypes;
import com.fanzfinance.server.payments.events.TooManyWaitersException;
import com.fanzfinance.server.payments.schema.tables.records.PaymentEventsRecord;

import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;

/**
 * The payments endpoints: merchant accounts, checkouts, revenue shares, payment events and their replay, and
 * the processors' webhook intake under {@code /hooks} (no API key: each processor's own authentication).
 */
final class PaymentRoutes {
    private static final int LIMIT_MAX = 1000;
    private static final Set<String> EVENT_FILTERS = Set.of("processor", "merchant_account_id", "tenant", "creator",
        "checkout_id", "status", "kind", "processor_transaction_id", "from", "to", "limit", "cursor", "reversed");

    private final Supplier<Payments> payments;
    private final TenantRegistry tenants;
    private final List<String> trustedProxies;
    private final int hookMaxBodyBytes;

    PaymentRoutes(Supplier<Payments> payments, TenantRegistry tenants, List<String> trustedProxies, int hookMaxBodyBytes) {
        this.payments = payments;
        this.tenants = tenants;
        this.trustedProxies = trustedProxies;
        this.hookMaxBodyBytes = hookMaxBodyBytes;
    }

    // ---- merchant accounts -----------------------------------------------------------------------

    void createMerchantAccount(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        byte[] bytes = body.bytes();
        String key = idempotencyKey(ctx);
        MerchantAccounts.Created created = payments().accounts().create(Fields.parse(bytes, MerchantAccounts.FIELDS),
            Audit.tenantWhen(ctx, tenant -> tenants.idOf(tenant).isPresent()), key, fingerprint(bytes));
        json(ctx, created.created() ? 201 : 200, MerchantAccounts.toJson(created.account()));
    }

    void listMerchantAccounts(Context ctx) {
        ApiKey key = readKey(ctx);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "processor", "limit", "cursor", "reversed"));
        int limit = (int) QueryParameters.number(ctx, "limit", 1, LIMIT_MAX, 100);
        boolean reversed = QueryParameters.bool(ctx, "reversed", false);
        long cursor = cursor(ctx);
        List<MerchantAccounts.Account> page = payments().accounts().list(visibleTenants(key), ctx.queryParam("tenant"),
            ctx.queryParam("processor"), cursor, limit + 1, reversed);
        json(ctx, 200, page("merchant_accounts", page, limit, MerchantAccounts::toJson, MerchantAccounts.Account::seq));
    }

    void getMerchantAccount(Context ctx) {
        ApiKey key = readKey(ctx);
        json(ctx, 200, MerchantAccounts.toJson(visibleAccount(key, ctx.pathParam("id"))));
    }

    void patchMerchantAccount(Context ctx, RequestBody body) {
        MerchantAccounts.Account account = visibleAccount(Authenticator.require(ctx, Scope.ADMIN), ctx.pathParam("id"));
        Audit.tenant(ctx, account.tenant());
        json(ctx, 200, MerchantAccounts.toJson(payments().accounts().patch(account.id(),
            Fields.parse(body.bytes(), PATCH_FIELDS))));
    }

    private static final Set<String> PATCH_FIELDS = union(MerchantAccounts.FIELDS, Set.of("drained"));

    private static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> all = new java.util.HashSet<>(one);
        all.addAll(other);
        return Set.copyOf(all);
    }

    /** The account's approval rate and chargebacks per network against its thresholds, and whether it is drained. */
    void merchantAccountHealth(Context ctx) {
        ApiKey key = readKey(ctx);
        QueryParameters.requireKnown(ctx, Set.of());
        MerchantAccounts.Account account = visibleAccount(key, ctx.pathParam("id"));
        Routing.Table table = payments().routing().table(account.tenant()).orElse(null);
        json(ctx, 200, payments().health().toJson(account, Instant.now(), table == null ? 24 : table.healthWindowHours(),
            table == null ? 20 : table.healthMinSample()));
    }

    /** Day-by-day processor balances: receivable, fees, chargeback fees and the processor's reserve. */
    void merchantAccountBalances(Context ctx) {
        ApiKey key = readKey(ctx);
        QueryParameters.requireKnown(ctx, Set.of("from", "to"));
        MerchantAccounts.Account account = visibleAccount(key, ctx.pathParam("id"));
        if (payments().accounts().isRail(account.processor())) {
            throw Problem.invalidField("the day-by-day balances are a processor account's; a rail account's money is in"
                + " its payouts_in_transit and payout_rail_fees accounts (GET /v1/payment-accounts)", null);
        }
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.time.LocalDate to = date(ctx, "to", today);
        java.time.LocalDate from = date(ctx, "from", to.minusDays(29));
        ProcessorBalances balances = payments().processorBalances().orElseThrow(() -> new Problem(503, "read-model-off",
            "Service unavailable", "processor balances read the read model, which this server runs without", null));
        json(ctx, 200, balances.daily(account, from, to));
    }

    private static java.time.LocalDate date(Context ctx, String name, java.time.LocalDate absent) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return absent;
        }
        try {
            return java.time.LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.invalidField("'" + name + "' is a date such as 2026-12-01", "?" + name);
        }
    }

    // ---- routing -------------------------------------------------------------------------------------

    void putRouting(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        String tenant = knownTenant(ctx.pathParam("tenant"));
        Audit.tenant(ctx, tenant);
        Routing.Table table = payments().routing().put(tenant, Fields.parse(body.bytes(), Routing.TABLE_FIELDS),
            id -> payments().accounts().get(id).filter(account -> account.tenant().equals(tenant)
                && !payments().accounts().isRail(account.processor())).isPresent());
        json(ctx, 200, Routing.toJson(table).put("tenant", tenant));
    }

    void getRouting(Context ctx) {
        ApiKey key = readKey(ctx);
        String tenant = visibleTenant(key, ctx.pathParam("tenant"));
        Routing.Table table = payments().routing().table(tenant)
            .orElseThrow(() -> Problem.notFound("tenant " + tenant + " has no routing table"));
        json(ctx, 200, Routing.toJson(table).put("tenant", tenant));
    }

    void deleteRouting(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        String tenant = knownTenant(ctx.pathParam("tenant"));
        Audit.tenant(ctx, tenant);
        if (!payments().routing().delete(tenant)) {
            throw Problem.notFound("tenant " + tenant + " has no routing table");
        }
        ctx.status(204);
    }

    void rotateSecrets(Context ctx, RequestBody body) {
        MerchantAccounts.Account account = visibleAccount(Authenticator.require(ctx, Scope.ADMIN), ctx.pathParam("id"));
        Audit.tenant(ctx, account.tenant());
        json(ctx, 200, MerchantAccounts.toJson(payments().accounts().rotateSecrets(account.id(),
            Fields.parse(body.bytes(), Set.of("secrets", "previous_valid_seconds")))));
    }

    MerchantAccounts.Account visibleAccount(ApiKey key, String idText) {
        UUID id = pathUuid(idText);
        MerchantAccounts.Account account = payments().accounts().get(id).orElse(null);
        if (account == null || !covers(key, account.tenant())) {
            throw Problem.notFound("no merchant account " + idText);
        }
        return account;
    }

    // ---- checkouts ---------------------------------------------------------------------------------

    void createCheckout(Context ctx, RequestBody body) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_WRITE);
        byte[] bytes = body.bytes();
        Checkouts.Created created = payments().checkouts().open(Fields.parse(bytes, Checkouts.FIELDS),
            tenant -> tenants.idOf(tenant).isPresent(), Audit.tenantWhen(ctx, tenant -> covers(key, tenant)), idempotencyKey(ctx),
            fingerprint(bytes));
        json(ctx, created.created() ? 201 : 200, Checkouts.toJson(created.checkout()));
    }

    /** A new checkout for the same payment, routed to an account its earlier checkouts did not use. */
    void fallbackCheckout(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_WRITE);
        UUID original = pathUuid(ctx.pathParam("id"));
        Checkouts.Created created = payments().checkouts().fallback(original, Audit.tenantWhen(ctx, tenant -> covers(key, tenant)),
            idempotencyKey(ctx), fingerprint(original.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        json(ctx, created.created() ? 201 : 200, Checkouts.toJson(created.checkout()));
    }

    void getCheckout(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_READ);
        Checkouts.Checkout checkout = payments().checkouts().get(pathUuid(ctx.pathParam("id")))
            .filter(found -> covers(key, found.tenant()))
            .orElseThrow(() -> Problem.notFound("no checkout " + ctx.pathParam("id")));
        json(ctx, 200, Checkouts.toJson(checkout));
    }

    // ---- revenue shares ----------------------------------------------------------------------------

    void putTenantShares(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        String tenant = knownTenant(ctx.pathParam("tenant"));
        Audit.tenant(ctx, tenant);
        json(ctx, 200, RevenueShares.toJson(tenant, null, payments().shares().put(tenant, null,
            Fields.parse(body.bytes(), Set.of("platform_bp", "referral_bp", "reserve_bp", "reserve_days")))));
    }

    void getTenantShares(Context ctx) {
        ApiKey key = readKey(ctx);
        String tenant = visibleTenant(key, ctx.pathParam("tenant"));
        json(ctx, 200, RevenueShares.toJson(tenant, null, payments().shares().effective(tenant, null)));
    }

    void putCreatorShares(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        String tenant = knownTenant(ctx.pathParam("tenant"));
        Audit.tenant(ctx, tenant);
        String creator = creator(ctx.pathParam("creator"));
        json(ctx, 200, RevenueShares.toJson(tenant, creator, payments().shares().put(tenant, creator,
            Fields.parse(body.bytes(), Set.of("platform_bp", "referral_bp", "reserve_bp", "reserve_days")))));
    }

    void getCreatorShares(Context ctx) {
        ApiKey key = readKey(ctx);
        String tenant = visibleTenant(key, ctx.pathParam("tenant"));
        String creator = creator(ctx.pathParam("creator"));
        json(ctx, 200, RevenueShares.toJson(tenant, creator, payments().shares().effective(tenant, creator)));
    }

    void deleteCreatorShares(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        String tenant = knownTenant(ctx.pathParam("tenant"));
        Audit.tenant(ctx, tenant);
        String creator = creator(ctx.pathParam("creator"));
        payments().shares().deleteCreator(tenant, creator);
        json(ctx, 200, RevenueShares.toJson(tenant, creator, payments().shares().effective(tenant, creator)));
    }

    // ---- balances and payment accounts --------------------------------------------------------------

    void creatorBalances(Context ctx) {
        ApiKey key = readKey(ctx);
        String tenant = visibleTenant(key, ctx.pathParam("tenant"));
        json(ctx, 200, payments().balances().creator(tenant, creator(ctx.pathParam("creator"))));
    }

    void paymentAccounts(Context ctx) {
        ApiKey key = readKey(ctx);
        QueryParameters.requireKnown(ctx, Set.of("tenant", "currency", "creator", "merchant_account_id"));
        String tenantText = ctx.queryParam("tenant");
        if (tenantText == null) {
            throw Problem.invalidField("'tenant' is required", "?tenant");
        }
        String tenant = visibleTenant(key, tenantText);
        String currency = ctx.queryParam("currency");
        if (currency != null && !payments().currencies().isKnown(currency)) {
            throw Problem.invalidField("'" + currency + "' is not a currency of the chart's registry", "?currency");
        }
        String creator = ctx.queryParam("creator") == null ? null : creator(ctx.queryParam("creator"));
        MerchantAccounts.Account merchant = null;
        if (ctx.queryParam("merchant_account_id") != null) {
            merchant = payments().accounts().get(queryUuid(ctx, "merchant_account_id"))
                .filter(found -> found.tenant().equals(tenant))
                .orElseThrow(() -> Problem.notFound("no merchant account " + ctx.queryParam("merchant_account_id")));
        }
        json(ctx, 200, payments().balances().accounts(tenant, currency, creator, merchant));
    }

    // ---- payment events ---------------------------------------------------------------------------

    void listPaymentEvents(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_READ);
        QueryParameters.requireKnown(ctx, EVENT_FILTERS);
        int limit = (int) QueryParameters.number(ctx, "limit", 1, LIMIT_MAX, 100);
        boolean reversed = QueryParameters.bool(ctx, "reversed", false);
        Condition where = PaymentEvents.isTenantIn(visibleTenants(key));
        where = eq(where, ctx, "processor", PAYMENT_EVENTS.PROCESSOR);
        where = eq(where, ctx, "tenant", PAYMENT_EVENTS.TENANT);
        where = eq(where, ctx, "creator", PAYMENT_EVENTS.CREATOR);
        where = eq(where, ctx, "status", PAYMENT_EVENTS.STATUS);
        where = eq(where, ctx, "kind", PAYMENT_EVENTS.KIND);
        where = eq(where, ctx, "processor_transaction_id", PAYMENT_EVENTS.PROCESSOR_TRANSACTION_ID);
        if (ctx.queryParam("merchant_account_id") != null) {
            where = where.and(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(queryUuid(ctx, "merchant_account_id")));
        }
        if (ctx.queryParam("checkout_id") != null) {
            where = where.and(PAYMENT_EVENTS.CHECKOUT_ID.eq(queryUuid(ctx, "checkout_id")));
        }
        if (ctx.queryParam("status") != null && !PaymentEvents.STATUSES.contains(ctx.queryParam("status"))) {
            throw Problem.invalidField("'status' must be one of " + String.join(", ", new TreeSet<>(PaymentEvents.STATUSES)),
                "?status");
        }
        if (ctx.queryParam("kind") != null && PaymentKind.fromWireName(ctx.queryParam("kind")).isEmpty()) {
            throw Problem.invalidField("not a payment kind: '" + ctx.queryParam("kind") + "'", "?kind");
        }
        if (ctx.queryParam("from") != null) {
            where = where.and(PAYMENT_EVENTS.RECEIVED_AT.ge(instant(ctx, "from").atOffset(java.time.ZoneOffset.UTC)));
        }
        if (ctx.queryParam("to") != null) {
            where = where.and(PAYMENT_EVENTS.RECEIVED_AT.lt(instant(ctx, "to").atOffset(java.time.ZoneOffset.UTC)));
        }
        List<PaymentEventsRecord> page = payments().events().list(where, cursor(ctx), reversed, limit + 1);
        json(ctx, 200, page("payment_events", page, limit, row -> PaymentEvents.toJson(row, false),
            PaymentEventsRecord::getSeq));
    }

    void getPaymentEvent(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_READ);
        PaymentEventsRecord row = payments().events().get(pathUuid(ctx.pathParam("id")))
            .filter(found -> covers(key, found.getTenant()))
            .orElseThrow(() -> Problem.notFound("no payment event " + ctx.pathParam("id")));
        json(ctx, 200, PaymentEvents.toJson(row, true));
    }

    /** Decides an event of the key's tenants again ({@code payments:admin}); another tenant's event is 404. */
    void replayPaymentEvent(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.PAYMENTS_ADMIN);
        UUID id = pathUuid(ctx.pathParam("id"));
        PaymentEventsRecord event = payments().events().get(id).filter(found -> covers(key, found.getTenant()))
            .orElseThrow(() -> Problem.notFound("no payment event " + ctx.pathParam("id")));
        Audit.tenant(ctx, event.getTenant());
        json(ctx, 200, PaymentEvents.toJson(payments().intake().replay(id), true));
    }

    // ---- events out ---------------------------------------------------------------------------------

    void events(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.EVENTS_READ);
        QueryParameters.requireKnown(ctx, Set.of("after", "types", "tenant", "limit", "wait_seconds"));
        long after = QueryParameters.number(ctx, "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) QueryParameters.number(ctx, "limit", 1, EventFeed.MAX_LIMIT, 100);
        long wait = QueryParameters.number(ctx, "wait_seconds", 0, EventFeed.MAX_WAIT.toSeconds(), 0);
        Set<String> types = new TreeSet<>();
        String typesText = ctx.queryParam("types");
        if (typesText != null) {
            for (String type : typesText.split(",")) {
                if (!EventTypes.isKnown(type.trim())) {
                    throw Problem.invalidField("not an event type: '" + type.trim() + "'", "?types");
                }
                types.add(type.trim());
            }
        }
        Set<String> visible = visibleTenants(key);
        String tenant = ctx.queryParam("tenant");
        Set<String> scope = visible;
        if (tenant != null) {
            scope = visible == null || visible.contains(tenant) ? Set.of(tenant) : Set.of();
        }
        EventPage page;
        try {
            page = payments().eventsOut().feed().read(after, types, scope, limit, java.time.Duration.ofSeconds(wait));
        } catch (TooManyWaitersException e) {
            throw Problem.rateLimited("too many event feeds are waiting; retry without wait_seconds or later", 1);
        } catch (java.sql.SQLException e) {
            throw new Problem(503, "unavailable", "Service unavailable", "the events outbox cannot be read now", null);
        }
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(EventJson.page(page));
    }

    // ---- webhook intake ---------------------------------------------------------------------------

    void hook(Context ctx) {
        Payments running = payments();
        if (ctx.pathParam("processor").equals(ApiRails.WISE)) {
            wiseHook(ctx, running);
            return;
        }
        Intake intake = running.intake();
        MerchantAccounts.Account account = intake.account(ctx.pathParam("processor"), ctx.pathParam("id"))
            .orElseThrow(() -> Problem.notFound("no such webhook"));
        byte[] body = hookBody(ctx);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                headers.add(Map.entry(name, value));
            }
        }
        String query = ctx.req().getQueryString();
        Notification notification = new Notification(ctx.method().name(), ctx.path(), query, headers, body, peer(ctx),
            Instant.now());
        Intake.Answer answer = intake.receive(account, notification);
        ctx.header("X-Payment-Event-Id", answer.eventId().toString());
        if (answer.problem() != null) {
            throw answer.problem();
        }
        ctx.status(200);
        ctx.contentType(answer.acknowledgement().contentType());
        ctx.result(answer.acknowledgement().body());
    }

    /** Wise's payout webhooks (PAYMENTS-API §6): verified, deduplicated, applied to the payout or parked. */
    private void wiseHook(Context ctx, Payments running) {
        if (!ctx.method().name().equals("POST")) {
            throw new Problem(405, "method-not-allowed", "Method not allowed", ctx.method().name()
                + " is not allowed here: Wise posts its webhooks", null);
        }
        UUID accountId;
        try {
            accountId = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such webhook");
        }
        MerchantAccounts.Account account = running.accounts().get(accountId)
            .filter(found -> found.processor().equals(ApiRails.WISE)).orElseThrow(() -> Problem.notFound("no such webhook"));
        byte[] body = hookBody(ctx);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.putIfAbsent(name, ctx.req().getHeader(name));
        }
        WiseHooks.Received received = running.wiseHooks().receive(account, headers, body);
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result("{\"id\":\"" + received.id() + "\",\"status\":\"" + received.status() + "\",\"duplicate\":"
            + received.duplicate() + "}");
    }

    private byte[] hookBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > hookMaxBodyBytes) {
            throw Problem.tooLarge("a webhook body is at most " + hookMaxBodyBytes + " bytes (FANZ_HOOK_MAX_BODY_BYTES)");
        }
        try (InputStream in = new CappedInputStream(ctx.req().getInputStream(), hookMaxBodyBytes)) {
            return in.readAllBytes();
        } catch (Problem problem) {
            throw problem;
        } catch (IOException e) {
            throw RequestBody.unreadable(e);
        }
    }

    /** The TCP peer, or the right-most X-Forwarded-For entry outside the trusted proxies when the peer is one. */
    String peer(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (trustedProxies.isEmpty() || !SourceAddresses.allowed(peer, trustedProxies)) {
            return peer;
        }
        List<String> forwarded = new ArrayList<>();
        for (String header : Collections.list(ctx.req().getHeaders("X-Forwarded-For"))) {
            for (String entry : header.split(",")) {
                if (!entry.isBlank()) {
                    forwarded.add(entry.trim());
                }
            }
        }
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String candidate = forwarded.get(i);
            if (!SourceAddresses.allowed(candidate, trustedProxies)) {
                return candidate;
            }
        }
        return peer;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    Payments payments() {
        Payments running = payments.get();
        if (running == null) {
            throw new Problem(503, "payments-off", "Service unavailable",
                "this server runs without payments (FANZ_PAYMENTS=false, or the read model is off)", null);
        }
        return running;
    }

    private static ApiKey readKey(Context ctx) {
        return Authenticator.require(ctx, Scope.PAYMENTS_READ);
    }

    /** The slugs a key may see, or null for all (admin). */
    Set<String> visibleTenants(ApiKey key) {
        if (key.isAdmin()) {
            return null;
        }
        Set<String> slugs = new TreeSet<>();
        key.tenants().forEach(id -> tenants.slugOf(id).ifPresent(slugs::add));
        return slugs;
    }

    boolean covers(ApiKey key, String tenant) {
        return key.isAdmin() || tenants.idOf(tenant).map(key::covers).orElse(false);
    }

    private String visibleTenant(ApiKey key, String tenant) {
        if (tenants.idOf(tenant).isEmpty() || !covers(key, tenant)) {
            throw Problem.notFound("no tenant " + tenant);
        }
        return tenant;
    }

    private String knownTenant(String tenant) {
        if (tenants.idOf(tenant).isEmpty()) {
            throw Problem.notFound("no tenant " + tenant);
        }
        return tenant;
    }

    private static String creator(String creator) {
        if (!creator.matches("[A-Za-z0-9._:@-]{1,64}")) {
            throw Problem.invalidField("a creator id is 1-64 of A-Z a-z 0-9 . _ : @ -", "/creator");
        }
        return creator;
    }

    static String idempotencyKey(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && !key.matches("[\\x21-\\x7e]{1,64}")) {
            throw Problem.badRequest("invalid-header", "Idempotency-Key is 1-64 printable ASCII characters", null);
        }
        return key;
    }

    static String fingerprint(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID pathUuid(String text) {
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equalsIgnoreCase(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw Problem.notFound("no object " + text);
    }

    static UUID queryUuid(Context ctx, String name) {
        String text = ctx.queryParam(name);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a UUID: '" + text + "'", "?" + name);
        }
    }

    private static Instant instant(Context ctx, String name) {
        try {
            return Instant.parse(ctx.queryParam(name));
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.invalidField("'" + name + "' is an ISO-8601 UTC time such as 2026-12-01T00:00:00Z", "?" + name);
        }
    }

    static long cursor(Context ctx) {
        String text = ctx.queryParam("cursor");
        return text == null ? 0 : QueryParameters.parseNumber(text, "cursor", 1, Long.MAX_VALUE);
    }

    static Condition eq(Condition where, Context ctx, String name, org.jooq.Field<String> field) {
        String value = ctx.queryParam(name);
        return value == null ? where : where.and(field.eq(value));
    }

    /**
     * A listing's answer {@code {"<plural>":[…],"next"}} from a page read with one row more than {@code limit}: the
     * first {@code limit} rows, and as {@code next} the creation sequence of the last one shown when there are more.
     */
    static <T> ObjectNode page(String plural, List<T> rows, int limit, java.util.function.Function<T, ObjectNode> json,
                               java.util.function.ToLongFunction<T> seq) {
        ObjectNode answer = Fields.parseless();
        ArrayNode list = answer.putArray(plural);
        rows.stream().limit(limit).forEach(row -> list.add(json.apply(row)));
        answer.put("next", rows.size() > limit ? Long.toString(seq.applyAsLong(rows.get(limit - 1))) : null);
        return answer;
    }

    static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Fields.write(body));
    }
}
