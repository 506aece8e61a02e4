package com.fanzfinance.platform.content;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;

import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.TokenVerifier;

/**
 * What the content tests' stand-ins for other services ({@link ComplianceSimulator}, {@link MediaSimulator})
 * share: the check a real service makes of the bearer token on each request, and writing an answer.
 */
final class ServiceStandIns {
    private ServiceStandIns() {
    }

    /**
     * Whether the request's bearer token may call a route needing {@code scope}; when not, the refusal is sent:
     * 401 for no token, a bad one or one {@code revoked}, 403 without the scope.
     */
    static boolean admitted(HttpExchange exchange, TokenVerifier verifier, Predicate<String> revoked, String scope)
            throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header == null || !header.startsWith("Bearer ") ? null : header.substring(7);
        if (token != null && revoked.test(token)) {
            send(exchange, 401, new byte[0]);
            return false;
        }
        try {
            verifier.verify(token).requireScope(scope);
            return true;
        } catch (Problem problem) {
            send(exchange, problem.status(), new byte[0]);
            return false;
        }
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
