package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.PURCHASES;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.Condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Hashes;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.BundlesRecord;
import com.fanzfinance.platform.content.schema.tables.records.CreatorsRecord;
import com.fanzfinance.platform.content.schema.tables.records.PlansRecord;
import com.fanzfinance.platform.content.schema.tables.records.PostsRecord;
import com.fanzfinance.platform.content.schema.tables.records.PurchasesRecord;

import io.javalin.http.Context;

/**
 * Fans' purchases — a PPV post, a subscription plan, a bundle or a tip — each paid through one checkout the
 * ledger server opens. The price is always the post's, plan's or bundle's (a tip's amount is the fan's,
 * within the configured bounds). The fan's {@code Idempotency-Key} makes a retried request answer the same
 * purchase, and the purchase's id is the ledger's idempotency key, so a retry never opens a second checkout.
 * A purchase grants nothing by itself: the follower of the ledger's events does, when the payment posts.
 */
final class Purchases {
    private static final Pattern PROCESSOR = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final int RETURN_URL_MAX = 2000;

    private final ServiceDatabase db;
    private final PaymentsApi payments;
    private final Posts posts;
    private final Offers offers;
    private final Creators creators;
    private final Entitlements entitlements;
    private final long tipMin;
    private final long tipMax;
    private final String tipCurrency;

    Purchases(ServiceDatabase db, PaymentsApi payments, Posts posts, Offers offers, Creators creators,
            Entitlements entitlements, TipRules tips) {
        this.db = db;
        this.payments = payments;
        this.posts = posts;
        this.offers = offers;
        this.creators = creators;
        this.entitlements = entitlements;
        this.tipMin = tips.min();
        this.tipMax = tips.max();
        this.tipCurrency = tips.currency();
    }

    /** The bounds of a tip, in minor units of {@code currency}, the currency tips are paid in. */
    record TipRules(long min, long max, String currency) {
    }

    /** What a purchase request asks for, validated; {@code canonical} is what its idempotency compares. */
    private record Request(String kind, UUID ref, String tipCreator, Long tipAmount, String processor, String returnUrl) {
        String canonical() {
            return String.join("\n", kind, ref == null ? "" : ref.toString(), tipCreator == null ? "" : tipCreator,
                tipAmount == null ? "" : tipAmount.toString(), processor, returnUrl == null ? "" : returnUrl);
        }
    }

    /** The priced product a request names. */
    private record Product(String creator, long amount, String currency, UUID postId, UUID planId, UUID bundleId,
            Integer periodDays, String productRef) {
    }

    /** {@code POST /v1/purchases} (a fan of the brand). */
    void create(Context ctx, Caller caller) {
        caller.requireRole(Caller.FAN);
        String key = ctx.header("Idempotency-Key");
        if (key == null || key.isEmpty() || key.length() > 64 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw Problem.badRequest("invalid-header", "an Idempotency-Key header of 1–64 printable ASCII characters is required",
                null);
        }
        Request request = read(Json.body(ctx));
        String hash = Hashes.sha256Hex(request.canonical());
        PurchasesRecord earlier = byKey(caller, key);
        if (earlier != null) {
            answerRepeat(ctx, earlier, hash);
            return;
        }
        Product product = product(caller, request);
        PurchasesRecord row = insert(caller, key, hash, request, product);
        if (row == null) {
            answerRepeat(ctx, byKey(caller, key), hash);
            return;
        }
        Json.answer(ctx, 201, toJson(openCheckout(row)));
    }

    /** {@code GET /v1/purchases/{id}}: for its fan, staff of its brand, or a service with {@code content:read}. */
    void get(Context ctx, Caller caller) {
        PurchasesRecord row = db.dsl().selectFrom(PURCHASES).where(PURCHASES.ID.eq(Requests.pathId(ctx))).fetchOne();
        if (row == null) {
            throw Problem.notFound("no such purchase");
        }
        caller.requireTenant(row.getTenant(), "purchase");
        if (!Access.readsAll(caller, row.getTenant()) && !caller.subject().equals(row.getFan())) {
            throw Problem.notFound("no such purchase");
        }
        Json.answer(ctx, 200, toJson(row));
    }

