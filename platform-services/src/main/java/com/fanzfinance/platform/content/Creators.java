package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.CREATORS;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.CreatorsRecord;

import io.javalin.http.Context;

/**
 * Creators' public profiles, one per creator and brand (the creator id is the user id of the creator's
 * token), and a creator's earnings as the ledger keeps them.
 */
final class Creators {
    static final int DISPLAY_NAME_MAX = 100;
    static final int BIO_MAX = 2000;

    private final ServiceDatabase db;
    private final PaymentsApi payments;

    Creators(ServiceDatabase db, PaymentsApi payments) {
        this.db = db;
        this.payments = payments;
    }

    /** {@code PUT /v1/creators/me} (creator): creates or replaces the caller's profile on their brand. */
    void putMine(Context ctx, Caller caller) {
        caller.requireRole(Caller.CREATOR);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "display_name", "bio");
        String displayName = Json.plainText(body, "display_name", DISPLAY_NAME_MAX);
        String bio = Json.optionalPlainText(body, "bio", BIO_MAX);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        CreatorsRecord row = db.dsl().insertInto(CREATORS)
            .set(CREATORS.TENANT, caller.tenant())
            .set(CREATORS.ID, caller.subject())
            .set(CREATORS.DISPLAY_NAME, displayName)
            .set(CREATORS.BIO, bio)
            .set(CREATORS.CREATED, now)
            .set(CREATORS.UPDATED, now)
            .onConflict(CREATORS.TENANT, CREATORS.ID).doUpdate()
            .set(CREATORS.DISPLAY_NAME, displayName)
            .set(CREATORS.BIO, bio)
            .set(CREATORS.UPDATED, now)
            .returning().fetchOne();
        Json.answer(ctx, 200, toJson(row));
    }

    /** {@code GET /v1/creators/{id}?tenant=}: a creator's profile, for anyone of the brand. */
    void get(Context ctx, Caller caller) {
        Requests.allowOnlyParameters(ctx, "tenant");
        String tenant = Requests.tenant(ctx, caller);
        String id = ctx.pathParam("id");
        if (!Json.PLATFORM_ID.matcher(id).matches()) {
            throw Problem.invalidField("a creator id is 1–64 of A-Z a-z 0-9 . _ : @ -", null);
        }
        CreatorsRecord row = find(tenant, id);
        if (row == null) {
            throw Problem.notFound("no such creator");
        }
        Json.answer(ctx, 200, toJson(row));
    }

    /** {@code GET /v1/creators/me/earnings} (creator): the ledger's balances of the caller, as it answers them. */
    void earnings(Context ctx, Caller caller) {
        caller.requireRole(Caller.CREATOR);
        Json.answer(ctx, 200, LedgerCalls.call(() -> payments.creatorBalances(caller.tenant(), caller.subject())));
    }

    CreatorsRecord find(String tenant, String id) {
        return db.dsl().selectFrom(CREATORS).where(CREATORS.TENANT.eq(tenant), CREATORS.ID.eq(id)).fetchOne();
    }

    private static ObjectNode toJson(CreatorsRecord row) {
        ObjectNode json = Json.object();
        json.put("id", row.getId());
        json.put("tenant", row.getTenant());
        json.put("display_name", row.getDisplayName());
        json.put("bio", row.getBio());
        json.put("created", Requests.time(row.getCreated()));
        json.put("updated", Requests.time(row.getUpdated()));
        return json;
    }
}
