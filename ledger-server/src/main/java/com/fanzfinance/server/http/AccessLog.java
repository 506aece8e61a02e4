package com.fanzfinance.server.http;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The access log ({@code fanz.access}): one line per request, at a level that says whether anyone needs
 * to look. Probes ({@code /health}, {@code /ready}, {@code /metrics}) and successes are DEBUG — a load
 * balancer polling {@code /ready} during start-up must not flood the log with warnings; 4xx, 499 (the
 * client went away) and the 503s the server gives while it starts or stops ({@code unavailable}) are
 * INFO; every other 5xx is a real failure and WARN.
 */
final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("fanz.access");
    private static final Set<String> PROBES = Set.of("/health", "/ready", "/metrics");
    /** 5xx problem types that describe the server's own life cycle, not a failure. */
    private static final Set<String> EXPECTED_UNAVAILABLE = Set.of("unavailable");

    /** What is logged about one request; {@code keyId} and {@code problemType} may be null. */
    record Entry(String requestId, String method, String path, int status, long nanos, String keyId,
                 String problemType) {
    }

    void record(Entry entry) {
        level(entry).addKeyValue("request_id", entry.requestId())
            .addKeyValue("method", entry.method())
            .addKeyValue("path", entry.path())
            .addKeyValue("status", entry.status())
            .addKeyValue("millis", entry.nanos() / 1_000_000.0)
            .addKeyValue("key", entry.keyId())
            .log("{} {} {}", entry.method(), entry.path(), entry.status());
    }

    private static LoggingEventBuilder level(Entry entry) {
        int status = entry.status();
        if (PROBES.contains(entry.path()) || status < 400) {
            return ACCESS.atDebug();
        }
        if (status < 500 || EXPECTED_UNAVAILABLE.contains(entry.problemType())) {
            return ACCESS.atInfo();
        }
        return ACCESS.atWarn();
    }
}
