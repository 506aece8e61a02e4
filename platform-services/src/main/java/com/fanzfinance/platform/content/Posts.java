package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.POSTS;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.PostsRecord;

import io.javalin.http.Context;

/**
 * Creators' posts: written as drafts (with media assets the media service confirms are the creator's own),
 * published only once the compliance service clears them, and read by everyone of the brand — title, preview
 * and price for all, the locked part ({@code body} and {@code media_asset_ids}) only for the creator, the
 * brand's staff, services with {@code content:read} and fans entitled to it.
 */
final class Posts {
    static final int TITLE_MAX = 200;
    static final int BODY_MAX = 20_000;
    static final int PREVIEW_MAX = 500;
    static final int MEDIA_MAX = 50;

    private final ServiceDatabase db;
    private final Entitlements entitlements;
    private final ComplianceClearances clearances;
    private final MediaAssets media;

    Posts(ServiceDatabase db, Entitlements entitlements, ComplianceClearances clearances, MediaAssets media) {
        this.db = db;
        this.entitlements = entitlements;
        this.clearances = clearances;
        this.media = media;
    }

    /** {@code POST /v1/posts} (creator): a draft, its media assets checked with the media service. */
    void create(Context ctx, Caller caller) {
        caller.requireRole(Caller.CREATOR);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "title", "body", "preview", "ppv_price", "currency", "media_asset_ids");
        String title = Json.plainText(body, "title", TITLE_MAX);
        String text = lockedBody(body);
        String preview = Json.optionalPlainText(body, "preview", PREVIEW_MAX);
        long price = Json.amount(body, "ppv_price");
        String currency = Json.text(body, "currency", Json.CURRENCY, "a 3-letter currency code such as USD");
        List<UUID> assets = mediaAssetIds(body);
        media.check(caller.tenant(), caller.subject(), assets);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        PostsRecord row = db.dsl().insertInto(POSTS)
            .set(POSTS.ID, UUID.randomUUID())
            .set(POSTS.TENANT, caller.tenant())
            .set(POSTS.CREATOR, caller.subject())
            .set(POSTS.TITLE, title)
            .set(POSTS.BODY, text)
            .set(POSTS.PREVIEW, preview)
            .set(POSTS.PPV_PRICE, price)
            .set(POSTS.CURRENCY, currency)
            .set(POSTS.MEDIA_ASSET_IDS, writeIds(assets))
            .set(POSTS.STATUS, "draft")
            .set(POSTS.CREATED, now)
            .returning().fetchOne();
        Json.answer(ctx, 201, toJson(row, true));
    }

    /** {@code POST /v1/posts/{id}/publish} (the owning creator): published once compliance clears it. */
    void publish(Context ctx, Caller caller) {
        PostsRecord post = visible(caller, Requests.pathId(ctx));
        if (!caller.has(Caller.CREATOR) || !caller.subject().equals(post.getCreator())) {
            throw Problem.forbidden("only the post's creator may publish it");
        }
        if ("published".equals(post.getStatus())) {
            Json.answer(ctx, 200, toJson(post, true));
            return;
        }
        ComplianceClearances.Clearance clearance = clearances.check(post.getTenant(), post.getCreator(),
            "post:" + post.getId());
        if (!clearance.cleared()) {
            throw Problem.unprocessable("content-not-cleared",
                "the compliance service has not cleared this post; it stays a draft").with("reasons", clearance.reasons());
        }
        PostsRecord published = db.dsl().update(POSTS)
            .set(POSTS.STATUS, "published")
            .set(POSTS.PUBLISHED, OffsetDateTime.now(ZoneOffset.UTC))
            .where(POSTS.ID.eq(post.getId()), POSTS.STATUS.eq("draft"))
            .returning().fetchOne();
        Json.answer(ctx, 200, toJson(published == null ? find(post.getId()) : published, true));
    }

    /** {@code GET /v1/posts/{id}}: the locked part only for those who may see it. */
    void get(Context ctx, Caller caller) {
        PostsRecord post = visible(caller, Requests.pathId(ctx));
        Json.answer(ctx, 200, toJson(post, unlocked(caller, post)));
    }

    /**
     * {@code GET /v1/posts?tenant=&creator=}: published posts in creation order (a creator also sees their
     * own drafts, the brand's staff and services with {@code content:read} every draft), as summaries without
     * the locked part.
     */
    void list(Context ctx, Caller caller) {
        Requests.allowOnlyParameters(ctx, "tenant", "creator", "limit", "cursor");
        String tenant = Requests.tenant(ctx, caller);
        String creator = Requests.platformId(ctx, "creator");
        Requests.Page page = Requests.Page.of(ctx);
        Condition where = POSTS.TENANT.eq(tenant).and(POSTS.SEQ.gt(page.afterSeq()));
        if (creator != null) {
            where = where.and(POSTS.CREATOR.eq(creator));
        }
        if (!Access.readsAll(caller, tenant)) {
            Condition mine = caller.has(Caller.CREATOR) ? POSTS.CREATOR.eq(caller.subject()) : null;
            where = where.and(mine == null ? POSTS.STATUS.eq("published") : POSTS.STATUS.eq("published").or(mine));
        }
        List<PostsRecord> rows = db.dsl().selectFrom(POSTS).where(where).orderBy(POSTS.SEQ).limit(page.limit() + 1).fetch();
        List<ObjectNode> posts = new ArrayList<>();
        for (PostsRecord row : rows.subList(0, Math.min(rows.size(), page.limit()))) {
            posts.add(summary(row));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("posts", posts);
        answer.put("next", rows.size() > page.limit() ? Requests.Page.cursorAfter(rows.get(page.limit() - 1).getSeq()) : null);
        Json.answer(ctx, 200, answer);
    }

    /** The post, or 404 when there is none the caller may know of (another brand's, someone else's draft). */
    PostsRecord visible(Caller caller, UUID id) {
        PostsRecord post = db.dsl().selectFrom(POSTS).where(POSTS.ID.eq(id)).fetchOne();
        if (post == null) {
            throw Problem.notFound("no such post");
        }
        caller.requireTenant(post.getTenant(), "post");
        if ("draft".equals(post.getStatus()) && !Access.readsAll(caller, post.getTenant())
                && !caller.subject().equals(post.getCreator())) {
            throw Problem.notFound("no such post");
        }
        return post;
    }

    PostsRecord find(UUID id) {
        return db.dsl().selectFrom(POSTS).where(POSTS.ID.eq(id)).fetchOne();
    }

    private boolean unlocked(Caller caller, PostsRecord post) {
        return Access.readsAll(caller, post.getTenant()) || caller.subject().equals(post.getCreator())
            || entitlements.entitled(post.getTenant(), caller.subject(), post.getCreator(), post.getId());
    }

    private static String lockedBody(JsonNode body) {
        String text = Json.optionalText(body, "body", null, null);
        if (text == null) {
            throw Problem.invalidField("'body' is required", "/body");
        }
        if (text.isBlank() || text.length() > BODY_MAX
                || text.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)) {
            throw Problem.invalidField("'body' must be 1–" + BODY_MAX
                + " characters without control characters other than line breaks and tabs", "/body");
        }
        return text;
    }

    private static List<UUID> mediaAssetIds(JsonNode body) {
        JsonNode ids = body.get("media_asset_ids");
        if (ids == null || ids.isNull()) {
            return List.of();
        }
        if (!ids.isArray() || ids.size() > MEDIA_MAX) {
            throw Problem.invalidField("'media_asset_ids' must be an array of at most " + MEDIA_MAX + " asset ids",
                "/media_asset_ids");
        }
        Set<UUID> seen = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String pointer = "/media_asset_ids/" + i;
            if (!ids.get(i).isTextual()) {
                throw Problem.invalidField("a media asset id must be a UUID string", pointer);
            }
            if (!seen.add(Json.parseUuid(ids.get(i).asText(), pointer))) {
                throw Problem.invalidField("media asset " + ids.get(i).asText() + " is named twice", pointer);
            }
        }
        return List.copyOf(seen);
    }

    private static String writeIds(List<UUID> ids) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        ids.forEach(id -> array.add(id.toString()));
        try {
            return Json.MAPPER.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readIds(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode summary(PostsRecord row) {
        ObjectNode json = Json.object();
        json.put("id", row.getId().toString());
        json.put("tenant", row.getTenant());
        json.put("creator", row.getCreator());
        json.put("title", row.getTitle());
        json.put("preview", row.getPreview());
        json.put("ppv_price", Long.toString(row.getPpvPrice()));
        json.put("currency", row.getCurrency());
        json.put("status", row.getStatus());
        json.put("created", Requests.time(row.getCreated()));
        json.put("published", Requests.time(row.getPublished()));
        return json;
    }

    private static ObjectNode toJson(PostsRecord row, boolean unlocked) {
        ObjectNode json = summary(row);
        json.put("locked", !unlocked);
        if (unlocked) {
            json.put("body", row.getBody());
            json.set("media_asset_ids", readIds(row.getMediaAssetIds()));
        }
        return json;
    }
}
