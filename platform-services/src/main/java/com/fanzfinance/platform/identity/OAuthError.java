package com.fanzfinance.platform.identity;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fanzfinance.platform.common.Json;

import io.javalin.http.Context;

/**
 * A refusal of the token endpoint, answered the OAuth way (RFC 6749 §5.2) rather than as a problem document:
 * {@code {"error": "...", "error_description": "..."}} with 400 (401 for a failed client authentication,
 * 429 with {@code Retry-After} for a locked account or one whose other sign-in is being checked, 503 with
 * {@code Retry-After} when passwords cannot be checked now).
 */
final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final long retryAfterSeconds;

    OAuthError(int status, String error, String description, long retryAfterSeconds) {
        super(description);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, 0);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description, 0);
    }

    static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description, 0);
    }

    /** Writes this refusal as the answer (never cached). */
    void respond(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        if (retryAfterSeconds > 0) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"fanz-identity\"");
        }
        ctx.header("Cache-Control", "no-store");
        Json.answer(ctx, status, body);
    }
}
