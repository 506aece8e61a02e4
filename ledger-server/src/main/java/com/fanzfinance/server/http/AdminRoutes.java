package com.fanzfinance.server.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;

import io.javalin.http.Context;

import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.command.TenantUsage;

/**
 * Key, tenant and snapshot management, for {@code admin} keys only. A new key's secret is in the
 * creation response and nowhere else; listings show ids, names, scopes and tenants, never secrets or
 * hashes. The last active admin key cannot be revoked.
 */
final class AdminRoutes {
    static final int NAME_MAX = 64;
    static final int KEY_TENANTS_MAX = 64;

    private final KeyStore keys;
    private final TenantRegistry tenants;
    private final Executor responders;
    private final long timeoutMillis;

    AdminRoutes(KeyStore keys, TenantRegistry tenants, Executor responders, long timeoutMillis) {
        this.keys = keys;
        this.tenants = tenants;
        this.responders = responders;
        this.timeoutMillis = timeoutMillis;
    }

    void createKey(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        NewKey request = NewKey.parse(body);
        Set<Integer> tenantIds = new TreeSet<>();
        for (String slug : request.tenants()) {
            tenantIds.add(tenants.register(slug));
        }
        KeyStore.Created created = keys.create(request.name(), request.scopes(), tenantIds);
        ctx.status(201);
        json(ctx, JsonResponses.write(json -> writeKey(json, created.key(), created.secret())));
    }

