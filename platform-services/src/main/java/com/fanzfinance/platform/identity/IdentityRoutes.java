package com.fanzfinance.platform.identity;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The identity service's HTTP API besides the token endpoint: brands, sign-up and the caller's account,
 * brand members and their roles, signing-key rotation, the platform services' keys, and the discovery
 * documents (JWKS, OpenID configuration). People act only within the brand of their token: another brand's
 * members are not found (404), a missing role is 403. Brands, signing keys and service keys are the
 * platform admin's. Member management checks the caller's roles as they are now, not as the token says.
 */
final class IdentityRoutes {
    private static final String SLUG_TEXT = "a slug (a–z, 0–9 and '-', 1–32 characters, not starting with '-')";
    private static final Pattern SIGN_UP_ROLE = Pattern.compile("fan|creator");
    private static final int MEMBERS_PAGE_MAX = 500;
    private static final int MEMBERS_PAGE_DEFAULT = 100;
    /** The scope with which a platform service reads brands' members. */
    static final String READ_SCOPE = "identity:read";

    private final Accounts accounts;
    private final ServiceKeys serviceKeys;
    private final SigningKeys signingKeys;
    private final TokenVerifier verifier;
    private final TokenEndpoint tokenEndpoint;
    private final String issuer;
    private final URI publicUrl;

    IdentityRoutes(Accounts accounts, ServiceKeys serviceKeys, SigningKeys signingKeys, TokenVerifier verifier,
                   TokenEndpoint tokenEndpoint, String issuer, URI publicUrl) {
        this.accounts = accounts;
        this.serviceKeys = serviceKeys;
        this.signingKeys = signingKeys;
        this.verifier = verifier;
        this.tokenEndpoint = tokenEndpoint;
        this.issuer = issuer;
        this.publicUrl = publicUrl;
    }

    void register(RoutesConfig r) {
        r.exception(OAuthError.class, (error, ctx) -> error.respond(ctx));
        r.post("/oauth/token", tokenEndpoint::handle);
        r.get("/.well-known/jwks.json", this::jwks);
        r.get("/.well-known/openid-configuration", this::discovery);
        r.get("/v1/tenants", this::listTenants);
        r.post("/v1/tenants", this::createTenant);
        r.post("/v1/users", this::signUp);
        r.get("/v1/users/me", this::me);
        r.get("/v1/tenants/{tenant}/members", this::listMembers);
        r.put("/v1/tenants/{tenant}/members/{user_id}", this::setMemberRoles);
        r.post("/v1/keys/rotate", this::rotateKeys);
        r.post("/v1/service-keys", this::createServiceKey);
        r.get("/v1/service-keys", this::listServiceKeys);
        r.delete("/v1/service-keys/{id}", this::revokeServiceKey);
    }