    /**
     * {@code GET /v1/purchases?tenant=&fan=&creator=}: a fan's own purchases; a creator may list the purchases
     * of their own content ({@code creator} = themself); the brand's staff and services with
     * {@code content:read} any.
     */
    void list(Context ctx, Caller caller) {
        Requests.allowOnlyParameters(ctx, "tenant", "fan", "creator", "limit", "cursor");
        String tenant = Requests.tenant(ctx, caller);
        String fan = Requests.platformId(ctx, "fan");
        String creator = Requests.platformId(ctx, "creator");
        if (!Access.readsAll(caller, tenant)) {
            boolean ownSales = creator != null && creator.equals(caller.subject()) && caller.has(Caller.CREATOR);
            if (fan == null && !ownSales) {
                fan = caller.subject();
            }
            if (fan != null && !fan.equals(caller.subject()) && !ownSales) {
                throw Problem.forbidden("only staff may list another fan's purchases");
            }
        }
        Requests.Page page = Requests.Page.of(ctx);
        Condition where = PURCHASES.TENANT.eq(tenant).and(PURCHASES.SEQ.gt(page.afterSeq()));
        if (fan != null) {
            where = where.and(PURCHASES.FAN.eq(fan));
        }
        if (creator != null) {
            where = where.and(PURCHASES.CREATOR.eq(creator));
        }
        List<PurchasesRecord> rows = db.dsl().selectFrom(PURCHASES).where(where).orderBy(PURCHASES.SEQ)
            .limit(page.limit() + 1).fetch();
        List<ObjectNode> purchases = new ArrayList<>();
        rows.subList(0, Math.min(rows.size(), page.limit())).forEach(row -> purchases.add(toJson(row)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("purchases", purchases);
        answer.put("next", rows.size() > page.limit() ? Requests.Page.cursorAfter(rows.get(page.limit() - 1).getSeq()) : null);
        Json.answer(ctx, 200, answer);
    }

    private Request read(ObjectNode body) {
        Json.allowOnly(body, "", "kind", "post_id", "plan_id", "bundle_id", "creator_id", "amount", "processor",
            "return_url");
        String kind = Json.text(body, "kind", Pattern.compile("ppv|subscription|tip|bundle"),
            "one of ppv, subscription, tip, bundle");
        String refField = switch (kind) {
            case "ppv" -> "post_id";
            case "subscription" -> "plan_id";
            case "bundle" -> "bundle_id";
            default -> "creator_id";
        };
        for (String field : List.of("post_id", "plan_id", "bundle_id", "creator_id", "amount")) {
            boolean belongs = field.equals(refField) || field.equals("amount") && kind.equals("tip");
            if (!belongs && body.hasNonNull(field)) {
                throw Problem.invalidField("'" + field + "' is not part of a " + kind + " purchase"
                    + (field.equals("amount") ? ": the price is the seller's" : ""), "/" + field);
            }
        }
        String processor = Json.text(body, "processor", PROCESSOR, "a processor name such as verotel");
        String returnUrl = returnUrl(body);
        if (kind.equals("tip")) {
            String creator = Json.text(body, "creator_id", Json.PLATFORM_ID, "a creator id");
            long amount = Json.amount(body, "amount");
            if (amount < tipMin || amount > tipMax) {
                throw Problem.invalidField("a tip is from " + tipMin + " to " + tipMax + " minor units", "/amount");
            }
            return new Request(kind, null, creator, amount, processor, returnUrl);
        }
        return new Request(kind, Json.uuid(body, refField), null, null, processor, returnUrl);
    }

    private static String returnUrl(JsonNode body) {
        String url = Json.optionalText(body, "return_url", null, null);
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (url.length() <= RETURN_URL_MAX && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw Problem.invalidField("'return_url' must be an http(s) URL of at most " + RETURN_URL_MAX + " characters",
            "/return_url");
    }

    /** The product and its price, checked: on sale at the caller's brand, not the caller's own, not already theirs. */
    private Product product(Caller caller, Request request) {
        Product product = switch (request.kind()) {
            case "ppv" -> {
                PostsRecord post = posts.visible(caller, request.ref());
                if (!"published".equals(post.getStatus())) {
                    throw Problem.notFound("no such post");
                }
                if (post.getPpvPrice() == 0) {
                    throw Problem.conflict("not-for-sale", "this post is free for the creator's subscribers and not sold alone");
                }
                yield new Product(post.getCreator(), post.getPpvPrice(), post.getCurrency(), post.getId(), null, null,
                    null, "post:" + post.getId());
            }
            case "subscription" -> {
                PlansRecord plan = offers.plan(caller, request.ref());
                yield new Product(plan.getCreator(), plan.getPrice(), plan.getCurrency(), null, plan.getId(), null,
                    plan.getPeriodDays(), "plan:" + plan.getId());
            }
            case "bundle" -> {
                BundlesRecord bundle = offers.bundle(caller, request.ref());
                yield new Product(bundle.getCreator(), bundle.getPrice(), bundle.getCurrency(), null, null, bundle.getId(),
                    null, "bundle:" + bundle.getId());
            }
            default -> {
                CreatorsRecord creator = creators.find(caller.tenant(), request.tipCreator());
                if (creator == null) {
                    throw Problem.notFound("no such creator");
                }
                yield new Product(creator.getId(), request.tipAmount(), tipCurrency, null, null, null, null, "tip");
            }
        };
        if (product.creator().equals(caller.subject())) {
            throw Problem.conflict("own-content", "you cannot buy from yourself");
        }
        if (product.postId() != null
                && entitlements.entitled(caller.tenant(), caller.subject(), product.creator(), product.postId())) {
            throw Problem.conflict("already-entitled", "you can already see this post");
        }
        if (product.planId() != null && entitlements.subscribed(caller.tenant(), caller.subject(), product.creator())) {
            throw Problem.conflict("already-entitled", "you are already subscribed to this creator");
        }
        return product;
    }

    /** The new purchase, status {@code opening}; null when a concurrent request with the same key won. */
    private PurchasesRecord insert(Caller caller, String key, String hash, Request request, Product product) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return db.dsl().insertInto(PURCHASES)
            .set(PURCHASES.ID, UUID.randomUUID())
            .set(PURCHASES.TENANT, caller.tenant())
            .set(PURCHASES.FAN, caller.subject())
            .set(PURCHASES.CREATOR, product.creator())
            .set(PURCHASES.KIND, request.kind())
            .set(PURCHASES.POST_ID, product.postId())
            .set(PURCHASES.PLAN_ID, product.planId())
            .set(PURCHASES.BUNDLE_ID, product.bundleId())
            .set(PURCHASES.AMOUNT, product.amount())
            .set(PURCHASES.CURRENCY, product.currency())
            .set(PURCHASES.PERIOD_DAYS, product.periodDays())
            .set(PURCHASES.PROCESSOR, request.processor())
            .set(PURCHASES.RETURN_URL, request.returnUrl())
            .set(PURCHASES.IDEMPOTENCY_KEY, key)
            .set(PURCHASES.REQUEST_HASH, hash)
            .set(PURCHASES.STATUS, "opening")
            .set(PURCHASES.CREATED, now)
            .set(PURCHASES.UPDATED, now)
            .onConflictDoNothing()
            .returning().fetchOne();
    }

    private PurchasesRecord byKey(Caller caller, String key) {
        return db.dsl().selectFrom(PURCHASES).where(PURCHASES.TENANT.eq(caller.tenant()), PURCHASES.FAN.eq(caller.subject()),
            PURCHASES.IDEMPOTENCY_KEY.eq(key)).fetchOne();
    }

    /** The same key again: the same body answers the purchase (its checkout opened now if it was not yet). */
    private void answerRepeat(Context ctx, PurchasesRecord earlier, String hash) {
        if (!earlier.getRequestHash().equals(hash)) {
            throw Problem.conflict("idempotency-key-reused", "this Idempotency-Key was used for another purchase request");
        }
        Json.answer(ctx, 200, toJson("opening".equals(earlier.getStatus()) ? openCheckout(earlier) : earlier));
    }

    /**
     * Opens the purchase's checkout in the ledger with the purchase id as idempotency key. A refusal removes the
     * purchase (nothing was made in the ledger) and answers 422; a ledger that cannot be reached leaves it
     * {@code opening}, for the fan's retry with the same key to finish.
     */
    private PurchasesRecord openCheckout(PurchasesRecord purchase) {
        ObjectNode body = Json.object();
        body.put("tenant", purchase.getTenant());
        body.put("creator", purchase.getCreator());
        body.put("fan", purchase.getFan());
        body.put("product", purchase.getKind());
        body.put("product_ref", productRef(purchase));
        body.put("amount", Long.toString(purchase.getAmount()));
        body.put("currency", purchase.getCurrency());
        body.put("processor", purchase.getProcessor());
        if (purchase.getPeriodDays() != null) {
            body.put("period_days", purchase.getPeriodDays());
        }
        if (purchase.getReturnUrl() != null) {
            body.put("return_url", purchase.getReturnUrl());
        }
        body.putObject("metadata").put("purchase_id", purchase.getId().toString());
        JsonNode checkout;
        try {
            checkout = LedgerCalls.call(() -> payments.createCheckout(purchase.getId().toString(), body));
        } catch (Problem problem) {
            if (problem.status() == 422) {
                db.dsl().deleteFrom(PURCHASES).where(PURCHASES.ID.eq(purchase.getId()), PURCHASES.STATUS.eq("opening"))
                    .execute();
            }
            throw problem;
        }
        PurchasesRecord updated = db.dsl().update(PURCHASES)
            .set(PURCHASES.STATUS, "pending")
            .set(PURCHASES.CHECKOUT_ID, UUID.fromString(checkout.path("id").asText()))
            .set(PURCHASES.ACTION, checkout.path("action").toString())
            .set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
            .where(PURCHASES.ID.eq(purchase.getId()), PURCHASES.STATUS.eq("opening"))
            .returning().fetchOne();
        return updated != null ? updated
            : db.dsl().selectFrom(PURCHASES).where(PURCHASES.ID.eq(purchase.getId())).fetchOne();
    }

    private static String productRef(PurchasesRecord purchase) {
        return switch (purchase.getKind()) {
            case "ppv" -> "post:" + purchase.getPostId();
            case "subscription" -> "plan:" + purchase.getPlanId();
            case "bundle" -> "bundle:" + purchase.getBundleId();
            default -> "tip";
        };
    }

    static ObjectNode toJson(PurchasesRecord row) {
        ObjectNode json = Json.object();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("fan", row.getFan());
        json.put("creator", row.getCreator());
        json.put("kind", row.getKind());
        if (row.getPostId() != null) {
            json.put("post_id", row.getPostId().toString());
        }
        if (row.getPlanId() != null) {
            json.put("plan_id", row.getPlanId().toString());
        }
        if (row.getBundleId() != null) {
            json.put("bundle_id", row.getBundleId().toString());
        }
        json.put("amount", Long.toString(row.getAmount()));
        json.put("currency", row.getCurrency());
        if (row.getPeriodDays() != null) {
            json.put("period_days", row.getPeriodDays());
        }
        json.put("processor", row.getProcessor());
        json.put("return_url", row.getReturnUrl());
        json.put("status", row.getStatus());
        json.put("checkout_id", row.getCheckoutId() == null ? null : row.getCheckoutId().toString());
        try {
            json.set("action", row.getAction() == null ? null : Json.MAPPER.readTree(row.getAction()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.put("created", Requests.time(row.getCreated()));
        json.put("updated", Requests.time(row.getUpdated()));
        return json;
    }
}
