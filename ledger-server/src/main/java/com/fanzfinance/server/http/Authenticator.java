package com.fanzfinance.server.http;

import java.util.Optional;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.IdentityTokens;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;

/**
 * Turns the bearer token of a request into its API key, and checks scopes. The bearer is an API key or, when SSO is
 * on, an identity-service access token, which stands for a person as a key of {@link ApiKey.Source#SSO} (see
 * {@link SsoGate}). Neither is ever logged.
 */
final class Authenticator {
    static final String KEY_ATTRIBUTE = "fanz.api-key";
    /** When the request's SSO token expires (an {@link java.time.Instant}); absent for API keys. */
    static final String EXPIRES_ATTRIBUTE = "fanz.sso-expires";
    private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

    private final KeyStore keys;
    private final SsoGate sso;

    /** Takes the API keys of {@code keys} and, unless {@code sso} is null (SSO off), the identity service's tokens. */
    Authenticator(KeyStore keys, SsoGate sso) {
        this.keys = keys;
        this.sso = sso;
    }

    /** Authenticates the request (401 if it cannot) and remembers the key on the context. */
    ApiKey authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw Problem.unauthorized("send 'Authorization: Bearer <api key>'");
        }
        String bearer = header.substring(7).trim();
        Optional<ApiKey> stored = keys.authenticate(bearer);
        ApiKey key;
        if (stored.isPresent()) {
            key = stored.get();
        } else if (sso != null && IdentityTokens.looksLikeJwt(bearer)) {
            key = signedIn(ctx, bearer);
        } else {
            ctx.header("WWW-Authenticate", INVALID_TOKEN);
            throw Problem.unauthorized("unknown or revoked API key");
        }
        ctx.attribute(KEY_ATTRIBUTE, key);
        return key;
    }

    private ApiKey signedIn(Context ctx, String token) {
        try {
            SsoGate.SignedIn person = sso.verify(token);
            ctx.attribute(EXPIRES_ATTRIBUTE, person.person().expires());
            return person.key();
        } catch (Problem problem) {
            if (problem.status() == 401) {
                ctx.header("WWW-Authenticate", INVALID_TOKEN);
            }
            throw problem;
        }
    }

    /** The request's key, which must have {@code scope} (403 otherwise). */
    static ApiKey require(Context ctx, Scope scope) {
        ApiKey key = current(ctx);
        if (!key.has(scope)) {
            throw Problem.forbidden("this key lacks the '" + scope.wireName() + "' scope", null);
        }
        return key;
    }

    /** The request's key, whatever its scopes (401 if the request was not authenticated). */
    static ApiKey current(Context ctx) {
        ApiKey key = ctx.attribute(KEY_ATTRIBUTE);
        if (key == null) {
            throw Problem.unauthorized("send 'Authorization: Bearer <api key>'");
        }
        return key;
    }
}
