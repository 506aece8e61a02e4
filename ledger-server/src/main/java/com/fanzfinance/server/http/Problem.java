package com.fanzfinance.server.http;

/**
 * A request-level failure, answered as RFC 9457 {@code application/problem+json}: a stable type suffix,
 * a status, a human detail, and a JSON pointer to the offending field when there is one. Nothing from a
 * request that ends in a problem has been applied.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String pointer;
    private final long retryAfterSeconds;
    private final transient java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();

    public Problem(int status, String type, String title, String detail, String pointer) {
        this(status, type, title, detail, pointer, 0);
    }

    /** A problem whose answer carries {@code Retry-After: retryAfterSeconds} (0: none). */
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

    public static Problem malformedJson(String detail, String pointer) {
        return badRequest("malformed-json", detail, pointer);
    }

    public static Problem invalidField(String detail, String pointer) {
        return badRequest("invalid-field", detail, pointer);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, null);
    }

    public static Problem forbidden(String detail, String pointer) {
        return new Problem(403, "forbidden", "Forbidden", detail, pointer);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, null);
    }

    public static Problem tooLarge(String detail) {
        return new Problem(413, "body-too-large", "Payload too large", detail, null);
    }

    public static Problem rateLimited(String detail, long retryAfterSeconds) {
        return new Problem(429, "rate-limited", "Too many requests", detail, null, retryAfterSeconds);
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

    /** Seconds the client should wait before retrying, or 0 when the problem does not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * Adds an extension member to the problem document (RFC 9457 §3.2), e.g. {@code available} or
     * {@code failed_checks}: a string, a number or a list of strings.
     */
    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    /** The extension members, in the order they were added. */
    public java.util.Map<String, Object> extensions() {
        return java.util.Collections.unmodifiableMap(extensions);
    }
}
