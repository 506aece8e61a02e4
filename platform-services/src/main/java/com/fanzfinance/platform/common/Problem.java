package com.fanzfinance.platform.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request-level failure, answered as RFC 9457 {@code application/problem+json} with the same type base
 * as the ledger's problems ({@code https://fanzfinance.dev/problems/<type>}). Nothing from a request that
 * ends in a problem has been applied.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String pointer;
    private final long retryAfterSeconds;
    private final transient Map<String, Object> extensions = new LinkedHashMap<>();

    public Problem(int status, String type, String title, String detail, String pointer) {
        this(status, type, title, detail, pointer, 0);
    }

    public Problem(int status, String type, String title, String detail, String pointer, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.pointer = pointer;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Problem badRequest(String type, String detail, String pointer) {
        return new Problem(400, type, "Bad request", detail, pointer);
    }

    public static Problem invalidField(String detail, String pointer) {
        return badRequest("invalid-field", detail, pointer);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, null);
    }

    public static Problem conflict(String type, String detail) {
        return new Problem(409, type, "Conflict", detail, null);
    }

    public static Problem unprocessable(String type, String detail) {
        return new Problem(422, type, "Unprocessable", detail, null);
    }

    public static Problem unavailable(String type, String detail, long retryAfterSeconds) {
        return new Problem(503, type, "Service unavailable", detail, null, retryAfterSeconds);
    }

    /** Adds an extension member to the problem document (a value Jackson can write). */
    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String pointer() {
        return pointer;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> extensions() {
        return Collections.unmodifiableMap(extensions);
    }
}
