package com.fanzfinance.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.metrics.ServerMetrics;
import com.fanzfinance.server.payments.AuditLog;
import com.fanzfinance.server.payments.Payments;

/**
 * Writes every authenticated action — a POST, PUT, PATCH or DELETE under {@code /v1} — to the audit log once its
 * answer is decided and before it is sent, with the key that did it, the tenant it was on, its outcome and the note
 * the person gave in the console's confirmation ({@code X-Audit-Note}). Not recorded: the ledger's own bulk writes
 * ({@code POST /v1/accounts}, {@code /v1/transfers}, {@code /v1/entries}: the hash-chained journal holds them),
 * {@code /hooks} (processors, no key), requests that never authenticated, and rate-limited ones (refused before they
 * reached anything; recording each would let a flood serialise on the log).
 *
 * <p>A failed write is logged at ERROR with the request id and counted; it never changes the answer, because the
 * action has already happened.
 */
final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    static final String NOTE_HEADER = "X-Audit-Note";
    static final int NOTE_MAX = 500;
    private static final String TENANT_ATTRIBUTE = "fanz.audit-tenant";
    private static final String NOTE_ATTRIBUTE = "fanz.audit-note";
    private static final Set<String> ACTIONS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** The ledger's own bulk writes (POST), in its hash-chained journal already: not audited again. */
    private static final Set<String> JOURNALED = Set.of("/v1/accounts", "/v1/transfers", "/v1/entries");

    private final Supplier<Payments> payments;
    private final ServerMetrics metrics;

    /** @param payments the running payments half, whose schema holds the log (null: off, nothing is stored) */
    Audit(Supplier<Payments> payments, ServerMetrics metrics) {
        this.payments = payments;
        this.metrics = metrics;
    }

    /** Records that the request acts on an object of {@code tenant} (a handler calls this once it knows). */
    static void tenant(Context ctx, String tenant) {
        ctx.attribute(TENANT_ATTRIBUTE, tenant);
    }

    /** {@code allowed}, recording the tenant it lets through (for checks that run inside the payments half). */
    static Predicate<String> tenantWhen(Context ctx, Predicate<String> allowed) {
        return tenant -> {
            boolean allows = allowed.test(tenant);
            if (allows) {
                tenant(ctx, tenant);
            }
            return allows;
        };
    }

    /** Before the handler: a note that is not printable text of at most 500 characters is a 400. */
    void checkNote(Context ctx) {
        // Every /v1 request passes here, the ledger's bulk writes included: nothing is allocated without a note.
        if (ctx.header(NOTE_HEADER) == null) {
            return;
        }
        List<String> values = Collections.list(ctx.req().getHeaders(NOTE_HEADER));
        if (values.size() > 1) {
            throw invalidNote("send one " + NOTE_HEADER + " header");
        }
        String note = decoded(values.get(0)).strip();
        if (note.codePointCount(0, note.length()) > NOTE_MAX) {
            throw invalidNote(NOTE_HEADER + " is at most " + NOTE_MAX + " characters");
        }
        if (note.codePoints().anyMatch(com.fanzfinance.server.payments.Fields::unprintable)) {
            throw invalidNote(NOTE_HEADER + " is printable text on one line: no control characters (line breaks and tabs"
                + " included), no format characters (bidirectional overrides, zero-width) and no line separators");
        }
        if (!note.isEmpty()) {
            ctx.attribute(NOTE_ATTRIBUTE, note);
        }
    }

    private static Problem invalidNote(String detail) {
        return Problem.badRequest("invalid-header", detail, null);
    }

    /**
     * The header's text. HTTP carries bytes, which Jetty hands over one character per byte: a note sent as UTF-8 is
     * read as UTF-8; bytes that are not UTF-8 stay the Latin-1 characters they are.
     */
    static String decoded(String value) {
        if (value.chars().allMatch(character -> character < 0x80) || value.chars().anyMatch(character -> character > 0xFF)) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    /** After the handler (and any problem), before the answer goes out: writes the row if the request is an action. */
    void record(Context ctx) {
        String route = route(ctx);
        ApiKey key = ctx.attribute(Authenticator.KEY_ATTRIBUTE);
        String problem = ctx.attribute(RequestLifecycle.PROBLEM_ATTRIBUTE);
        if (route == null || key == null || "rate-limited".equals(problem)) {
            return;
        }
        Payments running = payments.get();
        if (running == null) {
            return;
        }
        String requestId = ctx.attribute(RequestLifecycle.REQUEST_ID_ATTRIBUTE);
        AuditLog.Action action = new AuditLog.Action(key.id(), key.name(), actorKind(key), ctx.attribute(TENANT_ATTRIBUTE),
            ctx.method().name(), ctx.path(), target(route, ctx.path()), ctx.statusCode(), problem,
            requestId == null ? "-" : requestId, ctx.attribute(NOTE_ATTRIBUTE));
        try {
            running.auditLog().append(action);
        } catch (RuntimeException e) {
            metrics.recordAuditWriteFailure();
            LOG.atError().addKeyValue("request_id", requestId).setCause(e)
                .log("the audit log could not record {} {} ({})", action.method(), action.path(), action.status());
        }
    }

    /** {@code "METHOD /template"} of an audited request, or null when this request is not one. */
    private static String route(Context ctx) {
        String method = ctx.method().name();
        if (!ACTIONS.contains(method)) {
            return null;
        }
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || !endpoint.path.startsWith("/v1/")
            || (method.equals("POST") && JOURNALED.contains(endpoint.path))) {
            return null;
        }
        return method + " " + endpoint.path;
    }

    /** How the actor signed in: {@code api_key}, or {@code sso} for a person signed in with the identity service. */
    static String actorKind(ApiKey key) {
        return key.isSso() ? "sso" : "api_key";
    }

    /** The {@code {id}} segment of {@code path} under {@code "METHOD /template"}, or null when the route has none. */
    static String target(String route, String path) {
        String[] template = route.substring(route.indexOf(' ') + 1).split("/");
        String[] segments = path.split("/");
        for (int i = 0; i < template.length && i < segments.length; i++) {
            if (template[i].equals("{id}")) {
                return segments[i];
            }
        }
        return null;
    }
}
