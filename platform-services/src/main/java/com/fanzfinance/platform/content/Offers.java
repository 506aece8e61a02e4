package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.BUNDLES;
import static com.fanzfinance.platform.content.schema.Tables.BUNDLE_POSTS;
import static com.fanzfinance.platform.content.schema.Tables.PLANS;
import static com.fanzfinance.platform.content.schema.Tables.POSTS;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.BundlesRecord;
import com.fanzfinance.platform.content.schema.tables.records.PlansRecord;

import io.javalin.http.Context;

/**
 * What a creator sells besides single posts: subscription plans (a price per period of 1–365 days giving all
 * the creator's posts) and bundles (a price for a set of the creator's own published posts).
 */
final class Offers {
    static final int NAME_MAX = 100;
    static final int TITLE_MAX = 200;
    static final int BUNDLE_POSTS_MAX = 100;

    private final ServiceDatabase db;

    Offers(ServiceDatabase db) {
        this.db = db;
    }

    /** {@code POST /v1/plans} (creator). */
    void createPlan(Context ctx, Caller caller) {
        caller.requireRole(Caller.CREATOR);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "name", "price", "currency", "period_days");
        String name = Json.plainText(body, "name", NAME_MAX);
        long price = positiveAmount(body, "price");
        String currency = Json.text(body, "currency", Json.CURRENCY, "a 3-letter currency code such as USD");
        Integer periodDays = Json.optionalInt(body, "period_days", 1, 365);
        if (periodDays == null) {
            throw Problem.invalidField("'period_days' is required", "/period_days");
        }
        PlansRecord row = db.dsl().insertInto(PLANS)
            .set(PLANS.ID, UUID.randomUUID())
            .set(PLANS.TENANT, caller.tenant())
            .set(PLANS.CREATOR, caller.subject())
            .set(PLANS.NAME, name)
            .set(PLANS.PRICE, price)
            .set(PLANS.CURRENCY, currency)
            .set(PLANS.PERIOD_DAYS, periodDays)
            .set(PLANS.CREATED, OffsetDateTime.now(ZoneOffset.UTC))
            .returning().fetchOne();
        Json.answer(ctx, 201, planJson(row));
    }

    /** {@code GET /v1/plans?tenant=&creator=}: plans in creation order. */
    void listPlans(Context ctx, Caller caller) {
        Requests.allowOnlyParameters(ctx, "tenant", "creator", "limit", "cursor");
        String tenant = Requests.tenant(ctx, caller);
        String creator = Requests.platformId(ctx, "creator");
        Requests.Page page = Requests.Page.of(ctx);
        Condition where = PLANS.TENANT.eq(tenant).and(PLANS.SEQ.gt(page.afterSeq()));
        if (creator != null) {
            where = where.and(PLANS.CREATOR.eq(creator));
        }
        List<PlansRecord> rows = db.dsl().selectFrom(PLANS).where(where).orderBy(PLANS.SEQ).limit(page.limit() + 1).fetch();
        List<ObjectNode> plans = new ArrayList<>();
        rows.subList(0, Math.min(rows.size(), page.limit())).forEach(row -> plans.add(planJson(row)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("plans", plans);
        answer.put("next", rows.size() > page.limit() ? Requests.Page.cursorAfter(rows.get(page.limit() - 1).getSeq()) : null);
        Json.answer(ctx, 200, answer);
    }

    /** {@code POST /v1/bundles} (creator): own published posts only. */
    void createBundle(Context ctx, Caller caller) {
        caller.requireRole(Caller.CREATOR);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "title", "post_ids", "price", "currency");
        String title = Json.plainText(body, "title", TITLE_MAX);
        List<UUID> postIds = bundlePostIds(body);
        long price = positiveAmount(body, "price");
        String currency = Json.text(body, "currency", Json.CURRENCY, "a 3-letter currency code such as USD");
        UUID id = UUID.randomUUID();
        BundlesRecord row = db.dsl().transactionResult(cfg -> {
            var tx = cfg.dsl();
            Set<UUID> own = new java.util.HashSet<>(tx.select(POSTS.ID).from(POSTS)
                .where(POSTS.ID.in(postIds), POSTS.TENANT.eq(caller.tenant()), POSTS.CREATOR.eq(caller.subject()),
                    POSTS.STATUS.eq("published"))
                .fetch(POSTS.ID));
            for (int i = 0; i < postIds.size(); i++) {
                if (!own.contains(postIds.get(i))) {
                    throw Problem.invalidField("post " + postIds.get(i) + " is not one of your published posts",
                        "/post_ids/" + i);
                }
            }
            BundlesRecord bundle = tx.insertInto(BUNDLES)
                .set(BUNDLES.ID, id)
                .set(BUNDLES.TENANT, caller.tenant())
                .set(BUNDLES.CREATOR, caller.subject())
                .set(BUNDLES.TITLE, title)
                .set(BUNDLES.PRICE, price)
                .set(BUNDLES.CURRENCY, currency)
                .set(BUNDLES.CREATED, OffsetDateTime.now(ZoneOffset.UTC))
                .returning().fetchOne();
            for (int i = 0; i < postIds.size(); i++) {
                tx.insertInto(BUNDLE_POSTS).set(BUNDLE_POSTS.BUNDLE_ID, id).set(BUNDLE_POSTS.POSITION, i)
                    .set(BUNDLE_POSTS.POST_ID, postIds.get(i)).execute();
            }
            return bundle;
        });
        Json.answer(ctx, 201, bundleJson(row, postIds));
    }

    /** {@code GET /v1/bundles/{id}}: for anyone of the brand. */
    void getBundle(Context ctx, Caller caller) {
        BundlesRecord row = bundle(caller, Requests.pathId(ctx));
        Json.answer(ctx, 200, bundleJson(row, bundlePosts(row.getId())));
    }

    /** The plan, or 404 for none the caller's brand has. */
    PlansRecord plan(Caller caller, UUID id) {
        PlansRecord plan = db.dsl().selectFrom(PLANS).where(PLANS.ID.eq(id)).fetchOne();
        if (plan == null) {
            throw Problem.notFound("no such plan");
        }
        caller.requireTenant(plan.getTenant(), "plan");
        return plan;
    }

    /** The bundle, or 404 for none the caller's brand has. */
    BundlesRecord bundle(Caller caller, UUID id) {
        BundlesRecord bundle = db.dsl().selectFrom(BUNDLES).where(BUNDLES.ID.eq(id)).fetchOne();
        if (bundle == null) {
            throw Problem.notFound("no such bundle");
        }
        caller.requireTenant(bundle.getTenant(), "bundle");
        return bundle;
    }

    List<UUID> bundlePosts(UUID bundle) {
        return db.dsl().select(BUNDLE_POSTS.POST_ID).from(BUNDLE_POSTS).where(BUNDLE_POSTS.BUNDLE_ID.eq(bundle))
            .orderBy(BUNDLE_POSTS.POSITION).fetch(BUNDLE_POSTS.POST_ID);
    }

    private static long positiveAmount(JsonNode body, String name) {
        long amount = Json.amount(body, name);
        if (amount == 0) {
            throw Problem.invalidField("'" + name + "' must be more than 0", "/" + name);
        }
        return amount;
    }

    private static List<UUID> bundlePostIds(JsonNode body) {
        JsonNode ids = body.get("post_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > BUNDLE_POSTS_MAX) {
            throw Problem.invalidField("'post_ids' must be an array of 1–" + BUNDLE_POSTS_MAX + " post ids", "/post_ids");
        }
        Set<UUID> seen = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String pointer = "/post_ids/" + i;
            if (!ids.get(i).isTextual()) {
                throw Problem.invalidField("a post id must be a UUID string", pointer);
            }
            if (!seen.add(Json.parseUuid(ids.get(i).asText(), pointer))) {
                throw Problem.invalidField("post " + ids.get(i).asText() + " is named twice", pointer);
            }
        }
        return List.copyOf(seen);
    }

    private static ObjectNode planJson(PlansRecord row) {
        ObjectNode json = Json.object();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("creator", row.getCreator());
        json.put("name", row.getName());
        json.put("price", Long.toString(row.getPrice()));
        json.put("currency", row.getCurrency());
        json.put("period_days", row.getPeriodDays());
        json.put("created", Requests.time(row.getCreated()));
        return json;
    }

    private static ObjectNode bundleJson(BundlesRecord row, List<UUID> posts) {
        ObjectNode json = Json.object();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("creator", row.getCreator());
        json.put("title", row.getTitle());
        var array = json.putArray("post_ids");
        posts.forEach(post -> array.add(post.toString()));
        json.put("price", Long.toString(row.getPrice()));
        json.put("currency", row.getCurrency());
        json.put("created", Requests.time(row.getCreated()));
        return json;
    }
}
