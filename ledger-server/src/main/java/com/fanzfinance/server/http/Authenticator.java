package com.fanzfinance.server.http;

import io.javalin.http.Context;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;

/** Turns the bearer token of a request into its API key, and checks scopes. The key is never logged. */
final class Authenticator {
    static final String KEY_ATTRIBUTE = "fanz.api-key";

    private final KeyStore keys;

    Authenticator(KeyStore keys) {
        this.keys = keys;
    }

    /** Authenticates the request (401 if it cannot) and remembers the key on the context. */
    ApiKey authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw Problem.unauthorized("send 'Authorization: Bearer <api key>'");
        }
        ApiKey key = keys.authenticate(header.substring(7).trim()).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return Problem.unauthorized("unknown or revoked API key");
        });
        ctx.attribute(KEY_ATTRIBUTE, key);
        return key;
    }

    /** The request's key, which must have {@code scope} (403 otherwise). */
    static ApiKey require(Context ctx, Scope scope) {
        ApiKey key = ctx.attribute(KEY_ATTRIBUTE);
        if (key == null) {
            throw Problem.unauthorized("send 'Authorization: Bearer <api key>'");
        }
        if (!key.has(scope)) {
            throw Problem.forbidden("this key lacks the '" + scope.wireName() + "' scope", null);
        }
        return key;
    }
}