    void listKeys(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        List<ApiKey> all = keys.list();
        json(ctx, JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("keys");
            for (ApiKey key : all) {
                writeKey(json, key, null);
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    void revokeKey(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        String id = ctx.pathParam("id");
        try {
            if (!keys.revoke(id)) {
                throw Problem.notFound("no active key " + id);
            }
        } catch (KeyStore.LastAdminKeyException e) {
            throw new Problem(409, "last-admin-key", "Conflict", e.getMessage(), null);
        }
        ctx.status(204);
    }

    /** Every tenant with its number, its own quotas (0: the ledger's default) and what it uses of them. */
    void listTenants(Context ctx) {
        Authenticator.require(ctx, Scope.ADMIN);
        TenantSettings[] all = tenants.settings();
        List<TenantUsage> usage = new ArrayList<>();
        for (TenantSettings tenant : all) {
            usage.add(tenants.usage(tenant.number()));
        }
        json(ctx, JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("tenants");
            for (int i = 0; i < all.length; i++) {
                writeTenant(json, all[i], usage.get(i));
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    /**
     * Registers a tenant (201), or for one that exists (200) changes its quotas if the body names them:
     * {@code {"slug", "accounts_max"?, "transfers_max"?}} (0: back to the ledger's default quota).
     */
    void createTenant(Context ctx, RequestBody body) {
        Authenticator.require(ctx, Scope.ADMIN);
        String slug = null;
        Long accountsMax = null;
        Long transfersMax = null;
        try (JsonReader json = new JsonReader(body.stream())) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            while (json.next("") == JsonToken.FIELD_NAME) {
                String field = json.fieldName();
                switch (field) {
                    case "slug" -> slug = json.string("/slug");
                    case "accounts_max" -> accountsMax = json.integer("/accounts_max", 0, LedgerLimits.ACCOUNTS_LIMIT);
                    case "transfers_max" -> transfersMax = json.integer("/transfers_max", 0, LedgerLimits.TRANSFERS_LIMIT);
                    default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", "/" + field);
                }
            }
            json.expectEnd();
        }
        if (slug == null || !TenantRegistry.isValidSlug(slug)) {
            throw Problem.invalidField("'slug' is 1-32 of a-z, 0-9 and '-', starting with a letter or digit", "/slug");
        }
        boolean existed = tenants.idOf(slug).isPresent();
        int id;
        if (accountsMax != null || transfersMax != null) {
            TenantSettings current = existed ? settingsOf(tenants.idOf(slug).orElseThrow()) : null;
            id = tenants.setQuotas(slug, accountsMax != null ? accountsMax : current == null ? 0 : current.accountsMax(),
                transfersMax != null ? transfersMax : current == null ? 0 : current.transfersMax());
        } else {
            id = tenants.register(slug);
        }
        TenantSettings settings = settingsOf(id);
        TenantUsage usage = tenants.usage(id);
        ctx.status(existed ? 200 : 201);
        json(ctx, JsonResponses.write(json -> writeTenant(json, settings, usage)));
    }

    private TenantSettings settingsOf(int id) {
        for (TenantSettings tenant : tenants.settings()) {
            if (tenant.number() == id) {
                return tenant;
            }
        }
        throw new IllegalStateException("tenant #" + id + " is not in the ledger");
    }

    private static void writeTenant(JsonGenerator json, TenantSettings tenant, TenantUsage usage) throws IOException {
        json.writeStartObject();
        json.writeStringField("slug", tenant.slug());
        json.writeNumberField("id", tenant.number());
        json.writeNumberField("accounts_max", tenant.accountsMax());
        json.writeNumberField("transfers_max", tenant.transfersMax());
        json.writeObjectFieldStart("usage");
        json.writeNumberField("accounts", usage.accounts());
        json.writeNumberField("transfers", usage.transfers());
        json.writeNumberField("failed_transfers", usage.failedTransferIds());
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * This server's place in the ledger: {@code single} (its own journal), or its member of a clustered ledger —
     * role, the leader it knows, commands applied — and with {@code ?hashes=true} the hash chain's head and the
     * state hash at one command, which every member that has applied that command must report alike; and whether
     * this server's read-model projector writes ({@code projecting}), waits for another's to stop ({@code standby})
     * or there is none ({@code off}).
     */
    void cluster(Context ctx, Ledger engine, com.fanzfinance.server.readmodel.Projector projector) {
        Authenticator.require(ctx, Scope.ADMIN);
        String readModel = projector == null ? "off" : projector.isWriting() ? "projecting" : "standby";
        if (!(engine instanceof com.fanzfinance.ledger.cluster.ClusteredLedger member)) {
            json(ctx, JsonResponses.write(json -> {
                json.writeStartObject();
                json.writeStringField("mode", "single");
                json.writeStringField("read_model", readModel);
                json.writeEndObject();
            }));
            return;
        }
        boolean hashes = "true".equals(ctx.queryParam("hashes"));
        com.fanzfinance.ledger.cluster.ClusterStatus status = member.status();
        CompletableFuture<com.fanzfinance.ledger.cluster.ReplicaHashes> computed = hashes ? member.hashes()
            : CompletableFuture.completedFuture(null);
        ctx.future(() -> computed.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handleAsync((hash, failure) -> {
            if (failure != null) {
                throw LedgerRoutes.failureOf(failure);
            }
            json(ctx, JsonResponses.write(json -> {
                json.writeStartObject();
                json.writeStringField("mode", "cluster");
                json.writeNumberField("member", status.member());
                json.writeStringField("role", status.role());
                json.writeNumberField("leader", status.leader());
                json.writeNumberField("applied_commands", status.appliedCommands());
                json.writeNumberField("events_written_through", status.eventsWrittenThrough());
                json.writeNumberField("snapshots_taken", status.snapshotsTaken());
                json.writeStringField("read_model", readModel);
                if (hash != null) {
                    json.writeNumberField("hashed_at_command", hash.appliedCommands());
                    json.writeStringField("chain_head", hash.chainHeadHex());
                    json.writeStringField("state_hash", hash.stateHashHex());
                }
                json.writeEndObject();
            }));
            return null;
        }, responders));
    }

    void snapshot(Context ctx, Ledger engine) {
        Authenticator.require(ctx, Scope.ADMIN);
        CompletableFuture<java.nio.file.Path> written = engine.snapshot();
        ctx.future(() -> written.orTimeout(Math.max(timeoutMillis, 600_000), TimeUnit.MILLISECONDS)
            .handleAsync((path, failure) -> {
                if (failure != null) {
                    throw LedgerRoutes.failureOf(failure);
                }
                json(ctx, JsonResponses.write(json -> {
                    json.writeStartObject();
                    json.writeStringField("snapshot", path == null ? null : path.getFileName().toString());
                    json.writeEndObject();
                }));
                return null;
            }, responders));
    }

    private void writeKey(JsonGenerator json, ApiKey key, String secret) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", key.id());
        json.writeStringField("name", key.name());
        if (secret != null) {
            json.writeStringField("key", secret);
        }
        json.writeArrayFieldStart("scopes");
        for (String scope : new TreeSet<>(key.scopes().stream().map(Scope::wireName).toList())) {
            json.writeString(scope);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("tenants");
        for (String slug : new TreeSet<>(key.tenants().stream().map(id -> tenants.slugOf(id).orElse("#" + id)).toList())) {
            json.writeString(slug);
        }
        json.writeEndArray();
        json.writeStringField("created", key.created().toString());
        if (key.revoked() != null) {
            json.writeStringField("revoked", key.revoked().toString());
        } else {
            json.writeNullField("revoked");
        }
        json.writeEndObject();
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType("application/json");
        ctx.result(body);
    }

    /** The body of {@code POST /v1/admin/keys}. */
    record NewKey(String name, Set<Scope> scopes, List<String> tenants) {
        static NewKey parse(RequestBody body) {
            String name = null;
            Set<Scope> scopes = null;
            List<String> tenants = new ArrayList<>();
            try (JsonReader json = new JsonReader(body.stream())) {
                json.expect(JsonToken.START_OBJECT, "", "an object");
                while (json.next("") == JsonToken.FIELD_NAME) {
                    String field = json.fieldName();
                    switch (field) {
                        case "name" -> name = json.string("/name");
                        case "scopes" -> scopes = scopes(json);
                        case "tenants" -> tenants = slugs(json);
                        default -> throw Problem.badRequest("unknown-field", "unknown field '" + field + "'", "/" + field);
                    }
                }
                json.expectEnd();
            }
            if (name == null || name.isBlank() || name.length() > NAME_MAX || !name.chars().allMatch(c -> c >= 0x20 && c != 0x7F)) {
                throw Problem.invalidField("'name' is 1-" + NAME_MAX + " printable characters", "/name");
            }
            if (scopes == null || scopes.isEmpty()) {
                throw Problem.invalidField("'scopes' must name at least one of " + Scope.names(), "/scopes");
            }
            if (tenants.isEmpty() && !scopes.contains(Scope.ADMIN)) {
                throw Problem.invalidField("a key without the admin scope needs at least one tenant", "/tenants");
            }
            return new NewKey(name, scopes, tenants);
        }

        private static Set<Scope> scopes(JsonReader json) {
            json.expect(JsonToken.START_ARRAY, "/scopes", "an array of scope names");
            Set<Scope> scopes = new LinkedHashSet<>();
            int index = 0;
            while (json.next("/scopes/" + index) != JsonToken.END_ARRAY) {
                String pointer = "/scopes/" + index;
                if (json.current() != JsonToken.VALUE_STRING) {
                    throw Problem.invalidField("a scope name expected", pointer);
                }
                Scope scope = Scope.ofWireName(json.text());
                if (scope == null) {
                    throw Problem.invalidField("unknown scope '" + json.text() + "' (known: " + Scope.names() + ")", pointer);
                }
                scopes.add(scope);
                index++;
            }
            return scopes;
        }

        private static List<String> slugs(JsonReader json) {
            json.expect(JsonToken.START_ARRAY, "/tenants", "an array of tenant slugs");
            List<String> slugs = new ArrayList<>();
            while (json.next("/tenants/" + slugs.size()) != JsonToken.END_ARRAY) {
                String pointer = "/tenants/" + slugs.size();
                if (slugs.size() >= KEY_TENANTS_MAX) {
                    throw Problem.invalidField("a key has at most " + KEY_TENANTS_MAX + " tenants", pointer);
                }
                if (json.current() != JsonToken.VALUE_STRING || !TenantRegistry.isValidSlug(json.text())) {
                    throw Problem.invalidField("a tenant slug (1-32 of a-z, 0-9 and '-') expected", pointer);
                }
                slugs.add(json.text());
            }
            return slugs;
        }
    }
}
