package com.fanzfinance.platform.identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.platform.common.Uuids;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.javalin.http.Context;

/**
 * {@code POST /oauth/token} (RFC 6749, form-encoded; refusals as OAuth errors, see {@link OAuthError}) with
 * three grants: {@code password} (a person signs in to one brand, with the lockout of {@link Lockout}; the
 * username, password and brand are checked for length and form before anything is looked up),
 * {@code client_credentials} (a platform service, by its service key, gets a platform-wide service token)
 * and RFC 8693 token exchange (single sign-on: a person's token of one brand becomes one for another brand,
 * joining it as a fan if they were no member; the roles are always the target brand's own, and the new
 * token expires no later than the one exchanged, so hopping between brands never prolongs a session).
 */
final class TokenEndpoint {
    static final String PASSWORD = "password";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final List<String> GRANTS = List.of(PASSWORD, CLIENT_CREDENTIALS, TOKEN_EXCHANGE);
    private static final int PARAMETER_MAX = 8192;
    private static final String WRONG_CREDENTIALS = "wrong email or password";

    private final Accounts accounts;
    private final ServiceKeys serviceKeys;
    private final Lockout lockout;
    private final Tokens tokens;
    private final TokenVerifier verifier;
    private final Clock clock;

    TokenEndpoint(Accounts accounts, ServiceKeys serviceKeys, Lockout lockout, Tokens tokens, TokenVerifier verifier,
                  Clock clock) {
        this.accounts = accounts;
        this.serviceKeys = serviceKeys;
        this.lockout = lockout;
        this.tokens = tokens;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Handles a token request. */
    void handle(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("the token request must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(ctx);
        String grant = required(form, "grant_type");
        Map<String, Object> answer = switch (grant) {
            case PASSWORD -> password(form);
            case CLIENT_CREDENTIALS -> clientCredentials(ctx, form);
            case TOKEN_EXCHANGE -> exchange(form);
            default -> throw new OAuthError(400, "unsupported_grant_type", "grant_type must be one of "
                + String.join(", ", GRANTS), 0);
        };
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Json.answer(ctx, 200, answer);
    }

    private Map<String, Object> password(Map<String, String> form) {
        String email = Accounts.normalEmail(required(form, "username"));
        String password = required(form, PASSWORD);
        String tenant = required(form, "tenant");
        if (email.length() > Accounts.EMAIL_MAX) {
            throw OAuthError.invalidRequest("username must be at most " + Accounts.EMAIL_MAX + " characters");
        }
        if (password.codePointCount(0, password.length()) > Passwords.MAX_LENGTH) {
            throw OAuthError.invalidRequest("password must be at most " + Passwords.MAX_LENGTH + " characters");
        }
        if (!Json.SLUG.matcher(tenant).matches()) {
            throw OAuthError.invalidRequest("tenant must be a brand slug (a–z, 0–9 and '-', 1–32 characters)");
        }
        if (!accounts.tenantExists(tenant)) {
            throw OAuthError.invalidRequest("there is no brand '" + tenant + "'");
        }
        Optional<Lockout.Refusal> refusal = lockout.begin(email);
        if (refusal.isPresent()) {
            long retryAfter = refusal.get().retryAfterSeconds();
            throw new OAuthError(429, "invalid_grant", refusal.get().locked()
                ? "account locked after too many failed sign-ins; try again in " + retryAfter + " seconds"
                : "another sign-in of this account is being checked; try again in " + retryAfter + " seconds",
                retryAfter);
        }
        Optional<Accounts.User> user;
        boolean right = false;
        boolean checked = false;
        try {
            user = accounts.userByEmail(email);
            right = user.isPresent() ? Passwords.verify(password, user.get().passwordHash())
                : Passwords.verifyDecoy(password);
            checked = true;
        } catch (Problem e) {
            if (!Passwords.HASHING_BUSY.equals(e.type())) {
                throw e;
            }
            throw new OAuthError(503, "temporarily_unavailable", e.getMessage(), e.retryAfterSeconds());
        } finally {
            if (right) {
                lockout.succeeded(email);
            } else if (checked) {
                lockout.failed(email);
            } else {
                lockout.unchecked(email);
            }
        }
        if (!right) {
            throw OAuthError.invalidGrant(WRONG_CREDENTIALS);
        }
        Accounts.User person = user.get();
        if (!Passwords.isCurrent(person.passwordHash())) {
            rehash(person, password);
        }
        Set<String> roles = accounts.roles(person.id(), tenant).orElseThrow(() -> OAuthError.invalidGrant(
            "the account is no member of brand '" + tenant + "'; sign up there or exchange a token of another brand"));
        Tokens.Issued issued = tokens.issue(new Tokens.Grant(person.id().toString(), tenant, roles, person.email(),
            null, clock.instant()), null);
        return answer(issued, null);
    }

    /** Redoes {@code person}'s hash with the current parameters, unless hashing is too busy now (then next time). */
    private void rehash(Accounts.User person, String password) {
        String hash;
        try {
            hash = Passwords.hash(password);
        } catch (Problem e) {
            if (!Passwords.HASHING_BUSY.equals(e.type())) {
                throw e;
            }
            return;
        }
        accounts.rehash(person.id(), hash);
    }

    private Map<String, Object> clientCredentials(Context ctx, Map<String, String> form) {
        String[] client = client(ctx, form);
        String service = client[0];
        Optional<ServiceKeys.ServiceKey> key = ServiceKeys.SERVICE.matcher(service).matches()
            ? serviceKeys.authenticate(service, client[1]) : Optional.empty();
        if (key.isEmpty()) {
            throw OAuthError.invalidClient("unknown service or wrong, revoked service key");
        }
        Set<String> scopes = key.get().scopes();
        String requested = form.get("scope");
        if (requested != null) {
            Set<String> asked = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
            if (!scopes.containsAll(asked)) {
                throw new OAuthError(400, "invalid_scope", "the service key does not grant all of '" + requested + "'", 0);
            }
            scopes = asked;
        }
        String scope = String.join(" ", scopes);
        Tokens.Issued issued = tokens.issue(new Tokens.Grant("service:" + service, "*", Set.of(Caller.SERVICE), null,
            scope, clock.instant()), null);
        return answer(issued, scope);
    }

    private Map<String, Object> exchange(Map<String, String> form) {
        String subjectToken = required(form, "subject_token");
        if (!ACCESS_TOKEN_TYPE.equals(required(form, "subject_token_type"))) {
            throw OAuthError.invalidRequest("subject_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        String requestedType = form.get("requested_token_type");
        if (requestedType != null && !ACCESS_TOKEN_TYPE.equals(requestedType)) {
            throw OAuthError.invalidRequest("only access tokens (" + ACCESS_TOKEN_TYPE + ") are issued");
        }
        if (form.containsKey("actor_token")) {
            throw OAuthError.invalidRequest("delegation (actor_token) is not supported");
        }
        String audience = required(form, "audience");
        Caller caller;
        JWTClaimsSet claims;
        try {
            caller = verifier.verify(subjectToken);
            claims = SignedJWT.parse(subjectToken).getJWTClaimsSet();
        } catch (Problem e) {
            throw OAuthError.invalidRequest("the subject_token is not valid: " + e.getMessage());
        } catch (ParseException e) {
            throw OAuthError.invalidRequest("the subject_token is not a JWT");
        }
        if (caller.isService()) {
            throw OAuthError.invalidRequest("service tokens cannot be exchanged");
        }
        Optional<Accounts.User> user = Optional.ofNullable(Uuids.parseOrNull(caller.subject())).flatMap(accounts::user);
        if (user.isEmpty()) {
            throw OAuthError.invalidRequest("the subject_token's account does not exist");
        }
        if (!accounts.tenantExists(audience)) {
            throw new OAuthError(400, "invalid_target", "there is no brand '" + audience + "'", 0);
        }
        Set<String> roles = accounts.rolesOrJoinAsFan(user.get().id(), audience);
        Instant authTime = authTime(claims);
        Date expires = claims.getExpirationTime();
        Tokens.Issued issued = tokens.issue(new Tokens.Grant(user.get().id().toString(), audience, roles,
            user.get().email(), null, authTime), expires.toInstant());
        Map<String, Object> answer = answer(issued, null);
        answer.put("issued_token_type", ACCESS_TOKEN_TYPE);
        return answer;
    }

    private Instant authTime(JWTClaimsSet claims) {
        try {
            Long authTime = claims.getLongClaim("auth_time");
            return authTime == null ? clock.instant() : Instant.ofEpochSecond(authTime);
        } catch (ParseException e) {
            throw OAuthError.invalidRequest("the subject_token's auth_time is not a number");
        }
    }

    private static Map<String, Object> answer(Tokens.Issued issued, String scope) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issued.expiresIn());
        if (scope != null && !scope.isEmpty()) {
            answer.put("scope", scope);
        }
        return answer;
    }

    /** The client's id and secret, from HTTP Basic or the form (not both; RFC 6749 §2.3.1). */
    private static String[] client(Context ctx, Map<String, String> form) {
        String header = ctx.header("Authorization");
        boolean inForm = form.containsKey("client_id") || form.containsKey("client_secret");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (inForm) {
                throw OAuthError.invalidRequest("authenticate the client with HTTP Basic or the form, not both");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("the Basic credentials are not Base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("the Basic credentials lack the ':'");
            }
            try {
                return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("the Basic credentials are not form-encoded");
            }
        }
        return new String[] {required(form, "client_id"), required(form, "client_secret")};
    }

    /** The form's parameters; a repeated one is refused (RFC 6749 §3.2). */
    private static Map<String, String> form(Context ctx) {
        Map<String, String> form = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : ctx.formParamMap().entrySet()) {
            if (parameter.getValue().size() != 1) {
                throw OAuthError.invalidRequest("parameter '" + parameter.getKey() + "' is repeated");
            }
            String value = parameter.getValue().get(0);
            if (value.length() > PARAMETER_MAX) {
                throw OAuthError.invalidRequest("parameter '" + parameter.getKey() + "' is too long");
            }
            form.put(parameter.getKey(), value);
        }
        return form;
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthError.invalidRequest("parameter '" + name + "' is required");
        }
        return value;
    }
}
