package com.fanzfinance.server.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.IdentitySignIn;
import com.fanzfinance.server.auth.IdentityUnavailableException;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Who the caller is ({@code GET /v1/whoami}) and the console's password sign-in ({@code POST /sso/token}), which
 * forwards the person's e-mail, password and brand to the identity service's token endpoint and answers its token
 * once it lets the person in here as {@link SsoGate} would. The password and the token are never logged; the
 * sign-in's answers are never cached.
 */
final class SsoRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SsoRoutes.class);
    static final int FORM_MAX_BYTES = 8 * 1024;
    static final String FORM = "application/x-www-form-urlencoded";
    private static final Set<String> FORM_FIELDS = Set.of("username", "password", "brand");
    private static final int USERNAME_MAX = 320;
    private static final int PASSWORD_MAX = 1024;

    private final SsoGate gate;
    private final IdentitySignIn identity;
    private final SignInLimiter limiter = new SignInLimiter(System::nanoTime);
    private final TenantRegistry tenants;
    private final Function<Context, String> peer;

    /**
     * The routes over {@code gate} (null: SSO off) and the token endpoint of {@code config}; {@code peer} tells a
     * request's remote address (behind trusted proxies, the client's).
     */
    SsoRoutes(SsoGate gate, ServerConfig.Sso config, TenantRegistry tenants, Function<Context, String> peer) {
        this.gate = gate;
        this.identity = gate == null ? null : new IdentitySignIn(config.tokenUrl());
        this.tenants = tenants;
        this.peer = peer;
    }

    /**
     * {@code GET /v1/whoami}: the request's key or person, its scopes and tenants. Any authenticated caller; 503 while
     * the ledger recovers, as the tenants' slugs are not known until then.
     */
    void whoami(Context ctx) {
        ApiKey key = Authenticator.current(ctx);
        QueryParameters.requireKnown(ctx, Set.of());
        if (!tenants.isAttached()) {
            throw new Problem(503, "unavailable", "Service unavailable", "the ledger is recovering; retry shortly", null);
        }
        Instant expires = ctx.attribute(Authenticator.EXPIRES_ATTRIBUTE);
        ctx.contentType("application/json");
        ctx.result(JsonResponses.write(json -> writeWhoami(json, key, expires)));
    }

    /**
     * {@code POST /sso/token}: a form of {@code username}, {@code password} and {@code brand}. 404 {@code sso-off}
     * without SSO; else, once {@code ready} says the ledger is (it throws otherwise), the identity service's answer.
     */
    /** Sign-ins waiting on the identity service at once, at most. */
    static final int SIGN_INS_IN_FLIGHT = 8;
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(SIGN_INS_IN_FLIGHT);

    void token(Context ctx, Runnable ready) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        if (gate == null) {
            throw new Problem(404, "sso-off", "Not found",
                "this server does not take SSO sign-ins (FANZ_SSO_JWKS_URL is unset); use an API key", null);
        }
        ready.run();
        limiter.admit(peer.apply(ctx));
        String type = MediaType.of(ctx.header("Content-Type"));
        if (!type.equals(FORM)) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type", "send " + FORM
                + " (username, password, brand), not '" + (type.length() <= 80 ? type : type.substring(0, 77) + "...")
                + "'", null);
        }
        Map<String, String> form = form(new RequestBody(ctx, FORM_MAX_BYTES, false).bytes());
        String brand = form.get("brand");
        if (tenants.idOf(brand).isEmpty()) {
            throw refused("brand '" + brand + "' has no books on this ledger", 0);
        }
        // Each sign-in waits on the identity service for up to 10 s on a thread the API shares: only a few at once.
        if (!inFlight.tryAcquire()) {
            throw new Problem(503, "sso-unavailable", "Service unavailable", "too many sign-ins are waiting for the"
                + " identity service; retry in a few seconds", null, 5);
        }
        String token;
        try {
            token = identityToken(form.get("username"), form.get("password"), brand);
        } finally {
            inFlight.release();
        }
        SsoGate.SignedIn person = signedIn(token, brand);
        LOG.info("{} signed in on {} with the identity service", person.key().id(), brand);
        long expiresIn = Math.max(0, Duration.between(Instant.now(), person.person().expires()).getSeconds());
        ctx.contentType("application/json");
        ctx.result(JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeStringField("access_token", token);
            json.writeStringField("token_type", "Bearer");
            json.writeNumberField("expires_in", expiresIn);
            json.writeFieldName("whoami");
            writeWhoami(json, person.key(), person.person().expires());
            json.writeEndObject();
        }));
    }

    private String identityToken(String username, String password, String brand) {
        try {
            return identity.accessToken(username, password, brand);
        } catch (IdentitySignIn.RefusedException e) {
            LOG.info("a sign-in on {} was refused by the identity service", brand);
            throw refused(e.getMessage(), e.retryAfterSeconds());
        } catch (IdentityUnavailableException e) {
            LOG.warn("a sign-in on {} could not be checked: {}", brand, e.getMessage());
            throw SsoGate.unavailable("the identity service cannot check the sign-in now (" + e.getMessage() + ")");
        }
    }

    /**
     * The person the identity service's fresh token stands for, checked exactly as a bearer token is. A token this
     * server does not accept (its issuer, audience or keys set up differently here) is a refusal, and logged: it is
     * the operator's to fix.
     */
    private SsoGate.SignedIn signedIn(String token, String brand) {
        SsoGate.SignedIn person;
        try {
            person = gate.verify(token);
        } catch (Problem problem) {
            if (problem.status() != 401) {
                throw problem;
            }
            LOG.warn("the identity service's token for a sign-in on {} is not accepted here: {}", brand,
                problem.getMessage());
            throw refused("the identity service's token is not accepted here: " + problem.getMessage(), 0);
        }
        if (!person.person().tenant().equals(brand)) {
            LOG.warn("the identity service answered a sign-in on {} with a token for {}", brand, person.person().tenant());
            throw refused("the identity service's token is for another brand", 0);
        }
        return person;
    }

    private static Problem refused(String detail, long retryAfterSeconds) {
        return new Problem(401, "sso-refused", "Unauthorized", detail, null, retryAfterSeconds);
    }

    /** The sign-in form: each of username, password and brand exactly once, nothing else. */
    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), null);
            if (!FORM_FIELDS.contains(name)) {
                throw Problem.badRequest("unknown-field", "unknown field '" + abbreviate(name)
                    + "' (the form has username, password and brand)", "/" + abbreviate(name));
            }
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), "/" + name);
            if (form.put(name, value) != null) {
                throw Problem.invalidField("'" + name + "' is given twice", "/" + name);
            }
        }
        require(form, "username", USERNAME_MAX);
        require(form, "password", PASSWORD_MAX);
        if (!TenantRegistry.isValidSlug(form.getOrDefault("brand", ""))) {
            throw Problem.invalidField("'brand' is a brand slug (1-32 of a-z, 0-9 and '-')", "/brand");
        }
        return form;
    }

    private static void require(Map<String, String> form, String name, int max) {
        String value = form.get(name);
        if (value == null || value.isEmpty() || value.length() > max) {
            throw Problem.invalidField("'" + name + "' is required, 1-" + max + " characters", "/" + name);
        }
    }

    private static String decode(String text, String pointer) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not form-encoded (a bad % escape)", pointer);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /**
     * {@code {"id", "name", "kind", "scopes", "admin", "tenants": [{"id", "slug"}], "expires"}}: an admin key's
     * tenants are every registered tenant; {@code expires} is the SSO token's expiry, null for an API key.
     */
    private void writeWhoami(JsonGenerator json, ApiKey key, Instant expires) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", key.id());
        json.writeStringField("name", key.name());
        json.writeStringField("kind", key.isSso() ? "sso" : "api_key");
        json.writeArrayFieldStart("scopes");
        for (String scope : new TreeSet<>(key.scopes().stream().map(Scope::wireName).toList())) {
            json.writeString(scope);
        }
        json.writeEndArray();
        json.writeBooleanField("admin", key.isAdmin());
        json.writeArrayFieldStart("tenants");
        for (Map.Entry<Integer, String> tenant : tenantsOf(key).entrySet()) {
            json.writeStartObject();
            json.writeNumberField("id", tenant.getKey());
            json.writeStringField("slug", tenant.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (expires != null) {
            json.writeStringField("expires", expires.toString());
        } else {
            json.writeNullField("expires");
        }
        json.writeEndObject();
    }

    /** The key's tenants by id (every registered one for an admin key), with their slugs. */
    private Map<Integer, String> tenantsOf(ApiKey key) {
        Map<Integer, String> all = new TreeMap<>();
        if (key.isAdmin()) {
            tenants.all().forEach((slug, id) -> all.put(id, slug));
        } else {
            key.tenants().forEach(id -> all.put(id, tenants.slugOf(id).orElse(null)));
        }
        return all;
    }
}