    private void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        Json.answer(ctx, 200, signingKeys.jwksDocument());
    }

    private void discovery(Context ctx) {
        String base = base(ctx);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", base + "/.well-known/jwks.json");
        doc.put("token_endpoint", base + "/oauth/token");
        doc.put("grant_types_supported", TokenEndpoint.GRANTS);
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of(JWSAlgorithm.RS256.getName()));
        doc.put("access_token_signing_alg_values_supported", List.of(JWSAlgorithm.RS256.getName()));
        doc.put("claims_supported", List.of("iss", "aud", "sub", "tenant", "roles", "scope", "jti", "iat", "exp",
            "auth_time", "email"));
        ctx.header("Cache-Control", "public, max-age=300");
        Json.answer(ctx, 200, doc);
    }

    private void listTenants(Context ctx) {
        List<Map<String, Object>> tenants = new ArrayList<>();
        for (Accounts.Tenant tenant : accounts.tenants()) {
            tenants.add(tenantJson(tenant));
        }
        Json.answer(ctx, 200, Map.of("tenants", tenants));
    }

    private void createTenant(Context ctx) {
        requirePlatformAdmin(verifier.caller(ctx));
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "slug", "name");
        String slug = Json.text(body, "slug", Json.SLUG, SLUG_TEXT);
        String name = Json.plainText(body, "name", Accounts.TENANT_NAME_MAX);
        Accounts.Tenant tenant = accounts.createTenant(slug, name);
        ctx.header("Location", "/v1/tenants/" + slug);
        Json.answer(ctx, 201, tenantJson(tenant));
    }

    private void signUp(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "tenant", "email", "password", "display_name", "role");
        String tenant = Json.text(body, "tenant", Json.SLUG, SLUG_TEXT);
        String email = email(body);
        String password = Json.text(body, "password", null, null);
        Passwords.checkNew(password, email, "/password");
        String displayName = Json.plainText(body, "display_name", Accounts.DISPLAY_NAME_MAX);
        String role = Json.text(body, "role", SIGN_UP_ROLE, "\"fan\" or \"creator\"");
        if (!accounts.tenantExists(tenant)) {
            throw new Problem(422, "unknown-tenant", "Unprocessable", "there is no brand '" + tenant + "'", "/tenant");
        }
        if (accounts.userByEmail(email).isPresent()) {
            throw Problem.conflict("email-taken", "an account with this email exists; sign in instead");
        }
        Accounts.User user = accounts.createUser(tenant, email, Passwords.hash(password), displayName, role);
        ctx.header("Location", "/v1/users/me");
        Json.answer(ctx, 201, userJson(user));
    }

    private void me(Context ctx) {
        Caller caller = verifier.caller(ctx);
        Accounts.User user = person(caller).account();
        Json.answer(ctx, 200, userJson(user));
    }

    private void listMembers(Context ctx) {
        Caller caller = verifier.caller(ctx);
        String tenant = ctx.pathParam("tenant");
        if (caller.isService()) {
            caller.requireScope(READ_SCOPE);
            if (!accounts.tenantExists(tenant)) {
                throw Problem.notFound("no such brand");
            }
        } else {
            caller.requireTenant(tenant, "brand");
            Set<String> roles = person(caller).rolesOn(tenant);
            if (!roles.contains(Caller.STAFF) && !roles.contains(Caller.ADMIN)) {
                throw Problem.forbidden("listing members needs the role staff or admin on " + tenant);
            }
        }
        String role = ctx.queryParam("role");
        if (role != null && !Roles.ALL.contains(role)) {
            throw Problem.badRequest("invalid-query", "role must be one of " + String.join(", ", Roles.ALL), null);
        }
        int limit = limit(ctx.queryParam("limit"));
        String afterText = ctx.queryParam("after");
        UUID after = afterText == null ? null : Json.parseUuid(afterText, null);
        List<Accounts.Member> members = accounts.members(tenant, role, after, limit);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Accounts.Member member : members) {
            out.add(memberJson(tenant, member));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("members", out);
        answer.put("next_after", members.size() == limit ? members.get(limit - 1).userId().toString() : null);
        Json.answer(ctx, 200, answer);
    }

    private void setMemberRoles(Context ctx) {
        Caller caller = verifier.caller(ctx);
        if (caller.isService()) {
            throw Problem.forbidden("platform services do not change members' roles");
        }
        String tenant = ctx.pathParam("tenant");
        caller.requireTenant(tenant, "brand");
        UUID userId = Json.parseUuid(ctx.pathParam("user_id"), null);
        Person person = person(caller);
        Set<String> callerRoles = person.rolesOn(tenant);
        boolean admin = callerRoles.contains(Caller.ADMIN);
        if (!admin && !callerRoles.contains(Caller.STAFF)) {
            throw Problem.forbidden("changing members' roles needs the role staff or admin on " + tenant);
        }
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "roles");
        Set<String> roles = Roles.read(body, "roles");
        Accounts.Member member = accounts.member(tenant, userId).orElseThrow(() -> Problem.notFound("no such member"));
        if (member.userId().equals(person.id())) {
            throw Problem.forbidden("you cannot change your own roles; ask another admin");
        }
        if (!admin && (roles.contains(Caller.STAFF) || roles.contains(Caller.ADMIN)
            || member.roles().contains(Caller.STAFF) || member.roles().contains(Caller.ADMIN))) {
            throw Problem.forbidden("only an admin grants or takes away the roles staff and admin");
        }
        accounts.setRoles(tenant, userId, roles);
        Json.answer(ctx, 200, memberJson(tenant, accounts.member(tenant, userId).orElseThrow()));
    }

    private void rotateKeys(Context ctx) {
        requirePlatformAdmin(verifier.caller(ctx));
        SigningKeys.Rotated rotated = signingKeys.rotate();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("kid", rotated.kid());
        answer.put("activates", rotated.activates().toString());
        Json.answer(ctx, 200, answer);
    }

    private void createServiceKey(Context ctx) {
        requirePlatformAdmin(verifier.caller(ctx));
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "service", "scopes");
        String service = Json.text(body, "service", ServiceKeys.SERVICE,
            "a service name (a–z, 0–9 and '-', 1–32 characters, starting with a letter)");
        JsonNode array = body.get("scopes");
        if (array == null || array.isNull()) {
            throw Problem.invalidField("'scopes' is required", "/scopes");
        }
        if (!array.isArray() || array.size() > ServiceKeys.MAX_SCOPES) {
            throw Problem.invalidField("'scopes' must be an array of at most " + ServiceKeys.MAX_SCOPES + " scopes",
                "/scopes");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode scope = array.get(i);
            if (!scope.isTextual() || !ServiceKeys.SCOPE.matcher(scope.asText()).matches()) {
                throw Problem.invalidField("a scope is a name like 'compliance:read'", "/scopes/" + i);
            }
            if (!scopes.add(scope.asText())) {
                throw Problem.invalidField("scope '" + scope.asText() + "' is listed twice", "/scopes/" + i);
            }
        }
        ServiceKeys.Created created = serviceKeys.create(service, scopes);
        Map<String, Object> answer = serviceKeyJson(created.key());
        answer.put("key", created.secret());
        ctx.header("Cache-Control", "no-store");
        Json.answer(ctx, 201, answer);
    }

    private void listServiceKeys(Context ctx) {
        requirePlatformAdmin(verifier.caller(ctx));
        List<Map<String, Object>> keys = new ArrayList<>();
        for (ServiceKeys.ServiceKey key : serviceKeys.list()) {
            keys.add(serviceKeyJson(key));
        }
        Json.answer(ctx, 200, Map.of("service_keys", keys));
    }

    private void revokeServiceKey(Context ctx) {
        requirePlatformAdmin(verifier.caller(ctx));
        UUID id = Json.parseUuid(ctx.pathParam("id"), null);
        ServiceKeys.ServiceKey key = serviceKeys.revoke(id).orElseThrow(() -> Problem.notFound("no such service key"));
        Json.answer(ctx, 200, serviceKeyJson(key));
    }

    /** The person behind a token (403 for a service token; 401 if their account is gone). */
    private Person person(Caller caller) {
        if (caller.isService()) {
            throw Problem.forbidden("this needs a person's token, not a service token");
        }
        UUID id;
        try {
            id = UUID.fromString(caller.subject());
        } catch (IllegalArgumentException e) {
            throw Problem.unauthorized("the token's subject is not an account");
        }
        return new Person(id);
    }

    private void requirePlatformAdmin(Caller caller) {
        if (!accounts.isPlatformAdmin(person(caller).id())) {
            throw Problem.forbidden("this needs the platform admin");
        }
    }

    /** A person acting by their token, whose account and roles are read as they are now. */
    private final class Person {
        private final UUID id;

        Person(UUID id) {
            this.id = id;
        }

        UUID id() {
            return id;
        }

        Accounts.User account() {
            return accounts.user(id).orElseThrow(() -> Problem.unauthorized("the token's account no longer exists"));
        }

        Set<String> rolesOn(String tenant) {
            return accounts.roles(id, tenant).orElse(Set.of());
        }
    }

    private String email(JsonNode body) {
        String raw = Json.text(body, "email", null, null);
        String email = Accounts.normalEmail(raw);
        if (email.length() > Accounts.EMAIL_MAX || !Accounts.EMAIL.matcher(email).matches()) {
            throw Problem.invalidField("'email' must be an email address of at most " + Accounts.EMAIL_MAX
                + " characters", "/email");
        }
        return email;
    }

    private static int limit(String text) {
        if (text == null) {
            return MEMBERS_PAGE_DEFAULT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MEMBERS_PAGE_MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.badRequest("invalid-query", "limit must be a whole number from 1 to " + MEMBERS_PAGE_MAX, null);
    }

    private String base(Context ctx) {
        if (publicUrl != null) {
            return publicUrl.toString().replaceAll("/+$", "");
        }
        return ctx.scheme() + "://" + ctx.host();
    }

    private static Map<String, Object> tenantJson(Accounts.Tenant tenant) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slug", tenant.slug());
        json.put("name", tenant.name());
        json.put("created", tenant.created().toString());
        return json;
    }

    static Map<String, Object> userJson(Accounts.User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id().toString());
        json.put("email", user.email());
        json.put("display_name", user.displayName());
        List<Map<String, Object>> memberships = new ArrayList<>();
        user.memberships().forEach((tenant, roles) -> {
            Map<String, Object> membership = new LinkedHashMap<>();
            membership.put("tenant", tenant);
            membership.put("roles", Roles.ordered(roles));
            memberships.add(membership);
        });
        json.put("memberships", memberships);
        json.put("created", user.created().toString());
        return json;
    }

    private static Map<String, Object> memberJson(String tenant, Accounts.Member member) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", member.userId().toString());
        json.put("tenant", tenant);
        json.put("email", member.email());
        json.put("display_name", member.displayName());
        json.put("roles", Roles.ordered(member.roles()));
        json.put("joined", member.joined().toString());
        return json;
    }

    private static Map<String, Object> serviceKeyJson(ServiceKeys.ServiceKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id().toString());
        json.put("service", key.service());
        json.put("scopes", List.copyOf(key.scopes()));
        json.put("source", key.source());
        json.put("created", key.created().toString());
        json.put("revoked", key.revoked() == null ? null : key.revoked().toString());
        return json;
    }
}
