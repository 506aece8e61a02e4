package com.fanzfinance.server.auth;

/**
 * The identity service cannot be asked now: unreachable, too slow, failing (5xx), or answering something unusable.
 * Not the caller's fault, so the answer is a 503, not a 401.
 */
public final class IdentityUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdentityUnavailableException(String message) {
        super(message);
    }
}
